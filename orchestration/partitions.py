"""The partitions, declared once: reporting weeks (Wednesday 00:00 UTC) and monitored countries."""

from __future__ import annotations

import dagster as dg

from watchfloor.core.config import monitored_countries
from watchfloor.core.weeks import first_week

weekly_partitions = dg.WeeklyPartitionsDefinition(
    start_date=first_week().isoformat(),
    day_offset=3,  # Dagster counts from Sunday = 0: weeks start on Wednesday
    timezone="UTC",
    fmt="%Y-%m-%d",
)

country_partitions = dg.StaticPartitionsDefinition(list(monitored_countries()))

# Keys read "MN|2026-06-24": Dagster orders the dimensions by name (country, week).
country_week_partitions = dg.MultiPartitionsDefinition({"country": country_partitions, "week": weekly_partitions})

# A country-week stage reads the whole week of an unpartitioned-by-country upstream asset.
week_of_country_week = dg.MultiToSingleDimensionPartitionMapping(partition_dimension_name="week")
