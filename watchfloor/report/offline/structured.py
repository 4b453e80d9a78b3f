"""The offline Structured Assessment: the rule's threat level and the hotspots of the event places."""

from __future__ import annotations

from watchfloor.report.model import Briefing, StructuredAssessment
from watchfloor.report.rules.hotspots import hotspots_from_events
from watchfloor.report.rules.threat_level import rule_threat_level


def structured_assessment(briefing: Briefing) -> StructuredAssessment:
    level, reason = rule_threat_level(briefing.events)
    return StructuredAssessment(threat_level=level, level_reason=reason, hotspots=hotspots_from_events(briefing.events))
