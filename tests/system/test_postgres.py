"""The production instance (config/dagster.postgres.yaml) against a real PostgreSQL server.

Each test gets a fresh database on 127.0.0.1:5432 (user postgres, trust auth), loads the instance
from a DAGSTER_HOME holding that dagster.yaml, runs a two-week backfill into it in process, and
reads the runs and materialisations back, through Dagster and with plain SQL. The module is
skipped when no server answers, unless WATCHFLOOR_REQUIRE_POSTGRES=1 (for CI) turns that into a
failure. The run queue limits are not exercised: they apply to runs the daemon launches.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import dagster as dg
import pytest

from tests.support.factories import pipeline_assets, resources
from tests.support.postgres import fresh_database, make_home, require_server
from tests.support.postgres import sql as _sql

require_server()

WEEKS = ("2026-06-17", "2026-06-24")


@pytest.fixture
def postgres_db() -> Iterator[str]:
    """A fresh, empty database, dropped afterwards."""
    with fresh_database() as name:
        yield name


@pytest.fixture
def pg_home(postgres_db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A DAGSTER_HOME with the production dagster.yaml, its DAGSTER_PG_* pointing at the test database."""
    home = tmp_path / "dagster_home"
    for var, value in make_home(home, postgres_db).items():
        monkeypatch.setenv(var, value)
    return home


@pytest.fixture
def pg_instance(pg_home: Path) -> Iterator[dg.DagsterInstance]:
    with dg.DagsterInstance.get() as instance:
        yield instance


def test_the_production_instance_loads_from_the_yaml(pg_instance, postgres_db):
    from dagster_postgres import PostgresEventLogStorage, PostgresRunStorage, PostgresScheduleStorage

    assert isinstance(pg_instance.run_storage, PostgresRunStorage)
    assert isinstance(pg_instance.event_log_storage, PostgresEventLogStorage)
    assert isinstance(pg_instance.schedule_storage, PostgresScheduleStorage)
    assert type(pg_instance.run_coordinator).__name__ == "QueuedRunCoordinator"
    queue = pg_instance.get_concurrency_config().run_queue_config
    assert queue.max_concurrent_runs == 4
    assert {"key": "watchfloor/stage", "value": "poll", "limit": 1} in queue.tag_concurrency_limits
    assert pg_instance.global_op_concurrency_default_limit == 1
    assert pg_instance.run_retries_enabled and pg_instance.run_retries_max_retries == 2
    assert not pg_instance.telemetry_enabled
    tables = {name for name, in _sql("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'", dbname=postgres_db)}
    assert {"runs", "event_logs", "asset_keys", "concurrency_limits", "jobs"} <= tables


def test_a_two_week_backfill_is_recorded_in_postgres(data_dir, sample_feeds_over_http, pg_home, pg_instance, postgres_db):
    instance = pg_instance
    # the per-pool limit that dagster.yaml cannot hold, set the way README "Deploying" says
    dagster_cli = shutil.which("dagster", path=str(Path(sys.executable).parent)) or "dagster"
    subprocess.run([dagster_cli, "instance", "concurrency", "set", "llm", "2"], check=True, capture_output=True, env=os.environ)

    polled = dg.materialize(pipeline_assets(), selection="raw_feeds", instance=instance,
                            resources=resources(data_dir, sample_feeds_over_http))
    assert polled.success

    # the whole range in ONE run, as a backfill of a BackfillPolicy.single_run() asset launches it
    def backfill(selection: str, start: str, end: str) -> dg.ExecuteInProcessResult:
        return dg.materialize(pipeline_assets(), selection=selection, instance=instance, resources=resources(data_dir),
                              tags={"dagster/asset_partition_range_start": start, "dagster/asset_partition_range_end": end})

    weekly = backfill("articles", *WEEKS)
    assert weekly.success
    assert sorted(m.partition for m in weekly.asset_materializations_for_node("articles")) == list(WEEKS)
    assert all(e.passed for e in weekly.get_asset_check_evaluations())
    country = backfill("country_events", f"MN|{WEEKS[0]}", f"MN|{WEEKS[1]}")
    assert country.success
    assert sorted(m.partition for m in country.asset_materializations_for_node("country_events")) == [f"MN|{w}" for w in WEEKS]

    # read it back from PostgreSQL through a new instance, as the webserver would
    with dg.DagsterInstance.get() as reader:
        runs = reader.get_runs()
        assert len(runs) == 3 and all(r.is_success for r in runs)
        assert {r.run_id for r in runs} == {polled.run_id, weekly.run_id, country.run_id}
        assert reader.get_materialized_partitions(dg.AssetKey("articles")) == set(WEEKS)
        assert reader.get_materialized_partitions(dg.AssetKey("country_events")) == {f"MN|{w}" for w in WEEKS}
        for week in WEEKS:
            records = reader.fetch_materializations(
                dg.AssetRecordsFilter(asset_key=dg.AssetKey("articles"), asset_partitions=[week]), limit=10
            ).records
            assert len(records) == 1 and records[0].run_id == weekly.run_id
            assert records[0].asset_materialization.metadata["dagster/row_count"].value > 0
        # pools live in the database: feed_polling got yaml's default_limit when raw_feeds ran, llm the CLI's 2
        pools = {p.name: (p.limit, p.from_default) for p in reader.event_log_storage.get_pool_limits()}
        assert pools == {"feed_polling": (1, True), "llm": (2, False)}

    assert dict(_sql("SELECT status, count(*) FROM runs GROUP BY status", dbname=postgres_db)) == {"SUCCESS": 3}
    assert _sql("SELECT count(*) FROM event_logs", dbname=postgres_db)[0][0] > 50
    materialised = _sql("SELECT asset_key, partition FROM event_logs WHERE dagster_event_type = 'ASSET_MATERIALIZATION' ORDER BY id",
                        dbname=postgres_db)
    # in run order; within a run the order of the partitions is not defined
    assert [key for key, _ in materialised] == ['["raw_feeds"]'] + ['["articles"]'] * 2 + ['["country_events"]'] * 2
    assert sorted(materialised, key=str) == sorted([('["raw_feeds"]', None)] + [('["articles"]', w) for w in WEEKS]
                                                   + [('["country_events"]', f"MN|{w}") for w in WEEKS], key=str)
