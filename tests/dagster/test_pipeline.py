"""The Dagster wiring: real materialisations of raw_feeds and articles against a temporary instance."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from datetime import date
from pathlib import Path

import dagster as dg
import polars as pl

from tests.support.factories import pipeline_assets, resources
from watchfloor.core import warehouse
from watchfloor.core.config import REPO_ROOT, load_feeds
from watchfloor.core.lake import Lake

WEEK = "2026-06-24"


def poll(data_dir: Path, feeds_file: Path, instance: dg.DagsterInstance) -> dg.ExecuteInProcessResult:
    return dg.materialize(pipeline_assets(), selection="raw_feeds", instance=instance, resources=resources(data_dir, feeds_file))


def build_week(data_dir: Path, instance: dg.DagsterInstance, week: str = WEEK, **kwargs) -> dg.ExecuteInProcessResult:
    return dg.materialize(
        pipeline_assets(), selection="articles", partition_key=week, instance=instance, resources=resources(data_dir), **kwargs
    )


def test_raw_feeds_then_a_week_of_articles(data_dir, sample_feeds_over_http, instance):
    polled = poll(data_dir, sample_feeds_over_http, instance)
    assert polled.success
    assert all(e.passed for e in polled.get_asset_check_evaluations())
    metadata = polled.asset_materializations_for_node("raw_feeds")[0].metadata
    assert metadata["feeds_failed"].value == 0 and metadata["dagster/row_count"].value > 50

    built = build_week(data_dir, instance)
    assert built.success
    evaluations = built.get_asset_check_evaluations()
    assert len(evaluations) == 5 and all(e.passed for e in evaluations)

    lake = Lake(data_dir)
    with warehouse.connect_read_only(lake) as con:
        rows = con.execute("SELECT count(*), count(DISTINCT article_id), min(published_at) >= ?, max(published_at) < ? FROM articles WHERE week = ?",
                           [date(2026, 6, 24), date(2026, 7, 1), date(2026, 6, 24)]).fetchall()
        fetched = con.execute("SELECT count(*), count(*) FILTER (WHERE status = 'ok') FROM feed_fetches").fetchall()
    (n, distinct, after_start, before_end), = rows
    assert n > 20 and n == distinct and after_start and before_end
    assert fetched[0][0] == fetched[0][1] == len(load_feeds(sample_feeds_over_http))
    # the run is recorded in the instance, so the UI shows it
    assert instance.get_latest_materialization_event(dg.AssetKey("articles")).asset_materialization.partition == WEEK


def test_a_second_poll_uses_conditional_get_and_archives_nothing_new(data_dir, httpserver, tmp_path, instance):
    from tests.support.factories import write_feeds_file

    body = (REPO_ROOT / "samples" / "feeds" / sorted(p.name for p in (REPO_ROOT / "samples" / "feeds").glob("*.xml"))[0]).read_bytes()
    httpserver.expect_request("/feed", headers={"If-None-Match": '"v1"'}).respond_with_data("", status=304)
    httpserver.expect_request("/feed").respond_with_data(body, headers={"ETag": '"v1"'}, content_type="application/rss+xml")
    feeds = write_feeds_file(tmp_path / "feeds.yaml", [(httpserver.url_for("/feed"), "One")])
    assert poll(data_dir, feeds, instance).success
    assert poll(data_dir, feeds, instance).success
    with warehouse.connect_read_only(Lake(data_dir)) as con:
        statuses = con.execute("SELECT status FROM feed_fetches ORDER BY fetched_at").fetchall()
    assert statuses == [("ok",), ("not_modified",)]
    assert len(list((data_dir / "archive").rglob("*.gz"))) == 1


def test_raw_feeds_checks_judge_the_poll_just_made(data_dir, httpserver, tmp_path, instance):
    from tests.support.factories import write_feeds_file

    body = next((REPO_ROOT / "samples" / "feeds").glob("*.xml")).read_bytes()
    httpserver.expect_request("/up").respond_with_data(body, content_type="application/rss+xml")
    httpserver.expect_request("/gone").respond_with_data("gone", status=404)
    healthy = write_feeds_file(tmp_path / "healthy.yaml", [(httpserver.url_for("/up"), "Up")])
    assert poll(data_dir, healthy, instance).success
    broken = write_feeds_file(tmp_path / "broken.yaml", [(httpserver.url_for("/up"), "Up"), (httpserver.url_for("/gone"), "Gone")])
    result = poll(data_dir, broken, instance)
    assert result.success  # a warning, not a failure
    checks = {e.check_name: e for e in result.get_asset_check_evaluations()}
    assert checks["fetch_statuses_known"].passed and checks["fetch_statuses_known"].metadata["fetches"].value == 2
    reachable = checks["feeds_mostly_reachable"]
    assert not reachable.passed and reachable.severity == dg.AssetCheckSeverity.WARN
    assert (reachable.metadata["feeds"].value, reachable.metadata["failed"].value) == (2, 1)


def test_rebuilding_a_week_gives_identical_rows(data_dir, sample_feeds_over_http, instance):
    assert poll(data_dir, sample_feeds_over_http, instance).success
    lake = Lake(data_dir)
    assert build_week(data_dir, instance).success
    first = lake.read_week("articles", date.fromisoformat(WEEK))
    assert build_week(data_dir, instance).success
    second = lake.read_week("articles", date.fromisoformat(WEEK))
    assert first.height > 0 and first.equals(second)


def test_a_failing_blocking_check_fails_the_run(data_dir, sample_feeds_over_http, instance, monkeypatch):
    import assets.articles as stage

    assert poll(data_dir, sample_feeds_over_http, instance).success

    original = stage.build_week

    def duplicated(*args, **kwargs):
        frame, vectors = original(*args, **kwargs)
        return pl.concat([frame, frame.head(1)]), vectors

    monkeypatch.setattr("assets.articles.build_week", duplicated)
    result = build_week(data_dir, instance, raise_on_error=False)
    failed = {e.check_name for e in result.get_asset_check_evaluations() if not e.passed}
    assert failed == {"article_id_unique"}
    assert not result.success


PARALLEL_WEEK = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    import dagster as dg
    sys.path.insert(0, {root!r})
    from tests.support.factories import pipeline_assets, resources
    result = dg.materialize(pipeline_assets(), selection="articles", partition_key=sys.argv[1],
                            instance=dg.DagsterInstance.get(), resources=resources(Path({data!r})))
    sys.exit(0 if result.success else 1)
    """
)


