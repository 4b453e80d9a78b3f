"""The offline report never contradicts its own events: a property test over many weeks.

Weeks: the Mongolia sample week, and 200 generated weeks with adversarial mixes (armed conflict
with no military activity, hostile and cooperative events at every intensity, country-level
events, partners and bodies, events reported only in another language, empty weeks). For each,
the whole report (every section, the hotspots' details) is checked against the events it was
written from.
"""

from __future__ import annotations

import dataclasses
import random
from datetime import timedelta

import pytest

from tests.support.mongolia_week import WEEK, mongolia_week, offline_report
from tests.support.report_checks import contradictions
from watchfloor.core.taxonomy import CATEGORIES
from watchfloor.report.model import AnnexEntry, EventBrief, Prose

SLUGS = list(CATEGORIES)
PARTNERS = ["CN", "RU", "US", "KR", "JP", "EU", "NATO", "UN", "TR", "IN"]
LANGUAGES = ["en", "en", "en", "ja", "es", "de"]
NEWSROOMS = ["Reuters", "AP", "AFP", "Kyodo", "Montsame"]
FOREIGN_HEADLINES = {"ja": "北朝鮮が弾道ミサイルを発射", "es": "Un ataque ruso deja muertos en Járkov",
                     "de": "Taiwan erhöht Verteidigungshaushalt auf Rekordhöhe"}


def generated_week(seed: int) -> tuple[list[EventBrief], list[AnnexEntry]]:
    rng = random.Random(seed)
    n = rng.choice([0, 1, 2, 3, 5, 8, 12, 20])
    mix = rng.choice([SLUGS, ["armed_conflict"], ["armed_conflict", "diplomacy"], ["military_activity"],
                      ["diplomacy", "defense_policy"], ["cybersecurity", "border_security", "humanitarian"]])
    events, annex = [], []
    for i in range(n):
        language = rng.choice(LANGUAGES)
        number = len(annex) + 1
        annex.append(AnnexEntry(number=number, article_id=f"a{seed}-{i}", title=f"Title {i}", source="Outlet",
                                published_at=f"2026-06-2{4 + i % 6}T08:00:00Z", url=f"https://news.example/{seed}/{i}",
                                language=language))
        country_level = rng.random() < 0.3
        events.append(EventBrief(
            event_id=f"e{seed}-{i}", category=rng.choice(mix), event_date=WEEK + timedelta(days=i % 7),
            headline=FOREIGN_HEADLINES.get(language, f"Headline number {i} of week {seed}"),
            summary="Ein Satz auf Deutsch." if language == "de" else f"Officials said event {i} happened on the day.",
            location="Mongolia" if country_level else f"Town {i % 4}", lat=47.9 + i % 4, lng=106.9,
            geo_precision="country" if country_level else "city",
            partners=rng.sample(PARTNERS, rng.choice([0, 0, 1, 2, 5])), intensity=rng.randint(1, 5),
            source_count=rng.randint(1, 4), sources=["Outlet"], citations=[number], headline_language=language,
            fatalities=rng.choice([None, None, 3, 12]), publishers=rng.sample(NEWSROOMS, rng.choice([1, 1, 2])),
        ))
    return events, annex


@pytest.mark.parametrize("seed", range(200))
def test_no_generated_week_is_contradicted_by_its_report(seed):
    events, annex = generated_week(seed)
    assert contradictions(events, offline_report(events, annex)) == []


def test_the_sample_week_is_not_contradicted_by_its_report():
    events, annex = mongolia_week()
    assert contradictions(events, offline_report(events, annex)) == []


def test_the_checks_catch_what_they_look_for():
    """The property above is only as good as its checks: each fires on a report that breaks it."""
    events, annex = generated_week(11)
    events = [e.model_copy(update={"category": "armed_conflict", "partners": ["CN"], "headline_language": "en"})
              for e in events]
    assert events
    doc = offline_report(events, annex)
    assert contradictions(events, doc) == []
    broken = dataclasses.replace(doc, military_analysis=Prose(paragraphs=[
        "No hostile activity was reported; China's forces were active alongside Mongolia [1]."]))
    found = contradictions(events, broken)
    assert any("No hostile activity" in f for f in found) and any("alongside" in f for f in found)
    thin = [e.model_copy(update={"intensity": 1, "publishers": ["Reuters"]}) for e in events[:2]]
    doc = offline_report(thin, annex)
    assert doc.threat_level == "Insufficient reporting" and contradictions(thin, doc) == []
    low = dataclasses.replace(doc, structured=doc.structured.model_copy(update={"threat_level": "Low"}))
    assert any("2 events from 1 newsrooms Low" in f for f in contradictions(thin, low))
