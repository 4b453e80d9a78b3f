"""The report document rendered: Markdown, printable HTML (with the hotspot map) and JSON.

Every text field of the sections is plain text from the writers, partly derived from article text,
so it is untrusted. Markdown escapes what could start a link, an image, raw HTML, emphasis or a
block (only the writers' own [n] citations stay as they are, never followed by "(" or ":", so they
cannot become links). HTML is built by jinja2 with autoescape on, then passed through nh3 with an
allow-list of tags and attributes: links only to http(s) URLs and to the annex anchors, images
only as data:image/png, rel="noopener noreferrer nofollow" on every link.
"""

from __future__ import annotations

import base64
import json
import re
from pathlib import Path
from typing import Any

import jinja2
import markupsafe
import nh3

from watchfloor.core.taxonomy import heading
from watchfloor.report.document import ReportDocument
from watchfloor.report.model import AnnexEntry
from watchfloor.text.language import language_name

HEADINGS = (
    "Executive Summary",
    "Key Security Developments",
    "Geopolitical Impact and Regional Dynamics",
    "Military and Defense Analysis",
    "Outlook and Forecast",
    "Intelligence Gaps and Changes Since Last Week",
    "Structured Assessment",
    "Annex: Sources",
)
OUTLOOK_LABELS = (
    ("short_term_trends", "Short-term trends (1-3 months):"),
    ("critical_flashpoints", "Critical flashpoints and risk areas:"),
    ("indicators", "Indicators to monitor:"),
    ("recommendations", "Strategic recommendations:"),
)
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def sources_label(n: int) -> str:
    return f"({n} independent source{'s' if n != 1 else ''})"


def http_url(url: str) -> str | None:
    """The URL if it is a plain http(s) URL that is safe to link, else None."""
    url = (url or "").strip()
    if re.match(r"^https?://[^\s<>\"'`\\]+$", url, re.I) and not re.search(r"[\x00-\x1f\x7f]", url):
        return url
    return None


# -- JSON ----------------------------------------------------------------------------------------


def assessment_json(doc: ReportDocument) -> dict[str, Any]:
    """assessment.json: the reference shape (threat_level, hotspots) plus country, week and provenance."""
    return {
        "threat_level": doc.threat_level,
        "hotspots": [
            {"label": h.label, "detail": h.detail, "lat": h.lat, "lng": h.lng, "intensity": h.intensity}
            for h in doc.structured.hotspots
        ],
        "level_reason": doc.level_reason,
        "threat_method": doc.threat_method,
        "country": doc.iso2,
        "country_name": doc.country_name,
        "week": doc.week_start.isoformat(),
        "week_end": doc.period_end.isoformat(),
        "generated_by": doc.generated_by,
        "generated_at": doc.generated_at.isoformat(),
    }


def _structured_json(doc: ReportDocument) -> str:
    data = assessment_json(doc)
    text = json.dumps({"threat_level": data["threat_level"], "hotspots": data["hotspots"]}, indent=2, ensure_ascii=False)
    # Same JSON value, but no markup characters even inside the code block (as safe JSON encoders do).
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


# -- Markdown ------------------------------------------------------------------------------------

_MD_INLINE = re.compile(r"([\\`*_\[\]<>|~])")
_MD_ENTITY = re.compile(r"&(?=#?\w+;)")
_MD_LINE_START = re.compile(r"^(\s*)([#+=-]|\d+(?=[.)]))")
_MD_CITATION = re.compile(r"\\\[(\d{1,4})\\\](?![(:])")


def md_escape(text: str, citations: bool = False, line_start: bool = False) -> str:
    """Plain text as inert Markdown on one line; with `citations`, the [n] markers stay readable;
    with `line_start`, a leading "#", "-", "+", "=" or "1." cannot open a block."""
    text = re.sub(r"\s+", " ", text or "").strip()
    text = _MD_INLINE.sub(r"\\\1", text)
    text = _MD_ENTITY.sub(r"\\&", text)
    match = _MD_LINE_START.match(text) if line_start else None
    if match:
        lead = match.group(2)
        escaped = lead + "\\" if lead[0].isdigit() else "\\" + lead
        text = text[: match.start(2)] + escaped + text[match.end(2):]
    if citations:
        text = _MD_CITATION.sub(r"[\1]", text)
    return text


def _fence(text: str) -> str:
    longest = max((len(m) for m in re.findall(r"`+", text)), default=0)
    return "`" * max(3, longest + 1)


