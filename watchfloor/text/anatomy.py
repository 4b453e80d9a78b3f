"""The anatomy of an article: how its headline, dateline, captions, sentences and lead are cut.

One place for the cuts that relevance, event extraction, article building and the report writers
make. Where two readers need different cuts, the difference is a named parameter or pattern here,
with its reason: each one was tried merged on the real week 2026-08-19 and the samples, and
merging it changed what relevance, events or the reports produce.

Headline
  clean_headline drops wire prefixes ("UPDATE 2-", "EXCLUSIVE-"), a known outlet suffix and the
  article's own source as suffix ("... - Steppe Wire"). An outlet suffix is " - ", " | ", " – " or
  " — " and a name; `without_outlet_suffix(title, outlets)` says which names: KNOWN_OUTLETS (wire
  services, newspapers and web domains: safe on any headline, used by relevance and events) or
  ANY_OUTLET (any 2-40 characters without a dash: for the key that spots a headline repeated by
  several outlets, and for the short titles of reports, where a lost subtitle costs little).
  short_title cuts a headline for a report at a word; clean_inline makes article text one line.

Datelines, captions and furniture
  `dateline(text)` is a wire dateline in capitals ("WARSAW, June 25 (Reuters) -",
  "SEOUL/WASHINGTON -"): events keep its text as a hint to the date and the place. With
  `loose=True` it is any opening that names a place without being the story, also a byline ("By A
  and B,"), a place in title case ("Tokyo -") or a bracketed Japanese dateline ("[東京 21日 ロイタ
  ー]"): relevance leaves that span out of the count. Captions likewise differ by reader:
  relevance drops lines with a photo credit ("REUTERS/", "Mandatory Credit", "Getty Images") and,
  from a long paragraph, only its credited sentences; events skip lines and sentences that are
  captions or page prompts ("Photo:", "FILE PHOTO", "Read more", "Subscribe").

Sentences
  split_sentences cuts a text (one paragraph a line) after ".", "!" or "?" followed by a capital or
  a digit, unless the period closes an abbreviation: a word of ABBREVIATIONS ("U.S.", "Gen.",
  "Sept.") or an initial. ARTICLE_RULE (the default, for the text of articles) also breaks after
  closing brackets and runs of quotes and knows "a.m." and "e.g." in any case; SUMMARY_RULE
  (summary_sentences, an event summary in a report) matches the words as written, knows two-letter
  initials ("T.W.") and keeps wire link markup ("[USN:...]") inside its sentence.

Leads
  lead_sentences: the first sentences of the summary then the body, without datelines, captions,
  prompts, fragments under 25 characters and sentences that repeat the headline or an earlier
  one (by content tokens): what event extraction reads. article_zones: the headline and the story
  without furniture (captions, credits such as "(Reporting by ...)", datelines, share buttons and
  site headers, "READ MORE ON" lists, related links, newsletter footers, the copy of the headline
  at the top), with the span of each dateline and lead (the first sentence of the story, and of a
  summary that is not the start of the body): what relevance weighs. The relevance lead ends at
  the first sentence end 30-400 characters in, where a one-character word before the period (an
  initial, "am 6. September", "won 2-1.") never ends it.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass

from watchfloor.text.calendar_words import MONTH_ABBREVIATIONS, MONTH_WORD
from watchfloor.text.tokens import content_tokens, overlap

TITLE_MAX = 80
LEAD_MAX = 400  # characters; a longer first "sentence" of the relevance lead is cut here
CAPTION_MAX = 400  # a longer line with a photo credit is a paragraph: only its credited sentences go

# --------------------------------------------------------------------------------------------------
# Headlines.

WIRE_AGENCIES = "Reuters|AP|AFP|Bloomberg|Xinhua|Kyodo|Yonhap"
_WIRE_PREFIX = re.compile(
    r"^(?:(?:UPDATE|WRAPUP|RPT|REFILE|CORRECTED|EXCLUSIVE|BREAKINGVIEWS|ANALYSIS|INSIGHT|FOCUS|FEATURE|"
    r"Exclusive|Analysis|Insight|Focus|Feature)(?: \d+)?\s*[-:]\s*)+"
)
KNOWN_OUTLETS = (
    rf"(?:[\w-]+\.)+(?:com|net|org|in|jp|co\.uk|co|io|news)|{WIRE_AGENCIES}|AP News|BBC(?: News)?|CNN|"
    r"Al Jazeera|The Guardian|Financial Times|The New York Times|The Washington Post|DW|Euronews|"
    r"Kyiv Independent|Politico|Axios|Nikkei Asia"
)
ANY_OUTLET = r"[^-|–—]{2,40}"


def clean_inline(text: str | None) -> str:
    """Article-derived text made safe for composing: one line, no citation-like [n] of its own."""
    text = re.sub(r"\s*\[\d+\]", "", text or "")
    return re.sub(r"\s+", " ", text).strip()


def clean_headline(title: str | None, source: str | None = None) -> str:
    """The title without wire prefixes ("UPDATE 2-"), a known outlet suffix, the source's own
    suffix or stray whitespace."""
    text = " ".join((title or "").split())
    text = _WIRE_PREFIX.sub("", text)
    text = without_source_suffix(without_outlet_suffix(text), source)
    return text.strip(" -–—|")


def without_outlet_suffix(title: str, outlets: str = KNOWN_OUTLETS) -> str:
    """`title` without a trailing outlet name after a dash or bar; `outlets` is the regex of the
    names it may have (KNOWN_OUTLETS or ANY_OUTLET, see the module docstring)."""
    return _outlet_suffix(outlets).sub("", title)


@functools.cache
def _outlet_suffix(outlets: str) -> re.Pattern[str]:
    return re.compile(rf"\s+[-|–—]\s+(?:{outlets})\s*$")


def without_source_suffix(title: str, source: str | None) -> str:
    """Aggregators append the outlet ("... - Reuters"); the source column already says it."""
    suffix = f" - {source}"
    return title[: -len(suffix)] if source and title.endswith(suffix) else title


def short_title(headline: str, max_chars: int = TITLE_MAX) -> str:
    """A short title from a headline: the outlet suffix (" - Reuters") dropped, cut at a word."""
    title = clean_inline(headline)
    stripped = without_outlet_suffix(title, ANY_OUTLET)
    if len(stripped) >= 20:
        title = stripped
    title = title.rstrip(" .;:,")
    if len(title) > max_chars:
        title = title[: max_chars - 1].rsplit(" ", 1)[0].rstrip(" ,;:-–—") + "…"
    return title or "Untitled report"


# --------------------------------------------------------------------------------------------------
# Datelines, captions and furniture.

_WIRE_DATELINE = re.compile(
    r"^\s*(?P<place>[A-Z][A-Z.'’-]+(?:[ /][A-Z][A-Z.'’-]+)*(?:, [A-Z][a-z]+(?: [A-Z][a-z]+)?)?)"
    rf"(?:,? (?P<date>{MONTH_WORD} \d{{1,2}}))?"
    rf"\s*(?:\((?:{WIRE_AGENCIES})\))?\s*[-–—:]\s+"
)
_LOOSE_DATELINE = re.compile(
    r"\s*(?:By (?:[A-Z][\w.'’-]*,?\s+(?:and\s+)?){1,12})?(?:[A-Z][A-Z.'’/ -]{2,60}|[A-Z][a-z]+(?: [A-Z][a-z]+)?)"
    rf"(?:,\s*[A-Z][A-Za-z]+)?(?:,\s*[A-Z][a-z]{{2,9}}\.?\s*\d{{1,2}})?\s*(?:\((?:{WIRE_AGENCIES})\))?\s*[:–—-]\s"
    r"|\s*(?:[^\n]{0,80}\n)?\s*[\[［][^\]］\n]{0,40}[\]］]\s*-?"
)
_PHOTO_CREDIT = re.compile(
    r"REUTERS/|via REUTERS|via Reuters|Mandatory Credit|Imagn Images|\(Photo:|Photo: |FILE PHOTO"
    r"|File Photo|/File photo|\bAP Photo|AFP/|Getty Images|Representational image"
)
_CAPTION_OR_PROMPT = re.compile(
    r"(?:\bPhoto(?:graph)?:|\bPhoto by\b|REUTERS/|\bFILE PHOTO\b|\bArchive photo\b|\(Photo|Click here|Tap here|"
    r"Advertisement|Follow Us|\(c\) Copyright|Read more|READ MORE|Sign up|Subscribe|Text Size)",
)
# "... in Austin, Texas, U.S. August 13, 2026" / "Seoul, South Korea, April 23, 2024": a photo stamp after a place.
PHOTO_STAMP_AFTER = re.compile(rf"[\s,.-]{{0,4}}(?:-\s*)?{MONTH_WORD}\s+\d{{1,2}},\s+\d{{4}}")
_HEADER_ENDS = ("FAST", "Analyzing article...", "Text Size: A- A+")  # CNA, Devdiscourse, ThePrint
_FOOTER_STARTS = re.compile(
    r"^(?:READ MORE ON:|ALSO READ|Further Reading|Recommended Read|Newsletter$|Disclaimer:|Subscribe to our"
    r"|Nine Years, Made Possible|Most Popular|POST / READ COMMENTS|Source: \w+$|Tags$|LEAVE A REPLY|Related:"
    r"|Read more:|Mehr zum Thema|Leia mais|Lea más|Lire aussi|Sign up for|Listen to the|Visit the Thomson)"
)
_FURNITURE_LINES = re.compile(  # whole lines; the last: a page header "<title> Reuters | Updated: ... | Created: ..."
    r"^(?:Show Full Article|-->|Advertisement|Bookmark|Share|SHARE|Subscribe|.*\| Updated: .*\| Created: .*)$")
_CREDITS = re.compile(
    r"\((?:Reporting|Additional reporting|Writing|Editing|Compiled|Reportagem|Reportaje|Reporte|Reportage"
    r"|Redacción|Bericht|Por |With inputs|Avec |Mit Material|Texto)[^()]*(?:\([^()]*\)[^()]*)*\)"
    r"|--Field Level Media|Devdiscourse News Desk[^\n]*"
)
_CNA_GAMES = re.compile(r"CNA Games\n.*?Show Less\n", re.DOTALL)


def photo_credit(text: str) -> re.Match[str] | None:
    """The first photo credit in `text` ("(File photo: AP/...", "REUTERS/..."), if any."""
    return _PHOTO_CREDIT.search(text)


def dateline(text: str, *, loose: bool = False) -> re.Match[str] | None:
    """The dateline opening `text`: a wire dateline in capitals, or with `loose` any opening that
    names a place without being the story (module docstring). The strict match has groups "place"
    and "date"."""
    return (_LOOSE_DATELINE if loose else _WIRE_DATELINE).match(text)


# --------------------------------------------------------------------------------------------------
# Sentences.

HONORIFICS = ("Mr", "Mrs", "Ms", "Dr", "Gen", "Col", "Lt", "Maj", "Capt", "Sgt", "Adm", "Gov", "Sen", "Rep")
# Abbreviations as written, without their final period.
_WRITTEN_ABBREVIATIONS = (
    "U.S", "U.K", "U.N", "E.U", "S.A", *HONORIFICS, "St", "Rev", "Prof", "Jr", "Sr", "Inc", "Corp", "Co", "Ltd",
    "No", "Nos", "vs", "etc", "approx", "est", "fig", "ft", "mt", "a.m", "p.m", "e.g", "i.e", *MONTH_ABBREVIATIONS,
)  # fmt: skip
ABBREVIATIONS = frozenset(word.lower() for word in _WRITTEN_ABBREVIATIONS)


def _article_abbreviated(text: str) -> bool:
    """The article rule: the last word (opening quotes and the period off, any case) is listed or one letter."""
    last = text.rsplit(None, 1)[-1].rstrip(".").lower().lstrip("(\"“")
    if last in ABBREVIATIONS:
        return True
    return len(last) == 1 and last.isalpha()  # an initial: "John F. Kennedy"


_WRITTEN_ABBREVIATION_END = re.compile(
    r"(?:\b[A-Z]|\b[A-Z]\.[A-Z]|\b(?:" + "|".join(w for w in _WRITTEN_ABBREVIATIONS if "." not in w) + r"))\.$"
)


def _summary_abbreviated(text: str) -> bool:
    """The summary rule: a capital initial, two initials ("T.W.") or a listed word as written (the
    dotted ones are initials already)."""
    return bool(_WRITTEN_ABBREVIATION_END.search(text))


@dataclass(frozen=True, slots=True)
class SentenceRule:
    gap: re.Pattern[str]  # the break between two sentences, removed by the split
    abbreviated: Callable[[str], bool]  # the text so far ends with an abbreviation: no break


ARTICLE_RULE = SentenceRule(re.compile(r"(?<=[.!?])[\"”’)\]]*\s+(?=[\"“‘(\[]?[A-Z0-9])"), _article_abbreviated)
SUMMARY_RULE = SentenceRule(re.compile(r"(?<=[.!?])[\"”’)]?\s+(?=[A-Z0-9\"“(])"), _summary_abbreviated)
_PUNCTUATION_GAP = re.compile(r"(?<=[.!?])\s+")  # any gap after an end mark: sentences roughly


def split_sentences(text: str, rule: SentenceRule = ARTICLE_RULE) -> list[str]:
    """Sentences of a plain text (one paragraph per line), keeping abbreviations ("U.S.", "Lt.") whole."""
    sentences: list[str] = []
    for paragraph in text.splitlines():
        paragraph = paragraph.strip()
        if not paragraph:
            continue
        current = ""
        for piece in rule.gap.split(paragraph):
            if current and not rule.abbreviated(current):
                sentences.append(current)
                current = piece
            else:
                current = f"{current} {piece}".strip()
        if current:
            sentences.append(current)
    return sentences


def rough_sentences(text: str) -> list[str]:
    """Pieces of `text` between end marks, abbreviations or not: for sentence-level tests."""
    return _PUNCTUATION_GAP.split(text)


def summary_sentences(summary: str, limit: int = 2, max_chars: int = 360) -> list[str]:
    """The first sentences of an event summary (cleaned), at most `limit` and about `max_chars`."""
    text = clean_inline(summary)
    if not text:
        return []
    chosen: list[str] = []
    for part in split_sentences(text, SUMMARY_RULE)[:limit]:
        if chosen and sum(len(c) for c in chosen) + len(part) > max_chars:
            break
        if len(part) > max_chars:
            part = part[: max_chars - 1].rsplit(" ", 1)[0].rstrip(",;:") + "…"
        chosen.append(part)
    return chosen


# --------------------------------------------------------------------------------------------------
# Leads.


def lead_sentences(summary: str, body: str, headline: str) -> tuple[list[str], str | None]:
    """Lead sentences (summary first, then body; captions, datelines and repeats dropped) and the
    dateline text, if any."""
    summary = summary.strip()
    truncated = summary.endswith(("...", "…"))
    from_summary = split_sentences(summary)
    if truncated and from_summary:
        from_summary = from_summary[:-1]
    sentences: list[str] = []
    seen: list[frozenset[str]] = [content_tokens(headline)]
    found_dateline = None
    # the story as the relevance lead reads it: no page header, share bar, caption, credit or footer
    body_lines = [line for line in _clean_story(body, headline).splitlines()[:20] if not _CAPTION_OR_PROMPT.search(line)]
    from_body = split_sentences("\n".join(body_lines))[:12]
    block_starts = {0, len(from_summary)}  # datelines open the summary or the body
    for position, sentence in enumerate([*from_summary, *from_body]):
        match = dateline(sentence) if position in block_starts else None
        if match:
            found_dateline = found_dateline or match.group(0).strip(" -–—:")
            sentence = sentence[match.end():]
        sentence = sentence.strip()
        if len(sentence) < 25 or _CAPTION_OR_PROMPT.search(sentence):
            continue
        tokens = content_tokens(sentence)
        if any(overlap(tokens, other) >= 0.6 for other in seen[1:]) or (tokens and tokens <= seen[0]):
            continue
        seen.append(tokens)
        sentences.append(sentence)
        if len(sentences) >= 8:
            break
    return sentences, found_dateline


@dataclass(frozen=True, slots=True)
class Zones:
    """The headline, and the story with its datelines and leads as (start, end) spans. A summary
    that is not the start of the body comes first, and its first sentence is a lead as well."""

    headline: str
    story: str
    datelines: tuple[tuple[int, int], ...]
    leads: tuple[tuple[int, int], ...]


def article_zones(title: str, summary: str, body: str) -> Zones:
    """Headline and story of an article, without the furniture listed in the module docstring."""
    headline = without_outlet_suffix(title or "").strip()
    summary, body = (summary or "").strip(), (body or "").strip()
    parts = [_clean_story(body, headline)]
    if summary and summary[:60] not in body:
        parts.insert(0, _clean_story(summary, headline))
    elif len(parts[0]) < len(summary) // 2:
        parts = [_clean_story(summary, headline)]
    story, datelines, leads = "", [], []
    for part in filter(None, parts):
        offset = len(story) + (1 if story else 0)
        story = f"{story}\n{part}" if story else part
        opening = dateline(part[:260], loose=True)
        start = opening.end() if opening else 0
        datelines.append((offset, offset + start))
        leads.append((offset + start, offset + _lead_end(part, start)))
    return Zones(headline, story, tuple(datelines), tuple(leads))


def _clean_story(text: str, headline: str) -> str:
    lines = text.split("\n")
    for marker in _HEADER_ENDS:
        if marker in lines[:60]:
            lines = lines[lines.index(marker) + 1 :]
    kept = []
    for line in lines:
        line = line.strip()
        if _FOOTER_STARTS.match(line):
            break
        if not line or _FURNITURE_LINES.match(line):
            continue
        if _PHOTO_CREDIT.search(line):
            if len(line) < CAPTION_MAX:
                continue
            line = " ".join(s for s in rough_sentences(line) if not _PHOTO_CREDIT.search(s))
        kept.append(line)
    story = _CNA_GAMES.sub("", "\n".join(kept) + "\n")
    story = _CREDITS.sub("", story).strip()
    for copy in (headline, headline.rstrip(".")):
        if len(copy) >= 12 and story.startswith(copy):
            story = story[len(copy) :].lstrip(" .:-\n")
            break
    if _is_source_name(story):
        return ""
    return story


def _is_source_name(text: str) -> bool:
    """What a Google News item leaves of its body once the headline is gone: "reuters.com"."""
    return len(text) < 40 and not re.search(r"\s\w+\s\w+\s", text)


_LEAD_END = re.compile(r"[.!?](?=['\"”’)]?\s+[\"“‘(\[]?[A-ZÀ-Ý0-9])|。")
_WORD_BEFORE_END = re.compile(r"[\w.]+$")


def _lead_end(story: str, start: int) -> int:
    """The end of the relevance lead: the first sentence end 30 to LEAD_MAX characters after `start`."""
    for match in _LEAD_END.finditer(story, start + 30, start + LEAD_MAX + 1):
        if match.group() == "。":
            return match.end()
        word = _WORD_BEFORE_END.search(story, start, match.start())
        if word and (word.group().lower() in ABBREVIATIONS or len(word.group()) == 1):
            continue
        return match.end()
    return min(len(story), start + LEAD_MAX)
