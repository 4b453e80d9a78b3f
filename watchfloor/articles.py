"""From a week's raw feed items to clean, deduplicated articles (pure: rows in, rows out)."""

from __future__ import annotations

from datetime import date

import polars as pl

from watchfloor.dedup import near_duplicate_groups
from watchfloor.gazetteer import Gazetteer
from watchfloor.lake import conform, empty
from watchfloor.text import detect_language, html_to_text
from watchfloor.urls import article_id, canonical_url
from watchfloor.weeks import week_bounds

LEAD_WORDS = 60  # near duplicates are judged on the title and the lead, where rewrites stay close


def build_articles(raw_items: pl.DataFrame, week: date, gazetteer: Gazetteer) -> pl.DataFrame:
    """The week's articles: one row per story, however many feeds and polls carried it.

    Deterministic: the same items give the same rows in the same order, and an entry is taken as it
    was first seen, so later polls (and so a late backfill) do not change a closed week.
    """
    start, end = (b.replace(tzinfo=None) for b in week_bounds(week))
    items = raw_items.filter((pl.col("published_at") >= start) & (pl.col("published_at") < end))
    if items.is_empty():
        return empty("articles")

    entries = _first_seen_entries(items)
    entries = _clean(entries)
    entries = entries.with_columns(
        cluster=pl.Series(near_duplicate_groups(entries["dedup_text"].to_list()), dtype=pl.Int64)
    )
    articles = _collapse(entries, week)
    countries = [gazetteer.countries(f"{t}\n{s}\n{b}") for t, s, b in articles.select("title", "summary", "body").iter_rows()]
    return conform(articles.with_columns(countries=pl.Series(countries, dtype=pl.List(pl.String))), "articles")


def _first_seen_entries(items: pl.DataFrame) -> pl.DataFrame:
    """One row per canonical URL (exact duplicates across feeds and polls collapsed), as first fetched."""
    links = items.select(pl.coalesce("link", "guid").alias("raw_url")).unique()["raw_url"].to_list()
    canonical = pl.DataFrame({"raw_url": links, "url": [canonical_url(u) for u in links]})
    keyed = items.with_columns(raw_url=pl.coalesce("link", "guid")).join(canonical, on="raw_url", how="left")
    ordered = keyed.sort("fetched_at", "published_at", "feed_url", "guid")
    return ordered.group_by("url", maintain_order=True).agg(
        pl.all().exclude("url").first(),
        entry_count=pl.struct("feed_url", "guid").n_unique(),
        feed_urls=pl.col("feed_url").unique().sort(),
        sources=pl.coalesce("source", "feed_name").unique().sort(),
        first_seen_at=pl.col("fetched_at").min(),
    )


def _clean(entries: pl.DataFrame) -> pl.DataFrame:
    titles = [html_to_text(t) for t in entries["title"].to_list()]
    summaries = [html_to_text(s) for s in entries["summary"].to_list()]
    bodies = [html_to_text(c) or s for c, s in zip(entries["content"].to_list(), summaries, strict=True)]
    languages = [
        detect_language(f"{t}. {b}"[:1000], hint=h)
        for t, b, h in zip(titles, bodies, entries["language"].to_list(), strict=True)
    ]
    dedup_text = [  # an item with no text must not look like every other empty item: fall back to its URL
        f"{t} {' '.join(s.split()[:LEAD_WORDS])}".strip() or url
        for t, s, url in zip(titles, summaries, entries["url"].to_list(), strict=True)
    ]
    return entries.with_columns(
        title=pl.Series(titles, dtype=pl.String),
        summary=pl.Series(summaries, dtype=pl.String),
        body=pl.Series(bodies, dtype=pl.String),
        language=pl.Series(languages, dtype=pl.String),
        dedup_text=pl.Series(dedup_text, dtype=pl.String),
    )


def _collapse(entries: pl.DataFrame, week: date) -> pl.DataFrame:
    """Near duplicates (the same story rewritten across outlets) become one article.

    The earliest published version speaks for the story; the others add to its sources and count.
    """
    ranked = entries.sort("published_at", "url")
    merged = ranked.group_by("cluster", maintain_order=True).agg(
        pl.col("url", "title", "summary", "body", "published_at", "feed_url", "language", "date_flag", "feed_name").first(),
        source=pl.coalesce("source", "feed_name").first(),
        duplicate_count=pl.col("entry_count").sum(),
        sources=pl.col("sources").flatten().unique().sort(),
        feed_urls=pl.col("feed_urls").flatten().unique().sort(),
        first_seen_at=pl.col("first_seen_at").min(),
    )
    return merged.with_columns(
        article_id=pl.Series([article_id(u) for u in merged["url"].to_list()], dtype=pl.String),
        week=pl.lit(week, dtype=pl.Date),
    ).sort("published_at", "article_id")
