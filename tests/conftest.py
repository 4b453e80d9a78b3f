"""Shared fixtures: a temporary data folder and Dagster instance, and the sample feeds over HTTP."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from pathlib import Path

import dagster as dg
import pytest
import polars as pl
import yaml
from werkzeug import Request, Response

from resources.feeds import FeedClientResource
from resources.gazetteer import GazetteerResource
from resources.lake import LakeResource
from resources.llm import LLMResource
from watchfloor.articles import build_articles
from watchfloor.config import REPO_ROOT, FeedSpec, load_feeds
from watchfloor.fetch import FeedFetcher
from watchfloor.gazetteer import Gazetteer
from watchfloor.ingest import poll_feeds
from watchfloor.lake import Lake

SAMPLES = REPO_ROOT / "samples"
CORPORA = REPO_ROOT.parent / "shared" / "corpora"
REALNEWS = CORPORA / "realnews-2026-08"
REAL_WEEK = date(2026, 8, 19)


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "data"
    path.mkdir()
    monkeypatch.setenv("WATCHFLOOR_DATA", str(path))
    return path


@pytest.fixture
def lake(data_dir: Path) -> Lake:
    return Lake(data_dir)


@pytest.fixture
def instance():
    with dg.instance_for_test() as instance:
        yield instance


def write_feeds_file(path: Path, urls: list[tuple[str, str]]) -> Path:
    path.write_text(yaml.safe_dump({"feeds": [{"url": url, "name": name} for url, name in urls]}), encoding="utf-8")
    return path


@pytest.fixture
def sample_feeds_over_http(httpserver, tmp_path: Path) -> Path:
    """The bundled sample feeds, served from 127.0.0.1, listed in a temporary feeds file."""
    urls = []
    for feed in load_feeds(SAMPLES / "feeds.yaml"):
        path = Path(feed.url)
        httpserver.expect_request(f"/{path.name}").respond_with_data(
            path.read_bytes(), content_type="application/xml; charset=utf-8"
        )
        urls.append((httpserver.url_for(f"/{path.name}"), feed.name))
    return write_feeds_file(tmp_path / "feeds.yaml", urls)


def resources(data_dir: Path, feeds_file: Path | None = None, llm: LLMResource | None = None, **client) -> dict:
    return {
        "lake": LakeResource(data_dir=str(data_dir)),
        "feed_client": FeedClientResource(feeds_file=str(feeds_file or SAMPLES / "feeds.yaml"), **client),
        "gazetteer": GazetteerResource(),
        "llm": llm or LLMResource(),
    }


def realnews_snapshots() -> dict[str, list[Path]]:
    return {feed.name: sorted(feed.glob("*.xml")) for feed in sorted(REALNEWS.iterdir()) if feed.is_dir()}


@pytest.fixture(scope="session")
def realnews_week(tmp_path_factory) -> tuple[Lake, pl.DataFrame]:
    """All 407 snapshots served from 127.0.0.1 as successive polls of their 11 feeds, then week 2026-08-19 built."""
    from pytest_httpserver import HTTPServer

    if not REALNEWS.is_dir():
        pytest.skip("../shared/corpora/realnews-2026-08 is not on this machine")
    snapshots = realnews_snapshots()
    served: dict[str, int] = defaultdict(int)

    def next_snapshot(request: Request) -> Response:
        feed = request.path.strip("/")
        poll = served[feed]
        served[feed] += 1
        return Response(snapshots[feed][poll].read_bytes(), content_type="application/rss+xml; charset=utf-8")

    lake = Lake(tmp_path_factory.mktemp("realnews"))
    server = HTTPServer(host="127.0.0.1", port=0)
    server.start()
    try:
        for feed in snapshots:
            server.expect_request(f"/{feed}").respond_with_handler(next_snapshot)
        feeds = [FeedSpec(url=server.url_for(f"/{feed}"), name=feed) for feed in snapshots]
        with FeedFetcher(retries=0, concurrency=4) as fetcher:
            for _ in range(max(len(files) for files in snapshots.values())):
                poll_feeds(feeds, fetcher, lake)
    finally:
        server.stop()
    assert sum(served.values()) == 407
    articles = build_articles(lake.read_week("raw_items", REAL_WEEK), REAL_WEEK, Gazetteer.load())
    return lake, articles


@pytest.fixture(scope="session")
def realnews_articles(realnews_week) -> pl.DataFrame:
    """The articles of week 2026-08-19 built from the real corpus."""
    return realnews_week[1]
