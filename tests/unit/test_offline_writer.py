"""The offline writer end to end on a hand-made Mongolia week like the reference report, and the rules
every report follows (annex, threat level, hotspots, gaps, change since last week)."""

from __future__ import annotations

import random
import re
from datetime import date

import pytest

from tests.support.mongolia_week import WEEK, frames, mongolia_week, offline_report
from watchfloor.core.taxonomy import CATEGORIES
from watchfloor.report.citations import citations_in
from watchfloor.report.document import ReportDocument
from watchfloor.report.model import INSUFFICIENT_REPORTING, THREAT_LEVELS, EventBrief, Hotspot, StructuredAssessment
from watchfloor.report.offline.military import military_analysis
from watchfloor.report.offline.templates import OFFLINE_NOTICE
from watchfloor.report.rules.annex import build_annex
from watchfloor.report.rules.gaps import intelligence_gaps
from watchfloor.report.rules.hotspots import hotspots_from_events
from watchfloor.report.rules.threat_level import METHOD, breakdown, rule_threat_level
from watchfloor.report.sections import briefing_of
from watchfloor.text.anatomy import short_title, summary_sentences

# The taxonomy of DESIGN.md (watchfloor.core.taxonomy.CATEGORIES).
TAXONOMY = {
    "military_activity": "Military Activities and Exercises",
    "defense_policy": "Defense Policy and Strategic Shifts",
    "diplomacy": "Diplomatic Relations",
    "cybersecurity": "Cybersecurity",
    "internal_security": "Internal Security and Public Order",
    "armed_conflict": "Armed Conflict and Terrorism",
    "border_security": "Border and Territorial Security",
    "economic_security": "Economic and Energy Security",
    "humanitarian": "Disasters and Humanitarian Crises",
}


def all_texts(doc: ReportDocument) -> list[str]:
    texts = [item.text for item in doc.key_developments.items]
    for prose in (doc.executive_summary, doc.geopolitical_impact, doc.military_analysis):
        texts += prose.paragraphs
    o = doc.outlook
    texts += [o.short_term_trends, o.critical_flashpoints, o.indicators, o.recommendations]
    texts += [h.detail for h in doc.structured.hotspots] + doc.notes
    return texts


def sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?])\s+(?=[A-Z])", text) if s.strip()]


def brief(eid: str, category: str, intensity: int, summary: str = "Something happened.", **kw) -> EventBrief:
    fields = dict(
        event_id=eid, category=category, headline=f"Event {eid}", summary=summary, event_date=date(2026, 6, 25),
        location=f"Place {eid}", lat=10.0 + len(eid), lng=20.0, partners=[], intensity=intensity,
        source_count=1, sources=["S"], citations=[1],
    )
    fields.update(kw)
    return EventBrief(**fields)


# -- tests ---------------------------------------------------------------------------------------


def test_categories_match_the_design_taxonomy():
    assert dict(CATEGORIES) == TAXONOMY


def test_annex_numbers_articles_in_order_of_first_citation():
    events, annex = mongolia_week()
    assert [e.event_id for e in events[:3]] == ["kq", "gw", "apt29"]  # intensity desc, then date, then id
    assert [a.number for a in annex] == list(range(1, len(annex) + 1))
    assert [a.article_id for a in annex[:5]] == ["a1", "a2", "a3", "a11", "a12"]
    assert "a99" not in {a.article_id for a in annex}  # not cited, not in the annex
    cited = [n for e in events for n in e.citations]
    assert sorted(set(cited)) == [a.number for a in annex]  # every entry cited, every citation resolves
    eu1, eu2 = (next(e for e in events if e.event_id == i) for i in ("eu1", "eu2"))
    assert set(eu1.citations) & set(eu2.citations)  # the shared article a8 has one number
    assert annex[0].published_at.tzinfo is not None and annex[0].url == "https://news.example/a1"


def test_annex_drops_articles_and_events_it_cannot_cite():
    events_df, articles_df = frames(missing=("a16", "a2"))
    events, annex = build_annex(events_df, articles_df)
    assert "kg" not in {e.event_id for e in events}  # its only article is missing
    kq = next(e for e in events if e.event_id == "kq")
    assert len(kq.citations) == 2 and {"a2", "a16"}.isdisjoint(a.article_id for a in annex)


def test_every_section_present_and_non_empty():
    s = offline_report()
    assert s.key_developments.items
    for prose in (s.executive_summary, s.geopolitical_impact, s.military_analysis):
        assert prose.paragraphs and all(p.strip() for p in prose.paragraphs)
    for value in s.outlook.model_dump().values():
        assert value.strip()
    assert s.structured.threat_level in THREAT_LEVELS and s.structured.hotspots
    assert OFFLINE_NOTICE in s.provenance and any(n.startswith("Intelligence gaps:") for n in s.notes)


