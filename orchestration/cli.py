"""The `watchfloor` command: run a week through the pipeline, or open the Dagster UI."""

from __future__ import annotations

import argparse
import logging
import os
import shutil
import sys
import tempfile
import warnings
from datetime import date, timedelta
from pathlib import Path

from watchfloor.core import config, storage
from watchfloor.core.config import ConfigError
from watchfloor.core.weeks import WeekError, first_week, last_complete_week, parse_week, weeks_between
from watchfloor.report.briefing_index import INDEX_NAME

QUIET_LOGS = {"loggers": {"console": {"config": {"log_level": "WARNING"}}}}
# How Dagster marks a run over a partition range (as `dagster asset materialize --partition-range` does);
# every partitioned asset has BackfillPolicy.single_run(), so one run takes the whole range.
RANGE_START_TAG = "dagster/asset_partition_range_start"
RANGE_END_TAG = "dagster/asset_partition_range_end"


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    _show_progress()
    try:
        return args.command(args)
    except (ConfigError, WeekError, storage.StorageError) as exc:
        print(f"watchfloor: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("watchfloor: interrupted", file=sys.stderr)
        return 130


def _show_progress() -> None:
    """Lines of what is under way (a section being written by a model: watchfloor.report.llm.client) on stderr."""
    progress = logging.getLogger("watchfloor.progress")
    if not progress.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("    %(message)s"))
        progress.addHandler(handler)
        progress.setLevel(logging.INFO)
        progress.propagate = False


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="watchfloor", description="Weekly per-country security assessments from news feeds.")
    commands = parser.add_subparsers(required=True, metavar="COMMAND")

    run = commands.add_parser("run", help="poll the feeds, then build one reporting week")
    run.add_argument("--week", help="the week's start, a Wednesday (YYYY-MM-DD); default: the last complete week")
    run.add_argument("--country", nargs="+", metavar="XX", help="ISO2 codes (default: WATCHFLOOR_COUNTRIES)")
    run.add_argument("--no-fetch", action="store_true", help="build from the archive without polling the feeds")
    run.set_defaults(command=run_week)

    backfill = commands.add_parser("backfill", help="build a range of weeks: one run for the articles, one per country")
    backfill.add_argument("--from", dest="first", required=True, metavar="YYYY-MM-DD", help="the first week's start, a Wednesday")
    backfill.add_argument("--to", dest="last", required=True, metavar="YYYY-MM-DD", help="the last week's start (included)")
    backfill.add_argument("--country", nargs="+", metavar="XX", help="ISO2 codes (default: WATCHFLOOR_COUNTRIES)")
    backfill.add_argument("--no-fetch", action="store_true", help="build from the archive without polling the feeds")
    backfill.set_defaults(command=run_backfill)

    ui = commands.add_parser("ui", help="the Dagster UI on 127.0.0.1")
    ui.add_argument("--port", type=int, default=3000)
    ui.set_defaults(command=open_ui)
    return parser


def prepare_environment() -> Path:
    """DAGSTER_HOME (default: .dagster in the repo, SQLite) and a writable data folder."""
    home = Path(os.environ.get("DAGSTER_HOME") or config.REPO_ROOT / ".dagster").resolve()
    try:
        home.mkdir(parents=True, exist_ok=True)
        if not (home / "dagster.yaml").exists():
            shutil.copyfile(config.REPO_ROOT / "config" / "dagster.yaml", home / "dagster.yaml")
    except OSError as exc:
        raise ConfigError(f"cannot create the Dagster instance at DAGSTER_HOME={home}: {exc.strerror}") from None
    os.environ["DAGSTER_HOME"] = str(home)

    data = config.data_dir()
    if storage.on_object_storage(data):
        storage.check_writable(data)
        return home
    try:
        data.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=data):
            pass
    except OSError as exc:
        raise ConfigError(f"data folder {data} is not writable ({exc.strerror}): set WATCHFLOOR_DATA to a writable folder") from None
    return home


