"""The offline Military and Defense Analysis: activity, policy steps, the figures the summaries give, procurement."""

from __future__ import annotations

import re
from collections.abc import Sequence

from watchfloor.report.citations import cite
from watchfloor.report.model import Briefing, EventBrief, Prose
from watchfloor.report.offline.grouping import by_partner
from watchfloor.report.offline.partners import partner_name, partner_names
from watchfloor.report.rules.annex import ordered
from watchfloor.report.wording import (
    cite_events, english_summary, event_ref, joined, plural, quoted, sentence, stable_choice,
)  # fmt: skip
from watchfloor.text.anatomy import clean_inline, summary_sentences

_PROCUREMENT = re.compile(
    r"\b(procure\w*|acqui(?:re|red|res|sition|sitions)|purchas\w+|arms deal|arms sale\w*|contract\w*|deliver(?:y|ies|ed))\b",
    re.I,
)
_QUALIFIER_WORDS = ("over", "more", "about", "around", "some", "nearly", "almost", "approximately", "up", "at")
_QUALIFIER = r"(?:(?:over|more than|about|around|some|nearly|almost|approximately|up to|at least)\s+)?"
_FIGURE = re.compile(
    _QUALIFIER + r"(?:(?:US|A|C)?\$|€|£)\s?\d[\d,]*(?:\.\d+)?(?:\s*(?:million|billion|trillion|bn)\b)?"
    r"|" + _QUALIFIER + r"\b\d[\d,]*(?:\.\d+)?(?:\s+(?:million|thousand))?\s+"
    r"(?:troops|soldiers|personnel|servicemen|service members|reservists|officers|countries|nations|"
    r"aircraft|fighter jets|jets|helicopters|warships|ships|vessels|submarines|tanks|armou?red vehicles|"
    r"vehicles|missiles|rockets|drones|sorties|battalions|brigades)\b",
    re.I,
)


def military_analysis(briefing: Briefing) -> Prose:
    country_name, iso2 = briefing.country_name, briefing.iso2
    events = ordered(briefing.events)
    military = [e for e in events if e.category == "military_activity"]
    policy = [e for e in events if e.category == "defense_policy"]
    conflict = [e for e in events if e.category == "armed_conflict"]
    paragraphs = []
    if not events:
        paragraphs.append(f"No security-relevant events involving {country_name} were found in this week's sources.")
    elif not military and not policy and not conflict:
        paragraphs.append(sentence(f"None of the week's {plural(len(events), 'event')} involving {country_name} is "
                                   "military activity, defence policy or armed conflict", cite_events(events[:3], per_event=1)))
    elif not military and not policy:
        paragraphs.append(sentence(f"None of the week's events involving {country_name} is an exercise, deployment or "
                                   "defence policy step; its military reporting is of armed conflict (below)",
                                   cite_events(conflict[:3], per_event=1)))
    if military:
        paragraphs.append(_military_paragraph(iso2, military))
    if policy:
        paragraphs.append(_policy_paragraph(iso2, policy))
    if military or policy:
        procurement = [e for e in military + policy if _PROCUREMENT.search(clean_inline(english_summary(e)))]
        if procurement:
            closing = [sentence(f"Procurement or delivery reporting appeared in {joined([quoted(e) for e in procurement[:3]])}",
                                cite_events(procurement[:3]))]
        else:
            closing = [sentence("None of the English summaries of these events mentions an acquisition, a procurement "
                                "contract or a delivery", cite_events((military + policy)[:3], per_event=1))]
        partners = by_partner(military + policy, iso2)
        if partners:
            names = joined([partner_name(code) for code, _ in partners[:4]])
            closing.append(
                sentence(
                    f"The countries and bodies this military and defence reporting names most are {names}",
                    cite_events([evs[0] for _, evs in partners[:4]], per_event=1),
                )
            )
        paragraphs.append(" ".join(closing))
    if conflict:
        peak = max(e.intensity for e in conflict)
        tolls = [e.fatalities for e in conflict if e.fatalities]
        among = "among them " if len(conflict) > 3 else ""
        text = (f"Armed conflict or terrorism accounts for {plural(len(conflict), 'event')} "
                f"({among}{joined([event_ref(e) for e in conflict[:3]])}), the most intense at {peak} of 5")
        if tolls:
            text += f"; the highest death toll reported in them is {max(tolls)}"
        paragraphs.append(sentence(text, cite_events(conflict[:3])))
    return Prose(paragraphs=paragraphs)


