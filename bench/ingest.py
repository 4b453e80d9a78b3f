"""Ingestion benchmark on the real news corpus: archived documents to articles, beside feedparser alone.

    python -m bench.ingest [--quick] [--corpus ../shared/corpora/realnews-2026-08]

Prints documents/s and items/s of each side, their ratio (independent of the machine's speed), and
the peak memory of the pipeline side (measured in a child process so the baseline does not count).
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import resource
import tempfile
import time
from pathlib import Path

import feedparser

from watchfloor.config import REPO_ROOT, FeedSpec

DEFAULT_CORPUS = REPO_ROOT.parent / "shared" / "corpora" / "realnews-2026-08"


def documents(corpus: Path, quick: bool) -> list[Path]:
    files = sorted(corpus.glob("*/*.xml"))
    return files[::8] if quick else files


def feedparser_alone(files: list[Path]) -> dict:
    bodies = [f.read_bytes() for f in files]
    started = time.perf_counter()
    items = sum(len(feedparser.parse(body).entries) for body in bodies)
    seconds = time.perf_counter() - started
    return {"documents": len(files), "items": items, "seconds": seconds}


def pipeline(files: list[Path], queue: multiprocessing.Queue) -> None:
    """Poll every document as a file feed into a fresh lake, then build every week it covers."""
    from watchfloor.articles import build_articles
    from watchfloor.fetch import FeedFetcher
    from watchfloor.gazetteer import Gazetteer
    from watchfloor.ingest import poll_feeds
    from watchfloor.lake import Lake

    gazetteer = Gazetteer.load()  # a warm process, as in a long-running code server
    with tempfile.TemporaryDirectory() as tmp, FeedFetcher(concurrency=1) as fetcher:
        lake = Lake(Path(tmp))
        started = time.perf_counter()
        polled = poll_feeds([FeedSpec(url=str(f), name=f.parent.name) for f in files], fetcher, lake)
        ingested = time.perf_counter()
        weeks = sorted(polled.items["week"].unique().to_list())
        n_articles = sum(build_articles(lake.read_week("raw_items", w), w, gazetteer).height for w in weeks)
        finished = time.perf_counter()
    queue.put(
        {
            "documents": len(files),
            "items": polled.items.height,
            "articles": n_articles,
            "weeks": len(weeks),
            "seconds": finished - started,
            "ingest_seconds": ingested - started,
            "articles_seconds": finished - ingested,
            "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        }
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="every 8th document")
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    args = parser.parse_args()
    files = documents(args.corpus, args.quick)
    if not files:
        raise SystemExit(f"no documents under {args.corpus}")

    baseline = feedparser_alone(files)
    queue: multiprocessing.Queue = multiprocessing.get_context("spawn").Queue()
    child = multiprocessing.get_context("spawn").Process(target=pipeline, args=(files, queue))
    child.start()
    ours = queue.get()
    child.join()

    def rate(side: dict) -> tuple[float, float]:
        return side["documents"] / side["seconds"], side["items"] / side["seconds"]

    print(f"corpus: {args.corpus} ({len(files)} documents)")
    print("feedparser alone:  {:8.1f} documents/s {:9.1f} items/s".format(*rate(baseline)))
    print("documents→articles:{:8.1f} documents/s {:9.1f} items/s  ({} items → {} articles in {} weeks; "
          "ingest {:.2f}s, articles {:.2f}s)".format(*rate(ours), ours["items"], ours["articles"], ours["weeks"],
                                                   ours["ingest_seconds"], ours["articles_seconds"]))
    print(f"peak memory (pipeline process): {ours['peak_rss_mb']:.0f} MB")
    print(f"ratio ingest_vs_feedparser {rate(ours)[1] / rate(baseline)[1]:.3f}")
    print(json.dumps({"feedparser": baseline, "pipeline": ours}))


if __name__ == "__main__":
    main()
