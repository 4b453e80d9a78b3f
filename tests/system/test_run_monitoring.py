"""A run left STARTING by a crashed daemon is failed by run monitoring and re-run by run retries.

The production instance (config/dagster.postgres.yaml: PostgreSQL, QueuedRunCoordinator,
`run_retries` at most 2, `run_monitoring` enabled) in a fresh database on 127.0.0.1:5432, with the
real `dagster-daemon run -w workspace.yaml` from the venv as a subprocess. The dagster.yaml is the
production file read and written back with two keys changed, `run_monitoring.start_timeout_seconds`
(180 -> 10) and `run_monitoring.poll_interval_seconds` (30 -> 2), so that the test takes seconds,
not minutes. Nothing leaves the machine: the job is `poll_feeds`, polling the sample feeds served
on 127.0.0.1. Its run executes in process (run config, kept by the retry): one Python process for the
run instead of four keeps the test under a minute on 2 cores.

The crash it reproduces: the run queue daemon records RUN_STARTING for a run it dequeues, then
asks the run launcher to start the run's worker; a daemon killed between the two leaves the run
STARTING with no process behind it, for ever without run monitoring (tests/test_restart.py).

1. A first daemon runs until its run-retry daemon (EVENT_LOG_CONSUMER) has stored its cursor, as
   any daemon that has run in production has. Then its process group is killed with SIGKILL.
2. A `poll_feeds` run is submitted the way an operator does, `dagster job launch -w workspace.yaml
   -j poll_feeds` (the run waits in the queue: RUN_ENQUEUED, QUEUED), and the test writes the event
   the run queue daemon writes before launching it, RUN_STARTING
   (`instance.report_dagster_event`, as `QueuedRunCoordinatorDaemon._dequeue_run` does). No worker
   is started: this is the state the crashed daemon leaves.
3. The daemon is started again.

Asserted: the stuck run ends FAILURE with the monitoring message ("Run timed out due to taking
longer than 10 seconds to start.", failure reason START_TIMEOUT), not earlier than 10 s after its
RUN_STARTING and without ever having started (no RUN_START, no step event); the daemon then
launches one retry (dagster/parent_run_id and dagster/root_run_id the stuck run,
dagster/retry_number 1, the job's tags kept), through the queue, and it succeeds, materialising
raw_feeds with every sample feed polled. Exactly two runs exist at the end.

Why the first daemon: the run-retry daemon ignores every event older than its cursor, and a daemon
that never ran has none; it sets it in its first iteration, to the newest event at that moment.
The daemon loads the code location before any of its threads start, and if that takes longer than
the start timeout, the monitoring thread can fail the run before the run-retry thread has set its
cursor, and the failure is never retried. That only happens to a daemon started for the first time
against a database; a restarted production daemon has its cursor from its previous life, which the
first daemon gives it here.
"""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import dagster as dg
import pytest
import yaml
from dagster._daemon.auto_run_reexecution.event_log_consumer import _create_cursor_key

from tests.support.dagster_servers import Service, tail, wait_for
from tests.support.postgres import fresh_database, make_home, require_server
from watchfloor.core.config import REPO_ROOT, load_feeds

require_server()

# A daemon, its code server and a run worker: on the UI test's worker, so that under `pytest -n 2
# --dist loadgroup` the server tests never compete for the 2 cores.
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("ui")]

START_TIMEOUT = 10  # run_monitoring.start_timeout_seconds in the test's copy of the production yaml
POLL_INTERVAL = 2  # run_monitoring.poll_interval_seconds
BIN = Path(sys.executable).parent
STARTUP_TIMEOUT = 120  # for the daemon's first cursor, and for `dagster job launch`
RETRY_TIMEOUT = 150  # from the restart to the retry's end: start-up, the start timeout, the retry run
RUN_FAILURE_CURSOR = _create_cursor_key(dg.DagsterEventType.RUN_FAILURE)
RAW_FEEDS = dg.AssetKey("raw_feeds")
IN_PROCESS = {"execution": {"config": {"in_process": {}}}}
DONE = {dg.DagsterRunStatus.SUCCESS, dg.DagsterRunStatus.FAILURE, dg.DagsterRunStatus.CANCELED}
SHOWN_EVENTS = {dg.DagsterEventType.RUN_FAILURE, dg.DagsterEventType.ENGINE_EVENT, dg.DagsterEventType.STEP_FAILURE}


