"""One poll of every feed: fetch, archive, parse, and append to feed_fetches and raw_items."""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

import polars as pl

from watchfloor.core.config import FeedSpec
from watchfloor.core.lake import Lake
from watchfloor.core.tables import empty
from watchfloor.core.weeks import week_containing
from watchfloor.ingest.fetch import HEALTHY_FETCH_STATUSES, FeedFetcher, FetchRequest, FetchResult
from watchfloor.ingest.parse import ParsedFeed, parse_feed
from watchfloor.ingest.publishers import item_publisher


@dataclass(frozen=True)
class PollResult:
    batch_id: str
    fetches: pl.DataFrame
    items: pl.DataFrame


@dataclass(frozen=True)
class _Previous:
    etag: str | None
    last_modified: str | None
    sha256: str | None


def poll_feeds(feeds: list[FeedSpec], fetcher: FeedFetcher, lake: Lake) -> PollResult:
    """Fetch every feed once and store what came back; a failing feed is logged, never raised."""
    batch_id = f"{datetime.now(UTC):%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:8]}"
    previous = previous_fetches(lake)
    requests = [
        FetchRequest(f.url, previous[f.url].etag, previous[f.url].last_modified) if f.url in previous
        else FetchRequest(f.url)
        for f in feeds
    ]
    fetch_rows: list[dict] = []
    item_rows: list[dict] = []
    for feed, result in zip(feeds, fetcher.fetch_many(requests), strict=True):
        row, items = _store_fetch(feed, result, previous.get(feed.url), lake, batch_id)
        fetch_rows.append(row)
        item_rows.extend(items)

    fetches = pl.DataFrame(fetch_rows, schema=empty("feed_fetches").schema) if fetch_rows else empty("feed_fetches")
    items = pl.DataFrame(item_rows, schema=empty("raw_items").schema) if item_rows else empty("raw_items")
    _write_batch(lake, batch_id, fetches, items)
    return PollResult(batch_id, fetches, items)


def previous_fetches(lake: Lake) -> dict[str, _Previous]:
    """Per feed, the validators and document hash of its last successful fetch (derived from the log)."""
    if not lake.has_data("feed_fetches"):
        return {}
    query = f"""
        SELECT feed_url,
               arg_max(etag, fetched_at) FILTER (WHERE status = 'ok'),
               arg_max(last_modified, fetched_at) FILTER (WHERE status = 'ok'),
               arg_max(sha256, fetched_at) FILTER (WHERE sha256 IS NOT NULL)
        FROM read_parquet('{lake.table_glob("feed_fetches")}', union_by_name = true)
        WHERE list_contains($healthy, status)
        GROUP BY feed_url
    """
    with lake.query_connection() as con:
        rows = con.execute(query, {"healthy": list(HEALTHY_FETCH_STATUSES)}).fetchall()
    return {url: _Previous(etag, modified, sha) for url, etag, modified, sha in rows}


def _store_fetch(
    feed: FeedSpec, result: FetchResult, previous: _Previous | None, lake: Lake, batch_id: str
) -> tuple[dict, list[dict]]:
    row = {
        "feed_url": feed.url,
        "feed_name": feed.name,
        "fetched_at": _naive_utc(result.fetched_at),
        "status": result.status,
        "http_status": result.http_status,
        "bytes": len(result.body) if result.body is not None else 0,
        "n_items": 0,
        "error": result.error,
        "sha256": None,
        "final_url": result.final_url,
        "etag": result.etag,
        "last_modified": result.last_modified,
        "attempts": result.attempts,
        "elapsed_ms": result.elapsed_ms,
        "bozo": None,
        "bozo_message": None,
        "encoding": None,
        "batch_id": batch_id,
    }
    if result.status != "ok" or result.body is None:
        return row, []

    sha256 = hashlib.sha256(result.body).hexdigest()
    row["sha256"] = sha256
    lake.archive(sha256, result.body)
    if previous is not None and previous.sha256 == sha256:
        row["status"] = "unchanged"
        return row, []

    parsed = parse_feed(
        result.body, fetched_at=result.fetched_at, content_type=result.content_type, base_url=result.final_url or feed.url
    )
    row.update(status=parsed.status, bozo=parsed.bozo, bozo_message=parsed.bozo_message, encoding=parsed.encoding)
    if parsed.status != "ok":
        row["error"] = parsed.bozo_message or f"document is {parsed.status.replace('_', ' ')}"
        return row, []
    row["n_items"] = len(parsed.items)
    return row, _item_rows(feed, parsed, result, sha256, batch_id)


def _item_rows(feed: FeedSpec, parsed: ParsedFeed, result: FetchResult, sha256: str, batch_id: str) -> list[dict]:
    fetched_at = _naive_utc(result.fetched_at)
    feed_language = feed.language or parsed.feed_language
    return [
        {
            "feed_url": feed.url,
            "feed_name": feed.name,
            "guid": item.guid,
            "link": item.link,
            "title": item.title,
            "summary": item.summary,
            "content": item.content,
            "author": item.author,
            "source": item.source,
            "publisher": item_publisher(feed, item.source, item.author, item.title, item.summary or item.content),
            "home_country": feed.country,
            "published_at": _naive_utc(item.published_at),
            "published_raw": item.published_raw,
            "date_flag": item.date_flag,
            "language": item.language or feed_language,
            "fetched_at": fetched_at,
            "sha256": sha256,
            "week": week_containing(item.published_at.astimezone(UTC).date()),
            "batch_id": batch_id,
        }
        for item in parsed.items
    ]


def _write_batch(lake: Lake, batch_id: str, fetches: pl.DataFrame, items: pl.DataFrame) -> None:
    # Items first: a crash between the two writes leaves items without their log row, which the next
    # poll re-fetches anyway, rather than a log row claiming items that were never stored.
    for (week,), part in items.partition_by("week", as_dict=True).items():
        lake.append("raw_items", f"week={week}", batch_id, part)
    if fetches.height:
        day = fetches["fetched_at"].min().date()
        lake.append("feed_fetches", f"fetched_on={day}", batch_id, fetches)


def _naive_utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC).replace(tzinfo=None)
