"""Shared fixtures: a temporary data folder and Dagster instance, and the sample feeds over HTTP."""

from __future__ import annotations

from pathlib import Path

import dagster as dg
import pytest
import yaml

from resources.feeds import FeedClientResource
from resources.gazetteer import GazetteerResource
from resources.lake import LakeResource
from watchfloor.config import REPO_ROOT, load_feeds
from watchfloor.lake import Lake

SAMPLES = REPO_ROOT / "samples"
CORPORA = REPO_ROOT.parent / "shared" / "corpora"


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


def resources(data_dir: Path, feeds_file: Path | None = None, **client) -> dict:
    return {
        "lake": LakeResource(data_dir=str(data_dir)),
        "feed_client": FeedClientResource(feeds_file=str(feeds_file or SAMPLES / "feeds.yaml"), **client),
        "gazetteer": GazetteerResource(),
    }