def production_yaml_with_fast_monitoring(home: Path) -> dict:
    """Rewrite home/dagster.yaml: the production file with only the two monitoring timings shortened."""
    production = yaml.safe_load((REPO_ROOT / "config" / "dagster.postgres.yaml").read_text(encoding="utf-8"))
    assert production["run_monitoring"]["enabled"] is True, production.get("run_monitoring")
    assert production["run_retries"]["enabled"] is True and production["run_retries"]["max_retries"] >= 1
    config = copy.deepcopy(production)
    config["run_monitoring"].update(start_timeout_seconds=START_TIMEOUT, poll_interval_seconds=POLL_INTERVAL)
    (home / "dagster.yaml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    return production


@pytest.fixture
def services(data_dir: Path, sample_feeds_over_http: Path, tmp_path: Path,
             monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Service, Service]]:
    """The daemon and `dagster job launch` for the production instance in a fresh database (not started).

    Torn down in that order, also on failure: every process group killed, then the database dropped."""
    with fresh_database() as dbname:
        home = tmp_path / "dagster_home"
        settings = make_home(home, dbname)
        production_yaml_with_fast_monitoring(home)
        settings.update(WATCHFLOOR_DATA=str(data_dir), WATCHFLOOR_FEEDS=str(sample_feeds_over_http))
        for var, value in settings.items():
            monkeypatch.setenv(var, value)  # the in-process instance of the test sees the same
        env = {k: v for k, v in os.environ.items() if not k.startswith(("WATCHFLOOR_", "OPENAI_", "DAGSTER_"))}
        env.update(settings, PYTHONUNBUFFERED="1")
        daemon = Service("dagster-daemon", [str(BIN / "dagster-daemon"), "run", "-w", "workspace.yaml"],
                         env, tmp_path / "daemon.log")
        launch = Service("dagster job launch", [str(BIN / "dagster"), "job", "launch", "-w", "workspace.yaml",
                                                "-j", "poll_feeds", "--config-json", json.dumps(IN_PROCESS)],
                         env, tmp_path / "launch.log")
        for service in (daemon, launch):
            assert Path(service.argv[0]).exists(), f"{service.argv[0]} is missing: run `make install`"
        try:
            yield daemon, launch
        finally:
            daemon.kill_everything()
            launch.kill_everything()


def event_types(instance: dg.DagsterInstance, run_id: str) -> list[str]:
    return [e.dagster_event.event_type_value for e in instance.all_logs(run_id) if e.dagster_event]


