"""A fast path for feed documents: lxml builds the tree, and the entries come out as feedparser's.

`read_feed` returns the part of `feedparser.parse`'s result that parse.py reads (version,
encoding, feed title and language, and per entry the keys in ENTRY_KEYS) for the documents it
fully understands: well-formed RSS 2.0, Atom 1.0 and RSS 1.0 that feedparser's strict parser
would read without complaint, built from elements whose feedparser handlers are mirrored here.
Anything else (bozo documents, DTDs and entities, xml:base, XHTML or base64 content, unknown
elements with feedparser handlers) returns None, and the caller falls back to feedparser.

Mirroring means the same order of effects as feedparser's handlers (later elements overwrite
earlier ones, setdefault where feedparser uses it, the title-depth rule), and feedparser's own
helpers for what they compute: encoding detection, dates, URI joining and HTML sanitising.
"""

from __future__ import annotations

import pyexpat
import re
from functools import lru_cache
from typing import Any

from feedparser.datetimes import _parse_date
from feedparser.encodings import convert_to_utf8
from feedparser.html import _cp1252
from feedparser.mixin import _FeedParserMixin as _Mixin
from feedparser.urls import _urljoin, make_safe_absolute_uri
from lxml import etree

from watchfloor.ingest.feedparser_names import Unsupported, attributes_of, namespaces
from watchfloor.ingest.sanitised import sanitised

# The entry keys parse.py reads; handler-less elements under any other key are skipped.
ENTRY_KEYS = frozenset({
    "id", "link", "title", "title_detail", "summary", "summary_detail", "content", "author", "source",
    "publisher", "wire_publisher", "published", "published_parsed", "updated", "updated_parsed",
    "created", "created_parsed",
})

_TEXT_TYPES = ("text/plain", "text/html")
_TITLES = {"title", "dc_title"}
_AUTHORS = {"author", "dc_creator", "dc_author", "managingeditor"}
_PUBLISHERS = {"dc_publisher", "webmaster"}
_DATE_FIELDS = {
    **dict.fromkeys(("pubdate", "published", "issued", "dcterms_issued"), "published"),
    **dict.fromkeys(("updated", "modified", "lastbuilddate", "dc_date", "dcterms_modified"), "updated"),
    **dict.fromkeys(("created", "dcterms_created"), "created"),
}
_PERSON_PARTS = {"name": "name", "email": "email", "uri": "href", "url": "href", "homepage": "href"}
# Handled elements that cannot change what parse.py reads (tags, enclosures, rights...).
_IGNORED_IN_ENTRY = {"category", "dc_subject", "keywords", "enclosure", "language", "dc_language", "rights",
                     "copyright", "dc_rights"}
_IGNORED_IN_SOURCE = {"id", "link", "updated", "published"}
_IGNORED_IN_FEED = {"link", "description", "subtitle", "tagline", "rights", "copyright", "dc_rights", "lastbuilddate",
                    "pubdate", "published", "updated", "modified", "dc_date", "id", "generator", "managingeditor",
                    "webmaster", "dc_creator", "dc_publisher", "category", "dc_subject", "cloud"}
# The children feedparser keeps inside <image> and <textinput>: any other resets its state.
_IMAGE_PARTS = {"image": {"title", "link", "description", "url", "width", "height"},
                "textinput": {"title", "link", "description", "name"}}
_LINK_ENTITY = re.compile("&([A-Za-z0-9_]+);")
_C1_CONTROLS = re.compile(r"[\x80-\x9f]")
# An item's date and links recur in successive polls of its feed.
_parse_date_once = lru_cache(maxsize=4096)(_parse_date)
_urljoin_once = lru_cache(maxsize=4096)(_urljoin)


def read_feed(body: bytes, headers: dict[str, str]) -> dict[str, Any] | None:
    """feedparser's result for `body` served with `headers` (the keys parse.py reads), or None."""
    if not body:
        return None
    result: dict[str, Any] = {}
    data = convert_to_utf8(headers, body, result)  # the bytes feedparser's parser would see
    if result.get("bozo"):
        return None
    try:
        declarations = _root_namespace_declarations(data)
        # a parser per document: lxml parsers are not to be shared between threads
        parser = etree.XMLParser(resolve_entities=False, no_network=True, remove_comments=True, remove_pis=True)
        reader = _Reader(declarations, headers.get("content-location") or "")
        feed, entries = reader.read(etree.fromstring(data, parser))
    except Exception:  # noqa: BLE001 - Unsupported, or anything else the fast path trips on: feedparser's to read
        return None
    return {"version": reader.version, "encoding": result["encoding"], "bozo": False, "feed": feed,
            "entries": entries}