def _figures(text: str, limit: int = 4) -> list[str]:
    """The figures (troops, countries, money, equipment) `text` states, each once, at most `limit`."""
    found: list[str] = []
    for match in _FIGURE.finditer(clean_inline(text)):
        figure = match.group(0).strip()
        first, _, rest = figure.partition(" ")
        if first.lower() in _QUALIFIER_WORDS:
            figure = f"{first.lower()} {rest}"
        if figure.lower() not in [f.lower() for f in found]:
            found.append(figure)
    return found[:limit]


def _figures_sentence(events: Sequence[EventBrief], absent: str) -> str:
    """One sentence with the figures the summaries contain, or `absent` (citing the events it is
    about) when they give none."""
    found = [(ev, _figures(english_summary(ev))) for ev in events]
    found = [(ev, stated) for ev, stated in found if stated]
    if not found:
        return sentence(absent, cite_events(events[:3], per_event=1))
    if len(found) == 1:
        ev, stated = found[0]
        return sentence(f"Reported figures for {quoted(ev)} include {joined(stated)}", cite(ev.citations[:2]))
    parts = [f"{joined(stated)} for {quoted(ev)} {cite(ev.citations[:2])}" for ev, stated in found]
    return sentence(f"Reported figures include {joined(parts)}", "")


def _military_paragraph(iso2: str, military: list[EventBrief]) -> str:
    lead = military[0]
    partners = partner_names(lead, iso2)
    if len(military) == 1:
        text = f"The one military activity reported this week was {event_ref(lead)}"
    else:
        text = f"Military activity comprised {plural(len(military), 'reported event')}, the most significant being {event_ref(lead)}"
    if partners:
        text += f", whose reporting names {joined(partners)}"
    sentences = [sentence(text, cite(lead.citations[:3]))]
    parts = summary_sentences(english_summary(lead), limit=1)
    if parts:
        sentences.append(sentence(parts[0], cite(lead.citations[:2])))
    for ev in military[1:5]:
        names = partner_names(ev, iso2)
        extra = f", naming {joined(names)}" if names else ""
        sentences.append(sentence(f"Reporting also covered {event_ref(ev)}{extra}", cite(ev.citations[:2])))
    sentences.append(
        _figures_sentence(military[:5], "The English summaries of these events state no troop numbers, equipment counts or budgets")
    )
    return " ".join(sentences)


def _policy_paragraph(iso2: str, policy: list[EventBrief]) -> str:
    sentences = [
        sentence(
            f"Defence policy reporting covered {plural(len(policy), 'development')}, led by {event_ref(policy[0])}",
            cite(policy[0].citations[:3]),
        )
    ]
    parts = summary_sentences(english_summary(policy[0]), limit=1)
    if parts:
        sentences.append(sentence(parts[0], cite(policy[0].citations[:2])))
    for ev in policy[1:5]:
        names = partner_names(ev, iso2)
        who = f", naming {joined(names)}" if names else ""
        variants = [
            f"A further step{who} was reported in {event_ref(ev)}",
            f"Reporting also covered {event_ref(ev)}{who}",
        ]
        sentences.append(sentence(variants[stable_choice(ev.event_id, 2)], cite(ev.citations[:2])))
    sentences.append(
        _figures_sentence(policy[:5], "The English summaries of these policy steps state no budgets, force numbers or equipment quantities")
    )
    return " ".join(sentences)
