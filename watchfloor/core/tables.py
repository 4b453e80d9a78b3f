"""The lake's data contract: every table's columns and types, and how a frame is made to fit them.

Analysts and tests rely on these names (../shared/DESIGN.md, "Data contract"); storage is in
watchfloor.core.lake.
"""

from __future__ import annotations

import polars as pl

TIMESTAMP = pl.Datetime("us")  # naive UTC: DuckDB reads it as TIMESTAMP, shown the same in every time zone

FEED_FETCHES = {
    "feed_url": pl.String,
    "feed_name": pl.String,
    "fetched_at": TIMESTAMP,
    "status": pl.String,
    "http_status": pl.Int32,
    "bytes": pl.Int64,
    "n_items": pl.Int32,
    "error": pl.String,
    "sha256": pl.String,
    "final_url": pl.String,
    "etag": pl.String,
    "last_modified": pl.String,
    "attempts": pl.Int32,
    "elapsed_ms": pl.Int32,
    "bozo": pl.Boolean,
    "bozo_message": pl.String,
    "encoding": pl.String,
    "batch_id": pl.String,
}

RAW_ITEMS = {
    "feed_url": pl.String,
    "feed_name": pl.String,
    "guid": pl.String,
    "link": pl.String,
    "title": pl.String,
    "summary": pl.String,
    "content": pl.String,
    "author": pl.String,
    "source": pl.String,
    # the newsroom that wrote the item (watchfloor.ingest.publishers) and the feed's home country
    "publisher": pl.String,
    "home_country": pl.String,
    "published_at": TIMESTAMP,
    "published_raw": pl.String,
    "date_flag": pl.String,
    "language": pl.String,
    "fetched_at": TIMESTAMP,
    "sha256": pl.String,
    "week": pl.Date,
    "batch_id": pl.String,
}

ARTICLES = {
    "article_id": pl.String,
    "week": pl.Date,
    "url": pl.String,  # the link as the feed published it
    "url_canonical": pl.String,  # the form duplicates are found by (watchfloor.text.urls.canonical_url); article_id hashes it
    "title": pl.String,
    "summary": pl.String,
    "body": pl.String,
    "published_at": TIMESTAMP,
    "source": pl.String,
    "feed_url": pl.String,
    "language": pl.String,
    "countries": pl.List(pl.String),
    "duplicate_count": pl.Int32,
    "sources": pl.List(pl.String),
    "feed_urls": pl.List(pl.String),
    # the newsroom of the version that speaks for the story, and every newsroom that wrote a version
    # of it (watchfloor.ingest.publishers); the home countries of the feeds that carried it
    "publisher": pl.String,
    "publishers": pl.List(pl.String),
    "home_countries": pl.List(pl.String),
    "date_flag": pl.String,
    "first_seen_at": TIMESTAMP,
    # Each country's weighted mentions (watchfloor.events.relevance), derived once here so that scoring the
    # article for any country, in any run, never rescans its text.
    "mentions": pl.List(pl.Struct({"country": pl.String, "salience": pl.Float64, "headline": pl.Boolean, "lead": pl.Boolean})),
    # In any language, the security category of the story by the trained model over its vector
    # (watchfloor.events.security_model), null when it is no security matter; security_score is the
    # model's probability that it is one. Both null for rows built without the model.
    "security_category": pl.String,
    "security_score": pl.Float64,
}

# Each article's multilingual vector (watchfloor.events.vectors), cached by the hash of model and
# text: a re-run or a backfill encodes only what it has not seen.
ARTICLE_VECTORS = {
    "article_id": pl.String,
    "text_sha": pl.String,
    "vector": pl.Array(pl.Float32, 512),
}

# The articles' search index, written with them: one row per distinct lower-case word of an
# article's title or summary, sorted by word, so a search reads only the row groups of its words.
ARTICLE_WORDS = {
    "word": pl.String,
    "article_id": pl.String,
    "week": pl.Date,
    "weight": pl.Int8,  # 2 when the title has the word, +1 when the summary has it
}

