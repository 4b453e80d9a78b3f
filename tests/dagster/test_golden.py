"""The pipeline's output, digested: the sample weeks and the real week give what they gave when the
digests were recorded (tests/support/golden.py). A change meant to alter the output rewrites them with
WATCHFLOOR_UPDATE_GOLDEN=1 and says so in its commit."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.support.factories import REAL_WEEK, REALNEWS
from tests.support.golden import REPO_ROOT, compare, digests, run_watchfloor

REAL_COUNTRIES = "IR,UA,CN,KP,IN,TW,IL,PK"

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("corpora")]


def test_sample_weeks_match_the_golden_digests(tmp_path: Path):
    data, home = tmp_path / "data", tmp_path / "dagster"
    run_watchfloor(["run", "--week", "2026-06-17"], data, home)
    run_watchfloor(["run", "--no-fetch", "--week", "2026-06-24"], data, home)
    found = digests(data, {str(REPO_ROOT): "<repo>", str(data): "<data>"})
    assert found["rows/events"] != "0"
    assert compare("samples", found) == []


@pytest.mark.skipif(not REALNEWS.is_dir(), reason="../shared/corpora/realnews-2026-08 is not on this machine")
def test_real_week_matches_the_golden_digests(realnews_week, tmp_path: Path):
    polled, _ = realnews_week
    data, home = tmp_path / "data", tmp_path / "dagster"
    for folder in ("lake/raw_items", "lake/feed_fetches", "archive"):
        shutil.copytree(polled.root / folder, data / folder)
    run_watchfloor(["run", "--no-fetch", "--week", REAL_WEEK.isoformat()], data, home,
                   WATCHFLOOR_COUNTRIES=REAL_COUNTRIES)
    feed_base = _feed_base(polled)
    found = digests(data, {feed_base: "<feeds>", str(data): "<data>"})
    assert found["rows/events"] != "0"
    assert compare("realnews", found) == []


def _feed_base(lake) -> str:
    """The loopback server's address the corpus was polled from (its port changes every session)."""
    import polars as pl

    url = pl.read_parquet(next(lake.table_dir("feed_fetches").rglob("*.parquet")))["feed_url"][0]
    return url.rsplit("/", 1)[0]
