"""Schedules: poll the feeds hourly; after each week closes, build its articles, then each country.

All stopped by default, so a fresh `dagster dev` polls nothing unasked: switch them on in the UI
(Automation). A Dagster schedule targets one job, and the week's articles (weekly partitions) and
the countries (country x week) are two jobs, so the week is two schedules: the articles at Wednesday
02:00 UTC, the countries 30 minutes later. The country schedule also checks that the week's articles
were built by a successful run and skips the tick, saying why, when they were not.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import dagster as dg

from orchestration.jobs import country_week_job, poll_feeds_job, weekly_articles_job
from orchestration.partitions import country_partitions
from watchfloor.core.weeks import last_complete_week

poll_feeds_schedule = dg.ScheduleDefinition(
    name="poll_feeds_schedule",
    cron_schedule="0 * * * *",
    execution_timezone="UTC",
    job=poll_feeds_job,
    default_status=dg.DefaultScheduleStatus.STOPPED,
    description="Poll every configured feed at the top of each hour.",
)


def _closed_week(context: dg.ScheduleEvaluationContext) -> date:
    """The week that closed before this tick (the same rule as `watchfloor run` without --week)."""
    return last_complete_week(context.scheduled_execution_time or datetime.now(UTC))


@dg.schedule(
    name="weekly_articles_schedule",
    cron_schedule="0 2 * * 3",
    execution_timezone="UTC",
    job=weekly_articles_job,
    default_status=dg.DefaultScheduleStatus.STOPPED,
    description="Wednesday 02:00 UTC: build the articles of the week that closed at 00:00.",
)
def weekly_articles_schedule(context: dg.ScheduleEvaluationContext):
    week = _closed_week(context).isoformat()
    yield dg.RunRequest(run_key=f"weekly_articles:{week}", partition_key=week)


@dg.schedule(
    name="country_week_schedule",
    cron_schedule="30 2 * * 3",
    execution_timezone="UTC",
    job=country_week_job,
    default_status=dg.DefaultScheduleStatus.STOPPED,
    description=(
        "Wednesday 02:30 UTC: build each monitored country's events and report for the week that closed, "
        "once its articles are built (30 minutes after weekly_articles_schedule)."
    ),
)
def country_week_schedule(context: dg.ScheduleEvaluationContext):
    week = _closed_week(context).isoformat()
    missing = _articles_not_ready(context.instance, week)
    if missing:
        yield dg.SkipReason(missing)
        return
    for country in country_partitions.get_partition_keys():
        key = dg.MultiPartitionKey({"country": country, "week": week})
        yield dg.RunRequest(run_key=f"country_week:{key}", partition_key=key)


def _articles_not_ready(instance: dg.DagsterInstance, week: str) -> str | None:
    """Why the countries of `week` cannot be built yet, or None when its articles come from a successful run."""
    records = instance.fetch_materializations(
        dg.AssetRecordsFilter(asset_key=dg.AssetKey("articles"), asset_partitions=[week]), limit=1
    ).records
    run = instance.get_run_by_id(records[0].run_id) if records else None
    if run is not None and run.status == dg.DagsterRunStatus.SUCCESS:
        return None
    state = "has not been built" if run is None else f"comes from run {run.run_id[:8]}, which is {run.status.value}, not SUCCESS"
    return (f"articles [{week}] {state}: the countries wait for it. Catch up with "
            f"`watchfloor run --no-fetch --week {week}` or launch the partition in the UI.")


SCHEDULES = [poll_feeds_schedule, weekly_articles_schedule, country_week_schedule]
