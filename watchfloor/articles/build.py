"""From a week's raw feed items to clean, deduplicated articles (pure: rows in, rows out)."""

from __future__ import annotations

import re
from datetime import date, timedelta

import polars as pl

from watchfloor.articles.dedup import near_duplicate_groups
from watchfloor.core.lake import Lake
from watchfloor.core.tables import ARTICLES, conform, empty
from watchfloor.core.union_find import UnionFind
from watchfloor.core.weeks import week_bounds
from watchfloor.events.relevance import article_mentions
from watchfloor.events.security_model import SecurityModel
from watchfloor.events.vectors import article_vectors, as_matrix
from watchfloor.places.gazetteer import Gazetteer
from watchfloor.text.anatomy import ANY_OUTLET, without_outlet_suffix, without_source_suffix
from watchfloor.text.html import html_to_text
from watchfloor.text.language import detect_language
from watchfloor.text.urls import article_id, canonical_url

LEAD_WORDS = 60  # near duplicates are judged on the lead, where syndicated rewrites stay close
MIN_LEAD_WORDS = 20  # a lead this long identifies a story on its own; shorter ones need the headline too
SAME_HEADLINE_WINDOW = timedelta(days=2)  # the same headline days apart is a recurring column, not a copy
_WORD = re.compile(r"\w+")
SEARCH_WORD = r"[\p{L}\p{N}_]+"  # the same pattern in sql/queries/search_articles.sql (RE2 and Rust regex agree)
SEARCH_ROW_GROUP = 20_000  # article_words rows per Parquet row group: a search skips the groups without its words


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
    entries = entries.with_columns(cluster=pl.Series(_story_clusters(entries), dtype=pl.Int64))
    articles = _collapse(entries, week)  # `language` is still the feed's declared one here
    texts = articles.select("title", "summary", "body").rows()
    return conform(
        articles.with_columns(
            # detected once per article (its first-published version), not for every copy
            language=pl.Series([detect_language(f"{t}. {b}"[:1000], hint=h) for (t, _, b), h
                                in zip(texts, articles["language"].to_list(), strict=True)], dtype=pl.String),
            countries=pl.Series([gazetteer.countries(f"{t}\n{s}\n{b}") for t, s, b in texts], dtype=pl.List(pl.String)),
            mentions=pl.Series([article_mentions(t, s, b, gazetteer) for t, s, b in texts], dtype=ARTICLES["mentions"]),
            security_category=pl.lit(None, dtype=pl.String),
            security_score=pl.lit(None, dtype=pl.Float64),
        ),
        "articles",
    )


def build_week(raw_items: pl.DataFrame, week: date, gazetteer: Gazetteer,
               cached_vectors: pl.DataFrame | None = None) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The week's articles with each one's security judgement (in any language, by the trained
    model over its vector), and the vectors: texts already in `cached_vectors` are not encoded again."""
    articles = build_articles(raw_items, week, gazetteer)
    vectors = article_vectors(articles, cached_vectors)
    categories, scores = SecurityModel.load().judge(as_matrix(vectors["vector"]), articles["language"].to_list())
    judged = articles.with_columns(security_category=pl.Series(categories, dtype=pl.String),
                                   security_score=pl.Series(scores, dtype=pl.Float64))
    return judged, vectors


def store_articles(lake: Lake, week: date, articles: pl.DataFrame, vectors: pl.DataFrame | None = None) -> None:
    """Replace the week's articles, their search index and, when given, their vectors."""
    if vectors is not None:
        lake.replace_week("article_vectors", week, vectors)
    lake.replace_week("articles", week, articles)
    lake.replace_week("article_words", week, search_index(articles), row_group_size=SEARCH_ROW_GROUP)


def search_index(articles: pl.DataFrame) -> pl.DataFrame:
    """The `article_words` rows of a week's articles: each distinct lower-case word of a title or
    summary, weighted 2 in the title plus 1 in the summary, sorted by word (the query's access path)."""

    def words(column: str, weight: int) -> pl.DataFrame:
        return articles.select(
            "article_id", "week", weight=pl.lit(weight, dtype=pl.Int8),
            word=pl.col(column).str.to_lowercase().str.extract_all(SEARCH_WORD).list.unique(),
        ).explode("word").drop_nulls("word")

    both = pl.concat([words("title", 2), words("summary", 1)])
    index = both.group_by("word", "article_id", "week").agg(pl.col("weight").sum())
    return conform(index.sort("word", "article_id"), "article_words")