def render_markdown(doc: ReportDocument) -> str:
    out: list[str] = []

    def para(text: str) -> None:
        out.extend([md_escape(text, citations=True, line_start=True), ""])

    def section(title: str) -> None:
        out.extend([f"## {title}", ""])

    out.extend([f"# {md_escape(doc.title)}", "", f"*{doc.subtitle}*", ""])
    out.extend([f"Analysis Period: {doc.period}", ""])
    out.extend([f"**Threat Level: {md_escape(doc.threat_level)}**", ""])
    if doc.coverage_warning:
        para(doc.coverage)
    for text in doc.provenance:
        para(text)

    section(HEADINGS[0])
    for text in doc.executive_summary.paragraphs:
        para(text)

    section(HEADINGS[1])
    if not doc.key_developments.items:
        para("No key security developments were identified this week.")
    for item in doc.key_developments.items:
        out.extend([f"- {md_escape(heading(item.category))}: {md_escape(item.title)}", ""])
        text = md_escape(item.text, citations=True, line_start=True)
        out.extend([f"  {text} {sources_label(item.source_count)}", ""])

    section(HEADINGS[2])
    for text in doc.geopolitical_impact.paragraphs:
        para(text)

    section(HEADINGS[3])
    for text in doc.military_analysis.paragraphs:
        para(text)

    section(HEADINGS[4])
    for attr, label in OUTLOOK_LABELS:
        out.extend([f"**{label}** {md_escape(getattr(doc.outlook, attr), citations=True)}", ""])

    section(HEADINGS[5])
    notes = doc.shown_notes or ["No intelligence gaps or changes were recorded."]
    for note in notes:
        out.append(f"- {md_escape(note, citations=True, line_start=True)}")
    out.append("")
    if doc.baseline or doc.coverage:
        out.extend(["### The last 12 weeks", ""])
        if doc.history_chart:
            out.extend([f"![{md_escape(doc.country_name)}: events per category and threat level, last 12 weeks]"
                        f"({doc.history_chart})", ""])
        for text in (doc.baseline, doc.coverage):
            if text:
                para(text)

    section(HEADINGS[6])
    out.extend([f"Threat level: **{md_escape(doc.threat_level)}**. {md_escape(doc.level_reason, citations=True)}", ""])
    out.extend([f"How the level was reached (method {md_escape(doc.threat_method)}):", "",
                "| Term | Events | Points |", "| --- | --- | --- |"])
    out.extend(f"| {md_escape(r.term)} | {md_escape(r.events, citations=True)} | {md_escape(r.points)} |"
               for r in doc.threat_breakdown)
    out.append("")
    body = _structured_json(doc)
    fence = _fence(body)
    out.extend([f"{fence}json", body, fence, ""])

    section(HEADINGS[7])
    if not doc.annex:
        para("No articles were cited this week.")
    for entry in doc.annex:
        url = http_url(entry.url)
        link = f"<{url}>" if url else f"{md_escape(entry.url) or 'no link'} (not a web link)"
        out.extend(
            [f"[{entry.number}] {md_escape(entry.title)}{md_escape(annex_language(entry))} — {md_escape(annex_source(entry))}, "
             f"{entry.published_at:%Y-%m-%d}, {link}", ""]
        )
    out.append(f"*Generated by {md_escape(doc.generated_by)} at {doc.generated_at:%Y-%m-%d %H:%M} UTC.*")
    return "\n".join(out).rstrip() + "\n"


# -- HTML ----------------------------------------------------------------------------------------

CSS = """
body { font-family: Georgia, 'Times New Roman', serif; max-width: 52rem; margin: 2rem auto; padding: 0 1rem;
       line-height: 1.5; color: #1a1a1a; }
h1 { font-size: 1.6rem; letter-spacing: .04em; margin-bottom: .2rem; }
h2 { font-size: 1.2rem; border-bottom: 1px solid #999; padding-bottom: .15rem; margin-top: 2rem; }
h3 { font-size: 1rem; margin-bottom: .2rem; }
.subtitle { font-style: italic; margin-top: 0; }
.level { font-weight: bold; font-size: 1.1rem; }
.level-low { color: #2e7d32; } .level-moderate { color: #827717; } .level-elevated { color: #ef6c00; }
.level-high { color: #c62828; } .level-critical { color: #6a1b1a; } .level-insufficient-reporting { color: #555; }
table.breakdown { margin: .5rem 0 1rem; }
.sources { color: #555; font-size: .9em; }
.notice { background: #f3f3f3; padding: .5rem .75rem; border-left: 3px solid #888; }
a.cite { text-decoration: none; font-size: .85em; }
table { border-collapse: collapse; width: 100%; font-size: .9em; }
th, td { border: 1px solid #bbb; padding: .25rem .4rem; text-align: left; vertical-align: top; }
pre { background: #f6f6f6; padding: .5rem; overflow-x: auto; font-size: .8em; white-space: pre-wrap; }
figure { margin: 1rem 0; } figure img { max-width: 100%; height: auto; border: 1px solid #ccc; }
.annex { list-style: none; padding-left: 0; }
.annex li { margin-bottom: .35rem; word-break: break-word; }
footer { margin-top: 2rem; color: #666; font-size: .85em; }
@media print {
  body { margin: 0; max-width: none; font-size: 10.5pt; }
  h2 { break-after: avoid; page-break-after: avoid; }
  h3, figure, table, pre { break-inside: avoid; page-break-inside: avoid; }
  .annex a[href^="http"]::after { content: " (" attr(href) ")"; font-size: .8em; }
  a { color: inherit; }
}
"""

