"""What the terminal shows: each step's outcome, and at the end what was produced and where."""

from __future__ import annotations

from collections import Counter
from datetime import date

import dagster as dg

from watchfloor.core import config, warehouse
from watchfloor.core.lake import Lake


def report_run(result: dg.ExecuteInProcessResult, range_label: str | None = None) -> bool:
    """Print one line per materialisation, check and failure; True when the run succeeded. A range
    run (`range_label`) materialises every partition at once and its row count covers the whole
    range: one line per asset, with its number of partitions."""
    partitions = Counter(e.asset_key for e in result.all_events if e.is_step_materialization)
    shown: set[dg.AssetKey] = set()
    for event in result.all_events:
        if event.is_step_materialization:
            materialization = event.event_specific_data.materialization
            rows = materialization.metadata.get("dagster/row_count")
            name = materialization.asset_key.to_user_string()
            if range_label is None:
                partition = f" [{materialization.partition}]" if materialization.partition else ""
                print(f"  ✓ {name}{partition}{f': {rows.value} rows' if rows is not None else ''}")
            elif materialization.asset_key not in shown:
                shown.add(materialization.asset_key)
                n = partitions[materialization.asset_key]
                count = f", {rows.value} rows" if rows is not None else ""
                print(f"  ✓ {name} [{range_label}]: {n} partition{'' if n == 1 else 's'}{count}")
        elif event.event_type == dg.DagsterEventType.ASSET_CHECK_EVALUATION:
            evaluation = event.event_specific_data
            mark = "✓" if evaluation.passed else ("!" if evaluation.severity == dg.AssetCheckSeverity.WARN else "✗")
            print(f"    {mark} check {evaluation.check_name}{'' if evaluation.passed else ' FAILED'}")
        elif event.is_step_failure:
            error = event.event_specific_data.error
            message = error.message.strip().splitlines()[-1] if error else "unknown error"
            print(f"  ✗ {event.step_key} failed: {message}")
        elif event.event_type == dg.DagsterEventType.STEP_SKIPPED:
            print(f"  - {event.step_key} skipped (an upstream step or blocking check failed)")
    print(f"  run {result.run_id[:8]} {'succeeded' if result.success else 'FAILED'}")
    return result.success


def summarise_outputs(week: date, countries: tuple[str, ...]) -> None:
    lake = Lake(config.data_dir())
    path = warehouse.warehouse_path(lake)
    if not path.exists():
        return
    with warehouse.connect_read_only(lake) as con:
        fetches = con.execute("SELECT count(*) FROM feed_fetches").fetchall()[0][0]
        items = con.execute("SELECT count(*) FROM raw_items").fetchall()[0][0]
        articles = con.execute("SELECT count(*) FROM articles WHERE week = ?", [week]).fetchall()[0][0]
        events = dict(con.execute(
            "SELECT country, count(*) FROM events WHERE week = ? GROUP BY country", [week]).fetchall())
        levels = dict(con.execute(
            "SELECT country, threat_level || ' (' || generated_by || ')' FROM assessments WHERE week = ?", [week]).fetchall())
    print("Produced:")
    print(f"  warehouse   {path}  (open read-only: duckdb -readonly {path})")
    print(f"  lake        {lake.lake_dir}")
    print(f"  archive     {lake.archive_dir}")
    print(f"  feed_fetches {fetches} rows, raw_items {items} rows, articles of week {week}: {articles} rows")
    for country in countries:
        print(f"  events_{country.lower()}: {events.get(country, 0)} events in week {week}")
    for country in countries:
        folder = lake.report_dir(country, week)
        if (folder / "report.md").exists():
            print(f"  report {country} {week}: {levels.get(country, '?')}  {folder}/report.md, report.html, assessment.json, hotspots.png")
