"""The briefing index for leadership: reports/index.html, every monitored country's latest level,
its trend against the week before, and links to each of its weekly reports.

Built from the lake's `assessments` rows (one per country-week) and rewritten after every report,
so it always lists what has been assessed. Levels and trends only: no article text reaches it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import jinja2
import polars as pl

from watchfloor.core.lake import Lake
from watchfloor.report.model import THREAT_LEVELS

INDEX_NAME = "index.html"
TREND_WORDS = {1: "up", -1: "down", 0: "unchanged"}
_TEMPLATE = jinja2.Environment(autoescape=True).from_string("""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Watchfloor briefing index</title>
<style>
body { font-family: system-ui, sans-serif; margin: 2rem auto; max-width: 60rem; color: #1b1f24; }
table { border-collapse: collapse; width: 100%; } th, td { padding: .45rem .6rem; border-bottom: 1px solid #d0d7de; text-align: left; }
.level { font-weight: 600; padding: .1rem .5rem; border-radius: .3rem; color: #fff; }
.Low { background: #2da44e; } .Moderate { background: #bf8700; } .Elevated { background: #d1741f; }
.High { background: #cf222e; } .Critical { background: #6e1423; }
.weeks a { margin-right: .5rem; } .trend-up { color: #cf222e; } .trend-down { color: #2da44e; }
</style></head><body>
<h1>Weekly security assessments</h1>
<p>{{ rows | length }} monitored {{ "country" if rows | length == 1 else "countries" }}; latest week {{ latest }}.
Each level is its report's, with the rule and the reason behind it in the report; the trend compares a country's latest level with its level the week before.</p>
<table><thead><tr><th>Country</th><th>Latest week</th><th>Threat level</th><th>Trend</th><th>Reports</th></tr></thead><tbody>
{% for row in rows %}<tr><td>{{ row.name }} ({{ row.iso2 }})</td><td>{{ row.week }}</td>
<td><span class="level {{ row.level }}">{{ row.level }}</span></td>
<td class="trend-{{ row.trend }}">{{ row.trend_text }}</td>
<td class="weeks">{% for week in row.weeks %}<a href="{{ row.iso2 }}/{{ week }}/report.html">{{ week }}</a>{% endfor %}</td></tr>
{% endfor %}</tbody></table>
</body></html>
""")


@dataclass(frozen=True)
class IndexRow:
    iso2: str
    name: str
    week: date
    level: str
    trend: str  # up, down, unchanged, new, none (a week without a level)
    trend_text: str
    weeks: list[date]  # newest first


def index_rows(assessments: pl.DataFrame, names: dict[str, str]) -> list[IndexRow]:
    """One row per country, the highest latest level first, then by name."""
    rows = []
    for (iso2,), frame in assessments.sort("week").partition_by("country", as_dict=True).items():
        levels = frame["threat_level"].to_list()
        weeks = frame["week"].to_list()
        if len(levels) > 1 and levels[-1] in THREAT_LEVELS and levels[-2] in THREAT_LEVELS:
            step = THREAT_LEVELS.index(levels[-1]) - THREAT_LEVELS.index(levels[-2])
            trend = TREND_WORDS[(step > 0) - (step < 0)]
            text = f"{trend} from {levels[-2]}" if step else f"unchanged ({levels[-2]} the week before)"
        elif len(levels) > 1:  # one of the two weeks had too little reporting for a level
            trend, text = "none", f"not comparable ({levels[-2]} the week before)"
        else:
            trend, text = "new", "no earlier week assessed"
        rows.append(IndexRow(iso2, names.get(iso2, iso2), weeks[-1], levels[-1], trend, text, weeks[::-1]))
    rank = {level: i for i, level in enumerate(THREAT_LEVELS)}
    return sorted(rows, key=lambda r: (-rank.get(r.level, -1), r.name))


def render_index(rows: list[IndexRow]) -> str:
    latest = max((r.week for r in rows), default=None)
    return _TEMPLATE.render(rows=rows, latest=latest or "none yet")


def write_briefing_index(lake: Lake, names: dict[str, str]) -> None:
    """Rewrite reports/index.html from every assessment in the lake."""
    weeks = [date.fromisoformat(w) for w in lake.partition_values("assessments", "week")]
    assessments = lake.read_weeks("assessments", weeks, columns=["week", "country", "threat_level"])
    lake.write_text(lake.root / "reports" / INDEX_NAME, render_index(index_rows(assessments, names)))
