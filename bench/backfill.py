"""Backfill benchmark: W weeks x C countries through Dagster, beside the same runs of no-op assets.

    python -m bench.backfill [--quick] [--weeks 52 --countries US,CN,RU,UA,IN,JP,GB,IL,IR,MN]
                             [--items-per-week 19231 --feeds 11 --seed 1] [--workers 2]
                             [--skip-floor] [--warm-vectors LAKE/article_vectors]

The archive (bench.generate, 1,000,000 items at the default scale) is ingested once into a cached
lake (bench/workload.py; not timed: a backfill starts from an archive). The raw tables are linked
into a fresh data folder, then the backfill is run the way a data engineer would with
`dagster asset materialize --partition-range`: real dg.materialize runs against one Dagster
instance (SQLite, in a temporary DAGSTER_HOME), with the offline writer (no OPENAI_API_KEY):

  1. `articles` (and its checks) for every week: one range run per worker, the weeks split
     into contiguous ranges;
  2. per country, one range run (`XX|first-week` .. `XX|last-week`) of country_events, the six
     report sections and security_assessment, with their checks; countries spread over the workers.

`--workers` processes (default 2, the machine's cores) run the runs side by side, each run in a new
process (as Dagster's run launcher starts one per run), so every run pays its own cold start. The floor is the
same: the same asset keys, partitions, partition mappings, backfill policies, pools and check names,
as no-op assets and checks (defined here from the real definitions), the same runs, the same
instance type: what Dagster itself costs. Prints both wall times, the peak memory (each run's
process via getrusage, the largest of them, and the sum of the process tree's resident memory
sampled every 0.2 s: two runs at once), and `ratio backfill_vs_floor <real / floor>`.

--warm-vectors: the `article_vectors` folder of an earlier backfill of the same archive, linked
into the fresh data folder before the runs: the backfill with the vector cache warm, as a re-run
or a second backfill of the same weeks finds it (no article text is encoded again).

--quick: 4 weeks x 3 countries (US, UA, MN) on 20,000 items.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import resource
import shutil
import tempfile
import threading
import time
from pathlib import Path

from bench.workload import CACHE, COUNTRIES, FIRST_WEEK, key, mark_built, raw_lake, weeks_of

TARGET_SECONDS = 15 * 60
TARGET_MB = 2048
COUNTRY_ASSETS = ("country_events", "key_developments", "geopolitical_impact", "military_analysis", "outlook",
                  "structured_assessment", "executive_summary", "security_assessment")
RANGE_START, RANGE_END = "dagster/asset_partition_range_start", "dagster/asset_partition_range_end"


# --- what runs inside a worker process -----------------------------------------------------------

def _definitions(floor: bool):
    """(assets and checks, resources) - the project's, or no-op copies of them with the same keys."""
    from orchestration.definitions import definitions

    defs = definitions()
    assets, checks = list(defs.assets), list(defs.asset_checks)
    if not floor:
        return [*assets, *checks], defs.resources
    return [*(_noop_asset(a) for a in assets), *(_noop_check(c) for c in checks)], {}


def _noop_asset(real):
    import dagster as dg

    (spec,) = real.specs
    node = real.node_def

    @dg.multi_asset(name=real.key.to_python_identifier(), specs=[spec], partitions_def=real.partitions_def,
                    backfill_policy=real.backfill_policy, pool=getattr(node, "pool", None))
    def _noop(context):
        return dg.MaterializeResult(asset_key=spec.key)

    return _noop


def _noop_check(real):
    import dagster as dg

    specs = list(real.check_specs)

    @dg.multi_asset_check(name=f"noop_{real.node_def.name}", specs=specs, can_subset=True)
    def _noop(context):
        for spec in specs:
            if spec.key in context.selected_asset_check_keys:
                yield dg.AssetCheckResult(check_name=spec.name, asset_key=spec.asset_key, passed=True)

    return _noop


