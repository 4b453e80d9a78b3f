"""The assessment's parts as validated models: what the offline writer and the LLM both must produce,
and the Briefing both are given.

Text fields are plain text (never HTML); factual sentences cite annex entries as [n].
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

THREAT_LEVELS = ("Low", "Moderate", "Elevated", "High", "Critical")  # the ordinal scale
INSUFFICIENT_REPORTING = "Insufficient reporting"  # no level: too little reporting to judge (rules/threat_level.py)
ThreatLevel = Literal["Low", "Moderate", "Elevated", "High", "Critical", "Insufficient reporting"]

SECTION_NAMES = (  # in writing order: the executive summary is written from the others
    "key_developments",
    "geopolitical_impact",
    "military_analysis",
    "outlook",
    "structured_assessment",
    "executive_summary",
)
TITLE_MAX_CHARS = 120  # a key development's title


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class AnnexEntry(Strict):
    number: int = Field(ge=1)
    article_id: str
    title: str
    source: str
    published_at: datetime
    url: str
    language: str | None = None  # the article's, shown when it is not English
    publisher: str | None = None  # the newsroom that wrote it, shown when it is not the outlet


class EventBrief(Strict):
    """One event as the writers see it: the row of the events table plus its annex numbers."""

    event_id: str
    category: str
    headline: str
    summary: str
    event_date: date
    location: str
    lat: float
    lng: float
    partners: list[str]
    intensity: int = Field(ge=1, le=5)
    source_count: int  # distinct newsrooms
    sources: list[str]
    citations: list[int]  # annex numbers of the articles behind the event
    geo_precision: str | None = None  # site, city, region, sea or country; None in rows from before it
    fatalities: int | None = None
    languages: list[str] = []
    headline_language: str = "en"  # the language headline and summary are in (events.headline_language)
    headline_translated_from: str | None = None  # the language they were machine-translated from, if they were
    publishers: list[str] = []  # the newsrooms behind it (events.publishers); empty in rows from before them

    @property
    def in_english(self) -> bool:
        return self.headline_language in ("en", "und", "")


class KeyDevelopment(Strict):
    category: str  # a taxonomy slug; the heading is "<Category heading>: <title>"
    title: str = Field(max_length=TITLE_MAX_CHARS)
    text: str  # 2-5 sentences with [n] citations
    source_count: int = Field(ge=0)
    event_ids: list[str]


class KeyDevelopments(Strict):
    items: list[KeyDevelopment]


class Prose(Strict):
    """geopolitical_impact, military_analysis, executive_summary: paragraphs with [n] citations."""

    paragraphs: list[str]


class Outlook(Strict):
    short_term_trends: str  # 1-3 months, estimative language with a confidence level
    critical_flashpoints: str
    indicators: str
    recommendations: str


class Hotspot(Strict):
    label: str
    detail: str
    lat: float = Field(ge=-90, le=90)
    lng: float = Field(ge=-180, le=180)
    intensity: int = Field(ge=1, le=5)


class StructuredAssessment(Strict):
    threat_level: ThreatLevel
    level_reason: str  # why this level; says so when the writer moved the rule-based level
    hotspots: list[Hotspot]


@dataclass(frozen=True)
class Briefing:
    """Everything a writer gets for one country-week (built by watchfloor.report.sections)."""

    iso2: str
    country_name: str
    week: date
    events: list[EventBrief]
    annex: list[AnnexEntry]
    excerpts: dict[int, str]  # annex number -> the article's opening words
    rule_level: str
    rule_reason: str
    places: list[Hotspot]  # every event place: the only places a hotspot may be
    previous: StructuredAssessment | None = None
    previous_event_count: int | None = None

    @property
    def week_end(self) -> date:
        return self.week + timedelta(days=7)
