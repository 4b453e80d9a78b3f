"""Watchfloor's stage logic as plain functions (no Dagster): text in, rows out.

The rooms, each importing only the rooms before it (tests/unit/test_layout.py holds the same order):

- core: configuration, reporting weeks, the Parquet lake and the DuckDB catalog, data quality,
  the event taxonomy, a union-find; imports no other room;
- text: HTML to text, language, URLs, and the anatomy of an article (headline, dateline, captions,
  sentences, lead); imports core;
- ingest: fetching, parsing and polling feeds into the archive and raw items; imports core, text;
- places: the country gazetteer, the place index and distances; imports core, text;
- events: relevance of an article to a country and the extraction of events; imports core, text,
  places;
- articles: a week's raw items as clean, deduplicated articles with their country evidence;
  imports core, text, places, events;
- report: the weekly assessment from the events (rules, offline and LLM writers, document,
  rendering, maps, alerts); imports any room below it.

The Dagster side (assets/, resources/, orchestration/) wraps these; nothing here imports it.
"""
