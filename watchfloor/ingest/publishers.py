"""Which newsroom wrote an item: corroboration counts newsrooms, not the feeds that carried them.

A Reuters story carried by CNA, Devdiscourse, MSN and a Google News pool is one source, Reuters.
The publisher of an item is, in this order:

1. the credit the feed gives it (<source>, dc:publisher, wire:publisher: the parser's `source`);
2. an author field that is a newsroom ("Reuters", "ロイター");
3. the article's own credit: a newsroom after a dash or bar at the end of the title
   ("... - Reuters"), in the dateline ("SEOUL, Aug 21 (Reuters) -", "[東京 21日 ロイター]") or in a
   closing "Source: AFP" line;
4. the feed's own newsroom (`publisher:` in the feeds file, else its `name`), unless the feed is
   an aggregator (`aggregator: true`: it writes nothing itself), whose uncredited items keep the
   feed's name as the best that is known.

Credits are normalised through data/newsrooms.yaml (a maintained list of wire services and
national agencies with the ways they are written); a credit the list does not know is kept as
written, trimmed.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

import yaml

from watchfloor.core.config import FeedSpec
from watchfloor.text.html import html_to_text

NEWSROOMS_FILE = Path(__file__).parent / "data" / "newsrooms.yaml"
_CREDIT_SPAN = 160  # a dateline credit sits at the start of the text
_MAX_CREDIT_CHARS = 60  # a longer "source" is a sentence, not a credit


@functools.cache
def _listed() -> tuple[tuple[str, str], ...]:
    """(alias as written, newsroom name) for every listed way of writing every newsroom."""
    document = yaml.safe_load(NEWSROOMS_FILE.read_text(encoding="utf-8"))
    return tuple((alias, name) for name, others in document["newsrooms"].items() for alias in [name, *(others or ())])


@functools.cache
def _aliases() -> dict[str, str]:
    return {alias.casefold(): name for alias, name in _listed()}


@functools.cache
def _credit_patterns() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    names = "|".join(re.escape(alias) for alias, _ in sorted(_listed(), key=lambda pair: -len(pair[0])))
    title_suffix = re.compile(rf"\s[-|–—]\s*({names})\s*$", re.IGNORECASE)
    dateline = re.compile(rf"\(({names})\)\s*[-–—:]|[\[［][^\]］\n]{{0,30}}?({names})[\]］]", re.IGNORECASE)
    closing = re.compile(rf"(?:^|\n)\s*(?:Source|Fonte|Fuente|Quelle|Sources?)\s*:\s*({names})\s*\.?\s*$", re.IGNORECASE)
    return title_suffix, dateline, closing


def newsroom(credit: str | None) -> str | None:
    """A credit as the newsroom's listed name, or trimmed as written; None when it is no credit."""
    text = " ".join((credit or "").split()).strip(" .,;:-–—|")
    if not text or len(text) > _MAX_CREDIT_CHARS:
        return None
    return _aliases().get(text.casefold(), text)


def text_credit(title: str | None, text: str | None) -> str | None:
    """The listed newsroom the article itself credits (title suffix, dateline, closing line);
    `text` may be HTML: only its start and end are read."""
    title_suffix, dateline, closing = _credit_patterns()
    text = text or ""
    start = html_to_text(text[:_CREDIT_SPAN * 4])[:_CREDIT_SPAN]
    end = html_to_text(text[-_CREDIT_SPAN * 4:])[-_CREDIT_SPAN:] if len(text) > _CREDIT_SPAN * 4 else start
    for match in (title_suffix.search(html_to_text(title or "")), dateline.search(start), closing.search(end)):
        if match:
            return newsroom(next(g for g in match.groups() if g))
    return None


def item_publisher(feed: FeedSpec, source: str | None, author: str | None, title: str | None,
                   text: str | None) -> str:
    """The newsroom that wrote one item of `feed` (the module docstring's order)."""
    credited = newsroom(source)
    if credited:
        return credited
    if (author or "").strip().casefold() in _aliases():
        return newsroom(author)
    return text_credit(title, text) or (feed.name if feed.aggregator else feed.publisher or feed.name)
