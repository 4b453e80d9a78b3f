"""The hotspot map drawn: countries, graticule, markers, labels, header and key, saved as a PNG.

matplotlib (Agg, no pyplot state) over the base map, in the frame; labels by labels.py. No
Software/date metadata: the same input gives the same PNG bytes.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from matplotlib.collections import PathCollection
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.path import Path as MplPath

from watchfloor.report.maps.basemap import all_countries, core_rings, find_country, inverse_mercator, mercator
from watchfloor.report.maps.canvas import Canvas
from watchfloor.report.maps.frame import country_paths, fit_frame, spots_to_draw
from watchfloor.report.maps.labels import Obstacles, place_labels, place_names
from watchfloor.report.maps.page import (
    save_png,
    ATTRIBUTION,
    AX_BOTTOM,
    AX_LEFT,
    AX_RIGHT,
    AX_TOP,
    DPI,
    EMPTY_NOTE,
    FRAME_EDGE,
    GRATICULE,
    HEIGHT_PX,
    HIGHLIGHT,
    HIGHLIGHT_EDGE,
    INTENSITY_COLOURS,
    INTENSITY_DIAMETER_PT,
    INTENSITY_NAMES,
    LAND,
    LAND_EDGE,
    MUTED,
    NAME_MAX_CHARS,
    TEXT,
    TITLE_MAX_CHARS,
    WIDTH_PX,
    Box,
    drawable_text,
    make_font,
)
from watchfloor.report.model import Hotspot


@dataclass(frozen=True)
class PlacedLabel:
    text: str  # as drawn (cleaned and truncated)
    box: Box  # in PNG pixels, origin top left: x0, y0 (top), x1, y1 (bottom)
    leader: bool  # drawn away from its marker, with a leader line


@dataclass
class MapRender:
    path: Path
    frame: Box  # west, south, east, north in degrees; west > east when the frame crosses the antimeridian
    labels: list[PlacedLabel] = field(default_factory=list)  # hotspot labels, most intense first
    dropped: list[str] = field(default_factory=list)  # labels that fitted nowhere (their markers are drawn)
    names: list[str] = field(default_factory=list)  # country names written on the map
    note: str | None = None  # EMPTY_NOTE when there was no hotspot to show
    highlighted: bool = False  # whether the monitored country was found in the shapefile

    @property
    def label_boxes(self) -> list[Box]:
        return [label.box for label in self.labels]


def _nice_step(span: float) -> float:
    for step in (0.5, 1, 2, 5, 10, 15, 20, 30, 45, 60):
        if span / step <= 7:
            return float(step)
    return 90.0


def _lon_label(lon: float) -> str:
    lon = (lon + 180.0) % 360.0 - 180.0
    if abs(abs(lon) - 180.0) < 1e-9:
        return "180\u00b0"
    value = f"{abs(lon):g}\u00b0"
    return value if abs(lon) < 1e-9 else value + ("E" if lon > 0 else "W")


def _lat_label(lat: float) -> str:
    value = f"{abs(lat):g}\u00b0"
    return value if abs(lat) < 1e-9 else value + ("N" if lat > 0 else "S")


def _draw_countries(c: Canvas, focus_idx: Sequence[int]) -> dict[int, MplPath]:
    """Land and borders, the monitored country on top; returns each drawn country's area path."""
    tol = 0.5 / c.px_per_deg  # half a pixel
    drawn: dict[int, tuple[MplPath, MplPath]] = {}
    for i, country in enumerate(all_countries()):
        p = country_paths(country, c.frame, tol)
        if p is not None:
            drawn[i] = p
    for chosen, face, edge, width, z in (
        (False, LAND, LAND_EDGE, 0.45, 1.0),
        (True, HIGHLIGHT, HIGHLIGHT_EDGE, 0.9, 2.0),
    ):
        group = [p for i, p in drawn.items() if (i in focus_idx) == chosen]
        if not group:
            continue
        c.ax.add_collection(PathCollection([a for a, _ in group], facecolors=face, edgecolors="none",
                                           linewidths=0.0, zorder=z))
        c.ax.add_collection(PathCollection([b for _, b in group], facecolors="none", edgecolors=edge,
                                           linewidths=width, zorder=z + 0.1))
    return {i: area for i, (area, _) in drawn.items()}


def _draw_graticule(c: Canvas) -> None:
    f = c.frame
    lat0, lat1 = float(inverse_mercator(f.y0)), float(inverse_mercator(f.y1))
    step, lat_step = _nice_step(f.x1 - f.x0), _nice_step(lat1 - lat0)
    lons = np.arange(math.ceil(f.x0 / step) * step, f.x1 + 1e-9, step)
    lats = np.arange(math.ceil(lat0 / lat_step) * lat_step, lat1 + 1e-9, lat_step)
    for lon in lons:
        c.ax.axvline(float(lon), color=GRATICULE, lw=0.5, zorder=0.5)
    for lat in lats:
        c.ax.axhline(float(mercator(lat)), color=GRATICULE, lw=0.5, zorder=0.5)
    c.ax.set_xticks([float(v) for v in lons], [_lon_label(float(v)) for v in lons])
    c.ax.set_yticks([float(mercator(v)) for v in lats], [_lat_label(float(v)) for v in lats])
    c.ax.tick_params(length=2.5, width=0.6, colors=MUTED, pad=2)
    font = make_font(6.5)
    for t in c.ax.get_xticklabels() + c.ax.get_yticklabels():
        t.set_fontproperties(font)
        t.set_parse_math(False)