def _root_namespace_declarations(data: bytes) -> tuple[tuple[str | None, str], ...]:
    """Checks the document with expat as feedparser's strict parser would; returns the namespace
    declarations in order. Declarations below the root, and DTDs, are not for the fast path."""
    parser = pyexpat.ParserCreate(None, " ")
    parser.namespace_prefixes = True
    declarations: list[tuple[str | None, str]] = []

    def declare(prefix: str | None, uri: str) -> None:
        if parser.StartElementHandler is None:
            raise Unsupported("namespace declared below the root")
        declarations.append((prefix, uri))

    def root_started(name: str, attributes: dict) -> None:
        parser.StartElementHandler = None  # only the first element matters

    def refuse(*args: object) -> None:
        raise Unsupported("document type declaration")

    parser.StartNamespaceDeclHandler = declare
    parser.StartElementHandler = root_started
    parser.StartDoctypeDeclHandler = refuse
    try:
        parser.Parse(data, True)
    except pyexpat.ExpatError as exc:
        raise Unsupported("not well-formed") from exc
    return tuple(declarations)


class _Reader:
    """One document's walk, with the parts of feedparser's parser state that its output depends on."""

    def __init__(self, declarations: tuple[tuple[str | None, str], ...], content_location: str) -> None:
        self.namespaces = namespaces(declarations)
        self.version = self.namespaces.version
        self.base = _document_base(content_location)
        self.title_depth = -1

    # --- the document ---------------------------------------------------------------------------

    def read(self, root: etree._Element) -> tuple[dict[str, Any], list[dict[str, Any]]]:
        key = self._key(root)
        attributes = attributes_of(root)
        language = _language(attributes, None)
        feed: dict[str, Any] = {}
        entries: list[dict[str, Any]] = []
        if key == "rss" and attributes.get("version", "").startswith("2."):
            if not self.version.startswith("rss"):
                self.version = "rss20"
            if language:
                feed["language"] = language.replace("_", "-")
            for child in root:
                if self._key(child) != "channel":
                    raise Unsupported("RSS element outside the channel")
                self._feed_children(self._channel(child), 3, _language(attributes_of(child), language), feed,
                                    entries)
        elif key == "feed" and self.version == "atom10":
            if language:
                feed["language"] = language.replace("_", "-")
            self._feed_children(root, 2, language, feed, entries)
        elif key == "rdf_rdf" and self.version == "rss10":
            for child in root:  # RSS 1.0 items are the channel's siblings, outside the feed's context
                child_key = self._key(child)
                child_language = _language(attributes_of(child), language)
                if child_key == "channel":
                    self._feed_children(self._channel(child), 3, child_language, feed, entries)
                elif child_key == "item":
                    entries.append(self._entry(child, 2, child_language))
                elif child_key in _IMAGE_PARTS:
                    self._image(child, 2, child_key)
                else:
                    raise Unsupported(f"RSS 1.0 element {child_key}")
        else:
            raise Unsupported(f"root element {key} of version {self.version!r}")
        return feed, entries

    def _channel(self, channel: etree._Element) -> etree._Element:
        attributes = attributes_of(channel)
        if "lastmod" in attributes or "href" in attributes:
            raise Unsupported("CDF channel attributes")
        return channel

    def _feed_children(self, parent: etree._Element, depth: int, language: str | None, feed: dict[str, Any],
                       entries: list[dict[str, Any]]) -> None:
        for child in parent:
            key, has_handler = self.namespaces.name(child)
            attributes = attributes_of(child)
            if key in ("item", "entry"):
                entries.append(self._entry(child, depth, _language(attributes, language)))
            elif key in _TITLES:
                value = self._content(_leaf_text(child), attributes, "text/plain")
                if not -1 < self.title_depth <= depth:
                    feed["title"] = value
                if value:
                    self.title_depth = depth
            elif key in ("language", "dc_language"):
                feed["language"] = self._text("language", _leaf_text(child))
            elif key in _IMAGE_PARTS:
                self._image(child, depth, key)
            elif key == "author":
                self._person(child)
            elif key in _IGNORED_IN_FEED:
                _leaf_text(child)
            elif has_handler or any(self.namespaces.name(e)[1] for e in child.iterdescendants()):
                raise Unsupported(f"feed element {key}")

    def _image(self, image: etree._Element, depth: int, key: str) -> None:
        """<image> and <textinput> keep nothing we read, but their titles move the title depth."""
        self.title_depth = -1
        for child in image:
            child_key = self._key(child)
            if child_key not in _IMAGE_PARTS[key]:
                raise Unsupported(f"{key} element {child_key}")
            text = _leaf_text(child)
            if child_key == "title" and self._content(text, attributes_of(child), "text/plain"):
                self.title_depth = depth + 1

    # --- entries --------------------------------------------------------------------------------

    def _entry(self, item: etree._Element, depth: int, language: str | None) -> dict[str, Any]:
        item_attributes = attributes_of(item)
        if "lastmod" in item_attributes or "href" in item_attributes:
            raise Unsupported("CDF item attributes")
        entry: dict[str, Any] = {}
        about = item_attributes.get(self.namespaces.prefixes.get("rdf", "rdf") + ":about")
        if about:
            entry["id"] = about
        self.title_depth = -1
        has_content = False
        for child in item:
            key, has_handler = self.namespaces.name(child)
            attributes = attributes_of(child)
            if key in _TITLES:
                value = self._content(_leaf_text(child), attributes, "text/plain")
                if not -1 < self.title_depth <= depth + 1:
                    entry["title"] = value
                    entry["title_detail"] = {"language": _detail_language(_language(attributes, language))}
                if value:
                    self.title_depth = depth + 1
            elif key in ("description", "summary"):
                if "summary" in entry and not has_content:
                    raise Unsupported("second summary, which feedparser reads as content")
                default_type = "text/html" if key == "description" else "text/plain"
                entry["summary"] = self._content(_leaf_text(child), attributes, default_type)
                entry["summary_detail"] = {"language": _detail_language(_language(attributes, language))}
            elif key in ("content_encoded", "content"):
                has_content = True
                default_type = "text/html" if key == "content_encoded" else "text/plain"
                value = self._content(_leaf_text(child), attributes, default_type)
                entry.setdefault("content", []).append({"value": value})
                entry.setdefault("summary", value)
            elif key == "link":
                self._link(entry, _leaf_text(child), attributes)
            elif key in ("guid", "id"):
                is_link = attributes.get("ispermalink", "true") == "true"
                value = self._text("id", _leaf_text(child), resolve=is_link)
                entry["id"] = value
                if is_link:
                    entry.setdefault("link", value)
            elif key in _DATE_FIELDS:
                field = _DATE_FIELDS[key]
                entry[field] = self._text(field, _leaf_text(child))
                entry[field + "_parsed"] = _parse_date_once(entry[field])
            elif key in _AUTHORS:
                if "author" in entry:
                    raise Unsupported("second author, which feedparser merges with the first")
                entry["author"] = self._person(child)
            elif key in _PUBLISHERS:
                entry["publisher"] = self._text("publisher", _leaf_text(child))
            elif key == "source":
                entry["source"] = self._source(child, depth + 1, attributes)
            elif key in _IGNORED_IN_ENTRY:
                _leaf_text(child)
            elif has_handler:
                raise Unsupported(f"entry element {key}")
            elif key in ENTRY_KEYS:  # an element feedparser has no handler for, kept under its name
                text = _leaf_text(child)
                entry[key] = attributes if attributes else self._text(key, text)
            elif len(child):
                raise Unsupported(f"unknown entry element {key} with children")
        return entry

    def _link(self, entry: dict[str, Any], text: str, attributes: dict[str, str]) -> None:
        attributes = _link_attributes(attributes)
        if "href" not in attributes:
            link = self._text("link", text).replace("&amp;", "&")
            entry["link"] = _LINK_ENTITY.sub(r"&\1", link) if ";" in link else link  # the repair of "?a=1&b;=2"
        elif attributes["rel"] == "alternate" and _Mixin.map_content_type(attributes["type"]) in _Mixin.html_types:
            entry["link"] = _urljoin_once(self.base, attributes["href"])

    def _person(self, person: etree._Element) -> str:
        """The author string feedparser derives: "name (email)", name or email, else the element's text."""
        parts: dict[str, str] = {}
        for child in person:
            key = self._key(child)
            if key not in _PERSON_PARTS:
                raise Unsupported(f"person element {key}")
            text = _leaf_text(child)
            parts[_PERSON_PARTS[key]] = text.strip() if key in ("name", "email") else self._text("href", text)
        value = self._text("author", _direct_text(person))
        name, email = parts.get("name"), parts.get("email")
        if parts and (name or email):
            value = f"{name} ({email})" if name and email else name or email
        return value

    def _source(self, source: etree._Element, depth: int, attributes: dict[str, str]) -> dict[str, str]:
        """RSS 2.0 <source url="...">Outlet</source>, or an Atom source with its own title."""
        result = {"href": attributes["url"]} if "url" in attributes else {}
        self.title_depth = -1
        pieces = [source.text or ""]  # the character data feedparser collects for the source itself
        for child in source:
            key = self._key(child)
            text = _leaf_text(child)
            if key == "link" and "href" in _link_attributes(attributes_of(child)):
                pieces.append(text)  # a link with an href keeps no text of its own
            pieces.append(child.tail or "")
            if key in _TITLES:
                value = self._content(text, attributes_of(child), "text/plain")
                if not -1 < self.title_depth <= depth + 1:
                    result["title"] = value
                if value:
                    self.title_depth = depth + 1
            elif key not in _IGNORED_IN_SOURCE:
                raise Unsupported(f"source element {key}")
        value = self._text("source", "".join(pieces))
        if value:
            result["title"] = value
        return result

    # --- values, as feedparser's pop() finishes them ----------------------------------------------

    def _text(self, element: str, text: str, *, resolve: bool = True) -> str:
        output = text.strip()
        if output and resolve and element in _Mixin.can_be_relative_uri:
            output = _urljoin_once(self.base, output)
        return _repaired(output)

    def _content(self, text: str, attributes: dict[str, str], default_type: str) -> str:
        if "mode" in attributes or "src" in attributes:
            raise Unsupported("base64, escaped or out-of-line content")
        content_type = _Mixin.map_content_type(attributes.get("type", default_type))
        if content_type not in _TEXT_TYPES:
            raise Unsupported(f"content of type {content_type}")
        output = text.strip()
        # RSS leaves the type to guess; Atom declares it
        if content_type == "text/plain" and not self.version.startswith("atom") and _Mixin.looks_like_html(output):
            content_type = "text/html"
        if content_type == "text/html":
            output = sanitised(output, self.base)
        return _repaired(output)

    def _key(self, element: etree._Element) -> str:
        return self.namespaces.name(element)[0]


