"""The intelligence-gaps note: where this week's coverage is thin."""

from __future__ import annotations

from collections.abc import Sequence

from watchfloor.core.taxonomy import CATEGORIES, heading
from watchfloor.report.model import EventBrief
from watchfloor.report.rules.annex import independent_sources, ordered
from watchfloor.report.wording import joined, plural, quoted


def intelligence_gaps(events: Sequence[EventBrief]) -> str:
    """One line on thin coverage: events resting on a single source, categories with no reporting."""
    events = ordered(events)
    single = [e for e in events if independent_sources(e) <= 1]
    present = {e.category for e in events}
    missing = [heading(c) for c in CATEGORIES if c not in present]
    parts = []
    if not events:
        return "Intelligence gaps: no event was found this week; every category lacks reporting."
    if single:
        named = joined([quoted(e) for e in single[:3]] + ([f"{len(single) - 3} more"] if len(single) > 3 else []))
        parts.append(f"{len(single)} of {plural(len(events), 'event')} rest on a single source ({named})")
    else:
        parts.append(f"every one of the {plural(len(events), 'event')} is carried by two or more independent sources")
    if missing:
        parts.append(f"no reporting this week on {joined(missing)}")
    return "Intelligence gaps: " + "; ".join(parts) + "."
