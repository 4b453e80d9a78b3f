"""Shared factories: paths of the samples and corpora, feeds files, the assets and resources of a
test run, and the real week polled from a loopback server."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from pathlib import Path

import dagster as dg
import yaml
from werkzeug import Request, Response

from resources.feeds import FeedClientResource
from resources.gazetteer import GazetteerResource
from resources.lake import LakeResource
from resources.llm import LLMResource
from watchfloor.core.config import REPO_ROOT, FeedSpec
from watchfloor.core.lake import Lake
from watchfloor.ingest.fetch import FeedFetcher
from watchfloor.ingest.poll import poll_feeds

SAMPLES = REPO_ROOT / "samples"
CORPORA = REPO_ROOT.parent / "shared" / "corpora"
REALNEWS = CORPORA / "realnews-2026-08"
REAL_WEEK = date(2026, 8, 19)
TEST_DATA = REPO_ROOT / "tests" / "data"


def write_feeds_file(path: Path, urls: list[tuple[str, str]]) -> Path:
    path.write_text(yaml.safe_dump({"feeds": [{"url": url, "name": name} for url, name in urls]}), encoding="utf-8")
    return path


def pipeline_assets() -> list[dg.AssetsDefinition]:
    """Every asset and check of the code location, built from this environment as Dagster builds them."""
    from orchestration.definitions import definitions

    defs = definitions()
    return [*defs.assets, *defs.asset_checks]


def resources(data_dir: Path, feeds_file: Path | None = None, llm: LLMResource | None = None, **client) -> dict:
    return {
        "lake": LakeResource(data_dir=str(data_dir)),
        "feed_client": FeedClientResource(feeds_file=str(feeds_file or SAMPLES / "feeds.yaml"), **client),
        "gazetteer": GazetteerResource(),
        "llm": llm or LLMResource(),
    }


def realnews_snapshots() -> dict[str, list[Path]]:
    return {feed.name: sorted(feed.glob("*.xml")) for feed in sorted(REALNEWS.iterdir()) if feed.is_dir()}


def poll_realnews(lake: Lake) -> int:
    """All 407 snapshots served from 127.0.0.1 as successive polls of their 11 feeds; returns how many were served."""
    from pytest_httpserver import HTTPServer

    snapshots = realnews_snapshots()
    served: dict[str, int] = defaultdict(int)

    def next_snapshot(request: Request) -> Response:
        feed = request.path.strip("/")
        poll = served[feed]
        served[feed] += 1
        return Response(snapshots[feed][poll].read_bytes(), content_type="application/rss+xml; charset=utf-8")

    server = HTTPServer(host="127.0.0.1", port=0)
    server.start()
    try:
        for feed in snapshots:
            server.expect_request(f"/{feed}").respond_with_handler(next_snapshot)
        declared = yaml.safe_load((TEST_DATA / "realnews_feeds.yaml").read_text(encoding="utf-8"))
        feeds = [FeedSpec(url=server.url_for(f"/{feed}"), name=feed, **declared[feed]) for feed in snapshots]
        with FeedFetcher(retries=0, concurrency=4) as fetcher:
            for _ in range(max(len(files) for files in snapshots.values())):
                poll_feeds(feeds, fetcher, lake)
    finally:
        server.stop()
    return sum(served.values())
