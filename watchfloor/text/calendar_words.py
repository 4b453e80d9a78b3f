"""The English names of months and weekdays, as news text writes them: one list for the date
expressions of events, the datelines and photo stamps of the article anatomy, the stopwords of
content tokens and the words the place index never takes for a place ("March", "Sunday")."""

from __future__ import annotations

MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
               "October", "November", "December")  # fmt: skip
# "May" has no abbreviation; "Sept" comes before "Sep" so that a regex alternation tries it first.
MONTH_ABBREVIATIONS = ("Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sept", "Sep", "Oct", "Nov", "Dec")
WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

# Lower-case name or abbreviation -> month number (1-12); weekday -> date.weekday() (Monday 0).
_NUMBER_BY_PREFIX = {name[:3]: number for number, name in enumerate(MONTH_NAMES, start=1)}
MONTHS = {
    **{name.lower(): number for number, name in enumerate(MONTH_NAMES, start=1)},
    **{short.lower(): _NUMBER_BY_PREFIX[short[:3]] for short in MONTH_ABBREVIATIONS},
}
WEEKDAYS = {name.lower(): number for number, name in enumerate(WEEKDAY_NAMES)}

# Regex fragments. MONTH: a month name or abbreviation, with an optional period ("Aug."), full
# names first so that "24 June" is not cut to "24 Jun". MONTH_WORD: a capitalised word opening like
# a month ("Aug", "August", "Sept."), for datelines and photo stamps.
MONTH = "(?:" + "|".join(MONTH_NAMES + MONTH_ABBREVIATIONS) + r")\.?"
MONTH_WORD = "(?:" + "|".join(name[:3] for name in MONTH_NAMES) + r")[a-z]*\.?"
WEEKDAY = "(?:" + "|".join(WEEKDAY_NAMES) + ")"
