"""The country's last 12 weeks: this week against its own baseline, and its coverage against the usual.

The history is the 12 weeks ending with the report's week (HISTORY_WEEKS), oldest first; a week
without data is present with zero counts and no threat level. The baseline is taken over the
*reported* earlier weeks only: the 11 weeks before this one that have an assessments row (a threat
level) or at least one event. A week the platform did not cover has neither, and is not counted as a
quiet week. With fewer than MIN_BASELINE_WEEKS (4) reported earlier weeks there is no baseline.

Baseline rule (x = this week's event count; over the n reported earlier weeks: mean m, lowest lo,
highest hi, standard deviation sd (population), and the typical variation s = max(sd, sqrt(m)), at
least the chance variation of a count):

    =====================================  ========================================
    condition                              wording
    =====================================  ========================================
    x > hi  and  x >= m + 2 * s            well above the country's usual level
    x > hi                                 above the country's usual range
    lo <= x <= hi                          within the country's usual range
    x < lo                                 below the country's usual range
    x < lo  and  x <= m - 2 * s            well below the country's usual level
    =====================================  ========================================

(the "well" rows are checked first). The sentence names x, m, lo, hi, s and n. A category's change
is added when notable: the category whose count differs most from its baseline mean (ties in
taxonomy order), when the difference is at least 3 events and the count is at least double the
mean or at most half of it (not said when the history has a single category: it would repeat the
total).

Coverage rule: this week's distinct publishers and languages against the usual, the median number
over the reported earlier weeks. A *regular* language is one that reported in at least half of
those weeks. Coverage fell (a warning) when

    publishers this week < usual publishers / 2   (and the usual is at least 2), or
    a regular language is absent this week.

The sentence names both counts, this week's languages, the usual figures, the number of weeks and
the absent regular languages; a warning ends with "A quiet week may be a blind week." With too
little history it says coverage cannot be compared yet and still states this week's figures.

A threat level that is not one of THREAT_LEVELS (e.g. "Insufficient reporting") is kept as given:
it counts as an assessed week but as no level on the chart's level line.
"""

from __future__ import annotations

import math
import statistics
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from watchfloor.core.taxonomy import CATEGORIES, heading
from watchfloor.report.wording import joined, plural
from watchfloor.text.language import language_name

if TYPE_CHECKING:
    from watchfloor.core.lake import Lake

HISTORY_WEEKS = 12
MIN_BASELINE_WEEKS = 4  # reported earlier weeks needed for a baseline or a coverage comparison
NOTABLE_CATEGORY_CHANGE = 3  # events
_NOT_LANGUAGES = {"", "und"}  # undetermined is no language a reader can be told about


@dataclass(frozen=True)
class WeekRecord:
    week: date
    events_by_category: dict[str, int]
    n_events: int
    publishers: frozenset[str]
    languages: frozenset[str]  # ISO 639-1 codes
    threat_level: str | None  # None: no assessments row for the week

    @property
    def reported(self) -> bool:
        """The platform covered the week: it was assessed or has events."""
        return self.threat_level is not None or self.n_events > 0


@dataclass(frozen=True)
class History:
    country: str
    week: date
    records: list[WeekRecord]  # oldest first: exactly the HISTORY_WEEKS weeks ending with `week`

    def __post_init__(self) -> None:
        expected = history_weeks(self.week)
        if [r.week for r in self.records] != expected:
            raise ValueError(f"a History holds the {HISTORY_WEEKS} weeks {expected[0]}..{expected[-1]}, oldest first")

    @property
    def current(self) -> WeekRecord:
        return self.records[-1]

    @property
    def earlier(self) -> list[WeekRecord]:
        """The 11 weeks before this one, oldest first."""
        return self.records[:-1]

    @property
    def reported_weeks(self) -> list[WeekRecord]:
        """The earlier weeks the platform covered (assessed, or with events): the baseline's weeks."""
        return [r for r in self.earlier if r.reported]


def history_weeks(week: date) -> list[date]:
    """The HISTORY_WEEKS weeks ending with `week`, oldest first."""
    return [week - timedelta(days=7 * k) for k in range(HISTORY_WEEKS - 1, -1, -1)]


