"""Reporting weeks: Wednesday 00:00 UTC to the next Wednesday, keyed by the start date."""

from __future__ import annotations

import os
from datetime import UTC, date, datetime, time, timedelta

WEEK_START_WEEKDAY = 2  # Monday is 0: weeks start on Wednesday, like the reference report
DEFAULT_FIRST_WEEK = "2025-01-01"


class WeekError(ValueError):
    pass


def week_containing(day: date) -> date:
    return day - timedelta(days=(day.weekday() - WEEK_START_WEEKDAY) % 7)


def week_bounds(week: date) -> tuple[datetime, datetime]:
    start = datetime.combine(week, time(), tzinfo=UTC)
    return start, start + timedelta(days=7)


def last_complete_week(now: datetime | None = None) -> date:
    now = now or datetime.now(UTC)
    return week_containing(now.astimezone(UTC).date()) - timedelta(days=7)


def parse_week(text: str) -> date:
    """A partition key: a Wednesday. Any other date is refused, naming the week that contains it."""
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise WeekError(f"{text!r} is not a date: give the week's start as YYYY-MM-DD (a Wednesday)") from None
    start = week_containing(day)
    if start != day:
        raise WeekError(
            f"{day} is a {day:%A}, not the start of a reporting week: it falls in the week starting "
            f"{start} (Wednesday); use --week {start}"
        )
    return day


def first_week() -> date:
    configured = os.environ.get("WATCHFLOOR_FIRST_WEEK") or DEFAULT_FIRST_WEEK
    try:
        return parse_week(configured)
    except WeekError as exc:
        raise WeekError(f"WATCHFLOOR_FIRST_WEEK: {exc}") from None


def weeks_between(first: date, last: date) -> list[date]:
    return [first + timedelta(days=7 * i) for i in range((last - first).days // 7 + 1)]