def test_a_run_left_starting_is_failed_by_monitoring_then_retried_to_success(services, sample_feeds_over_http: Path):
    daemon, launch = services
    started = time.monotonic()
    timeline: list[str] = []

    def mark(what: str) -> None:
        timeline.append(f"{time.monotonic() - started:6.1f} s  {what}")

    daemon.start()  # the first daemon, the one that will crash
    with dg.DagsterInstance.get() as instance:
        # The production instance, with only the two timings shortened.
        assert type(instance.run_coordinator).__name__ == "QueuedRunCoordinator"
        assert instance.run_monitoring_enabled
        assert (instance.run_monitoring_start_timeout_seconds, instance.run_monitoring_poll_interval_seconds,
                instance.run_monitoring_cancel_timeout_seconds) == (START_TIMEOUT, POLL_INTERVAL, 180)
        assert instance.run_retries_enabled and instance.run_retries_max_retries == 2
        assert {"MONITORING", "EVENT_LOG_CONSUMER", "QUEUED_RUN_COORDINATOR"} <= set(instance.get_required_daemon_types())

        run_id = str(uuid.uuid4())

        def explain() -> str:
            """The steps so far, every run with its tags and events, and the logs: the message of each failed wait."""
            lines = ["steps:", *timeline, "runs:"]
            for run in instance.get_runs():
                tags = {k: v for k, v in run.tags.items() if k.startswith(("dagster/", "watchfloor/"))}
                lines.append(f"  {run.run_id[:8]} {run.job_name} {run.status.value} {tags}")
                lines.append(f"    events: {event_types(instance, run.run_id)}")
                lines += [f"    {e.dagster_event.event_type_value}: {e.message[:300]}"
                          for e in instance.all_logs(run.run_id, of_type=SHOWN_EVENTS)]
            lines.append(f"--- dagster-daemon log (tail) ---\n{tail(daemon.log)}")
            lines.append(f"--- dagster job launch log (tail) ---\n{tail(launch.log, 30)}")
            return "\n".join(lines)

        # -- 1. a daemon that has run: its run-retry daemon has a cursor ------------------------------
        def cursor_stored() -> bool:
            daemon.assert_running()
            return bool(instance.daemon_cursor_storage.get_cursor_values({RUN_FAILURE_CURSOR}))

        wait_for("the first daemon's run-retry daemon stored its cursor", cursor_stored, STARTUP_TIMEOUT, explain, every=0.5)
        mark("the first daemon has run")
        daemon.kill_everything()  # SIGKILL to the daemon and its code server
        mark("the first daemon killed")

        # -- 2. the run it was launching: submitted, dequeued, RUN_STARTING recorded, no worker --------
        launch.argv += ["--run-id", run_id]
        launch.start()
        try:
            code = launch.process.wait(timeout=STARTUP_TIMEOUT)
        except subprocess.TimeoutExpired:
            pytest.fail(f"`dagster job launch` did not finish within {STARTUP_TIMEOUT} s\n{explain()}", pytrace=False)
        assert code == 0, f"`dagster job launch` exited with {code}\n{explain()}"
        run = instance.get_run_by_id(run_id)
        assert run is not None and run.status == dg.DagsterRunStatus.QUEUED, explain()
        assert run.remote_job_origin is not None and run.remote_job_origin.location_name == "watchfloor"
        mark("poll_feeds submitted (queued) by `dagster job launch`")

        # What the run queue daemon records before it asks the run launcher for a worker (dagster
        # 1.13, QueuedRunCoordinatorDaemon._dequeue_run); the crash comes before the launch.
        instance.report_dagster_event(
            dg.DagsterEvent(event_type_value=dg.DagsterEventType.RUN_STARTING.value, job_name=run.job_name),
            run_id=run_id,
        )
        assert instance.get_run_by_id(run_id).status == dg.DagsterRunStatus.STARTING
        mark("RUN_STARTING recorded, no worker started")

        # -- 3. the restart ---------------------------------------------------------------------------
        daemon.start()
        restarted = time.monotonic()
        mark("the daemon started again")

        def stuck_run_finished() -> bool:
            daemon.assert_running()
            return instance.get_run_by_id(run_id).status in DONE

        wait_for("run monitoring failed the run left STARTING", stuck_run_finished, RETRY_TIMEOUT, explain, every=0.5)
        mark("the stuck run finished")

        retries: list[dg.DagsterRun] = []

        def retry_finished() -> bool:
            daemon.assert_running()
            retries[:] = instance.get_runs(dg.RunsFilter(tags={"dagster/parent_run_id": run_id}))
            return bool(retries) and all(r.status in DONE for r in retries)

        wait_for("run retries re-ran the failed run to its end", retry_finished,
                 RETRY_TIMEOUT - (time.monotonic() - restarted), explain, every=0.5)
        mark(f"the retry ended {retries[0].status.value}")

        # -- the stuck run: failed by run monitoring, after the start timeout, never started ------------
        stuck = instance.get_run_by_id(run_id)
        assert stuck.status == dg.DagsterRunStatus.FAILURE, explain()
        (starting,) = instance.all_logs(run_id, of_type=dg.DagsterEventType.RUN_STARTING)
        (failure,) = instance.all_logs(run_id, of_type=dg.DagsterEventType.RUN_FAILURE)
        assert failure.message.startswith(f"Run timed out due to taking longer than {START_TIMEOUT} seconds to start."), explain()
        assert failure.timestamp - starting.timestamp >= START_TIMEOUT, (starting.timestamp, failure.timestamp)
        assert stuck.tags.get("dagster/failure_reason") == "START_TIMEOUT", stuck.tags
        lifecycle = [t for t in event_types(instance, run_id) if t.startswith("PIPELINE_")]  # the run's statuses
        assert lifecycle == ["PIPELINE_ENQUEUED", "PIPELINE_STARTING", "PIPELINE_FAILURE"], explain()  # no PIPELINE_START
        assert not [t for t in event_types(instance, run_id) if t.startswith("STEP_")], explain()

        # -- the retry: one, launched by the daemon through the queue, successful ----------------------
        (retry,) = retries
        assert retry.status == dg.DagsterRunStatus.SUCCESS, explain()
        assert stuck.tags.get("dagster/will_retry") == "true" and stuck.tags.get("dagster/auto_retry_run_id") == retry.run_id, stuck.tags
        assert (retry.tags.get("dagster/root_run_id"), retry.tags.get("dagster/retry_number")) == (run_id, "1"), retry.tags
        assert retry.job_name == "poll_feeds" and retry.tags.get("watchfloor/stage") == "poll", retry.tags
        assert retry.remote_job_origin.location_name == "watchfloor" and retry.run_config == IN_PROCESS, retry.run_config
        lifecycle = [t for t in event_types(instance, retry.run_id) if t.startswith("PIPELINE_")]
        assert lifecycle == ["PIPELINE_ENQUEUED", "PIPELINE_STARTING", "PIPELINE_START", "PIPELINE_SUCCESS"], lifecycle
        assert len(instance.get_runs()) == 2, explain()  # no second retry, nothing else launched

        # what the retry did: one poll of every sample feed, none failed
        materialisation = instance.get_latest_materialization_event(RAW_FEEDS)
        assert materialisation is not None and materialisation.run_id == retry.run_id, explain()
        metadata = materialisation.asset_materialization.metadata
        assert metadata["feeds_polled"].value == len(load_feeds(sample_feeds_over_http)), metadata
        assert metadata["feeds_failed"].value == 0, metadata
        mark("checked")
        print("\n".join(timeline))