def _first_seen_entries(items: pl.DataFrame) -> pl.DataFrame:
    """One row per canonical URL (exact duplicates across feeds and polls collapsed), as first fetched."""
    links = items.select(pl.coalesce("link", "guid").alias("raw_url")).unique()["raw_url"].to_list()
    canonical = pl.DataFrame({"raw_url": links, "url": [canonical_url(u) for u in links]})
    keyed = items.with_columns(raw_url=pl.coalesce("link", "guid")).join(canonical, on="raw_url", how="left")
    ordered = keyed.sort("fetched_at", "published_at", "feed_url", "guid")
    return ordered.group_by("url", maintain_order=True).agg(
        pl.all().exclude("url").first(),
        entry_count=pl.col("feed_url").n_unique(),  # guids change between polls; the feed does not
        feed_urls=pl.col("feed_url").unique().sort(),
        sources=pl.coalesce("source", "feed_name").unique().sort(),
        publishers=pl.coalesce("publisher", "source", "feed_name").unique().sort(),  # rows from before `publisher`
        home_countries=pl.col("home_country").drop_nulls().unique().sort(),
        first_seen_at=pl.col("fetched_at").min(),
    )


def _clean(entries: pl.DataFrame) -> pl.DataFrame:
    titles = [
        without_source_suffix(html_to_text(t), outlet)
        for t, outlet in zip(entries["title"].to_list(), entries["source"].to_list(), strict=True)
    ]
    summaries = [html_to_text(s) for s in entries["summary"].to_list()]
    bodies = [html_to_text(c) or s for c, s in zip(entries["content"].to_list(), summaries, strict=True)]
    dedup_text = [_dedup_text(t, s, url) for t, s, url in zip(titles, summaries, entries["url"].to_list(), strict=True)]
    return entries.with_columns(
        title=pl.Series(titles, dtype=pl.String),
        summary=pl.Series(summaries, dtype=pl.String),
        body=pl.Series(bodies, dtype=pl.String),
        dedup_text=pl.Series(dedup_text, dtype=pl.String),
    )


def _dedup_text(title: str, summary: str, url: str) -> str:
    """Outlets retitle a syndicated story but keep its lead; aggregators give only a headline.
    An item with no text falls back to its URL so it does not match every other empty item."""
    lead = summary.split()[:LEAD_WORDS]
    if len(lead) >= MIN_LEAD_WORDS:
        return " ".join(lead)
    return f"{title} {' '.join(lead)}".strip() or url


def _story_clusters(entries: pl.DataFrame) -> list[int]:
    """Entries telling the same story: near-identical title and lead, or the same headline within two days."""
    stories = UnionFind(entries.height)
    for index, representative in enumerate(near_duplicate_groups(entries["dedup_text"].to_list())):
        stories.union(index, representative)
    last_seen: dict[str, tuple[int, object]] = {}
    keyed = zip(entries["title"].to_list(), entries["published_at"].to_list(), strict=True)
    for index, (title, published) in sorted(enumerate(keyed), key=lambda e: (e[1][1], e[0])):
        key = headline_key(title)
        if key is None:
            continue
        if key in last_seen and published - last_seen[key][1] <= SAME_HEADLINE_WINDOW:
            stories.union(last_seen[key][0], index)
        last_seen[key] = (index, published)
    return stories.representatives()


def headline_key(title: str) -> str | None:
    """A headline stripped of an outlet suffix ("... - Reuters"), case and punctuation; None when too short to trust."""
    words = _WORD.findall(without_outlet_suffix(title, ANY_OUTLET).lower())
    return " ".join(words) if len(words) >= 5 else None


def _collapse(entries: pl.DataFrame, week: date) -> pl.DataFrame:
    """Near duplicates (the same story rewritten across outlets) become one article.

    The earliest published version speaks for the story; the others add to its sources and count.
    """
    ranked = entries.sort("published_at", "url")
    merged = ranked.group_by("cluster", maintain_order=True).agg(
        pl.col("url", "raw_url", "title", "summary", "body", "published_at", "feed_url", "language", "date_flag",
               "feed_name").first(),
        source=pl.coalesce("source", "feed_name").first(),
        publisher=pl.coalesce("publisher", "source", "feed_name").first(),
        duplicate_count=pl.col("entry_count").sum(),
        sources=pl.col("sources").list.explode(keep_nulls=False, empty_as_null=False).unique().sort(),
        feed_urls=pl.col("feed_urls").list.explode(keep_nulls=False, empty_as_null=False).unique().sort(),
        publishers=pl.col("publishers").list.explode(keep_nulls=False, empty_as_null=False).unique().sort(),
        home_countries=pl.col("home_countries").list.explode(keep_nulls=False, empty_as_null=False).unique().sort(),
        first_seen_at=pl.col("first_seen_at").min(),
    )
    return merged.rename({"url": "url_canonical", "raw_url": "url"}).with_columns(
        article_id=pl.Series([article_id(u) for u in merged["url"].to_list()], dtype=pl.String),  # canonical
        week=pl.lit(week, dtype=pl.Date),
    ).sort("published_at", "article_id")
