"""Steps on Celery workers: WATCHFLOOR_EXECUTOR=celery, RabbitMQ on 127.0.0.1:5672, Redis on 127.0.0.1:6379.

The selection tests need no broker. The backfill test runs the production instance
(config/dagster.postgres.yaml, a fresh database on 127.0.0.1:5432) with two real Celery workers
(`celery -A orchestration.celery_worker worker`, separate process groups, one step at a time each)
on a queue of this session's own (tests/support/celery_workers.py):

1. The sample feeds are polled in process; a copy of the data folder is kept for the reference.
2. The backfill, as `watchfloor backfill` lays it out: one `weekly_articles` run over both weeks,
   then one `country_week` run per country over both weeks, both at once; each run's process is a
   `dagster job execute` (as the daemon's run launcher starts one), sending every step to the queue.
3. While the `articles` step runs, its worker is killed with SIGKILL (process group: the worker and
   its pool process, as when a host dies). Its unacknowledged message goes back to the queue
   (task_acks_late) and the other worker runs the step again. The killed worker is then started
   again under its name, as a host coming back, before the country runs.
4. The same backfill in process (`watchfloor backfill --no-fetch`, the multiprocess default) on the copy.

Asserted: every run succeeds; `articles` was lost on the killed worker and succeeded on the other;
every other step ran once and succeeded; the country runs' steps ran on both workers; the lake
tables, sections and reports digest the same as the in-process run's (tests/support/golden.py); the
broker URL is in no stored run config or job snapshot. The backfill test is skipped when RabbitMQ or
Redis does not answer, unless WATCHFLOOR_REQUIRE_CELERY=1 (for CI) turns that into a failure.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import dagster as dg
import pytest

from orchestration.cli import main as watchfloor_main
from orchestration.executors import executor_from_environment
from tests.support.celery_workers import (
    BROKER,
    celery_environment,
    finished_run,
    private_queue,
    require_broker,
    run_over_range,
    steps_by_worker,
    wait_until_ready,
    worker,
)
from tests.support.dagster_servers import tail, wait_for
from tests.support.factories import pipeline_assets, resources
from tests.support.golden import REPO_ROOT, digests, run_watchfloor
from tests.support.postgres import fresh_database, make_home, require_server
from watchfloor.core.config import ConfigError

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("celery")]  # two workers and two run processes: one test worker

WEEKS = ("2026-06-17", "2026-06-24")  # where samples/ has security news
COUNTRIES = ("MN", "KZ")
KILL_TIMEOUT = 120  # seconds until the articles step starts on a worker (both workers' first, cold step)
RETRY_TIMEOUT = 60  # until the other worker takes the lost step
RUN_TIMEOUT = 600  # for each run's process to finish (a loaded machine: 2 cores shared)


# -- choosing the executor, without a broker ----------------------------------------------------------


def test_the_default_executor_is_unchanged(monkeypatch):
    monkeypatch.delenv("WATCHFLOOR_EXECUTOR", raising=False)
    assert executor_from_environment() is dg.multi_or_in_process_executor


def test_celery_is_chosen_by_the_environment(monkeypatch):
    pytest.importorskip("dagster_celery")
    from orchestration.definitions import definitions

    monkeypatch.setenv("WATCHFLOOR_EXECUTOR", "Celery ")
    monkeypatch.setenv("WATCHFLOOR_CELERY_BROKER", "amqp://watchfloor:secret@127.0.0.1:5672/prod")
    defs = definitions()
    jobs = ("poll_feeds", "weekly_articles", "country_week")
    assert {defs.resolve_job_def(job).executor_def.name for job in jobs} == {"celery"}


@pytest.mark.parametrize(("variable", "value", "message"), [
    ("WATCHFLOOR_EXECUTOR", "k8s", "WATCHFLOOR_EXECUTOR='k8s' is not an executor: use one of multiprocess, celery"),
    ("WATCHFLOOR_CELERY_BROKER", "127.0.0.1:5672", "WATCHFLOOR_CELERY_BROKER must be a URL such as pyamqp://"),
    ("WATCHFLOOR_CELERY_BACKEND", "mysql://127.0.0.1/db", "WATCHFLOOR_CELERY_BACKEND must be a URL such as redis://"),
])
def test_a_bad_setting_is_refused_with_what_to_fix(monkeypatch, capsys, tmp_path, variable, value, message):
    pytest.importorskip("dagster_celery")
    monkeypatch.setenv("WATCHFLOOR_EXECUTOR", "celery")
    monkeypatch.setenv(variable, value)
    with pytest.raises(ConfigError, match=message.replace("(", r"\(")):
        executor_from_environment()
    # the command stops with the same one line, exit status 2, before anything runs
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "dagster"))
    monkeypatch.setenv("WATCHFLOOR_DATA", str(tmp_path / "data"))
    assert watchfloor_main(["run", "--no-fetch", "--week", WEEKS[1]]) == 2
    assert message in capsys.readouterr().err


# -- the backfill on two workers ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def queue() -> Iterator[str]:
    require_broker()
    require_server()
    with private_queue("watchfloor-test") as name:
        yield name


@pytest.fixture
def celery_home(queue: str, data_dir: Path, tmp_path: Path,
                monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, str]]:
    """The production instance in a fresh database and the Celery settings: in this process's
    environment (the runs' processes inherit it) and returned for the workers'."""
    with fresh_database() as name:
        settings = make_home(tmp_path / "dagster_home", name)
        settings.update(WATCHFLOOR_DATA=str(data_dir), WATCHFLOOR_COUNTRIES=",".join(COUNTRIES),
                        **celery_environment(queue))
        for var, value in settings.items():
            monkeypatch.setenv(var, value)
        yield {**{k: v for k, v in os.environ.items() if not k.startswith("OPENAI_")}, **settings}


def test_a_backfill_on_two_workers_survives_a_killed_worker(celery_home, queue, data_dir, sample_feeds_over_http,
                                                            tmp_path):
    reference = tmp_path / "in_process"
    names = (f"{queue}-a", f"{queue}-b")  # no other session's worker answers to these
    workers = {name: worker(name, celery_home, tmp_path / f"{name}.log") for name in names}
    articles = run_over_range("weekly_articles", *WEEKS, celery_home, tmp_path / "articles-run.log")
    countries = [run_over_range("country_week", f"{c}|{WEEKS[0]}", f"{c}|{WEEKS[1]}", celery_home,
                                tmp_path / f"{c}-run.log") for c in COUNTRIES]

    def logs() -> str:
        return "\n".join(f"--- {s.name} ---\n{tail(s.log)}" for s in [*workers.values(), articles, *countries])

    try:
        for w in workers.values():
            w.start()
        with dg.DagsterInstance.get() as instance:
            instance.event_log_storage.set_concurrency_slots("llm", 2)  # as README "Deploying" sets it
            assert dg.materialize(pipeline_assets(), selection="raw_feeds", instance=instance,
                                  resources=resources(data_dir, sample_feeds_over_http)).success
            shutil.copytree(data_dir, reference)
            wait_until_ready(list(workers.values()))

            articles.start()

            def articles_attempts() -> list[tuple[str, str]]:
                (run,) = instance.get_runs(dg.RunsFilter(job_name="weekly_articles"), limit=1) or [None]
                started = run and instance.all_logs(run.run_id, of_type=dg.DagsterEventType.STEP_START)
                return steps_by_worker(instance, run.run_id).get("articles", []) if started else []

            wait_for("the articles step started on a worker", articles_attempts, KILL_TIMEOUT, logs, every=0.05)
            ((killed, _),) = articles_attempts()
            killed_name, host = killed.split("@")
            workers[killed_name].kill_everything()  # SIGKILL, mid-step: the worker and its pool process
            wait_for("the lost articles step taken by the other worker", lambda: len(articles_attempts()) == 2,
                     RETRY_TIMEOUT, logs)
            workers[killed_name].start()  # the host comes back
            assert finished_run(instance, articles, RUN_TIMEOUT).is_success, logs()
            for run in countries:  # both at once: a backfill's runs share the workers
                run.start()
            assert all(finished_run(instance, run, RUN_TIMEOUT).is_success for run in countries), logs()

            runs = instance.get_runs(dg.RunsFilter(job_name="weekly_articles")) + instance.get_runs(
                dg.RunsFilter(job_name="country_week"))
            attempts = {run.run_id: steps_by_worker(instance, run.run_id) for run in runs}
            print({run.job_name + " " + run.run_id[:8]: attempts[run.run_id] for run in runs})  # who ran which step
            articles_steps = attempts.pop(runs[0].run_id)
            survivor = next(name for name in names if name != killed_name)
            assert articles_steps.pop("articles") == [(killed, "lost"), (f"{survivor}@{host}", "success")]
            assert [end for tries in articles_steps.values() for _, end in tries] == ["success"]  # the checks
            country_steps = [tries for steps in attempts.values() for tries in steps.values()]
            assert len(attempts) == len(COUNTRIES), attempts
            assert all(len(tries) == 1 and tries[0][1] == "success" for tries in country_steps), attempts
            assert {tries[0][0] for tries in country_steps} == {f"{name}@{host}" for name in names}, attempts

            for run in runs:  # the broker's URL (and password) is bound in the definitions, not stored with the runs
                assert BROKER not in str(run.run_config)
                assert BROKER not in str(instance.get_job_snapshot(run.job_snapshot_id))
    finally:
        for service in [*workers.values(), articles, *countries]:
            service.kill_everything()

    run_watchfloor(["backfill", "--no-fetch", "--from", WEEKS[0], "--to", WEEKS[1]], reference,
                   tmp_path / "reference_home", WATCHFLOOR_EXECUTOR="multiprocess",
                   WATCHFLOOR_COUNTRIES=",".join(COUNTRIES))
    on_celery = digests(data_dir, {str(data_dir): "<data>", str(REPO_ROOT): "<repo>"})
    in_process = digests(reference, {str(reference): "<data>", str(REPO_ROOT): "<repo>"})
    assert int(on_celery["rows/events"]) > 0 and any(name.startswith("reports/") for name in on_celery)
    assert on_celery == in_process
