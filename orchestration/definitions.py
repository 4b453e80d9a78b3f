"""The Dagster code location: assets, checks, jobs and resources, wired from the environment."""

from __future__ import annotations

import os

import dagster as dg

from assets import articles, assessment, events, ingestion, sections
from orchestration.jobs import country_week_job, poll_feeds_job, weekly_articles_job
from orchestration.schedules import SCHEDULES
from orchestration.sensors import threat_and_feed_alerts
from resources.feeds import FeedClientResource
from resources.gazetteer import GazetteerResource
from resources.lake import LakeResource
from resources.llm import LLMResource
from watchfloor.core import config

STAGES = [ingestion, articles, events, sections, assessment]


def llm_from_environment() -> LLMResource:
    """The key stays an EnvVar: Dagster resolves it at run time and shows only its name."""
    return LLMResource(
        api_key=dg.EnvVar("OPENAI_API_KEY") if os.environ.get("OPENAI_API_KEY") else None,
        base_url=os.environ.get("OPENAI_BASE_URL") or None,
        model=os.environ.get("WATCHFLOOR_LLM_MODEL") or "gpt-4o-mini",
    )


defs = dg.Definitions(
    assets=dg.load_assets_from_modules(STAGES),
    asset_checks=dg.load_asset_checks_from_modules(STAGES),
    jobs=[poll_feeds_job, weekly_articles_job, country_week_job],
    schedules=SCHEDULES,
    sensors=[threat_and_feed_alerts],
    resources={
        "lake": LakeResource(data_dir=str(config.data_dir())),
        "feed_client": FeedClientResource(feeds_file=str(config.feeds_file())),
        "gazetteer": GazetteerResource(),
        "llm": llm_from_environment(),
    },
)
