"""What happens to a model's reply around validation: the repairs before it (values the server's
grammar does not bound) and the citation gate after it (no sentence printed without its own citation)."""

from __future__ import annotations

import json

import pytest

from tests.support.fake_openai import FakeOpenAI, ok
from watchfloor.report.llm.client import LLMClient
from watchfloor.report.llm.grounding import Gate, sentences
from watchfloor.report.llm.repair import conform, fix_structured
from watchfloor.report.llm.replies import request_schema
from watchfloor.report.llm.validate import bound_structured
from watchfloor.report.model import Hotspot, KeyDevelopments, StructuredAssessment

PLACES = [Hotspot(label="Ulaanbaatar", detail="Location of 2 reported events.", lat=47.9186, lng=106.9176, intensity=3),
          Hotspot(label="Ankara", detail="Location of 1 reported event.", lat=39.9334, lng=32.8597, intensity=2)]


def test_conform_cuts_clamps_and_drops_what_the_schema_bounds():
    schema = request_schema(StructuredAssessment, {"hotspots": 2})
    reply = {"threat_level": "moderate", "level_reason": "r [1].", "mood": "calm", "hotspots": [
        {"label": "A", "detail": "d", "lat": 95.5, "lng": -312.0, "intensity": 7.4},
        {"label": "B", "detail": "d", "lat": 10, "lng": 10, "intensity": 2, "source": "x"},
        {"label": "C", "detail": "d", "lat": 10, "lng": 10, "intensity": 2},
    ]}
    changes: list[str] = []
    fixed = conform(reply, schema, changes)
    assert fixed["threat_level"] == "Moderate" and "mood" not in fixed and "source" not in fixed["hotspots"][1]
    assert [h["label"] for h in fixed["hotspots"]] == ["A", "B"]
    assert (fixed["hotspots"][0]["lat"], fixed["hotspots"][0]["lng"], fixed["hotspots"][0]["intensity"]) == (90, -180, 5)
    StructuredAssessment.model_validate(fixed)  # now valid
    assert len(changes) == 7, changes  # level, mood, 2 of 3 hotspots, lat, lng, intensity, source
    assert any("kept the first 2 of 3" in c for c in changes) and any("-312.0 clamped to -180" in c for c in changes)


def test_fix_structured_takes_the_event_places_values_first():
    reply = {"threat_level": "Severe", "level_reason": "r", "hotspots": [
        {"label": "ulaanbaatar", "detail": "d", "lat": 47.9, "lng": 1069.176, "intensity": 0},  # a digit slipped
        {"label": "Ankara", "detail": "d", "lat": "north", "lng": None, "intensity": 2},
        {"label": "Nowhere", "detail": "d", "lat": 500, "lng": 500, "intensity": 9},  # no event place: left to the validator
    ]}
    changes = fix_structured(reply, "Moderate", PLACES)
    assert reply["threat_level"] == "Moderate"
    first, second, third = reply["hotspots"]
    assert (first["lat"], first["lng"], first["intensity"]) == (47.9186, 106.9176, 3)
    assert (second["lat"], second["lng"]) == (39.9334, 32.8597)
    assert (third["lat"], third["intensity"]) == (500, 9)
    assert len(changes) == 4 and "1069.176" in changes[1]


def test_a_reply_the_grammar_left_out_of_range_is_repaired_not_rejected(monkeypatch):
    """The real failure: llama.cpp enforces the schema's types but not `lng <= 180`; the whole
    structured assessment used to fall back offline. Now the event place's values are used and counted."""
    for var in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(var, raising=False)
    server = FakeOpenAI().start()
    try:
        server.push(ok({"threat_level": "Moderate", "level_reason": "Drills [1].", "hotspots": [
            {"label": "Ulaanbaatar", "detail": "Drills [1].", "lat": 47.9186, "lng": 1069.176, "intensity": 3}]}))
        client = LLMClient(api_key="k", model="m", base_url=server.url, timeout_s=5)
        answer = client.structured(system="s", user="u", schema=StructuredAssessment, name="structured_assessment",
                                   fix=lambda data: fix_structured(data, "Moderate", PLACES))
        assert server.calls == 1  # no repair request
        assert answer.content.hotspots[0].lng == 106.9176 and len(answer.repairs) == 1
    finally:
        server.stop()


def test_request_schema_bounds_lists_by_name():
    schema = request_schema(KeyDevelopments, {"items": 10, "event_ids": 8})
    assert schema["properties"]["items"]["maxItems"] == 10
    item = schema["$defs"]["KeyDevelopment"]["properties"]
    assert item["event_ids"]["maxItems"] == 8 and "maxItems" not in item["text"]
    json.dumps(schema)


@pytest.mark.parametrize("text,kept,withheld", [
    ("Troops arrived on June 24, 2026 [1]. The drills matter for Mongolia.", "Troops arrived on June 24, 2026 [1].", 1),
    ("Troops arrived. [1][2] Talks ended [3].", "Troops arrived [1][2]. Talks ended [3].", 0),
    ("North Korea has the world's largest atm market.", "", 1),  # invented, uncited: never lent a citation
    ("22b5409018a75225 | June 24, 2026 | outlook [1].", "", 1),  # an event line echoed
    ("Section 1: Executive Summary [1].", "", 1),
    ("The abbr_name field shows Mongolia [2].", "", 1),
    ("<<<DATA id=EVENTS-abc>>> data [1].", "", 1),
    ("The drills ended [1]. The drills ended [2].", "The drills ended [1].", 1),  # the same line again
])
def test_the_gate_keeps_only_cited_sentences_of_the_models_own(text, kept, withheld):
    gate = Gate({1, 2, 3})
    assert gate.keep(text) == kept
    assert gate.withheld == withheld


def test_the_gate_says_when_too_little_is_left():
    gate = Gate({1})
    gate.keep("One [1]. Two. Three.")
    assert (gate.sentences, gate.kept, gate.too_little()) == (3, 1, True)
    gate = Gate({1})
    gate.keep("One [1]. Two [1] again. Three.")
    assert not gate.too_little()
    assert sentences("It rose by 1.5 percent in the U.S. Army's budget [1]. Next [2].") == [
        "It rose by 1.5 percent in the U.S. Army's budget [1].", "Next [2]."]


def test_an_uncited_reason_cannot_move_the_level():
    sa = StructuredAssessment(threat_level="Elevated", level_reason="Moz", hotspots=[
        Hotspot(label="Ulaanbaatar", detail="Something big.", lat=47.9, lng=106.9, intensity=3)])
    gate = Gate({1})
    out, notes = bound_structured(sa, "Moderate", PLACES, valid_numbers={1}, gate=gate,
                                  rule_reason="Rule score 8: 6-11 is Moderate.")
    assert out.threat_level == "Moderate" and out.level_reason == "Rule score 8: 6-11 is Moderate."
    assert "no citation of its own" in notes[0]
    assert out.hotspots[0].detail == "Location of 2 reported events."  # the place's own, not the uncited text
    assert gate.withheld == 2
