"""Object-storage benchmark: the backfill of bench.backfill on an s3:// lake, beside the same backfill on local disk.

    python -m bench.object_storage [--quick] [--weeks 8 --countries US,UA,MN --items-per-week 5000]
                                   [--feeds 11 --seed 1] [--workers 2] [--bucket-url s3://bucket/prefix]

The raw tables of bench.workload's cached lake are linked into a local data folder and uploaded to
the bucket (neither timed), then bench.backfill's runs (articles range runs, one range run per
country, `--workers` processes, the offline writer) are timed on each, in the order disk, object
storage, object storage, disk, so that a load on the machine that rises or falls during the
benchmark (and the first run's cold caches) weighs on both alike. Every read and write of the
object-storage runs goes through S3 requests: partitions, snapshots, sections, reports, maps.
Prints each wall time and `ratio object_storage_vs_disk <s3 / disk>` (the sums of the two runs).

Without --bucket-url the store is moto's S3 server on 127.0.0.1 (tests/support/s3_server.py): an
in-memory Python server, so the ratio prices the requests and the layer, not a real store's
latency. With --bucket-url the store is the one the environment names (AWS_ENDPOINT_URL and
credentials, as for Watchfloor itself); the prefix should be empty: it is written over.

--quick: 4 weeks x 3 countries (US, UA, MN) on 5,000 items a week.
"""

from __future__ import annotations

import argparse
import os
import shutil
import tempfile
from contextlib import ExitStack, contextmanager
from pathlib import Path

from bench.backfill import backfill, fresh_data_folder
from bench.workload import CACHE, FIRST_WEEK, key, raw_lake, weeks_of


@contextmanager
def object_store(bucket_url: str | None):
    """(the lake's s3:// URL, an s3fs filesystem on it), with the environment pointing at the store."""
    if bucket_url:
        from watchfloor.core.storage import data_root

        yield bucket_url, data_root(bucket_url).fs
        return
    from tests.support.s3_server import s3_server

    with s3_server() as server:
        os.environ.update(server.env)
        yield f"s3://{server.new_bucket()}/watchfloor", server.filesystem()


def timed_backfill(data: str, weeks: list[str], countries: tuple[str, ...], workers: int, work: Path) -> dict:
    """bench.backfill's real runs on the data root `data`, with a new Dagster instance."""
    home = Path(tempfile.mkdtemp(prefix="dagster-home-", dir=work))
    (home / "dagster.yaml").write_text("telemetry:\n  enabled: false\n")
    os.environ.update({"DAGSTER_HOME": str(home), "WATCHFLOOR_DATA": data,
                       "WATCHFLOOR_LOCAL_DIR": str(work / "object-storage-local")})
    import dagster as dg

    with dg.DagsterInstance.get():  # create the SQLite storages once: two new processes would race on it
        pass
    try:
        return backfill(False, weeks, countries, workers)
    finally:
        shutil.rmtree(home, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="4 weeks x 3 countries, 5,000 items a week")
    parser.add_argument("--weeks", type=int, default=8)
    parser.add_argument("--countries", default="US,UA,MN")
    parser.add_argument("--items-per-week", type=int, default=5000)
    parser.add_argument("--feeds", type=int, default=11)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--bucket-url",
                        help="an empty s3:// prefix on the store the environment names (default: moto on loopback)")
    args = parser.parse_args()
    if args.quick:
        args.weeks = 4
    countries = tuple(c.strip().upper() for c in args.countries.split(",") if c.strip())
    weeks = [str(w) for w in weeks_of(args.weeks)]

    raw_data, raw = raw_lake(args.weeks, args.feeds, args.items_per_week, args.seed, args.workers)
    work = CACHE / f"object-storage-{key(args.weeks, args.feeds, args.items_per_week, args.seed)}"
    disk = work / "data"
    fresh_data_folder(raw_data, disk)
    os.environ.update({"WATCHFLOOR_COUNTRIES": ",".join(countries), "WATCHFLOOR_FIRST_WEEK": FIRST_WEEK.isoformat(),
                       "WATCHFLOOR_FEEDS": str(raw_data / "unused-feeds.yaml")})
    os.environ.pop("OPENAI_API_KEY", None)  # the offline writer
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"backfill: {len(weeks)} weeks ({weeks[0]} .. {weeks[-1]}) x {len(countries)} countries "
          f"({','.join(countries)}) on {raw['items']} items, {args.workers} worker process(es), on local disk "
          f"and on {'the configured store' if args.bucket_url else 'moto on 127.0.0.1'}")
    with ExitStack() as stack:
        url, fs = stack.enter_context(object_store(args.bucket_url))
        for table in ("raw_items", "feed_fetches"):
            fs.put(str(disk / "lake" / table), f"{url.removeprefix('s3://')}/lake/{table}", recursive=True)
        results = [(label, timed_backfill(data, weeks, countries, args.workers, work))
                   for label, data in (("local disk", str(disk)), ("object storage", url),
                                       ("object storage", url), ("local disk", str(disk)))]
        objects = len(fs.find(url.removeprefix("s3://")))
    for label, result in results:
        print(f"{label:15s} {result['seconds']:8.1f} s  (articles {result['articles_seconds']:.1f} s, countries "
              f"{result['countries_seconds']:.1f} s)  {'ok' if result['success'] else 'FAILED'}; "
              f"largest run {result['worker_peak_mb']:.0f} MB")
    print(f"objects in the bucket afterwards: {objects}; load average now {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    seconds = {label: sum(r["seconds"] for name, r in results if name == label) for label, _ in results}
    print(f"ratio object_storage_vs_disk {seconds['object storage'] / seconds['local disk']:.3f}")
    if not all(r["success"] for _, r in results):
        raise SystemExit(1)


if __name__ == "__main__":
    main()
