"""Schedules: poll the feeds hourly; after each week closes, build its articles, then each country.

All stopped by default, so a fresh `dagster dev` polls nothing unasked: switch them on in the UI
(Automation). A Dagster schedule targets one job, and the week's articles (weekly partitions) and
the countries (country x week) are two jobs, so the week is two schedules, each built from its
partitioned job: on Wednesdays, at the hour given here, it requests the latest complete week, the
one that closed at 00:00 UTC; for the countries, one run per monitored country. The countries
start 30 minutes after the articles, which they read.
"""

from __future__ import annotations

import dagster as dg

from orchestration.jobs import country_week_job, poll_feeds_job, weekly_articles_job

poll_feeds_schedule = dg.ScheduleDefinition(
    name="poll_feeds_schedule",
    cron_schedule="0 * * * *",
    execution_timezone="UTC",
    job=poll_feeds_job,
    default_status=dg.DefaultScheduleStatus.STOPPED,
    description="Poll every configured feed at the top of each hour.",
)

weekly_articles_schedule = dg.build_schedule_from_partitioned_job(
    weekly_articles_job,
    name="weekly_articles_schedule",
    hour_of_day=2,
    minute_of_hour=0,
    default_status=dg.DefaultScheduleStatus.STOPPED,
    description="Wednesday 02:00 UTC: build the articles of the week that closed at 00:00.",
)

country_week_schedule = dg.build_schedule_from_partitioned_job(
    country_week_job,
    name="country_week_schedule",
    hour_of_day=2,
    minute_of_hour=30,
    default_status=dg.DefaultScheduleStatus.STOPPED,
    description=(
        "Wednesday 02:30 UTC: build each monitored country's events and report for the week that closed, "
        "from its articles (built 30 minutes earlier by weekly_articles_schedule)."
    ),
)

SCHEDULES = [poll_feeds_schedule, weekly_articles_schedule, country_week_schedule]
