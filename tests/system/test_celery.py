"""Steps on Celery workers: WATCHFLOOR_EXECUTOR=celery, RabbitMQ on 127.0.0.1:5672, Redis on 127.0.0.1:6379.

The selection tests need no broker. The backfill tests run the production instance
(config/dagster.postgres.yaml, a fresh database on 127.0.0.1:5432) with two real Celery workers
(`celery -A orchestration.celery_worker worker`, separate process groups, one step at a time each)
on a queue of this session's own (tests/support/celery_workers.py). Once for the module, the sample
feeds are polled into a data folder, and the same backfill in process (`watchfloor backfill
--no-fetch`, the multiprocess default) on a copy of it, running while the first test's workers
start, gives the reference digests and output. Each backfill test starts from its own copy of the
polled folder.

The backfill of `watchfloor backfill` itself (`watchfloor backfill --no-fetch` with
WATCHFLOOR_EXECUTOR=celery): the command's process is each run's orchestrator and sends every step
to the queue. Asserted: exit status 0; the command says which queue and never the broker URL; every
step of every run ran once, on a worker, and succeeded; both workers took steps; the lake tables,
sections and reports digest the same as the in-process run's (tests/support/golden.py).

The backfill surviving a killed worker:

1. The backfill, as `watchfloor backfill` lays it out: one `weekly_articles` run over both weeks,
   then one `country_week` run per country over both weeks, both at once; each run's process is a
   `dagster job execute` (as the daemon's run launcher starts one), sending every step to the queue.
2. While the `articles` step runs, its worker is killed with SIGKILL (process group: the worker and
   its pool process, as when a host dies). Its unacknowledged message goes back to the queue
   (task_acks_late) and the other worker runs the step again. The killed worker is then started
   again under its name, as a host coming back, before the country runs.

Asserted: every run succeeds; `articles` was lost on the killed worker and succeeded on the other;
every other step ran once and succeeded; the country runs' steps ran on both workers; the lake
tables, sections and reports digest the same as the in-process run's; the broker URL is in no
stored run config or job snapshot. The backfill tests are skipped when RabbitMQ or Redis does not
answer, unless WATCHFLOOR_REQUIRE_CELERY=1 (for CI) turns that into a failure.
"""

from __future__ import annotations

import functools
import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import dagster as dg
import pytest

from orchestration.cli import QUIET_LOGS, RANGE_END_TAG, RANGE_START_TAG
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
    watchfloor,
    worker,
)
from tests.support.dagster_servers import Service, tail, wait_for
from tests.support.factories import SAMPLES, pipeline_assets, resources, write_feeds_file
from tests.support.golden import REPO_ROOT, digests
from tests.support.postgres import fresh_database, make_home, require_server
from watchfloor.core.config import ConfigError, load_feeds

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


def test_the_command_runs_its_jobs_in_process_by_default(monkeypatch, instance):
    from orchestration.launch import Launcher

    @dg.op
    def step() -> int:
        return 1

    @dg.job
    def tiny():
        step()

    def not_out_of_process(*args, **kwargs):
        raise AssertionError("execute_job called with the multiprocess executor")

    monkeypatch.setattr(dg, "execute_job", not_out_of_process)
    for value in (None, "multiprocess", " Multiprocess"):
        if value is None:
            monkeypatch.delenv("WATCHFLOOR_EXECUTOR", raising=False)
        else:
            monkeypatch.setenv("WATCHFLOOR_EXECUTOR", value)
        launcher = Launcher.from_environment(dg.Definitions(jobs=[tiny]))
        assert launcher.in_process and launcher.where() is None  # nothing more printed than before
        result = launcher.run("tiny", instance, QUIET_LOGS)
        assert isinstance(result, dg.ExecuteInProcessResult) and result.success


