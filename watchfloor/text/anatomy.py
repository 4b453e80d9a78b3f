"""The anatomy of an article: how its headline, sentences, lead and furniture are cut.

One place for the cuts that relevance, event extraction and the report writers all make: headline
cleaning (wire prefixes, outlet suffixes), datelines, photo captions and credits, sentence
splitting and the lead.
"""

from __future__ import annotations

import re

TITLE_MAX = 80
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’)]?\s+(?=[A-Z0-9\"“(])")
_ABBREVIATION_END = re.compile(
    r"(?:\b[A-Z]|\b[A-Z]\.[A-Z]|\b(?:Mr|Mrs|Ms|Dr|St|Gen|Col|Lt|Maj|Sgt|Capt|Adm|Gov|Sen|Rep|Prof|Jr|Sr|Inc|Corp|Co|"
    r"Ltd|No|vs|etc|approx|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec))\.$"
)
_SOURCE_SUFFIX = re.compile(r"\s+(?:-|–|—|\|)\s+[^-–—|]{2,40}$")


def clean_inline(text: str | None) -> str:
    """Article-derived text made safe for composing: one line, no citation-like [n] of its own."""
    text = re.sub(r"\s*\[\d+\]", "", text or "")
    return re.sub(r"\s+", " ", text).strip()


def summary_sentences(summary: str, limit: int = 2, max_chars: int = 360) -> list[str]:
    """The first sentences of an event summary (cleaned), at most `limit` and about `max_chars`."""
    text = clean_inline(summary)
    if not text:
        return []
    parts: list[str] = []
    for piece in (p.strip() for p in _SENTENCE_END.split(text)):
        if piece and parts and _ABBREVIATION_END.search(parts[-1]):
            parts[-1] += " " + piece  # "the U.S. Army", "Gen. Smith": not a sentence end
        elif piece:
            parts.append(piece)
    chosen: list[str] = []
    for part in parts[:limit]:
        if chosen and sum(len(c) for c in chosen) + len(part) > max_chars:
            break
        if len(part) > max_chars:
            part = part[: max_chars - 1].rsplit(" ", 1)[0].rstrip(",;:") + "…"
        chosen.append(part)
    return chosen


def short_title(headline: str, max_chars: int = TITLE_MAX) -> str:
    """A short title from a headline: the outlet suffix (" - Reuters") dropped, cut at a word."""
    title = clean_inline(headline)
    stripped = _SOURCE_SUFFIX.sub("", title)
    if len(stripped) >= 20:
        title = stripped
    title = title.rstrip(" .;:,")
    if len(title) > max_chars:
        title = title[: max_chars - 1].rsplit(" ", 1)[0].rstrip(" ,;:-–—") + "…"
    return title or "Untitled report"