def _validate_countries(codes: list[str] | None) -> tuple[str, ...]:
    from watchfloor.places.gazetteer import Gazetteer

    chosen = tuple(c.strip().upper() for c in codes) if codes else config.monitored_countries()
    source = "--country" if codes else "WATCHFLOOR_COUNTRIES"
    unknown = [c for c in chosen if not Gazetteer.load().is_country(c)]
    if unknown:
        raise ConfigError(f"unknown country code(s) {', '.join(unknown)} in {source}: use ISO 3166-1 alpha-2 codes such as MN, KZ, PL")
    unmonitored = [c for c in chosen if c not in config.monitored_countries()]
    if unmonitored:
        raise ConfigError(f"{', '.join(unmonitored)} not monitored: add to WATCHFLOOR_COUNTRIES (now {','.join(config.monitored_countries())})")
    return chosen


def _validate_week(text: str | None) -> date:
    latest = last_complete_week()
    week = parse_week(text) if text else latest
    if week > latest:
        raise WeekError(f"the week starting {week} has not ended yet (it ends {week + timedelta(days=7)} 00:00 UTC); the last complete week starts {latest}")
    if week < first_week():
        raise WeekError(f"the week starting {week} is before the first partition {first_week()} (set WATCHFLOOR_FIRST_WEEK)")
    return week


def _validate_range(first_text: str, last_text: str) -> list[date]:
    """--from and --to: week starts, checked like --week; the weeks from the first to the last, both included."""
    first, last = _validate_bound(first_text, "--from"), _validate_bound(last_text, "--to")
    if first > last:
        raise WeekError(f"--from {first} is after --to {last}: give the range's first week, then its last")
    return weeks_between(first, last)


def _validate_bound(text: str, option: str) -> date:
    try:
        return _validate_week(text)
    except WeekError as exc:
        raise WeekError(f"{option}: {str(exc).replace('use --week', f'use {option}')}") from None


def _open_instance():
    """The Dagster instance at DAGSTER_HOME (prepare_environment first)."""
    warnings.filterwarnings("ignore")  # Dagster's beta/preview notices are for developers, not this terminal
    from dagster import DagsterInstance

    return DagsterInstance.get()


def _launcher(defs):
    """How this command runs the code location's jobs (orchestration/launch.py): in process, or, with
    WATCHFLOOR_EXECUTOR=celery, with their steps on the Celery workers (a line says so)."""
    from orchestration.launch import Launcher

    launcher = Launcher.from_environment(defs)
    if (where := launcher.where()) is not None:
        print(where)
    return launcher


def _poll(launcher, instance) -> bool:
    from orchestration.progress import report_run

    print(f"- polling feeds from {config.feeds_file()}")
    return report_run(launcher.run("poll_feeds", instance, QUIET_LOGS))


def _finish(ok: bool) -> int:
    if not ok:
        print("watchfloor: a step failed; see the messages above and the run in the UI (make ui)", file=sys.stderr)
        return 1
    return 0


def run_week(args: argparse.Namespace) -> int:
    week = _validate_week(args.week)
    countries = _validate_countries(args.country)
    if not args.no_fetch:
        config.load_feeds()  # a missing or malformed feeds file stops here with a one-line message
    prepare_environment()

    instance = _open_instance()
    from dagster import MultiPartitionKey

    from orchestration.definitions import definitions
    from orchestration.progress import report_run, summarise_outputs

    defs = definitions()  # the code location as Dagster loads it, from this environment

    print(f"Watchfloor: week {week} .. {week + timedelta(days=7)} (UTC), countries {', '.join(countries)}")
    print(f"  instance {os.environ['DAGSTER_HOME']}, data {config.data_dir()}")
    launcher = _launcher(defs)
    ok = args.no_fetch or _poll(launcher, instance)
    if ok:
        print(f"- building the articles of week {week}")
        result = launcher.run("weekly_articles", instance, QUIET_LOGS, partition_key=week.isoformat())
        ok = report_run(result) and ok
    for country in countries if ok else ():
        print(f"- building {country}, week {week}")
        key = MultiPartitionKey({"country": country, "week": week.isoformat()})
        result = launcher.run("country_week", instance, QUIET_LOGS, partition_key=key)
        ok = report_run(result) and ok  # one country failing does not stop the others
    summarise_outputs(week, countries)
    return _finish(ok)