def blank_week(week: date) -> WeekRecord:
    """A week without data: no events, no publishers, no level."""
    return WeekRecord(week, {}, 0, frozenset(), frozenset(), None)


def read_history(lake: Lake, country: str, week: date, current_level: str | None = None) -> History:
    """The country's last HISTORY_WEEKS weeks from the lake's events and assessments (one read of
    each); `current_level`, when given, is this week's threat level (its assessment may not be
    written yet)."""
    weeks = history_weeks(week)
    events = lake.read_weeks("events", weeks, country, columns=["week", "category", "publishers", "languages"])
    assessments = lake.read_weeks("assessments", weeks, country, columns=["week", "threat_level"])
    counts: dict[date, dict[str, int]] = {w: {} for w in weeks}
    publishers: dict[date, set[str]] = {w: set() for w in weeks}
    languages: dict[date, set[str]] = {w: set() for w in weeks}
    for row in events.iter_rows(named=True):
        w = row["week"]
        if w not in counts:
            continue
        category = row["category"] or "unknown"
        counts[w][category] = counts[w].get(category, 0) + 1
        publishers[w].update(p for p in row["publishers"] or () if p)
        codes = (code.lower() for code in row["languages"] or () if code)
        languages[w].update(code for code in codes if code not in _NOT_LANGUAGES)
    levels: dict[date, str] = {}
    for row in assessments.sort("week").iter_rows(named=True):
        if row["threat_level"] is not None and row["week"] in counts:
            levels.setdefault(row["week"], row["threat_level"])
    if current_level is not None:
        levels[week] = current_level
    records = [
        WeekRecord(w, dict(sorted(counts[w].items(), key=lambda kv: _category_order(kv[0]))), sum(counts[w].values()),
                   frozenset(publishers[w]), frozenset(languages[w]), levels.get(w))
        for w in weeks
    ]
    return History(country, week, records)


def _category_order(category: str) -> tuple[int, str]:
    order = list(CATEGORIES)
    return (order.index(category), "") if category in order else (len(order), category)


# -- baseline --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Baseline:
    n_weeks: int
    mean: float
    low: int
    high: int
    sd: float
    variation: float  # max(sd, sqrt(mean))
    wording: str  # "well above the country's usual level", ...


def baseline(history: History) -> Baseline | None:
    """The figures of the baseline rule (module docstring); None with too little history."""
    counts = [r.n_events for r in history.reported_weeks]
    if len(counts) < MIN_BASELINE_WEEKS:
        return None
    mean = statistics.fmean(counts)
    sd = statistics.pstdev(counts)
    s = max(sd, math.sqrt(mean))
    lo, hi, x = min(counts), max(counts), history.current.n_events
    if x > hi:
        wording = "well above the country's usual level" if x >= mean + 2 * s else "above the country's usual range"
    elif x < lo:
        wording = "well below the country's usual level" if x <= mean - 2 * s else "below the country's usual range"
    else:
        wording = "within the country's usual range"
    return Baseline(len(counts), mean, lo, hi, sd, s, wording)


def baseline_sentence(history: History) -> str:
    """This week's event count against the country's own baseline, naming every figure."""
    x = history.current.n_events
    b = baseline(history)
    if b is None:
        n = len(history.reported_weeks)
        weeks = "no earlier week" if n == 0 else ("only " + plural(n, "earlier week"))
        return (f"This week's {plural(x, 'event')} cannot yet be set against a baseline: {weeks} of the last "
                f"{HISTORY_WEEKS - 1} {'was' if n <= 1 else 'were'} reported, and a baseline needs at least "
                f"{MIN_BASELINE_WEEKS}.")
    text = (f"This week's {plural(x, 'event')} compare with a baseline of {b.mean:.1f} a week "
            f"(range {b.low}-{b.high}, typical variation {b.variation:.1f}) over the "
            f"{plural(b.n_weeks, 'earlier week')} reported: {b.wording}.")
    if x == 1:
        text = text.replace(" compare ", " compares ", 1)
    change = category_change(history)
    return f"{text} {change}" if change else text


