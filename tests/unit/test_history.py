"""The country's last 12 weeks: the baseline and coverage rules, the lake read and the chart."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import polars as pl
import pytest
from PIL import Image

from watchfloor.core.lake import Lake
from watchfloor.core.tables import ASSESSMENTS, EVENTS
from watchfloor.report.dates import chart_date as week_label
from watchfloor.report.maps.history_chart import HEIGHT_PX, WIDTH_PX, render_history
from watchfloor.report.rules.history import (
    HISTORY_WEEKS,
    History,
    WeekRecord,
    baseline,
    baseline_sentence,
    blank_week,
    coverage_sentence,
    history_weeks,
    read_history,
)

WEEK = date(2026, 6, 24)
WEEKS = history_weeks(WEEK)


def record(week: date, counts: dict[str, int] | None = None, publishers: int = 0, languages: tuple[str, ...] = (),
           level: str | None = "Low") -> WeekRecord:
    counts = counts or {}
    return WeekRecord(week, counts, sum(counts.values()), frozenset(f"Paper {i}" for i in range(publishers)),
                      frozenset(languages), level)


def history(earlier: list[WeekRecord | None], current: WeekRecord) -> History:
    """The 11 earlier weeks (None: not covered) and this week."""
    assert len(earlier) == HISTORY_WEEKS - 1
    return History("MN", WEEK, [r or blank_week(w) for r, w in zip(earlier, WEEKS)] + [current])


def events_history(counts: list[int | None], now: int) -> History:
    return history([None if n is None else record(w, {"diplomacy": n}) for n, w in zip(counts, WEEKS)],
                   record(WEEK, {"diplomacy": now}, level=None))


def test_the_weeks_are_the_twelve_ending_with_this_one():
    assert WEEKS[-1] == WEEK and WEEKS[0] == WEEK - timedelta(days=77) and len(WEEKS) == 12
    with pytest.raises(ValueError):
        History("MN", WEEK, [blank_week(w) for w in WEEKS[1:]])
    assert week_label(date(2026, 6, 24)) == "Jun 24" and week_label(date(2026, 7, 1)) == "Jul 1"


def test_too_little_history_for_a_baseline():
    h = events_history([None] * 8 + [3, 4, 5], 9)
    assert baseline(h) is None
    assert baseline_sentence(h) == (
        "This week's 9 events cannot yet be set against a baseline: only 3 earlier weeks of the last 11 "
        "were reported, and a baseline needs at least 4.")


def test_a_week_within_the_usual_range():
    h = events_history([None, None, None, 3, 9, 5, 6, 7, 8, 4, 8], 7)
    assert baseline_sentence(h) == (
        "This week's 7 events compare with a baseline of 6.2 a week (range 3-9, typical variation 2.5) over "
        "the 8 earlier weeks reported: within the country's usual range.")


def test_a_week_well_above_and_one_only_above():
    counts = [None, None, None, 3, 9, 5, 6, 7, 8, 4, 8]
    assert baseline_sentence(events_history(counts, 14)).endswith(
        "over the 8 earlier weeks reported: well above the country's usual level.")
    assert baseline_sentence(events_history(counts, 10)).endswith(": above the country's usual range.")  # < 6.25 + 5
    assert baseline_sentence(events_history(counts, 2)).endswith(": below the country's usual range.")
    assert baseline(events_history([20] * 11, 5)).wording == "well below the country's usual level"


def test_weeks_not_covered_are_not_quiet_weeks_but_assessed_quiet_weeks_are():
    uncovered = events_history([None] * 6 + [5] * 5, 5)
    b = baseline(uncovered)
    assert (b.n_weeks, b.mean, b.low, b.high) == (5, 5.0, 5, 5)
    assert b.wording == "within the country's usual range"
    # the same weeks assessed but without events: quiet weeks, which count
    quiet = history([record(w) for w in WEEKS[:6]] + [record(w, {"diplomacy": 5}) for w in WEEKS[6:11]],
                    record(WEEK, {"diplomacy": 6}))
    assert baseline(quiet).n_weeks == 11 and baseline(quiet).wording == "above the country's usual range"
    # with no assessments at all, the weeks with events are the covered ones
    unassessed = history([None] * 5 + [record(w, {"cybersecurity": 2}, level=None) for w in WEEKS[5:11]],
                         record(WEEK, {"cybersecurity": 2}, level=None))
    assert [r.week for r in unassessed.reported_weeks] == WEEKS[5:11]


def test_a_notable_category_change_is_named():
    earlier = [record(w, {"diplomacy": 4, "armed_conflict": 1 if i % 2 else 0}) for i, w in enumerate(WEEKS[:11])]
    h = history(earlier, record(WEEK, {"diplomacy": 4, "armed_conflict": 6}))
    assert baseline_sentence(h).endswith(
        "The largest change is a rise in Armed Conflict and Terrorism: 6 events this week against 0.5 a week before.")
    steady = history(earlier, record(WEEK, {"diplomacy": 5, "armed_conflict": 1}))
    assert "largest change" not in baseline_sentence(steady)


def coverage_history(now_publishers: int, now_languages: tuple[str, ...]) -> History:
    earlier = [None, None, None] + [
        record(w, {"diplomacy": 5}, publishers=6, languages=("en", "ja", "ru") if i % 4 else ("en", "ja", "ru", "ko"))
        for i, w in enumerate(WEEKS[3:11])
    ]
    return history(earlier, record(WEEK, {"diplomacy": 2}, publishers=now_publishers, languages=now_languages))


def test_coverage_warning_when_publishers_and_regular_languages_fall_away():
    text, warning = coverage_sentence(coverage_history(2, ("en",)), "Mongolia")
    assert warning
    assert text == (
        "Coverage warning: 2 publishers and 1 language (English) reported on Mongolia this week, against a usual "
        "6 publishers and 3 languages (medians over the 8 earlier weeks reported); that is fewer than half the "
        "usual publishers; Japanese and Russian reporting, present in at least half of those weeks, is absent. "
        "A quiet week may be a blind week.")


def test_coverage_warning_for_a_missing_regular_language_alone():
    text, warning = coverage_sentence(coverage_history(6, ("en", "ja")), "Mongolia")
    assert warning and "fewer than half" not in text
    assert "; Russian reporting, present in at least half of those weeks, is absent." in text
    assert "Korean" not in text  # in 2 of the 8 weeks: not a regular language


def test_no_warning_when_coverage_is_steady():
    text, warning = coverage_sentence(coverage_history(4, ("en", "ja", "ru")), "Mongolia")
    assert not warning
    assert text == (
        "Coverage: 4 publishers and 3 languages (English, Japanese and Russian) reported on Mongolia this week, "
        "against a usual 6 publishers and 3 languages (medians over the 8 earlier weeks reported).")


def test_coverage_with_too_little_history_still_states_this_week():
    h = events_history([None] * 9 + [3, 4], 3)
    text, warning = coverage_sentence(h)
    assert not warning
    assert text.startswith("Coverage: 0 publishers and 0 languages reported on the country this week; "
                           "with only 2 earlier weeks of the last 11 reported, coverage cannot be compared")


# -- the lake --------------------------------------------------------------------------------------


def event_rows(week: date, rows: list[tuple[str, list[str], list[str]]]) -> pl.DataFrame:
    base = {name: None for name in EVENTS}
    return pl.DataFrame([{**base, "event_id": f"{week}-{i}", "week": week, "country": "MN", "category": c,
                          "publishers": p, "languages": lang, "intensity": 2}
                         for i, (c, p, lang) in enumerate(rows)], schema=EVENTS)


def assessment_row(week: date, level: str) -> pl.DataFrame:
    base = {name: None for name in ASSESSMENTS}
    row = {**base, "week": week, "country": "MN", "threat_level": level, "n_events": 1}
    return pl.DataFrame([row], schema=ASSESSMENTS)


def test_read_history_from_the_lake(tmp_path: Path):
    lake = Lake(tmp_path)
    lake.replace_week("events", WEEKS[9], event_rows(WEEKS[9], [
        ("diplomacy", ["Montsame", "Xinhua"], ["en", "mn"]), ("diplomacy", ["Montsame"], ["mn", "und"]),
        ("cybersecurity", ["Kyodo"], ["ja"])]), country="MN")
    lake.replace_week("events", WEEK, event_rows(WEEK, [("armed_conflict", ["Reuters"], ["en"])]), country="MN")
    lake.replace_week("events", WEEK, event_rows(WEEK, [("diplomacy", ["Other"], ["fr"])]).with_columns(
        country=pl.lit("KZ")), country="KZ")
    lake.replace_week("assessments", WEEKS[2], assessment_row(WEEKS[2], "Moderate"), country="MN")
    lake.replace_week("assessments", WEEKS[9], assessment_row(WEEKS[9], "Insufficient reporting"), country="MN")
    lake.replace_week("assessments", WEEK, assessment_row(WEEK, "Low"), country="MN")
    before = WEEKS[0] - timedelta(days=7)
    lake.replace_week("assessments", before, assessment_row(before, "High"), country="MN")

    h = read_history(lake, "MN", WEEK)
    assert [r.week for r in h.records] == WEEKS
    nine = h.records[9]
    assert nine.events_by_category == {"diplomacy": 2, "cybersecurity": 1} and nine.n_events == 3
    assert nine.publishers == {"Montsame", "Xinhua", "Kyodo"} and nine.languages == {"en", "mn", "ja"}
    assert nine.threat_level == "Insufficient reporting"
    assert h.current.events_by_category == {"armed_conflict": 1} and h.current.publishers == {"Reuters"}
    assert [r.threat_level for r in h.records] == [None, None, "Moderate"] + [None] * 6 + [
        "Insufficient reporting", None, "Low"]
    assert [r.week for r in h.reported_weeks] == [WEEKS[2], WEEKS[9]]
    assert h.records[0] == blank_week(WEEKS[0])
    assert read_history(lake, "MN", WEEK, current_level="Elevated").current.threat_level == "Elevated"
    assert read_history(lake, "PL", WEEK).records == [blank_week(w) for w in WEEKS]


# -- the chart -------------------------------------------------------------------------------------


def chart_history() -> History:
    levels = ["Low", "Moderate", None, "Moderate", "Elevated", "Insufficient reporting", "Moderate", "Low",
              "Moderate", "Elevated", "High"]
    earlier = [record(w, {"diplomacy": 2 + i % 3, "armed_conflict": i % 2, "military_activity": 1}, publishers=4,
                      languages=("en",), level=level) for i, (w, level) in enumerate(zip(WEEKS, levels))]
    return history(earlier, record(WEEK, {"armed_conflict": 5, "diplomacy": 2}, level="Elevated"))


def test_render_history_writes_the_same_png_every_time(tmp_path: Path):
    first = render_history(chart_history(), "Mongolia", tmp_path / "a" / "history.png")
    second = render_history(chart_history(), "Mongolia", tmp_path / "b" / "history.png")
    assert first == tmp_path / "a" / "history.png"
    with Image.open(first) as image:
        assert image.format == "PNG" and image.size == (WIDTH_PX, HEIGHT_PX) == (900, 420)
    assert first.read_bytes() == second.read_bytes()
    assert b"Software" not in first.read_bytes() and b"matplotlib" not in first.read_bytes()
    empty = render_history(History("MN", WEEK, [blank_week(w) for w in WEEKS]), "Mongolia", tmp_path / "e.png")
    assert empty.read_bytes() != first.read_bytes()
    assert not list(tmp_path.rglob(".*.tmp"))
