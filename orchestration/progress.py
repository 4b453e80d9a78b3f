"""What the terminal shows: each step's outcome, and at the end what was produced and where."""

from __future__ import annotations

from collections import Counter
from datetime import date

import dagster as dg

from watchfloor.core import config, warehouse
from watchfloor.core.lake import Lake
from watchfloor.report.briefing_index import INDEX_NAME


def report_run(result: dg.ExecuteInProcessResult, range_label: str | None = None) -> bool:
    """Print one line per materialisation, check and failure; True when the run succeeded. A range
    run (`range_label`) materialises every partition at once and its row count covers the whole
    range: one line per asset, with its number of partitions. A section the configured language
    model failed for is marked "!" with the reason (the offline writer's text stands); when the
    model failed for every section, the run's last line says so."""
    partitions = Counter(e.asset_key for e in result.all_events if e.is_step_materialization)
    shown: set[dg.AssetKey] = set()
    llm_sections: dict[dg.AssetKey, dict] = {}
    for event in result.all_events:
        if event.is_step_materialization:
            materialization = event.event_specific_data.materialization
            metadata = {k: getattr(v, "value", v) for k, v in materialization.metadata.items()}
            rows = metadata.get("dagster/row_count")
            name = materialization.asset_key.to_user_string()
            mark, llm = _llm_outcome(metadata)
            if metadata.get("llm_model", "none") != "none":
                llm_sections.setdefault(materialization.asset_key, metadata)
            if range_label is None:
                partition = f" [{materialization.partition}]" if materialization.partition else ""
                print(f"  {mark} {name}{partition}{f': {rows} rows' if rows is not None else ''}{llm}")
            elif materialization.asset_key not in shown:
                shown.add(materialization.asset_key)
                n = partitions[materialization.asset_key]
                count = f", {rows} rows" if rows is not None else ""
                print(f"  {mark} {name} [{range_label}]: {n} partition{'' if n == 1 else 's'}{count}{llm}")
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
    failed_everywhere = _model_failed_everywhere(llm_sections, partitions)
    if failed_everywhere:
        print(f"  ! {failed_everywhere}")
    print(f"  run {result.run_id[:8]} {'succeeded' if result.success else 'FAILED'}")
    return result.success


def _llm_outcome(metadata: dict) -> tuple[str, str]:
    """The mark of a section's line and what it adds: the model's tokens, calls and time, or why it failed."""
    model = metadata.get("llm_model", "none")
    if model == "none":
        return "✓", ""
    cached = ", cached" if metadata.get("cached") else ""
    figures = (f"{metadata.get('prompt_tokens', 0)}+{metadata.get('completion_tokens', 0)} tokens, "
               f"{metadata.get('llm_calls', 0)} call(s), {float(metadata.get('llm_seconds', 0)):.1f} s{cached}")
    if metadata.get("llm_failures"):
        return "!", f" — {model} FAILED, offline text stands ({metadata.get('llm_failure')}; {figures})"
    return "✓", f" — {model}: {figures}"


def _model_failed_everywhere(sections: dict[dg.AssetKey, dict], partitions: Counter) -> str | None:
    """'the model ... was unreachable' (or gave no usable reply) when it failed for every section of the run."""
    if not sections or any(m.get("llm_failures", 0) < partitions[key] for key, m in sections.items()):
        return None
    model = next(iter(sections.values()))["llm_model"]
    kinds = {k.strip() for m in sections.values() for k in str(m.get("llm_failure_kind", "")).split(",")}
    first = next(iter(sections.values())).get("llm_failure")
    what = "was unreachable for every section" if kinds <= {"unreachable"} else "gave no usable reply for any section"
    return f"the language model {model} {what}: the reports were written offline (first failure: {first})"


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
            print(f"  report {country} {week}: {levels.get(country, '?')}  {folder}/report.md, report.html, assessment.json, hotspots.png, history.png")
    index = lake.root / "reports" / INDEX_NAME
    if index.exists():
        print(f"  briefing index {index}  (every country's latest level and trend, links to each report)")