def test_with_celery_the_command_orchestrates_a_reconstructable_run(monkeypatch, instance, data_dir):
    pytest.importorskip("dagster_celery")
    from orchestration.definitions import definitions
    from orchestration.launch import Launcher

    monkeypatch.setenv("WATCHFLOOR_EXECUTOR", "celery")
    monkeypatch.setenv("WATCHFLOOR_CELERY_BROKER", "amqp://watchfloor:secret@broker.example:5672/prod")
    monkeypatch.setenv("WATCHFLOOR_CELERY_QUEUE", "night")
    calls = []
    monkeypatch.setattr(dg, "execute_job", lambda job, **kwargs: calls.append((job, kwargs)))
    launcher = Launcher.from_environment(definitions())
    assert not launcher.in_process
    assert launcher.where() == "  steps on Celery workers, queue night"  # not the broker, nor its password

    key = dg.MultiPartitionKey({"week": WEEKS[1], "country": "MN"})
    launcher.run("country_week", instance, QUIET_LOGS, partition_key=key)
    launcher.run("weekly_articles", instance, QUIET_LOGS, tags={RANGE_START_TAG: WEEKS[0], RANGE_END_TAG: WEEKS[1]})
    (country, country_kwargs), (articles, articles_kwargs) = calls
    assert type(country).__name__ == "ReconstructableJob"  # what a worker loads: orchestration.launch.country_week_job
    assert (country.job_name, country.get_module()) == ("country_week", "orchestration.launch")
    assert country_kwargs == {"instance": instance, "run_config": QUIET_LOGS, "raise_on_error": False, "tags": {
        # the tags execute_in_process gives a partition of the job
        "dagster/partition": f"MN|{WEEKS[1]}", "dagster/partition/country": "MN", "dagster/partition/week": WEEKS[1],
        "dagster/partition_set": "country_week_partition_set"}}
    assert articles.job_name == "weekly_articles"
    assert articles_kwargs["tags"] == {RANGE_START_TAG: WEEKS[0], RANGE_END_TAG: WEEKS[1]}


# -- the backfills on two workers --------------------------------------------------------------------


@pytest.fixture(scope="module")
def queue() -> Iterator[str]:
    require_broker()
    require_server()
    with private_queue("watchfloor-test") as name:
        yield name


@dataclass
class Polled:
    """The sample feeds polled once into `folder` (copy it, never write to it), and `watchfloor
    backfill --no-fetch` of WEEKS in process on another copy: started with the fixture, waited for
    when a test first compares with it, so that it runs while that test's workers start."""

    folder: Path
    in_process: Path
    command: Service

    @functools.cached_property
    def output(self) -> str:
        try:
            status = self.command.process.wait(timeout=RUN_TIMEOUT)
        except subprocess.TimeoutExpired:
            pytest.fail(f"the in-process backfill: not finished within {RUN_TIMEOUT} s\n{tail(self.command.log)}",
                        pytrace=False)
        assert status == 0, f"the in-process backfill failed:\n{tail(self.command.log)}"
        return self.command.log.read_text(encoding="utf-8")

    @functools.cached_property
    def reference(self) -> dict[str, str]:
        """The digests of its lake tables, sections and reports."""
        self.output  # noqa: B018 - finished
        found = digests(self.in_process, {str(self.in_process): "<data>", str(REPO_ROOT): "<repo>"})
        assert int(found["rows/events"]) > 0 and any(name.startswith("reports/") for name in found)
        return found

    @property
    def lines(self) -> list[str]:
        """What it printed (command_lines)."""
        return command_lines(self.output, self.in_process, Path(self.command.env["DAGSTER_HOME"]))


def command_lines(output: str, data: Path, home: Path) -> list[str]:
    """The lines `watchfloor` printed, sorted (steps on workers finish in any order), without its
    folders and run ids."""
    text = re.sub(r"\brun [0-9a-f]{8} ", "run <id> ", output.replace(str(home), "<home>").replace(str(data), "<data>"))
    return sorted(line for line in text.splitlines() if line.strip() and not line.startswith("====="))


@pytest.fixture(scope="module")
def polled(queue: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Polled]:
    """The sample feeds polled once (served from 127.0.0.1), and the in-process backfill of their copy."""
    from pytest_httpserver import HTTPServer

    root = tmp_path_factory.mktemp("polled")
    folder, in_process = root / "data", root / "in_process"
    folder.mkdir()
    server = HTTPServer(host="127.0.0.1", port=0)
    server.start()
    try:
        urls = []
        for feed in load_feeds(SAMPLES / "feeds.yaml"):
            path = Path(feed.url)
            server.expect_request(f"/{path.name}").respond_with_data(
                path.read_bytes(), content_type="application/xml; charset=utf-8")
            urls.append((server.url_for(f"/{path.name}"), feed.name))
        feeds = write_feeds_file(root / "feeds.yaml", urls)
        with pytest.MonkeyPatch.context() as env, dg.instance_for_test() as instance:
            env.setenv("WATCHFLOOR_DATA", str(folder))
            env.setenv("WATCHFLOOR_COUNTRIES", ",".join(COUNTRIES))
            env.delenv("WATCHFLOOR_EXECUTOR", raising=False)
            assert dg.materialize(pipeline_assets(), selection="raw_feeds", instance=instance,
                                  resources=resources(folder, feeds)).success
    finally:
        server.stop()
    shutil.copytree(folder, in_process)
    env = {**{k: v for k, v in os.environ.items() if k != "OPENAI_API_KEY"}, "WATCHFLOOR_DATA": str(in_process),
           "DAGSTER_HOME": str(root / "dagster_home"), "WATCHFLOOR_EXECUTOR": "multiprocess",
           "WATCHFLOOR_COUNTRIES": ",".join(COUNTRIES)}
    command = watchfloor(["backfill", "--no-fetch", "--from", WEEKS[0], "--to", WEEKS[1]], env,
                         root / "in_process.log")
    command.start()
    try:
        yield Polled(folder, in_process, command)
    finally:
        command.kill_everything()