_BODY = """
<header>
<h1>{{ doc.title }}</h1>
<p class="subtitle">{{ doc.subtitle }}</p>
<p>Analysis Period: {{ doc.period }}</p>
<p class="level level-{{ doc.threat_level|lower|replace(" ", "-") }}">Threat Level: {{ doc.threat_level }}</p>
{% if doc.coverage_warning %}<p class="notice">{{ doc.coverage }}</p>
{% endif %}{% for text in doc.provenance %}<p{% if loop.index > 1 %} class="notice"{% endif %}>{{ text }}</p>
{% endfor %}</header>

<section id="executive-summary"><h2>{{ headings[0] }}</h2>
{% for text in doc.executive_summary.paragraphs %}<p>{{ text|cite }}</p>
{% endfor %}</section>

<section id="key-developments"><h2>{{ headings[1] }}</h2>
{% for item in doc.key_developments.items %}<h3>{{ heading(item.category) }}: {{ item.title }}</h3>
<p>{{ item.text|cite }} <span class="sources">{{ sources_label(item.source_count) }}</span></p>
{% else %}<p>No key security developments were identified this week.</p>
{% endfor %}</section>

<section id="geopolitical-impact"><h2>{{ headings[2] }}</h2>
{% for text in doc.geopolitical_impact.paragraphs %}<p>{{ text|cite }}</p>
{% endfor %}</section>

<section id="military-analysis"><h2>{{ headings[3] }}</h2>
{% for text in doc.military_analysis.paragraphs %}<p>{{ text|cite }}</p>
{% endfor %}</section>

<section id="outlook"><h2>{{ headings[4] }}</h2>
{% for attr, label in outlook_labels %}<p><strong>{{ label }}</strong> {{ doc.outlook[attr]|cite }}</p>
{% endfor %}</section>

<section id="notes"><h2>{{ headings[5] }}</h2>
<ul>{% for note in doc.shown_notes %}<li>{{ note|cite }}</li>{% else %}<li>No intelligence gaps or changes were recorded.</li>{% endfor %}</ul>
{% if doc.baseline or doc.coverage %}<h3>The last 12 weeks</h3>
{% if history_uri %}<figure><img src="{{ history_uri }}" alt="{{ doc.country_name }}: events per category and threat level, last 12 weeks">
<figcaption>Events per category (bars) and threat level (line), last 12 weeks; this week shaded.</figcaption></figure>
{% endif %}{% if doc.baseline %}<p>{{ doc.baseline }}</p>{% endif %}{% if doc.coverage %}<p{% if doc.coverage_warning %} class="notice"{% endif %}>{{ doc.coverage }}</p>{% endif %}
{% endif %}</section>

<section id="structured-assessment"><h2>{{ headings[6] }}</h2>
<p><span class="level level-{{ doc.threat_level|lower|replace(" ", "-") }}">Threat level: {{ doc.threat_level }}.</span> {{ doc.level_reason|cite }}</p>
<p><strong>How the level was reached (method {{ doc.threat_method }}):</strong></p>
<table class="breakdown"><thead><tr><th>Term</th><th>Events</th><th>Points</th></tr></thead>
<tbody>{% for r in doc.threat_breakdown %}<tr><td>{{ r.term }}</td><td>{{ r.events|cite }}</td><td>{{ r.points }}</td></tr>
{% endfor %}</tbody></table>
{% if map_uri %}<figure><img src="{{ map_uri }}" alt="Map of the week's hotspots in and around {{ doc.country_name }}">
<figcaption>Hotspots of the week; marker size and colour follow intensity (1-5).</figcaption></figure>
{% endif %}{% if doc.structured.hotspots %}<table>
<thead><tr><th>Hotspot</th><th>Detail</th><th>Lat</th><th>Lng</th><th>Intensity</th></tr></thead>
<tbody>{% for h in doc.structured.hotspots %}<tr><td>{{ h.label }}</td><td>{{ h.detail }}</td><td>{{ h.lat }}</td><td>{{ h.lng }}</td><td>{{ h.intensity }}</td></tr>
{% endfor %}</tbody></table>{% else %}<p>No hotspots this week.</p>{% endif %}
<pre><code>{{ structured_json }}</code></pre>
</section>

<section id="annex"><h2>{{ headings[7] }}</h2>
<ul class="annex">{% for entry in doc.annex %}<li id="src-{{ entry.number }}">[{{ entry.number }}] {{ entry.title }}{{ annex_language(entry) }} — {{ annex_source(entry) }}, {{ entry.published_at.strftime("%Y-%m-%d") }},
{% if http_url(entry.url) %}<a href="{{ http_url(entry.url) }}">{{ entry.url }}</a>{% else %}<span>{{ entry.url or "no link" }} (not a web link)</span>{% endif %}</li>
{% else %}<li>No articles were cited this week.</li>{% endfor %}</ul>
</section>
<footer>Generated by {{ doc.generated_by }} at {{ doc.generated_at.strftime("%Y-%m-%d %H:%M") }} UTC.</footer>
"""

