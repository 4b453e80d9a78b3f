"""The map's frame: which stretch of the world the picture shows, and the borders that fall in it.

The frame is the shortest longitude arc holding every hotspot and the monitored country's core (its
main landmass and what lies near it, not far-off overseas territories), plus margins, widened to
the picture's aspect and kept between 85 S and 85 N. The arc may cross the antimeridian: borders
are then drawn again 360 degrees east or west.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from matplotlib.path import Path as MplPath

from watchfloor.report.maps.basemap import Country, Ring, inverse_mercator, mercator
from watchfloor.report.maps.page import Box
from watchfloor.report.model import Hotspot

LAT_MIN, LAT_MAX = -85.0, 85.0  # the frame never goes past these (Mercator blows up at the poles)
PLOT_LAT = 83.0  # hotspots nearer the poles are drawn at this latitude, so they stay inside the frame
MIN_SPAN_LON = 8.0  # degrees: even a city-state is shown with its surroundings


@dataclass(frozen=True)
class Spot:
    label: str
    lat: float
    lng: float
    intensity: int


def spots_to_draw(hotspots: Sequence[Hotspot]) -> list[Spot]:
    """The hotspots as drawn: finite coordinates only (the model rejects others), polar ones pulled in."""
    out = []
    for h in hotspots:
        lat, lng = float(h.lat), float(h.lng)
        if not (math.isfinite(lat) and math.isfinite(lng)):
            continue
        intensity = min(5, max(1, int(h.intensity)))
        lng = (lng + 180.0) % 360.0 - 180.0 if not -180.0 <= lng <= 180.0 else lng
        out.append(Spot(str(h.label), min(max(lat, -PLOT_LAT), PLOT_LAT), lng, intensity))
    return out


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
class Frame:
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


def fit_frame(points: Sequence[tuple[float, float]], core: Sequence[Ring], aspect: float, top: float = 0.0) -> Frame:
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
    h = max(h, h_need)  # pole to pole: a narrower map (see Canvas) rather than hotspots cut off
    cx, cy = (west + east) / 2, (y0 + y1) / 2
    if w >= 360.0 and -180.0 <= west and east <= 180.0:
        cx = 0.0
    y0 = min(max(cy - h / 2, y_lo), y_hi - h)
    x0 = cx - w / 2
    x0 -= 360.0 * math.floor((x0 + 180.0) / 360.0)  # west edge back into [-180, 180)
    return Frame(x0, x0 + w, y0, y0 + h)


def _ring_part(ring: Ring, offset: float, frame: Frame, tol: float) -> tuple[np.ndarray, np.ndarray] | None:
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


def country_paths(country: Country, frame: Frame, tol: float) -> tuple[MplPath, MplPath] | None:
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
