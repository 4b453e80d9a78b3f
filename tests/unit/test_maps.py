"""The hotspot map: a real PNG rendered offline over Natural Earth borders."""

from __future__ import annotations

import hashlib
import struct
import time
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from watchfloor.report.maps import MapRender, page, render_hotspot_map, render_hotspots
from watchfloor.report.maps.basemap import find_country, natural_earth_path
from watchfloor.report.maps.frame import covering_arc
from watchfloor.report.maps.labels import boxes_overlap
from watchfloor.report.maps.page import EMPTY_NOTE, HEIGHT_PX, HIGHLIGHT, LABEL_MAX_CHARS, WIDTH_PX, drawable_text
from watchfloor.report.model import Hotspot

# The reference report's hotspots (reference/mongolia-2026-06-24.txt).
REFERENCE = [
    ("Ulaanbaatar", 47.9186, 106.9176, 3),
    ("Five Hills Training Area", 47.781, 106.575, 2),
    ("Washington D.C.", 38.9072, -77.0369, 1),
    ("Brussels", 50.8503, 4.3517, 1),
    ("Ankara", 39.9334, 32.8597, 1),
    ("Bishkek", 42.8746, 74.5698, 1),
]
TITLE = "Mongolia: hotspots, week of 2026-06-24"


def hotspots(rows: list[tuple[str, float, float, int]]) -> list[Hotspot]:
    return [Hotspot(label=label, detail=f"Detail on {label}.", lat=lat, lng=lng, intensity=i) for label, lat, lng, i in rows]


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


def rgb(hex_colour: str) -> tuple[int, int, int]:
    return tuple(int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))  # type: ignore[return-value]


def pixels(path: Path) -> np.ndarray:
    with Image.open(path) as im:
        return np.asarray(im.convert("RGB"))


def colour_count(px: np.ndarray, hex_colour: str) -> int:
    return int(np.all(px == np.array(rgb(hex_colour), dtype=px.dtype), axis=-1).sum())


def assert_labels_apart(result: MapRender) -> None:
    boxes = result.label_boxes
    for i, a in enumerate(boxes):
        assert 0 <= a[0] < a[2] <= WIDTH_PX and 0 <= a[1] < a[3] <= HEIGHT_PX, a
        for b in boxes[i + 1 :]:
            assert not boxes_overlap(a, b), (a, b)


def in_frame(result: MapRender, lat: float, lng: float) -> bool:
    west, south, east, north = result.frame
    inside_lon = west <= lng <= east if west <= east else (lng >= west or lng <= east)
    return inside_lon and south <= lat <= north


@pytest.fixture(scope="module")
def reference_map(tmp_path_factory: pytest.TempPathFactory) -> tuple[MapRender, float]:
    path = tmp_path_factory.mktemp("map") / "hotspots.png"
    started = time.perf_counter()
    result = render_hotspot_map(hotspots(REFERENCE), "MN", "Mongolia", TITLE, path)
    return result, time.perf_counter() - started


def test_reference_map_is_a_png_of_the_expected_size(reference_map: tuple[MapRender, float]) -> None:
    result, seconds = reference_map
    data = result.path.read_bytes()
    assert png_size(data) == (WIDTH_PX, HEIGHT_PX)
    assert result.path.name == "hotspots.png"
    assert not list(result.path.parent.glob("*.tmp"))  # written via a temporary name, then renamed


def test_reference_map_is_not_blank_and_highlights_the_country(reference_map: tuple[MapRender, float]) -> None:
    result, _ = reference_map
    px = pixels(result.path)
    assert px.std() > 20  # land, sea, borders, text: not one flat colour
    assert len(np.unique(px.reshape(-1, 3), axis=0)) > 200
    assert result.highlighted
    assert colour_count(px, HIGHLIGHT) > 2_000  # Mongolia's fill, even at world scale
    assert colour_count(px, page.SEA) > 50_000
    for colour in {page.INTENSITY_COLOURS[i] for _, _, _, i in REFERENCE}:
        assert colour_count(px, colour) > 20  # the markers


def test_reference_map_frames_every_hotspot_and_labels_them_apart(reference_map: tuple[MapRender, float]) -> None:
    result, _ = reference_map
    assert all(in_frame(result, lat, lng) for _, lat, lng, _ in REFERENCE)
    assert not result.dropped
    # Most intense first; every label drawn as given (these are short enough not to be cut).
    assert [label.text for label in result.labels][:2] == ["Ulaanbaatar", "Five Hills Training Area"]
    assert sorted(label.text for label in result.labels) == sorted(label for label, *_ in REFERENCE)
    assert_labels_apart(result)


def test_same_input_gives_the_same_bytes(tmp_path: Path, reference_map: tuple[MapRender, float]) -> None:
    result, _ = reference_map
    again = render_hotspots(hotspots(REFERENCE), "MN", "Mongolia", TITLE, tmp_path / "again.png")
    assert again == tmp_path / "again.png"
    data = again.read_bytes()
    assert hashlib.sha256(data).hexdigest() == hashlib.sha256(result.path.read_bytes()).hexdigest()
    assert b"Software" not in data and b"matplotlib" not in data.lower()


