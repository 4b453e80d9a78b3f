"""Rendering: Markdown in the reference's order, sanitised printable HTML with the map, the JSON shape."""

from __future__ import annotations

import base64
import json
import re
import struct
import zlib
from dataclasses import replace
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import pytest

from tests.support.mongolia_week import GENERATED, offline_report
from watchfloor.report.document import ReportDocument
from watchfloor.report.model import (
    AnnexEntry,
    Hotspot,
    KeyDevelopment,
    KeyDevelopments,
    Outlook,
    Prose,
    StructuredAssessment,
)
from watchfloor.report.offline.templates import OFFLINE_NOTICE
from watchfloor.report.render import (
    HEADINGS,
    LINK_REL,
    assessment_json,
    md_escape,
    render_html,
    render_markdown,
)


def mongolia_doc(**kw) -> ReportDocument:
    previous = StructuredAssessment(threat_level="Moderate", level_reason="x", hotspots=[])
    doc = offline_report(previous=previous, previous_event_count=7)
    return replace(doc, **kw) if kw else doc


def tiny_png(path: Path) -> Path:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    raw = b"\x00\xff\x00\x00"  # one red pixel, filter byte 0
    png = (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )
    path.write_bytes(png)
    return path


class Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_startendtag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


def parse(html: str) -> Tags:
    parser = Tags()
    parser.feed(html)
    return parser


# -- Markdown ------------------------------------------------------------------------------------


def test_markdown_follows_the_reference_order_and_headings():
    md = render_markdown(mongolia_doc())
    lines = md.splitlines()
    assert lines[0] == "# MONGOLIA SECURITY ANALYSIS REPORT"
    expected = [
        "# MONGOLIA SECURITY ANALYSIS REPORT",
        "*Automated Open Source Intelligence Assessment*",
        "Analysis Period: June 24, 2026 - July 01, 2026",
        "**Threat Level: Elevated**",
        "This report was produced using open-source intelligence analysis.",
        OFFLINE_NOTICE,
        *[f"## {h}" for h in HEADINGS[:5]],
        "**Short-term trends (1-3 months):**",
        "**Critical flashpoints and risk areas:**",
        "**Indicators to monitor:**",
        "**Strategic recommendations:**",
        *[f"## {h}" for h in HEADINGS[5:]],
        "[1] ",
    ]
    positions = [next(i for i, line in enumerate(lines) if line.startswith(marker)) for marker in expected]
    assert positions == sorted(positions), list(zip(expected, positions, strict=True))
    assert [line for line in lines if line.startswith("#")] == ["# MONGOLIA SECURITY ANALYSIS REPORT"] + [f"## {h}" for h in HEADINGS]
    assert "- Military Activities and Exercises: Khaan Quest 2026 multinational peacekeeping exercise opens at Five Hills" in lines
    assert "- Cybersecurity: China-aligned GopherWhisper group targets Mongolian government entity" in lines
    assert "up from Moderate last week" in md and "Intelligence gaps: 3 of 10 events" in md
    assert "[1] Khaan Quest 2026 multinational peacekeeping exercise opens at Five Hills - Montsame (Montsame) — Montsame, 2026-06-24, <https://news.example/a1>" in lines
    assert re.search(r"\[18\] .* <https://news\.example/a7>", md)


def test_markdown_json_block_has_the_reference_shape():
    md = render_markdown(mongolia_doc())
    block = re.search(r"^```json\n(.*?)\n```$", md, re.S | re.M)
    assert block
    data = json.loads(block.group(1))
    assert list(data) == ["threat_level", "hotspots"] and data["threat_level"] == "Elevated"
    assert all(list(h) == ["label", "detail", "lat", "lng", "intensity"] for h in data["hotspots"])
    assert data["hotspots"][0]["label"] in {"Ulaanbaatar", "Five Hills Training Area"}


