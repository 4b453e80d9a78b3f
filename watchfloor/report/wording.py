"""Small pieces of report English: lists, counts, sentences ending in citations, references to events.

Shared by the report rules (their notes and reasons) and the offline writer (its prose). All of it
is deterministic: a "random" choice is a CRC of a key.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Iterable, Sequence

from watchfloor.report.citations import cite
from watchfloor.report.dates import prose_day
from watchfloor.report.model import TITLE_MAX_CHARS, EventBrief
from watchfloor.text.anatomy import TITLE_MAX, clean_inline, short_title
from watchfloor.text.language import language_name

_NUMBER_WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")


def stable_choice(key: str, n: int) -> int:
    """An index in range(n) that depends only on `key` (no hash seed, no clock)."""
    return zlib.crc32(key.encode("utf-8")) % n


def sentence(text: str, cites: str) -> str:
    """`text` as a sentence ending in its citations: 'text [1][2].'"""
    text = text.strip()
    closing = ""
    if text[-1:] in "\"”’)" and text[-2:-1] in ".!?":  # ends inside a quote: move the stop out
        closing, text = text[-1], text[:-2]
    text = text.rstrip(" .;:,") + closing
    if not cites:
        return text + "."
    return f"{text} {cites}."


def cite_events(events: Iterable[EventBrief], per_event: int = 2, limit: int = 8) -> str:
    """The citations of `events`: the first `per_event` of each, at most `limit` numbers."""
    numbers: list[int] = []
    for ev in events:
        for n in ev.citations[:per_event]:
            if n not in numbers:
                numbers.append(n)
    return cite(numbers[:limit])


def joined(items: Sequence[str], conj: str = "and") -> str:
    """"a", "a and b", "a, b and c"."""
    items = list(items)
    if not items:
        return ""
    if len(items) == 1:
        return items[0]
    return ", ".join(items[:-1]) + f" {conj} " + items[-1]


def capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def number_word(n: int) -> str:
    """"one" to "ten", then digits."""
    return _NUMBER_WORDS[n] if 0 <= n < len(_NUMBER_WORDS) else str(n)


def plural(n: int, word: str, plural_form: str | None = None) -> str:
    """"1 event", "2 events", "3 categories"."""
    return f"{n} {word if n == 1 else (plural_form or word + 's')}"


def folded(text: str) -> str:
    """`text` casefolded, each run of punctuation and blanks one space: the base of every text comparison."""
    return re.sub(r"[^\w]+", " ", text.casefold()).strip()


def comparison_key(text: str) -> str:
    """Article-derived text as compared for sameness: case, punctuation and [n] citations ignored."""
    return folded(clean_inline(text))


def category_label(category: str) -> str:
    """A category slug mid-sentence: "armed_conflict" -> "armed conflict"."""
    return category.replace("_", " ")


def location(ev: EventBrief) -> str:
    return clean_inline(ev.location) or "an unspecified location"


def quoted(ev: EventBrief) -> str:
    """The event's short title in quotes: “Khaan Quest 2026 opens”; for an event reported only in
    another language, what it is in English ("a Japanese-language report on armed conflict"): the
    report body stays English, the original title is in the annex; for an event translated to
    English, the title with a note: “North Korea launches …” (machine-translated from Portuguese)."""
    if not ev.in_english:
        return f"a {language_name(ev.headline_language)}-language report on {category_label(ev.category)}"
    if ev.headline_translated_from:
        return f"“{short_title(ev.headline)}” ({translation_note(ev)})"
    return f"“{short_title(ev.headline)}”"


def translation_note(ev: EventBrief) -> str:
    """"machine-translated from Portuguese" for an event whose headline and summary were translated, else ""."""
    return f"machine-translated from {language_name(ev.headline_translated_from)}" if ev.headline_translated_from else ""


def title_of(ev: EventBrief) -> str:
    """A key development's title: the short headline (a translated one with its note), or for a
    non-English event what it is in English."""
    if ev.in_english and ev.headline_translated_from:
        note = f" ({translation_note(ev)})"
        return short_title(ev.headline, min(TITLE_MAX, TITLE_MAX_CHARS - len(note))) + note
    if ev.in_english:
        return short_title(ev.headline)
    return short_title(capitalised(f"{quoted(ev)[2:]} ({location(ev)})"))


def english_summary(ev: EventBrief) -> str:
    """The event's summary when it is English, else "" (the body quotes no other language)."""
    return ev.summary if ev.in_english else ""


def in_place(ev: EventBrief) -> str:
    """" in Kyiv", " at Five Hills Training Area" (a site) for a located event; "" for a
    country-level one (no place was named)."""
    if ev.geo_precision == "country":
        return ""
    return f" {'at' if ev.geo_precision == 'site' else 'in'} {location(ev)}"


def place_date(ev: EventBrief) -> str:
    """"Place, 24 June"."""
    return f"{location(ev)}, {prose_day(ev.event_date)}"


def event_ref(ev: EventBrief) -> str:
    """“Title” (Place, 24 June): how the prose names an event; “Title” (Place, 24 June;
    machine-translated from Portuguese) for a translated one."""
    if ev.in_english and ev.headline_translated_from:
        return f"“{short_title(ev.headline)}” ({place_date(ev)}; {translation_note(ev)})"
    return f"{quoted(ev)} ({place_date(ev)})"
