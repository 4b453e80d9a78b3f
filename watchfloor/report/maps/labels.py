"""Label layout: hotspot labels and country names placed where they clear everything placed before.

Hotspot labels are placed greedily, most intense hotspot first, at the first candidate position
around the marker (then at growing distances, with a leader line) that stays inside the map and
clears every marker, label and leader line placed so far. A label that fits nowhere is left out
(`MapRender.dropped`); its marker is still drawn. Country names (the monitored country's in bold)
go where they fit wholly inside their country and clear the hotspots and their labels; otherwise
they are left out.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

from matplotlib import patheffects
from matplotlib.lines import Line2D
from matplotlib.path import Path as MplPath

from watchfloor.report.maps.basemap import Country, all_countries, mercator
from watchfloor.report.maps.canvas import Canvas
from watchfloor.report.maps.frame import Spot
from watchfloor.report.maps.page import (
    COUNTRY_NAME,
    DPI,
    HIGHLIGHT,
    HIGHLIGHT_EDGE,
    LABEL_MAX_CHARS,
    LAND,
    LEADER,
    TEXT,
    Box,
    Segment,
    drawable_text,
    make_font,
    marker_radius_px,
)

_LABEL_PAD = 3.0  # px kept free around every label box
_RADII = (3.0, 10.0, 20.0, 34.0, 52.0, 76.0, 106.0, 144.0, 190.0)  # px beyond the marker's rim
_DIRECTIONS = (0, 180, 45, 135, -45, -135, 90, -90, 22.5, 157.5, -22.5, -157.5, 67.5, 112.5, -67.5, -112.5)
_NAME_RANK_MAX = 6  # Natural Earth LABELRANK up to which neighbours get their names shown


def boxes_overlap(a: Box, b: Box, pad: float = 0.0) -> bool:
    return a[0] - pad < b[2] and b[0] - pad < a[2] and a[1] - pad < b[3] and b[1] - pad < a[3]


def _segment_hits_box(seg: Segment, box: Box) -> bool:
    """Liang-Barsky: does the segment pass through the box?"""
    (px, py), (qx, qy) = seg
    t0, t1 = 0.0, 1.0
    for d, lo, hi, v in ((qx - px, box[0], box[2], px), (qy - py, box[1], box[3], py)):
        if abs(d) < 1e-12:
            if v < lo or v > hi:
                return False
            continue
        ta, tb = sorted(((lo - v) / d, (hi - v) / d))
        t0, t1 = max(t0, ta), min(t1, tb)
        if t0 > t1:
            return False
    return True


@dataclass
class Obstacles:
    """What a new label must clear, in display pixels (origin bottom left)."""

    limits: Box  # the map's inner rectangle
    boxes: list[Box] = field(default_factory=list)  # labels, names, notes
    markers: list[Box] = field(default_factory=list)
    leaders: list[Segment] = field(default_factory=list)

    def free(self, box: Box, leader: Segment | None = None) -> bool:
        lx0, ly0, lx1, ly1 = self.limits
        if box[0] < lx0 or box[1] < ly0 or box[2] > lx1 or box[3] > ly1:
            return False
        if any(boxes_overlap(box, b, _LABEL_PAD) for b in self.boxes):
            return False
        if any(boxes_overlap(box, m, 1.0) for m in self.markers):
            return False
        if any(_segment_hits_box(seg, box) for seg in self.leaders):
            return False
        # A leader line may pass under other markers (they are drawn over it), never through a label.
        return leader is None or not any(_segment_hits_box(leader, b) for b in self.boxes)


def _box_at(anchor: tuple[float, float], angle: float, w: float, h: float) -> tuple[Box, str, str]:
    """The box of a w x h label set off from `anchor` in direction `angle`, and its alignment."""
    c, s = math.cos(math.radians(angle)), math.sin(math.radians(angle))
    x, y = anchor
    ha, bx = ("left", x) if c > 0.3 else ("right", x - w) if c < -0.3 else ("center", x - w / 2)
    va, by = ("bottom", y) if s > 0.3 else ("top", y - h) if s < -0.3 else ("center", y - h / 2)
    return (bx, by, bx + w, by + h), ha, va


def place_labels(
    c: Canvas, spots: Sequence[Spot], xs: Sequence[float], ys: Sequence[float], obstacles: Obstacles
) -> tuple[list[tuple[object, str, bool]], list[str]]:
    centres = [(*c.px(x, y), marker_radius_px(h.intensity)) for h, x, y in zip(spots, xs, ys)]
    obstacles.markers.extend((cx - r, cy - r, cx + r, cy + r) for cx, cy, r in centres)
    font = make_font(8.5)
    halo = [patheffects.withStroke(linewidth=2.6, foreground="white")]
    drawn: list[tuple[object, str, bool]] = []
    dropped: list[str] = []
    for i in sorted(range(len(spots)), key=lambda i: (-spots[i].intensity, i)):
        text = drawable_text(spots[i].label, LABEL_MAX_CHARS)
        if not text:
            continue
        w, h = c.text_size(text, font)
        cx, cy, r = centres[i]
        choice = None
        for k, extra in enumerate(_RADII):
            for angle in _DIRECTIONS:
                dist = r + extra
                anchor = (cx + dist * math.cos(math.radians(angle)), cy + dist * math.sin(math.radians(angle)))
                box, ha, va = _box_at(anchor, angle, w, h)
                leader = None
                if k >= 2:  # far enough from the marker to need a line to it
                    ex, ey = min(max(cx, box[0]), box[2]), min(max(cy, box[1]), box[3])
                    d = math.hypot(ex - cx, ey - cy) or 1.0
                    leader = ((cx + (ex - cx) * r / d, cy + (ey - cy) * r / d), (ex, ey))
                if obstacles.free(box, leader):
                    choice = (anchor, box, ha, va, leader)
                    break
            if choice:
                break
        if choice is None:
            dropped.append(text)
            continue
        anchor, box, ha, va, leader = choice
        obstacles.boxes.append(box)
        if leader is not None:
            obstacles.leaders.append(leader)
            (lx0, ly0), (lx1, ly1) = c.data(*leader[0]), c.data(*leader[1])
            c.ax.add_line(Line2D([lx0, lx1], [ly0, ly1], color=LEADER, lw=0.75, zorder=4, solid_capstyle="butt"))
        t = c.ax.text(*c.data(*anchor), text, fontproperties=font, color=TEXT, ha=ha, va=va, parse_math=False,
                      zorder=6, path_effects=halo, clip_on=False)
        drawn.append((t, text, leader is not None))
    return drawn, dropped


def _name_spots(c: Canvas, country: Country, path: MplPath) -> list[tuple[float, float]]:
    """Candidate centres (display px) for a country's name: its label point, then a grid over what is shown."""
    out = []
    if math.isfinite(country.label_lon) and math.isfinite(country.label_lat):
        out.append(c.px(c.centred_on_frame(country.label_lon), float(mercator(country.label_lat))))
    ext = path.get_extents()
    x0, y0 = c.px(max(ext.x0, c.frame.x0), max(ext.y0, c.frame.y0))
    x1, y1 = c.px(min(ext.x1, c.frame.x1), min(ext.y1, c.frame.y1))
    if x1 <= x0 or y1 <= y0:
        return out
    mx, my = (x0 + x1) / 2, (y0 + y1) / 2
    grid = [(x0 + (x1 - x0) * (i + 0.5) / 7, y0 + (y1 - y0) * (j + 0.5) / 5) for i in range(7) for j in range(5)]
    grid.sort(key=lambda p: (round(math.hypot(p[0] - mx, p[1] - my), 6), p))
    return out + grid


