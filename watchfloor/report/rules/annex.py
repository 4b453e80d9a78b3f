"""The annex: the week's events as briefs, numbered by the articles they cite, in the report's order."""

from __future__ import annotations

import math
from collections.abc import Iterable
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

from watchfloor.report.model import AnnexEntry, EventBrief
from watchfloor.text.anatomy import clean_inline

if TYPE_CHECKING:
    import polars as pl


def build_annex(events_df: pl.DataFrame, articles_df: pl.DataFrame) -> tuple[list[EventBrief], list[AnnexEntry]]:
    """The events as briefs with annex numbers, and the annex: the articles they cite, numbered 1..N.

    Events are ordered by intensity (highest first), event_date, event_id; an event's articles keep
    their order in `article_ids`; each article is numbered at its first citation. So every annex
    entry is cited and every citation resolves. Articles missing from `articles_df` cannot be cited
    and are left out; an event with none of its articles left is dropped.
    """
    articles: dict[str, dict[str, Any]] = {}
    for row in articles_df.iter_rows(named=True):
        articles.setdefault(row["article_id"], row)
    rows = sorted(
        events_df.iter_rows(named=True),
        key=lambda r: (-(r.get("intensity") or 1), r.get("event_date") or date.min, r.get("event_id") or ""),
    )
    numbers: dict[str, int] = {}
    annex: list[AnnexEntry] = []
    briefs: list[EventBrief] = []
    for row in rows:
        citations: list[int] = []
        for article_id in dict.fromkeys(row.get("article_ids") or []):
            article = articles.get(article_id)
            if article is None:
                continue
            if article_id not in numbers:
                numbers[article_id] = len(numbers) + 1
                annex.append(_annex_entry(numbers[article_id], article))
            citations.append(numbers[article_id])
        if not citations:
            continue
        cited = [articles[a] for a in dict.fromkeys(row.get("article_ids") or []) if a in articles]
        sources = list(dict.fromkeys(row.get("sources") or [a.get("source") or "" for a in cited]))
        sources = [s for s in sources if s]
        published = [a["published_at"] for a in cited if a.get("published_at")]
        event_date = row.get("event_date") or (min(published).date() if published else row.get("week") or date(1970, 1, 1))
        lat, lng = row.get("lat"), row.get("lng")
        briefs.append(
            EventBrief(
                event_id=row["event_id"],
                category=row.get("category") or "diplomacy",
                headline=row.get("headline") or "",
                summary=row.get("summary") or "",
                event_date=event_date,
                location=row.get("location") or "",
                lat=float(lat) if lat is not None else math.nan,
                lng=float(lng) if lng is not None else math.nan,
                partners=list(row.get("partners") or []),
                intensity=min(5, max(1, int(row.get("intensity") or 1))),
                source_count=int(row.get("source_count") or len(sources) or len(citations)),
                sources=sources,
                citations=citations,
                geo_precision=row.get("geo_precision"),
                fatalities=row.get("fatalities"),
                languages=list(row.get("languages") or []),
                headline_language=row.get("headline_language") or "en",
                headline_translated_from=row.get("headline_translated_from") or None,
                publishers=list(row.get("publishers") or []),
            )
        )
    return briefs, annex


def _annex_entry(number: int, article: dict[str, Any]) -> AnnexEntry:
    published = article.get("published_at") or datetime(1970, 1, 1)
    if published.tzinfo is None:
        published = published.replace(tzinfo=UTC)  # the lake stores naive UTC
    url = article.get("url") or ""
    return AnnexEntry(
        number=number,
        article_id=article["article_id"],
        title=clean_inline(article.get("title")) or url or "(untitled)",
        source=clean_inline(article.get("source")) or "unknown source",
        published_at=published,
        url=url,
        language=article.get("language"),
        publisher=clean_inline(article.get("publisher")) or None,
    )


def ordered(events: Iterable[EventBrief]) -> list[EventBrief]:
    """Events most intense first, then by date and id: the order of the annex and the report."""
    return sorted(events, key=lambda ev: (-ev.intensity, ev.event_date, ev.event_id))


def independent_sources(ev: EventBrief) -> int:
    """How many independent sources carry the event (its outlets, else its articles)."""
    return ev.source_count or len(set(ev.sources)) or len(ev.citations)
