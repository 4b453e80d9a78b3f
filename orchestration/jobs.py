"""Jobs: polling the feeds, building a week's articles, and building a country's week."""

from __future__ import annotations

import dagster as dg

from orchestration.partitions import country_week_partitions, weekly_partitions

poll_feeds_job = dg.define_asset_job(
    "poll_feeds",
    selection=dg.AssetSelection.assets("raw_feeds"),
    tags={"watchfloor/stage": "poll"},  # the production instance runs one poll at a time
    description="Poll every configured feed once and archive what came back.",
)

weekly_articles_job = dg.define_asset_job(
    "weekly_articles",
    selection=dg.AssetSelection.assets("articles"),
    partitions_def=weekly_partitions,
    description="Build one reporting week's articles from the archive.",
)

country_week_job = dg.define_asset_job(
    "country_week",
    selection=dg.AssetSelection.all() - dg.AssetSelection.assets("raw_feeds", "articles"),
    partitions_def=country_week_partitions,
    description="Build one country's week from its articles: events and every stage after them.",
)
