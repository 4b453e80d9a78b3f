"""The offline writer: every report section from the week's events, without a language model.

Deterministic: the same events and annex give the same text, byte for byte (no clock, no set or
hash ordering, templates chosen by a CRC of the event id). The prose is assembled from templates
(templates.py) by category and partner over the structured event fields (category, date, place,
partners, intensity, source count) plus the first sentences of each event's summary, and every
sentence that states a fact ends with the annex numbers it rests on, ``[n]``. The only sentences
without a citation state that nothing was found at all ("No ... was found") and begin with "No";
a sentence saying that none of some events has a property cites those events.

No template asserts a relation an event does not state (who acted, who was a target, who was
"alongside"): partners are "named in" the reporting. Every judgement is a documented rule whose
inputs the sentence names (counts, shares, the peak intensity): see geopolitical.balance_sentence
and templates.JUDGEMENT_MAIN. Events reported only in another language are described in English
("a Japanese-language report on armed conflict"); their original titles are in the annex.

The threat level and hotspots follow the shared rules (watchfloor.report.rules). Every section
writer takes the week's Briefing (the executive summary also the structured assessment as
written), so the section stage can call any of them by name.
"""

from __future__ import annotations

from watchfloor.report.offline.executive_summary import executive_summary
from watchfloor.report.offline.geopolitical import geopolitical_impact
from watchfloor.report.offline.key_developments import key_developments
from watchfloor.report.offline.military import military_analysis
from watchfloor.report.offline.outlook import outlook
from watchfloor.report.offline.structured import structured_assessment

SECTION_WRITERS = {
    "key_developments": key_developments,
    "geopolitical_impact": geopolitical_impact,
    "military_analysis": military_analysis,
    "outlook": outlook,
    "executive_summary": executive_summary,
    "structured_assessment": structured_assessment,
}
