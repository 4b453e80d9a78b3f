"""Every analyst query in sql/queries runs against a small warehouse built from the sample feeds."""

from __future__ import annotations

import re
import subprocess
import sys
from datetime import date
from pathlib import Path

import duckdb
import pytest

from tests.support.factories import SAMPLES
from watchfloor.articles.build import build_articles, store_articles
from watchfloor.core import warehouse
from watchfloor.core.config import REPO_ROOT, load_feeds
from watchfloor.core.lake import Lake
from watchfloor.events.extraction import extract_events
from watchfloor.events.relevance import relevant_articles
from watchfloor.ingest.fetch import FeedFetcher
from watchfloor.ingest.poll import poll_feeds
from watchfloor.places.gazetteer import Gazetteer
from watchfloor.places.index import Places

QUERIES = REPO_ROOT / "sql" / "queries"
WEEKS = (date(2026, 6, 17), date(2026, 6, 24))
COUNTRIES = ("MN", "KZ", "PL")


@pytest.fixture(scope="module")
def built_lake(tmp_path_factory) -> Lake:
    lake = Lake(tmp_path_factory.mktemp("warehouse"))
    with FeedFetcher() as fetcher:
        poll_feeds(load_feeds(SAMPLES / "feeds.yaml"), fetcher, lake)
    gazetteer, places = Gazetteer.load(), Places.load()
    for week in WEEKS:
        store_articles(lake, week, build_articles(lake.read_week("raw_items", week), week, gazetteer))
        for country in COUNTRIES:
            chosen = relevant_articles(lake.read_week("articles", week), country, gazetteer)
            lake.replace_week("events", week, extract_events(chosen, country, week, places, gazetteer), country=country)
    warehouse.refresh(lake, COUNTRIES)
    return lake


@pytest.fixture(scope="module")
def analyst(built_lake: Lake) -> duckdb.DuckDBPyConnection:
    with warehouse.connect_read_only(built_lake) as con:
        yield con


def run(con: duckdb.DuckDBPyConnection, name: str, **variables: str) -> list[tuple]:
    for key in ("country", "event_id", "query"):
        con.execute(f"RESET VARIABLE {key}")
    for key, value in variables.items():
        con.execute(f"SET VARIABLE {key} = ?", [value])
    return con.sql((QUERIES / f"{name}.sql").read_text(encoding="utf-8")).fetchall()


def test_every_query_file_is_tested():
    assert {p.stem for p in QUERIES.glob("*.sql")} == {
        "events_by_category_per_week", "top_locations", "week_over_week_by_country", "articles_behind_event", "search_articles"}


def test_per_country_tables(analyst):
    for country in COUNTRIES:
        total = analyst.execute("SELECT count(*) FROM events WHERE country = ?", [country]).fetchall()
        assert analyst.execute(f"SELECT count(*) FROM events_{country.lower()}").fetchall() == total != [(0,)]


def test_events_by_category_per_week(analyst):
    rows = run(analyst, "events_by_category_per_week", country="MN")
    assert {r[1] for r in rows} == {"MN"} and {r[0] for r in rows} == set(WEEKS)
    assert sum(r[3] for r in rows) == analyst.execute("SELECT count(*) FROM events_mn").fetchall()[0][0]
    assert {r[1] for r in run(analyst, "events_by_category_per_week")} == set(COUNTRIES)


def test_top_locations(analyst):
    rows = run(analyst, "top_locations", country="MN")
    assert rows and all(-90 <= r[2] <= 90 and -180 <= r[3] <= 180 for r in rows)
    assert "Five Hills Training Area" in {r[1] for r in rows}


def test_week_over_week_by_country(analyst):
    rows = run(analyst, "week_over_week_by_country")
    latest = {r[0]: r for r in rows if r[1] == WEEKS[1]}
    earliest = {r[0]: r for r in rows if r[1] == WEEKS[0]}
    for country in COUNTRIES:
        assert latest[country][5] == latest[country][2] - earliest[country][2]
        assert earliest[country][5] is None


def test_articles_behind_event(analyst):
    event_id, cited = analyst.execute(
        "SELECT event_id, article_ids FROM events_mn WHERE source_count >= 2 ORDER BY event_id LIMIT 1").fetchall()[0]
    rows = run(analyst, "articles_behind_event", event_id=event_id)
    assert sorted(r[2] for r in rows) == sorted(cited)


def test_search_articles(analyst):
    rows = run(analyst, "search_articles", query="Khaan Quest")
    assert rows and all("khaan" in r[4].lower() or r[5] < 4 for r in rows)
    assert rows[0][5] == 6  # both words in the title and the summary
    assert run(analyst, "search_articles", query="zzzznosuchword") == []


@pytest.mark.parametrize("query", ["Khaan Quest", "mongolia BORDER", "drone-strike", "Ulaanbaatar ministry exercise", "Polska"])
def test_search_articles_matches_whole_words_in_the_text(analyst, query):
    """The stored word lists give what matching the words in the title and summary text gives."""
    def words(text: str | None) -> set[str]:
        return set(re.findall(r"\w+", (text or "").lower()))

    terms = words(query)
    expected = sorted(
        ((2 * len(terms & words(title)) + len(terms & words(summary)), published_at, article_id)
         for article_id, published_at, title, summary in analyst.execute(
             "SELECT article_id, published_at, title, summary FROM articles").fetchall()),
        key=lambda r: (-r[0], -r[1].timestamp(), r[2]),
    )
    expected = [(article_id, score) for score, _, article_id in expected if score > 0][:20]
    assert expected, f"no sample article has a word of {query!r}"
    assert [(r[0], r[5]) for r in run(analyst, "search_articles", query=query)] == expected


def test_the_duckdb_shell_runs_the_queries(built_lake: Lake, analyst):
    """The README's commands: the `duckdb` shell installed with the project opens the catalog
    (written in a storage format it reads) and runs a query file with its variable."""
    shell = Path(sys.executable).with_name("duckdb")
    assert shell.exists(), "duckdb-cli is a dependency: run `make install`"
    out = subprocess.run(
        [str(shell), "-readonly", "-csv", str(warehouse.warehouse_path(built_lake)),
         "-c", "SET VARIABLE query = 'Khaan Quest'", "-c", f".read {QUERIES / 'search_articles.sql'}"],
        capture_output=True, text=True, timeout=60, check=True,
    ).stdout
    ids = [line.split(",")[0] for line in out.splitlines()[1:]]
    assert ids == [r[0] for r in run(analyst, "search_articles", query="Khaan Quest")]
