"""The briefing index: every country's latest level, its trend, links to every report; rendered in Chromium."""

from __future__ import annotations

import os
import shutil
import subprocess
from datetime import date
from pathlib import Path

import polars as pl
import pytest

from watchfloor.core.config import REPO_ROOT
from watchfloor.core.lake import Lake
from watchfloor.core.tables import ASSESSMENTS, empty
from watchfloor.report.briefing_index import index_rows, render_index, write_briefing_index

NAMES = {"MN": "Mongolia", "KZ": "Kazakhstan", "PL": "Poland"}
SCREENSHOT = REPO_ROOT / "docs" / "briefing-index.png"


def assessments(*rows: tuple[str, date, str]) -> pl.DataFrame:
    return pl.DataFrame([{"country": c, "week": w, "threat_level": level} for c, w, level in rows])


WEEKS = assessments(("MN", date(2026, 6, 17), "Low"), ("MN", date(2026, 6, 24), "Moderate"),
                    ("KZ", date(2026, 6, 17), "Elevated"), ("KZ", date(2026, 6, 24), "Elevated"),
                    ("PL", date(2026, 6, 24), "High"))


def test_each_country_has_its_latest_level_trend_and_reports():
    rows = {r.iso2: r for r in index_rows(WEEKS, NAMES)}
    assert [r.iso2 for r in index_rows(WEEKS, NAMES)] == ["PL", "KZ", "MN"]  # highest level first
    assert (rows["MN"].level, rows["MN"].trend, rows["MN"].trend_text) == ("Moderate", "up", "up from Low")
    assert (rows["KZ"].trend, rows["PL"].trend) == ("unchanged", "new")
    html = render_index(list(rows.values()))
    assert 'href="MN/2026-06-24/report.html"' in html and 'href="MN/2026-06-17/report.html"' in html
    assert "Mongolia (MN)" in html and "latest week 2026-06-24" in html


def test_a_week_without_a_level_has_no_trend():
    rows = {r.iso2: r for r in index_rows(assessments(("MN", date(2026, 6, 17), "Elevated"),
                                                      ("MN", date(2026, 6, 24), "Insufficient reporting")), NAMES)}
    assert (rows["MN"].level, rows["MN"].trend, rows["MN"].trend_text) == (
        "Insufficient reporting", "none", "not comparable (Elevated the week before)")


def test_names_are_escaped():
    html = render_index(index_rows(assessments(("MN", date(2026, 6, 24), "Low")), {"MN": "<script>x</script>"}))
    assert "<script>x" not in html and "&lt;script&gt;" in html


def test_the_index_is_written_from_the_lakes_assessments(tmp_path: Path):
    lake = Lake(tmp_path)
    for (country, week), part in WEEKS.partition_by("country", "week", as_dict=True).items():
        row = empty("assessments").join(part, on=["country", "week"], how="right").select(list(ASSESSMENTS))
        lake.replace_week("assessments", week, row, country=country)
    write_briefing_index(lake, NAMES)
    assert "Poland (PL)" in (tmp_path / "reports" / "index.html").read_text(encoding="utf-8")


def test_the_index_renders_in_chromium(tmp_path: Path):
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        pytest.skip("no chromium binary on PATH (.ci/run installs Debian's chromium)")
    page = tmp_path / "index.html"
    page.write_text(render_index(index_rows(WEEKS, NAMES)), encoding="utf-8")
    png = tmp_path / "index.png"
    done = subprocess.run([browser, "--headless", "--no-sandbox", "--disable-gpu", f"--user-data-dir={tmp_path / 'profile'}",
                           "--window-size=1100,520", f"--screenshot={png}", "--dump-dom", page.as_uri()],
                          capture_output=True, timeout=90)
    assert done.returncode == 0, done.stderr.decode(errors="replace")[-2000:]
    assert "Kazakhstan (KZ)" in done.stdout.decode() and png.stat().st_size > 5_000
    if os.environ.get("WATCHFLOOR_UPDATE_SCREENSHOT"):  # the README shows this picture
        shutil.copy(png, SCREENSHOT)
