"""Analyst queries benchmark: every sql/queries example on a warehouse of N weeks x 10 countries.

    python -m bench.queries [--quick] [--weeks 52 --items-per-week 19231 --feeds 11 --seed 1] [--runs 20]

Builds (once, cached under bench/.cache/, see bench/workload.py) a lake from the synthetic archive
through the real stage functions - poll_feeds with file feeds, build_articles, relevant_articles,
extract_events, Lake.replace_week - and the warehouse with warehouse.refresh; a backfill
(bench.backfill) of the same workload leaves the same lake, which is then reused. Then, on a
read-only connection to warehouse.duckdb, runs each query of sql/queries with its DuckDB
variables (as tests/test_sql_queries.py sets them) once untimed and `--runs` times timed, and the
plain scan `SELECT count(*) FROM read_parquet(<the Parquet files the query reads>)` as many times.
Prints p50 and p95 of each, and `ratio query_vs_scan_<query> <p50 / scan p50>` per query.

--quick: 4 weeks x 3 countries (US, UA, MN) of 5,000 items a week (20,000 items), the warehouse of
`bench.backfill --quick`. Default: 52 weeks x 10 countries of 19,231 items a week (1,000,000), the
warehouse of `bench.backfill`.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import time
from pathlib import Path

import duckdb

from bench.workload import COUNTRIES, events_lake
from watchfloor.core import warehouse
from watchfloor.core.config import REPO_ROOT
from watchfloor.core.lake import Lake

QUERIES = REPO_ROOT / "sql" / "queries"
TARGET_P50_MS = 200.0
# The lake tables each query reads (through the views).
READS = {
    "events_by_category_per_week": ("events",),
    "top_locations": ("events",),
    "week_over_week_by_country": ("events",),
    "articles_behind_event": ("events", "articles"),
    "search_articles": ("article_words", "articles"),
}


def variables_for(con: duckdb.DuckDBPyConnection, name: str, country: str) -> dict[str, str]:
    if name in ("events_by_category_per_week", "top_locations"):
        return {"country": country}
    if name == "articles_behind_event":
        rows = con.sql(f"SELECT event_id FROM events WHERE country = '{country}' ORDER BY source_count DESC, event_id LIMIT 1").fetchall()
        return {"event_id": rows[0][0] if rows else "none"}
    if name == "search_articles":
        return {"query": "drone border"}
    return {}


def run_query(con: duckdb.DuckDBPyConnection, sql: str, variables: dict[str, str]) -> int:
    for name in ("country", "event_id", "query"):
        con.execute(f"RESET VARIABLE {name}")
    for name, value in variables.items():
        con.execute(f"SET VARIABLE {name} = ?", [value])
    return len(con.sql(sql).fetchall())


def timed(fn, runs: int) -> list[float]:
    fn()  # warm: the first run reads the Parquet footers into DuckDB's caches
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    return times


def p(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="4 weeks x 5,000 items")
    parser.add_argument("--weeks", type=int, default=52)
    parser.add_argument("--items-per-week", type=int, default=19231)
    parser.add_argument("--feeds", type=int, default=11)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--workers", type=int, default=2, help="processes for the one-time preparation")
    parser.add_argument("--country", default="UA", help="the country variable of the per-country queries")
    parser.add_argument("--countries", dest="countries", default=",".join(COUNTRIES))
    args = parser.parse_args()
    if args.quick:
        args.weeks, args.items_per_week, args.countries = 4, 5000, "US,UA,MN"

    countries = tuple(args.countries.split(","))
    data, raw, built = events_lake(args.weeks, args.feeds, args.items_per_week, args.seed, countries, args.workers)
    lake = Lake(data)
    warehouse.refresh(lake, countries)

    files = {table: sorted(str(f) for f in lake.table_dir(table).rglob("*.parquet")) for table in ("articles", "article_words", "events")}
    sizes = {table: sum(Path(f).stat().st_size for f in fs) / 1e6 for table, fs in files.items()}
    n_event_files = len(files["events"])
    files["events"] = [str(lake.snapshot_path("events"))]  # what the events view reads (warehouse.refresh wrote it)
    print(f"warehouse: {args.weeks} weeks x {len(countries)} countries, {raw['items']} items; "
          f"articles {len(files['articles'])} files {sizes['articles']:.1f} MB (search index {sizes['article_words']:.1f} MB), "
          f"events {sizes['events']:.1f} MB in {n_event_files} partition files, read through one snapshot file; "
          f"{args.runs} timed runs after one untimed")
    results = {}
    with warehouse.connect_read_only(lake) as con:
        counts = con.sql("SELECT (SELECT count(*) FROM articles), (SELECT count(*) FROM events)").fetchall()[0]
        print(f"rows: {counts[0]} articles, {counts[1]} events")
        for path in sorted(QUERIES.glob("*.sql")):
            name = path.stem
            sql = path.read_text(encoding="utf-8")
            variables = variables_for(con, name, args.country)
            rows = run_query(con, sql, variables)
            query_ms = timed(lambda: run_query(con, sql, variables), args.runs)
            scanned = [f for table in READS.get(name, ("articles", "events")) for f in files[table]]
            listing = ", ".join("'" + f.replace("'", "''") + "'" for f in scanned)
            scan_sql = f"SELECT count(*) FROM read_parquet([{listing}], union_by_name = true)"
            scan_ms = timed(lambda: con.sql(scan_sql).fetchall(), args.runs)
            results[name] = (p(query_ms, 0.5), p(query_ms, 0.95), p(scan_ms, 0.5), rows)
            print(f"{name:30s} p50 {p(query_ms, 0.5):8.1f} ms  p95 {p(query_ms, 0.95):8.1f} ms  ({rows} rows)   "
                  f"plain scan of its {len(scanned)} files: p50 {p(scan_ms, 0.5):6.1f} ms")
    worst = max(r[0] for r in results.values())
    print(f"slowest p50 {worst:.1f} ms (target < {TARGET_P50_MS:.0f} ms: {'met' if worst < TARGET_P50_MS else 'NOT met'}); "
          f"median of the p50s {statistics.median(r[0] for r in results.values()):.1f} ms")
    print(f"peak memory: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    for name, (p50, _, scan, _) in results.items():
        print(f"ratio query_vs_scan_{name} {p50 / scan:.3f}")


if __name__ == "__main__":
    main()
