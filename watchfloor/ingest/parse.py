"""Parse a fetched feed document (RSS 0.9x/1.0/2.0, Atom, CDF) into raw item rows.

Documents the fast path (fast_parse.py, lxml) fully understands are read there, with feedparser's
results; every other document is parsed by feedparser itself. Never raises: a document that is not
a feed, or that breaks the parser, comes back with a status.
"""

from __future__ import annotations

import hashlib
import io
import time
import xml.sax
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from functools import partial
from typing import Any, Callable

import feedparser
from feedparser.exceptions import UndeclaredNamespace

from watchfloor.ingest.fast_parse import read_feed

_BOZO_MESSAGE_CHARS = 300
_DATE_FIELDS = ("published", "updated", "created")  # in order of preference


@dataclass(frozen=True)
class RawItem:
    guid: str  # entry id, else link, else sha256 of title + summary (never empty)
    link: str | None
    title: str | None
    summary: str | None  # as in the feed, after feedparser's HTML sanitising (may contain HTML)
    content: str | None  # all content blocks joined by a blank line (may contain HTML)
    author: str | None
    source: str | None  # the original outlet when an aggregator names it (<source>, dc:publisher, wire:publisher)
    published_at: datetime  # UTC; the feed's date when trusted, else fetched_at
    published_raw: str | None  # the date string as given in the feed
    date_flag: str | None  # None when trusted, "missing" or "future" when fetched_at was used
    language: str | None  # entry or feed language as declared, e.g. "en-us"


@dataclass(frozen=True)
class ParsedFeed:
    status: str  # "ok", "not_a_feed" or "parse_error"
    feed_title: str | None
    feed_language: str | None
    bozo: bool
    bozo_message: str | None
    items: tuple[RawItem, ...]
    encoding: str | None


def parse_feed(body: bytes, *, fetched_at: datetime, content_type: str | None = None,
               base_url: str | None = None, future_tolerance: timedelta = timedelta(days=1),
               fast_path: bool = True) -> ParsedFeed:
    """Parse one document. `fetched_at` must be timezone-aware; it stands in for missing or
    implausible (future) item dates. `fast_path=False` parses with feedparser alone: the reference
    the fast path is tested and measured against."""
    try:
        return _parse(body, fetched_at.astimezone(timezone.utc), content_type, base_url, future_tolerance, fast_path)
    except Exception as exc:  # noqa: BLE001 - a document that breaks feedparser is a parse error
        return ParsedFeed(status="parse_error", feed_title=None, feed_language=None, bozo=True,
                          bozo_message=_truncate(f"{type(exc).__name__}: {exc}"), items=(), encoding=None)


def _parse(body: bytes, fetched_at: datetime, content_type: str | None, base_url: str | None,
           future_tolerance: timedelta, fast_path: bool) -> ParsedFeed:
    headers = response_headers(body, content_type, base_url)
    result = read_feed(body, headers) if fast_path else None
    if result is None:
        # A BytesIO, never the bytes: feedparser would try to open bytes as a file name.
        result = feedparser.parse(io.BytesIO(body), response_headers=headers, resolve_relative_uris=True,
                                  sanitize_html=True)
    feed = result["feed"]
    status = _status(result)
    feed_language = _clean(feed.get("language"))
    items: tuple[RawItem, ...] = ()
    if status == "ok":
        latest_trusted = fetched_at + future_tolerance
        items = tuple(_raw_item(entry, fetched_at, latest_trusted, feed_language) for entry in result["entries"])
    exception = result.get("bozo_exception")
    return ParsedFeed(
        status=status,
        feed_title=_clean(feed.get("title")),
        feed_language=feed_language,
        bozo=bool(result.get("bozo")),
        bozo_message=_truncate(str(exception)) if exception is not None else None,
        items=items,
        encoding=result.get("encoding") or None,
    )