def category_change(history: History) -> str | None:
    """The notable category change against the baseline (module docstring), or None."""
    weeks = history.reported_weeks
    if len(weeks) < MIN_BASELINE_WEEKS:
        return None
    seen = {c for r in [*weeks, history.current] for c, n in r.events_by_category.items() if n > 0}
    if len(seen) < 2:  # one category's change is the week's change, already said
        return None
    best: tuple[float, str, int, float] | None = None
    for category in sorted(seen, key=_category_order):
        x = history.current.events_by_category.get(category, 0)
        mean = statistics.fmean(r.events_by_category.get(category, 0) for r in weeks)
        diff = abs(x - mean)
        if best is None or diff > best[0] + 1e-9:
            best = (diff, category, x, mean)
    if best is None:
        return None
    diff, category, x, mean = best
    if diff < NOTABLE_CATEGORY_CHANGE or not (x >= 2 * mean or x <= mean / 2):
        return None
    direction = "rise" if x > mean else "fall"
    return (f"The largest change is a {direction} in {heading(category)}: {plural(x, 'event')} this week "
            f"against {mean:.1f} a week before.")


# -- coverage --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Coverage:
    n_weeks: int
    usual_publishers: float  # medians over the reported earlier weeks
    usual_languages: float
    publishers_fell: bool
    missing_languages: list[str]  # regular languages absent this week, ISO codes in name order
    warning: bool


def coverage(history: History) -> Coverage | None:
    """The figures of the coverage rule (module docstring); None with too little history."""
    weeks = history.reported_weeks
    if len(weeks) < MIN_BASELINE_WEEKS:
        return None
    usual_pub = statistics.median(len(r.publishers) for r in weeks)
    usual_lang = statistics.median(len(r.languages) for r in weeks)
    fell = len(history.current.publishers) < usual_pub / 2 and usual_pub >= 2
    seen: dict[str, int] = {}
    for r in weeks:
        for code in r.languages:
            seen[code] = seen.get(code, 0) + 1
    regular = {code for code, k in seen.items() if 2 * k >= len(weeks)}
    missing = sorted(regular - history.current.languages, key=lambda c: (language_name(c), c))
    return Coverage(len(weeks), usual_pub, usual_lang, fell, missing, fell or bool(missing))


def _usual(value: float, word: str) -> str:
    figure = f"{value:g}"
    return f"{figure} {word if value == 1 else word + 's'}"


def _this_week(history: History, where: str) -> str:
    current = history.current
    names = sorted({language_name(c) for c in current.languages})
    langs = plural(len(names), "language") + (f" ({joined(names)})" if names else "")
    return f"{plural(len(current.publishers), 'publisher')} and {langs} reported on {where} this week"


def coverage_sentence(history: History, country_name: str | None = None) -> tuple[str, bool]:
    """(sentence, warning): this week's publishers and languages against the usual, the warning
    True when coverage fell (module docstring). `country_name` is how the sentence names the country."""
    where = country_name or "the country"
    c = coverage(history)
    if c is None:
        n = len(history.reported_weeks)
        weeks = "no earlier week" if n == 0 else ("only " + plural(n, "earlier week"))
        return (f"Coverage: {_this_week(history, where)}; with {weeks} of the last {HISTORY_WEEKS - 1} reported, "
                f"coverage cannot be compared with the usual yet (that needs at least {MIN_BASELINE_WEEKS}).", False)
    text = (f"{_this_week(history, where)}, against a usual {_usual(c.usual_publishers, 'publisher')} and "
            f"{_usual(c.usual_languages, 'language')} (medians over the {plural(c.n_weeks, 'earlier week')} reported)")
    if c.publishers_fell:
        text += "; that is fewer than half the usual publishers"
    if c.missing_languages:
        names = joined([language_name(code) for code in c.missing_languages])
        text += f"; {names} reporting, present in at least half of those weeks, is absent"
    if c.warning:
        return f"Coverage warning: {text}. A quiet week may be a blind week.", True
    return f"Coverage: {text}.", False
