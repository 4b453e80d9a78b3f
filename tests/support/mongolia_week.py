"""A hand-made Mongolia week like the reference report: its events and articles as lake frames, and
the report the offline writer makes of them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime

import polars as pl

from watchfloor.core.tables import ARTICLES, EVENTS
from watchfloor.report.document import ReportDocument, build_report
from watchfloor.report.model import AnnexEntry, EventBrief, StructuredAssessment
from watchfloor.report.rules.annex import build_annex
from watchfloor.report.sections import briefing_of, write_sections

WEEK = date(2026, 6, 24)
WEEK_END = date(2026, 7, 1)
GENERATED = datetime(2026, 7, 1, 6, 0, tzinfo=UTC)

ULAANBAATAR = (47.9186, 106.9176)

# event_id, category, headline, summary, day, location, lat, lng, partners, intensity, [(article_id, source)]
MONGOLIA_EVENTS = [
    ("kq", "military_activity", "Khaan Quest 2026 multinational peacekeeping exercise opens at Five Hills - Montsame",
     "The 23rd edition of the multinational Khaan Quest 2026 exercise is under way at the Five Hills Training Area "
     "near Ulaanbaatar. Over 1,100 troops from 18 countries, including India, South Korea, Germany and the United "
     "States, are rehearsing peacekeeping operations. Indian troops practised checkpoint drills.",
     24, "Five Hills Training Area", 47.781, 106.575, ["IN", "KR", "DE", "US"], 3,
     [("a1", "Montsame"), ("a2", "The Hindu"), ("a3", "Army Times")]),
    ("tr", "defense_policy", "Mongolia and Turkey sign three defence cooperation documents in Ankara",
     "Mongolia's defence minister Batlut Damba and Turkish counterpart Yasar Guler signed a protocol on military "
     "training, an agreement on financial cooperation in the military sector and a protocol on financial "
     "assistance.",
     24, "Ankara", 39.9334, 32.8597, ["TR"], 2, [("a4", "Montsame"), ("a5", "Anadolu Agency")]),
    ("kr", "defense_policy", "Cabinet backs draft defence cooperation agreement with South Korea",
     "The Cabinet of Mongolia supported a draft agreement with the Republic of Korea on defence cooperation, "
     "covering military visits, consultations and training.",
     24, "Ulaanbaatar", *ULAANBAATAR, ["KR"], 2, [("a6", "Montsame")]),
    ("eu1", "diplomacy", "24th Mongolia-EU Joint Committee meets in Brussels",
     "The 24th meeting of the Mongolia-European Union Joint Committee on Cooperation reaffirmed the partnership "
     "and the EU's support for Mongolia's Third Neighbor Policy [7].",
     29, "Brussels", 50.8503, 4.3517, ["EU", "MN"], 1, [("a7", "EEAS"), ("a8", "Montsame")]),
    ("eu2", "diplomacy", "Mongolia and the EU hold human rights dialogue in Brussels",
     "Both sides exchanged views on recent human rights developments.",
     24, "Brussels", 50.846, 4.352, ["EU"], 1, [("a8", "Montsame"), ("a9", "EEAS")]),
    ("fcc", "cybersecurity", "Mongolia's regulator and the US FCC sign MoU on network security",
     "The Communications Regulatory Commission of Mongolia and the Federal Communications Commission of the USA "
     "signed a memorandum on spectrum management, 5G and 6G and trust in suppliers.",
     24, "Washington", 38.9072, -77.0369, ["US"], 2, [("a10", "Montsame")]),
    ("gw", "cybersecurity", "China-aligned GopherWhisper group targets Mongolian government entity",
     "A previously undocumented China-aligned threat actor named GopherWhisper used Discord, Slack and Outlook "
     "to steal data from a Mongolian government entity.",
     25, "Ulaanbaatar", *ULAANBAATAR, ["CN"], 3, [("a11", "The Hacker News"), ("a12", "BleepingComputer")]),
    ("apt29", "cybersecurity", "Russian APT29 compromised Mongolian government websites in watering-hole attacks",
     "Russian state-backed hackers known as APT29 compromised Mongolian government websites to infect visitors.",
     26, "Ulaanbaatar city centre", 47.92, 106.92, ["RU"], 3,
     [("a13", "The Record"), ("a14", "SecurityWeek"), ("a15", "Montsame")]),
    ("kg", "defense_policy", "Mongolian defence minister visits Kyrgyzstan",
     "Defence Minister Batlut Damba discussed military cooperation with the Kyrgyz defence ministry.",
     25, "Bishkek", 42.8746, 74.5698, ["KG"], 1, [("a16", "24.kg")]),
    ("cn", "diplomacy", "Mongolian prime minister meets Chinese Premier Li Qiang in Dalian",
     "Both sides expect bilateral trade to reach $20 billion this year and discussed infrastructure and energy.",
     25, "Dalian", 38.914, 121.6147, ["CN"], 1, [("a17", "Xinhua"), ("a18", "Montsame")]),
]  # fmt: skip


def frames(rows=MONGOLIA_EVENTS, extra_articles=("a99",), missing=()) -> tuple[pl.DataFrame, pl.DataFrame]:
    events, articles = [], {}
    for eid, cat, headline, summary, day, loc, lat, lng, partners, intensity, arts in rows:
        events.append(
            {
                "event_id": eid, "week": WEEK, "country": "MN", "category": cat, "headline": headline,
                "summary": summary, "event_date": date(2026, 6, day), "location": loc, "lat": lat, "lng": lng,
                "partners": partners, "intensity": intensity, "article_ids": [a for a, _ in arts],
                "source_count": len({s for _, s in arts}), "sources": list(dict.fromkeys(s for _, s in arts)),
                "date_basis": "text", "location_basis": "text",
            }
        )  # fmt: skip
        for i, (aid, source) in enumerate(arts):
            articles.setdefault(aid, _article(aid, source, f"{headline} ({source})", day, i))
    for aid in extra_articles:
        articles[aid] = _article(aid, "Noise Daily", "Uncited article", 25, 0)
    kept = [a for aid, a in articles.items() if aid not in missing]
    return pl.DataFrame(events, schema=EVENTS), pl.DataFrame(kept, schema=ARTICLES)


def _article(aid: str, source: str, title: str, day: int, hour: int) -> dict:
    return {
        "article_id": aid, "week": WEEK, "url": f"https://news.example/{aid}", "title": title, "summary": "",
        "body": "", "published_at": datetime(2026, 6, day, 8 + hour), "source": source, "feed_url": "",
        "language": "en", "countries": ["MN"], "duplicate_count": 0, "sources": [source], "feed_urls": [],
        "date_flag": None, "first_seen_at": datetime(2026, 6, day, 9),
    }  # fmt: skip


def mongolia_week() -> tuple[list[EventBrief], list[AnnexEntry]]:
    events_df, articles_df = frames()
    return build_annex(events_df, articles_df)


def offline_report(
    events: Sequence[EventBrief] | None = None,
    annex: Sequence[AnnexEntry] | None = None,
    previous: StructuredAssessment | None = None,
    previous_event_count: int | None = None,
) -> ReportDocument:
    """The report of `events` (default: the Mongolia week) written offline, through the asset's document builder."""
    if events is None:
        events, annex = mongolia_week()
    briefing = briefing_of("MN", "Mongolia", WEEK, list(events), list(annex or []), previous=previous,
                           previous_event_count=previous_event_count)
    document, _ = build_report(briefing, write_sections(briefing), generated_at=GENERATED)
    return document
