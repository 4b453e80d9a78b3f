"""The fast parse path (lxml) gives feedparser's ParsedFeed, and hands feedparser what it cannot read."""

from __future__ import annotations

import copy
import random
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from feedparser.sanitizer import _sanitize_html
from feedparser.urls import resolve_relative_uris
from lxml import etree

from bench.generate import documents, generate
from watchfloor.core.config import REPO_ROOT
from watchfloor.ingest.fast_parse import read_feed
from watchfloor.ingest.parse import parse_feed, response_headers
from watchfloor.ingest.sanitised import sanitised

FETCHED_AT = datetime(2026, 8, 27, 12, 0, tzinfo=UTC)
CORPORA = REPO_ROOT.parent / "shared" / "corpora"
REALNEWS = CORPORA / "realnews-2026-08"
FEEDPARSER_TESTS = CORPORA / "feedparser-tests"
BASE = "https://example.org/feeds/main.xml"
_HEADER_CONTENT_TYPE = re.compile(rb"Header:\s*Content-type:\s*([^\r\n]+)", re.IGNORECASE)


def takes_fast_path(body: bytes, content_type: str | None = None, base_url: str | None = BASE) -> bool:
    return read_feed(body, response_headers(body, content_type, base_url)) is not None


def assert_same_as_feedparser(body: bytes, content_type: str | None = None, base_url: str | None = BASE) -> None:
    fast = parse_feed(body, fetched_at=FETCHED_AT, content_type=content_type, base_url=base_url)
    reference = parse_feed(body, fetched_at=FETCHED_AT, content_type=content_type, base_url=base_url, fast_path=False)
    assert fast == reference


# --- documents the fast path reads -----------------------------------------------------------------

RSS2 = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/"
     xmlns:atom="http://www.w3.org/2005/Atom" xmlns:wire="urn:example:wire">
