"""Restarting the webserver and the daemon in the middle of a queued backfill loses nothing.

The production instance (config/dagster.postgres.yaml: PostgreSQL, QueuedRunCoordinator, at most
3 runs of one backfill at a time) in a fresh database on 127.0.0.1:5432, with the real
`dagster-webserver` and `dagster-daemon run` from the venv as subprocesses (-w workspace.yaml, a
free loopback port, a temporary DAGSTER_HOME and data folder). Nothing leaves the machine: the
sample feeds are polled from 127.0.0.1 and the reports are not built (no LLM).

1. The feeds are polled and `articles` built for the five weeks in process (as in test_postgres).
2. A backfill of `country_events` for 5 countries x 5 weeks is launched through the webserver's
   GraphQL API (`launchPartitionBackfill` with `assetSelection` and `partitionNames`, as the UI
   sends it). With `BackfillPolicy.single_run()` Dagster splits the 25 partitions into 5 runs
   (one per week or per country, the smaller number); the backfill daemon submits all 5 to the
   queue in its first iteration and the run queue daemon starts 3 (the `dagster/backfill` limit),
   so two runs wait in the queue. The runs execute in process (run config of the backfill): one
   Python process per run instead of three keeps the test near a minute on 2 cores.
3. Once partitions are materialised while runs still wait in the queue, the daemon and the
   webserver are killed with SIGKILL (a crash: no shutdown code runs). Their code servers and the
   run workers they started are not killed: a run in flight finishes on its own, and the test
   waits for that (they must succeed without the daemon; the queued runs must stay queued). The
   test records which partitions Dagster has as materialised, their materialisation events and
   the bytes of their Parquet files.
4. Both are started again. The new daemon must heartbeat, launch the runs left in the queue, and
   finish the backfill.

Asserted: the backfill ends COMPLETED_SUCCESS (through GraphQL, with 25 of 25 partitions
materialised and none failed); every partition materialised before the restart is still
materialised by the same event (not lost, not rebuilt) and its lake file has the same bytes; all
25 partitions are materialised with a readable Parquet file of their country and week; exactly 5
runs, all SUCCESS: no run failed, so no retry was needed (the instance's run retries would
re-execute a failed run, and that would show as a sixth run); each run went through the queue (one
RUN_ENQUEUED, then one RUN_STARTING from the run queue daemon), the ones queued at the kill
launched after the restart.

The kill waits for a moment when the run queue daemon is idle: every slot of the backfill taken
by a run whose worker has started. A daemon killed in the second in which it launches a dequeued
run (RUN_STARTING recorded, the run worker not yet spawned) leaves that run STARTING until run
monitoring fails it after `start_timeout_seconds` (180 s) and run retries launch it again: that
path is tests/test_run_monitoring.py. Killing the whole process groups is not tested: with SIGTERM
the runs in flight fail and the daemon's run retries re-execute them; with SIGKILL a run worker
dies without a failure event and, since the default run launcher cannot check a worker's health,
its run stays STARTED (only `run_monitoring.max_runtime_seconds`, unset here, would end it).
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import time
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import dagster as dg
import polars as pl
import pytest

from tests.support.dagster_servers import CODE_LOCATIONS, Service, code_location_loaded, free_port, tail, wait_for
from tests.support.factories import pipeline_assets, resources
from tests.support.postgres import fresh_database, make_home, require_server
from watchfloor.core.lake import Lake

require_server()

# Two servers and up to five run workers: on the UI test's worker, so that under `pytest -n 2
# --dist loadgroup` the two server tests never compete for the 2 cores.
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("ui")]

COUNTRIES = ("MN", "KZ", "PL", "RU", "UA")
WEEKS = ("2026-06-03", "2026-06-10", "2026-06-17", "2026-06-24", "2026-07-01")
PARTITIONS = {f"{country}|{week}" for country in COUNTRIES for week in WEEKS}
SAMPLE_COUNTRIES, SAMPLE_WEEKS = ("MN", "KZ", "PL"), ("2026-06-17", "2026-06-24")  # where samples/ has security news
RUNS = 5  # min(countries, weeks): single_run() splits a multi-partition rectangle along its shorter side
EVENTS = dg.AssetKey("country_events")
BIN = Path(sys.executable).parent
STARTUP_TIMEOUT = 120  # seconds for a webserver or daemon to come up (two start at once on 2 cores)
RUNS_TIMEOUT = 180  # for each wait on the runs before the restart
FINISH_TIMEOUT = 240  # from the restart to the backfill's end: several 30 s backfill iterations
REQUIRED_DAEMONS = ("BACKFILL", "QUEUED_RUN_COORDINATOR")
DONE = {dg.DagsterRunStatus.SUCCESS, dg.DagsterRunStatus.FAILURE, dg.DagsterRunStatus.CANCELED}

LAUNCH = """
mutation Launch($params: LaunchBackfillParams!) {
  launchPartitionBackfill(backfillParams: $params) {
    __typename
    ... on LaunchBackfillSuccess { backfillId }
    ... on Error { message }
  }
}
"""

BACKFILL = """
query Backfill($id: String!) {
  partitionBackfillOrError(backfillId: $id) {
    __typename
    ... on PartitionBackfill {
      status
      endTimestamp
      assetBackfillData {
        assetBackfillStatuses {
          __typename
          ... on AssetPartitionsStatusCounts {
            assetKey { path }
            numPartitionsTargeted numPartitionsInProgress numPartitionsMaterialized numPartitionsFailed
          }
        }
      }
    }
    ... on Error { message }
  }
}
"""

# -- the two services, as subprocesses in their own process groups ---------------------------------


@dataclass
class Stack:
    webserver: Service
    daemon: Service
    url: str
    timeline: list[str] = field(default_factory=list)
    started: float = field(default_factory=time.monotonic)

    def mark(self, what: str) -> None:
        """A step of the test and when it was reached: printed at the end and in every failure."""
        self.timeline.append(f"{time.monotonic() - self.started:6.1f} s  {what}")

    def graphql(self, query: str, variables: dict | None = None, timeout: float = 30) -> dict:
        body = json.dumps({"query": query, "variables": variables or {}}).encode()
        request = urllib.request.Request(f"{self.url}/graphql", data=body, headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=timeout) as response:
            answer = json.load(response)
        assert not answer.get("errors"), f"GraphQL errors: {answer['errors']}"
        return answer["data"]

    def wait_for_webserver(self) -> None:
        """Until the webserver answers GraphQL with the code location loaded."""
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while True:
            self.webserver.assert_running()
            try:
                loaded = code_location_loaded(self.graphql(CODE_LOCATIONS, timeout=5))
            except (urllib.error.URLError, OSError, ValueError):
                loaded = False
            if loaded:
                return
            if time.monotonic() > deadline:
                pytest.fail(f"the webserver did not serve the code location within {STARTUP_TIMEOUT} s:\n{tail(self.webserver.log)}")
            time.sleep(0.25)


@pytest.fixture
def postgres_db() -> Iterator[str]:
    with fresh_database() as name:
        yield name


@pytest.fixture
def stack(postgres_db: str, data_dir: Path, sample_feeds_over_http: Path, tmp_path: Path,
          monkeypatch: pytest.MonkeyPatch) -> Iterator[Stack]:
    """The production instance in a fresh database, and the two services for it (not started).

    Torn down before the database: every process group is killed, then the database dropped."""
    settings = make_home(tmp_path / "dagster_home", postgres_db)
    settings.update(WATCHFLOOR_DATA=str(data_dir), WATCHFLOOR_FEEDS=str(sample_feeds_over_http),
                    WATCHFLOOR_COUNTRIES=",".join(COUNTRIES))
    for var, value in settings.items():
        monkeypatch.setenv(var, value)  # the in-process instance of the test sees the same
    env = {k: v for k, v in os.environ.items() if not k.startswith(("WATCHFLOOR_", "OPENAI_", "DAGSTER_"))}
    env.update(settings, PYTHONUNBUFFERED="1")
    port = free_port()
    webserver = Service("dagster-webserver", [str(BIN / "dagster-webserver"), "-w", "workspace.yaml",
                                              "-h", "127.0.0.1", "-p", str(port)], env, tmp_path / "webserver.log")
    daemon = Service("dagster-daemon", [str(BIN / "dagster-daemon"), "run", "-w", "workspace.yaml"], env, tmp_path / "daemon.log")
    for service in (webserver, daemon):
        assert Path(service.argv[0]).exists(), f"{service.argv[0]} is missing: run `make install`"
    try:
        yield Stack(webserver, daemon, f"http://127.0.0.1:{port}")
    finally:
        webserver.kill_everything()
        daemon.kill_everything()


# -- reading the instance ---------------------------------------------------------------------------


def backfill_runs(instance: dg.DagsterInstance, backfill_id: str) -> list[dg.DagsterRun]:
    return list(instance.get_runs(dg.RunsFilter(tags={"dagster/backfill": backfill_id})))


def backfill_slots(instance: dg.DagsterInstance) -> int:
    """How many runs of one backfill may be in progress at once: the `dagster/backfill` tag limit of dagster.yaml."""
    limits = instance.get_concurrency_config().run_queue_config.tag_concurrency_limits
    (limit,) = [rule["limit"] for rule in limits if rule["key"] == "dagster/backfill"]
    return limit


def run_partitions(instance: dg.DagsterInstance, run_id: str) -> set[str]:
    records = instance.get_records_for_run(run_id, of_type=dg.DagsterEventType.ASSET_MATERIALIZATION).records
    return {r.event_log_entry.dagster_event.partition for r in records}


def materialisations(instance: dg.DagsterInstance, partitions: set[str]) -> dict[str, list[int]]:
    """Partition -> storage ids of its materialisation events (newest first)."""
    found: dict[str, list[int]] = {}
    for partition in sorted(partitions):
        records = instance.fetch_materializations(
            dg.AssetRecordsFilter(asset_key=EVENTS, asset_partitions=[partition]), limit=10).records
        found[partition] = [r.storage_id for r in records]
    return found


def partition_file(lake: Lake, partition: str) -> Path:
    """The partition's one Parquet file in the lake, checked readable and holding only its country and week."""
    country, week = partition.split("|")
    files = sorted((lake.table_dir("events") / f"week={week}" / f"country={country}").glob("*.parquet"))
    assert len(files) == 1, f"{partition}: expected one Parquet file, found {files}"
    frame = pl.read_parquet(files[0])
    assert frame["country"].eq(country).all() and frame["week"].eq(date.fromisoformat(week)).all(), partition
    return files[0]


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def describe(instance: dg.DagsterInstance, backfill_id: str, stack: Stack) -> str:
    """The test's steps so far, the runs, their failures and the services' logs: the message of every failed wait."""
    lines = ["steps:", *stack.timeline, f"backfill {backfill_id}, runs:"]
    for run in backfill_runs(instance, backfill_id):
        span = f"{run.tags.get('dagster/asset_partition_range_start')}..{run.tags.get('dagster/asset_partition_range_end')}"
        lines.append(f"  {run.run_id[:8]} {span} {run.status.value}")
        failures = instance.all_logs(run.run_id, of_type={dg.DagsterEventType.RUN_FAILURE, dg.DagsterEventType.STEP_FAILURE})
        lines += [f"    {e.dagster_event.event_type_value}: {e.message}" for e in failures]
    for service in (stack.daemon, stack.webserver):
        lines.append(f"--- {service.name} log (tail) ---\n{tail(service.log)}")
    return "\n".join(lines)


