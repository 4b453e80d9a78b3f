"""The offline Military and Defense Analysis: activity, policy steps, the figures the summaries give, procurement."""

from __future__ import annotations

import re
from collections.abc import Sequence

from watchfloor.report.citations import cite
from watchfloor.report.model import Briefing, EventBrief, Prose
from watchfloor.report.offline.grouping import by_partner
from watchfloor.report.offline.partners import partner_name, partner_names
from watchfloor.report.rules.annex import ordered
from watchfloor.report.wording import cite_events, event_ref, joined, plural, quoted, sentence, stable_choice
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
    if not military and not policy:
        paragraphs.append(
            f"No military activity or defence policy development involving {country_name} was reported in this "
            "week's sources."
        )
    if military:
        paragraphs.append(_military_paragraph(iso2, military))
    if policy:
        paragraphs.append(_policy_paragraph(iso2, policy))
    if military or policy:
        procurement = [e for e in military + policy if _PROCUREMENT.search(clean_inline(e.summary))]
        if procurement:
            closing = [sentence(f"Procurement or delivery reporting appeared in {joined([quoted(e) for e in procurement[:3]])}",
                                cite_events(procurement[:3]))]
        else:
            closing = ["No arms acquisitions, procurement contracts or deliveries were reported this week."]
        partners = by_partner(military + policy, iso2)
        if partners:
            names = joined([partner_name(code) for code, _ in partners[:4]])
            focus = "training and exercises" if len(military) >= len(policy) else "agreements and policy"
            closing.append(
                sentence(
                    f"Taken together, {country_name}'s defence effort this week centred on {focus}, with {names} as "
                    "the main counterparts",
                    cite_events([evs[0] for _, evs in partners[:4]], per_event=1),
                )
            )
        paragraphs.append(" ".join(closing))
    if conflict:
        paragraphs.append(
            sentence(
                f"Beyond planned activity, {plural(len(conflict), 'armed conflict or terrorism event')} "
                f"({joined([event_ref(e) for e in conflict[:3]])}) point to an operational rather than exercise-driven "
                "security posture",
                cite_events(conflict[:3]),
            )
        )
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
    """One sentence with the figures the summaries contain, or `absent` when they give none."""
    found = [(ev, _figures(ev.summary)) for ev in events]
    found = [(ev, stated) for ev, stated in found if stated]
    if not found:
        return absent
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
        text += f", involving {joined(partners)}"
    sentences = [sentence(text, cite(lead.citations[:3]))]
    parts = summary_sentences(lead.summary, limit=1)
    if parts:
        sentences.append(sentence(parts[0], cite(lead.citations[:2])))
    for ev in military[1:5]:
        names = partner_names(ev, iso2)
        extra = f" with {joined(names)}" if names else ""
        sentences.append(sentence(f"Reporting also covered {event_ref(ev)}{extra}", cite(ev.citations[:2])))
    sentences.append(
        _figures_sentence(military[:5], "No troop numbers, equipment counts or budgets were reported for these activities.")
    )
    return " ".join(sentences)


def _policy_paragraph(iso2: str, policy: list[EventBrief]) -> str:
    sentences = [
        sentence(
            f"Defence policy reporting covered {plural(len(policy), 'development')}, led by {event_ref(policy[0])}",
            cite(policy[0].citations[:3]),
        )
    ]
    parts = summary_sentences(policy[0].summary, limit=1)
    if parts:
        sentences.append(sentence(parts[0], cite(policy[0].citations[:2])))
    for ev in policy[1:5]:
        names = partner_names(ev, iso2)
        who = f" with {joined(names)}" if names else ""
        variants = [
            f"A further step{who} was reported in {event_ref(ev)}",
            f"Reporting also covered {event_ref(ev)}{who}",
        ]
        sentences.append(sentence(variants[stable_choice(ev.event_id, 2)], cite(ev.citations[:2])))
    sentences.append(
        _figures_sentence(policy[:5], "No budgets, force numbers or equipment quantities were reported for these policy steps.")
    )
    return " ".join(sentences)
