"""parse_feed: feed formats, dates, links, identifiers, encodings and documents that are not feeds."""

from __future__ import annotations

import hashlib
import re
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from watchfloor.ingest import parse as parse_module
from watchfloor.ingest.parse import ParsedFeed, parse_feed

FETCHED_AT = datetime(2026, 6, 25, 12, 0, tzinfo=timezone.utc)
CORPUS = Path("/work/shared/corpora/feedparser-tests")
CYRILLIC = "Учения на границе"

pytestmark = pytest.mark.filterwarnings("error")  # e.g. FeedParserDict's deprecation shims must not fire


def parse(body: bytes, **kwargs) -> ParsedFeed:
    return parse_feed(body, fetched_at=FETCHED_AT, **kwargs)


def rss(items: str, *, channel: str = "<title>Channel</title>", declaration: str = "") -> bytes:
    return (f'{declaration}<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" '
            f'xmlns:dc="http://purl.org/dc/elements/1.1/"><channel>{channel}{items}</channel></rss>').encode()


def rss_item(pub_date: str | None) -> bytes:
    date = f"<pubDate>{pub_date}</pubDate>" if pub_date else ""
    return rss(f"<item><title>t</title><link>https://example.org/a</link>{date}</item>")


# --- formats -------------------------------------------------------------------------------------

def test_rss2_item_fields() -> None:
    body = rss(channel="<title> Gobi Times </title><language>en-us</language>", items="""
        <item>
          <title>  Border exercise begins </title>
          <link>https://example.org/news/1</link>
          <guid isPermaLink="false">gobi-1</guid>
          <description><![CDATA[<p>Troops <b>moved</b><script>alert(1)</script></p>]]></description>
          <content:encoded><![CDATA[<p>Full text</p>]]></content:encoded>
          <content:encoded><![CDATA[<p>Second part</p>]]></content:encoded>
          <author>desk@example.org (News Desk)</author>
          <pubDate>Wed, 24 Jun 2026 08:30:00 +0200</pubDate>
        </item>""")
    feed = parse(body)
    assert (feed.status, feed.feed_title, feed.feed_language, feed.bozo, feed.encoding) == (
        "ok", "Gobi Times", "en-us", False, "utf-8")
    [item] = feed.items
    assert item.guid == "gobi-1"
    assert item.link == "https://example.org/news/1"
    assert item.title == "Border exercise begins"
    assert item.summary == "<p>Troops <b>moved</b></p>"  # feedparser's sanitiser drops scripts
    assert item.content == "<p>Full text</p>\n\n<p>Second part</p>"
    assert item.author == "desk@example.org (News Desk)"
    assert item.published_at == datetime(2026, 6, 24, 6, 30, tzinfo=timezone.utc)
    assert item.published_raw == "Wed, 24 Jun 2026 08:30:00 +0200"
    assert item.date_flag is None
    assert item.language == "en-us"


def test_atom10_entries() -> None:
    body = b"""<?xml version="1.0" encoding="utf-8"?>
    <feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en">
      <title>Atom feed</title>
      <entry xml:lang="mn">
        <id>tag:example.org,2026:1</id>
        <title>Entry one</title>
        <link rel="alternate" href="https://example.org/1"/>
        <author><name>Reporter</name></author>
        <published>2026-06-24T10:00:00+08:00</published>
        <updated>2026-06-24T12:00:00Z</updated>
        <summary>Short</summary>
        <content type="html">&lt;p&gt;Long&lt;/p&gt;</content>
      </entry>
      <entry>
        <id>tag:example.org,2026:2</id>
        <title>Entry two</title>
        <updated>2026-06-23T00:00:00Z</updated>
      </entry>
    </feed>"""
    feed = parse(body, content_type="application/atom+xml")
    assert (feed.status, feed.feed_title, feed.feed_language) == ("ok", "Atom feed", "en")
    first, second = feed.items
    assert (first.guid, first.link) == ("tag:example.org,2026:1", "https://example.org/1")
    assert first.author == "Reporter"
    assert (first.summary, first.content, first.language) == ("Short", "<p>Long</p>", "mn")
    assert first.published_at == datetime(2026, 6, 24, 2, 0, tzinfo=timezone.utc)  # published beats updated
    assert second.published_at == datetime(2026, 6, 23, tzinfo=timezone.utc)  # updated as the fallback
    assert (second.published_raw, second.language) == ("2026-06-23T00:00:00Z", "en")


def test_rss10_rdf() -> None:
    body = b"""<?xml version="1.0"?>
    <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"
             xmlns:dc="http://purl.org/dc/elements/1.1/">
      <channel rdf:about="https://example.org/"><title>RDF feed</title><link>https://example.org/</link>
        <dc:language>ru</dc:language></channel>
      <item rdf:about="https://example.org/item/1">
        <title>RDF item</title><link>https://example.org/item/1</link>
        <description>About it</description><dc:date>2026-06-24T05:00:00Z</dc:date>
      </item>
    </rdf:RDF>"""
    feed = parse(body)
    assert (feed.status, feed.feed_title, feed.feed_language) == ("ok", "RDF feed", "ru")
    [item] = feed.items
    assert (item.title, item.link, item.summary) == ("RDF item", "https://example.org/item/1", "About it")
    assert item.published_at == datetime(2026, 6, 24, 5, tzinfo=timezone.utc)


