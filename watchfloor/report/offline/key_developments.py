"""The offline Key Security Developments: one entry per significant event, with date, place, partners and sourcing."""

from __future__ import annotations

from collections.abc import Sequence

from watchfloor.report.citations import cite
from watchfloor.report.dates import prose_date
from watchfloor.report.model import Briefing, EventBrief, KeyDevelopment, KeyDevelopments
from watchfloor.report.offline.partners import partner_names
from watchfloor.report.offline.templates import GENERIC_OPENER, OPENERS
from watchfloor.report.rules.annex import independent_sources, ordered
from watchfloor.report.wording import (
    comparison_key, english_summary, in_place, joined, sentence, stable_choice, title_of,
)  # fmt: skip
from watchfloor.text.anatomy import summary_sentences
from watchfloor.text.language import language_name

KEY_DEVELOPMENTS_MIN = 8  # at least this many key developments (when there are as many events)
KEY_DEVELOPMENT_MIN_INTENSITY = 2  # every event this intense is a key development


def significant_events(events: Sequence[EventBrief]) -> list[EventBrief]:
    """Every event of intensity >= 2, and at least the top KEY_DEVELOPMENTS_MIN events."""
    events = ordered(events)
    n_significant = sum(1 for e in events if e.intensity >= KEY_DEVELOPMENT_MIN_INTENSITY)
    return events[: max(KEY_DEVELOPMENTS_MIN, n_significant)]


def _opener(ev: EventBrief, country_name: str) -> str:
    variants = OPENERS.get(ev.category, GENERIC_OPENER)
    template = variants[stable_choice(ev.event_id, len(variants))]
    return f"On {prose_date(ev.event_date)}, " + template.format(c=country_name, where=in_place(ev))


def _sourcing_sentence(ev: EventBrief) -> str:
    n = independent_sources(ev)
    cites = cite(ev.citations)
    if n >= 2:
        return sentence(f"This is reported by {n} independent sources", cites)
    return sentence("This rests on a single source so far", cites)


def development_text(ev: EventBrief, country_name: str, iso2: str) -> str:
    """2-4 sentences: date and place; the summary's first sentences (or, for a report in another
    language, that it is one); the countries and bodies the reporting names, unless the summary
    already does; the sourcing."""
    first = cite(ev.citations[:3])
    headline = comparison_key(ev.headline)
    facts = [sentence(part, first) for part in summary_sentences(english_summary(ev))
             if comparison_key(part) != headline]
    if not ev.in_english:
        facts = [sentence(f"The reporting is in {language_name(ev.headline_language)}; its original title is listed "
                          "in the annex", first)]
    names = [n for n in partner_names(ev, iso2) if n.removeprefix("the ") not in " ".join(facts)]
    named = [sentence(f"The reporting also names {joined(names)}", first)] if names else []
    opener = [sentence(_opener(ev, country_name), first)]
    return " ".join(opener + facts[: 2 - len(named)] + named + [_sourcing_sentence(ev)])


def key_developments(briefing: Briefing) -> KeyDevelopments:
    items = [
        KeyDevelopment(
            category=ev.category,
            title=title_of(ev),
            text=development_text(ev, briefing.country_name, briefing.iso2),
            source_count=independent_sources(ev),
            event_ids=[ev.event_id],
        )
        for ev in significant_events(briefing.events)
    ]
    return KeyDevelopments(items=items)