def test_restarting_webserver_and_daemon_mid_backfill_loses_nothing(stack: Stack, data_dir: Path, sample_feeds_over_http: Path):
    lake = Lake(data_dir)
    web, daemon = stack.webserver, stack.daemon
    web.start()  # boots while the articles are built

    with dg.DagsterInstance.get() as instance:
        assert type(instance.run_coordinator).__name__ == "QueuedRunCoordinator"
        # The inputs, in process: one poll of the sample feeds, then the five weeks of articles in one run.
        res = resources(data_dir, sample_feeds_over_http)
        upstream = pipeline_assets()
        assert dg.materialize(upstream, selection="raw_feeds", instance=instance, resources=res).success
        assert dg.materialize(upstream, selection="articles", instance=instance, resources=res,
                              tags={"dagster/asset_partition_range_start": WEEKS[0],
                                    "dagster/asset_partition_range_end": WEEKS[-1]}).success
        stack.mark("articles built")

        # -- the backfill, launched as the UI launches it ------------------------------------------
        stack.wait_for_webserver()
        stack.mark("the webserver answers")
        params = {
            "assetSelection": [{"path": EVENTS.path}],
            "partitionNames": sorted(PARTITIONS),
            "title": "restart test",
            "runConfigData": {"execution": {"config": {"in_process": {}}}},
        }
        launched = stack.graphql(LAUNCH, {"params": params})["launchPartitionBackfill"]
        assert launched["__typename"] == "LaunchBackfillSuccess", launched
        backfill_id = launched["backfillId"]
        daemon.start()  # after the launch: its first backfill iteration (then one every 30 s) finds the backfill
        stack.mark(f"backfill {backfill_id} launched, daemon started")

        def explain() -> str:
            return describe(instance, backfill_id, stack)

        slots = backfill_slots(instance)

        def partitions_built_while_runs_wait() -> bool:
            """A partition materialised, a run still queued, and the run queue daemon idle: every
            slot of the backfill taken by a run whose worker has started (none STARTING)."""
            daemon.assert_running()
            runs = backfill_runs(instance, backfill_id)
            statuses = Counter(r.status for r in runs)
            failed = statuses[dg.DagsterRunStatus.FAILURE] + statuses[dg.DagsterRunStatus.CANCELED]
            assert not failed, f"a run failed before the restart:\n{explain()}"
            return (len(runs) == RUNS and statuses[dg.DagsterRunStatus.QUEUED] > 0
                    and statuses[dg.DagsterRunStatus.STARTING] == 0 and statuses[dg.DagsterRunStatus.STARTED] == slots
                    and bool(instance.get_materialized_partitions(EVENTS)))

        wait_for("a partition materialised while runs wait in the queue", partitions_built_while_runs_wait,
                 RUNS_TIMEOUT, explain)
        stack.mark("partitions materialised, runs queued, the run queue daemon idle")
        old_daemon_ids = {t: h.daemon_id for t, h in instance.get_daemon_heartbeats().items()}
        assert set(old_daemon_ids) >= set(REQUIRED_DAEMONS), old_daemon_ids

        # -- the crash: both services at once, no shutdown code ------------------------------------
        web.crash()
        daemon.crash()
        stack.mark("webserver and daemon killed")
        at_kill = {r.run_id: r.status for r in backfill_runs(instance, backfill_id)}
        queued = {run_id for run_id, status in at_kill.items() if status == dg.DagsterRunStatus.QUEUED}
        in_flight = {run_id for run_id, status in at_kill.items() if status == dg.DagsterRunStatus.STARTED}
        assert len(at_kill) == RUNS and queued and len(in_flight) == slots, f"at the kill: {at_kill}"

        # What was materialised so far, in Dagster and in the lake. The runs in flight go on writing:
        # read their events first, then the asset's partitions.
        by_run = {run_id: run_partitions(instance, run_id) for run_id in at_kill}
        before = instance.get_materialized_partitions(EVENTS)
        assert before and before < PARTITIONS, f"materialised at the kill: {sorted(before)}"
        assert set().union(*by_run.values()) <= before, by_run
        records_before = materialisations(instance, before)
        assert all(len(ids) == 1 for ids in records_before.values()), records_before
        files_before = {partition: digest(partition_file(lake, partition)) for partition in before}

        # While both are down, the runs in flight finish in their own workers; the queued ones cannot
        # start. Restarting after that leaves the queued runs the whole first 30 s interval of the
        # new backfill daemon, so that its second iteration finds the backfill done.
        def runs_in_flight_finished() -> bool:
            return all(instance.get_run_by_id(run_id).status in DONE for run_id in in_flight)

        wait_for("the runs in flight at the kill finished without the daemon", runs_in_flight_finished, RUNS_TIMEOUT, explain)
        assert all(instance.get_run_by_id(run_id).is_success for run_id in in_flight), explain()
        assert all(instance.get_run_by_id(run_id).status == dg.DagsterRunStatus.QUEUED for run_id in queued), explain()
        stack.mark("the runs in flight finished, the others still queued")

        # -- the restart ----------------------------------------------------------------------------
        restarted_at = time.time()
        web.start()
        daemon.start()
        stack.wait_for_webserver()
        stack.mark("restarted; the webserver answers")

        def new_daemon_heartbeats() -> bool:
            daemon.assert_running()
            beats = instance.get_daemon_heartbeats()
            return all(t in beats and beats[t].daemon_id != old_daemon_ids[t] and beats[t].timestamp >= restarted_at
                       for t in REQUIRED_DAEMONS)

        wait_for("the restarted daemon's backfill and run-queue daemons heartbeat", new_daemon_heartbeats,
                 STARTUP_TIMEOUT, explain, every=0.5)
        stack.mark("the new daemon heartbeats")

        state: dict = {}

        def backfill_finished() -> bool:
            daemon.assert_running()
            web.assert_running()
            state.update(stack.graphql(BACKFILL, {"id": backfill_id})["partitionBackfillOrError"])
            return state.get("status") not in ("REQUESTED", "CANCELING", "FAILING")

        wait_for("the backfill finished after the restart", backfill_finished, FINISH_TIMEOUT,
                 lambda: f"backfill: {json.dumps(state)}\n{explain()}", every=1)
        stack.mark(f"the backfill ended {state['status']}")

        # -- nothing lost, everything built, nothing failed ------------------------------------------
        assert state["status"] == "COMPLETED_SUCCESS", f"{json.dumps(state)}\n{explain()}"
        assert state["endTimestamp"] >= restarted_at  # finished by the new daemon
        (counts,) = state["assetBackfillData"]["assetBackfillStatuses"]
        assert counts["assetKey"]["path"] == EVENTS.path
        assert (counts["numPartitionsTargeted"], counts["numPartitionsMaterialized"], counts["numPartitionsFailed"],
                counts["numPartitionsInProgress"]) == (len(PARTITIONS), len(PARTITIONS), 0, 0), counts

        assert instance.get_materialized_partitions(EVENTS) == PARTITIONS
        records_after = materialisations(instance, PARTITIONS)
        assert {p: records_after[p] for p in before} == records_before  # the same events: kept, not rebuilt
        assert all(len(ids) == 1 for ids in records_after.values()), records_after  # each partition built once
        assert {p: digest(partition_file(lake, p)) for p in before} == files_before
        rows = {partition: pl.read_parquet(partition_file(lake, partition)).height for partition in PARTITIONS}
        assert all(rows[f"{country}|{week}"] > 0 for country in SAMPLE_COUNTRIES for week in SAMPLE_WEEKS), rows

        runs = backfill_runs(instance, backfill_id)
        assert len(runs) == RUNS, f"a retried or duplicated run:\n{explain()}"  # a retry would be a sixth run
        assert all(r.status == dg.DagsterRunStatus.SUCCESS for r in runs), explain()
        assert set().union(*(run_partitions(instance, r.run_id) for r in runs)) == PARTITIONS
        for run in runs:  # queued once (by the backfill daemon), launched once (by the run queue daemon)
            enqueued = instance.all_logs(run.run_id, of_type=dg.DagsterEventType.RUN_ENQUEUED)
            launched = instance.all_logs(run.run_id, of_type=dg.DagsterEventType.RUN_STARTING)
            assert (len(enqueued), len(launched)) == (1, 1), f"{run.run_id}: {enqueued + launched}"
            if run.run_id in queued:  # waited in the queue through the restart: the new daemon launched it
                assert launched[0].timestamp >= restarted_at, run.run_id
        stack.mark("checked")
        print("\n".join(stack.timeline))