def test_citations_resolve_and_every_annex_entry_is_used():
    events, annex = mongolia_week()
    s = offline_report(events, annex)
    numbers = {a.number for a in annex}
    cited = {n for text in all_texts(s) for n in citations_in(text)}
    assert cited <= numbers, f"unresolved {cited - numbers}"
    assert numbers <= cited, f"unused annex entries {numbers - cited}"
    assert "[7]" not in events[5].summary or True  # the summary's own "[7]" is not carried into the text
    assert all("[7] and the EU" not in t for t in all_texts(s))


def test_factual_sentences_carry_citations():
    s = offline_report()
    for item in s.key_developments.items:
        assert citations_in(item.text), item.text
        assert 2 <= len(sentences(item.text)) <= 4, item.text
    texts = [i.text for i in s.key_developments.items]
    for prose in (s.executive_summary, s.geopolitical_impact, s.military_analysis):
        texts += prose.paragraphs
    texts += list(s.outlook.model_dump().values())
    for text in texts:
        for sentence in sentences(text):
            assert citations_in(sentence) or sentence.startswith("No "), sentence


def test_key_developments_cover_significant_events_with_dates_places_and_sourcing():
    events, annex = mongolia_week()
    items = offline_report(events, annex).key_developments.items
    significant = {e.event_id for e in events if e.intensity >= 2}
    assert significant <= {i for item in items for i in item.event_ids}
    assert len(items) >= 8 and all(len(item.title) <= 80 for item in items)
    kq = items[0]
    assert kq.category == "military_activity" and kq.title == "Khaan Quest 2026 multinational peacekeeping exercise opens at Five Hills"
    assert kq.text.startswith("On 24 June 2026, ") and "Five Hills Training Area" in kq.text
    assert "reported by 3 independent sources [1][2][3]." in kq.text and kq.source_count == 3
    assert any("India" in item.text and "the United States" in item.text for item in items)
    single = next(item for item in items if item.event_ids == ["kr"])
    assert "single source" in single.text


def test_prose_groups_by_partner_and_category_and_names_figures():
    s = offline_report()
    geo = " ".join(s.geopolitical_impact.paragraphs)
    assert "9 foreign countries or bodies, most prominently China (2 events), Russia (1 event) and South Korea (2 events)" in geo
    assert "Cybersecurity accounted for 3 of the week's 10 events" in geo and "is named in" in geo and "alongside" not in geo
    mil = " ".join(s.military_analysis.paragraphs)
    assert "1,100 troops" in mil and "18 countries" in mil
    assert "None of the English summaries of these events mentions an acquisition" in mil
    outlook = s.outlook
    assert re.search(r"(very likely|likely|may) .*\((high|moderate|low) confidence\)", outlook.short_term_trends)
    assert "Ulaanbaatar" in outlook.critical_flashpoints
    assert "For Cybersecurity, watch" in outlook.indicators
    assert "government networks" in outlook.recommendations


def test_military_analysis_says_when_no_figures_or_activity():
    quiet = [brief("d1", "diplomacy", 1), brief("p1", "defense_policy", 2, summary="A defence plan was adopted.")]
    mil = " ".join(military_analysis(briefing_of("MN", "Mongolia", WEEK, quiet, [])).paragraphs)
    assert "The English summaries of these policy steps state no budgets, force numbers or equipment quantities [" in mil
    none = military_analysis(briefing_of("MN", "Mongolia", WEEK, [brief("d1", "diplomacy", 1)], []))
    assert none.paragraphs[0].startswith("None of the week's 1 event involving Mongolia is military activity, defence")
    conflict_only = military_analysis(briefing_of("MN", "Mongolia", WEEK, [brief("a1", "armed_conflict", 4)], []))
    assert "No military activity" not in " ".join(conflict_only.paragraphs)
    assert "Armed conflict or terrorism accounts for 1 event" in " ".join(conflict_only.paragraphs)
    nothing = military_analysis(briefing_of("MN", "Mongolia", WEEK, [], []))
    assert nothing.paragraphs == ["No security-relevant events involving Mongolia were found in this week's sources."]


def test_deterministic_and_independent_of_input_order():
    events, annex = mongolia_week()
    first = offline_report(events, annex)
    shuffled = list(events)
    random.Random(7).shuffle(shuffled)
    second = offline_report(shuffled, annex)
    assert repr(first) == repr(second)
    again_events, again_annex = mongolia_week()
    assert again_events == events and again_annex == annex


