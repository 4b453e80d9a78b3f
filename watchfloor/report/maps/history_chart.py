"""The country's last 12 weeks as a chart (history.png): events per category and the threat level.

Stacked bars of the week's events per category (taxonomy order, one fixed colour each, the
legend naming only the categories shown), the current week shaded, and the threat level on a
second axis as a line with markers; a week without a level is a gap in the line, and a week whose
level is none of THREAT_LEVELS (e.g. "Insufficient reporting") a hollow marker on the bottom.

matplotlib (Agg, no pyplot state), matplotlib's default style and bundled fonts, fixed size and
dpi, no Software/date metadata: the same history gives the same PNG bytes.
"""

from __future__ import annotations

import math
from pathlib import Path

import matplotlib
from matplotlib import style
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator

from watchfloor.core.taxonomy import CATEGORIES, heading
from watchfloor.report.dates import chart_date
from watchfloor.report.maps.page import MUTED, NAME_MAX_CHARS, TEXT, drawable_text, make_font, save_png
from watchfloor.report.model import THREAT_LEVELS
from watchfloor.report.rules.history import History

WIDTH_PX, HEIGHT_PX, DPI = 900, 420, 100
# The plot's rectangle in figure fractions: title above, week labels below, legend on the right.
AX_LEFT, AX_BOTTOM, AX_RIGHT, AX_TOP = 0.06, 0.12, 0.64, 0.83
LEGEND_LEFT = 0.74

CATEGORY_COLOURS = {
    "military_activity": "#4e79a7",
    "defense_policy": "#a0cbe8",
    "diplomacy": "#59a14f",
    "cybersecurity": "#b07aa1",
    "internal_security": "#f28e2b",
    "armed_conflict": "#e15759",
    "border_security": "#9c755f",
    "economic_security": "#edc948",
    "humanitarian": "#76b7b2",
}
OTHER_COLOUR = "#bab0ac"  # a category outside the taxonomy
CURRENT_SHADE = "#fdf1c7"
LEVEL_COLOUR = "#22272b"
GRID = "#e3e6e8"
_NO_LEVEL_Y = -0.55  # where a week assessed without a level is marked, below Low


def _categories(history: History) -> list[str]:
    """The categories with events in the history: taxonomy order, then any others by name."""
    present = {c for r in history.records for c, n in r.events_by_category.items() if n > 0}
    return [c for c in CATEGORIES if c in present] + sorted(present - set(CATEGORIES))


def render_history(history: History, country_name: str, path: Path) -> Path:
    """Draw the chart to `path` (PNG, WIDTH_PX x HEIGHT_PX); returns the path written."""
    path = Path(path)
    with style.context("default"), matplotlib.rc_context({"text.usetex": False}):
        save_png(_draw(history, country_name), path, DPI)
    return path