<channel><title>Gobi &amp; Steppe</title><link>https://example.org/</link><language>en-us</language>
<atom:link rel="self" href="https://example.org/feed.xml"/><image><title>Logo</title><url>/logo.png</url></image>
<item><title>Border &lt;b&gt;exercise&lt;/b&gt; begins</title><link>/news/1?a=1&amp;b=2</link><guid>news-1</guid>
  <description><![CDATA[<p>Troops <b>moved</b><script>alert(1)</script><a href="more.html">more</a></p>]]></description>
  <content:encoded><![CDATA[<p>Full <img src="/a.png" alt="x" /> text</p>]]></content:encoded>
  <content:encoded><![CDATA[<p>Second&nbsp;part &#8217; &#150;</p>]]></content:encoded>
  <dc:creator>desk@example.org (News Desk)</dc:creator><wire:publisher>Reuters</wire:publisher>
  <pubDate>Wed, 26 Aug 2026 08:30:00 +0200</pubDate><category domain="x">Security</category></item>
<item><title>No date, guid is not a link</title><guid isPermaLink="false">n2</guid><source url="https://wire.example/">
  Wire Service</source><description>S&amp;P 500 rallies; caf\u00c3\u00a9 \u0080</description></item>
<item><description>Only a description</description><dc:date>2026-08-26T05:00:00Z</dc:date></item>
</channel></rss>"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en_GB">
  <entry xml:lang="mn"><id>tag:example.org,2026:1</id><title type="html">Entry &lt;em&gt;one&lt;/em&gt;</title>
    <link rel="alternate" href="/1"/><link rel="enclosure" href="/1.mp3"/>
    <author><name>Reporter</name><email>r@example.org</email></author>
    <published>2026-08-26T10:00:00+08:00</published><updated>2026-08-26T12:00:00Z</updated>
    <summary>Short &lt;b&gt;not html&lt;/b&gt;</summary><content type="html">&lt;p&gt;Long&lt;/p&gt;</content>
    <source><title>Origin</title><id>urn:origin</id></source></entry>
  <entry><id>/relative-id</id><title>Entry two</title><updated>2026-08-25T00:00:00Z</updated></entry>
  <title>Feed title after the entries</title>
</feed>"""

RSS1 = """<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"
         xmlns:dc="http://purl.org/dc/elements/1.1/">
  <channel rdf:about="https://example.org/"><title>RDF feed</title><link>https://example.org/</link>
    <items><rdf:Seq><rdf:li rdf:resource="https://example.org/item/1"/></rdf:Seq></items>
    <dc:language>ru</dc:language></channel>
  <item rdf:about="https://example.org/item/1"><title>RDF item</title><link>https://example.org/item/1</link>
    <description>About it</description><dc:date>2026-08-26T05:00:00Z</dc:date><dc:publisher>AP</dc:publisher></item>
</rdf:RDF>"""


@pytest.mark.parametrize("document", [RSS2, ATOM, RSS1], ids=["rss2", "atom", "rss1"])
@pytest.mark.parametrize("base_url", [BASE, None, "/archive/feed.xml"])
def test_fast_path_reads_the_formats_as_feedparser_does(document: str, base_url: str | None) -> None:
    body = document.encode()
    assert takes_fast_path(body, base_url=base_url)
    assert_same_as_feedparser(body, base_url=base_url)


XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
MUTANT_TEXTS = ["", "  ", "Plain", "<p>para</p>", "<b>bold</b> &amp; more", "/relative", "https://example.org/?a=1&b=2",
                "caf\u00c3\u00a9", "\u0093quoted\u0094", "tag:example.org,2026:1", "Wed, 26 Aug 2026 08:30:00 +0200",
                "not a date", "John Doe (john@example.org)", "<script>x</script>text", "&lt;b&gt;x&lt;/b&gt;", "a < b",
                '<img src="/i.png" alt="x" />', "日本語", "x\r\ny", "&#150; dash"]
MUTANT_ATTRIBUTES = [("type", "html"), ("type", "text"), ("type", "xhtml"), ("isPermaLink", "false"), ("rel", "self"),
                     ("href", "/h"), ("url", "https://u.example/"), ("lang", "de_AT"), ("mode", "escaped"),
                     (XML_LANG, "fr"), (XML_LANG, "")]
MUTANT_NAMES = ["title", "link", "description", "summary", "content", "guid", "id", "pubDate", "published", "updated",
                "author", "source", "category", "language", "image", "name", "email", "uri", "publisher", "foo"]


def mutant(rng: random.Random, document: str) -> bytes:
    """The document with a few of its entries' and channel's children edited, moved, repeated or added."""
    root = etree.fromstring(document.encode())
    parents = [e for e in root.iter() if isinstance(e.tag, str) and etree.QName(e).localname in
               ("channel", "feed", "item", "entry", "source", "author")]
    for _ in range(rng.randint(1, 6)):
        parent = rng.choice(parents)
        children = list(parent)
        operation = rng.randrange(6) if children else 5
        child = rng.choice(children) if children else None
        if operation == 0 and not len(child):
            child.text = rng.choice(MUTANT_TEXTS)
        elif operation == 1:
            parent.append(copy.deepcopy(child))
        elif operation == 2:
            parent.remove(child)
        elif operation == 3:
            parent.insert(0, child)
        elif operation == 4:
            child.set(*rng.choice(MUTANT_ATTRIBUTES))
        elif operation == 5:
            namespace = etree.QName(parent).namespace
            added = etree.SubElement(parent, f"{{{namespace}}}{rng.choice(MUTANT_NAMES)}" if namespace
                                     else rng.choice(MUTANT_NAMES))
            added.text = rng.choice(MUTANT_TEXTS)
    return etree.tostring(root, xml_declaration=True, encoding="utf-8")


def test_edited_documents_read_as_feedparser_does() -> None:
    """Reordered, repeated, emptied and added elements: what the fast path takes, it reads as feedparser."""
    rng = random.Random(7)
    taken = 0
    for _ in range(600):
        body = mutant(rng, rng.choice([RSS2, ATOM, RSS1]))
        if takes_fast_path(body):
            taken += 1
            assert_same_as_feedparser(body)
    assert taken > 200


# --- documents left to feedparser ------------------------------------------------------------------

@pytest.mark.parametrize("body, content_type", [
    (b'<rss version="2.0"><channel><title>C</title><item><title>Kept</title></item><item><title>Cu', None),
    (b'<!DOCTYPE rss [<!ENTITY t "Title">]><rss version="2.0"><channel><title>&t;</title></channel></rss>', None),
    ('<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Учения</title></channel></rss>'
     .encode("cp1251"), None),
    (b'<rss version="2.0"><channel><item><title>t</title></item></channel></rss>', "text/html"),
    (b'<feed xmlns="http://www.w3.org/2005/Atom" xml:base="https://example.org/"><entry><id>1</id></entry></feed>',
     None),
    (b'<feed xmlns="http://www.w3.org/2005/Atom"><entry><content type="xhtml"><div>x</div></content></entry></feed>',
     None),
    (b'<rss version="0.91"><channel><title>Old</title></channel></rss>', None),
], ids=["ill-formed", "entity", "cp1251-declared-utf-8", "not-xml-media-type", "xml-base", "xhtml", "rss091"])
def test_fallback_to_feedparser(body: bytes, content_type: str | None) -> None:
    assert not takes_fast_path(body, content_type)
    assert_same_as_feedparser(body, content_type)


def test_bozo_document_is_parsed_by_feedparser() -> None:
    body = b'<rss version="2.0"><channel><title>C</title><item><title>Kept</title></item><item><title>Cu'
    assert not takes_fast_path(body)
    feed = parse_feed(body, fetched_at=FETCHED_AT)
    assert feed.status == "ok" and feed.bozo and feed.bozo_message
    assert feed.items[0].title == "Kept"


# --- HTML: unchanged, or feedparser's own clean-up -------------------------------------------------

def random_html(rng: random.Random) -> str:
    tags = ["p", "a", "b", "br", "img", "script", "span", "em", "hr", "iframe", "blockquote", "Unknown"]
    attributes = ["alt", "cite", "class", "href", "onclick", "rel", "src", "style", "title", "type", "HREF"]
    values = ["https://example.org/a?b=1&amp;c=2", "/relative", "javascript:alert(1)", "Nofollow", "nofollow", "x&y",
              "", " https://x.org/ ", "https://x.org/a/../b", "mailto:a@b.c", "color: red", "a>b", "&#39;q", "&#x27;q"]
    texts = ["Troops moved", " ", "a < b", "a > b", "&amp;", "&nbsp;", "&foo;", "&#39;", "&#039;", "&#x27;", "&#X27;",
             "&#150;", "&#8217;", "&#x2F;", "S&P", "\r\n", '"quoted"', "日本", "<!-- c -->", "<![CDATA[x]]>", "&amp"]

    def tag() -> str:
        name = rng.choice(tags)
        if rng.random() < 0.3:
            return f"</{name}>"
        keys = rng.sample(attributes, rng.randint(0, 3))
        if rng.random() < 0.6:
            keys.sort()
        pairs = "".join(f' {key}="{rng.choice(values)}"' for key in keys)
        return f"<{name}{pairs}{rng.choice(['>', ' />', '/>'])}"

    return "".join(tag() if rng.random() < 0.4 else rng.choice(texts) for _ in range(rng.randint(1, 12))).strip()


def test_sanitised_html_is_feedparsers() -> None:
    rng = random.Random(1)
    samples = [random_html(rng) for _ in range(2000)] + [
        '<p>Plain <b>bold</b> &amp; <a href="https://example.org/x">link</a><br /></p>',
        '<img alt="a" src="https://example.org/i.png" />']
    for html_text in samples:
        for base in (BASE, ""):
            resolved = resolve_relative_uris(html_text, base, "utf-8", "text/html")
            assert sanitised(html_text, base) == _sanitize_html(resolved, "utf-8", "text/html"), (html_text, base)


# --- corpora ---------------------------------------------------------------------------------------

def test_synthetic_archive_reads_as_feedparser_does(tmp_path: Path) -> None:
    generate(tmp_path, weeks=1, feeds=3, items_per_week=600, seed=3)  # the three formats, one feed each
    files = documents(tmp_path)
    assert len(files) > 100
    for path in files:
        body = path.read_bytes()
        assert takes_fast_path(body, base_url=str(path)), path
        assert_same_as_feedparser(body, base_url=str(path))


@pytest.mark.slow
@pytest.mark.skipif(not REALNEWS.is_dir(), reason=f"the real news corpus is not on this machine ({REALNEWS})")
def test_real_corpus_reads_as_feedparser_does() -> None:
    files = sorted(REALNEWS.glob("*/*.xml"))
    assert len(files) == 407
    for path in files:
        body = path.read_bytes()
        assert takes_fast_path(body, base_url=str(path)), path
        assert_same_as_feedparser(body, base_url=str(path))


@pytest.mark.slow
@pytest.mark.skipif(not FEEDPARSER_TESTS.is_dir(), reason=f"feedparser's test corpus is not here ({FEEDPARSER_TESTS})")
def test_feedparser_test_documents_parse_as_before() -> None:
    """Every one of feedparser's 2,106 test documents gives the ParsedFeed (status included) it gave
    before the fast path; the fast path takes the well-formed ones it fully understands."""
    files = sorted(p for p in FEEDPARSER_TESTS.rglob("*") if p.is_file() and p.name != "LICENSE")
    assert len(files) == 2106
    fast = 0
    for path in files:
        body = path.read_bytes()
        declared = _HEADER_CONTENT_TYPE.search(body)  # the HTTP header the document expects
        content_type = declared.group(1).decode().strip() if declared else None
        fast += takes_fast_path(body, content_type)
        assert_same_as_feedparser(body, content_type)
    assert fast > 700  # 759 when written: the rest are ill-formed, Atom 0.3, CDF, XHTML, namespaces below the root...