def test_markdown_of_a_model_written_report_and_a_tuesday_week_end():
    doc = mongolia_doc(generated_by="gpt-4o-mini", week_end=date(2026, 6, 30))
    doc.key_developments = KeyDevelopments(
        items=[KeyDevelopment(category="diplomacy", title="Talks", text="Talks were held [1].", source_count=2, event_ids=["x"])]
    )
    md = render_markdown(doc)
    assert OFFLINE_NOTICE not in md and "AI-Assisted Open Source Intelligence Assessment" in md
    assert "gpt-4o-mini" in md and "Analysis Period: June 24, 2026 - July 01, 2026" in md
    assert "  Talks were held [1]. (2 independent sources)" in md


def test_markdown_escapes_article_text():
    assert md_escape("<script>x</script>") == r"\<script\>x\</script\>"
    assert md_escape("[a](javascript:alert(1))", citations=True) == r"\[a\](javascript:alert(1))"
    assert md_escape("see [3] and [4](javascript:x) and [5]: y", citations=True) == r"see [3] and \[4\](javascript:x) and \[5\]: y"
    assert md_escape("# title", line_start=True) == r"\# title" and md_escape("1. one", line_start=True) == r"1\. one"
    assert md_escape("a *b* _c_ `d` &amp; e\nf") == r"a \*b\* \_c\_ \`d\` \&amp; e f"


# -- HTML ----------------------------------------------------------------------------------------

XSS = {
    "script": "<script>alert('x')</script>",
    "img": '<img src=x onerror="alert(1)">',
    "link": "[click](javascript:alert(2))",
    "anchor": '<a href="javascript:alert(3)">go</a>',
}


def hostile_doc() -> ReportDocument:
    doc = mongolia_doc()
    annex = [
        AnnexEntry(number=1, article_id="a", title=XSS["script"], source=XSS["img"], published_at=GENERATED, url="javascript:alert(8)"),
        AnnexEntry(number=2, article_id="b", title=XSS["link"], source="Ok", published_at=GENERATED, url="https://ok.example/a?b=1&c=2"),
        AnnexEntry(number=3, article_id="c", title="Data", source="Ok", published_at=GENERATED, url="data:text/html;base64,PHNjcmlwdD4="),
    ]
    kd = KeyDevelopment(
        category="cybersecurity", title=XSS["script"], text=f"Hackers wrote {XSS['img']} here [1]. See [2](javascript:alert(2)) {XSS['anchor']} [2].",
        source_count=1, event_ids=["e"],
    )
    structured = StructuredAssessment(
        threat_level="High", level_reason=f"Because {XSS['script']} [1].",
        hotspots=[Hotspot(label='<svg onload="alert(5)">', detail=f'"><script>alert(6)</script> {XSS["img"]}', lat=1, lng=2, intensity=3)],
    )
    return replace(
        doc,
        country_name="Mongolia<script>alert(0)</script>",
        executive_summary=Prose(paragraphs=[f"{XSS['anchor']} and {XSS['link']} [1]."]),
        key_developments=KeyDevelopments(items=[kd]),
        geopolitical_impact=Prose(paragraphs=[XSS["img"] + " [3]"]),
        military_analysis=Prose(paragraphs=["<iframe src='https://evil.example'></iframe> [2]"]),
        outlook=Outlook(short_term_trends=XSS["script"], critical_flashpoints=XSS["img"], indicators=XSS["link"], recommendations=XSS["anchor"]),
        structured=structured,
        annex=annex,
        notes=["# heading injection", '<b onmouseover="alert(10)">x</b>'],
    )


