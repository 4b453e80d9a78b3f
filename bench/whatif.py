"""What-if measurements behind the open recommendations in bench/README.md (nothing here changes watchfloor/).

    python -m bench.whatif [--quick]

1. cold start of a run process: importing the Dagster definitions, Gazetteer.load, Places.load, the
   Great Expectations import, the language model's first call.
2. the hotspot map of one country-week (watchfloor.report.maps.render_hotspots), per call.

(The earlier measurements 1 and 2, the relevance profile cache and the search query rewritten, led
to the changes now in the pipeline: stored `mentions` and the `article_words` index.)

--quick uses the 4-week workload, the default the 52-week one; both need the backfill's data.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import polars as pl

from bench.workload import CACHE, key
from watchfloor.core.config import REPO_ROOT


def ms(fn, runs: int = 5) -> float:
    fn()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    return sorted(times)[len(times) // 2]


COLD = r"""
import time, warnings
warnings.simplefilter("ignore")
t = time.perf_counter(); from orchestration.definitions import definitions; definitions(); a = time.perf_counter() - t
from watchfloor.places.gazetteer import Gazetteer; from watchfloor.places.index import Places; from watchfloor.text.language import detect_language
t = time.perf_counter(); Gazetteer.load(); b = time.perf_counter() - t
t = time.perf_counter(); Places.load(); c = time.perf_counter() - t
t = time.perf_counter(); import great_expectations; d = time.perf_counter() - t
t = time.perf_counter(); detect_language("a first sentence in English to classify"); e = time.perf_counter() - t
print(f"{a:.1f} {b:.1f} {c:.1f} {d:.1f} {e:.1f}")
"""


def cold_start() -> None:
    out = subprocess.run([sys.executable, "-c", COLD], capture_output=True, text=True, cwd=REPO_ROOT, check=True)
    a, b, c, d, e = (float(x) for x in out.stdout.split())
    print(f"1. cold start of a run process: definitions import {a:.1f}s, Gazetteer.load {b:.1f}s, Places.load {c:.1f}s, "
          f"great_expectations import {d:.1f}s, language model {e:.1f}s: {a + b + c + d + e:.1f}s")


def hotspot_map(data: Path) -> None:
    from watchfloor.core.lake import Lake
    from watchfloor.places.gazetteer import Gazetteer
    from watchfloor.report.maps import render_hotspots
    from watchfloor.report.rules.hotspots import hotspots_from_events
    from watchfloor.report.sections import make_briefing

    lake = Lake(data)
    events = pl.read_parquet(lake.table_glob("events"))
    country, week, _ = events.group_by("country", "week").len().sort("len", "country", descending=[True, False]).row(0)
    briefing = make_briefing(lake.read_week("events", week, country), lake.read_week("articles", week), country,
                             Gazetteer.load().country_name(country), week)
    spots = hotspots_from_events(briefing.events)
    with tempfile.TemporaryDirectory() as tmp:
        took = ms(lambda: render_hotspots(spots, country, briefing.country_name, "map", Path(tmp) / "m.png"), runs=3)
    print(f"2. hotspot map {country} {week} ({len(spots)} hotspots): {took:.0f} ms per report")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    weeks, items = (4, 5000) if args.quick else (52, 19231)
    backfilled = CACHE / f"backfill-{key(weeks, 11, items, 1)}" / "data"
    if not (backfilled / "events.json").exists():
        raise SystemExit(f"run `python -m bench.backfill{' --quick' if args.quick else ''}` first ({backfilled})")
    cold_start()
    hotspot_map(backfilled)


if __name__ == "__main__":
    main()
