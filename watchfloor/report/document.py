"""The report as one document, and the one place it is put together from the written sections.

:func:`build_report` serves the security_assessment asset and the tests alike: the sections as
written (by an LLM, or by the offline writer standing in), the briefing's annex, and the notes (a
fallback note when the offline writer stood in for the model, the validators' notes, intelligence
gaps, change since last week); and the assessments row that goes with it.
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
from watchfloor.report.rules.since_last_week import change_since_last_week
from watchfloor.report.sections import Briefing, SectionResult

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
        if self.offline:
            return [PROVENANCE, OFFLINE_NOTICE]
        return [PROVENANCE, f"Sections were written by the language model {self.generated_by} from the week's "
                            "extracted events; every citation points at an annex entry."]

    @property
    def shown_notes(self) -> list[str]:
        """The notes, without the offline notice (it is in the provenance paragraph already)."""
        return [n for n in self.notes if n.strip() and n.strip() != OFFLINE_NOTICE]


def build_report(
    briefing: Briefing, sections: Mapping[str, SectionResult], generated_at: datetime | None = None
) -> tuple[ReportDocument, dict[str, Any]]:
    """The report of `briefing`'s country-week from its six `sections`, and its assessments row.

    The report is the model's when any section is (the first model name, sorted); notes follow the
    order of `sections`.
    """
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
    )
    row = {
        "week": briefing.week, "country": briefing.iso2, "threat_level": structured.threat_level,
        "rule_level": briefing.rule_level, "level_reason": structured.level_reason, "generated_by": model or "offline",
        "offline_sections": offline_sections, "n_events": len(briefing.events), "n_articles": len(briefing.annex),
        "prompt_tokens": sum(s.prompt_tokens for s in sections.values()),
        "completion_tokens": sum(s.completion_tokens for s in sections.values()),
        "llm_calls": sum(s.llm_calls for s in sections.values()),
        "generated_at": generated_at.replace(tzinfo=None),
    }
    return document, row
