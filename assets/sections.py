"""Stage 4, report sections: each written by the configured LLM, or by the offline writer without one."""

import json
from datetime import date, timedelta

import dagster as dg
import polars as pl

from assets.partitions import WEEK_OF_COUNTRY_WEEK, Partitions, country_weeks
from resources.gazetteer import GazetteerResource
from resources.lake import LakeResource
from resources.llm import LLMResource
from watchfloor.core.lake import Lake
from watchfloor.report.model import Briefing, StructuredAssessment
from watchfloor.report.sections import SectionResult, make_briefing, write_section

DESCRIPTIONS = {
    "key_developments": "One entry per significant event, headed 'Category: short title', with its number of independent sources.",
    "geopolitical_impact": "What the week's events mean for the country's position between its neighbours and partners.",
    "military_analysis": "Military activity and defence policy; force figures and budgets only where the articles give them.",
    "outlook": "Short-term trends (1-3 months), critical flashpoints, indicators to monitor, strategic recommendations.",
    "structured_assessment": "Threat level (a documented rule, movable one step by the LLM with a reason) and hotspots at event places.",
    "executive_summary": "The report in one paragraph, written from the other sections.",
}
ANALYSIS_SECTIONS = ("key_developments", "geopolitical_impact", "military_analysis", "outlook")


def briefing_for(lake: Lake, gazetteer: GazetteerResource, country: str, week: date) -> Briefing:
    previous_week = week - timedelta(days=7)
    previous_json = lake.report_dir(country, previous_week) / "assessment.json"
    previous = previous_count = None
    if previous_json.exists():
        data = json.loads(previous_json.read_text(encoding="utf-8"))
        previous = StructuredAssessment.model_validate(
            {"threat_level": data["threat_level"], "level_reason": data.get("level_reason", ""), "hotspots": data["hotspots"]})
        previous_count = lake.read_week("events", previous_week, country).height
    events = lake.read_week("events", week, country)
    cited = events["article_ids"].explode().drop_nulls().unique()
    return make_briefing(
        events, lake.read_week("articles", week, where=pl.col("article_id").is_in(cited.implode())), country,
        gazetteer.get().country_name(country), week, previous, previous_count,
    )


def read_section(lake: Lake, country: str, week: date, name: str) -> SectionResult:
    return SectionResult.from_json(lake.section_path(country, week, name).read_text(encoding="utf-8"))


def stage(partitions: Partitions, llm_configured: bool) -> list[dg.AssetsDefinition]:
    """The section assets, and the check of the structured assessment. Kinds are fixed when an asset is
    declared, so whether an LLM is configured is decided here, when the definitions load."""
    kinds = {"openai", "python", "json"} if llm_configured else {"python", "json"}
    upstream = {"key_developments": [], "geopolitical_impact": [], "military_analysis": [], "outlook": [],
                "structured_assessment": [], "executive_summary": [*ANALYSIS_SECTIONS, "structured_assessment"]}
    sections = [_section_asset(name, earlier, partitions, kinds) for name, earlier in upstream.items()]

    @dg.asset_check(asset="structured_assessment", blocking=True, partitions_def=partitions.country_week,
                    description="The structured assessment matches the schema; every hotspot is at a place of the week's events.")
    def structured_assessment_schema(context: dg.AssetCheckExecutionContext, lake: LakeResource, gazetteer: GazetteerResource):
        problems = []
        for country, week in country_weeks(context):
            section = read_section(lake.get(), country, week, "structured_assessment")
            assessment = StructuredAssessment.model_validate(section.content.model_dump())  # schema, levels, ranges
            allowed = {(round(p.lat, 3), round(p.lng, 3)) for p in briefing_for(lake.get(), gazetteer, country, week).places}
            problems += [f"{country} {week}: hotspot {h.label} is not an event place"
                         for h in assessment.hotspots if (round(h.lat, 3), round(h.lng, 3)) not in allowed]
        return dg.AssetCheckResult(passed=not problems, metadata={"problems": "; ".join(problems) or "none"})

    return [*sections, structured_assessment_schema]


