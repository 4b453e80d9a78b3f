"""Change since last week: this week's threat level and event count against the week before's."""

from __future__ import annotations

from watchfloor.report.model import THREAT_LEVELS, StructuredAssessment
from watchfloor.report.wording import plural


def level_change(level: str, previous: StructuredAssessment | None) -> str | None:
    """"up from Moderate last week" / "unchanged from last week" / "down from High last week" / None."""
    if previous is None:
        return None
    before = previous.threat_level
    if before == level:
        return "unchanged from last week"
    if level not in THREAT_LEVELS or before not in THREAT_LEVELS:
        return f"{before} last week"
    direction = "up" if THREAT_LEVELS.index(level) > THREAT_LEVELS.index(before) else "down"
    return f"{direction} from {before} last week"


def change_since_last_week(
    level: str, n_events: int, previous: StructuredAssessment | None, previous_event_count: int | None
) -> str:
    """One line for the notes: the threat level and the event count against last week's."""
    change = level_change(level, previous)
    if change is None and previous_event_count is None:
        return "Change since last week: no assessment of the previous week is available for comparison."
    parts = [f"threat level {level}" + (f", {change}" if change else "")]
    if previous_event_count is not None:
        parts.append(f"{plural(n_events, 'event')} this week against {previous_event_count} the week before")
    return "Change since last week: " + "; ".join(parts) + "."
