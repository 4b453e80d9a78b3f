"""What a report must never do to its own events (tests/unit/test_report_consistency.py,
tests/unit/test_events_quality.py): contradict them, invent relations, quote another language."""

from __future__ import annotations

import re

from watchfloor.report.document import ReportDocument
from watchfloor.report.model import INSUFFICIENT_REPORTING, EventBrief
from watchfloor.report.offline.grouping import COOPERATIVE, HOSTILE
from watchfloor.report.rules.threat_level import publishers_of, threat_score
from watchfloor.text.anatomy import short_title

# Relations no event states: a template must not assert who acted with whom.
INVENTED_RELATIONS = re.compile(r"\balongside\b|\btaking part\b|\bdrew in\b|\bcounterparts?\b|interoperability"
                                r"|\bwith forces\b|took a defence policy step with", re.I)
# Absence claims, and the events that would contradict each.
ABSENCES = [
    (re.compile(r"\bNo (?:military activity|exercises?)\b|none of the week's .*events.* is military activity", re.I),
     lambda events: any(e.category == "military_activity" for e in events)),
    (re.compile(r"\bNo hostile activity\b", re.I), lambda events: any(e.category in HOSTILE for e in events)),
    (re.compile(r"\bNo (?:armed|conflict)\b", re.I), lambda events: any(e.category == "armed_conflict" for e in events)),
    (re.compile(r"\bNo foreign partner\b", re.I), lambda events: any(e.partners for e in events)),
    (re.compile(r"\bNo security-relevant\b", re.I), lambda events: bool(events)),
]


def body_texts(doc: ReportDocument) -> list[str]:
    texts = [f"{item.title}. {item.text}" for item in doc.key_developments.items]
    for prose in (doc.executive_summary, doc.geopolitical_impact, doc.military_analysis):
        texts += prose.paragraphs
    o = doc.outlook
    texts += [o.short_term_trends, o.critical_flashpoints, o.indicators, o.recommendations, doc.level_reason]
    return texts + [h.detail for h in doc.structured.hotspots]


def contradictions(events: list[EventBrief], doc: ReportDocument) -> list[str]:
    """Every way the report contradicts its events (empty when it does not)."""
    found = []
    text = " ".join(body_texts(doc))
    for pattern, contradicted in ABSENCES:
        match = pattern.search(text)
        if match and contradicted(events):
            found.append(f"says {match.group(0)!r} although its events contradict it")
    quoted = " ".join(f"{ev.headline} {ev.summary}" for ev in events)
    written = " ".join(  # the writer's own words: sentences that quote an event's summary taken out
        part for part in re.split(r"(?<=[.!?])\s+", re.sub(r"\s*\[\d+\]", "", text))
        if part.rstrip(".") not in quoted
    )
    for ev in events:
        written = written.replace(short_title(ev.headline), "")
    if INVENTED_RELATIONS.search(written):
        found.append(f"asserts a relation no event states: {INVENTED_RELATIONS.search(written).group(0)!r}")
    cooperative = sum(e.category in COOPERATIVE for e in events)
    if "cooperative engagement made up most" in text and cooperative * 2 <= len(events):
        found.append("calls the week mostly cooperative without a cooperative majority")
    hostile = sum(e.category in HOSTILE for e in events)
    if "hostile activity made up most" in text and hostile * 2 <= len(events):
        found.append("calls the week mostly hostile without a hostile majority")
    for foreign in (e for e in events if not e.in_english):
        if foreign.headline in text or (foreign.summary and foreign.summary in text):
            found.append(f"quotes a {foreign.headline_language} headline or summary in the body")
    if any(f" in {e.location}" in text or f" at {e.location}" in text for e in events if e.geo_precision == "country"
           and e.location != doc.country_name):
        found.append("places a country-level event at a place")
    country_level = {(round(e.lat, 4), round(e.lng, 4)) for e in events if e.geo_precision == "country"}
    located = {(round(e.lat, 4), round(e.lng, 4)) for e in events if e.geo_precision != "country"}
    if any((h.lat, h.lng) in country_level - located for h in doc.structured.hotspots):
        found.append("draws a country-level event as a hotspot")
    publishers = publishers_of(events)
    thin = len(events) < 3 or len(publishers) < 2
    if thin and doc.threat_level in ("Low", "Moderate"):
        found.append(f"calls a week of {len(events)} events from {len(publishers)} newsrooms {doc.threat_level}")
    if not thin and doc.threat_level == INSUFFICIENT_REPORTING:
        found.append("calls a well-reported week insufficient")
    if doc.threat_breakdown and doc.threat_breakdown[-1].points != threat_score(events).level:
        found.append("prints a breakdown whose level is not the rule's")
    developments = [tuple(item.event_ids) for item in doc.key_developments.items]
    if len(developments) != len(set(developments)) or len({i for d in developments for i in d}) != sum(map(len, developments)):
        found.append("reports one happening in two key developments")
    return found
