"""Extraction benchmark: relevance plus event extraction on the real news week, per core.

    python -m bench.extraction [--quick] [--countries US,CN,RU,UA,IN,JP,GB,IL,IR,MN]

Builds the articles of week 2026-08-19 from the corpus once (not timed), then times on one core
the relevance evidence of every article (`mentions`, which the articles stage computes once per
article) and relevance scoring + event extraction for each country over the whole week. Prints
articles/s per core (articles scanned per country, summed over countries, divided by the time), the
ratio to the target of 2,000 articles/s, and the peak memory of the process.
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from datetime import date
from pathlib import Path

import polars as pl

from bench.ingest import DEFAULT_CORPUS
from watchfloor.articles.build import build_articles
from watchfloor.core.config import FeedSpec
from watchfloor.core.lake import Lake
from watchfloor.core.tables import ARTICLES
from watchfloor.events.extraction import extract_events
from watchfloor.events.relevance import article_mentions, relevant_articles
from watchfloor.ingest.fetch import FeedFetcher
from watchfloor.ingest.poll import poll_feeds
from watchfloor.places.gazetteer import Gazetteer
from watchfloor.places.index import Places

WEEK = date(2026, 8, 19)
TARGET = 2000


def real_week(corpus: Path):
    with tempfile.TemporaryDirectory() as tmp, FeedFetcher(concurrency=2) as fetcher:
        lake = Lake(Path(tmp))
        files = sorted(corpus.glob("*/*.xml"))
        poll_feeds([FeedSpec(url=str(f), name=f.parent.name) for f in files], fetcher, lake)
        return build_articles(lake.read_week("raw_items", WEEK), WEEK, Gazetteer.load())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="three countries")
    parser.add_argument("--countries", default="US,CN,RU,UA,IN,JP,GB,IL,IR,MN")
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    args = parser.parse_args()
    countries = args.countries.split(",")[: 3 if args.quick else None]

    articles = real_week(args.corpus).drop("mentions")
    gazetteer, places = Gazetteer.load(), Places.load()
    started = time.perf_counter()
    articles = articles.with_columns(mentions=pl.Series(
        [article_mentions(t, s, b, gazetteer) for t, s, b in articles.select("title", "summary", "body").rows()],
        dtype=ARTICLES["mentions"]))
    profile_seconds = time.perf_counter() - started
    relevant = events = 0
    first_country_seconds = 0.0
    for country in countries:
        chosen = relevant_articles(articles, country, gazetteer)
        relevant += chosen.height
        events += extract_events(chosen, country, WEEK, places, gazetteer).height
        first_country_seconds = first_country_seconds or time.perf_counter() - started
    seconds = time.perf_counter() - started
    rate = articles.height * len(countries) / seconds

    print(f"week {WEEK}: {articles.height} articles x {len(countries)} countries ({','.join(countries)})")
    print(f"relevance + extraction: {seconds:.2f}s, {relevant} relevant articles -> {events} events")
    print(f"articles/s per core: {rate:.0f} (mention profiles once per article: {profile_seconds:.2f}s; then per country)")
    print(f"first country alone (with the profiles): {articles.height / first_country_seconds:.0f} articles/s")
    print(f"peak memory: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    print(f"ratio extraction_vs_target {rate / TARGET:.3f}")


if __name__ == "__main__":
    main()