def _section_asset(name: str, upstream: list[str], partitions: Partitions, kinds: set[str]) -> dg.AssetsDefinition:
    deps = [dg.AssetDep("articles", partition_mapping=WEEK_OF_COUNTRY_WEEK), "country_events", *upstream]

    @dg.asset(
        name=name,
        partitions_def=partitions.country_week,
        deps=deps,
        backfill_policy=dg.BackfillPolicy.single_run(),
        group_name="reporting",
        kinds=kinds,
        owners=["team:watchfloor-analysis"],
        pool="llm",  # bounds concurrent LLM calls across runs
        code_version="4",  # 3: the offline writer states only facts and named rules, in English; 4: the grounding gate checks names and figures, insufficient reporting
        description=DESCRIPTIONS[name] + " Every factual sentence cites the annex [n].",
    )
    def _section(context: dg.AssetExecutionContext, lake: LakeResource, gazetteer: GazetteerResource, llm: LLMResource):
        client = llm.client(lake.get().local_dir / "llm_cache")
        results = []
        for country, week in country_weeks(context):
            earlier = {n: read_section(lake.get(), country, week, n) for n in upstream}
            failures = lake.get().local_dir / "llm_failures" / country / str(week)
            result = write_section(name, briefing_for(lake.get(), gazetteer, country, week), client, earlier, failures)
            lake.get().write_text(lake.get().section_path(country, week, name), result.to_json())
            if result.model_failed:
                context.log.warning(f"{country} {week} {name}: the language model {result.model} failed "
                                    f"({result.fallback_reason}); the offline writer's text stands")
            results.append((f"{country} {week}", result))
        return dg.MaterializeResult(metadata=_metadata(results))

    return _section


def _metadata(results: list[tuple[str, SectionResult]]) -> dict:
    """What the materialisation shows: who wrote the section, whether and why the model failed, what the
    validators withheld or repaired, and the tokens, calls and wall time of every request (failed and
    cached ones included; a cached reply's figures are those of the run that produced it)."""
    sections = [r for _, r in results]
    failed = [(where, r) for where, r in results if r.model_failed]
    metadata = {
        "generated_by": ", ".join(sorted({r.generated_by for r in sections})),
        "llm_model": next((r.model for r in sections if r.model), None) or "none",
        "llm_failures": len(failed),
        "llm_failure": f"{failed[0][0]}: {failed[0][1].fallback_reason}" if failed else "none",
        "llm_failure_kind": ", ".join(sorted({r.failure_kind or "" for _, r in failed})) or "none",
        "removed_by_validation": sum(r.removed for r in sections),
        "withheld_sentences": sum(r.withheld for r in sections),
        "repaired_values": sum(r.repaired for r in sections),
        "prompt_tokens": sum(r.prompt_tokens for r in sections),
        "completion_tokens": sum(r.completion_tokens for r in sections),
        "llm_calls": sum(r.llm_calls for r in sections),
        "llm_seconds": round(sum(r.llm_seconds for r in sections), 1),
        "llm_timeouts": sum(r.timeouts for r in sections),
        "cached": sum(r.cached for r in sections),
        "preview": dg.MetadataValue.md(_preview(sections[0])),
    }
    calls = [(where, c) for where, r in results for c in r.calls]
    if calls:
        rows = [f"| {where} | {c['purpose']} | {c['outcome']} | {c['prompt_tokens']} | {c['completion_tokens']} | "
                f"{c['seconds']:.1f} | {c['timeout_s'] if c.get('timeout_s') is not None else ''} |" for where, c in calls[:50]]
        metadata["llm_requests"] = dg.MetadataValue.md(
            "| partition | purpose | outcome | prompt tokens | completion tokens | seconds | timeout s |\n"
            "|---|---|---|---|---|---|---|\n" + "\n".join(rows))
    return metadata


def _preview(result: SectionResult) -> str:
    """The first partition's section as Markdown (plain text from the validated model)."""
    content = result.content.model_dump()
    lines = []
    for key, value in content.items():
        if isinstance(value, list):
            lines += [f"- {json.dumps(v, ensure_ascii=False) if isinstance(v, dict) else v}" for v in value]
        else:
            lines.append(f"**{key}**: {value}")
    return "\n\n".join(line.replace("<", "&lt;") for line in lines)[:8000]