def _run(job: tuple[bool, tuple[str, ...], str, str]) -> dict:
    """One range run: (floor, selection, range start, range end), in this worker's process."""
    import warnings

    warnings.simplefilter("ignore")  # Dagster's beta/preview notices, once per process
    import dagster as dg

    floor, selection, start, end = job
    definitions, resources = _definitions(floor)
    started = time.perf_counter()
    with dg.DagsterInstance.get() as instance:
        result = dg.materialize(definitions, selection=list(selection), instance=instance, resources=resources,
                                tags={RANGE_START: start, RANGE_END: end}, raise_on_error=False,
                                run_config={"loggers": {"console": {"config": {"log_level": "CRITICAL"}}}})
    checks_failed = [e.check_name for e in result.get_asset_check_evaluations() if not e.passed]
    # A failed blocking check fails its check step too; count only the other failures as errors.
    failed = [e.step_key for e in result.all_events if e.is_step_failure and not e.step_key.endswith("_expectations")
              and "schema" not in e.step_key]
    return {"selection": selection[0], "range": f"{start}..{end}", "seconds": time.perf_counter() - started,
            "success": not failed, "failed_steps": failed, "failed_checks": checks_failed, "pid": os.getpid(),
            "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


# --- the parent: runs, timing, memory ------------------------------------------------------------

class TreeMemory:
    """Peak of the summed resident memory of this process and its children (/proc, every 0.2 s)."""

    def __init__(self) -> None:
        self.peak_mb = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        me = os.getpid()
        while not self._stop.wait(0.2):
            total = 0
            for pid in [me, *_children(me)]:
                try:
                    with open(f"/proc/{pid}/status") as status:
                        total += next(int(line.split()[1]) for line in status if line.startswith("VmRSS:"))
                except (OSError, StopIteration):
                    pass
            self.peak_mb = max(self.peak_mb, total / 1024)

    def __enter__(self) -> TreeMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()


def _children(pid: int) -> list[int]:
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        try:
            tasks = os.listdir(f"/proc/{current}/task")
        except OSError:
            continue
        for tid in tasks:
            try:
                with open(f"/proc/{current}/task/{tid}/children") as handle:
                    kids = [int(k) for k in handle.read().split()]
            except OSError:
                kids = []
            found += kids
            todo += kids
    return found


def ranges(weeks: list[str], parts: int) -> list[tuple[str, str]]:
    size = -(-len(weeks) // parts)
    return [(weeks[i], weeks[min(i + size, len(weeks)) - 1]) for i in range(0, len(weeks), size)]


def backfill(floor: bool, weeks: list[str], countries: tuple[str, ...], workers: int) -> dict:
    articles_jobs = [(floor, ("articles",), a, b) for a, b in ranges(weeks, workers)]
    country_jobs = [(floor, COUNTRY_ASSETS, f"{c}|{weeks[0]}", f"{c}|{weeks[-1]}") for c in countries]
    context = multiprocessing.get_context("spawn")
    started = time.perf_counter()
    with TreeMemory() as memory:
        # A new process per run, as Dagster's run launcher starts one: each run pays its cold start
        # (imports, gazetteer and places) and getrusage gives each run's own peak memory.
        pool = context.Pool(workers, maxtasksperchild=1)
        try:
            first = pool.map(_run, articles_jobs, chunksize=1)
            articles_done = time.perf_counter()
            second = list(pool.imap_unordered(_run, country_jobs, chunksize=1))
        finally:
            pool.close()  # let the workers exit on their own (terminate() prints their tracebacks)
            pool.join()
    finished = time.perf_counter()
    runs = first + second
    return {
        "seconds": finished - started,
        "articles_seconds": articles_done - started,
        "countries_seconds": finished - articles_done,
        "runs": runs,
        "success": all(r["success"] for r in runs),
        "failed_checks": sorted({f"{r['range']}: {c}" for r in runs for c in r["failed_checks"]}),
        "worker_peak_mb": max(r["rss_mb"] for r in runs),
        "children_peak_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
        "tree_peak_mb": memory.peak_mb,
    }


def fresh_data_folder(raw_data: Path, target: Path) -> None:
    """The raw tables of the cached lake, hard-linked (never modified by the backfill) into `target`."""
    if target.exists():
        shutil.rmtree(target)
    for table in ("raw_items", "feed_fetches"):
        shutil.copytree(raw_data / "lake" / table, target / "lake" / table, copy_function=os.link)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="4 weeks x 3 countries, 20,000 items")
    parser.add_argument("--weeks", type=int, default=52)
    parser.add_argument("--countries", default=",".join(COUNTRIES))
    parser.add_argument("--items-per-week", type=int, default=19231)
    parser.add_argument("--feeds", type=int, default=11)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--skip-floor", action="store_true")
    parser.add_argument("--warm-vectors", type=Path, help="an earlier backfill's lake/article_vectors folder")
    args = parser.parse_args()
    if args.quick:
        args.weeks, args.items_per_week, args.countries = 4, 5000, "US,UA,MN"
    countries = tuple(c.strip().upper() for c in args.countries.split(",") if c.strip())
    weeks = [str(w) for w in weeks_of(args.weeks)]

    raw_data, raw = raw_lake(args.weeks, args.feeds, args.items_per_week, args.seed, args.workers)
    work = CACHE / f"backfill-{key(args.weeks, args.feeds, args.items_per_week, args.seed)}"
    data = work / "data"
    fresh_data_folder(raw_data, data)
    if args.warm_vectors:
        shutil.copytree(args.warm_vectors, data / "lake" / "article_vectors", copy_function=os.link)
    home = Path(tempfile.mkdtemp(prefix="dagster-home-", dir=work))
    (home / "dagster.yaml").write_text("telemetry:\n  enabled: false\n")
    os.environ.update({
        "DAGSTER_HOME": str(home), "WATCHFLOOR_DATA": str(data), "WATCHFLOOR_COUNTRIES": ",".join(countries),
        "WATCHFLOOR_FIRST_WEEK": FIRST_WEEK.isoformat(), "WATCHFLOOR_FEEDS": str(raw_data / "unused-feeds.yaml"),
    })
    os.environ.pop("OPENAI_API_KEY", None)  # the offline writer
    import dagster as dg

    with dg.DagsterInstance.get():  # create the SQLite storages once: two new processes would race on it
        pass
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"backfill: {len(weeks)} weeks ({weeks[0]} .. {weeks[-1]}) x {len(countries)} countries "
          f"({','.join(countries)}) on {raw['items']} items, {args.workers} worker process(es); "
          f"{len(ranges(weeks, args.workers))} articles range run(s) + {len(countries)} country range runs; "
          f"vector cache {'warm, from ' + str(args.warm_vectors) if args.warm_vectors else 'cold'}")
    try:
        real = backfill(False, weeks, countries, args.workers)
        if real["success"]:
            mark_built(data, [w for w in weeks_of(args.weeks)], countries, {"by": "bench.backfill"})
        floor = None if args.skip_floor else backfill(True, weeks, countries, args.workers)
    finally:
        shutil.rmtree(home, ignore_errors=True)

    for label, result in (("offline writer", real), ("no-op floor", floor)):
        if result is None:
            continue
        print(f"{label:15s} {result['seconds']:8.1f} s  (articles {result['articles_seconds']:.1f} s, countries "
              f"{result['countries_seconds']:.1f} s)  {'ok' if result['success'] else 'FAILED'}; peak memory: largest "
              f"run {result['worker_peak_mb']:.0f} MB, process tree {result['tree_peak_mb']:.0f} MB")
    if real["failed_checks"]:
        print(f"FAILED CHECKS (the runs went on; see bench/README.md): {'; '.join(real['failed_checks'])}")
    for run in real["runs"]:
        problems = run["failed_steps"] + run["failed_checks"]
        print(f"  {run['selection']:15s} {run['range']:28s} {run['seconds']:7.1f} s  {run['rss_mb']:5.0f} MB"
              f"{'  FAILED: ' + ', '.join(problems) if problems else ''}")
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())} (other processes on the machine skew the figures)")
    partitions = len(weeks) * len(countries)
    print(f"per country-week partition: {real['countries_seconds'] * args.workers / partitions:.2f} s of a worker "
          f"(floor {floor['countries_seconds'] * args.workers / partitions:.2f} s)" if floor else "")
    if args.quick:
        print("targets (< 15 min, < 2 GB) apply to the full scale: python -m bench.backfill")
    else:
        print(f"targets: whole backfill < {TARGET_SECONDS / 60:.0f} min: "
              f"{'met' if real['seconds'] < TARGET_SECONDS else 'NOT met'} ({real['seconds'] / 60:.1f} min); peak memory < "
              f"{TARGET_MB} MB: {'met' if real['tree_peak_mb'] < TARGET_MB else 'NOT met'} ({real['tree_peak_mb']:.0f} MB "
              f"for the whole process tree, {real['worker_peak_mb']:.0f} MB for the largest run)")
    if floor:
        print(f"ratio backfill_vs_floor {real['seconds'] / floor['seconds']:.3f}")
    print(json.dumps({"real": {k: v for k, v in real.items() if k != "runs"},
                      "floor": {k: v for k, v in floor.items() if k != "runs"} if floor else None}))
    if not real["success"]:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
