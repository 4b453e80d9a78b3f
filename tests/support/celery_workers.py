"""Celery workers as the deployment runs them, for tests/system/test_celery.py and bench/celery_backfill.py.

The broker is the machine's RabbitMQ on 127.0.0.1:5672 (guest/guest), the result backend its Redis
on 127.0.0.1:6379. Each test session (and bench run) sends its steps to a queue of its own, so
concurrent sessions on the machine never take each other's steps; the queue is deleted afterwards.
Workers are `celery -A orchestration.celery_worker worker` subprocesses in their own process groups,
one step at a time each, named so that the run's events say which worker ran which step.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import dagster as dg
import pytest

from orchestration.cli import RANGE_END_TAG, RANGE_START_TAG
from tests.support.dagster_servers import Service, tail, wait_for

BROKER = "pyamqp://guest:guest@127.0.0.1:5672//"
BACKEND = "redis://127.0.0.1:6379/0"
BIN = Path(sys.executable).parent
WORKER_STARTUP_TIMEOUT = 90  # seconds; two workers importing Dagster at once on 2 cores
EXECUTING = "in celery worker"  # dagster-celery's event as a worker takes a step: "Executing steps X in celery worker"


def unreachable() -> str | None:
    """Why steps cannot go to Celery here (dagster-celery missing, no broker, no result backend), or None."""
    try:
        import kombu
        import redis
        import dagster_celery  # noqa: F401 - only whether it is installed
    except ImportError as exc:
        return f"{exc.name} is not installed: run `make install`"
    try:
        with kombu.Connection(BROKER, connect_timeout=3) as connection:
            connection.ensure_connection(max_retries=1)
    except Exception as exc:  # noqa: BLE001 - any failure to connect means no broker
        return f"no RabbitMQ broker at 127.0.0.1:5672 ({type(exc).__name__}: {exc})"
    try:
        redis.Redis.from_url(BACKEND, socket_connect_timeout=3).ping()
    except redis.RedisError as exc:
        return f"no Redis result backend at 127.0.0.1:6379 ({exc})"
    return None


def require_broker() -> None:
    """Call before a test that needs Celery: skips it when steps cannot go to Celery here, unless
    WATCHFLOOR_REQUIRE_CELERY=1 (CI) turns that into a failure."""
    reason = unreachable()
    if reason is None:
        return
    if os.environ.get("WATCHFLOOR_REQUIRE_CELERY") == "1":
        pytest.fail(f"{reason}; WATCHFLOOR_REQUIRE_CELERY=1", pytrace=False)
    pytest.skip(reason)


def celery_environment(queue: str) -> dict[str, str]:
    """The variables that select the Celery executor on `queue`, for the runs and the workers alike."""
    return {"WATCHFLOOR_EXECUTOR": "celery", "WATCHFLOOR_CELERY_BROKER": BROKER,
            "WATCHFLOOR_CELERY_BACKEND": BACKEND, "WATCHFLOOR_CELERY_QUEUE": queue}


@contextmanager
def private_queue(prefix: str) -> Iterator[str]:
    """A queue name no one else uses; the queue is deleted from the broker afterwards."""
    import kombu

    name = f"{prefix}-{uuid.uuid4().hex[:10]}"
    try:
        yield name
    finally:
        with kombu.Connection(BROKER, connect_timeout=3) as connection:
            connection.default_channel.queue_delete(name)


def worker(name: str, env: dict[str, str], log: Path) -> Service:
    """A Celery worker taking one step at a time; its node name `name@<host>` is what the run's events show."""
    argv = [str(BIN / "celery"), "-A", "orchestration.celery_worker", "worker", "-n", f"{name}@%h",
            "--concurrency", "1", "--loglevel", "INFO", "--without-gossip", "--without-mingle"]
    return Service(f"celery worker {name}", argv, {**env, "PYTHONUNBUFFERED": "1"}, log)


def wait_until_ready(workers: list[Service]) -> None:
    """Until every worker answers a ping through the broker (its consumer is then on the queue)."""
    from celery import Celery

    app = Celery(broker=BROKER)
    names = {w.name.split()[-1] for w in workers}

    def all_answer() -> bool:
        for w in workers:
            w.assert_running()
        replies = app.control.ping(timeout=1)
        return names <= {node.split("@")[0] for reply in replies for node in reply}

    wait_for("the Celery workers answer", all_answer, WORKER_STARTUP_TIMEOUT,
             lambda: "\n".join(f"--- {w.name} ---\n{tail(w.log)}" for w in workers), every=0.5)


def steps_by_worker(instance: dg.DagsterInstance, run_id: str) -> dict[str, list[tuple[str, str]]]:
    """Step key -> [(worker node name, how that attempt ended: success, failure or lost)], in order.

    dagster-celery records "Executing steps ... in celery worker" with the worker's name as a worker
    takes a step; the step's events that follow belong to that attempt, all from one process."""
    attempts: dict[str, list[dict]] = defaultdict(list)
    for entry in instance.all_logs(run_id):
        event = entry.dagster_event
        if event is None or event.step_key is None:
            continue
        if event.is_engine_event and EXECUTING in entry.message:
            worker = event.engine_event_data.metadata["Celery worker"].value
            attempts[event.step_key].append({"worker": worker, "pid": None, "end": "lost"})
        elif event.pid is not None and attempts[event.step_key] and not event.is_engine_event:
            attempt = attempts[event.step_key][-1]
            attempt["pid"] = attempt["pid"] or event.pid
            assert event.pid == attempt["pid"], f"{event.step_key}: events of one attempt from two processes"
            if event.is_step_success or event.is_step_failure:
                attempt["end"] = "success" if event.is_step_success else "failure"
    return {step: [(a["worker"], a["end"]) for a in tries] for step, tries in attempts.items()}


def run_over_range(job: str, start: str, end: str, env: dict[str, str], log: Path) -> Service:
    """`dagster job execute` of `job` over the partitions start..end: the run's orchestrator in a
    process of its own, as the daemon's run launcher starts one, with the executor of `env`."""
    tags = json.dumps({RANGE_START_TAG: start, RANGE_END_TAG: end})
    argv = [str(BIN / "dagster"), "job", "execute", "-m", "orchestration.definitions", "-a", "definitions",
            "-j", job, "--tags", tags]
    return Service(f"run of {job} {start}..{end}", argv, env, log)


def watchfloor(args: list[str], env: dict[str, str], log: Path) -> Service:
    """The `watchfloor` command (orchestration/cli.py) as a user runs it, with the executor of `env`:
    with WATCHFLOOR_EXECUTOR=celery its process is each run's orchestrator. Its stdout and stderr go to `log`."""
    return Service(f"watchfloor {args[0]}", [sys.executable, "-m", "orchestration.cli", *args],
                   {**env, "PYTHONUNBUFFERED": "1"}, log)


def finished_run(instance: dg.DagsterInstance, run: Service, timeout: float) -> dg.DagsterRun:
    """The run `run` executed, once its process has exited (a failure with its log when it has not in time)."""
    try:
        run.process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        pytest.fail(f"{run.name}: not finished within {timeout:.0f} s\n{tail(run.log)}", pytrace=False)
    start, end = (json.loads(run.argv[-1])[tag] for tag in (RANGE_START_TAG, RANGE_END_TAG))
    (found,) = instance.get_runs(dg.RunsFilter(tags={RANGE_START_TAG: start, RANGE_END_TAG: end}))
    return found
