"""The report as one document, and the one place it is put together from the written sections.

:func:`build_report` serves the security_assessment asset and the tests alike: the sections as
written (by an LLM, or by the offline writer standing in), the briefing's annex, and the notes (for
each section the model failed, which model and why; the validators' notes, withheld sentences
included; intelligence gaps; change since last week), the week against the country's last 12
weeks when its history is given (baseline, coverage, the chart's file); and the assessments row.

The provenance paragraph says who wrote what, and only what holds of the printed text: no model;
a model that failed for every section (the offline writer wrote it all); or a model, the sections it
failed for, and that every sentence of its own printed here cites an annex entry and states only
names and figures found there (the grounding gate withheld the rest, and says how many per section).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from watchfloor.report.dates import header_date, period_end
from watchfloor.report.model import AnnexEntry, KeyDevelopments, Outlook, Prose, StructuredAssessment
from watchfloor.report.offline.templates import OFFLINE_NOTICE
from watchfloor.report.rules.gaps import intelligence_gaps
from watchfloor.report.rules.history import History, baseline_sentence, coverage_sentence
from watchfloor.report.rules.since_last_week import change_since_last_week
from watchfloor.report.rules.threat_level import METHOD, BreakdownRow, breakdown, threat_score
from watchfloor.report.sections import SECTION_TITLES, Briefing, SectionResult

SUBTITLE_LLM = "AI-Assisted Open Source Intelligence Assessment"
SUBTITLE_OFFLINE = "Automated Open Source Intelligence Assessment"
PROVENANCE = (
    "This report was produced using open-source intelligence analysis. The assessment is grounded in publicly "
    "available reporting and should be cross-referenced with primary sources. RSS feed articles are listed in "
    "the annex for reference."
)


@dataclass
class ReportDocument:
    """The whole report as the renderers (render.py) take it: sections, annex, notes, provenance."""

    country_name: str
    iso2: str
    week_start: date
    week_end: date  # the exclusive end (next Wednesday) or the inclusive Tuesday: shown as the Wednesday
    generated_by: str  # "offline" or the model name
    executive_summary: Prose
    key_developments: KeyDevelopments
    geopolitical_impact: Prose
    military_analysis: Prose
    outlook: Outlook
    structured: StructuredAssessment
    annex: list[AnnexEntry]
    notes: list[str] = field(default_factory=list)  # fallbacks, validators' notes, intelligence gaps, change
    generated_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    model: str | None = None  # the language model asked, whether or not any of its text is printed
    failed_sections: dict[str, str] = field(default_factory=dict)  # section -> why the model's text is not printed
    withheld: dict[str, int] = field(default_factory=dict)  # section -> the model's sentences the gate withheld
    threat_method: str = METHOD
    threat_breakdown: list[BreakdownRow] = field(default_factory=list)  # the method's terms, events and points
    baseline: str | None = None  # this week against the country's own last weeks (rules/history.py)
    coverage: str | None = None  # publishers and languages against the usual
    coverage_warning: bool = False  # coverage fell: a quiet week may be a blind week
    history_chart: str | None = None  # the 12-week chart's file name beside report.md

    @property
    def threat_level(self) -> str:
        return self.structured.threat_level

    @property
    def level_reason(self) -> str:
        return self.structured.level_reason

    @property
    def offline(self) -> bool:
        return self.generated_by == "offline"

    @property
    def period_end(self) -> date:
        """The week's end as shown: the next Wednesday, like the reference (June 24 - July 01)."""
        return period_end(self.week_start, self.week_end)

    @property
    def title(self) -> str:
        return f"{self.country_name.upper()} SECURITY ANALYSIS REPORT"

    @property
    def subtitle(self) -> str:
        return SUBTITLE_OFFLINE if self.offline else SUBTITLE_LLM

    @property
    def period(self) -> str:
        return f"{header_date(self.week_start)} - {header_date(self.period_end)}"

    @property
    def provenance(self) -> list[str]:
        model = self.model or (None if self.offline else self.generated_by)
        if model is None:
            return [PROVENANCE, OFFLINE_NOTICE]
        titles = [f"“{SECTION_TITLES[n]}”" for n in self.failed_sections]
        failed = " and ".join([", ".join(titles[:-1]), titles[-1]] if len(titles) > 1 else titles)
        if self.offline:
            first = next(iter(self.failed_sections.values()), "no reply")
            failure = (f"The language model {model} was asked for every section and failed for all of them "
                       f"(first: {first}); the offline writer wrote this report.")
            return [PROVENANCE, failure, OFFLINE_NOTICE]
        text = f"Sections were written by the language model {model} from the week's extracted events"
        if failed:
            text += f", except {failed}, where the model failed and the offline writer's text stands (see the notes)"
        text += (". Every sentence of the model's printed here cites an annex entry of its own, states only names "
                 "and figures found in what it cites, and every citation points at an annex entry")
        withheld = [f"{SECTION_TITLES[n]} {k}" for n, k in self.withheld.items() if k]
        if withheld:
            text += (f"; {sum(self.withheld.values())} sentence(s) of the model's that did not were withheld "
                     f"({', '.join(withheld)})")
        return [PROVENANCE, text + "."]

    @property
    def shown_notes(self) -> list[str]:
        """The notes, without the offline notice (it is in the provenance paragraph already)."""
        return [n for n in self.notes if n.strip() and n.strip() != OFFLINE_NOTICE]