@pytest.fixture
def celery_home(queue: str, polled: Polled, data_dir: Path, tmp_path: Path,
                monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, str]]:
    """The production instance in a fresh database, a copy of the polled data folder, and the Celery
    settings: in this process's environment (the runs' processes inherit it) and returned for the workers'."""
    shutil.copytree(polled.folder, data_dir, dirs_exist_ok=True)
    with fresh_database() as name:
        settings = make_home(tmp_path / "dagster_home", name)
        settings.update(WATCHFLOOR_DATA=str(data_dir), WATCHFLOOR_COUNTRIES=",".join(COUNTRIES),
                        **celery_environment(queue))
        for var, value in settings.items():
            monkeypatch.setenv(var, value)
        with dg.DagsterInstance.get() as instance:
            instance.event_log_storage.set_concurrency_slots("llm", 2)  # as README "Deploying" sets it
        yield {**{k: v for k, v in os.environ.items() if not k.startswith("OPENAI_")}, **settings}


def assert_digests_match(data_dir: Path, polled: Polled) -> None:
    on_celery = digests(data_dir, {str(data_dir): "<data>", str(REPO_ROOT): "<repo>"})
    assert on_celery == polled.reference


def test_watchfloor_backfill_runs_its_steps_on_the_workers(celery_home, queue, polled, data_dir, tmp_path):
    names = (f"{queue}-cli-a", f"{queue}-cli-b")
    workers = [worker(name, celery_home, tmp_path / f"{name}.log") for name in names]
    command = watchfloor(["backfill", "--no-fetch", "--from", WEEKS[0], "--to", WEEKS[1]], celery_home,
                         tmp_path / "watchfloor.log")

    def logs() -> str:
        return "\n".join(f"--- {s.name} ---\n{tail(s.log)}" for s in [*workers, command])

    try:
        for w in workers:
            w.start()
        command.start()  # its steps wait on the queue until a worker takes them
        wait_until_ready(workers)
        try:
            status = command.process.wait(timeout=RUN_TIMEOUT)
        except subprocess.TimeoutExpired:
            pytest.fail(f"watchfloor backfill: not finished within {RUN_TIMEOUT} s\n{logs()}", pytrace=False)
        output = command.log.read_text(encoding="utf-8")  # its stdout and stderr
        assert status == 0, logs()
        assert f"\n  steps on Celery workers, queue {queue}\n" in output, output
        assert BROKER not in output and "guest:guest" not in output
        # the same lines as in process (each run's steps, checks and outcome, what was produced), and the queue's
        lines = command_lines(output, data_dir, Path(celery_home["DAGSTER_HOME"]))
        assert lines == sorted([*polled.lines, f"  steps on Celery workers, queue {queue}"]), output

        with dg.DagsterInstance.get() as instance:
            runs = instance.get_runs(dg.RunsFilter(job_name="weekly_articles")) + instance.get_runs(
                dg.RunsFilter(job_name="country_week"))
            assert len(runs) == 1 + len(COUNTRIES) and all(run.is_success for run in runs), runs
            assert all(run.tags.get(tag) for run in runs for tag in (RANGE_START_TAG, RANGE_END_TAG))
            attempts = {run.run_id: steps_by_worker(instance, run.run_id) for run in runs}
            print({run.job_name + " " + run.run_id[:8]: attempts[run.run_id] for run in runs})  # who ran which step
            for run in runs:
                plan = instance.get_execution_plan_snapshot(run.execution_plan_snapshot_id)
                assert set(attempts[run.run_id]) == set(plan.step_keys_to_execute), (run.job_name, attempts)
                assert all(len(tries) == 1 and tries[0][1] == "success" for tries in attempts[run.run_id].values())
                assert BROKER not in str(run.run_config)
            host = next(iter(attempts[runs[0].run_id].values()))[0][0].split("@")[1]
            took = {tries[0][0] for steps in attempts.values() for tries in steps.values()}
            assert took == {f"{name}@{host}" for name in names}, attempts
    finally:
        for service in [*workers, command]:
            service.kill_everything()

    assert_digests_match(data_dir, polled)


def test_a_backfill_on_two_workers_survives_a_killed_worker(celery_home, queue, polled, data_dir, tmp_path):
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

    assert_digests_match(data_dir, polled)
