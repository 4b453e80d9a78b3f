"""Stage 5, security_assessment: the final report per country and week, as files and warehouse rows."""

import base64
import json
from datetime import UTC, datetime, timedelta

import dagster as dg
import polars as pl

from assets.events import country_weeks
from assets.metadata import column_schema, markdown_table
from assets.sections import ANALYSIS_SECTIONS, briefing_for, read_section
from orchestration.partitions import country_week_partitions
from resources.gazetteer import GazetteerResource
from resources.lake import LakeResource
from watchfloor.core.lake import ASSESSMENTS, HOTSPOTS
from watchfloor.report.maps import render_hotspots
from watchfloor.report.offline.writer import OFFLINE_NOTICE, change_since_last_week, intelligence_gaps
from watchfloor.report.render import ReportDocument, assessment_json, render_html, render_markdown

SECTIONS = (*ANALYSIS_SECTIONS, "structured_assessment", "executive_summary")


@dg.asset(
    partitions_def=country_week_partitions,
    deps=list(SECTIONS),
    backfill_policy=dg.BackfillPolicy.single_run(),
    group_name="reporting",
    kinds={"python", "markdown", "html", "matplotlib", "duckdb"},
    owners=["team:watchfloor-analysis"],
    code_version="1",
    freshness_policy=dg.FreshnessPolicy.time_window(fail_window=timedelta(days=8)),  # a week plus a day's grace
    description=(
        "The weekly security assessment of a country, in the reference report's shape: executive summary, "
        "key developments, geopolitical impact, military analysis, outlook, the structured assessment "
        "(threat level and hotspots) and the annex of articles cited. Written to reports/<ISO2>/<week>/ as "
        "report.md, report.html (with the hotspot map), assessment.json and hotspots.png, and as rows of the "
        "warehouse's assessments and hotspots tables. The report and map show here as metadata."
    ),
)
def security_assessment(context: dg.AssetExecutionContext, lake: LakeResource, gazetteer: GazetteerResource):
    rows, shown = [], None
    for country, week in country_weeks(context):
        document, row = _assemble(lake, gazetteer, country, week)
        folder = lake.lake.report_dir(country, week)
        title = f"{document.country_name}: hotspots, week of {week:%d %B %Y}"
        png = render_hotspots(document.structured.hotspots, country, document.country_name, title, folder / "hotspots.png")
        markdown = render_markdown(document)
        lake.lake.write_text(folder / "report.md", markdown)
        lake.lake.write_text(folder / "report.html", render_html(document, png))
        lake.lake.write_text(folder / "assessment.json", json.dumps(assessment_json(document), indent=1, ensure_ascii=False))
        row["report_path"] = str(folder / "report.md")
        rows.append(row)
        hotspots = [{"week": week, "country": country, **h.model_dump()} for h in document.structured.hotspots]
        lake.lake.replace_week("assessments", week, pl.DataFrame([row], schema=ASSESSMENTS), country=country)
        lake.lake.replace_week("hotspots", week, pl.DataFrame(hotspots, schema=HOTSPOTS), country=country)
        shown = (markdown, png, folder)
        context.log.info(f"{country} {week}: {row['threat_level']}, report at {folder}")
    lake.refresh_warehouse()

    metadata = {
        "dagster/row_count": len(rows),
        "dagster/column_schema": column_schema("assessments"),
        "generated_by": ", ".join(sorted({r["generated_by"] for r in rows})),
        "prompt_tokens": sum(r["prompt_tokens"] for r in rows),
        "completion_tokens": sum(r["completion_tokens"] for r in rows),
    }
    if len(rows) == 1:  # the report and map themselves; a range run's metadata is copied to every partition
        markdown, png, folder = shown
        image = base64.b64encode(png.read_bytes()).decode()
        metadata |= {
            "threat_level": rows[0]["threat_level"],
            "report": dg.MetadataValue.md(markdown),
            "hotspot_map": dg.MetadataValue.md(f"![hotspot map](data:image/png;base64,{image})"),
            "report_folder": dg.MetadataValue.path(str(folder)),
        }
    else:
        table = pl.DataFrame(rows).select("country", "week", "threat_level", "generated_by", "report_path")
        metadata["reports"] = dg.MetadataValue.md(markdown_table(table, limit=len(rows)))
    return dg.MaterializeResult(metadata=metadata)


def _assemble(lake: LakeResource, gazetteer: GazetteerResource, country: str, week) -> tuple[ReportDocument, dict]:
    sections = {name: read_section(lake.lake, country, week, name) for name in SECTIONS}
    briefing = briefing_for(lake.lake, gazetteer, country, week)
    structured = sections["structured_assessment"].content
    writers = {s.generated_by for s in sections.values()}
    model = next((w for w in sorted(writers) if w != "offline"), None)
    offline_sections = sorted(n for n, s in sections.items() if s.generated_by == "offline")
    notes = []
    if model and offline_sections:
        notes.append(f"Written by {model}; the offline writer stood in for: {', '.join(offline_sections)} "
                     "(the model's reply failed validation or the call failed).")
    notes += [n for s in sections.values() for n in s.notes]
    notes.append(intelligence_gaps(briefing.events))
    notes.append(change_since_last_week(structured.threat_level, len(briefing.events), briefing.previous,
                                        briefing.previous_event_count))
    generated_at = datetime.now(UTC)
    document = ReportDocument(
        country_name=briefing.country_name, iso2=country, week_start=week, week_end=briefing.week_end,
        generated_by=model or "offline",
        executive_summary=sections["executive_summary"].content,
        key_developments=sections["key_developments"].content,
        geopolitical_impact=sections["geopolitical_impact"].content,
        military_analysis=sections["military_analysis"].content,
        outlook=sections["outlook"].content,
        structured=structured,
        annex=briefing.annex,
        notes=[n for n in notes if n and n != OFFLINE_NOTICE],
        generated_at=generated_at,
    )
    row = {
        "week": week, "country": country, "threat_level": structured.threat_level, "rule_level": briefing.rule_level,
        "level_reason": structured.level_reason, "generated_by": model or "offline", "offline_sections": offline_sections,
        "n_events": len(briefing.events), "n_articles": len(briefing.annex),
        "prompt_tokens": sum(s.prompt_tokens for s in sections.values()),
        "completion_tokens": sum(s.completion_tokens for s in sections.values()),
        "llm_calls": sum(s.llm_calls for s in sections.values()),
        "generated_at": generated_at.replace(tzinfo=None),
    }
    return document, row
