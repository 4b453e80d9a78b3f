"""The citation gate on model text: a sentence the model wrote is printed only when it carries a
citation of its own to an annex entry.

Nothing is ever given a citation it did not write: an uncited sentence is withheld and counted,
never lent the events' citations. Withheld too are sentences that echo the prompt's furniture
(``id=`` values, ``|`` field separators, data-block markers, field names and slugs such as
``short_term_trends`` or ``military_activity``, hexadecimal event ids, "Section 1:" headings) and
sentences repeating an earlier one of the same section. The caller decides what too little kept
text means (sections.py: the offline writer then stands in).
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass, field

from watchfloor.report.citations import citations_in
from watchfloor.text.anatomy import SUMMARY_RULE, split_sentences

MIN_KEPT_SHARE = 0.5  # a text keeping less than this share of its sentences is no longer the model's text

_FURNITURE = re.compile(
    r"\bid\s*=|<<<|>>>|\||\bannex\s*\[|\b[0-9a-f]{12,}\b|\b[a-z]+_[a-z_]+\b|^\s*section\b[^.]{0,40}:"
    r"|\bintensity \d/5\b|\bsource\(s\)",
    re.IGNORECASE,
)
_CITATIONS_AFTER_STOP = re.compile(r"\s*([.!?])((?:\s*\[\d+\])+)")
_WORDS = re.compile(r"[^\W\d_]+|\d+")


@dataclass
class Gate:
    """One section's gate: the valid annex numbers, what it has seen, and what it withheld."""

    valid: Collection[int]
    seen: set[str] = field(default_factory=set)
    sentences: int = 0
    withheld: int = 0

    def keep(self, text: str) -> str:
        """`text` with only its cited, furniture-free, new sentences."""
        kept = []
        for sentence in sentences(text):
            self.sentences += 1
            key = " ".join(_WORDS.findall(re.sub(r"\[\d+\]", " ", sentence).casefold()))
            cited = any(n in self.valid for n in citations_in(sentence))
            if not cited or _FURNITURE.search(re.sub(r"\[\d+\]", " ", sentence)) or not key or key in self.seen:
                self.withheld += 1
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

