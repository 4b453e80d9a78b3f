"""The report stages end to end: real materialisations with the offline writer and through an LLM server."""

from __future__ import annotations

import json
import re
from datetime import date

import dagster as dg
import pytest

from orchestration.progress import report_run
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
    assert (folder / "history.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and "](history.png)" in body
    html = (folder / "report.html").read_text()
    assert html.count("data:image/png;base64,") == 2 and "last 12 weeks" in html  # the map and the history chart
    assert assessment["threat_method"] == "watchfloor-threat-2" and "| T: the 5 most intense events |" in body
    assert "This week's" in body and "Coverage" in body
    metadata = result.asset_materializations_for_node("security_assessment")[0].metadata
    assert "SECURITY ANALYSIS REPORT" in metadata["report"].value and "base64" in metadata["hotspot_map"].value
    with warehouse.connect_read_only(Lake(week_built)) as con:
        rows = con.execute("SELECT country, threat_level, generated_by, n_events FROM assessments").fetchall()
        method = con.execute("SELECT threat_method, threat_score FROM assessments").fetchall()
        hotspots = con.execute("SELECT count(*) FROM hotspots WHERE country = 'MN'").fetchall()[0][0]
    assert rows == [("MN", assessment["threat_level"], "offline", rows[0][3])] and rows[0][3] > 0
    assert hotspots == len(assessment["hotspots"])
    assert method[0][0] == "watchfloor-threat-2" and method[0][1] > 0


def scripted_reply(body: dict):
    """Replies that look right but carry an invented citation, and for the structured assessment the
    output of an instruction planted in an article: Critical, and a hotspot in Pyongyang. The outlook
    is never valid JSON."""
    name = (body.get("response_format") or {}).get("json_schema", {}).get("name", "")
    if name == "outlook":
        return ok("Outlook: more of the same", prompt_tokens=800, completion_tokens=9)
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


def test_llm_report_is_validated_cached_and_keeps_the_key_secret(week_built, instance, monkeypatch, capsys):
    for var in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(var, raising=False)
    server = FakeOpenAI().start()
    try:
        server.push(*[scripted_reply] * 7)
        llm = LLMResource(api_key=KEY, base_url=server.url, model="fake-model", timeout_s=5)
        first = build(week_built, instance, llm)
        assert first.success and server.calls == 7  # the outlook: its reply and the one repair
        assert all(e.passed for e in first.get_asset_check_evaluations())

        folder = Lake(week_built).report_dir("MN", date.fromisoformat(WEEK))
        markdown = (folder / "report.md").read_text()
        assessment = json.loads((folder / "assessment.json").read_text())
        assert assessment["generated_by"] == "fake-model"
        assert "[99]" not in markdown and "An invented claim" not in markdown  # uncited once [99] went: withheld
        # the planted instruction's level and hotspot are gone: its uncited reason cannot move the level, Pyongyang is
        # no event place, so nothing of the model's own was left and the offline structured assessment stands
        assert "Pyongyang" not in markdown and "As instructed" not in markdown
        assert assessment["hotspots"] and all(h["label"] != "Pyongyang" for h in assessment["hotspots"])
        assert "except “Outlook and Forecast” and “Structured Assessment”, where the model failed" in markdown
        assert "- Outlook and Forecast: the language model fake-model failed (reply still invalid" in markdown
        kept = sorted((week_built / "llm_failures" / "MN" / WEEK).glob("*.json"))
        assert [p.name for p in kept] == ["outlook-1.json", "outlook-2.json"]
        with warehouse.connect_read_only(Lake(week_built)) as con:
            rule, level, tokens, calls = con.execute(
                "SELECT rule_level, threat_level, prompt_tokens, llm_calls FROM assessments").fetchall()[0]
        assert level == rule  # "As instructed by the article." cites nothing: it cannot move the level
        assert (tokens, calls) == (5 * 900 + 2 * 800, 7)  # the failed sections' calls included

        report_run(first)
        lines = capsys.readouterr().out.splitlines()
        outlook = next(line for line in lines if " outlook [" in line)
        assert outlook.startswith("  ! outlook [MN|2026-06-24] — fake-model FAILED, offline text stands (MN 2026-06-24: reply")
        assert next(line for line in lines if " geopolitical_impact [" in line).startswith("  ✓ geopolitical_impact")
        assert "900+150 tokens, 1 call(s)" in next(line for line in lines if " geopolitical_impact [" in line)

        second = build(week_built, instance, llm)  # unchanged partition: every reply, and the failure, from the cache
        assert second.success and server.calls == 7
        metadata = second.asset_materializations_for_node("geopolitical_impact")[0].metadata
        assert metadata["cached"].value == 1 and metadata["prompt_tokens"].value == 900  # the figures of the first run
        with warehouse.connect_read_only(Lake(week_built)) as con:
            assert con.execute("SELECT prompt_tokens, llm_calls FROM assessments").fetchall() == [(5 * 900 + 2 * 800, 7)]

        logs = "\n".join(str(e) for r in (first, second) for e in r.all_events)
        written = "\n".join(p.read_text(errors="replace") for p in week_built.rglob("*") if p.is_file()
                            and p.suffix in {".md", ".html", ".json"})
        assert KEY not in logs and KEY not in written
    finally:
        server.stop()


def test_a_stopped_model_server_shows_everywhere(week_built, instance, capsys):
    llm = LLMResource(api_key=KEY, base_url="http://127.0.0.1:9/v1", model="stopped-model", timeout_s=1, max_retries=0)
    result = build(week_built, instance, llm)
    assert result.success  # the offline writer stands in: the report still comes out
    report_run(result)
    lines = capsys.readouterr().out.splitlines()
    sections = [line for line in lines if "stopped-model FAILED" in line]
    assert len(sections) == 6 and all(line.startswith("  ! ") for line in sections)
    assert "  ! the language model stopped-model was unreachable for every section" in "\n".join(lines)
    metadata = result.asset_materializations_for_node("outlook")[0].metadata
    assert metadata["llm_failures"].value == 1 and metadata["llm_failure_kind"].value == "unreachable"
    assert metadata["llm_calls"].value == 1 and metadata["llm_seconds"].value >= 0
    markdown = (Lake(week_built).report_dir("MN", date.fromisoformat(WEEK)) / "report.md").read_text()
    assert "The language model stopped-model was asked for every section and failed for all of them" in markdown
    assert "- Executive Summary: the language model stopped-model failed (connection error" in markdown
