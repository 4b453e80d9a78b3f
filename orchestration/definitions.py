"""The Dagster code location: assets, checks, jobs and resources, wired from the environment."""

from __future__ import annotations

import dagster as dg

from assets import articles, events, ingestion
from orchestration.jobs import country_week_job, poll_feeds_job, weekly_articles_job
from resources.feeds import FeedClientResource
from resources.gazetteer import GazetteerResource
from resources.lake import LakeResource
from watchfloor import config

STAGES = [ingestion, articles, events]

defs = dg.Definitions(
    assets=dg.load_assets_from_modules(STAGES),
    asset_checks=dg.load_asset_checks_from_modules(STAGES),
    jobs=[poll_feeds_job, weekly_articles_job, country_week_job],
    resources={
        "lake": LakeResource(data_dir=str(config.data_dir())),
        "feed_client": FeedClientResource(feeds_file=str(config.feeds_file())),
        "gazetteer": GazetteerResource(),
    },
)
