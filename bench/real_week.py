"""The real week through the articles and events stages, cold and with the vector cache warm.

    python -m bench.real_week [--countries IR,UA,CN,KP,IN,TW,IL,PK] [--corpus PATH] [--quick]

The corpus's snapshots of week 2026-08-19 are polled into a new lake (not timed). Then two fresh
processes each time what a run of `weekly_articles` plus the eight `country_week` event steps
compute, as plain functions on that lake: the week's articles (`build_week`, which encodes every
article without a cached vector), stored with their vectors and search index (`store_articles`),
then relevance and event extraction for every country. The first process starts with no
`article_vectors` (cold: it loads the encoder and encodes the week); the second reads the vectors
the first stored (warm: no text is encoded again). Each prints its wall time, the time of its
parts and its peak memory; Issue 11's targets: cold under 180 s, warm under 30 s, on 2 cores.
--quick runs the same (the real week is small), for `make bench-quick`.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.extraction import WEEK
from bench.ingest import DEFAULT_CORPUS

COUNTRIES = "IR,UA,CN,KP,IN,TW,IL,PK"
TARGETS = {"cold": 180.0, "warm": 30.0}


def poll_corpus(corpus: Path, lake_dir: Path) -> None:
    from watchfloor.core.config import FeedSpec
    from watchfloor.core.lake import Lake
    from watchfloor.ingest.fetch import FeedFetcher
    from watchfloor.ingest.poll import poll_feeds

    with FeedFetcher(concurrency=2) as fetcher:
        files = sorted(corpus.glob("*/*.xml"))
        poll_feeds([FeedSpec(url=str(f), name=f.parent.name) for f in files], fetcher, Lake(lake_dir))


def timed_stages(lake_dir: Path, countries: list[str]) -> dict:
    """One process's articles and events stages on the lake (see the module docstring)."""
    started = time.perf_counter()
    from watchfloor.articles.build import build_week, store_articles
    from watchfloor.core.lake import Lake
    from watchfloor.events.extraction import extract_events
    from watchfloor.events.relevance import relevant_articles
    from watchfloor.places.gazetteer import Gazetteer
    from watchfloor.places.index import Places

    lake = Lake(lake_dir)
    gazetteer, places = Gazetteer.load(), Places.load()
    loaded = time.perf_counter()
    cached = lake.read_week("article_vectors", WEEK)
    articles, vectors = build_week(lake.read_week("raw_items", WEEK), WEEK, gazetteer, cached_vectors=cached)
    store_articles(lake, WEEK, articles, vectors)
    built = time.perf_counter()
    articles = articles.join(vectors.select("article_id", "vector"), on="article_id", how="left")
    events = sum(extract_events(relevant_articles(articles, c, gazetteer), c, WEEK, places, gazetteer).height
                 for c in countries)
    done = time.perf_counter()
    return {"seconds": done - started, "imports_and_data": loaded - started, "articles": built - loaded,
            "events": done - built, "article_count": articles.height, "cached_vectors": cached.height,
            "event_count": events, "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--countries", default=COUNTRIES)
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--quick", action="store_true", help="the same run (the real week is small)")
    parser.add_argument("--timed-run", type=Path, help=argparse.SUPPRESS)  # the child process: time one pass
    args = parser.parse_args()
    countries = [c.strip().upper() for c in args.countries.split(",") if c.strip()]
    if args.timed_run:
        print(json.dumps(timed_stages(args.timed_run, countries)))
        return

    with tempfile.TemporaryDirectory(prefix="real-week-") as folder:
        lake_dir = Path(folder)
        poll_corpus(args.corpus, lake_dir)
        print(f"week {WEEK}, countries {','.join(countries)}")
        for phase in ("cold", "warm"):
            child = subprocess.run([sys.executable, "-m", "bench.real_week", "--countries", ",".join(countries),
                                    "--timed-run", str(lake_dir)], check=True, capture_output=True, text=True)
            result = json.loads(child.stdout.strip().splitlines()[-1])
            print(f"{phase}: {result['seconds']:6.1f} s (imports and data {result['imports_and_data']:.1f} s, articles "
                  f"{result['articles']:.1f} s, events {result['events']:.1f} s); {result['article_count']} articles, "
                  f"{result['cached_vectors']} vectors cached before, {result['event_count']} events; "
                  f"peak {result['peak_mb']:.0f} MB")
            print(f"ratio real_week_{phase}_vs_target {result['seconds'] / TARGETS[phase]:.3f}")


if __name__ == "__main__":
    main()