def build_report(
    briefing: Briefing, sections: Mapping[str, SectionResult], generated_at: datetime | None = None,
    history: History | None = None, history_chart: str | None = None,
) -> tuple[ReportDocument, dict[str, Any]]:
    """The report of `briefing`'s country-week from its six `sections`, and its assessments row.

    The report is the model's when any section is (the first model name, sorted); notes follow the
    order of `sections`. The row's tokens and calls are those of every request made for the
    sections, failed ones included, and for cached replies those of the run that produced them.
    """
    structured = sections["structured_assessment"].content
    writers = {s.generated_by for s in sections.values()}
    model = next((w for w in sorted(writers) if w != "offline"), None)
    asked = next((s.model for s in sections.values() if s.model), None)
    offline_sections = sorted(n for n, s in sections.items() if s.generated_by == "offline")
    notes = [n for s in sections.values() for n in s.notes]
    notes.append(intelligence_gaps(briefing.events))
    notes.append(change_since_last_week(structured.threat_level, len(briefing.events), briefing.previous,
                                        briefing.previous_event_count))
    coverage, coverage_warning = coverage_sentence(history, briefing.country_name) if history else (None, False)
    baseline = baseline_sentence(history) if history else None
    generated_at = generated_at or datetime.now(UTC)
    document = ReportDocument(
        country_name=briefing.country_name, iso2=briefing.iso2, week_start=briefing.week, week_end=briefing.week_end,
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
        model=asked,
        failed_sections={n: s.fallback_reason or "no reply" for n, s in sections.items() if s.model_failed},
        withheld={n: s.withheld for n, s in sections.items() if s.withheld and not s.model_failed},
        threat_breakdown=breakdown(briefing.events),
        baseline=baseline, coverage=coverage, coverage_warning=coverage_warning, history_chart=history_chart,
    )
    row = {
        "week": briefing.week, "country": briefing.iso2, "threat_level": structured.threat_level,
        "rule_level": briefing.rule_level, "level_reason": structured.level_reason, "generated_by": model or "offline",
        "threat_method": METHOD, "threat_score": threat_score(briefing.events).score,
        "offline_sections": offline_sections, "n_events": len(briefing.events), "n_articles": len(briefing.annex),
        "prompt_tokens": sum(s.prompt_tokens for s in sections.values()),
        "completion_tokens": sum(s.completion_tokens for s in sections.values()),
        "llm_calls": sum(s.llm_calls for s in sections.values()),
        "generated_at": generated_at.replace(tzinfo=None),
    }
    return document, row