def test_two_weeks_in_parallel_processes_while_an_analyst_reads(data_dir, sample_feeds_over_http, tmp_path, monkeypatch):
    home = tmp_path / "dagster_home"
    home.mkdir()
    (home / "dagster.yaml").write_text("telemetry:\n  enabled: false\n")
    monkeypatch.setenv("DAGSTER_HOME", str(home))
    with dg.DagsterInstance.get() as instance:
        assert poll(data_dir, sample_feeds_over_http, instance).success
    lake = Lake(data_dir)
    analyst = warehouse.connect_read_only(lake)
    script = PARALLEL_WEEK.format(root=str(Path(__file__).resolve().parents[2]), data=str(data_dir))
    workers = [subprocess.Popen([sys.executable, "-c", script, week], stderr=subprocess.PIPE, text=True)
               for week in ("2026-06-17", "2026-06-24")]
    while any(w.poll() is None for w in workers):
        analyst.execute("SELECT count(*) FROM articles").fetchall()  # reads while both write
    errors = [w.stderr.read() for w in workers]
    assert [w.returncode for w in workers] == [0, 0], errors
    analyst.close()
    with warehouse.connect_read_only(lake) as con:
        weeks = con.execute("SELECT week, count(*) FROM articles GROUP BY week ORDER BY week").fetchall()
    assert [w for w, _ in weeks] == [date(2026, 6, 17), date(2026, 6, 24)] and all(n > 0 for _, n in weeks)
    runs = dg.DagsterInstance.get().get_runs()
    assert len(runs) == 3 and all(r.is_success for r in runs)


def test_country_events_for_a_sample_week(data_dir, sample_feeds_over_http, instance):
    assert poll(data_dir, sample_feeds_over_http, instance).success
    assert build_week(data_dir, instance).success
    result = dg.materialize(pipeline_assets(), selection="country_events", partition_key=f"MN|{WEEK}", instance=instance,
                            resources=resources(data_dir))
    assert result.success
    evaluations = result.get_asset_check_evaluations()
    assert len(evaluations) == 5 and all(e.passed for e in evaluations), [(e.check_name, e.metadata) for e in evaluations]
    metadata = result.asset_materializations_for_node("country_events")[0].metadata
    assert metadata["dagster/row_count"].value >= 5 and "defense_policy" in metadata["events_by_category"].value
    with warehouse.connect_read_only(Lake(data_dir)) as con:
        rows = con.execute("SELECT category, location FROM events_mn WHERE week = ?", [date(2026, 6, 24)]).fetchall()
        other = con.execute("SELECT count(*) FROM events WHERE country <> 'MN'").fetchall()
    assert ("defense_policy", "Ankara") in rows and ("diplomacy", "Brussels") in rows
    assert other == [(0,)]
