"""Operations: the schedules, the alerts sensor and `watchfloor backfill`, against real instances and lakes."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import dagster as dg
import polars as pl
import pytest
from polars.testing import assert_frame_equal

from orchestration.cli import main
from orchestration.definitions import definitions
from orchestration.sensors import threat_and_feed_alerts
from resources.lake import LakeResource
from watchfloor.core import warehouse
from watchfloor.core.lake import Lake
from watchfloor.core.tables import SCHEMAS
from watchfloor.core.weeks import last_complete_week
from watchfloor.report import alerts

WEEK_CLOSED = datetime(2026, 7, 1, 2, 0, tzinfo=UTC)  # Wednesday 02:00 UTC, after the week of 2026-06-24
NOW = datetime(2026, 7, 1, 12, 0, tzinfo=UTC)


# -- schedules --------------------------------------------------------------------------------------


def schedule(name: str) -> dg.ScheduleDefinition:
    """The schedule as the code location resolves it (the partitioned ones take their cadence from the job)."""
    return definitions().resolve_schedule_def(name)


def requested(name: str, at: datetime) -> list[dg.RunRequest]:
    return schedule(name).evaluate_tick(dg.build_schedule_context(scheduled_execution_time=at)).run_requests


def test_every_schedule_is_utc_and_stopped():
    assert (schedule("poll_feeds_schedule").cron_schedule, schedule("poll_feeds_schedule").job_name) == ("0 * * * *", "poll_feeds")
    for name in ("poll_feeds_schedule", "weekly_articles_schedule", "country_week_schedule"):
        assert schedule(name).execution_timezone == "UTC"
        assert schedule(name).default_status == dg.DefaultScheduleStatus.STOPPED


def test_weekly_articles_schedule_requests_the_week_that_closed():
    articles = schedule("weekly_articles_schedule")
    assert (articles.cron_schedule, articles.job_name) == ("0 2 * * 3", "weekly_articles")
    (request,) = requested("weekly_articles_schedule", WEEK_CLOSED)
    assert request.partition_key == last_complete_week(WEEK_CLOSED).isoformat() == "2026-06-24"
    # a tick a week later asks for the next week
    (later,) = requested("weekly_articles_schedule", WEEK_CLOSED + timedelta(days=7))
    assert later.partition_key == "2026-07-01"


def test_country_schedule_requests_every_monitored_country_for_the_week_that_closed(monkeypatch):
    monkeypatch.setenv("WATCHFLOOR_COUNTRIES", "MN,KZ,PL,UA")  # read when the definitions load
    countries = schedule("country_week_schedule")
    assert (countries.cron_schedule, countries.job_name) == ("30 2 * * 3", "country_week")
    requests = requested("country_week_schedule", WEEK_CLOSED + timedelta(minutes=30))
    assert sorted(r.partition_key for r in requests) == sorted(f"{c}|2026-06-24" for c in ("MN", "KZ", "PL", "UA"))
    assert {r.tags["dagster/partition/week"] for r in requests} == {"2026-06-24"}
    assert len({r.run_key for r in requests}) == len(requests)  # one run per country, each launched once


# -- alerts: detection ------------------------------------------------------------------------------


def complete(table: str, frame: pl.DataFrame) -> pl.DataFrame:
    """`frame` with the table's other columns added as nulls."""
    return frame.with_columns(pl.lit(None).cast(t).alias(c) for c, t in SCHEMAS[table].items() if c not in frame.columns)


def assessments_frame(levels: dict[str, list[tuple[str, str]]]) -> pl.DataFrame:
    rows = [{"country": c, "week": date.fromisoformat(w), "threat_level": level} for c, weeks in levels.items() for w, level in weeks]
    return pl.DataFrame(rows)


