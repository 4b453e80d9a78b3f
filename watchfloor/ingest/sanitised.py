"""feedparser's clean-up of embedded HTML (relative URIs resolved, then sanitised), skipping the
two SGML passes when they would return the HTML unchanged.

Most feed HTML is already in the form feedparser writes back (`<p>` paragraphs, sorted and quoted
attributes, known entities), and re-parsing it twice with a pure-Python SGML parser is a fifth of
feedparser's time.
`_unchanged` accepts only HTML built from tokens that both passes copy verbatim; anything else goes
through feedparser's own functions, so the result is feedparser's either way.
"""

from __future__ import annotations

import html.entities
import re
from functools import lru_cache

from feedparser.html import _BaseHTMLProcessor, _cp1252
from feedparser.sanitizer import _HTMLSanitizer, _sanitize_html
from feedparser.urls import RelativeURIResolver, make_safe_absolute_uri, resolve_relative_uris

_ENTITY = r"&(?:[a-zA-Z][a-zA-Z0-9]*|\#[0-9]+|\#x[0-9a-f]+);"  # "\#": the pattern below is verbose
# Text without markup, entities, start tags with ` name="value"` attributes (a void element closed
# with " />"), end tags. No "\r": the sanitiser turns "\r\n" into "\n". Possessive quantifiers:
# a long text that does not match fails at once instead of backtracking.
_CANONICAL = re.compile(
    rf"""(?:[^<&\r]++|{_ENTITY}
        |<[a-z][a-z0-9]*+(?:\ [a-z][-a-z0-9:]*+="(?:[^"<>&\r]++|{_ENTITY})*+")*+(?:\ /)?>
        |</[a-z][a-z0-9]*+>)*+""",
    re.VERBOSE,
)
# In canonical HTML every "<" opens a tag that the first ">" closes, every "&" an entity.
_TAG_TEXT = re.compile(r"<[^>]*>")
_ENTITY_TEXT = re.compile(r"&[^;]*;")
_TAG = re.compile(r'<(/?)([a-z0-9]+)((?: [^=]+="[^"]*")*)( /)?>')
_ATTRIBUTE = re.compile(r' ([^=]+)="([^"]*)"')
_ENTITY_PARTS = re.compile(r"&(#x|#)?([0-9a-zA-Z]+);")
_NAMED_ENTITIES = frozenset(html.entities.name2codepoint) | {"apos"}
_VOID = _BaseHTMLProcessor.elements_no_end_tag
_ACCEPTABLE_ELEMENTS = _HTMLSanitizer.acceptable_elements
_ACCEPTABLE_ATTRIBUTES = frozenset(_HTMLSanitizer.acceptable_attributes) - {"style"}
_URI_ATTRIBUTES = RelativeURIResolver.relative_uris
_CACHED_CHARS = 50_000  # longer HTML is rare and not worth the memory it would hold in the cache


def sanitised(html_text: str, base_uri: str) -> str:
    """What feedparser makes of text/html content (already stripped) in a document based at `base_uri`."""
    if _unchanged(html_text, base_uri):
        return html_text
    resolved = resolve_relative_uris(html_text, base_uri, "utf-8", "text/html")
    return _sanitize_html(resolved, "utf-8", "text/html")


def _unchanged(html_text: str, base_uri: str) -> bool:
    if "<" not in html_text and "&" not in html_text:
        return "\r" not in html_text
    check = _uri_attribute_values if len(html_text) <= _CACHED_CHARS else _uri_attribute_values.__wrapped__
    uris = check(html_text)
    return uris is not None and all((make_safe_absolute_uri(base_uri, uri.strip()) or uri) == uri for uri in uris)


@lru_cache(maxsize=1024)  # an item's HTML recurs in successive polls
def _uri_attribute_values(html_text: str) -> tuple[str, ...] | None:
    """None when the two passes would change the HTML whatever the base URI; else the values of
    its URI attributes, which the resolver joins with the base (kept when that gives them back)."""
    # feedparser rewrites these two character references before parsing
    if "&#39;" in html_text or "&#34;" in html_text or not _CANONICAL.fullmatch(html_text):
        return None
    if not all(map(_entity_kept, set(_ENTITY_TEXT.findall(html_text)))):
        return None
    uris: list[str] = []
    for tag in set(_TAG_TEXT.findall(html_text)):  # the same few tags, again and again
        tag_uris = _tag_uri_values(tag)
        if tag_uris is None:
            return None
        uris.extend(tag_uris)
    return tuple(uris)


@lru_cache(maxsize=1024)
def _entity_kept(entity: str) -> bool:
    kind, name = _ENTITY_PARTS.fullmatch(entity).groups()
    if not kind:
        return name in _NAMED_ENTITIES  # others become "&amp;name"
    return int(name, 16 if kind == "#x" else 10) not in _cp1252  # those are rewritten as the Unicode character's


@lru_cache(maxsize=1024)
def _tag_uri_values(tag: str) -> tuple[str, ...] | None:
    closing, name, attributes, void_close = _TAG.fullmatch(tag).groups()
    if name not in _ACCEPTABLE_ELEMENTS:
        return None
    if closing:
        return None if name in _VOID else ()  # void end tags are dropped
    if (name in _VOID) != bool(void_close):
        return None  # "<br>" becomes "<br />", "<p />" becomes "<p></p>"
    pairs = _ATTRIBUTE.findall(attributes)
    keys = [key for key, _ in pairs]
    if keys != sorted(set(keys)) or not all(_attribute_kept(key, value) for key, value in pairs):
        return None  # both passes sort the attributes and drop repeats
    return tuple(value for key, value in pairs if (name, key) in _URI_ATTRIBUTES)


def _attribute_kept(key: str, value: str) -> bool:
    if key not in _ACCEPTABLE_ATTRIBUTES:
        return False  # dropped, or for style rewritten
    if key in ("rel", "type") and value != value.lower():
        return False
    return key != "href" or make_safe_absolute_uri(value) == value  # an unsafe scheme is emptied
