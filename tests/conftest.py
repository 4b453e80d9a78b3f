"""Fixtures: a temporary data folder and Dagster instance, the sample feeds over HTTP, the real week."""

from __future__ import annotations

from pathlib import Path

import dagster as dg
import polars as pl
import pytest

from tests.support.factories import REAL_WEEK, REALNEWS, SAMPLES, poll_realnews, write_feeds_file
from watchfloor.articles.build import build_articles
from watchfloor.core.config import load_feeds
from watchfloor.core.lake import Lake
from watchfloor.places.gazetteer import Gazetteer


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


@pytest.fixture(scope="session")
def realnews_week(tmp_path_factory) -> tuple[Lake, pl.DataFrame]:
    """All 407 snapshots served from 127.0.0.1 as successive polls of their 11 feeds, then week 2026-08-19 built."""
    if not REALNEWS.is_dir():
        pytest.skip("../shared/corpora/realnews-2026-08 is not on this machine")
    lake = Lake(tmp_path_factory.mktemp("realnews"))
    assert poll_realnews(lake) == 407
    articles = build_articles(lake.read_week("raw_items", REAL_WEEK), REAL_WEEK, Gazetteer.load())
    return lake, articles


@pytest.fixture(scope="session")
def realnews_articles(realnews_week) -> pl.DataFrame:
    """The articles of week 2026-08-19 built from the real corpus."""
    return realnews_week[1]