def test_html_neutralises_scripts_handlers_and_javascript_links(tmp_path):
    html = render_html(hostile_doc(), tiny_png(tmp_path / "map.png"))
    parsed = parse(html)
    tags = [tag for tag, _ in parsed.tags]
    assert "script" not in tags and "iframe" not in tags and "svg" not in tags
    for tag, attrs in parsed.tags:
        for name, value in attrs.items():
            assert not name.startswith("on"), (tag, name)
            assert "javascript:" not in (value or "").lower(), (tag, name, value)
        if tag == "a":
            href = attrs.get("href") or ""
            assert re.match(r"^(#src-\d+|https?://)", href) or not href, href
            assert attrs.get("rel") == LINK_REL
        if tag == "img":
            assert (attrs.get("src") or "").startswith("data:image/png;base64,")
    text = "".join(parsed.text)
    assert "<script>alert('x')</script>" in text  # still visible, as text
    assert '<img src=x onerror="alert(1)">' in text and "[click](javascript:alert(2))" in text
    assert "javascript:alert(8)" in text and "(not a web link)" in text
    assert '<svg onload="alert(5)">' in text and "# heading injection" in text
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in html or "&lt;script&gt;alert('x')&lt;/script&gt;" in html
    hrefs = [attrs.get("href") for tag, attrs in parsed.tags if tag == "a"]
    assert "https://ok.example/a?b=1&c=2" in hrefs and "#src-1" in hrefs
    assert not any(h and h.startswith("data:") for h in hrefs)  # data: only for the map image


def test_markdown_neutralises_the_same_payloads():
    md = render_markdown(hostile_doc())
    raw_tags = re.findall(r"(?<!\\)<(?!https?://)[^>]*>?", md)
    assert raw_tags == [], raw_tags  # every "<" is escaped ("\<") or opens an http(s) autolink
    assert not re.search(r"(?<!\\)\]\(", md)  # no unescaped "](": no inline link can form
    assert r"\<script\>alert('x')\</script\>" in md and r"\[click\](javascript:alert(2))" in md
    assert "- \\# heading injection" in md
    assert "[1] \\<script\\>" in md and "javascript:alert(8) (not a web link)" in md
    assert "<https://ok.example/a?b=1&c=2>" in md


def test_html_is_printable_and_embeds_the_map(tmp_path):
    doc = mongolia_doc()
    html = render_html(doc, tiny_png(tmp_path / "map.png"))
    assert html.startswith("<!DOCTYPE html>") and "@media print" in html
    png = (tmp_path / "map.png").read_bytes()
    assert f'src="data:image/png;base64,{base64.b64encode(png).decode()}"' in html
    for heading in HEADINGS:
        assert f">{heading}</h2>" in html.replace("&amp;", "&")
    assert "Khaan Quest 2026" in html and 'href="#src-1"' in html and 'id="src-18"' in html
    assert OFFLINE_NOTICE.replace("'", "&#39;") in html or OFFLINE_NOTICE in html
    no_map = render_html(doc, None)
    assert "<img" not in no_map
    (tmp_path / "fake.png").write_text("<svg onload=alert(1)>")
    assert "<img" not in render_html(doc, tmp_path / "fake.png")


# -- JSON ----------------------------------------------------------------------------------------


def test_assessment_json_shape():
    data = assessment_json(mongolia_doc())
    assert list(data)[:2] == ["threat_level", "hotspots"]
    assert data["threat_level"] == "Elevated" and data["country"] == "MN" and data["week"] == "2026-06-24"
    assert data["week_end"] == "2026-07-01" and data["generated_by"] == "offline"
    assert data["hotspots"] and all(set(h) == {"label", "detail", "lat", "lng", "intensity"} for h in data["hotspots"])
    assert json.loads(json.dumps(data)) == data


@pytest.mark.parametrize("render", [render_markdown, lambda d: render_html(d, None)])
def test_rendering_is_deterministic(render):
    assert render(mongolia_doc()) == render(mongolia_doc())


def test_markdown_renders_inert_in_a_commonmark_renderer():
    from markdown_it import MarkdownIt

    html = MarkdownIt("commonmark", {"html": True}).render(render_markdown(hostile_doc()))
    parsed = parse(html)
    tags = {tag for tag, _ in parsed.tags}
    assert tags <= {"h1", "h2", "p", "em", "strong", "ul", "li", "pre", "code", "a"}, tags
    hrefs = [attrs.get("href") for tag, attrs in parsed.tags if tag == "a"]
    assert hrefs == ["https://ok.example/a?b=1&c=2"]  # the one http(s) annex link; citations stay text
    text = "".join(parsed.text)
    assert "<script>alert('x')</script>" in text and "[click](javascript:alert(2))" in text
    assert "# heading injection" in text