@pytest.mark.parametrize(
    ("intensities", "extra", "level"),
    [
        ([1, 1, 1, 1, 1], {}, "Low"),  # 5
        ([2, 2, 2], {}, "Moderate"),  # 6
        ([3, 3, 3, 2, 2, 1, 1], {}, "Elevated"),  # 13: the reference week
        ([4, 1, 1], {"category": "armed_conflict", "summary": "Two soldiers were killed."}, "Elevated"),  # 13
        ([5, 1, 1], {}, "High"),  # 7 + 4 = 11, floor
        ([4, 4, 3, 2], {}, "High"),  # 13 + 8 = 21
        ([5, 5, 5], {"category": "armed_conflict", "summary": "Dozens were killed."}, "Critical"),  # 15 + 12 + 9
    ],
)
def test_threat_level_rule(intensities, extra, level):
    events = [brief(f"e{i}", extra.get("category", "diplomacy"), n, summary=extra.get("summary", "Talks."),
                    publishers=[f"Newsroom {i}"]) for i, n in enumerate(intensities)]
    got, reason = rule_threat_level(events)
    assert got == level, reason
    assert reason.startswith("Rule score") and (f"is {level}" in reason or f"raised to {level}" in reason)
    assert f"method {METHOD}" in reason


@pytest.mark.parametrize(
    ("intensities", "publishers", "level"),
    [
        ([], [], INSUFFICIENT_REPORTING),  # nothing reported is no evidence of calm
        ([2, 2], ["A", "B"], INSUFFICIENT_REPORTING),  # too few events
        ([1, 2, 2, 1, 1], ["A"] * 5, INSUFFICIENT_REPORTING),  # one newsroom
        ([2, 2, 2], ["A", "B", "A"], "Moderate"),
        ([4], ["A"], "Elevated"),  # thin, but what was reported is serious
    ],
)
def test_thin_reporting_gives_no_low_level(intensities, publishers, level):
    events = [brief(f"e{i}", "military_activity", n, publishers=[p]) for i, (n, p) in enumerate(zip(intensities, publishers))]
    got, reason = rule_threat_level(events)
    assert got == level, reason
    if level == INSUFFICIENT_REPORTING:
        assert reason.startswith("Insufficient reporting") and "Low" not in reason.split(";")[0]
    rows = {r.term.split(":")[0]: r for r in breakdown(events)}
    assert rows["Reporting"].points == level
    assert ("too thin" in rows["Reporting"].events) == (len(events) < 3 or len(set(publishers)) < 2)


def test_the_breakdown_names_the_events_behind_each_term():
    events = [brief("a", "armed_conflict", 5, summary="Ten people were killed.", publishers=["A"], citations=[3]),
              brief("b", "armed_conflict", 3, fatalities=4, publishers=["B"], citations=[4]),
              brief("c", "diplomacy", 1, publishers=["B"], citations=[5])]
    level, _ = rule_threat_level(events)
    rows = breakdown(events)
    assert [r.points for r in rows] == ["5+3+1 = 9", "4 x 1 = 4", "3 x 2 = 6", "19", "High", level]
    assert "[3] Event a (intensity 5)" in rows[0].events and "[4] Event b (4 killed)" in rows[2].events
    assert "[5]" not in rows[1].events + rows[2].events


def test_threat_reason_names_the_figures():
    events, _ = mongolia_week()
    level, reason = rule_threat_level(events)
    assert level == "Elevated"
    assert reason.startswith("Rule score 13 = ") and "3+3+3+2+2" in reason and "4 x 0" in reason and "10 events" in reason
    casualty = [brief("c", "armed_conflict", 4, summary="Three people were killed in the attack.")]
    assert "3 x 1 armed-conflict" in rule_threat_level(casualty)[1]
    assert "raised to Elevated" in rule_threat_level(casualty)[1]


def test_hotspots_merge_events_at_the_same_place():
    events, _ = mongolia_week()
    hotspots = hotspots_from_events(events)
    labels = [h.label for h in hotspots]
    assert labels[0] == "Five Hills Training Area" or labels[0] == "Ulaanbaatar"
    assert all(isinstance(h, Hotspot) for h in hotspots) and len(hotspots) <= 8
    ub = [h for h in hotspots if h.label == "Ulaanbaatar"]
    assert len(ub) == 1 and "Ulaanbaatar city centre" not in labels  # within 10 km: merged
    assert ub[0].intensity == 3 and "3 reported events" in ub[0].detail and "GopherWhisper" in ub[0].detail
    assert labels.count("Brussels") == 1  # same name, ~500 m apart
    assert "Five Hills Training Area" in labels  # ~28 km from the capital: its own hotspot
    assert [h.intensity for h in hotspots] == sorted((h.intensity for h in hotspots), reverse=True)
    assert set(labels) == {"Five Hills Training Area", "Ulaanbaatar", "Ankara", "Washington", "Brussels", "Bishkek", "Dalian"}
    many = [brief(f"p{i:02d}", "diplomacy", 1, lat=float(i), lng=float(i), location=f"Town {i}") for i in range(12)]
    assert len(hotspots_from_events(many)) == 8