def test_valid_feed_without_items_is_ok() -> None:
    feed = parse(rss(""))
    assert (feed.status, feed.feed_title, feed.items) == ("ok", "Channel", ())


# --- dates ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("pub_date", [None, "sometime last week"])
def test_missing_or_unparsable_date_falls_back_to_fetched_at(pub_date: str | None) -> None:
    [item] = parse(rss_item(pub_date)).items
    assert (item.published_at, item.date_flag, item.published_raw) == (FETCHED_AT, "missing", pub_date)


def test_future_date_is_not_trusted() -> None:
    [item] = parse(rss_item("Fri, 26 Jun 2026 12:00:01 +0000")).items  # a day and a second ahead
    assert (item.published_at, item.date_flag) == (FETCHED_AT, "future")
    assert item.published_raw == "Fri, 26 Jun 2026 12:00:01 +0000"


def test_date_within_future_tolerance_is_trusted() -> None:
    [item] = parse(rss_item("Thu, 25 Jun 2026 18:00:00 +0000")).items
    assert (item.published_at, item.date_flag) == (datetime(2026, 6, 25, 18, tzinfo=timezone.utc), None)
    [item] = parse(rss_item("Thu, 25 Jun 2026 18:00:00 +0000"), future_tolerance=timedelta(hours=1)).items
    assert item.date_flag == "future"


def test_published_at_is_utc_when_fetched_at_has_another_zone() -> None:
    fetched_at = FETCHED_AT.astimezone(timezone(timedelta(hours=8)))
    [item] = parse_feed(rss_item(None), fetched_at=fetched_at).items
    assert item.published_at == FETCHED_AT and item.published_at.utcoffset() == timedelta(0)


# --- links, identifiers, strings ----------------------------------------------------------------

def test_relative_links_resolved_against_base_url() -> None:
    body = rss('<item><title>t</title><link>/news/2</link><description>&lt;a href="more.html"&gt;more&lt;/a&gt;'
               "</description></item>")
    [item] = parse(body, base_url="https://example.org/feeds/main.xml").items
    assert item.link == "https://example.org/news/2"
    assert 'href="https://example.org/feeds/more.html"' in item.summary


def test_guid_falls_back_to_link_then_content_hash() -> None:
    body = rss("<item><title>Linked</title><link>https://example.org/x</link></item>"
               "<item><title>Bare</title><description>Only text</description></item>"
               "<item><title>Other</title><description>Only text</description></item>")
    linked, bare, other = parse(body).items
    assert linked.guid == "https://example.org/x"
    assert bare.guid == hashlib.sha256(b"Bare\nOnly text").hexdigest()
    assert other.guid != bare.guid


def test_strings_are_stripped_and_blank_ones_become_none() -> None:
    [item] = parse(rss("<item><title>   </title><link> https://example.org/y </link>"
                       "<description>  text  </description><author> </author></item>")).items
    assert (item.title, item.link, item.summary, item.author) == (None, "https://example.org/y", "text", None)


# --- documents that are not feeds ----------------------------------------------------------------

@pytest.mark.parametrize("body, content_type", [
    (b"<!DOCTYPE html><html><head><title>Home</title></head><body><p>Welcome</p></body></html>",
     "text/html; charset=utf-8"),
    (b'{"items": [{"title": "not a feed"}]}', "application/json"),
    (bytes(range(256)) * 40, None),
    (b"", None),
    (b"   \n", "application/rss+xml"),
], ids=["html", "json", "garbage", "empty", "whitespace"])
def test_not_a_feed(body: bytes, content_type: str | None) -> None:
    feed = parse(body, content_type=content_type)
    assert (feed.status, feed.items) == ("not_a_feed", ())


def test_body_is_never_opened_as_a_file_name(tmp_path: Path) -> None:
    # feedparser.parse(bytes) would read a file whose name equals the body.
    feed_file = tmp_path / "feed.xml"
    feed_file.write_bytes(rss("<item><title>from disk</title></item>"))
    assert parse(str(feed_file).encode()).status == "not_a_feed"


