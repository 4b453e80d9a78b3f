"""The names feedparser gives a document's elements and attributes, for the fast parse path.

feedparser's strict parser names an element by its namespace (its own prefix for the namespaces it
knows, the declared prefix for others) and dispatches on that name ("dc_creator", "content_encoded",
"wire_publisher"); the version it reports starts from the namespaces the root declares. These
mirror StrictFeedParser.startElementNS, track_namespace and unknown_starttag.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from feedparser.mixin import _FeedParserMixin
from lxml import etree

KNOWN_NAMESPACES = {uri.lower(): prefix for uri, prefix in _FeedParserMixin.namespaces.items()}
_USERLAND = "http://backend.userland.com/rss"  # feedparser reads every variant of it as this one
_VERSION_NAMESPACES = {"http://purl.org/rss/1.0/": "rss10", "http://www.w3.org/2005/atom": "atom10"}


class Unsupported(Exception):
    """The document is outside what the fast path reads exactly as feedparser does."""


@dataclass
class Namespaces:
    """feedparser's namespace state once the root's declarations are read."""

    version: str
    prefixes: dict[str | None, str]  # declared prefix -> feedparser's prefix, for the namespaces it knows
    in_use: dict[str, str]  # feedparser's namespaces_in_use
    _names: dict[str, tuple[str, bool]] = field(default_factory=dict, repr=False)

    def name(self, element: etree._Element) -> tuple[str, bool]:
        """The element's name in feedparser ("title", "dc_creator", "wire_publisher"), and whether
        feedparser has a handler for it."""
        tag = element.tag
        if not isinstance(tag, str):
            raise Unsupported("entity reference")
        found = self._names.get(tag)
        if found is None:
            name = self._feedparser_name(tag)
            has_handler = hasattr(_FeedParserMixin, "_start_" + name) or hasattr(_FeedParserMixin, "_end_" + name)
            found = self._names[tag] = (name, has_handler)
        return found

    def _feedparser_name(self, tag: str) -> str:
        uri, _, local = tag[1:].rpartition("}") if tag[0] == "{" else ("", "", tag)
        if "backend.userland.com/rss" in uri.lower():
            uri = _USERLAND
        prefix = KNOWN_NAMESPACES.get(uri.lower())
        name = local.lower()
        if prefix:
            name = f"{prefix.lower()}:{name}"
        elif uri:  # expat gives no qualified names: feedparser looks the namespace's prefix up
            declared = next((p for p, u in self.in_use.items() if p and u == uri), None)
            if declared:
                name = f"{declared}:{name}".lower()
        if ":" not in name:
            return name
        prefix, suffix = name.split(":", 1)
        prefix = self.prefixes.get(prefix, prefix)
        return f"{prefix}_{suffix}" if prefix else suffix


@lru_cache(maxsize=256)  # successive polls of a feed declare the same namespaces
def namespaces(declarations: tuple[tuple[str | None, str], ...]) -> Namespaces:
    state = Namespaces(version="", prefixes={}, in_use={})
    for prefix, uri in declarations:
        if not uri:
            continue
        lower = uri.lower()
        if not state.version:
            if (prefix, lower) == (None, "http://my.netscape.com/rdf/simple/0.9/"):
                state.version = "rss090"
            else:
                state.version = _VERSION_NAMESPACES.get(lower, "")
        if "backend.userland.com/rss" in lower:
            uri = lower = _USERLAND
        if lower in KNOWN_NAMESPACES:
            state.prefixes[prefix] = KNOWN_NAMESPACES[lower]
            state.in_use[KNOWN_NAMESPACES[lower]] = uri
        else:
            state.in_use[prefix or ""] = uri
    return state


def attributes_of(element: etree._Element) -> dict[str, str]:
    """The attributes as feedparser's handlers see them: lower-case names, known namespaces by
    feedparser's prefix ("xml:lang", "rdf:about"), rel and type values in lower case."""
    found: dict[str, str] = {}
    for name, value in element.items():
        if name[0] == "{":
            uri, _, local = name[1:].rpartition("}")
            prefix = KNOWN_NAMESPACES.get(uri.lower())
            if not prefix:
                raise Unsupported("attribute in an unknown namespace")
            name = f"{prefix}:{local}"
        name = name.lower()
        found[name] = value.lower() if name in ("rel", "type") else value
    if "xml:base" in found or "base" in found:
        raise Unsupported("xml:base")
    return found