def test_threat_rise_is_the_latest_week_above_the_week_before():
    frame = assessments_frame({
        "MN": [("2026-06-10", "Moderate"), ("2026-06-17", "Low"), ("2026-06-24", "Elevated")],
        "KZ": [("2026-06-17", "High"), ("2026-06-24", "Moderate")],  # a fall
        "PL": [("2026-06-10", "Low"), ("2026-06-24", "High")],  # no assessment the week before
        "LT": [("2026-06-10", "Low"), ("2026-06-17", "High"), ("2026-06-24", "High")],  # rose, but not in the latest week
        "KG": [("2026-06-10", "Low"), ("2026-06-17", "Elevated"), ("2026-06-24", "Insufficient reporting")],
        "UZ": [("2026-06-17", "Insufficient reporting"), ("2026-06-24", "High")],  # no level to rise from
    })
    (alert,) = alerts.threat_rises(frame, NOW)
    assert (alert.kind, alert.country, alert.feed_url) == ("threat_rise", "MN", None)
    assert "from Low to Elevated" in alert.message and "2026-06-24" in alert.message
    again = alerts.threat_rises(frame.reverse(), NOW + timedelta(hours=5))
    assert [a.alert_id for a in again] == [alert.alert_id]  # stable: the same rise is the same alert


def fetches_frame(rows: list[tuple[str, timedelta, str]]) -> pl.DataFrame:
    """(feed, age, status) rows as a full feed_fetches frame, fetched `age` before NOW."""
    return complete("feed_fetches", pl.DataFrame([
        {"feed_url": f"http://127.0.0.1:9/{feed}", "feed_name": feed, "fetched_at": (NOW - age).replace(tzinfo=None),
         "status": status, "error": None if status == "ok" else f"{status} error"}
        for feed, age, status in rows
    ]))


H = timedelta(hours=1)
FETCHES = [
    ("down", 30 * H, "ok"), ("down", 20 * H, "http_error"), ("down", 10 * H, "timeout"), ("down", 1 * H, "http_error"),
    ("flaky", 20 * H, "timeout"), ("flaky", 10 * H, "not_modified"), ("flaky", 1 * H, "timeout"),
    ("once", 48 * H, "ok"), ("once", 2 * H, "connection_error"),
    ("never", 50 * H, "not_a_feed"), ("never", 5 * H, "not_a_feed"), ("never", 2 * H, "parse_error"),
    ("fine", 3 * H, "ok"), ("fine", 2 * H, "unchanged"), ("fine", 1 * H, "not_modified"),
]


def test_failing_feeds_need_every_fetch_of_the_last_24_hours_failed():
    found = {a.feed_url.rsplit("/", 1)[1]: a for a in alerts.failing_feeds(fetches_frame(FETCHES), NOW)}
    assert set(found) == {"down", "never"}  # flaky had a success in the window; once has a single fetch
    assert all(a.kind == "feed_failing" and a.country is None for a in found.values())
    assert "3 fetches" in found["down"].message and "failing since 2026-06-30 16:00 UTC" in found["down"].message
    assert "last: http_error (http_error error)" in found["down"].message
    later = {a.feed_url: a.alert_id for a in alerts.failing_feeds(fetches_frame(FETCHES), NOW + H)}
    assert later == {a.feed_url: a.alert_id for a in found.values()}  # one streak, one alert id


def test_recent_fetches_keep_each_streak_back_to_the_last_success(lake):
    lake.append("feed_fetches", "fetched_on=2026-06-29", "b1", fetches_frame([*FETCHES, ("down", 90 * H, "http_error")]))
    warehouse.refresh(lake)
    with warehouse.connect_read_only(lake) as con:
        recent = alerts.recent_fetches(con, NOW)
    assert recent.filter(pl.col("feed_name") == "down").height == 4  # the failure before its last success is not needed
    assert recent.filter(pl.col("feed_name") == "never").height == 3  # never healthy: its whole history
    assert {a.feed_url for a in alerts.failing_feeds(recent, NOW)} == {a.feed_url for a in alerts.failing_feeds(fetches_frame(FETCHES), NOW)}


# -- alerts: the sensor -----------------------------------------------------------------------------


