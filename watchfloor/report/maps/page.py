"""The map picture's page: its size, colours and fonts, and the text allowed on it.

Deterministic: the font files bundled with matplotlib (not the system's), fixed size and dpi. Text
drawn on the map is untrusted plain text: control characters and runs of blanks are collapsed and
it is cut to a length limit; every text is drawn with mathtext off (`$` stays a dollar sign).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from pathlib import Path

import matplotlib
from matplotlib.font_manager import FontProperties

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

Box = tuple[float, float, float, float]  # x0, y0, x1, y1
Segment = tuple[tuple[float, float], tuple[float, float]]


def drawable_text(text: object, limit: int) -> str:
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


def make_font(size: float, bold: bool = False) -> FontProperties:
    regular, bold_file = _font_files()
    return FontProperties(fname=bold_file if bold else regular, size=size)


def marker_radius_px(intensity: int) -> float:
    return (INTENSITY_DIAMETER_PT[intensity] / 2 + 0.9) * DPI / 72  # with the white rim


def save_png(fig, path: Path, dpi: int) -> None:
    """Write a figure to `path` as a PNG: the same bytes for the same figure (no software or time
    metadata), and whole (written beside it, then moved into place)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    with matplotlib.rc_context({"text.usetex": False}):
        fig.savefig(tmp, format="png", dpi=dpi, metadata={"Software": None}, facecolor="white")
    tmp.replace(path)
