"""Jobs: polling the feeds, and building a reporting week from the archive."""

from __future__ import annotations

import dagster as dg

from orchestration.partitions import weekly_partitions

poll_feeds_job = dg.define_asset_job(
    "poll_feeds",
    selection=dg.AssetSelection.assets("raw_feeds"),
    description="Poll every configured feed once and archive what came back.",
)

weekly_job = dg.define_asset_job(
    "weekly_assessment",
    selection=dg.AssetSelection.all() - dg.AssetSelection.assets("raw_feeds"),
    partitions_def=weekly_partitions,
    description="Build one reporting week from the archive: articles and every stage after them.",
)
