"""How reports write dates, and which day a report week ends on.

Five forms, each where its readers expect it: the report's header follows the reference report
("July 01, 2026", day zero-padded); the offline writer's prose is British ("1 July 2026"); the LLM
is shown and asked to write "July 1, 2026"; the hotspot map's title reads "01 July 2026", the
history chart's weeks "Jun 24".
"""

from __future__ import annotations

from datetime import date, datetime, timedelta


def header_date(d: date) -> str:
    """The report header's form, as in the reference: "June 24, 2026", "July 01, 2026"."""
    return f"{d:%B %d, %Y}"


def prose_date(d: date) -> str:
    """The offline writer's form: "1 July 2026"."""
    return f"{d.day} {d:%B %Y}"


def prose_day(d: date) -> str:
    """The offline writer's form without the year: "1 July"."""
    return f"{d.day} {d:%B}"


def map_date(d: date) -> str:
    """The hotspot map's title: "24 June 2026", "01 July 2026" (day zero-padded)."""
    return f"{d:%d %B %Y}"


def chart_date(d: date) -> str:
    """The history chart's week labels: "Jun 24", "Jul 1"."""
    return f"{d:%b} {d.day}"


def prompt_date(d: date) -> str:
    """The form the LLM is shown and asked to write: "July 1, 2026"."""
    return f"{d:%B} {d.day}, {d.year}"


def period_end(week_start: date, week_end: date | datetime) -> date:
    """The week's end as reports show it: the next Wednesday (an inclusive Tuesday is moved on a day)."""
    end = week_end.date() if isinstance(week_end, datetime) else week_end
    if (end - week_start).days == 6:
        end += timedelta(days=1)
    return end
