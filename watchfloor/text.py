"""Plain text and language of feed items: HTML stripping and language identification."""

from __future__ import annotations

import functools
import html
import re

import numpy as np
from py3langid.langid import MODEL_FILE, LanguageIdentifier
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


# ISO 639-1 (2023), plus "und" (undetermined, ISO 639-2).
VALID_LANGUAGE_CODES: frozenset[str] = frozenset(
    """
    aa ab ae af ak am an ar as av ay az ba be bg bi bm bn bo br bs ca ce ch co cr cs cu cv cy
    da de dv dz ee el en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi ho hr ht
    hu hy hz ia id ie ig ii ik io is it iu ja jv ka kg ki kj kk kl km kn ko kr ks ku kv kw ky
    la lb lg li ln lo lt lu lv mg mh mi mk ml mn mr ms mt my na nb nd ne ng nl nn no nr nv ny
    oc oj om or os pa pi pl ps pt qu rm rn ro ru rw sa sc sd se sg si sk sl sm sn so sq sr ss
    st su sv sw ta te tg th ti tk tl tn to tr ts tt tw ty ug uk ur uz ve vi vo wa wo xh yi yo
    za zh zu und
    """.split()
)

# py3langid labels that are not ISO 639-1 but belong to a macrolanguage that is.
_LANGID_TO_ISO639_1 = {
    "ary": "ar", "arz": "ar", "yue": "zh", "wuu": "zh", "uzs": "uz",
    "gug": "gn", "kik": "ki", "fuv": "ff", "sdh": "ku",
}  # fmt: skip
# Deprecated ISO 639-1 codes still seen in feed metadata.
_RETIRED_CODES = {"iw": "he", "in": "id", "ji": "yi", "jw": "jv", "mo": "ro"}
_SUBTAG_SEPARATOR = re.compile(r"[-_\s]")

MIN_LETTERS = 20  # below this the detector guesses; the declared language is better
MIN_CONFIDENCE = 0.5  # normalised probability under which the declared language wins
# Detection cost grows with each UTF-8 byte and ~60 words settle the language: the sample is
# the first 400 bytes (400 characters of Latin text, ~130 of CJK, still dozens of words).
_SAMPLE_BYTES = 400


@functools.cache
def _identifier() -> LanguageIdentifier:
    """The py3langid model restricted to languages we can report as ISO 639-1."""
    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    reportable = [
        label
        for label in identifier.labels
        if label in VALID_LANGUAGE_CODES or label in _LANGID_TO_ISO639_1
    ]
    identifier.set_languages(reportable)
    # The column subset comes back Fortran-ordered, which makes the per-feature row lookups
    # of classify() about 30% slower than on the full model.
    identifier.nb_ptc = np.ascontiguousarray(identifier.nb_ptc)
    return identifier


def detect_language(text: str, hint: str | None = None) -> str:
    """ISO 639-1 code of `text`; the declared `hint` (e.g. "en-US") decides when the text is
    too short or the detector unsure. "und" only when there is neither text nor hint."""
    declared = _primary_subtag(hint)
    sample = text[:_SAMPLE_BYTES] if text else ""  # characters: at least as many bytes
    letters = _count_letters(sample, up_to=MIN_LETTERS)
    if declared and letters < MIN_LETTERS:
        return declared
    if not letters:
        return "und"
    # py3langid drops a character cut in half at the end
    label, confidence = _identifier().classify(sample.encode()[:_SAMPLE_BYTES])
    if declared and confidence < MIN_CONFIDENCE:
        return declared
    return _LANGID_TO_ISO639_1.get(label, label)


def _count_letters(text: str, up_to: int) -> int:
    count = 0
    for char in text:
        if char.isalpha():
            count += 1
            if count == up_to:
                break
    return count


def _primary_subtag(hint: str | None) -> str | None:
    if not hint:
        return None
    primary = _SUBTAG_SEPARATOR.split(hint.strip().lower(), maxsplit=1)[0]
    primary = _RETIRED_CODES.get(primary, primary)
    return primary if primary in VALID_LANGUAGE_CODES and primary != "und" else None
