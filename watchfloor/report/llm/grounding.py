"""The grounding gate on model text: a sentence the model wrote is printed only when it carries a
citation of its own to an annex entry, and what it states is found in what it cites.

Nothing is ever given a citation it did not write: an uncited sentence is withheld and counted,
never lent the events' citations. Withheld too are sentences that

- echo the prompt's furniture (``id=`` values, ``|`` field separators, data-block markers, field
  names and slugs such as ``short_term_trends`` or ``military_activity``, hexadecimal event ids,
  "Section 1:" headings);
- hold letters of another script than Latin (the body is English: "multilateral合作");
- were cut off: they end on a possessive or a word that needs another ("... support for Mongolia's [9].");
- repeat an earlier sentence of the same section;
- state a name or a number that none of the evidence they cite holds (:class:`Evidence`): a name is
  a capitalised word other than the sentence's first (so places, people, organisations,
  nationalities), a number any figure written in digits.

The evidence of annex entry n is its title, outlet and newsroom, the article's excerpt the prompt
gave, and every event citing it (headline, summary, place, partners by name, date, intensity,
source count, toll). Any sentence may also use the country's name, the week's dates, the count of
the week's events, the report's own vocabulary (category headings, threat levels, months, weekdays,
common titles of office) and the outlook's horizon ("1 to 3 months"). A name is found when an
evidence word is the same word or shares its stem (a common start of at least 4 letters, at most 3
letters short of the shorter word: "Mongolian" for "Mongolia", "Chinese" for "China").

The caller decides what too little kept text means (sections.py: the offline writer then stands in).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field

from watchfloor.core.taxonomy import CATEGORIES
from watchfloor.report.citations import citations_in
from watchfloor.report.model import THREAT_LEVELS, Briefing
from watchfloor.report.offline.partners import partner_name
from watchfloor.text.anatomy import SUMMARY_RULE, split_sentences

MIN_KEPT_SHARE = 0.5  # a text keeping less than this share of its sentences is no longer the model's text

_FURNITURE = re.compile(
    r"\bid\s*=|<<<|>>>|\||\bannex\s*\[|\b[0-9a-f]{12,}\b|\b[a-z]+_[a-z_]+\b|^\s*section\b[^.]{0,40}:"
    r"|\bintensity \d/5\b|\bsource\(s\)",
    re.IGNORECASE,
)
_OTHER_SCRIPT = re.compile(r"[^\x00-\u024F\u1E00-\u1EFF\u2000-\u206F\u20A0-\u20CF]")  # the body is English
_CITATION_MARK = re.compile(r"\[\d+\]")
# A sentence cut off where the model ran out of room: it ends on a possessive or a word that needs another.
_CUT_OFF = re.compile(r"(?:\w['’]s|\s(?:the|a|an|of|and|or|but|with|between|including|such|than|whose|its|their))\W*$")
_CITATIONS_AFTER_STOP = re.compile(r"\s*([.!?])((?:\s*\[\d+\])+)")
_WORDS = re.compile(r"[^\W\d_]+|\d+")
_NAME = re.compile(r"(?<![\w'’-])[A-Z][\w'’-]*")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_REPORT_WORDS = (
    "January February March April May June July August September October November December "
    "Monday Tuesday Wednesday Thursday Friday Saturday Sunday English Annex Outlook Executive Summary Key "
    "President Prime Minister Ministry Foreign Defence Defense Government Parliament Forces Armed Army Navy Air "
    "Force Security Council National Republic State Department Office Agency"
)
GENERIC_NAMES = frozenset(
    w.casefold() for w in (_REPORT_WORDS.split() + list(THREAT_LEVELS) + " ".join(CATEGORIES.values()).split())
)
HORIZON_NUMBERS = frozenset({"1", "3"})  # the outlook's "next 1 to 3 months"
_STEM = 4  # letters two words must share to be one name
_STEM_SLACK = 3


def _words(text: str) -> set[str]:
    """Casefolded words without their accents ("Yaşar" and "Yasar" are one name)."""
    bare = "".join(c for c in unicodedata.normalize("NFKD", text or "") if not unicodedata.combining(c))
    return {w.casefold() for w in _WORDS.findall(bare) if not w.isdigit()}


def _numbers(text: str) -> set[str]:
    return {n.replace(",", "").rstrip(".") for n in _NUMBER.findall(text or "")}


def _date_numbers(day) -> set[str]:
    return {str(day.day), str(day.year), f"{day.day:02d}"}


@dataclass(frozen=True)
class Evidence:
    """What a sentence may state: per annex number, the words and numbers of what it cites; and the
    words and numbers any sentence may use."""

    words: Mapping[int, frozenset[str]]
    numbers: Mapping[int, frozenset[str]]
    common_words: frozenset[str] = frozenset()
    common_numbers: frozenset[str] = frozenset()

    def unsupported(self, sentence: str, cited: Iterable[int]) -> list[str]:
        """The names and numbers of `sentence` that none of `cited` (nor the common vocabulary) holds."""
        cited = list(cited)
        text = _CITATION_MARK.sub(" ", sentence)
        words = self.common_words.union(*(self.words.get(n, ()) for n in cited))
        numbers = self.common_numbers.union(*(self.numbers.get(n, ()) for n in cited))
        missing = [n for n in sorted(_numbers(text)) if n not in numbers]
        first = _NAME.match(text.lstrip(" \"'“‘("))
        names = [m.group() for m in _NAME.finditer(text)]
        if first and names and names[0] == first.group():
            names = names[1:]
        for name in names:
            for part in _words(name):
                if len(part) > 1 and not _known(part, words):
                    missing.append(name)
                    break
        return missing


def _known(word: str, words: frozenset[str]) -> bool:
    if word in words or word in GENERIC_NAMES:
        return True
    if len(word) < _STEM:
        return False
    for other in words:
        if other[:_STEM] != word[:_STEM]:
            continue
        common = next((i for i, (a, b) in enumerate(zip(word, other)) if a != b), min(len(word), len(other)))
        if common >= min(len(word), len(other)) - _STEM_SLACK:
            return True
    return False


def evidence_of(briefing: Briefing) -> Evidence:
    """The evidence of every annex entry of `briefing` (module docstring)."""
    texts: dict[int, list[str]] = {}
    numbers: dict[int, set[str]] = {}
    for entry in briefing.annex:
        texts[entry.number] = [entry.title, entry.source, entry.publisher or "", briefing.excerpts.get(entry.number, "")]
        numbers[entry.number] = _date_numbers(entry.published_at)
    for event in briefing.events:
        facts = [event.headline, event.summary, event.location, *map(partner_name, event.partners), *event.sources]
        figures = _date_numbers(event.event_date) | {str(event.intensity), str(event.source_count)}
        if event.fatalities is not None:
            figures.add(str(event.fatalities))
        for number in event.citations:
            texts.setdefault(number, []).extend(facts)
            numbers.setdefault(number, set()).update(figures)
    common_numbers = (_date_numbers(briefing.week) | _date_numbers(briefing.week_end) | HORIZON_NUMBERS
                      | {str(len(briefing.events))})
    return Evidence(
        words={n: frozenset(_words(" ".join(t))) for n, t in texts.items()},
        numbers={n: frozenset(found | _numbers(" ".join(texts[n]))) for n, found in numbers.items()},
        common_words=frozenset(_words(briefing.country_name)),
        common_numbers=frozenset(common_numbers),
    )


@dataclass
class Gate:
    """One section's gate: the valid annex numbers, the evidence behind them, what it has seen, and
    what it withheld (``ungrounded``: of those, the sentences stating what their citations do not)."""

    valid: Collection[int]
    evidence: Evidence | None = None
    seen: set[str] = field(default_factory=set)
    sentences: int = 0
    withheld: int = 0
    ungrounded: int = 0

    def keep(self, text: str) -> str:
        """`text` with only its cited, furniture-free, new and grounded sentences."""
        kept = []
        for sentence in sentences(text):
            self.sentences += 1
            bare = _CITATION_MARK.sub(" ", sentence)
            key = " ".join(_WORDS.findall(bare.casefold()))
            cited = [n for n in citations_in(sentence) if n in self.valid]
            if (not cited or _FURNITURE.search(bare) or _OTHER_SCRIPT.search(bare) or _CUT_OFF.search(bare)
                    or not key or key in self.seen):
                self.withheld += 1
                continue
            if self.evidence is not None and self.evidence.unsupported(sentence, cited):
                self.withheld += 1
                self.ungrounded += 1
                continue
            self.seen.add(key)
            kept.append(sentence)
        return " ".join(kept)

    @property
    def kept(self) -> int:
        return self.sentences - self.withheld

    def too_little(self) -> bool:
        """Nothing kept, or less than MIN_KEPT_SHARE of what the model wrote."""
        return self.kept == 0 or self.kept < MIN_KEPT_SHARE * self.sentences


def sentences(text: str) -> list[str]:
    """The sentences of one paragraph, each ending with its citations ("... 2026 [3]." also for "... 2026. [3]")."""
    text = _CITATIONS_AFTER_STOP.sub(lambda m: " " + "".join(re.findall(r"\[\d+\]", m.group(2))) + m.group(1), text or "")
    return [s.strip() for s in split_sentences(" ".join(text.split()), SUMMARY_RULE) if s.strip()]