def place_names(c: Canvas, paths: dict[int, MplPath], focus_idx: Sequence[int], obstacles: Obstacles) -> list[str]:
    """Country names inside their countries, where they clear everything placed before them."""
    countries = all_countries()
    focus_font, font = make_font(8.0, bold=True), make_font(6.5)
    halo_focus = [patheffects.withStroke(linewidth=2.2, foreground=HIGHLIGHT)]
    halo = [patheffects.withStroke(linewidth=2.0, foreground=LAND)]
    order = sorted(
        (i for i in paths if i in focus_idx or countries[i].rank <= _NAME_RANK_MAX),
        key=lambda i: (i not in focus_idx, countries[i].rank, -max((r.weight for r in countries[i].rings), default=0), i),
    )
    seen: set[str] = set()
    written = []
    for i in order:
        country, is_focus = countries[i], i in focus_idx
        if is_focus and not country.sovereign_or_country and len(focus_idx) > 1:
            continue
        name = drawable_text(country.attrs["NAME"] or country.attrs["ADMIN"], 28).upper()
        if not name or name in seen:
            continue
        props = focus_font if is_focus else font
        path = paths[i]
        ext = path.get_extents()
        room = (min(ext.x1, c.frame.x1) - max(ext.x0, c.frame.x0)) * c.px_per_deg
        if room < 0.5 * len(name) * props.get_size_in_points() * DPI / 72:  # cheap: surely too narrow
            continue
        w, h = c.text_size(name, props)
        if room < w * 1.1:
            continue
        for cx, cy in _name_spots(c, country, path):
            box = (cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2)
            if not obstacles.free(box):
                continue
            probes = [(box[0] + (box[2] - box[0]) * fx, box[1] + (box[3] - box[1]) * fy)
                      for fx in (0.0, 0.5, 1.0) for fy in (0.0, 0.5, 1.0)]
            if not path.contains_points(c.to_data.transform(probes)).all():
                continue
            obstacles.boxes.append(box)
            seen.add(name)
            written.append(name)
            c.ax.text(*c.data(cx, cy), name, fontproperties=props, ha="center",
                      va="center", color=HIGHLIGHT_EDGE if is_focus else COUNTRY_NAME, zorder=3, parse_math=False,
                      path_effects=halo_focus if is_focus else halo)
            break
    return written
