"""The threat-level method, version ``METHOD`` (stored with every assessment): the week's level from
its events' intensities and casualties, and whether the week's reporting can carry a level at all.

    score = T + 4 * H + 3 * C

    T  sum of the intensities (1-5) of the five most intense events
    H  number of events of intensity 4 or 5
    C  armed_conflict / internal_security events reporting casualties: a reported toll
       (events.fatalities) or, in the English summary, killed, dead, died, deaths, fatalities,
       casualties, wounded, injured

    =========  ===========  =============================================
    score      level        floor
    =========  ===========  =============================================
    0 - 5      Low
    6 - 11     Moderate
    12 - 19    Elevated     any event of intensity 4 -> at least Elevated
    20 - 29    High         any event of intensity 5 -> at least High
    30 +       Critical
    =========  ===========  =============================================

Insufficient reporting: when the week has fewer than ``MIN_EVENTS`` events, or all of them come from
fewer than ``MIN_PUBLISHERS`` newsrooms, a Low or Moderate score is no evidence of calm: the level is
"Insufficient reporting" (the score is still shown). Thin reporting that still yields Elevated or
more keeps that level: what was reported is serious whatever else went unreported.

A quiet week of routine diplomacy (five events of intensity 1-2) stays Low or Moderate; a week
with several notable cyber intrusions and exercises (3, 3, 3, 2, 2) reaches Elevated; one
deadly clash (intensity 4, casualties) is Elevated by the floor; war-like weeks with several
intensity-5 events with casualties reach Critical. The reason names every figure, and
:func:`breakdown` gives the table the report prints: which events and terms produced the level.

The offline writer's level is this rule's; an LLM may move a level one step with a cited reason
(llm/validate.py), never an "Insufficient reporting".

Versions: 1, the score alone (no reporting test, casualties from the summary's words only);
2, insufficient reporting and reported tolls.
"""

from __future__ import annotations

import re
from textwrap import shorten
from collections.abc import Sequence
from dataclasses import dataclass, replace

from watchfloor.report.citations import cite
from watchfloor.report.model import INSUFFICIENT_REPORTING, THREAT_LEVELS, EventBrief
from watchfloor.report.wording import plural, title_of

METHOD = "watchfloor-threat-2"
MIN_EVENTS = 3
MIN_PUBLISHERS = 2
TOP_N = 5
CASUALTY_CATEGORIES = ("armed_conflict", "internal_security")
_CASUALTIES = re.compile(
    r"\b(killed|kills|dead|died|deaths?|fatalit(?:y|ies)|casualt(?:y|ies)|wounded|injured)\b", re.I
)
_LEVEL_FLOORS = ((5, "High"), (4, "Elevated"))
_LEVEL_BANDS = ((30, "Critical"), (20, "High"), (12, "Elevated"), (6, "Moderate"), (0, "Low"))
_BAND_TEXT = {"Low": "0-5", "Moderate": "6-11", "Elevated": "12-19", "High": "20-29", "Critical": "30 or more"}


@dataclass(frozen=True)
class ThreatScore:
    level: str  # one of THREAT_LEVELS, or INSUFFICIENT_REPORTING
    score: int
    scored_level: str  # the level of the score and floors alone
    top: list[EventBrief]
    high: list[EventBrief]
    casualty: list[EventBrief]
    floor: str | None
    n_events: int
    publishers: int

    @property
    def top_sum(self) -> int:
        return sum(e.intensity for e in self.top)

    @property
    def thin(self) -> bool:
        return self.n_events < MIN_EVENTS or self.publishers < MIN_PUBLISHERS


def reports_casualties(event: EventBrief) -> bool:
    return event.category in CASUALTY_CATEGORIES and (
        bool(event.fatalities) or bool(_CASUALTIES.search(event.summary or "")))


def publishers_of(events: Sequence[EventBrief]) -> set[str]:
    """The newsrooms behind the events (their outlets for rows from before newsrooms were known)."""
    return {p for e in events for p in (e.publishers or e.sources)}


