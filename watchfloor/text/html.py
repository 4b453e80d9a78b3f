"""Plain text of feed items: HTML to visible text, entities decoded, whitespace normalised."""

from __future__ import annotations

import html
import re

from selectolax.lexbor import LexborHTMLParser

_MARKUP = re.compile(r"</?[A-Za-z][^<>]*>|<!")  # a tag, comment or doctype

# Elements whose content is never article text.
_DROPPED_ELEMENTS = (
    "script, style, noscript, template, iframe, svg, object, head, "
    '[hidden], [aria-hidden="true" i]'
)
# Inline styles that may hide an element; confirmed with _HIDING_STYLE (the selector cannot
# tell "display: none" from "border: none").
_MAYBE_HIDDEN = '[style*="none" i], [style*="hidden" i]'
_HIDING_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)

_BLOCK_TAGS = (
    "address|article|aside|blockquote|br|caption|dd|details|dialog|div|dl|dt|fieldset|"
    "figcaption|figure|footer|form|h[1-6]|header|hr|li|main|nav|ol|p|pre|section|summary|"
    "table|tbody|tfoot|thead|tr|ul"
)
# A newline before every opening or closing block tag survives parsing as text, so block
# boundaries become line breaks without walking the tree. Source newlines are plain
# whitespace in HTML and are turned into spaces first.
_BLOCK_TAG = re.compile(rf"<(?=/?(?:{_BLOCK_TAGS})[\s/>])", re.IGNORECASE)
_CELL_TAG = re.compile(r"<(?=t[dh][\s/>])", re.IGNORECASE)

# Zero-width characters and soft hyphens, which str.split() does not count as space.
_INVISIBLE = ("\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\xad")
# Only complete entities (with the semicolon): a second html.unescape pass would also turn
# "&para" in "?x=1&param=2" into "¶".
_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")


def html_to_text(markup: str | None) -> str:
    """Visible text of an HTML fragment or document (plain text passes through), one line
    per block, entities decoded (also double-escaped ones, once), whitespace normalised."""
    if not markup:
        return ""
    if "<" not in markup and "&lt;" in markup:
        markup = html.unescape(markup)  # escaped markup, as some feeds ship it
    if "<" not in markup or not _MARKUP.search(markup):  # "x<y" or "<3" are plain text
        return _normalise_whitespace(_decode_entities(_decode_entities(markup)))
    return _normalise_whitespace(_decode_entities(_visible_text(markup)))


def _visible_text(markup: str) -> str:
    markup = markup.replace("\r", " ").replace("\n", " ")
    markup = _CELL_TAG.sub(" <", _BLOCK_TAG.sub("\n<", markup))
    tree = LexborHTMLParser(markup)
    for node in tree.css(_DROPPED_ELEMENTS):
        node.decompose()
    for node in tree.css(_MAYBE_HIDDEN):
        if _HIDING_STYLE.search(node.attributes.get("style") or ""):
            node.decompose()
    root = tree.root
    return root.text() if root is not None else ""


def _decode_entities(text: str) -> str:
    if "&" not in text:
        return text
    return _ENTITY.sub(lambda match: html.unescape(match.group()), text)


def _normalise_whitespace(text: str) -> str:
    """One space between words (any Unicode space), lines stripped, no empty lines."""
    for char in _INVISIBLE:
        if char in text:  # a scan is much cheaper than str.translate on non-ASCII text
            text = text.replace(char, "")
    lines = (" ".join(line.split()) for line in text.splitlines())
    return "\n".join(line for line in lines if line)