def test_external_entities_are_not_resolved(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRET")
    body = (f'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY e SYSTEM "{secret.as_uri()}">]>'
            '<rss version="2.0"><channel><title>t &e;</title><item><title>a &e;</title></item></channel></rss>')
    feed = parse(body.encode())
    assert feed.status == "ok"
    assert "TOPSECRET" not in repr(feed)


def test_feed_broken_before_anything_usable_is_a_parse_error() -> None:
    feed = parse(b'<?xml version="1.0"?><rss version="2.0"><channel><title>Cut off</ti')
    assert (feed.status, feed.bozo, feed.items) == ("parse_error", True, ())
    assert feed.bozo_message


def test_feed_broken_after_an_item_keeps_the_item() -> None:
    feed = parse(b'<rss version="2.0"><channel><title>C</title><item><title>Kept</title></item><item><title>Cu')
    assert feed.status == "ok" and feed.bozo
    assert feed.items[0].title == "Kept"


@pytest.mark.parametrize("fast_path", [True, False])
def test_parser_exception_becomes_parse_error(monkeypatch: pytest.MonkeyPatch, fast_path: bool) -> None:
    def explode(*args, **kwargs):
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(parse_module.feedparser, "parse", explode)
    monkeypatch.setattr(parse_module, "read_feed", explode)
    feed = parse(rss(""), fast_path=fast_path)
    assert (feed.status, feed.items) == ("parse_error", ())
    assert feed.bozo_message == "RecursionError: maximum recursion depth exceeded"


def test_bozo_message_is_truncated() -> None:
    # feedparser's message quotes the declared charset: here 1,000 characters long.
    feed = parse(rss(""), content_type="application/rss+xml; charset=" + "x" * 1000)
    assert feed.status == "ok" and feed.bozo
    assert feed.bozo_message.startswith("document declared as xxx") and len(feed.bozo_message) == 300


# --- encodings -----------------------------------------------------------------------------------

def cyrillic_feed(declared: str | None, encoding: str) -> bytes:
    declaration = f'<?xml version="1.0" encoding="{declared}"?>' if declared else ""
    return (f'{declaration}<rss version="2.0"><channel><title>{CYRILLIC}</title>'
            f"<item><title>{CYRILLIC}</title></item></channel></rss>").encode(encoding)


@pytest.mark.parametrize("content_type", [None, "application/rss+xml", "text/xml", "text/xml; charset=utf-8"])
def test_windows_1251_declared_in_xml_only(content_type: str | None) -> None:
    feed = parse(cyrillic_feed("windows-1251", "cp1251"), content_type=content_type)
    assert (feed.status, feed.encoding, feed.feed_title, feed.items[0].title) == (
        "ok", "windows-1251", CYRILLIC, CYRILLIC)


def test_windows_1251_declared_in_http_only() -> None:
    feed = parse(cyrillic_feed(None, "cp1251"), content_type="application/rss+xml; charset=windows-1251")
    assert (feed.encoding, feed.items[0].title) == ("windows-1251", CYRILLIC)


@pytest.mark.parametrize("declared, content_type", [
    ("iso-8859-1", "application/rss+xml"),  # wrong XML declaration
    ("utf-8", "text/xml; charset=iso-8859-1"),  # wrong HTTP charset
    ("windows-1252", "application/xml; charset=windows-1251"),  # both wrong
], ids=["xml-declaration", "http-header", "both"])
def test_wrongly_labelled_utf8_is_read_as_utf8(declared: str, content_type: str) -> None:
    feed = parse(cyrillic_feed(declared, "utf-8"), content_type=content_type)
    assert (feed.encoding, feed.feed_title, feed.items[0].title) == ("utf-8", CYRILLIC, CYRILLIC)


def test_utf16_with_bom() -> None:
    feed = parse(cyrillic_feed("utf-16", "utf-16"))
    assert feed.items[0].title == CYRILLIC


# --- scale and the feedparser test corpus --------------------------------------------------------

def test_huge_valid_document() -> None:
    paragraph = "Troop movements were reported near the border crossing. " * 80  # ~4.6 KB per item
    items = "".join(f"<item><guid>id-{n}</guid><title>Item {n}</title><description>{paragraph}</description>"
                    f"<pubDate>Wed, 24 Jun 2026 08:00:00 GMT</pubDate></item>" for n in range(2500))
    body = rss(items)
    assert len(body) > 10_000_000
    started = time.monotonic()
    feed = parse(body)
    assert time.monotonic() - started < 30
    assert (feed.status, len(feed.items)) == ("ok", 2500)
    assert feed.items[-1].guid == "id-2499" and feed.items[-1].summary == paragraph.strip()


_HEADER_CONTENT_TYPE = re.compile(rb"Header:\s*Content-type:\s*([^\r\n]+)", re.IGNORECASE)


def test_feedparser_corpus_parses_quietly(capfd: pytest.CaptureFixture[str]) -> None:
    if not CORPUS.is_dir():
        pytest.skip(f"feedparser test corpus not found at {CORPUS}")
    files = sorted(path for path in CORPUS.rglob("*") if path.is_file())
    assert len(files) > 2000
    statuses: dict[str, str] = {}
    for path in files:
        body = path.read_bytes()
        declared = _HEADER_CONTENT_TYPE.search(body)  # the HTTP header the corpus file expects
        feed = parse(body, content_type=declared.group(1).decode().strip() if declared else None)
        statuses[str(path.relative_to(CORPUS))] = feed.status
        assert all(item.guid and item.published_at.tzinfo is timezone.utc for item in feed.items), path
    assert capfd.readouterr() == ("", "")
    assert set(statuses.values()) <= {"ok", "not_a_feed", "parse_error"}
    # Every well-formed sample is a feed, except CDF channels without items (feedparser gives them no version).
    not_ok = {name for name, status in statuses.items() if name.startswith("wellformed/") and status != "ok"}
    assert not_ok and all(name.startswith("wellformed/cdf/channel_") for name in not_ok)