def run_backfill(args: argparse.Namespace) -> int:
    """Weeks --from..--to: one run of weekly_articles over the range, then one run per country over it."""
    weeks = _validate_range(args.first, args.last)
    countries = _validate_countries(args.country)
    if not args.no_fetch:
        config.load_feeds()
    prepare_environment()

    instance = _open_instance()
    from dagster import MultiPartitionKey

    from orchestration.definitions import definitions

    defs = definitions()
    span = f"{weeks[0]}..{weeks[-1]}"
    closes = weeks[-1] + timedelta(days=7)
    print(f"Watchfloor backfill: {_plural(len(weeks), 'week')}, {weeks[0]} .. {closes} (UTC), countries {', '.join(countries)}")
    print(f"  instance {os.environ['DAGSTER_HOME']}, data {config.data_dir()}")
    launcher = _launcher(defs)
    ok = args.no_fetch or _poll(launcher, instance)
    if ok:
        print(f"- articles {span}: {_plural(len(weeks), 'week')}")
        ok = _run_range(launcher, "weekly_articles", weeks[0].isoformat(), weeks[-1].isoformat(), instance, span)
    for country in countries if ok else ():
        print(f"- {country} {span}: {_plural(len(weeks), 'week')}")
        start, end = (MultiPartitionKey({"country": country, "week": w.isoformat()}) for w in (weeks[0], weeks[-1]))
        ok = _run_range(launcher, "country_week", start, end, instance, f"{country} {span}") and ok
    _summarise_backfill(weeks, countries)
    return _finish(ok)


def _run_range(launcher, job: str, start: str, end: str, instance, label: str) -> bool:
    """One run of `job` over the partitions start..end (one partition: an ordinary partitioned run)."""
    if start == end:
        target = {"partition_key": start}
    else:
        target = {"tags": {RANGE_START_TAG: start, RANGE_END_TAG: end}}
    result = launcher.run(job, instance, QUIET_LOGS, **target)
    from orchestration.progress import report_run

    return report_run(result, label)


def _summarise_backfill(weeks: list[date], countries: tuple[str, ...]) -> None:
    from watchfloor.core import warehouse
    from watchfloor.core.lake import Lake

    lake = Lake(config.data_dir())
    path = warehouse.warehouse_path(lake)
    if not path.exists():
        return
    between = [weeks[0], weeks[-1]]
    with warehouse.connect_read_only(lake) as con:
        articles = dict(con.execute(
            "SELECT week, count(*) FROM articles WHERE week BETWEEN ? AND ? GROUP BY week", between).fetchall())
        events = {(c, w): n for c, w, n in con.execute(
            "SELECT country, week, count(*) FROM events WHERE week BETWEEN ? AND ? GROUP BY ALL", between).fetchall()}
        levels = {(c, w): level for c, w, level in con.execute(
            "SELECT country, week, threat_level || ' (' || generated_by || ')' FROM assessments WHERE week BETWEEN ? AND ?",
            between).fetchall()}
    print("Produced:")
    print(f"  warehouse   {path}  (open read-only: duckdb -readonly {path})")
    for week in weeks:
        print(f"  week {week}: {_plural(articles.get(week, 0), 'article')}")
        for country in countries:
            report = lake.report_dir(country, week) / "report.md"
            shown = f"{levels.get((country, week), '?')}  {report}" if report.exists() else "no report"
            print(f"    {country}: {_plural(events.get((country, week), 0), 'event')}, {shown}")
    print(f"  briefing index {lake.root / 'reports' / INDEX_NAME}")


def _plural(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def open_ui(args: argparse.Namespace) -> int:
    prepare_environment()
    command = ["dagster", "dev", "-w", str(config.REPO_ROOT / "workspace.yaml"), "-h", "127.0.0.1", "-p", str(args.port)]
    executable = shutil.which("dagster", path=str(Path(sys.executable).parent)) or shutil.which("dagster")
    if executable is None:
        raise ConfigError("the dagster command is not installed: run `make install`")
    os.chdir(config.REPO_ROOT)
    os.execv(executable, [executable, *command[1:]])
    return 0  # not reached: execv replaces this process


if __name__ == "__main__":
    sys.exit(main())