@lru_cache(maxsize=256)
def _document_base(content_location: str) -> str:
    """The base URI feedparser resolves against: it re-joins the base with itself at every element."""
    base = make_safe_absolute_uri(content_location, content_location) or content_location
    if base and (make_safe_absolute_uri(base, base) or base) != base:
        raise Unsupported("base URI changes from element to element")
    return base


def _link_attributes(attributes: dict[str, str]) -> dict[str, str]:
    """A link's attributes with feedparser's defaults, and url or uri as href."""
    attributes = dict(attributes)
    attributes.setdefault("rel", "alternate")
    attributes.setdefault("type", "application/atom+xml" if attributes["rel"] == "self" else "text/html")
    return _Mixin._enforce_href(attributes)


def _language(attributes: dict[str, str], inherited: str | None) -> str | None:
    language = attributes.get("xml:lang", attributes.get("lang"))
    if language == "":
        return None  # xml:lang="" clears the inherited language
    return inherited if language is None else language


def _detail_language(language: str | None) -> str | None:
    return language.replace("_", "-") if language else language


def _leaf_text(element: etree._Element) -> str:
    if len(element):
        raise Unsupported(f"children in {element.tag}")
    return element.text or ""


def _direct_text(element: etree._Element) -> str:
    """The character data directly inside an element with children (what feedparser's own stack entry collects)."""
    return (element.text or "") + "".join(child.tail or "" for child in element)


def _repaired(text: str) -> str:
    """feedparser's last steps: UTF-8 that was read as ISO-8859-1 is decoded again, and C1 controls
    become their windows-1252 characters."""
    if text.isascii():
        return text
    try:
        text = text.encode("iso-8859-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        pass
    return text.translate(_cp1252) if _C1_CONTROLS.search(text) else text  # translate is slow on long text
