"""The lake's partition writes are atomic and idempotent; the warehouse sees them through views."""

from datetime import date, datetime
from pathlib import Path

import duckdb
import polars as pl
import pytest

from watchfloor import warehouse
from watchfloor.lake import Lake, empty

WEEK = date(2026, 6, 24)


def articles_frame(n: int, title: str = "t") -> pl.DataFrame:
    return pl.DataFrame(
        {
            "article_id": [f"{i:016x}" for i in range(n)],
            "week": [WEEK] * n,
            "url": [f"https://example.org/{i}" for i in range(n)],
            "title": [f"{title}{i}" for i in range(n)],
            "summary": ["s"] * n,
            "body": ["b"] * n,
            "published_at": [datetime(2026, 6, 25, 12)] * n,
            "source": ["Example"] * n,
            "feed_url": ["https://example.org/rss"] * n,
            "language": ["en"] * n,
            "countries": [["MN"]] * n,
            "duplicate_count": [1] * n,
            "sources": [["Example"]] * n,
            "feed_urls": [["https://example.org/rss"]] * n,
            "date_flag": [None] * n,
            "first_seen_at": [datetime(2026, 6, 25, 13)] * n,
            "mentions": [[{"country": "MN", "salience": 3.0, "headline": True, "lead": False}]] * n,
        },
        schema=empty("articles").schema,
    )


def test_rewriting_a_week_replaces_it_whole(lake: Lake):
    lake.replace_week("articles", WEEK, articles_frame(5))
    lake.replace_week("articles", WEEK, articles_frame(3))
    assert lake.read_week("articles", WEEK).height == 3
    assert [p.name for p in (lake.table_dir("articles") / f"week={WEEK}").iterdir()] == ["part-0.parquet"]


def test_a_crash_during_a_write_leaves_the_previous_partition(lake: Lake, monkeypatch: pytest.MonkeyPatch):
    lake.replace_week("articles", WEEK, articles_frame(4, "old"))
    warehouse.refresh(lake)

    def crash_halfway(self, file, **kwargs):
        Path(file).write_bytes(b"PAR1 half a file")
        raise OSError("disk full")

    monkeypatch.setattr(pl.DataFrame, "write_parquet", crash_halfway)
    with pytest.raises(OSError, match="disk full"):
        lake.replace_week("articles", WEEK, articles_frame(9, "new"))
    monkeypatch.undo()

    assert lake.read_week("articles", WEEK)["title"].to_list() == ["old0", "old1", "old2", "old3"]
    with warehouse.connect_read_only(lake) as con:
        assert con.execute("SELECT count(*) FROM articles").fetchall() == [(4,)]
    assert list((lake.lake_dir / ".tmp").iterdir()) == []


def test_views_exist_and_are_typed_before_any_data(lake: Lake):
    warehouse.refresh(lake)
    with warehouse.connect_read_only(lake) as con:
        assert con.execute("SELECT count(*) FROM articles").fetchall() == [(0,)]
        types = dict(con.execute("SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'articles'").fetchall())
    assert types["week"] == "DATE" and types["published_at"] == "TIMESTAMP" and types["countries"] == "VARCHAR[]"


def test_refresh_rebuilds_only_when_views_change(lake: Lake):
    path = warehouse.refresh(lake)
    first = path.stat().st_ino
    assert warehouse.refresh(lake).stat().st_ino == first  # unchanged: not rebuilt
    lake.replace_week("articles", WEEK, articles_frame(2))
    assert warehouse.refresh(lake).stat().st_ino != first  # the table got its first file


def test_an_analyst_connection_stays_usable_across_writes_and_rebuilds(lake: Lake):
    lake.replace_week("articles", WEEK, articles_frame(2))
    warehouse.refresh(lake)
    analyst = warehouse.connect_read_only(lake)
    lake.replace_week("articles", WEEK, articles_frame(7))
    lake.append("feed_fetches", "fetched_on=2026-06-25", "b1", empty("feed_fetches"))
    warehouse.refresh(lake)  # swaps in a new file while the analyst holds the old one
    assert analyst.execute("SELECT count(*) FROM articles").fetchall() == [(7,)]
    analyst.close()
    with duckdb.connect(str(warehouse.warehouse_path(lake)), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM articles").fetchall() == [(7,)]


def test_archive_stores_identical_documents_once(lake: Lake):
    first = lake.archive("ab" * 32, b"<rss/>")
    second = lake.archive("ab" * 32, b"<rss/>")
    assert first == second and lake.read_archived("ab" * 32) == b"<rss/>"
    assert len(list(lake.archive_dir.rglob("*.gz"))) == 1