def _draw_header_and_key(c: Canvas, title: str, country_iso2: str, country_name: str, n: int, focus: bool) -> None:
    fig = c.fig
    fig.text(AX_LEFT, 0.952, drawable_text(title, TITLE_MAX_CHARS), fontproperties=make_font(12.5, bold=True),
             color=TEXT, ha="left", va="center", parse_math=False)
    name = drawable_text(country_name, NAME_MAX_CHARS)
    code = drawable_text(country_iso2, 3).upper()
    where = f"{name} ({code})" if name and code else name or code
    count = f"{n} geolocated hotspot{'s' if n != 1 else ''}" if n else "no geolocated hotspots"
    fig.text(AX_LEFT, 0.912, f"{where}  \u00b7  {count}" if where else count, fontproperties=make_font(8.5),
             color=MUTED, ha="left", va="center", parse_math=False)
    key_y = 0.034
    label = fig.text(AX_LEFT, key_y, "Intensity", fontproperties=make_font(7.5, bold=True), color=TEXT,
                     ha="left", va="center", parse_math=False)
    label_w = label.get_window_extent(c.renderer).width / WIDTH_PX
    handles: list[Line2D | Patch] = [
        Line2D([], [], ls="none", marker="o", markersize=INTENSITY_DIAMETER_PT[k],
               markerfacecolor=INTENSITY_COLOURS[k], markeredgecolor="white", markeredgewidth=0.9,
               label=INTENSITY_NAMES[k])
        for k in range(1, 6)
    ]
    if focus:
        handles.append(Patch(facecolor=HIGHLIGHT, edgecolor=HIGHLIGHT_EDGE, linewidth=0.8,
                             label=f"{name or code}: monitored country"))
    legend = fig.legend(handles=handles, loc="center left", bbox_to_anchor=(AX_LEFT + label_w + 0.004, key_y),
                        ncols=len(handles), frameon=False, prop=make_font(7.5), handletextpad=0.45,
                        columnspacing=1.5, borderaxespad=0.0, borderpad=0.0, handlelength=2.2, numpoints=1)
    for t in legend.get_texts():
        t.set_parse_math(False)
        t.set_color(TEXT)
    fig.text(AX_RIGHT, key_y, ATTRIBUTION, fontproperties=make_font(7), color=MUTED, ha="right", va="center",
             parse_math=False)


def render_hotspot_map(
    hotspots: Sequence[Hotspot], country_iso2: str, country_name: str, title: str, path: Path
) -> MapRender:
    """Draw the map to `path` (PNG, WIDTH_PX x HEIGHT_PX) and say where everything went."""
    path = Path(path)
    spots = spots_to_draw(hotspots)
    focus_idx = find_country(country_iso2, country_name)
    ax_aspect = ((AX_RIGHT - AX_LEFT) * WIDTH_PX) / ((AX_TOP - AX_BOTTOM) * HEIGHT_PX)
    frame = fit_frame([(h.lng, h.lat) for h in spots], core_rings(focus_idx), ax_aspect, top=0.0 if spots else 0.16)
    c = Canvas(frame)
    xs = [c.centred_on_frame(h.lng) for h in spots]
    ys = [float(mercator(h.lat)) for h in spots]

    paths = _draw_countries(c, focus_idx)
    focus = any(i in paths for i in focus_idx)
    _draw_graticule(c)
    for i in sorted(range(len(spots)), key=lambda i: (spots[i].intensity, -i)):  # the most intense on top
        h = spots[i]
        c.ax.scatter([xs[i]], [ys[i]], s=INTENSITY_DIAMETER_PT[h.intensity] ** 2, c=INTENSITY_COLOURS[h.intensity],
                     edgecolors="white", linewidths=0.9, zorder=5 + h.intensity / 10)
    _draw_header_and_key(c, title, country_iso2, country_name, len(spots), focus)

    obstacles = Obstacles(limits=c.limits)
    if not spots:
        note = c.ax.text(0.5, 0.9, EMPTY_NOTE, transform=c.ax.transAxes, fontproperties=make_font(11, bold=True),
                         color=TEXT, ha="center", va="center", zorder=7, parse_math=False,
                         bbox=dict(boxstyle="round,pad=0.6", facecolor="white", edgecolor=FRAME_EDGE, alpha=0.92))
        e = note.get_window_extent(c.renderer)
        pad = 0.6 * 11 * DPI / 72 + 2
        obstacles.boxes.append((e.x0 - pad, e.y0 - pad, e.x1 + pad, e.y1 + pad))
    drawn, dropped = place_labels(c, spots, xs, ys, obstacles)
    names = place_names(c, paths, focus_idx, obstacles)

    labels = []
    for t, text, leader in drawn:
        e = t.get_window_extent(c.renderer)  # type: ignore[attr-defined]
        labels.append(PlacedLabel(text, (float(e.x0), HEIGHT_PX - float(e.y1), float(e.x1), HEIGHT_PX - float(e.y0)),
                                  leader))

    save_png(c.fig, path, DPI)
    return MapRender(path=path, frame=frame.box, labels=labels, dropped=dropped, names=names, highlighted=focus,
                     note=None if spots else EMPTY_NOTE)


def render_hotspots(
    hotspots: Sequence[Hotspot], country_iso2: str, country_name: str, title: str, path: Path
) -> Path:
    """Render hotspots.png for one country and week; returns the path written."""
    return render_hotspot_map(hotspots, country_iso2, country_name, title, path).path
