"""The date of a happening (event_date, date_basis), from the date expressions of its title and lead.

Date expressions in the title and lead, in reading order: "June 24", "24 June 2026", "on Tuesday",
"last Friday", "yesterday", "today", ranges ("June 20 to July 3", "from June 20", "July 6-8",
"between ... and ..."). They are resolved against published_at: a date without a year takes the
year closest to publication; a weekday is the latest such day on or before the publication day
(or the day after it when the article was published from 14:00 UTC, as Asian outlets date it); a
range gives its start, or the first day of the week when it began earlier and is still running.
Skipped: expressions after "since", "until", "by", "before"; in a clause with "will", "next",
"to be held", "scheduled"; or later than the day after publication. The first expression that is
not a reporting date ("said on Friday") wins, else the first reporting date, else the date of
published_at (date_basis "published"; otherwise "text"). Events dated outside the partition week
keep their date (a visit on June 13 reported on June 25 is dated June 13).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, datetime, timedelta

from watchfloor.text.calendar_words import MONTH, MONTHS, WEEKDAY_NAMES, WEEKDAYS

_DAY_RE = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_YEAR_RE = r"(?:,?\s+(?:20\d\d))"
_MONTH_DAY = rf"(?:{MONTH}\s+{_DAY_RE}(?!\d){_YEAR_RE}?|{_DAY_RE}\s+(?:of\s+)?{MONTH}{_YEAR_RE}?)"
_DATE_EXPRESSION = re.compile(
    rf"(?P<range>(?:from\s+|between\s+)?(?P<r1>{_MONTH_DAY})\s*(?:to|until|"
    rf"through|till|and|[-–—])\s*(?P<r2>{_MONTH_DAY}|{_DAY_RE}(?!\d)))"
    rf"|(?P<short>(?P<sm>{MONTH})\s+(?P<sd1>{_DAY_RE})\s*[-–]\s*(?P<sd2>{_DAY_RE})(?!\d))"
    rf"|(?P<short2>(?P<td1>{_DAY_RE})\s*[-–]\s*(?P<td2>{_DAY_RE})\s+(?P<tm>{MONTH}))"
    rf"|(?P<single>{_MONTH_DAY})"
    r"|(?P<weekday>(?:(?P<wmod>last|this|next|on|since|until|by|from)\s+)?"
    rf"(?P<wd>{'|'.join(WEEKDAY_NAMES)})(?:'s)?)"
    r"|(?P<relative>\b(?:yesterday|today)\b)",
    re.IGNORECASE,
)
_SKIP_BEFORE = re.compile(
    r"\b(?:since|until|till|by|before|through|ahead of|as of|starting)\s+(?:the\s+)?$", re.IGNORECASE
)
_FUTURE = re.compile(
    r"\b(?:will|would|next|to be held|to hold|is to|are to|scheduled|plans? to|planned|expected to|due to|"
    r"set to|later this|upcoming|ahead of)\b",
    re.IGNORECASE,
)
_REPORTING = re.compile(
    r"\b(?:said|says|told|announced|reported|added|stated|confirmed|"
    r"according to|statement|published|wrote)\b[^.;]{0,40}$",
    re.IGNORECASE,
)


def event_date(texts: Iterable[str], published: datetime, week: date) -> tuple[date, str]:
    """The date of the happening from its text (first usable expression), else the publication date."""
    reporting: date | None = None
    for text in texts:
        for found, is_reporting in _dates_in(text, published, week):
            if not is_reporting:
                return found, "text"
            if reporting is None:
                reporting = found
    if reporting is not None:
        return reporting, "text"
    return published.date(), "published"


def _dates_in(text: str, published: datetime, week: date) -> Iterable[tuple[date, bool]]:
    for match in _DATE_EXPRESSION.finditer(text):
        before = text[max(0, match.start() - 80):match.start()]
        clause = re.split(r"[.;:!?]", before)[-1]
        if _SKIP_BEFORE.search(before) or _FUTURE.search(clause):
            continue
        wmod = (match.group("wmod") or "").lower()
        if wmod in ("next", "since", "until", "by", "this"):
            continue
        resolved = _resolve_date(match, published, week)
        if resolved is None:
            continue
        if resolved > published.date() + timedelta(days=1) or resolved < published.date() - timedelta(days=90):
            continue
        yield resolved, bool(_REPORTING.search(before))


def _resolve_date(match: re.Match, published: datetime, week: date) -> date | None:
    day0 = published.date()
    if match.group("range"):
        start = _month_day(match.group("r1"), day0)
        end_text = match.group("r2")
        end = _month_day(end_text, day0) if _has_month(end_text) else _with_day(start, end_text)
        return _range_start(start, end, week)
    if match.group("short"):
        start = _month_day(f"{match.group('sm')} {match.group('sd1')}", day0)
        end = _with_day(start, match.group("sd2"))
        return _range_start(start, end, week)
    if match.group("short2"):
        start = _month_day(f"{match.group('td1')} {match.group('tm')}", day0)
        end = _with_day(start, match.group("td2"))
        return _range_start(start, end, week)
    if match.group("single"):
        return _month_day(match.group("single"), day0)
    if match.group("weekday"):
        target = WEEKDAYS[match.group("wd").lower()]
        modifier = (match.group("wmod") or "").lower()
        if modifier == "last":
            delta = (day0.weekday() - target) % 7 or 7
            return day0 - timedelta(days=delta)
        if published.hour >= 14 and (day0 + timedelta(days=1)).weekday() == target:
            return day0 + timedelta(days=1)
        return day0 - timedelta(days=(day0.weekday() - target) % 7)
    if match.group("relative"):
        return day0 - timedelta(days=1) if match.group("relative").lower() == "yesterday" else day0
    return None


def _range_start(start: date | None, end: date | None, week: date) -> date | None:
    """A range gives its start; when it began before the week and is still running in it, the
    week's first day."""
    if start is None:
        return None
    if end is not None and end < start:
        end = None
    if start < week and end is not None and end >= week:
        return week
    return start


def _has_month(text: str) -> bool:
    return bool(re.search(MONTH, text, re.IGNORECASE))


def _month_day(text: str, near: date) -> date | None:
    words = re.findall(r"[A-Za-z]+|\d+", text)
    month = day = year = None
    for word in words:
        lower = word.lower()
        if lower in MONTHS and month is None:
            month = MONTHS[lower]
        elif word.isdigit():
            number = int(word)
            if number >= 2000:
                year = number
            elif day is None:
                day = number
    if month is None or day is None:
        return None
    years = [year] if year else [near.year - 1, near.year, near.year + 1]
    options = []
    for candidate_year in years:
        try:
            options.append(date(candidate_year, month, day))
        except ValueError:
            continue
    if not options:
        return None
    return min(options, key=lambda d: abs((d - near).days))


def _with_day(start: date | None, day_text: str) -> date | None:
    if start is None:
        return None
    digits = re.match(r"\d+", day_text.strip())
    if not digits:
        return None
    try:
        return start.replace(day=int(digits.group()))
    except ValueError:
        return None

