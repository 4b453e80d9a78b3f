"""The synthetic workload shared by the benchmarks: a generated archive, ingested into a lake, then
(optionally) built into articles and events with the real stage functions.

Everything is cached under bench/.cache/ and reused while the parameters (and the generator) are
unchanged, so the costly preparation of the full scale (1,000,000 items) happens once:

    bench/.cache/archive-w52-f11-i19231-s1/   the feed documents (bench.generate)
    bench/.cache/lake-w52-f11-i19231-s1/      a data folder: archive/, lake/raw_items, lake/feed_fetches,
                                              and, once built, lake/articles and lake/events

Ingestion goes through watchfloor.ingest.poll.poll_feeds with file feeds (each document one file, as
bench.ingest does), one poll_feeds call per week of documents, split over `workers` processes.
"""

from __future__ import annotations

import json
import multiprocessing
import shutil
import time
from datetime import date, timedelta
from pathlib import Path

CACHE = Path(__file__).with_name(".cache")
COUNTRIES = ("US", "CN", "RU", "UA", "IN", "JP", "GB", "IL", "IR", "MN")
FIRST_WEEK = date(2025, 1, 1)


def weeks_of(n_weeks: int, first: date = FIRST_WEEK) -> list[date]:
    return [first + timedelta(weeks=i) for i in range(n_weeks)]


def key(weeks: int, feeds: int, items_per_week: int, seed: int) -> str:
    return f"w{weeks}-f{feeds}-i{items_per_week}-s{seed}"


def archive(weeks: int, feeds: int, items_per_week: int, seed: int) -> tuple[Path, dict]:
    from bench.generate import generate

    out = CACHE / f"archive-{key(weeks, feeds, items_per_week, seed)}"
    return out, generate(out, weeks, feeds, items_per_week, seed, FIRST_WEEK)


def _ingest_chunk(data_dir: str, groups: list[list[str]]) -> int:
    from watchfloor.core.config import FeedSpec
    from watchfloor.core.lake import Lake
    from watchfloor.ingest.fetch import FeedFetcher
    from watchfloor.ingest.poll import poll_feeds

    lake, items = Lake(Path(data_dir)), 0
    with FeedFetcher(concurrency=1) as fetcher:
        for files in groups:
            polled = poll_feeds([FeedSpec(url=f, name=Path(f).parent.name) for f in files], fetcher, lake)
            items += polled.items.height
    return items


