"""Stage 5, security_assessment: the final report per country and week, as files and warehouse rows."""

import base64
import json
from datetime import timedelta

import dagster as dg
import polars as pl

from assets.metadata import column_schema, markdown_table
from assets.partitions import Partitions, country_weeks
from assets.sections import briefing_for, read_section
from resources.gazetteer import GazetteerResource
from resources.lake import LakeResource
from watchfloor.core.tables import ASSESSMENTS, HOTSPOTS
from watchfloor.report.briefing_index import write_briefing_index
from watchfloor.report.dates import map_date
from watchfloor.report.document import ReportDocument, build_report
from watchfloor.report.maps import render_hotspots
from watchfloor.report.maps.history_chart import render_history
from watchfloor.report.model import SECTION_NAMES
from watchfloor.report.render import assessment_json, render_html, render_markdown
from watchfloor.report.rules.history import History, read_history
from watchfloor.report.sections import SectionResult

HISTORY_PNG = "history.png"  # the country's last 12 weeks, beside report.md


def stage(partitions: Partitions) -> list[dg.AssetsDefinition]:
    """The security_assessment asset, over the country-weeks."""

    @dg.asset(
        partitions_def=partitions.country_week,
        deps=list(SECTION_NAMES),
        backfill_policy=dg.BackfillPolicy.single_run(),
        group_name="reporting",
        kinds={"python", "markdown", "html", "matplotlib", "duckdb"},
        owners=["team:watchfloor-analysis"],
        code_version="4",  # 3: the briefing index; 4: threat method 2 with its breakdown, the 12-week history
        freshness_policy=dg.FreshnessPolicy.time_window(fail_window=timedelta(days=8)),  # a week plus a day's grace
        description=(
            "The weekly security assessment of a country, in the reference report's shape: executive summary, "
            "key developments, geopolitical impact, military analysis, outlook, the structured assessment "
            "(threat level with the breakdown of its method, and hotspots), the last 12 weeks against the country's "
            "baseline and usual coverage, and the annex of articles cited. Written to reports/<ISO2>/<week>/ as "
            "report.md, report.html (with the hotspot map and the 12-week chart), assessment.json, hotspots.png and "
            "history.png, and as rows of the "
            "warehouse's assessments and hotspots tables; reports/index.html, the briefing index of every country's "
            "latest level and trend, is rewritten after each run. The report and map show here as metadata."
        ),
    )
    def security_assessment(context: dg.AssetExecutionContext, lake: LakeResource, gazetteer: GazetteerResource):
        rows, shown, seconds, failed, cached = [], None, 0.0, [], 0
        for country, week in country_weeks(context):
            document, row, sections, history = _assemble(lake, gazetteer, country, week)
            seconds += sum(s.llm_seconds for s in sections.values())
            failed += [f"{country} {week} {name}" for name, s in sections.items() if s.model_failed]
            cached += sum(s.cached for s in sections.values())
            folder = lake.get().report_dir(country, week)
            title = f"{document.country_name}: hotspots, week of {map_date(week)}"
            with lake.get().local_file(folder / "hotspots.png") as local_png:
                png = render_hotspots(document.structured.hotspots, country, document.country_name, title, local_png)
            with lake.get().local_file(folder / HISTORY_PNG) as local_history:
                history_png = render_history(history, document.country_name, local_history)
            markdown = render_markdown(document)
            lake.get().write_text(folder / "report.md", markdown)
            lake.get().write_text(folder / "report.html", render_html(document, png, history_png))
            lake.get().write_text(folder / "assessment.json", json.dumps(assessment_json(document), indent=1, ensure_ascii=False))
            row["report_path"] = str(folder / "report.md")
            rows.append(row)
            hotspots = [{"week": week, "country": country, **h.model_dump()} for h in document.structured.hotspots]
            lake.get().replace_week("assessments", week, pl.DataFrame([row], schema=ASSESSMENTS), country=country)
            lake.get().replace_week("hotspots", week, pl.DataFrame(hotspots, schema=HOTSPOTS), country=country)
            shown = (markdown, png, folder)
            context.log.info(f"{country} {week}: {row['threat_level']}, report at {folder}")
        lake.refresh_warehouse()
        countries = gazetteer.get()
        write_briefing_index(lake.get(), {code: countries.country_name(code) for code in sorted(countries.iso2_codes)})

        metadata = {
            "dagster/row_count": len(rows),
            "dagster/column_schema": column_schema("assessments"),
            "generated_by": ", ".join(sorted({r["generated_by"] for r in rows})),
            "prompt_tokens": sum(r["prompt_tokens"] for r in rows),
            "completion_tokens": sum(r["completion_tokens"] for r in rows),
            "llm_calls": sum(r["llm_calls"] for r in rows),
            "llm_seconds": round(seconds, 1),
            "llm_failed_sections": ", ".join(failed) or "none",
            "llm_cached_sections": cached,  # their tokens, calls and seconds are those of the run that wrote them
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

    return [security_assessment]


def _assemble(lake: LakeResource, gazetteer: GazetteerResource, country: str, week
              ) -> tuple[ReportDocument, dict, dict[str, SectionResult], History]:
    sections = {name: read_section(lake.get(), country, week, name) for name in SECTION_NAMES}
    history = read_history(lake.get(), country, week, current_level=sections["structured_assessment"].content.threat_level)
    briefing = briefing_for(lake.get(), gazetteer, country, week)
    return (*build_report(briefing, sections, history=history, history_chart=HISTORY_PNG), sections, history)
