"""Celery benchmark: bench.backfill's backfill with its steps on Celery workers, beside the same backfill in process.

    python -m bench.celery_backfill [--quick] [--weeks 52 --countries US,CN,RU,UA,IN,JP,GB,IL,IR,MN]
                                    [--items-per-week 19231 --feeds 11 --seed 1] [--workers 2]

Needs RabbitMQ (127.0.0.1:5672), Redis (127.0.0.1:6379) and PostgreSQL (127.0.0.1:5432), as on
these machines. The raw tables of bench.workload's cached lake are linked into two fresh data
folders (not timed), and both backfills record their runs in one production instance
(config/dagster.postgres.yaml in a fresh database; the `llm` pool at 2, as README "Deploying" sets
it). Both lay the runs out as bench.backfill does: `articles` in `--workers` contiguous week ranges,
all at once, then one range run per country, `--workers` runs at a time; the offline writer.

  in process: bench.backfill's own runs (dg.materialize, each run in a new process).
  on Celery:  each run a `dagster job execute` process with WATCHFLOOR_EXECUTOR=celery, sending its
              steps to `--workers` Celery workers (one step at a time each, started before the
              clock starts; each loads the code at its first step), on a queue of this run's own.

Prints both wall times, how many steps each worker ran, whether both lakes digest the same
(tests/support/golden.py), and `ratio celery_vs_in_process <celery / in process wall time>`.

--quick: 4 weeks x 3 countries (US, UA, MN) on 5,000 items a week.
"""

from __future__ import annotations

import argparse
import os
import time
from collections import Counter
from pathlib import Path

from bench.backfill import backfill, fresh_data_folder, ranges
from bench.workload import CACHE, COUNTRIES, FIRST_WEEK, key, raw_lake, weeks_of

RUN_TIMEOUT = 6 * 3600  # seconds for one run's process (a country's 52 weeks)


def run_at_most(runs: list, at_once: int) -> None:
    """Start the run processes, at most `at_once` at a time; return once all have exited."""
    pending, running = list(runs), []
    while pending or running:
        running = [run for run in running if run.process.poll() is None]
        while pending and len(running) < at_once:
            pending[0].start()
            running.append(pending.pop(0))
        time.sleep(0.2)


def celery_backfill(weeks: list[str], countries: tuple[str, ...], workers: int, env: dict[str, str],
                    logs: Path) -> dict:
    import dagster as dg

    from tests.support.celery_workers import run_over_range, steps_by_worker

    articles = [run_over_range("weekly_articles", a, b, env, logs / f"articles-{a}.log")
                for a, b in ranges(weeks, workers)]
    per_country = [run_over_range("country_week", f"{c}|{weeks[0]}", f"{c}|{weeks[-1]}", env, logs / f"{c}.log")
                   for c in countries]
    started = time.perf_counter()
    run_at_most(articles, len(articles))
    articles_done = time.perf_counter()
    run_at_most(per_country, workers)
    finished = time.perf_counter()
    with dg.DagsterInstance.get() as instance:
        runs = [r for r in instance.get_runs() if r.job_name in ("weekly_articles", "country_week")]
        steps = Counter(worker for r in runs for tries in steps_by_worker(instance, r.run_id).values()
                        for worker, _ in tries)
    return {"seconds": finished - started, "articles_seconds": articles_done - started,
            "countries_seconds": finished - articles_done, "runs": len(runs),
            "success": len(runs) == len(articles) + len(per_country) and all(r.is_success for r in runs),
            "steps_by_worker": dict(sorted(steps.items()))}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="4 weeks x 3 countries, 5,000 items a week")
    parser.add_argument("--weeks", type=int, default=52)
    parser.add_argument("--countries", default=",".join(COUNTRIES))
    parser.add_argument("--items-per-week", type=int, default=19231)
    parser.add_argument("--feeds", type=int, default=11)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workers", type=int, default=2, help="Celery workers, and runs at a time on both sides")
    args = parser.parse_args()
    if args.quick:
        args.weeks, args.items_per_week, args.countries = 4, 5000, "US,UA,MN"
    countries = tuple(c.strip().upper() for c in args.countries.split(",") if c.strip())
    weeks = [str(w) for w in weeks_of(args.weeks)]

    from tests.support.celery_workers import celery_environment, private_queue, unreachable, wait_until_ready, worker
    from tests.support.golden import REPO_ROOT, digests
    from tests.support.postgres import fresh_database, make_home

    if reason := unreachable():
        raise SystemExit(f"bench.celery_backfill: {reason}")
    raw_data, raw = raw_lake(args.weeks, args.feeds, args.items_per_week, args.seed, args.workers)
    work = CACHE / f"celery-backfill-{key(args.weeks, args.feeds, args.items_per_week, args.seed)}"
    in_process_data, celery_data, logs = work / "in_process", work / "celery", work / "logs"
    for folder in (in_process_data, celery_data):
        fresh_data_folder(raw_data, folder)
    logs.mkdir(parents=True, exist_ok=True)
    os.environ.pop("OPENAI_API_KEY", None)  # the offline writer
    os.environ.update({"WATCHFLOOR_COUNTRIES": ",".join(countries), "WATCHFLOOR_FIRST_WEEK": FIRST_WEEK.isoformat(),
                       "WATCHFLOOR_FEEDS": str(raw_data / "unused-feeds.yaml"), "WATCHFLOOR_EXECUTOR": "multiprocess"})
    import dagster as dg

    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"celery backfill: {len(weeks)} weeks ({weeks[0]} .. {weeks[-1]}) x {len(countries)} countries "
          f"({','.join(countries)}) on {raw['items']} items; {len(ranges(weeks, args.workers))} articles range run(s) + "
          f"{len(countries)} country range runs, {args.workers} at a time")
    with fresh_database() as database, private_queue("watchfloor-bench") as queue:
        os.environ.update(make_home(work / "dagster_home", database))
        with dg.DagsterInstance.get() as instance:
            instance.event_log_storage.set_concurrency_slots("llm", 2)

        os.environ["WATCHFLOOR_DATA"] = str(in_process_data)
        in_process = backfill(False, weeks, countries, args.workers)

        env = {**os.environ, "WATCHFLOOR_DATA": str(celery_data), **celery_environment(queue)}
        celery_workers = [worker(f"{queue}-{i + 1}", env, logs / f"worker-{i + 1}.log") for i in range(args.workers)]
        try:
            for w in celery_workers:
                w.start()
            wait_until_ready(celery_workers)
            on_celery = celery_backfill(weeks, countries, args.workers, env, logs)
        finally:
            for w in celery_workers:
                w.kill_everything()

    # the data folder first: it lies inside the repository
    same = (digests(celery_data, {str(celery_data): "<data>", str(REPO_ROOT): "<repo>"})
            == digests(in_process_data, {str(in_process_data): "<data>", str(REPO_ROOT): "<repo>"}))
    for label, result in (("in process", in_process), ("on Celery", on_celery)):
        print(f"{label:11s} {result['seconds']:8.1f} s  (articles {result['articles_seconds']:.1f} s, countries "
              f"{result['countries_seconds']:.1f} s)  {'ok' if result['success'] else 'FAILED'}")
    print(f"steps by worker: {on_celery['steps_by_worker']}; logs in {logs}")
    print(f"lake, sections and reports identical to the in-process backfill: {'yes' if same else 'NO'}")
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())} (other processes on the machine skew the figures)")
    print(f"ratio celery_vs_in_process {on_celery['seconds'] / in_process['seconds']:.3f}")
    if not (in_process["success"] and on_celery["success"] and same):
        raise SystemExit(1)


if __name__ == "__main__":
    main()
