"""The intensity of an event, 1 to 5, from the title and lead of its articles.

intensity = clamp(base + casualties + violence - cooperative + corroboration, 1, 5)

| term          | rule                                                                       |
|---------------|----------------------------------------------------------------------------|
| base          | armed_conflict 3; military_activity, border_security, internal_security,   |
|               | cybersecurity, economic_security, humanitarian 2; defense_policy, diplomacy 1|
| casualties    | +2 when 10 or more people are reported killed/dead, +1 for any deaths       |
| violence      | +1 for attack, strike, explosion, blast, bombing, shelling, shot down,      |
|               | wounded, injured, stabbed, clashes (not in exercises: "simulated attacks") |
| cooperative   | -1 when the happening is an agreement, MoU, talks, visit or cooperation,   |
|               | there is no casualty or violence word and the base is 2 or more (an MoU on |
|               | network security is 1)                                                     |
| corroboration | +1 when 3 or more distinct newsrooms (publishers) report it                |

Terms are read from the title and lead of every article of the event.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from watchfloor.events.candidate import Candidate
from watchfloor.events.phrases import (
    COOPERATIVE, CYBER_HOSTILE, DEATHS, MANY_DEATHS, NEGATION, NUMBER_WORDS, SIMULATED, VIOLENCE,
)  # fmt: skip

BASE_INTENSITY = {
    "armed_conflict": 3,
    "military_activity": 2,
    "border_security": 2,
    "internal_security": 2,
    "cybersecurity": 2,
    "economic_security": 2,
    "humanitarian": 2,
    "defense_policy": 1,
    "diplomacy": 1,
}
CORROBORATION_SOURCES = 3


def intensity(category: str, group: Iterable[Candidate], source_count: int) -> int:
    """The intensity rule of the module docstring."""
    group = list(group)
    casualties = max(c.casualties for c in group)
    violence = any(c.violence for c in group)
    base = BASE_INTENSITY[category]
    cooperative = base >= 2 and any(c.cooperative for c in group) and not casualties and not violence
    value = base + casualties + int(violence) - int(cooperative)
    value += int(source_count >= CORROBORATION_SOURCES)
    return max(1, min(5, value))


def intensity_terms(category: str, text: str) -> tuple[int, bool, bool]:
    """The casualties (0, 1 or 2), violence and cooperative terms one article's title and lead give."""
    casualties = _casualties(text)
    violence = _affirmed(VIOLENCE, text) and not (
        category == "military_activity" or SIMULATED.search(text) and category not in ("armed_conflict",)
    )
    if category == "cybersecurity":
        violence = bool(CYBER_HOSTILE.search(text))
    cooperative = bool(COOPERATIVE.search(text))
    return casualties, violence, cooperative


def _affirmed(pattern: re.Pattern, text: str) -> bool:
    """Whether `pattern` occurs other than negated ("No one was injured", "no deaths")."""
    return any(not NEGATION.search(text[max(0, m.start() - 30):m.start()]) for m in pattern.finditer(text))


def _casualties(text: str) -> int:
    if not _affirmed(DEATHS, text):
        return 0
    for match in MANY_DEATHS.finditer(text):
        raw = (match.group("n") or match.group("m") or "").lower().replace(",", "")
        number = NUMBER_WORDS.get(raw) or (int(raw) if raw.isdigit() else 0)
        if number >= 10:
            return 2
    return 1