def threat_score(events: Sequence[EventBrief]) -> ThreatScore:
    """The figures of the method (module docstring)."""
    ranked = sorted(events, key=lambda e: (-e.intensity, e.event_date, e.event_id))
    top = ranked[:TOP_N]
    high = [e for e in ranked if e.intensity >= 4]
    casualty = [e for e in ranked if reports_casualties(e)]
    score = sum(e.intensity for e in top) + 4 * len(high) + 3 * len(casualty)
    level = next(name for threshold, name in _LEVEL_BANDS if score >= threshold)
    floor = None
    peak = top[0].intensity if top else 0
    for intensity, floor_level in _LEVEL_FLOORS:
        if peak >= intensity and THREAT_LEVELS.index(level) < THREAT_LEVELS.index(floor_level):
            level, floor = floor_level, floor_level
            break
    s = ThreatScore(level, score, level, top, high, casualty, floor, len(events), len(publishers_of(events)))
    if s.thin and THREAT_LEVELS.index(level) < THREAT_LEVELS.index("Elevated"):
        return replace(s, level=INSUFFICIENT_REPORTING)
    return s


def reporting_text(n_events: int, publishers: int) -> str:
    return f"{plural(n_events, 'event')} from {plural(publishers, 'newsroom')}"


def rule_threat_level(events: Sequence[EventBrief]) -> tuple[str, str]:
    """(level, reason): the method of the module docstring, the reason naming every figure."""
    s = threat_score(events)
    reporting = reporting_text(len(events), s.publishers)
    if not events:
        return s.level, ("Insufficient reporting: no security-relevant event was found this week, too little to judge "
                         f"a threat level (method {METHOD}).")
    reason = (
        f"Rule score {s.score} = top-{len(s.top)} intensity sum {s.top_sum} "
        f"({'+'.join(str(e.intensity) for e in s.top)}) + 4 x {len(s.high)} events of intensity 4-5 "
        f"+ 3 x {len(s.casualty)} armed-conflict/internal-security events reporting casualties"
    )
    if s.level == INSUFFICIENT_REPORTING:
        return s.level, (f"Insufficient reporting: {reporting} this week, fewer than the {MIN_EVENTS} events from "
                         f"{MIN_PUBLISHERS} newsrooms a level needs; {reason} would read {s.scored_level}, which so "
                         f"thin a week cannot show (method {METHOD}).")
    if s.floor:
        reason += f"; raised to {s.floor} because an event of intensity {s.top[0].intensity} was reported"
    else:
        reason += f"; {_BAND_TEXT[s.level]} is {s.level}"
    if s.thin:
        reason += f"; reporting was thin ({reporting}), but what was reported suffices for {s.level}"
    return s.level, reason + f" ({reporting} this week; method {METHOD})."


@dataclass(frozen=True)
class BreakdownRow:
    term: str
    events: str  # the events' citations and intensities, or the reporting counted
    points: str


def breakdown(events: Sequence[EventBrief]) -> list[BreakdownRow]:
    """The table every report prints: each term of the method, the events behind it and its points."""
    s = threat_score(events)

    def listed(evs: Sequence[EventBrief], figure=lambda e: f"intensity {e.intensity}") -> str:
        return "; ".join(f"{cite(e.citations[:2])} {shorten(title_of(e), 80, placeholder=' …')} ({figure(e)})"
                         for e in evs) or "none"

    rows = [
        BreakdownRow(f"T: the {TOP_N} most intense events", listed(s.top),
                     f"{'+'.join(str(e.intensity) for e in s.top) or '0'} = {s.top_sum}"),
        BreakdownRow("H: events of intensity 4-5, 4 points each", listed(s.high), f"4 x {len(s.high)} = {4 * len(s.high)}"),
        BreakdownRow("C: armed-conflict/internal-security events reporting casualties, 3 points each",
                     listed(s.casualty, lambda e: f"{e.fatalities} killed" if e.fatalities else "casualties reported"),
                     f"3 x {len(s.casualty)} = {3 * len(s.casualty)}"),
        BreakdownRow("Score and band", f"{s.score}: {_BAND_TEXT[_band(s.score)]} is {_band(s.score)}", str(s.score)),
    ]
    if s.floor:
        rows.append(BreakdownRow("Floor", f"an event of intensity {s.top[0].intensity}: at least {s.floor}", s.floor))
    verdict = (f"fewer than {MIN_EVENTS} events or {MIN_PUBLISHERS} newsrooms, too thin for a level below Elevated"
               if s.thin else "sufficient")
    rows.append(BreakdownRow("Reporting", f"{reporting_text(len(events), s.publishers)}: {verdict}", s.level))
    return rows


def _band(score: int) -> str:
    return next(name for threshold, name in _LEVEL_BANDS if score >= threshold)
