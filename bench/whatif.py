"""What-if measurements behind the recommendations in bench/README.md (nothing here changes watchfloor/).

    python -m bench.whatif [--quick]

Each measurement runs the pipeline code as it is, then the same with one proposed change applied in
this process only (a monkeypatch or a rewritten query), and prints both:

1. relevance profile cache: relevant_articles for 10 countries over one week of the workload, with
   relevance._cached_profile as shipped (lru_cache of 4,096 profiles) and unbounded. A week of more
   than 4,096 articles scanned in order evicts every profile before the next country needs it.
2. search_articles.sql: as shipped (a regular expression built per row of articles x terms) and
   rewritten to split titles and summaries into words once (constant pattern) and test membership,
   with the rows compared.
3. cold start of a run process: importing the Dagster definitions, Gazetteer.load, Places.load, the
   Great Expectations import, the language model's first call.
4. the hotspot map of one country-week (watchfloor.maps.render_hotspots), per call.

--quick uses the 4-week workload (weeks of ~1,250 articles: measurement 1 then shows no thrash);
the default uses the 52-week workload (weeks of ~4,900 articles).
"""

from __future__ import annotations

import argparse
import functools
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import polars as pl

from bench.workload import COUNTRIES, CACHE, key, raw_lake
from watchfloor.config import REPO_ROOT

SEARCH_REWRITE = r"""
WITH terms AS (
    SELECT DISTINCT term
    FROM unnest(regexp_split_to_array(lower(trim(getvariable('query'))), '\s+')) AS t(term)
    WHERE term <> ''
),
words AS (
    SELECT article_id, week, published_at, source, title,
           regexp_split_to_array(lower(title), '[^[:alnum:]_]+') AS title_words,
           regexp_split_to_array(lower(summary), '[^[:alnum:]_]+') AS summary_words
    FROM articles
),
scored AS (
    SELECT w.article_id, w.week, w.published_at, w.source, w.title,
           sum(2 * list_contains(w.title_words, t.term)::INT + list_contains(w.summary_words, t.term)::INT) AS score
    FROM words AS w, terms AS t
    GROUP BY ALL
)
SELECT * FROM scored
WHERE score > 0
ORDER BY score DESC, published_at DESC, article_id
LIMIT 20;
"""


def ms(fn, runs: int = 5) -> float:
    fn()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    return sorted(times)[len(times) // 2]


def relevance_cache(data: Path, week: date) -> None:
    from watchfloor import relevance
    from watchfloor.gazetteer import Gazetteer
    from watchfloor.lake import Lake

    articles = Lake(data).read_week("articles", week)
    gazetteer = Gazetteer.load()
    shipped = relevance._cached_profile

    def ten_countries() -> float:
        relevance._cached_profile.cache_clear()
        started = time.perf_counter()
        for country in COUNTRIES:
            relevance.relevant_articles(articles, country, gazetteer)
        return time.perf_counter() - started

    before = ten_countries()
    relevance._cached_profile = functools.lru_cache(maxsize=None)(relevance.article_profile)
    try:
        after = ten_countries()
    finally:
        relevance._cached_profile = shipped
    print(f"1. relevance for 10 countries, week {week} ({articles.height} articles): cache of 4,096 profiles "
          f"{before:.2f}s ({articles.height * 10 / before:.0f} articles/s), unbounded {after:.2f}s "
          f"({articles.height * 10 / after:.0f} articles/s): x{before / after:.1f}")


def search(data: Path) -> None:
    from watchfloor import warehouse
    from watchfloor.lake import Lake

    lake = Lake(data)
    warehouse.refresh(lake)
    shipped = (REPO_ROOT / "sql" / "queries" / "search_articles.sql").read_text(encoding="utf-8")
    with warehouse.connect_read_only(lake) as con:
        n = con.sql("SELECT count(*) FROM articles").fetchall()[0][0]
        for query in ("drone border", "missile attack", "Ukraine"):
            con.execute("SET VARIABLE query = ?", [query])
            rows_shipped = con.sql(shipped).fetchall()
            rows_rewrite = con.sql(SEARCH_REWRITE).fetchall()
            t_shipped = ms(lambda: con.sql(shipped).fetchall())
            t_rewrite = ms(lambda: con.sql(SEARCH_REWRITE).fetchall())
            same = "same rows" if rows_shipped == rows_rewrite else \
                f"rows differ ({len(set(rows_shipped) & set(rows_rewrite))}/{len(rows_shipped)} shared)"
            print(f"2. search_articles '{query}' over {n} articles: shipped {t_shipped:.0f} ms, "
                  f"words split once {t_rewrite:.0f} ms: x{t_shipped / t_rewrite:.1f} ({same})")


COLD = r"""
import time, warnings
warnings.simplefilter("ignore")
t = time.perf_counter(); import orchestration.definitions; a = time.perf_counter() - t
from watchfloor.gazetteer import Gazetteer; from watchfloor.places import Places; from watchfloor.text import detect_language
t = time.perf_counter(); Gazetteer.load(); b = time.perf_counter() - t
t = time.perf_counter(); Places.load(); c = time.perf_counter() - t
t = time.perf_counter(); import great_expectations; d = time.perf_counter() - t
t = time.perf_counter(); detect_language("a first sentence in English to classify"); e = time.perf_counter() - t
print(f"{a:.1f} {b:.1f} {c:.1f} {d:.1f} {e:.1f}")
"""


def cold_start() -> None:
    out = subprocess.run([sys.executable, "-c", COLD], capture_output=True, text=True, cwd=REPO_ROOT, check=True)
    a, b, c, d, e = (float(x) for x in out.stdout.split())
    print(f"3. cold start of a run process: definitions import {a:.1f}s, Gazetteer.load {b:.1f}s, Places.load {c:.1f}s, "
          f"great_expectations import {d:.1f}s, language model {e:.1f}s: {a + b + c + d + e:.1f}s")


def hotspot_map(data: Path) -> None:
    from watchfloor.assessment import make_briefing
    from watchfloor.gazetteer import Gazetteer
    from watchfloor.lake import Lake
    from watchfloor.maps import render_hotspots
    from watchfloor.offline_writer import hotspots_from_events

    lake = Lake(data)
    events = pl.read_parquet(lake.table_glob("events"))
    country, week, _ = events.group_by("country", "week").len().sort("len", "country", descending=[True, False]).row(0)
    briefing = make_briefing(lake.read_week("events", week, country), lake.read_week("articles", week), country,
                             Gazetteer.load().country_name(country), week)
    spots = hotspots_from_events(briefing.events)
    with tempfile.TemporaryDirectory() as tmp:
        took = ms(lambda: render_hotspots(spots, country, briefing.country_name, "map", Path(tmp) / "m.png"), runs=3)
    print(f"4. hotspot map {country} {week} ({len(spots)} hotspots): {took:.0f} ms per report")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    weeks, items = (4, 5000) if args.quick else (52, 19231)
    backfilled = CACHE / f"backfill-{key(weeks, 11, items, 1)}" / "data"
    if not (backfilled / "events.json").exists():
        raise SystemExit(f"run `python -m bench.backfill{' --quick' if args.quick else ''}` first ({backfilled})")
    raw_lake(weeks, 11, items, 1)
    week = date(2025, 1, 8) if args.quick else date(2025, 6, 4)
    relevance_cache(backfilled, week)
    search(backfilled)
    cold_start()
    hotspot_map(backfilled)


if __name__ == "__main__":
    main()
