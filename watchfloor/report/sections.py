"""Stages 4 and 5: a country-week's events to validated report sections, written by the LLM or offline.

The briefing (:func:`make_briefing`) is what every writer gets: the events with their annex, the
article excerpts, the rule's threat level and the event places. Every section has an offline
version; the LLM's version replaces it only when the reply parses, validates and survives the
checks of validate_llm (citations that point nowhere removed, hotspots only at event places, the
threat level within one step of the rule). Otherwise the offline text stands and the report says so.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from datetime import date

import polars as pl
from pydantic import BaseModel

from watchfloor.core.taxonomy import CATEGORIES
from watchfloor.report.llm import prompts
from watchfloor.report.llm import validate as validate_llm
from watchfloor.report.llm.client import LLMClient, LLMError, Usage
from watchfloor.report.model import SECTION_NAMES, AnnexEntry, Briefing, EventBrief, StructuredAssessment
from watchfloor.report.offline.writer import SECTION_WRITERS
from watchfloor.report.rules.annex import build_annex
from watchfloor.report.rules.hotspots import candidate_places, hotspots_from_events
from watchfloor.report.rules.threat_level import rule_threat_level


def briefing_of(
    iso2: str,
    country_name: str,
    week: date,
    events: list[EventBrief],
    annex: list[AnnexEntry],
    excerpts: dict[int, str] | None = None,
    previous: StructuredAssessment | None = None,
    previous_event_count: int | None = None,
) -> Briefing:
    """The briefing of events and annex already built, with the rule's level and the event places."""
    level, reason = rule_threat_level(events)
    return Briefing(
        iso2=iso2, country_name=country_name, week=week, events=events, annex=annex, excerpts=excerpts or {},
        rule_level=level, rule_reason=reason, places=candidate_places(events),
        previous=previous, previous_event_count=previous_event_count,
    )


def make_briefing(
    events: pl.DataFrame,
    articles: pl.DataFrame,
    iso2: str,
    country_name: str,
    week: date,
    previous: StructuredAssessment | None = None,
    previous_event_count: int | None = None,
) -> Briefing:
    """The briefing of a country-week from its rows of the lake's events and articles tables."""
    briefs, annex = build_annex(events, articles)
    bodies = dict(zip(articles["article_id"].to_list(), articles["body"].to_list(), strict=True))
    excerpts = {a.number: " ".join((bodies.get(a.article_id) or "").split()[: prompts.EXCERPT_WORDS]) for a in annex}
    return briefing_of(iso2, country_name, week, briefs, annex, excerpts, previous, previous_event_count)


@dataclass
class SectionResult:
    name: str
    content: BaseModel
    generated_by: str  # model name, or "offline"
    fallback_reason: str | None = None  # why the offline text stands in for the LLM's
    removed: int = 0  # citations or hotspots the validators removed
    notes: list[str] = field(default_factory=list)
    prompt_tokens: int = 0
    completion_tokens: int = 0
    llm_calls: int = 0
    cached: bool = False

    def to_json(self) -> str:
        data = {k: v for k, v in asdict(self).items() if k != "content"}
        return json.dumps({**data, "content": self.content.model_dump(mode="json")}, indent=1, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> SectionResult:
        data = json.loads(text)
        data["content"] = prompts.SECTION_SCHEMAS[data["name"]].model_validate(data["content"])
        return cls(**data)


def write_section(
    name: str, briefing: Briefing, client: LLMClient | None, earlier: dict[str, SectionResult] | None = None
) -> SectionResult:
    """One section: the LLM's validated version when a client is given and it succeeds, else offline."""
    earlier = earlier or {}
    offline = _offline(name, briefing, earlier)
    if client is None or not briefing.events:
        return SectionResult(name, offline, "offline")
    system, user = _prompt(name, briefing, earlier)
    try:
        reply, usage = client.structured(system=system, user=user, schema=prompts.SECTION_SCHEMAS[name], name=name)
    except LLMError as error:
        return SectionResult(name, offline, "offline", fallback_reason=str(error))
    content, removed, notes = _validated(name, reply, briefing)
    return SectionResult(name, content, client.model, removed=removed, notes=notes, **_usage(usage))


def write_sections(briefing: Briefing, client: LLMClient | None = None) -> dict[str, SectionResult]:
    """Every section in writing order, each given those written before it (as the assets run them;
    only the executive summary reads them)."""
    results: dict[str, SectionResult] = {}
    for name in SECTION_NAMES:
        results[name] = write_section(name, briefing, client, dict(results))
    return results


def _usage(usage: Usage) -> dict:
    return {"prompt_tokens": usage.prompt_tokens, "completion_tokens": usage.completion_tokens,
            "llm_calls": usage.calls, "cached": usage.cached}


def _offline(name: str, briefing: Briefing, earlier: dict[str, SectionResult]) -> BaseModel:
    if name == "executive_summary" and "structured_assessment" in earlier:
        return SECTION_WRITERS[name](briefing, structured=earlier["structured_assessment"].content)
    return SECTION_WRITERS[name](briefing)


def _prompt(name: str, briefing: Briefing, earlier: dict[str, SectionResult]) -> tuple[str, str]:
    common = dict(
        country_name=briefing.country_name, week_start=briefing.week, week_end=briefing.week_end,
        events=briefing.events, annex=briefing.annex, articles=briefing.excerpts,
    )
    if name == "structured_assessment":
        return prompts.structured_prompt(**common, rule_level=briefing.rule_level, rule_reason=briefing.rule_reason,
                                         places=briefing.places)
    if name == "executive_summary":
        sections = {k: v.content for k, v in earlier.items()}
        return prompts.executive_summary_prompt(**common, sections=sections)
    return prompts.SECTION_PROMPTS[name](**common)


def _validated(name: str, reply: BaseModel, briefing: Briefing) -> tuple[BaseModel, int, list[str]]:
    valid = {a.number for a in briefing.annex}
    if name == "key_developments":
        content, removed = validate_llm.clean_key_developments(
            reply, valid, {e.event_id for e in briefing.events}, CATEGORIES, events=briefing.events)
        return content, removed, []
    if name == "outlook":
        content, removed = validate_llm.clean_outlook(reply, valid)
        return content, removed, []
    if name == "structured_assessment":
        content, notes = validate_llm.bound_structured(reply, briefing.rule_level, briefing.places, valid_numbers=valid)
        if not content.hotspots and briefing.events:  # the map still shows where things happened
            content = content.model_copy(update={"hotspots": hotspots_from_events(briefing.events)})
            notes.append("No hotspot of the writer's was at an event place; the hotspots are the event places chosen by rule.")
        return content, len(notes), notes
    content, removed = validate_llm.clean_prose(reply, valid)
    return content, removed, []
