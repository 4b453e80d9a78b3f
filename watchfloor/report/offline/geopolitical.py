"""The offline Geopolitical Impact: the partners involved, then the categories two per paragraph, each
with a judgement; every event is cited here, so no annex entry goes unused."""

from __future__ import annotations

from watchfloor.core.taxonomy import heading
from watchfloor.report.citations import cite
from watchfloor.report.model import Briefing, EventBrief, Prose
from watchfloor.report.offline.grouping import COOPERATIVE, HOSTILE, HOSTILE_MIN_INTENSITY, by_category, by_partner
from watchfloor.report.offline.partners import partner_codes, partner_name
from watchfloor.report.offline.templates import CATEGORY_OPENERS, JUDGEMENT_MAIN, JUDGEMENT_MINOR
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
        text = (f"{capitalised(name)} is named in {country_name}'s {category_label(groups[0][0])} reporting, notably "
                f"{joined([event_ref(e) for e in evs[:2]])}")
        return sentence(text, cite_events(evs[:2]))
    strands = [f"{category_label(c)} ({quoted(group[0])}, {place_date(group[0])})" for c, group in groups[:3]]
    among = ", among them" if len(groups) > len(strands) else ","
    text = f"{capitalised(name)} is named in {number_word(len(groups))} categories of reporting{among} {joined(strands)}"
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
            f"The week's events involving {country_name} name {plural(len(partners), 'foreign country or body', 'foreign countries or bodies')}, "
            f"most prominently {joined(counts)}",
            cite_events([evs[0] for _, evs in top], per_event=1),
        )
    ]
    for code, evs in partners[:4]:
        sentences.append(_partner_sentence(country_name, code, evs))
    categories = {e.category for e in events if partner_codes(e, iso2)}
    if len(partners) == 1:
        sentences.append(sentence(f"{capitalised(partner_name(partners[0][0]))} is the only foreign country or body "
                                  "named in the week's events", cite_events(partners[0][1][:2], per_event=1)))
    else:
        sentences.append(sentence(f"The {len(partners)} countries and bodies named appear across "
                                  f"{plural(len(categories), 'category', 'categories')} of events",
                                  cite_events([evs[0] for _, evs in partners[:4]], per_event=1)))
    return " ".join(sentences)


def balance_sentence(events: list[EventBrief]) -> str:
    """The week's balance by a stated rule: hostile events (armed conflict, internal, border, cyber),
    cooperative ones (diplomacy, defence policy) and the rest counted, with the peak intensity; the
    larger share, when it is more than half, characterises the week."""
    total = len(events)
    hostile = [e for e in events if e.category in HOSTILE]
    cooperative = [e for e in events if e.category in COOPERATIVE]
    other = total - len(hostile) - len(cooperative)
    counts = (f"Of the week's {total} events, {len(hostile)} were hostile (armed conflict, internal, border or cyber "
              f"security), {len(cooperative)} cooperative (diplomacy or defence policy) and {other} of other kinds, "
              f"the most intense at {max(e.intensity for e in events)} of 5")
    if len(hostile) * 2 > total:
        counts += ": hostile activity made up most of the week"
    elif len(cooperative) * 2 > total:
        counts += ": cooperative engagement made up most of the week"
    return sentence(counts, cite_events((hostile or cooperative or events)[:3], per_event=1))


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
        peak = max(e.intensity for e in evs)
        judgement = JUDGEMENT_MAIN if peak >= HOSTILE_MIN_INTENSITY else JUDGEMENT_MINOR
        sentences.append(sentence(judgement.format(n=len(evs), total=total, peak=peak, label=category_label(category)),
                                  cite_events(evs[:2], per_event=1)))
        blocks.append(sentences)
    blocks[-1].append(balance_sentence(events))
    return [" ".join(a + b) for a, b in zip(blocks[::2], blocks[1::2] + [[]], strict=False)]
