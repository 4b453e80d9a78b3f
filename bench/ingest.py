"""Ingestion benchmark on the real news corpus: archived documents to articles, beside feedparser alone.

    python -m bench.ingest [--quick] [--corpus ../shared/corpora/realnews-2026-08] [--profile]
    python -m bench.ingest --synthetic [--quick] [--weeks 4 --feeds 11 --items-per-week 20000 --seed 1]

Prints documents/s and items/s of each side, their ratio (independent of the machine's speed), and
the peak memory of the pipeline side (measured in a child process so the baseline does not count).

--synthetic runs the same measurement on an archive from bench.generate (RSS 2.0, Atom and RSS 1.0
feeds with the real corpus's statistics), generated once into bench/.cache/ and reused while the
parameters, the generator and its statistics are unchanged. --quick: one week of 3,000 items.
--profile runs the pipeline under cProfile and prints its top entries instead of the ratio (the
profiler slows it down).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import multiprocessing
import pstats
import resource
import tempfile
import time
from pathlib import Path

import feedparser

from watchfloor.core.config import REPO_ROOT, FeedSpec

DEFAULT_CORPUS = REPO_ROOT.parent / "shared" / "corpora" / "realnews-2026-08"


CACHE = Path(__file__).with_name(".cache")


def synthetic_documents(weeks: int, feeds: int, items_per_week: int, seed: int) -> tuple[Path, list[Path]]:
    from bench.generate import documents as archive_documents
    from bench.generate import generate

    out = CACHE / f"ingest-w{weeks}-f{feeds}-i{items_per_week}-s{seed}"
    generate(out, weeks, feeds, items_per_week, seed)
    return out, archive_documents(out)


def documents(corpus: Path, quick: bool) -> list[Path]:
    files = sorted(corpus.glob("*/*.xml"))
    return files[::8] if quick else files


def feedparser_alone(files: list[Path]) -> dict:
    bodies = [f.read_bytes() for f in files]
    started = time.perf_counter()
    items = sum(len(feedparser.parse(body).entries) for body in bodies)
    seconds = time.perf_counter() - started
    return {"documents": len(files), "items": items, "seconds": seconds}


def pipeline(files: list[Path], queue: multiprocessing.Queue, profile: bool = False) -> None:
    """Poll every document as a file feed into a fresh lake, then build every week it covers."""
    from watchfloor.articles.build import build_articles
    from watchfloor.core.lake import Lake
    from watchfloor.ingest.fetch import FeedFetcher
    from watchfloor.ingest.poll import poll_feeds
    from watchfloor.places.gazetteer import Gazetteer

    gazetteer = Gazetteer.load()  # a warm process, as in a long-running code server
    profiler = cProfile.Profile() if profile else None
    with tempfile.TemporaryDirectory() as tmp, FeedFetcher(concurrency=1) as fetcher:
        lake = Lake(Path(tmp))
        if profiler:
            profiler.enable()
        started = time.perf_counter()
        polled = poll_feeds([FeedSpec(url=str(f), name=f.parent.name) for f in files], fetcher, lake)
        ingested = time.perf_counter()
        weeks = sorted(polled.items["week"].unique().to_list())
        n_articles = sum(build_articles(lake.read_week("raw_items", w), w, gazetteer).height for w in weeks)
        finished = time.perf_counter()
        if profiler:
            profiler.disable()
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
            "profile": _top_entries(profiler) if profiler else None,
        }
    )


def _top_entries(profiler: cProfile.Profile, count: int = 20) -> str:
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(count)
    return out.getvalue()


def corpus_arguments(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    """The options that choose the documents (the real corpus or a generated archive), shared by
    the ingest and parse benchmarks."""
    parser.add_argument("--quick", action="store_true", help="every 8th document; synthetic: one week of 3,000 items")
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--synthetic", action="store_true", help="a generated archive instead of the real corpus")
    parser.add_argument("--weeks", type=int, default=4)
    parser.add_argument("--feeds", type=int, default=11)
    parser.add_argument("--items-per-week", type=int, default=20000)
    parser.add_argument("--seed", type=int, default=1)
    return parser


def chosen_documents(args: argparse.Namespace) -> list[Path]:
    """The documents the options name (args.corpus is set to a generated archive's folder)."""
    if args.synthetic:
        weeks, items = (1, 3000) if args.quick else (args.weeks, args.items_per_week)
        args.corpus, files = synthetic_documents(weeks, args.feeds, items, args.seed)
    else:
        files = documents(args.corpus, args.quick)
    if not files:
        raise SystemExit(f"no documents under {args.corpus}")
    return files


def main() -> None:
    parser = corpus_arguments(argparse.ArgumentParser(description=__doc__.splitlines()[0]))
    parser.add_argument("--profile", action="store_true", help="print the pipeline's top cProfile entries")
    args = parser.parse_args()
    files = chosen_documents(args)

    baseline = feedparser_alone(files)
    queue: multiprocessing.Queue = multiprocessing.get_context("spawn").Queue()
    child = multiprocessing.get_context("spawn").Process(target=pipeline, args=(files, queue, args.profile))
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
    profile = ours.pop("profile")
    if profile:
        print(profile)
        return
    workload = "_synthetic" if args.synthetic else ""
    print(f"ratio ingest_vs_feedparser{workload} {rate(ours)[1] / rate(baseline)[1]:.3f}")
    print(json.dumps({"feedparser": baseline, "pipeline": ours}))


if __name__ == "__main__":
    main()
