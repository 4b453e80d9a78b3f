"""The lake's partition writes are atomic and idempotent; the warehouse sees them through views."""

from datetime import date, datetime
from pathlib import Path

import duckdb
import polars as pl
import pytest

from watchfloor.core import warehouse
from watchfloor.core.lake import Lake
from watchfloor.core.tables import empty

WEEK = date(2026, 6, 24)


def articles_frame(n: int, title: str = "t") -> pl.DataFrame:
    return pl.DataFrame(
        {
            "article_id": [f"{i:016x}" for i in range(n)],
            "week": [WEEK] * n,
            "url": [f"https://www.example.org/{i}" for i in range(n)],
            "url_canonical": [f"https://example.org/{i}" for i in range(n)],
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
            "publisher": ["Example"] * n,
            "publishers": [["Example"]] * n,
            "home_countries": [["MN"]] * n,
            "date_flag": [None] * n,
            "first_seen_at": [datetime(2026, 6, 25, 13)] * n,
            "mentions": [[{"country": "MN", "salience": 3.0, "headline": True, "lead": False}]] * n,
            "security_category": ["diplomacy"] * n,
            "security_score": [0.9] * n,
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


def hotspot_rows(country: str, label: str, n: int = 1) -> pl.DataFrame:
    return pl.DataFrame([{"week": WEEK, "country": country, "label": f"{label} {i}", "detail": "", "lat": 47.9,
                          "lng": 106.9, "intensity": 3} for i in range(n)], schema=empty("hotspots").schema)


def test_views_of_per_country_tables_read_one_snapshot_that_follows_every_write(lake: Lake):
    lake.replace_week("hotspots", WEEK, hotspot_rows("MN", "a", 2), country="MN")
    lake.replace_week("hotspots", WEEK, hotspot_rows("KZ", "b"), country="KZ")
    warehouse.refresh(lake)
    with warehouse.connect_read_only(lake) as con:
        assert con.execute("SELECT country, count(*) FROM hotspots GROUP BY 1 ORDER BY 1").fetchall() == [("KZ", 1), ("MN", 2)]
        view = con.execute("SELECT sql FROM duckdb_views() WHERE view_name = 'hotspots'").fetchall()[0][0]
    assert "_snapshots/hotspots.parquet" in view and "**" not in view  # one file, not the partition files

    snapshot = lake.snapshot_path("hotspots")
    assert lake.refresh_snapshot("hotspots") is False  # nothing changed: not rewritten
    lake.replace_week("hotspots", WEEK, hotspot_rows("MN", "c", 3), country="MN")  # a re-run replaces a partition
    warehouse.refresh(lake)
    assert pl.read_parquet(snapshot).sort("label")["label"].to_list() == ["b 0", "c 0", "c 1", "c 2"]


def test_a_write_whose_run_died_before_the_snapshot_shows_after_the_next_refresh(lake: Lake):
    lake.replace_week("hotspots", WEEK, hotspot_rows("MN", "a"), country="MN")
    warehouse.refresh(lake)
    lake.replace_week("hotspots", WEEK, hotspot_rows("PL", "p"), country="PL")  # killed before refreshing
    assert pl.read_parquet(lake.snapshot_path("hotspots")).height == 1
    warehouse.refresh(lake)  # any later run's refresh
    assert sorted(pl.read_parquet(lake.snapshot_path("hotspots"))["country"]) == ["MN", "PL"]


def _write_and_refresh(root: str, country: str) -> None:
    lake = Lake(Path(root))
    for n in range(1, 6):  # several writes and refreshes per process, interleaving with the others
        lake.replace_week("hotspots", WEEK, hotspot_rows(country, country, n), country=country)
        lake.refresh_snapshot("hotspots")


def test_concurrent_writers_leave_a_snapshot_with_every_final_partition(lake: Lake):
    import multiprocessing

    countries = ["MN", "KZ", "PL", "UA", "JP", "US"]
    with multiprocessing.get_context("spawn").Pool(3) as pool:
        pool.starmap(_write_and_refresh, [(str(lake.root), c) for c in countries])
    snapshot = pl.read_parquet(lake.snapshot_path("hotspots"))
    assert snapshot.group_by("country").len().sort("country").rows() == sorted((c, 5) for c in countries)
    assert lake.refresh_snapshot("hotspots") is False