def _draw(history: History, country_name: str) -> Figure:
    fig = Figure(figsize=(WIDTH_PX / DPI, HEIGHT_PX / DPI), dpi=DPI, facecolor="white")
    FigureCanvasAgg(fig)
    ax = fig.add_axes((AX_LEFT, AX_BOTTOM, AX_RIGHT - AX_LEFT, AX_TOP - AX_BOTTOM))
    records = history.records
    xs = list(range(len(records)))
    categories = _categories(history)
    totals = [r.n_events for r in records]
    top = max(max(totals, default=0), 4)

    ax.axvspan(xs[-1] - 0.5, xs[-1] + 0.5, color=CURRENT_SHADE, zorder=0, lw=0)
    bottoms = [0] * len(records)
    for category in categories:
        heights = [r.events_by_category.get(category, 0) for r in records]
        ax.bar(xs, heights, bottom=bottoms, width=0.66, color=CATEGORY_COLOURS.get(category, OTHER_COLOUR),
               edgecolor="white", linewidth=0.5, zorder=2)
        bottoms = [b + h for b, h in zip(bottoms, heights)]
    ax.set_xlim(-0.6, len(records) - 0.4)
    ax.set_ylim(0, math.ceil(top * 1.2))  # headroom: the counts stay under the Critical line
    ax.yaxis.set_major_locator(MaxNLocator(nbins=6, integer=True))
    ax.yaxis.grid(True, color=GRID, lw=0.6, zorder=0)
    ax.set_axisbelow(True)
    ax.set_xticks(xs, [chart_date(r.week) for r in records])
    ax.set_ylabel("Events", fontproperties=make_font(8), color=TEXT)
    _style_ticks(ax)
    ax.get_xticklabels()[-1].set_fontproperties(make_font(7.5, bold=True))
    ax.get_xticklabels()[-1].set_color(TEXT)

    level_ax = ax.twinx()
    ys = [float(THREAT_LEVELS.index(r.threat_level)) if r.threat_level in THREAT_LEVELS else math.nan
          for r in records]
    level_ax.plot(xs, ys, color=LEVEL_COLOUR, lw=1.6, marker="o", markersize=5.5, markerfacecolor=LEVEL_COLOUR,
                  markeredgecolor="white", markeredgewidth=0.8, zorder=5)
    others = sorted({lv for r in records if (lv := r.threat_level) is not None and lv not in THREAT_LEVELS})
    no_level = [x for x, r in zip(xs, records) if r.threat_level in others]
    if no_level:
        level_ax.plot(no_level, [_NO_LEVEL_Y] * len(no_level), ls="none", marker="o", markersize=6,
                      markerfacecolor="white", markeredgecolor=LEVEL_COLOUR, markeredgewidth=1.3, zorder=5)
    small = make_font(7)
    for x, total in zip(xs, totals):  # on the level axes, drawn after the bars' axes: above the line
        if total:
            level_ax.text(x, total + top * 0.015, str(total), transform=ax.transData, fontproperties=small,
                          color=MUTED, ha="center", va="bottom", zorder=6, parse_math=False,
                          bbox=dict(boxstyle="square,pad=0.1", facecolor="white", edgecolor="none", alpha=0.8))
    level_ax.set_ylim(-0.8, len(THREAT_LEVELS) - 0.5)
    level_ax.set_yticks(range(len(THREAT_LEVELS)), list(THREAT_LEVELS))
    level_ax.set_ylabel("Threat level", fontproperties=make_font(8), color=TEXT)
    _style_ticks(level_ax)
    for axis in (ax, level_ax):
        axis.spines["top"].set_visible(False)
        for side in ("left", "right", "bottom"):
            axis.spines[side].set_color("#8d959c")
            axis.spines[side].set_linewidth(0.7)

    name = drawable_text(country_name, NAME_MAX_CHARS) or drawable_text(history.country, NAME_MAX_CHARS)
    fig.text(AX_LEFT, 0.945, f"{name}: last {len(records)} weeks", fontproperties=make_font(12, bold=True),
             color=TEXT, ha="left", va="center", parse_math=False)
    fig.text(AX_LEFT, 0.89, f"Events per week by category (bars) and threat level (line); "
             f"week of {chart_date(history.week)}, {history.week.year} shaded",
             fontproperties=make_font(8), color=MUTED, ha="left", va="center", parse_math=False)
    _legend(fig, categories, others)
    if not any(totals):
        ax.text(0.5, 0.55, "No events recorded in these weeks", transform=ax.transAxes, fontproperties=make_font(9),
                color=MUTED, ha="center", va="center", parse_math=False)
    return fig


def _style_ticks(ax: Axes) -> None:
    ax.tick_params(length=2.5, width=0.6, colors=MUTED, pad=2)
    font = make_font(7.5)
    for t in ax.get_xticklabels() + ax.get_yticklabels():
        t.set_fontproperties(font)
        t.set_parse_math(False)


def _legend(fig: Figure, categories: list[str], others: list[str]) -> None:
    handles: list[Line2D | Patch] = [
        Patch(facecolor=CATEGORY_COLOURS.get(c, OTHER_COLOUR), edgecolor="none",
              label=drawable_text(heading(c), 40))
        for c in reversed(categories)  # as stacked: the top of the bar first
    ]
    handles.append(Line2D([], [], color=LEVEL_COLOUR, lw=1.6, marker="o", markersize=5.5,
                          markerfacecolor=LEVEL_COLOUR, markeredgecolor="white", label="Threat level"))
    for other in others:
        handles.append(Line2D([], [], ls="none", marker="o", markersize=6, markerfacecolor="white",
                              markeredgecolor=LEVEL_COLOUR, markeredgewidth=1.3,
                              label=f"{drawable_text(other, 32)} (no level)"))
    handles.append(Patch(facecolor=CURRENT_SHADE, edgecolor="none", label="This week"))
    legend = fig.legend(handles=handles, loc="upper left", bbox_to_anchor=(LEGEND_LEFT, AX_TOP), frameon=False,
                        prop=make_font(7.5), handlelength=1.6, handletextpad=0.6, labelspacing=0.55,
                        borderaxespad=0.0, borderpad=0.0, numpoints=1)
    for t in legend.get_texts():
        t.set_parse_math(False)
        t.set_color(TEXT)
