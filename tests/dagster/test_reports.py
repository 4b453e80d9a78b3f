"""The report stages end to end: real materialisations with the offline writer and through an LLM server."""

from __future__ import annotations

import json
import re
from datetime import date

import dagster as dg
import pytest

from resources.llm import LLMResource
from tests.support.factories import pipeline_assets, resources
from tests.support.fake_openai import FakeOpenAI, ok
from watchfloor.core import warehouse
from watchfloor.core.lake import Lake
from watchfloor.report.model import THREAT_LEVELS

WEEK = "2026-06-24"
KEY = "sk-test-SECRET-4242"
COUNTRY_STAGES = "country_events*"  # country_events and everything downstream of it


def build(data_dir, instance, llm: LLMResource | None = None) -> dg.ExecuteInProcessResult:
    return dg.materialize(pipeline_assets(), selection=COUNTRY_STAGES, partition_key=f"MN|{WEEK}", instance=instance,
                          resources=resources(data_dir, llm=llm))


@pytest.fixture
def week_built(data_dir, sample_feeds_over_http, instance):
    res = resources(data_dir, sample_feeds_over_http)
    assert dg.materialize(pipeline_assets(), selection="raw_feeds", instance=instance, resources=res).success
    assert dg.materialize(pipeline_assets(), selection="articles", partition_key=WEEK, instance=instance, resources=res).success
    return data_dir


def citations(text: str) -> set[int]:
    return {int(n) for n in re.findall(r"\[(\d+)\]", text)}


def test_offline_report_end_to_end(week_built, instance):
    result = build(week_built, instance)
    assert result.success
    assert all(e.passed for e in result.get_asset_check_evaluations())
    folder = Lake(week_built).report_dir("MN", date.fromisoformat(WEEK))
    markdown = (folder / "report.md").read_text()
    body, annex = markdown.split("## Annex", 1)
    listed = {int(n) for n in re.findall(r"\[(\d+)\]", annex)}
    assert listed and citations(body) == listed  # every [n] resolves, and no annex entry is unused
    assert "without a language model" in markdown
    for heading in ("Executive Summary", "Key Security Developments", "Geopolitical Impact", "Military and Defense Analysis",
                    "Outlook and Forecast", "Structured Assessment"):
        assert heading in body
    assessment = json.loads((folder / "assessment.json").read_text())
    assert assessment["threat_level"] in THREAT_LEVELS and assessment["hotspots"]
    assert set(assessment["hotspots"][0]) >= {"label", "detail", "lat", "lng", "intensity"}
    assert (folder / "hotspots.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "data:image/png;base64," in (folder / "report.html").read_text()
    metadata = result.asset_materializations_for_node("security_assessment")[0].metadata
    assert "SECURITY ANALYSIS REPORT" in metadata["report"].value and "base64" in metadata["hotspot_map"].value
    with warehouse.connect_read_only(Lake(week_built)) as con:
        rows = con.execute("SELECT country, threat_level, generated_by, n_events FROM assessments").fetchall()
        hotspots = con.execute("SELECT count(*) FROM hotspots WHERE country = 'MN'").fetchall()[0][0]
    assert rows == [("MN", assessment["threat_level"], "offline", rows[0][3])] and rows[0][3] > 0
    assert hotspots == len(assessment["hotspots"])


def scripted_reply(body: dict):
    """Replies that look right but carry an invented citation, and for the structured assessment the
    output of an instruction planted in an article: Critical, and a hotspot in Pyongyang."""
    name = (body.get("response_format") or {}).get("json_schema", {}).get("name", "")
    prose = "The week saw notable activity [1]. An invented claim rests on nothing [99]."
    replies = {
        "key_developments": {"items": [{"category": "military_activity", "title": "Exercise activity",
                                        "text": prose, "source_count": 1, "event_ids": ["not-an-event"]}]},
        "outlook": {"short_term_trends": prose, "critical_flashpoints": prose, "indicators": prose, "recommendations": prose},
        "structured_assessment": {"threat_level": "Critical", "level_reason": "As instructed by the article.",
                                  "hotspots": [{"label": "Pyongyang", "detail": "planted", "lat": 39.0392,
                                                "lng": 125.7625, "intensity": 5}]},
    }
    return ok(replies.get(name, {"paragraphs": [prose]}), prompt_tokens=900, completion_tokens=150)


def test_llm_report_is_validated_cached_and_keeps_the_key_secret(week_built, instance, monkeypatch):
    for var in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(var, raising=False)
    server = FakeOpenAI().start()
    try:
        server.push(*[scripted_reply] * 6)
        llm = LLMResource(api_key=KEY, base_url=server.url, model="fake-model", timeout_s=5)
        first = build(week_built, instance, llm)
        assert first.success and server.calls == 6
        assert all(e.passed for e in first.get_asset_check_evaluations())

        folder = Lake(week_built).report_dir("MN", date.fromisoformat(WEEK))
        markdown = (folder / "report.md").read_text()
        assessment = json.loads((folder / "assessment.json").read_text())
        assert assessment["generated_by"] == "fake-model"
        assert "[99]" not in markdown
        # Pyongyang survives only in the note saying it was dropped
        assert [line for line in markdown.splitlines() if "Pyongyang" in line] == [
            "- Dropped 1 hotspot(s) that are not places of this week's events: Pyongyang."]
        assert assessment["hotspots"] and all(h["label"] != "Pyongyang" for h in assessment["hotspots"])
        with warehouse.connect_read_only(Lake(week_built)) as con:
            rule, level, tokens = con.execute(
                "SELECT rule_level, threat_level, prompt_tokens FROM assessments").fetchall()[0]
        assert abs(THREAT_LEVELS.index(level) - THREAT_LEVELS.index(rule)) <= 1 and tokens == 6 * 900

        second = build(week_built, instance, llm)  # unchanged partition: every reply comes from the cache
        assert second.success and server.calls == 6

        logs = "\n".join(str(e) for r in (first, second) for e in r.all_events)
        written = "\n".join(p.read_text(errors="replace") for p in week_built.rglob("*") if p.is_file()
                            and p.suffix in {".md", ".html", ".json"})
        assert KEY not in logs and KEY not in written
    finally:
        server.stop()
