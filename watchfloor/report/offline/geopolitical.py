"""The offline Geopolitical Impact: the partners involved, then the categories two per paragraph, each
with a judgement; every event is cited here, so no annex entry goes unused."""

from __future__ import annotations

from watchfloor.core.taxonomy import heading
from watchfloor.report.citations import cite
from watchfloor.report.model import Briefing, EventBrief, Prose
from watchfloor.report.offline.grouping import COOPERATIVE, by_category, by_partner, hostile_groups
from watchfloor.report.offline.partners import partner_codes, partner_name
from watchfloor.report.offline.templates import CATEGORY_OPENERS, JUDGEMENTS, PARTNER_TEMPLATES
from watchfloor.report.rules.annex import ordered
from watchfloor.report.wording import (
    capitalised,
    category_label,
    cite_events,
    event_ref,
    joined,
    number_word,
    place_date,
    plural,
    quoted,
    sentence,
)


def geopolitical_impact(briefing: Briefing) -> Prose:
    events = ordered(briefing.events)
    if not events:
        return Prose(paragraphs=[f"No security-relevant reporting on {briefing.country_name} was found for this week."])
    paragraphs = [_partner_paragraph(briefing.country_name, briefing.iso2, events)]
    paragraphs.extend(_category_paragraphs(briefing.country_name, events))
    return Prose(paragraphs=paragraphs)


def _partner_sentence(country_name: str, code: str, evs: list[EventBrief]) -> str:
    name = partner_name(code)
    groups = by_category(evs)
    if len(groups) == 1:
        template = PARTNER_TEMPLATES.get(groups[0][0], "Reporting involving {p} included {e}")
        text = template.format(p=name, P=capitalised(name), c=country_name, e=joined([event_ref(e) for e in evs[:2]]))
        return sentence(text, cite_events(evs[:2]))
    strands = [f"{category_label(c)} ({quoted(group[0])}, {place_date(group[0])})" for c, group in groups[:3]]
    among = ", among them" if len(groups) > len(strands) else ","
    text = f"{capitalised(name)} featured in {number_word(len(groups))} strands of reporting{among} {joined(strands)}"
    if hostile_groups(groups) and any(c in COOPERATIVE for c, _ in groups):
        text += f", a mix of cooperation and hostile activity that {country_name} has to balance"
    return sentence(text, cite_events([g[0] for _, g in groups[:3]]))


def _partner_paragraph(country_name: str, iso2: str, events: list[EventBrief]) -> str:
    partners = by_partner(events, iso2)
    if not partners:
        return sentence(
            f"No foreign partner was named in this week's events, which concern {country_name}'s own security "
            "picture",
            cite_events(events[:3]),
        )
    top = partners[:3]
    counts = [f"{partner_name(code)} ({plural(len(evs), 'event')})" for code, evs in top]
    sentences = [
        sentence(
            f"This week's reporting ties {country_name}'s security agenda to {plural(len(partners), 'foreign partner')}, "
            f"most prominently {joined(counts)}",
            cite_events([evs[0] for _, evs in top], per_event=1),
        )
    ]
    for code, evs in partners[:4]:
        sentences.append(_partner_sentence(country_name, code, evs))
    categories = {e.category for e in events if partner_codes(e, iso2)}
    if len(partners) >= 3:
        sentences.append(
            sentence(
                f"Engagement with {plural(len(partners), 'partner')} across "
                f"{plural(len(categories), 'category', 'categories')} points to a deliberate spread of external ties "
                "rather than reliance on a single patron",
                cite_events([evs[0] for _, evs in partners[:4]], per_event=1),
            )
        )
    elif len(partners) == 1:
        sentences.append(
            sentence(
                f"The concentration on {partner_name(partners[0][0])} suggests the week's external agenda rests on a "
                "single relationship",
                cite_events(partners[0][1][:2], per_event=1),
            )
        )
    return " ".join(sentences)


def _category_paragraphs(country_name: str, events: list[EventBrief]) -> list[str]:
    total = len(events)
    groups = by_category(events)
    blocks: list[list[str]] = []
    for i, (category, evs) in enumerate(groups):
        template = CATEGORY_OPENERS[i % len(CATEGORY_OPENERS)]
        text = template.format(h=heading(category), n=len(evs), total=total, e=event_ref(evs[0]))
        sentences = [sentence(text, cite(evs[0].citations))]
        rest = evs[1:]
        if rest:
            listed = [f"{event_ref(e)} {cite(e.citations)}" for e in rest[:4]]
            tail = rest[4:]
            text = f"Further {category_label(category)} reporting covered {joined(listed)}"
            if tail:
                text += f", and {plural(len(tail), 'more item')}"
            sentences.append(sentence(text, cite(n for e in tail for n in e.citations)))
        strong, weak = JUDGEMENTS.get(category, ("This reporting adds to the week's picture",) * 2)
        judgement = strong if max(e.intensity for e in evs) >= 3 else weak
        sentences.append(sentence(judgement.format(c=country_name), cite_events(evs[:2], per_event=1)))
        blocks.append(sentences)
    hostile = hostile_groups(groups)
    if hostile:
        names = joined([heading(c) for c, _ in hostile])
        share = sum(len(evs) for _, evs in hostile)
        peak = max(e.intensity for _, evs in hostile for e in evs)
        if peak >= 4 or share * 2 >= total:
            text = f"Hostile or adversarial activity ({names}, {share} of {total} events) dominates the week's risk picture"
        else:
            text = (
                f"Hostile or adversarial activity ({names}, {share} of {total} events) is the main risk factor in an "
                "otherwise cooperative picture"
            )
        closing = sentence(text, cite_events([evs[0] for _, evs in hostile]))
    else:
        closing = sentence(
            "No hostile activity of intensity 3 or more was reported, and the week's events were predominantly "
            "cooperative, which supports a stable external posture",
            cite_events(events[:3], per_event=1),
        )
    blocks[-1].append(closing)
    return [" ".join(a + b) for a, b in zip(blocks[::2], blocks[1::2] + [[]], strict=False)]
