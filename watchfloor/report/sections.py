"""Stages 4 and 5: a country-week's events to validated report sections, written by the LLM or offline.

The briefing (:func:`make_briefing`) is what every writer gets: the events with their annex, the
article excerpts, the rule's threat level and the event places. Every section has an offline
version; the LLM's version replaces it only when the reply parses, validates (after the repairs of
llm/repair.py) and survives the checks of validate_llm: citations that point nowhere removed, every
sentence without a citation of its own withheld (a section keeping less than half of its sentences,
or an outlook field left empty, falls back; so does a structured assessment keeping no sentence of
its own), hotspots only at event places, the threat level within one step of the rule and moved
only with a cited reason. Otherwise the offline text stands
and the section's notes say which model failed and why; its rejected replies are kept in
`failures_dir`. Every section records the tokens, wall time and outcome of each call made for it,
failed and cached ones included.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, replace
from datetime import date
from pathlib import Path

import polars as pl
from pydantic import BaseModel

from watchfloor.core.taxonomy import CATEGORIES
from watchfloor.report.llm import prompts
from watchfloor.report.llm import validate as validate_llm
from watchfloor.report.llm.client import LLMClient, LLMError
from watchfloor.report.llm.context import prompt_budget
from watchfloor.report.llm.failures import keep_rejected
from watchfloor.report.llm.grounding import Gate, evidence_of
from watchfloor.report.llm.repair import fix_structured
from watchfloor.report.llm.usage import Usage
from watchfloor.report.model import (
    SECTION_NAMES,
    AnnexEntry,
    Briefing,
    EventBrief,
    KeyDevelopments,
    Outlook,
    Prose,
    StructuredAssessment,
)
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


SECTION_TITLES = {
    "key_developments": "Key Security Developments",
    "geopolitical_impact": "Geopolitical Impact",
    "military_analysis": "Military and Defense Analysis",
    "outlook": "Outlook and Forecast",
    "structured_assessment": "Structured Assessment",
    "executive_summary": "Executive Summary",
}
UNGROUNDED = "ungrounded"  # the reply was valid, but too little of it cited the annex


@dataclass
class SectionResult:
    name: str
    content: BaseModel
    generated_by: str  # model name, or "offline"
    model: str | None = None  # the model asked, also when the offline text stands in for it
    fallback_reason: str | None = None  # why the offline text stands in for the model's
    failure_kind: str | None = None  # unreachable, refused, invalid, length (llm.client) or ungrounded
    removed: int = 0  # citations, items, event ids or hotspots the validators removed
    withheld: int = 0  # sentences of the model's without a citation of their own (or echoing the prompt, or repeated)
    repaired: int = 0  # values of the reply repaired before validation
    notes: list[str] = field(default_factory=list)
    prompt_tokens: int = 0
    completion_tokens: int = 0
    llm_calls: int = 0
    llm_seconds: float = 0.0
    timeouts: int = 0
    cached: bool = False  # the figures are those of the run that produced the cached reply
    calls: list[dict] = field(default_factory=list)  # each request: purpose, outcome, tokens, seconds, timeout

    @property
    def model_failed(self) -> bool:
        """A model was asked, and the offline text stands in for its reply."""
        return self.model is not None and self.generated_by == "offline"

    def to_json(self) -> str:
        data = {k: v for k, v in asdict(self).items() if k != "content"}
        return json.dumps({**data, "content": self.content.model_dump(mode="json")}, indent=1, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> SectionResult:
        data = json.loads(text)
        data["content"] = prompts.SECTION_SCHEMAS[data["name"]].model_validate(data["content"])
        return cls(**data)


def write_section(
    name: str, briefing: Briefing, client: LLMClient | None, earlier: dict[str, SectionResult] | None = None,
    failures_dir: Path | None = None,
) -> SectionResult:
    """One section: the LLM's validated version when a client is given and it succeeds, else offline.
    Rejected replies go to `failures_dir` (when given) as <section>-<n>.json."""
    earlier = earlier or {}
    offline = _offline(name, briefing, earlier)
    if client is None or not briefing.events:
        return SectionResult(name, offline, "offline")
    system, user, trimmed = _fitted_prompt(name, briefing, earlier, client)
    try:
        answer = client.structured(
            system=system, user=user, schema=prompts.SECTION_SCHEMAS[name], name=name,
            max_tokens=prompts.SECTION_MAX_TOKENS[name], max_items=prompts.SECTION_MAX_ITEMS[name],
            fix=_fix(name, briefing),
        )
    except LLMError as error:
        _keep(failures_dir, name, client.model, error.rejected, error.cache_key, system, user)
        reason = str(error).removeprefix(f"LLM {name}: ")
        return _fallen_back(name, offline, client.model, reason, error.kind, error.usage)
    _keep(failures_dir, name, client.model, answer.rejected, None, system, user)
    gate = Gate({a.number for a in briefing.annex}, evidence_of(briefing))
    content, removed, notes = _validated(name, answer.content, briefing, gate)
    title = SECTION_TITLES[name]
    if answer.repairs:
        notes.append(f"{title}: the model's reply was repaired before validation ({len(answer.repairs)} change(s): "
                     f"{'; '.join(answer.repairs[:3])}{'; ...' if len(answer.repairs) > 3 else ''}).")
    if trimmed:
        notes.append(f"{title}: the prompt held the week's {len(briefing.events) - trimmed} most significant events of "
                     f"{len(briefing.events)}, to fit the server's context of {client.context_tokens()} tokens.")
    found = {"removed": removed, "withheld": gate.withheld, "repaired": len(answer.repairs)}
    if gate.kept == 0 or (name != "structured_assessment" and (gate.too_little() or _empty(content))):
        return _fallen_back(name, offline, client.model, _ungrounded(gate, content, removed), UNGROUNDED,
                            answer.usage, **found)
    if gate.withheld:
        notes.append(f"{title}: {gate.withheld} of the {gate.sentences} sentence(s) {client.model} wrote were withheld "
                     f"({_withheld_why(gate)}).")
    return SectionResult(name, content, client.model, model=client.model, notes=notes, **found, **_usage(answer.usage))


def write_sections(briefing: Briefing, client: LLMClient | None = None,
                   failures_dir: Path | None = None) -> dict[str, SectionResult]:
    """Every section in writing order, each given those written before it (as the assets run them;
    only the executive summary reads them)."""
    results: dict[str, SectionResult] = {}
    for name in SECTION_NAMES:
        results[name] = write_section(name, briefing, client, dict(results), failures_dir)
    return results


def _fallen_back(name: str, offline: BaseModel, model: str, reason: str, kind: str, usage: Usage,
                 **found: int) -> SectionResult:
    """The offline text, a note naming the model and why it failed (what the validators said of the
    discarded reply stays in the counts), and what the model's calls cost."""
    note = f"{SECTION_TITLES[name]}: the language model {model} failed ({reason}); the offline writer's text stands."
    return SectionResult(name, offline, "offline", model=model, fallback_reason=reason, failure_kind=kind,
                         notes=[note], **found, **_usage(usage))