def response_headers(body: bytes, content_type: str | None, base_url: str | None) -> dict[str, str]:
    """The HTTP headers both parse paths read a document with (what decides its encoding and base URI)."""
    # Without a Content-Type, feedparser follows RFC 2616 and defaults to ISO-8859-1; an XML
    # document without a declaration is UTF-8, which application/xml gives us.
    content_type = content_type or "application/xml"
    if _is_utf8_text(body):
        # Valid multi-byte UTF-8 is practically never an accident, whereas wrong charset labels
        # (server defaults, copied templates) are common and single-byte charsets decode anything.
        content_type = content_type.split(";", 1)[0] + "; charset=utf-8"
    headers = {"content-type": content_type}
    if base_url:
        headers["content-location"] = base_url  # feedparser's base for relative links
    return headers


def _is_utf8_text(body: bytes) -> bool:
    if body.isascii():
        return False  # nothing to decide: every ASCII-compatible charset agrees
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _status(result: dict[str, Any]) -> str:
    if result["entries"]:
        return "ok"
    if not result.get("version"):
        return "not_a_feed"
    if not result["feed"] and _is_malformed_xml(result.get("bozo_exception")):
        return "parse_error"  # looks like a feed, but so broken that nothing at all came out
    return "ok"  # a feed with no items right now


def _is_malformed_xml(exception: object) -> bool:
    return isinstance(exception, (xml.sax.SAXException, UndeclaredNamespace))


def _raw_item(entry: dict[str, Any], fetched_at: datetime, latest_trusted: datetime,
              feed_language: str | None) -> RawItem:
    # Plain dict.get: FeedParserDict.get aliases keys (per item cost) and warns when asked for
    # "updated" on an entry that only has "published".
    get = partial(dict.get, entry)
    link, title, summary = _clean(get("link")), _clean(get("title")), _clean(get("summary"))
    published_at, published_raw = _feed_date(get)
    date_flag = None
    if published_at is None:
        published_at, date_flag = fetched_at, "missing"
    elif published_at > latest_trusted:
        published_at, date_flag = fetched_at, "future"
    return RawItem(
        guid=_clean(get("id")) or link or _content_hash(title, summary),
        link=link,
        title=title,
        summary=summary,
        content=_joined_content(get("content")),
        author=_clean(get("author")),
        source=_source(get),
        published_at=published_at,
        published_raw=published_raw,
        date_flag=date_flag,
        language=_entry_language(get) or feed_language,
    )


def _source(get: Callable[[str], Any]) -> str | None:
    """Aggregators (Google News, wire pools) credit the outlet that wrote the story."""
    source = get("source")
    title = source.get("title") if isinstance(source, dict) else None
    return _clean(title) or _clean(get("publisher")) or _clean(get("wire_publisher"))


def _feed_date(get: Callable[[str], Any]) -> tuple[datetime | None, str | None]:
    """The first parsable date among published/updated/created, with its raw string."""
    first_raw = None
    for field in _DATE_FIELDS:
        raw = _clean(get(field))
        first_raw = first_raw or raw
        parsed = _utc_datetime(get(field + "_parsed"))
        if parsed is not None:
            return parsed, raw
    return None, first_raw


def _utc_datetime(parsed: time.struct_time | None) -> datetime | None:
    if parsed is None:
        return None
    try:
        # feedparser normalises to UTC; a leap second (60) is folded into the minute.
        return datetime(*parsed[:5], min(parsed[5], 59), tzinfo=timezone.utc)
    except (TypeError, ValueError, OverflowError):
        return None


def _entry_language(get: Callable[[str], Any]) -> str | None:
    # feedparser records xml:lang (or the feed's) on each text construct, not on the entry.
    for field in ("title_detail", "summary_detail"):
        detail = get(field)
        if detail and detail.get("language"):
            return _clean(detail["language"])
    return None


def _joined_content(blocks: list[dict[str, Any]] | None) -> str | None:
    if not blocks:
        return None
    values = [value for value in (_clean(block.get("value")) for block in blocks) if value]
    return "\n\n".join(values) or None


def _content_hash(title: str | None, summary: str | None) -> str:
    return hashlib.sha256(f"{title or ''}\n{summary or ''}".encode()).hexdigest()


def _clean(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    return value.strip() or None


def _truncate(message: str) -> str:
    return message[:_BOZO_MESSAGE_CHARS]