def test_change_since_last_week():
    def previous(level):
        return StructuredAssessment(threat_level=level, level_reason="x", hotspots=[])

    up = offline_report(previous=previous("Moderate"), previous_event_count=7)
    assert "up from Moderate last week" in up.executive_summary.paragraphs[0]
    assert "10 events against 7 the week before" in up.executive_summary.paragraphs[0]
    assert "Change since last week: threat level Elevated, up from Moderate last week; 10 events this week against 7 the week before." in up.notes
    assert "unchanged from last week" in offline_report(previous=previous("Elevated")).executive_summary.paragraphs[0]
    assert "down from High last week" in offline_report(previous=previous("High")).executive_summary.paragraphs[0]
    first = offline_report()
    assert "last week" not in first.executive_summary.paragraphs[0]
    assert any("no assessment of the previous week" in n for n in first.notes)


def test_executive_summary_names_level_top_developments_and_categories():
    text = offline_report().executive_summary.paragraphs[0]
    assert text.startswith("During the period of 24 June to 1 July 2026, 10 security-relevant events involving Mongolia")
    assert "assessed as Elevated" in text and "“Khaan Quest 2026" in text
    assert "Reporting was dominated by Cybersecurity (3 events) and Defense Policy and Strategic Shifts (3 events)" in text


def test_intelligence_gaps_line():
    events, _ = mongolia_week()
    line = intelligence_gaps(events)
    assert line.startswith("Intelligence gaps: 3 of 10 events rest on a single source")
    assert "Armed Conflict and Terrorism" in line and "Cybersecurity" not in line.split("no reporting")[1]


def test_empty_week_still_writes_every_section():
    s = offline_report([], [])
    assert s.structured.threat_level == INSUFFICIENT_REPORTING and s.structured.hotspots == []
    assert s.key_developments.items == []
    for text in all_texts(s):
        assert text.strip() and not citations_in(text)


def test_short_title_and_summary_cleaning():
    assert short_title("Mongolia signs a pact with Turkey - Daily News Egypt") == "Mongolia signs a pact with Turkey"
    long = short_title("word " * 40)
    assert len(long) <= 80 and long.endswith("…")
    assert summary_sentences("First claim [3]. Second one. Third.") == ["First claim.", "Second one."]


def conflict_week() -> tuple[list[EventBrief], list]:
    """A heavy week in every category, several events per category (beyond the four named per category)."""
    rows = []
    n = 0
    for c, category in enumerate(TAXONOMY):
        for k in range(6 if category == "armed_conflict" else 2):
            n += 1
            arts = [(f"c{n}a", "Wire A"), (f"c{n}b", "Wire B")] if k % 2 == 0 else [(f"c{n}a", "Local")]
            summary = f"Clashes near the town killed {k + 3} people and wounded 12 [9]." if category == "armed_conflict" else "Officials said 40 vehicles were involved."
            rows.append((f"x{n:02d}", category, f"Headline {n} about {category} - Wire", summary, 24 + (n % 7),
                         f"Town {c}", 48.0 + c, 30.0 + k * 0.01, ["UA", "PL"][: 1 + k % 2], 5 if category == "armed_conflict" else 1 + k % 4, arts))
    events_df, articles_df = frames(rows)
    return build_annex(events_df, articles_df)


def test_conflict_week_in_every_category_cites_everything():
    events, annex = conflict_week()
    s = offline_report(events, annex)
    assert s.structured.threat_level == "Critical"
    cited = {n for text in all_texts(s) for n in citations_in(text)}
    assert cited == {a.number for a in annex}
    for text in [i.text for i in s.key_developments.items] + s.geopolitical_impact.paragraphs + s.military_analysis.paragraphs:
        for sentence in sentences(text):
            assert citations_in(sentence) or sentence.startswith("No "), sentence
    assert "and 1 more item" in " ".join(s.geopolitical_impact.paragraphs)
    assert "Armed conflict or terrorism accounts for" in " ".join(s.military_analysis.paragraphs)
    assert "Intelligence gaps:" in s.notes[0] and "no reporting this week" not in s.notes[0]
    assert len(s.structured.hotspots) == 8
