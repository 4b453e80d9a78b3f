"""The Dagster code location: assets, checks, jobs and resources, wired from the environment.

`definitions` is a `@dg.definitions` function, so the environment (data folder, feeds file,
countries, first week, LLM settings) is read each time Dagster or the `watchfloor` command loads
the code location, not when this module is imported.
"""

from __future__ import annotations

import os

import dagster as dg

from assets import articles, assessment, events, sections
from assets.ingestion import raw_feeds
from assets.partitions import Partitions
from orchestration.executors import executor_from_environment
from orchestration.jobs import country_week_job, poll_feeds_job, weekly_articles_job
from orchestration.schedules import SCHEDULES
from orchestration.sensors import threat_and_feed_alerts
from resources.feeds import FeedClientResource
from resources.gazetteer import GazetteerResource
from resources.lake import LakeResource
from resources.llm import LLMResource
from watchfloor.core import config


def llm_from_environment() -> LLMResource:
    """The key stays an EnvVar: Dagster resolves it at run time and shows only its name."""
    return LLMResource(
        api_key=dg.EnvVar("OPENAI_API_KEY") if os.environ.get("OPENAI_API_KEY") else None,
        base_url=os.environ.get("OPENAI_BASE_URL") or None,
        model=os.environ.get("WATCHFLOOR_LLM_MODEL") or "gpt-4o-mini",
        temperature=config.env_number("WATCHFLOOR_LLM_TEMPERATURE", float, 0.0),
        seed=config.env_number("WATCHFLOOR_LLM_SEED", int, 0),
        timeout_s=config.env_number("WATCHFLOOR_LLM_TIMEOUT", float, None, minimum=1),
    )


@dg.definitions
def definitions() -> dg.Definitions:
    partitions = Partitions.from_environment()
    llm = llm_from_environment()
    stages = [
        raw_feeds,
        *articles.stage(partitions),
        *events.stage(partitions),
        *sections.stage(partitions, llm_configured=llm.api_key is not None),
        *assessment.stage(partitions),
    ]
    checks = [d for d in stages if isinstance(d, dg.AssetChecksDefinition)]
    assets = [d for d in stages if not isinstance(d, dg.AssetChecksDefinition)]
    return dg.Definitions(
        assets=dg.with_source_code_references(assets),  # the UI links each asset to the function computing it
        asset_checks=checks,
        jobs=[poll_feeds_job, weekly_articles_job, country_week_job],
        executor=executor_from_environment(),  # WATCHFLOOR_EXECUTOR: multiprocess (default) or celery
        schedules=SCHEDULES,
        sensors=[threat_and_feed_alerts],
        resources={
            "lake": LakeResource(data_dir=str(config.data_dir())),
            "feed_client": FeedClientResource(feeds_file=str(config.feeds_file())),
            "gazetteer": GazetteerResource(),
            "llm": llm,
        },
    )