_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ title }}</title>
<style>{{ css }}</style>
</head>
<body>
{{ body }}
</body>
</html>
"""

ALLOWED_TAGS = {
    "header", "footer", "section", "h1", "h2", "h3", "p", "span", "strong", "em", "ul", "ol", "li", "a", "figure",
    "figcaption", "img", "table", "thead", "tbody", "tr", "th", "td", "pre", "code", "br",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"*": {"class", "id"}, "a": {"href"}, "img": {"src", "alt"}}
LINK_REL = "noopener noreferrer nofollow"
_ANCHOR = re.compile(r"^#src-\d{1,5}$")
_PNG_URI = re.compile(r"^data:image/png;base64,[A-Za-z0-9+/]+=*$")


def _attribute_filter(tag: str, attribute: str, value: str) -> str | None:
    if attribute == "href":
        return value if (tag == "a" and (_ANCHOR.match(value) or http_url(value) == value)) else None
    if attribute == "src":
        return value if (tag == "img" and _PNG_URI.match(value)) else None
    return value


def sanitize_html(fragment: str) -> str:
    """The allow-list pass: no script, no event handlers, links only http(s) or annex anchors."""
    return nh3.clean(
        fragment,
        tags=ALLOWED_TAGS,
        clean_content_tags={"script", "style"},
        attributes=ALLOWED_ATTRIBUTES,
        attribute_filter=_attribute_filter,
        url_schemes={"http", "https", "data"},
        link_rel=LINK_REL,
        strip_comments=True,
    )


def _env(numbers: set[int]) -> jinja2.Environment:
    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined, trim_blocks=False)

    def cite(text: str) -> markupsafe.Markup:
        escaped = str(markupsafe.escape(text or ""))

        def link(match: re.Match[str]) -> str:
            n = int(match.group(1))
            return f'<a class="cite" href="#src-{n}">[{n}]</a>' if n in numbers else match.group(0)

        return markupsafe.Markup(re.sub(r"\[(\d{1,5})\]", link, escaped))

    env.filters["cite"] = cite
    env.globals.update(heading=heading, sources_label=sources_label, http_url=http_url, annex_language=annex_language,
                       annex_source=annex_source)
    return env


def map_data_uri(map_png: Path | None) -> str | None:
    """A PNG (the hotspot map, the history chart) as a data: URI, or None when there is none or it is no PNG."""
    if map_png is None:
        return None
    try:
        data = Path(map_png).read_bytes()
    except OSError:
        return None
    if not data.startswith(PNG_SIGNATURE):
        return None
    return "data:image/png;base64," + base64.b64encode(data).decode("ascii")


def render_html(doc: ReportDocument, map_png: Path | None = None, history_png: Path | None = None) -> str:
    env = _env({entry.number for entry in doc.annex})
    body = env.from_string(_BODY).render(
        doc=doc,
        headings=HEADINGS,
        outlook_labels=[(attr, label) for attr, label in OUTLOOK_LABELS],
        map_uri=map_data_uri(map_png),
        history_uri=map_data_uri(history_png),
        structured_json=_structured_json(doc),
    )
    clean = sanitize_html(body)
    return env.from_string(_PAGE).render(title=doc.title, css=markupsafe.Markup(CSS), body=markupsafe.Markup(clean))


def annex_language(entry: AnnexEntry) -> str:
    """" (in Japanese)" after a title that is not in English; "" for English."""
    language = (entry.language or "en").lower()
    return "" if language in ("en", "und") else f" (in {language_name(language)})"


def annex_source(entry: AnnexEntry) -> str:
    """The outlet, and the newsroom that wrote the story when it is another: "CNA (Reuters)"."""
    if entry.publisher and entry.publisher.casefold() != entry.source.casefold():
        return f"{entry.source} ({entry.publisher})"
    return entry.source