@pytest.fixture
def lake_with_trouble(lake: Lake) -> Lake:
    """MN's threat level rose in the latest week; one feed has failed every fetch of the last day."""
    levels = {"MN": [("2026-06-17", "Low"), ("2026-06-24", "High")], "KZ": [("2026-06-17", "Low"), ("2026-06-24", "Low")]}
    for row in assessments_frame(levels).iter_rows(named=True):
        lake.replace_week("assessments", row["week"], complete("assessments", pl.DataFrame([row])), country=row["country"])
    now = datetime.now(UTC)
    rows = [("down", 30 * H, "ok"), ("down", 3 * H, "http_error"), ("down", 2 * H, "timeout"), ("fine", 1 * H, "ok")]
    fetches = fetches_frame(rows).with_columns(pl.col("fetched_at") + (now - NOW))  # relative to the real clock
    lake.append("feed_fetches", f"fetched_on={now.date()}", "b1", fetches)
    warehouse.refresh(lake)
    return lake


def evaluate_sensor(instance: dg.DagsterInstance, lake: Lake) -> dg.SkipReason:
    context = dg.build_sensor_context(instance=instance, resources={"lake": LakeResource(data_dir=str(lake.root))})
    return threat_and_feed_alerts(context)


def test_sensor_posts_each_alert_once(lake_with_trouble, instance, httpserver_ipv4, monkeypatch):
    httpserver_ipv4.expect_request("/hook", method="POST").respond_with_data("ok")
    monkeypatch.setenv("WATCHFLOOR_ALERT_WEBHOOK", httpserver_ipv4.url_for("/hook"))
    assert evaluate_sensor(instance, lake_with_trouble).skip_message == "2 new alert(s), 2 posted to the webhook"
    assert evaluate_sensor(instance, lake_with_trouble).skip_message == "no new alerts (2 raised before)"

    posted = [json.loads(request.get_data()) for request, _ in httpserver_ipv4.log]
    assert sorted(p["kind"] for p in posted) == ["feed_failing", "threat_rise"]
    rise = next(p for p in posted if p["kind"] == "threat_rise")
    assert rise["country"] == "MN" and "from Low to High" in rise["text"] and rise["raised_at"].endswith("Z")
    assert next(p for p in posted if p["kind"] == "feed_failing")["feed_url"].endswith("/down")
    with warehouse.connect_read_only(lake_with_trouble) as con:
        stored = con.sql("SELECT alert_id, kind, country, feed_url FROM alerts ORDER BY kind").pl()
    assert stored["kind"].to_list() == ["feed_failing", "threat_rise"]
    assert set(stored["alert_id"]) == {p["alert_id"] for p in posted}


def test_a_failing_webhook_is_logged_not_raised(lake_with_trouble, instance, httpserver_ipv4, monkeypatch, caplog):
    httpserver_ipv4.expect_request("/hook").respond_with_data("down", status=503)
    monkeypatch.setenv("WATCHFLOOR_ALERT_WEBHOOK", httpserver_ipv4.url_for("/hook"))
    assert evaluate_sensor(instance, lake_with_trouble).skip_message == "2 new alert(s), 0 posted to the webhook"
    logged = [r.getMessage() for r in caplog.records if r.name == "watchfloor.report.alerts"]
    assert len(logged) == 1 and "HTTP 503" in logged[0] and "/hook" not in logged[0]  # the URL may hold a token
    assert len(httpserver_ipv4.log) == 1  # after a failure the other alert is not tried (10 s each when it hangs)
    assert len(alerts.stored_alert_ids(lake_with_trouble)) == 2  # recorded all the same, and not raised again
    monkeypatch.delenv("WATCHFLOOR_ALERT_WEBHOOK")
    assert evaluate_sensor(instance, lake_with_trouble).skip_message == "no new alerts (2 raised before)"


def test_sensor_without_a_warehouse_skips(lake, instance):
    assert "no warehouse yet" in evaluate_sensor(instance, lake).skip_message
    assert threat_and_feed_alerts.minimum_interval_seconds == 300
    assert threat_and_feed_alerts.default_status == dg.DefaultSensorStatus.STOPPED