def test_no_hotspots_shows_the_country_with_a_note(tmp_path: Path) -> None:
    result = render_hotspot_map([], "MN", "Mongolia", TITLE, tmp_path / "reports" / "MN" / "hotspots.png")
    assert png_size(result.path.read_bytes()) == (WIDTH_PX, HEIGHT_PX)
    assert result.note == EMPTY_NOTE and not result.labels
    # Framed on Mongolia (about 87.7-119.9 E, 41.6-52.1 N), with some of its surroundings.
    west, south, east, north = result.frame
    assert 75 < west < 88 and 119.9 < east < 135 and 30 < south < 41.6 and 52.1 < north < 62
    px = pixels(result.path)
    assert colour_count(px, HIGHLIGHT) > 200_000  # the country fills much of the map
    assert "MONGOLIA" in result.names


def test_labels_are_plain_text_and_cut(tmp_path: Path) -> None:
    nasty = "Budget $5bn $\\undefinedmacro{x}$ and ^_^ talks\x00\n\tin  the capital, with a very long tail of words"
    rows = [(nasty, 47.9, 106.9, 5), ("$$", 46.0, 100.0, 2)]
    title = "Costs $\\frac{1}{0}$ rise"
    result = render_hotspot_map(hotspots(rows), "MN", "Mongolia $x$", title, tmp_path / "dollar.png")
    texts = [label.text for label in result.labels]
    assert texts[1] == "$$"
    assert texts[0] == "Budget $5bn $\\undefinedmacro{x}$ and\u2026"
    assert len(texts[0]) <= LABEL_MAX_CHARS and texts[0].endswith("\u2026")
    assert "\x00" not in texts[0] and "\n" not in texts[0]
    assert_labels_apart(result)
    assert png_size(result.path.read_bytes()) == (WIDTH_PX, HEIGHT_PX)


def test_drawable_text() -> None:
    assert drawable_text(" a\u200b\x07b\n\nc ", 40) == "a b c"
    assert drawable_text("word " * 20, 20) == "word word word word\u2026"
    assert len(drawable_text("x" * 100, 40)) == 40


def test_frame_across_the_antimeridian(tmp_path: Path) -> None:
    rows = [
        ("Petropavlovsk-Kamchatsky", 53.02, 158.65, 4),
        ("Anadyr", 64.73, 177.5, 2),
        ("Nome", 64.5, -165.4, 3),
    ]
    result = render_hotspot_map(hotspots(rows), "RU", "Russia", "Russia: Pacific", tmp_path / "ru.png")
    west, south, east, north = result.frame
    assert -180 <= west <= 180 and -180 <= east <= 180 and -85 <= south < north <= 85
    assert west > east  # the frame runs across 180 degrees (Russia's core reaches it from the west)
    assert all(in_frame(result, lat, lng) for _, lat, lng, _ in rows)
    assert not result.dropped
    assert_labels_apart(result)
    assert covering_arc([(158.65, 158.65), (177.5, 177.5), (-165.4, -165.4)]) == pytest.approx((158.65, 194.6))


def test_hotspots_far_apart_and_close_together(tmp_path: Path) -> None:
    assert covering_arc([(-77.0, -77.0), (4.35, 4.35), (106.9, 106.9)]) == (-77.0, 106.9)
    rows = [("Tokyo", 35.68, 139.69, 2), ("Washington", 38.9, -77.0, 3), ("Sydney", -33.87, 151.21, 1),
            ("Sao Paulo", -23.55, -46.63, 4), ("Honolulu", 21.3, -157.85, 2), ("Brussels", 50.85, 4.35, 1)]
    result = render_hotspot_map(hotspots(rows), "JP", "Japan", "Japan", tmp_path / "jp.png")
    assert all(in_frame(result, lat, lng) for _, lat, lng, _ in rows)
    assert_labels_apart(result)


def test_crowded_labels_never_overlap(tmp_path: Path) -> None:
    cities = [("Kyiv", 50.45, 30.52), ("Kharkiv", 49.99, 36.23), ("Odesa", 46.48, 30.72), ("Dnipro", 48.46, 35.04),
              ("Donetsk", 48.0, 37.8), ("Zaporizhzhia", 47.84, 35.14), ("Mykolaiv", 46.97, 31.99),
              ("Kherson", 46.64, 32.62), ("Mariupol", 47.10, 37.55), ("Bakhmut", 48.60, 38.0),
              ("Avdiivka", 48.14, 37.74), ("Pokrovsk", 48.28, 37.18), ("Kramatorsk", 48.74, 37.58),
              ("Sloviansk", 48.85, 37.61), ("Horlivka", 48.30, 38.05), ("Makiivka", 48.04, 37.96)]
    rows = [(f"{name} front-line sector", lat, lng, 1 + k % 5) for k, (name, lat, lng) in enumerate(cities)]
    result = render_hotspot_map(hotspots(rows), "UA", "Ukraine", "Ukraine", tmp_path / "ua.png")
    assert len(result.labels) + len(result.dropped) == len(rows)
    assert len(result.labels) >= 12
    assert any(label.leader for label in result.labels)  # pushed away from its marker, with a line to it
    assert_labels_apart(result)


def test_an_unknown_country_still_gives_a_map(tmp_path: Path) -> None:
    result = render_hotspot_map(hotspots([("Somewhere", 10.0, 10.0, 2)]), "XX", "Atlantis", "?", tmp_path / "x.png")
    assert not result.highlighted and in_frame(result, 10.0, 10.0)
    assert colour_count(pixels(result.path), HIGHLIGHT) == 0


def test_the_borders_ship_inside_an_installed_package() -> None:
    path = natural_earth_path()
    assert path.is_file() and "site-packages" in path.parts
    assert find_country("FR", "France") and find_country("", "Mongolia") == find_country("MN")
