"""The partitions, declared once: reporting weeks (Wednesday 00:00 UTC) and the monitored countries.

Both come from the environment (WATCHFLOOR_FIRST_WEEK, WATCHFLOOR_COUNTRIES), so they are built when
the definitions load, not when this module is imported, and handed to the stages that use them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import dagster as dg

from watchfloor.core.config import monitored_countries
from watchfloor.core.weeks import first_week

# A country-week stage reads the whole week of an upstream asset that is not partitioned by country.
WEEK_OF_COUNTRY_WEEK = dg.MultiToSingleDimensionPartitionMapping(partition_dimension_name="week")


@dataclass(frozen=True)
class Partitions:
    weekly: dg.WeeklyPartitionsDefinition
    countries: dg.StaticPartitionsDefinition
    country_week: dg.MultiPartitionsDefinition

    @classmethod
    def from_environment(cls) -> Partitions:
        weekly = dg.WeeklyPartitionsDefinition(
            start_date=first_week().isoformat(),
            day_offset=3,  # Dagster counts from Sunday = 0: weeks start on Wednesday
            timezone="UTC",
            fmt="%Y-%m-%d",
        )
        countries = dg.StaticPartitionsDefinition(list(monitored_countries()))
        # Keys read "MN|2026-06-24": Dagster orders the dimensions by name (country, week).
        return cls(weekly, countries, dg.MultiPartitionsDefinition({"country": countries, "week": weekly}))


def country_weeks(context: dg.AssetExecutionContext | dg.AssetCheckExecutionContext) -> list[tuple[str, date]]:
    """The (country, week) pairs of this run: one partition, or a whole backfill range at once."""
    keys = [key.keys_by_dimension for key in context.partition_keys]  # MultiPartitionKeys
    return sorted((key["country"], date.fromisoformat(key["week"])) for key in keys)
