"""The threat-level rule: the week's level from its events' intensities and casualties.

    score = T + 4 * H + 3 * C

    T  sum of the intensities (1-5) of the five most intense events
    H  number of events of intensity 4 or 5
    C  armed_conflict / internal_security events whose summary reports casualties
       (killed, dead, died, deaths, fatalities, casualties, wounded, injured)

    =========  ===========  =============================================
    score      level        floor
    =========  ===========  =============================================
    0 - 5      Low          (no events at all: Low)
    6 - 11     Moderate
    12 - 19    Elevated     any event of intensity 4 -> at least Elevated
    20 - 29    High         any event of intensity 5 -> at least High
    30 +       Critical
    =========  ===========  =============================================

A quiet week of routine diplomacy (five events of intensity 1-2) stays Low or Moderate; a week
with several notable cyber intrusions and exercises (3, 3, 3, 2, 2) reaches Elevated; one
deadly clash (intensity 4, casualties) is Elevated by the floor; war-like weeks with several
intensity-5 events with casualties reach Critical. The reason string names every figure.

The offline writer's level is this rule's; an LLM may move it one step (llm/validate.py).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from watchfloor.report.model import THREAT_LEVELS, EventBrief
from watchfloor.report.wording import plural

CASUALTY_CATEGORIES = ("armed_conflict", "internal_security")
_CASUALTIES = re.compile(
    r"\b(killed|kills|dead|died|deaths?|fatalit(?:y|ies)|casualt(?:y|ies)|wounded|injured)\b", re.I
)
_LEVEL_FLOORS = ((5, "High"), (4, "Elevated"))
_LEVEL_BANDS = ((30, "Critical"), (20, "High"), (12, "Elevated"), (6, "Moderate"), (0, "Low"))
_BAND_TEXT = {"Low": "0-5", "Moderate": "6-11", "Elevated": "12-19", "High": "20-29", "Critical": "30 or more"}


@dataclass(frozen=True)
class ThreatScore:
    level: str
    score: int
    top_sum: int
    top: list[int]
    n_high: int
    n_casualty: int
    floor: str | None


def threat_score(events: Sequence[EventBrief]) -> ThreatScore:
    """The figures of the rule (module docstring)."""
    top = sorted((e.intensity for e in events), reverse=True)[:5]
    n_high = sum(1 for e in events if e.intensity >= 4)
    n_casualty = sum(1 for e in events if e.category in CASUALTY_CATEGORIES and _CASUALTIES.search(e.summary or ""))
    score = sum(top) + 4 * n_high + 3 * n_casualty
    level = next(name for threshold, name in _LEVEL_BANDS if score >= threshold)
    floor = None
    peak = max(top, default=0)
    for intensity, floor_level in _LEVEL_FLOORS:
        if peak >= intensity and THREAT_LEVELS.index(level) < THREAT_LEVELS.index(floor_level):
            level, floor = floor_level, floor_level
            break
    return ThreatScore(level, score, sum(top), top, n_high, n_casualty, floor)


def rule_threat_level(events: Sequence[EventBrief]) -> tuple[str, str]:
    """(level, reason): the rule of the module docstring, the reason naming every figure."""
    if not events:
        return "Low", "Rule score 0: no security-relevant events were found this week, which is Low."
    s = threat_score(events)
    reason = (
        f"Rule score {s.score} = top-{len(s.top)} intensity sum {s.top_sum} "
        f"({'+'.join(map(str, s.top))}) + 4 x {s.n_high} events of intensity 4-5 "
        f"+ 3 x {s.n_casualty} armed-conflict/internal-security events reporting casualties"
    )
    if s.floor:
        reason += f"; raised to {s.floor} because an event of intensity {max(s.top)} was reported"
    else:
        reason += f"; {_BAND_TEXT[s.level]} is {s.level}"
    return s.level, reason + f" ({plural(len(events), 'event')} this week)."
