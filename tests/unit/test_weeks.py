from datetime import UTC, date, datetime

import pytest

from assets.partitions import Partitions
from watchfloor.core.weeks import WeekError, last_complete_week, parse_week, week_bounds, week_containing


def test_weeks_start_on_wednesday_like_the_reference_report():
    assert week_containing(date(2026, 6, 24)) == date(2026, 6, 24)
    assert week_containing(date(2026, 6, 30)) == date(2026, 6, 24)
    assert week_containing(date(2026, 7, 1)) == date(2026, 7, 1)
    start, end = week_bounds(date(2026, 6, 24))
    assert (start, end) == (datetime(2026, 6, 24, tzinfo=UTC), datetime(2026, 7, 1, tzinfo=UTC))


def test_a_date_that_is_not_a_week_start_names_its_week():
    assert parse_week("2026-06-24") == date(2026, 6, 24)
    with pytest.raises(WeekError, match="2026-06-26 is a Friday.*week starting 2026-06-24.*--week 2026-06-24"):
        parse_week("2026-06-26")
    with pytest.raises(WeekError, match="not a date"):
        parse_week("last week")


def test_last_complete_week_matches_the_dagster_partitions():
    assert last_complete_week(datetime(2026, 7, 1, 0, 0, tzinfo=UTC)) == date(2026, 6, 24)
    assert last_complete_week(datetime(2026, 6, 30, 23, 59, tzinfo=UTC)) == date(2026, 6, 17)
    keys = Partitions.from_environment().weekly.get_partition_keys(current_time=datetime(2026, 7, 1, 0, 1, tzinfo=UTC))
    assert keys[0] == "2025-01-01" and keys[-1] == "2026-06-24"