def raw_lake(weeks: int, feeds: int, items_per_week: int, seed: int, workers: int = 2, log=print) -> tuple[Path, dict]:
    """A data folder whose lake holds the archive's raw_items (ingested once, then reused)."""
    folder, manifest = archive(weeks, feeds, items_per_week, seed)
    data = CACHE / f"lake-{key(weeks, feeds, items_per_week, seed)}"
    stamp = data / "raw.json"
    if stamp.exists() and json.loads(stamp.read_text())["sha256"] == manifest["sha256"]:
        return data, json.loads(stamp.read_text())
    if data.exists():
        shutil.rmtree(data)
    data.mkdir(parents=True)
    from bench.generate import documents

    by_week: dict[str, list[str]] = {}
    for path in documents(folder):  # documents of one poll week go into one poll_feeds call
        day = date(int(path.stem[:4]), int(path.stem[4:6]), int(path.stem[6:8]))
        by_week.setdefault(str(FIRST_WEEK + timedelta(weeks=(day - FIRST_WEEK).days // 7)), []).append(str(path))
    groups = [by_week[w] for w in sorted(by_week)]
    log(f"ingesting {manifest['documents']} documents ({manifest['items']} items) with {workers} process(es)...")
    started = time.perf_counter()
    if workers > 1:
        with multiprocessing.get_context("spawn").Pool(workers) as pool:
            items = sum(pool.starmap(_ingest_chunk, [(str(data), groups[i::workers]) for i in range(workers)]))
    else:
        items = _ingest_chunk(str(data), groups)
    info = {"sha256": manifest["sha256"], "documents": manifest["documents"], "items": items,
            "ingest_seconds": round(time.perf_counter() - started, 1), "workers": workers}
    stamp.write_text(json.dumps(info))
    log(f"ingested {items} items in {info['ingest_seconds']}s")
    return data, info


def _build_weeks(data_dir: str, weeks: list[str], countries: tuple[str, ...]) -> tuple[int, int]:
    from watchfloor.articles.build import build_articles, store_articles
    from watchfloor.core.lake import Lake
    from watchfloor.events.extraction import extract_events
    from watchfloor.events.relevance import relevant_articles
    from watchfloor.places.gazetteer import Gazetteer
    from watchfloor.places.index import Places

    lake, gazetteer, places = Lake(Path(data_dir)), Gazetteer.load(), Places.load()
    n_articles = n_events = 0
    for text in weeks:
        week = date.fromisoformat(text)
        articles = build_articles(lake.read_week("raw_items", week), week, gazetteer)
        store_articles(lake, week, articles)
        n_articles += articles.height
        for country in countries:
            events = extract_events(relevant_articles(articles, country, gazetteer), country, week, places, gazetteer)
            lake.replace_week("events", week, events, country=country)
            n_events += events.height
    return n_articles, n_events


def build_events(data: Path, weeks: list[date], countries: tuple[str, ...], workers: int = 2, log=print) -> dict:
    """articles and events of every week and country through the stage functions (skipped when a
    previous build, or a backfill, left them for the same weeks and countries)."""
    stamp = data / "events.json"
    wanted = {"weeks": [str(w) for w in weeks], "countries": sorted(countries)}
    if stamp.exists():
        done = json.loads(stamp.read_text())
        if done["weeks"] == wanted["weeks"] and set(wanted["countries"]) <= set(done["countries"]):
            return done
    log(f"building articles and events of {len(weeks)} weeks x {len(countries)} countries with the stage functions...")
    started = time.perf_counter()
    texts = [str(w) for w in weeks]
    if workers > 1 and len(texts) > 1:
        with multiprocessing.get_context("spawn").Pool(workers) as pool:
            counts = pool.starmap(_build_weeks, [(str(data), texts[i::workers], countries) for i in range(workers)])
    else:
        counts = [_build_weeks(str(data), texts, countries)]
    info = {**wanted, "articles": sum(c[0] for c in counts), "events": sum(c[1] for c in counts),
            "build_seconds": round(time.perf_counter() - started, 1)}
    mark_built(data, weeks, countries, info)
    log(f"built {info['articles']} articles, {info['events']} events in {info['build_seconds']}s")
    return info


def events_lake(weeks: int, feeds: int, items_per_week: int, seed: int, countries: tuple[str, ...], workers: int = 2,
                log=print) -> tuple[Path, dict, dict]:
    """A data folder with articles and events of the workload: the last backfill's (bench.backfill) when
    it covered these weeks and countries, else the shared lake, built with the stage functions."""
    wanted_weeks = [str(w) for w in weeks_of(weeks)]
    backfilled = CACHE / f"backfill-{key(weeks, feeds, items_per_week, seed)}" / "data"
    stamp = backfilled / "events.json"
    if stamp.exists():
        done = json.loads(stamp.read_text())
        if done["weeks"] == wanted_weeks and set(countries) <= set(done["countries"]):
            raw = json.loads((CACHE / f"lake-{key(weeks, feeds, items_per_week, seed)}" / "raw.json").read_text())
            log(f"using the articles and events left by the last backfill in {backfilled}")
            return backfilled, raw, done
    data, raw = raw_lake(weeks, feeds, items_per_week, seed, workers, log)
    return data, raw, build_events(data, weeks_of(weeks), countries, workers, log)


def mark_built(data: Path, weeks: list[date], countries: tuple[str, ...], info: dict | None = None) -> None:
    info = {"weeks": [str(w) for w in weeks], "countries": sorted(countries), **(info or {})}
    (data / "events.json").write_text(json.dumps(info))
