"""Ingestion on the shared corpora: feedparser's 2,106 test feeds, and a real week of news polls."""

from __future__ import annotations

import email.utils
import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta

import dagster as dg
import polars as pl
import pytest

from assets.ingestion import raw_feeds
from tests.support.factories import CORPORA, REALNEWS, realnews_snapshots, resources, write_feeds_file
from watchfloor.ingest.fetch import FETCH_STATUSES

FEEDPARSER_TESTS = CORPORA / "feedparser-tests"

pytestmark = pytest.mark.xdist_group("corpora")  # heavy: keep them on one worker


@pytest.mark.skipif(not FEEDPARSER_TESTS.is_dir(), reason="../shared/corpora/feedparser-tests is not on this machine")
def test_every_feedparser_test_document_in_one_raw_feeds_run(data_dir, tmp_path, instance):
    documents = sorted(p for p in FEEDPARSER_TESTS.rglob("*") if p.is_file() and p.name != "LICENSE")
    assert len(documents) == 2106
    feeds = write_feeds_file(tmp_path / "feeds.yaml", [(str(p), p.stem) for p in documents])
    result = dg.materialize([raw_feeds], instance=instance, resources=resources(data_dir, feeds))
    assert result.success
    fetches = pl.read_parquet(list((data_dir / "lake" / "feed_fetches").rglob("*.parquet")))
    assert fetches.height == 2106 and fetches["feed_url"].n_unique() == 2106
    assert set(fetches["status"].unique()) <= set(FETCH_STATUSES)
    assert fetches.filter(pl.col("status") == "ok").height > 1500  # most are real feeds; the rest are recorded, not lost


def expected_week_entries() -> tuple[int, int]:
    """Counted straight from the XML with the standard library, not with the code under test:
    distinct links published in the week, and distinct (feed, link) pairs."""
    start = datetime(2026, 8, 19, tzinfo=UTC)
    links, pairs = set(), set()
    for feed, files in realnews_snapshots().items():
        for path in files:
            for item in ET.parse(path).getroot().iter("item"):
                published = email.utils.parsedate_to_datetime(item.findtext("pubDate"))
                if start <= published < start + timedelta(days=7):
                    link = item.findtext("link").strip()
                    links.add(link)
                    pairs.add((feed, link))
    return len(links), len(pairs)


@pytest.mark.skipif(not REALNEWS.is_dir(), reason="../shared/corpora/realnews-2026-08 is not on this machine")
def test_realnews_polls_are_all_logged(realnews_week):
    lake, _ = realnews_week
    fetches = pl.read_parquet(list(lake.table_dir("feed_fetches").rglob("*.parquet")))
    assert fetches.height == 407
    assert set(fetches["status"].unique()) <= {"ok", "unchanged"}
    assert fetches.filter(pl.col("status") == "ok")["sha256"].n_unique() == len(list(lake.archive_dir.rglob("*.gz")))


@pytest.mark.skipif(not REALNEWS.is_dir(), reason="../shared/corpora/realnews-2026-08 is not on this machine")
def test_realnews_week_is_unique_and_collapses_duplicates(realnews_week):
    _, articles = realnews_week
    distinct_links, distinct_feed_links = expected_week_entries()
    assert (distinct_links, distinct_feed_links) == (3258, 3281)  # as counted when this test was written

    assert articles["url_canonical"].n_unique() == articles.height == articles["article_id"].n_unique()
    # every distinct (feed, link) entry of the week is accounted for exactly once
    assert articles["duplicate_count"].sum() == distinct_feed_links
    # the same story under several URLs (aggregator links, syndication) is one article
    assert articles.height < distinct_links
    assert 2000 <= articles.height <= 2494  # 2494 = distinct headlines once outlet suffixes are dropped

    # read in the XML: this story ran in Reuters, the Google News pool and ThePrint under three URLs
    swap = articles.filter(pl.col("title").str.contains("(?i)Russia and Ukraine swap 103 prisoners of war each"))
    assert swap.height == 1
    assert swap["duplicate_count"][0] == 3 and len(swap["feed_urls"][0]) == 3
    assert {"RU", "UA"} <= set(swap["countries"][0])
    assert set(articles["language"].unique()) >= {"en", "ja", "es"}