# -- watchfloor backfill ---------------------------------------------------------------------------


@pytest.fixture
def cli_env(data_dir: Path, sample_feeds_over_http: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """A new instance at DAGSTER_HOME and the sample feeds from 127.0.0.1, as `watchfloor` sees them."""
    home = tmp_path / "dagster_home"
    home.mkdir()
    (home / "dagster.yaml").write_text("telemetry:\n  enabled: false\n", encoding="utf-8")
    monkeypatch.setenv("DAGSTER_HOME", str(home))
    monkeypatch.setenv("WATCHFLOOR_FEEDS", str(sample_feeds_over_http))
    return home


def lake_tables(data_dir: Path, weeks: list[date]) -> tuple[pl.DataFrame, pl.DataFrame]:
    lake = Lake(data_dir)
    return lake.read_weeks("articles", weeks).sort("article_id"), lake.read_weeks("events", weeks).sort("event_id")


def test_backfill_runs_the_range_in_two_runs_and_is_repeatable(cli_env, data_dir, capsys):
    weeks = [date(2026, 6, 17), date(2026, 6, 24)]
    assert main(["run", "--week", "2026-06-17", "--country", "MN"]) == 0  # polls the feeds: poll, articles, MN
    backfill = ["backfill", "--from", "2026-06-17", "--to", "2026-06-24", "--country", "MN", "--no-fetch"]
    capsys.readouterr()
    assert main(backfill) == 0
    out = capsys.readouterr().out
    assert "- articles 2026-06-17..2026-06-24: 2 weeks" in out and "- MN 2026-06-17..2026-06-24: 2 weeks" in out
    assert "✓ articles [2026-06-17..2026-06-24]: 2 partitions" in out and "polling" not in out
    for week in weeks:
        assert (data_dir / "reports" / "MN" / str(week) / "report.md").is_file()
    articles, events = lake_tables(data_dir, weeks)
    assert articles.height > 50 and set(articles["week"]) == set(weeks) and set(events["week"]) == set(weeks)

    with dg.DagsterInstance.get() as instance:
        runs = instance.get_runs()  # newest first
        assert len(runs) == 5  # `run`: poll, articles, MN; the backfill: one articles run, one MN run
        assert [r.job_name for r in runs[:2]] == ["country_week", "weekly_articles"]
        assert runs[0].tags["dagster/asset_partition_range_start"] == "MN|2026-06-17"
        assert runs[0].tags["dagster/asset_partition_range_end"] == "MN|2026-06-24"
        assert runs[1].tags["dagster/asset_partition_range_end"] == "2026-06-24"
        assert all(r.status == dg.DagsterRunStatus.SUCCESS for r in runs)
        assert instance.get_materialized_partitions(dg.AssetKey("security_assessment")) == {"MN|2026-06-17", "MN|2026-06-24"}

    assert main(backfill) == 0  # the same range again: the partitions are replaced whole, with the same content
    again_articles, again_events = lake_tables(data_dir, weeks)
    assert_frame_equal(again_articles, articles)
    assert_frame_equal(again_events, events)
    with dg.DagsterInstance.get() as instance:
        assert instance.get_runs_count() == 7


@pytest.mark.parametrize(
    ("first", "last", "message"),
    [
        ("2026-06-24", "2026-06-17", "--from 2026-06-24 is after --to 2026-06-17"),
        ("2026-06-18", "2026-06-24", "--from: 2026-06-18 is a Thursday, not the start of a reporting week: it falls in the week starting 2026-06-17 (Wednesday); use --from 2026-06-17"),
        ("2026-06-17", "2026-06-25", "--to: 2026-06-25 is a Thursday"),
    ],
)
def test_a_bad_range_is_refused_in_one_line(first, last, message, data_dir, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "dagster_home"))  # nothing may be written, and surely not here
    assert main(["backfill", "--from", first, "--to", last, "--no-fetch"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("watchfloor: error: ") and message in err