def _ungrounded(gate: Gate, content: BaseModel, removed: int) -> str:
    """Why a valid reply still left too little of the model's own text to print."""
    if not gate.sentences:
        return f"its reply held no usable text ({removed} item(s) or value(s) removed by the validators)"
    reason = f"{gate.withheld} of the {gate.sentences} sentence(s) it wrote were withheld ({_withheld_why(gate)})"
    return reason + (" (a part of the section was left empty)" if _empty(content) and not gate.too_little() else "")


def _withheld_why(gate: Gate) -> str:
    why = []
    if gate.ungrounded:
        why.append(f"{gate.ungrounded} stated names or figures that the articles they cite do not hold")
    if gate.withheld > gate.ungrounded:
        why.append(f"{gate.withheld - gate.ungrounded} had no citation of their own, echoed the prompt, were not in "
                   "English or repeated one")
    return "; ".join(why)


def _usage(usage: Usage) -> dict:
    return {"prompt_tokens": usage.prompt_tokens, "completion_tokens": usage.completion_tokens,
            "llm_calls": usage.calls, "llm_seconds": usage.seconds, "timeouts": usage.timeouts,
            "cached": usage.cached, "calls": usage.to_list()}


def _keep(folder: Path | None, name: str, model: str, rejected, cache_key: str | None, system: str, user: str) -> None:
    if folder is not None:
        keep_rejected(folder, name, model, rejected, cache_key=cache_key, system=system, user=user)


def _fix(name: str, briefing: Briefing):
    if name != "structured_assessment":
        return None
    return lambda data: fix_structured(data, briefing.rule_level, briefing.places)


def _empty(content: BaseModel) -> bool:
    if isinstance(content, KeyDevelopments):
        return not content.items
    if isinstance(content, Prose):
        return not content.paragraphs
    if isinstance(content, Outlook):
        return not all(getattr(content, f) for f in Outlook.model_fields)
    return False


def _offline(name: str, briefing: Briefing, earlier: dict[str, SectionResult]) -> BaseModel:
    if name == "executive_summary" and "structured_assessment" in earlier:
        return SECTION_WRITERS[name](briefing, structured=earlier["structured_assessment"].content)
    return SECTION_WRITERS[name](briefing)


def _fitted_prompt(name: str, briefing: Briefing, earlier: dict[str, SectionResult], client: LLMClient
                   ) -> tuple[str, str, int]:
    """The section's prompt within the server's prompt budget (llm/context.py): the least significant
    events dropped, half at a time, until it fits (one event at least); and how many were dropped."""
    budget = prompt_budget(client.context_tokens(), prompts.SECTION_MAX_TOKENS[name])
    events = briefing.events
    while True:
        system, user = _prompt(name, replace(briefing, events=events), earlier)
        if budget is None or len(events) <= 1 or client.estimated_tokens(system + user) <= budget:
            return system, user, len(briefing.events) - len(events)
        events = prompts.select_events(events).shown[: len(events) // 2]


def _prompt(name: str, briefing: Briefing, earlier: dict[str, SectionResult]) -> tuple[str, str]:
    """The section's prompt; the executive summary's holds the other sections as the report prints them
    (the model's, or the offline text standing in), so it changes only when they do."""
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


def _validated(name: str, reply: BaseModel, briefing: Briefing, gate: Gate) -> tuple[BaseModel, int, list[str]]:
    valid = {a.number for a in briefing.annex}
    if name == "key_developments":
        content, removed = validate_llm.clean_key_developments(
            reply, valid, {e.event_id for e in briefing.events}, CATEGORIES, events=briefing.events, gate=gate)
        return content, removed, []
    if name == "outlook":
        content, removed = validate_llm.clean_outlook(reply, valid, gate)
        return content, removed, []
    if name == "structured_assessment":
        content, notes = validate_llm.bound_structured(reply, briefing.rule_level, briefing.places, valid_numbers=valid,
                                                       gate=gate, rule_reason=briefing.rule_reason)
        if not content.hotspots and briefing.events:  # the map still shows where things happened
            content = content.model_copy(update={"hotspots": hotspots_from_events(briefing.events)})
            notes.append("No hotspot of the writer's was at an event place; the hotspots are the event places chosen by rule.")
        return content, len(notes), notes
    content, removed = validate_llm.clean_prose(reply, valid, gate)
    return content, removed, []
