"""The partitions, declared once: reporting weeks (Wednesday 00:00 UTC) keyed by their start date."""

from __future__ import annotations

import dagster as dg

from watchfloor.weeks import first_week

weekly_partitions = dg.WeeklyPartitionsDefinition(
    start_date=first_week().isoformat(),
    day_offset=3,  # Dagster counts from Sunday = 0: weeks start on Wednesday
    timezone="UTC",
    fmt="%Y-%m-%d",
)
