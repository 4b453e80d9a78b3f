"""Parse benchmark: archived feed documents to raw items with parse_feed (the lxml fast path, feedparser
as its fallback), beside feedparser alone on the same documents.

    python -m bench.parse [--quick] [--corpus ../shared/corpora/realnews-2026-08]
    python -m bench.parse --synthetic [--quick] [--weeks 4 --feeds 11 --items-per-week 20000 --seed 1]

feedparser parses the documents before and after parse_feed does, and its time is the mean of the
two passes, so a change in the machine's load weighs on both sides alike; times are the process's
CPU time. Prints documents/s and items/s of each side, how many documents took the fast path, and
`ratio parse_vs_feedparser` (items/s against feedparser's). --synthetic and --quick choose the
documents as bench.ingest does (the same cached archives).
"""

from __future__ import annotations

import argparse
import io
import json
import time
from datetime import UTC, datetime
from pathlib import Path

import feedparser

from bench.ingest import chosen_documents, corpus_arguments
from watchfloor.ingest.fast_parse import read_feed
from watchfloor.ingest.parse import parse_feed, response_headers


def measure(files: list[Path]) -> dict:
    """Items and CPU seconds of each side; feedparser's seconds are the mean of a pass before and one after."""
    documents = [(path.read_bytes(), str(path)) for path in files]  # poll_feeds passes a file feed's path as base
    fetched_at = datetime.now(UTC)

    def feedparser_alone() -> int:
        return sum(len(feedparser.parse(io.BytesIO(body)).entries) for body, _ in documents)

    def new_path() -> int:
        return sum(len(parse_feed(body, fetched_at=fetched_at, base_url=base).items) for body, base in documents)

    passes = [_timed(run) for run in (feedparser_alone, new_path, feedparser_alone)]
    (items, first), (parsed_items, seconds), (_, second) = passes
    fast = sum(read_feed(body, response_headers(body, None, base)) is not None for body, base in documents)
    return {"feedparser": {"documents": len(files), "items": items, "seconds": (first + second) / 2},
            "parse_feed": {"documents": len(files), "items": parsed_items, "seconds": seconds},
            "fast_path_documents": fast}


def _timed(run) -> tuple[int, float]:
    started = time.process_time()  # CPU time: waiting while other programs run does not count
    items = run()
    return items, time.process_time() - started


def main() -> None:
    args = corpus_arguments(argparse.ArgumentParser(description=__doc__.splitlines()[0])).parse_args()
    files = chosen_documents(args)

    figures = measure(files)
    print(f"corpus: {args.corpus} ({len(files)} documents, {figures['fast_path_documents']} on the fast path)")
    for name, label in (("feedparser", "feedparser alone:"), ("parse_feed", "documents→raw items:")):
        side = figures[name]
        documents_per_second, items_per_second = side["documents"] / side["seconds"], side["items"] / side["seconds"]
        print(f"{label:21s}{documents_per_second:8.1f} documents/s {items_per_second:9.1f} items/s  "
              f"({side['items']} items, {side['seconds']:.2f}s)")
    rate = {name: figures[name]["items"] / figures[name]["seconds"] for name in ("feedparser", "parse_feed")}
    workload = "_synthetic" if args.synthetic else ""
    print(f"ratio parse_vs_feedparser{workload} {rate['parse_feed'] / rate['feedparser']:.3f}")
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
