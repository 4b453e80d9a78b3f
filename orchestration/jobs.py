"""Jobs: polling the feeds, building a week's articles, and building a country's week.

A job's partitions are those of the assets it selects (weekly; country x week), resolved when the
definitions load.
"""

from __future__ import annotations

import dagster as dg

poll_feeds_job = dg.define_asset_job(
    "poll_feeds",
    selection=dg.AssetSelection.assets("raw_feeds"),
    tags={"watchfloor/stage": "poll"},  # the production instance runs one poll at a time
    description="Poll every configured feed once and archive what came back.",
)

weekly_articles_job = dg.define_asset_job(
    "weekly_articles",
    selection=dg.AssetSelection.assets("articles"),
    description="Build one reporting week's articles from the archive.",
)

country_week_job = dg.define_asset_job(
    "country_week",
    selection=dg.AssetSelection.all() - dg.AssetSelection.assets("raw_feeds", "articles"),
    description="Build one country's week from its articles: events and every stage after them.",
)