EVENTS = {
    "event_id": pl.String,
    "week": pl.Date,
    "country": pl.String,
    "category": pl.String,
    "headline": pl.String,  # of its English article when it has one
    "summary": pl.String,
    "headline_language": pl.String,  # the language headline and summary are in
    # the language they were machine-translated from (watchfloor.text.translation), e.g. "pt" with
    # headline_language "en"; null when they are an article's own words
    "headline_translated_from": pl.String,
    "event_date": pl.Date,
    "location": pl.String,
    "lat": pl.Float64,
    "lng": pl.Float64,
    "geo_precision": pl.String,  # site, city, region, sea or country (watchfloor.places.catalogue.geo_precision)
    "partners": pl.List(pl.String),
    "intensity": pl.Int32,
    "fatalities": pl.Int32,  # the reported death toll, null when none is reported
    "article_ids": pl.List(pl.String),
    "source_count": pl.Int32,
    "sources": pl.List(pl.String),
    "date_basis": pl.String,
    "location_basis": pl.String,
    "publishers": pl.List(pl.String),  # the distinct newsrooms behind it; source_count is their number
    "languages": pl.List(pl.String),
}

ASSESSMENTS = {
    "week": pl.Date,
    "country": pl.String,
    "threat_level": pl.String,
    "rule_level": pl.String,
    "level_reason": pl.String,
    "threat_method": pl.String,  # the version of the threat-level method (report/rules/threat_level.py)
    "threat_score": pl.Int32,
    "generated_by": pl.String,
    "offline_sections": pl.List(pl.String),
    "n_events": pl.Int32,
    "n_articles": pl.Int32,
    "prompt_tokens": pl.Int64,
    "completion_tokens": pl.Int64,
    "llm_calls": pl.Int32,
    "report_path": pl.String,
    "generated_at": TIMESTAMP,
}

HOTSPOTS = {
    "week": pl.Date,
    "country": pl.String,
    "label": pl.String,
    "detail": pl.String,
    "lat": pl.Float64,
    "lng": pl.Float64,
    "intensity": pl.Int32,
}

ALERTS = {
    "alert_id": pl.String,
    "raised_at": TIMESTAMP,
    "kind": pl.String,
    "country": pl.String,
    "feed_url": pl.String,
    "message": pl.String,
}

# Small tables written one file per country-week. Analysts' queries would pay for every file (about
# 0.2 ms each: 520 files for a year of 10 countries), so the views read one snapshot file per table,
# rewritten after each write (Lake.refresh_snapshot); the pipeline reads the partition files.
SNAPSHOT_TABLES = ("events", "hotspots", "assessments")

SCHEMAS: dict[str, dict[str, pl.DataType]] = {
    "feed_fetches": FEED_FETCHES,
    "raw_items": RAW_ITEMS,
    "articles": ARTICLES,
    "article_words": ARTICLE_WORDS,
    "article_vectors": ARTICLE_VECTORS,
    "events": EVENTS,
    "assessments": ASSESSMENTS,
    "hotspots": HOTSPOTS,
    "alerts": ALERTS,
}


def empty(table: str, columns: list[str] | None = None) -> pl.DataFrame:
    return pl.DataFrame(schema=_schema(table, columns))


def conform(frame: pl.DataFrame, table: str, columns: list[str] | None = None) -> pl.DataFrame:
    """The table's columns (or the named ones), in contract order and types; a missing column is a
    bug, not a null."""
    schema = _schema(table, columns)
    missing = set(schema) - set(frame.columns)
    if missing:
        raise ValueError(f"{table}: missing columns {sorted(missing)}")
    return frame.select([pl.col(name).cast(dtype) for name, dtype in schema.items()])


def _schema(table: str, columns: list[str] | None) -> dict[str, pl.DataType]:
    schema = SCHEMAS[table]
    unknown = set(columns or ()) - set(schema)
    if unknown:
        raise ValueError(f"{table}: no columns {sorted(unknown)}")
    return {name: dtype for name, dtype in schema.items() if columns is None or name in columns}
