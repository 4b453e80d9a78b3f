"""Sections written through a scripted model server: what is printed, what is withheld, what a
failure shows, what every call cost (failed and cached ones included), and what the report says of it."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest

from orchestration.definitions import llm_from_environment
from tests.support.factories import TEST_DATA
from tests.support.fake_openai import FakeOpenAI, Reply, error, ok
from tests.support.llm_checks import model_sentences, uncited, ungrounded
from tests.support.mongolia_week import GENERATED, WEEK, mongolia_week
from watchfloor.core.config import ConfigError
from watchfloor.report.document import build_report
from watchfloor.report.llm.client import LLMClient
from watchfloor.report.model import SECTION_NAMES, AnnexEntry, Briefing, EventBrief
from watchfloor.report.render import render_markdown
from watchfloor.report.llm.grounding import evidence_of
from watchfloor.report.sections import SECTION_TITLES, SectionResult, briefing_of, write_section, write_sections

KEY = "sk-test-SECRET-777"


@pytest.fixture
def briefing() -> Briefing:
    events, annex = mongolia_week()
    return briefing_of("MN", "Mongolia", WEEK, events, annex)


def client_of(server: FakeOpenAI, cache: Path | None = None, **kw) -> LLMClient:
    return LLMClient(api_key=KEY, model="small-model", base_url=server.url, timeout_s=5, max_retries=0,
                     backoff_base_s=0.001, cache_dir=cache, **kw)


def good_replies(briefing: Briefing) -> dict[str, dict]:
    return {
        "key_developments": {"items": [{
            "category": "military_activity", "title": "Khaan Quest 2026",
            "text": "Khaan Quest 2026 opened at the Five Hills Training Area on June 24, 2026 [1]. Over 1,100 troops "
                    "from 18 countries took part [2]. This is a very important exercise for the whole world.",
            "source_count": 3, "event_ids": ["kq"]}]},
        "geopolitical_impact": {"paragraphs": [("Mongolia signed three defence documents with Turkey in Ankara [11]. "
                                                "The Cabinet backed a defence agreement with South Korea [10].")]},
        "military_analysis": {"paragraphs": ["Khaan Quest 2026 brought foreign forces to Five Hills [1][3]."]},
        "outlook": {"short_term_trends": "More defence cooperation is likely (moderate confidence) [11].",
                    "critical_flashpoints": "Cyber intrusions by APT29 remain a risk (moderate confidence) [6].",
                    "indicators": "Watch for new defence agreements [10].",
                    "recommendations": "Harden government websites [6][7]."},
        "structured_assessment": {"threat_level": briefing.rule_level, "level_reason": "Three events of intensity 3 [1][4][6].",
                                  "hotspots": [{"label": "Ulaanbaatar", "detail": "Cyber intrusions [4].", "lat": 47.9186,
                                                "lng": 106.9176, "intensity": 3}]},
        "executive_summary": {"paragraphs": ["Mongolia deepened its defence ties with Turkey [11] and South Korea [10]."]},
    }


def scripted(server: FakeOpenAI, replies: dict[str, Reply | list[Reply]]) -> dict[str, list[dict]]:
    """Answer each request by its section (a list is used up in order); returns the bodies asked per section."""
    asked: dict[str, list[dict]] = {}

    def handle(body: dict) -> Reply:
        server.push(handle)
        name = (body.get("response_format") or {}).get("json_schema", {}).get("name", "")
        asked.setdefault(name, []).append(body)
        reply = replies[name]
        return reply.pop(0) if isinstance(reply, list) else reply

    server.push(handle)
    return asked


def test_uncited_model_text_is_withheld_never_given_the_events_citations(server, briefing):
    replies = {name: ok(reply) for name, reply in good_replies(briefing).items()}
    scripted(server, replies)
    results = write_sections(briefing, client_of(server))
    assert all(r.generated_by == "small-model" for r in results.values())
    kd = results["key_developments"]
    assert kd.withheld == 1 and "important exercise" not in kd.content.items[0].text
    assert kd.content.items[0].text.endswith("took part [2].")
    for name, result in results.items():
        assert model_sentences(result) and not uncited(result, {a.number for a in briefing.annex}), name

    document, _ = build_report(briefing, results, generated_at=GENERATED)
    statement = document.provenance[1]
    assert "Every sentence of the model's printed here cites an annex entry of its own" in statement
    assert "states only names and figures found in what it cites" in statement
    assert "1 sentence(s) of the model's that did not were withheld (Key Security Developments 1)" in statement
    assert ("Key Security Developments: 1 of the 3 sentence(s) small-model wrote were withheld (1 had no citation"
            in " ".join(document.notes))
    assert statement in render_markdown(document)


def test_a_mostly_uncited_section_falls_back_and_says_why(server, briefing):
    uncited = {"paragraphs": ["Mongolia is a country in Asia. It has many neighbours. Things happened [11]."]}
    scripted(server, {"geopolitical_impact": ok(uncited, prompt_tokens=1234, completion_tokens=56)})
    result = write_section("geopolitical_impact", briefing, client_of(server))
    assert result.generated_by == "offline" and result.model_failed and result.failure_kind == "ungrounded"
    assert result.withheld == 2 and (result.prompt_tokens, result.completion_tokens, result.llm_calls) == (1234, 56, 1)
    assert "Mongolia is a country in Asia" not in json.dumps(result.content.model_dump())
    assert result.notes[0].startswith("Geopolitical Impact: the language model small-model failed (2 of the 3 sentence(s)")


def test_a_failed_section_is_visible_recorded_and_its_replies_kept(server, briefing, tmp_path: Path):
    replies = {name: ok(reply) for name, reply in good_replies(briefing).items()}
    replies["outlook"] = [ok("not json at all " + KEY, prompt_tokens=900, completion_tokens=40),
                          ok({"short_term_trends": 3}, prompt_tokens=950, completion_tokens=10)]
    scripted(server, replies)
    failures = tmp_path / "llm_failures" / "MN" / str(WEEK)
    results = write_sections(briefing, client_of(server), failures)
    outlook = results["outlook"]
    assert outlook.model_failed and outlook.failure_kind == "invalid"
    assert (outlook.prompt_tokens, outlook.completion_tokens, outlook.llm_calls) == (1850, 50, 2)
    assert [c["outcome"] for c in outlook.calls] == ["invalid", "invalid"] and outlook.llm_seconds > 0
    kept = sorted(failures.glob("outlook-*.json"))
    assert [p.name for p in kept] == ["outlook-1.json", "outlook-2.json"]
    first = json.loads(kept[0].read_text())
    assert first["content"].startswith("not json at all") and first["error"].startswith("the reply is not valid JSON")
    assert re.fullmatch(r"[0-9a-f]{64}", first["cache_key"]) and "Outlook" in first["system"] and first["user"]
    assert all(KEY not in p.read_text() and "SECRET" not in p.read_text() for p in kept)

    document, row = build_report(briefing, results, generated_at=GENERATED)
    assert "except “Outlook and Forecast”, where the model failed" in document.provenance[1]
    assert any(n.startswith("Outlook and Forecast: the language model small-model failed (reply still invalid") for n in document.notes)
    assert row["offline_sections"] == ["outlook"] and row["generated_by"] == "small-model"
    assert row["llm_calls"] == 7 and row["prompt_tokens"] == 5 * 100 + 1850  # the failed calls are counted


def test_a_model_failing_everywhere_is_said_to_have_failed(briefing):
    client = LLMClient(api_key=KEY, model="small-model", base_url="http://127.0.0.1:9/v1", timeout_s=1, max_retries=0)
    results = write_sections(briefing, client)
    assert all(r.model_failed and r.failure_kind == "unreachable" and r.llm_calls == 1 for r in results.values())
    document, row = build_report(briefing, results, generated_at=GENERATED)
    assert document.offline and row["generated_by"] == "offline" and row["llm_calls"] == 6
    assert re.match(r"The language model small-model was asked for every section and failed for all of them "
                    r"\(first: connection error", document.provenance[1])
    assert "without a language model" in document.provenance[2]


def test_cached_runs_keep_their_figures_and_a_lasting_failure_keeps_the_summary_cached(server, briefing, tmp_path: Path):
    replies = {name: ok(reply, prompt_tokens=1000 + i, completion_tokens=100 + i)
               for i, (name, reply) in enumerate(good_replies(briefing).items())}
    replies["military_analysis"] = [ok({"paragraphs": 1}), ok({"paragraphs": 2})]  # invalid, and invalid after the repair
    asked = scripted(server, replies)
    first = write_sections(briefing, client_of(server, tmp_path))
    assert first["military_analysis"].model_failed and server.calls == 7

    second = write_sections(briefing, client_of(server, tmp_path))
    assert server.calls == 7  # nothing asked again: the summary's prompt did not change, the failure is cached
    for name in SECTION_NAMES:
        one, two = first[name], second[name]
        assert two.cached and not one.cached, name
        assert (two.prompt_tokens, two.completion_tokens, two.llm_calls) == (one.prompt_tokens, one.completion_tokens,
                                                                             one.llm_calls), name
        assert two.content == one.content and two.generated_by == one.generated_by, name
    assert "cached" in second["military_analysis"].fallback_reason
    _, row = build_report(briefing, second, generated_at=GENERATED)
    assert row["llm_calls"] == 7 and row["prompt_tokens"] > 5000  # not zeros
    assert len(asked["executive_summary"]) == 1


def test_the_summary_follows_the_sections_as_printed(server, briefing, tmp_path: Path):
    """A failure that may pass (HTTP 503) is not cached: when the section succeeds on the next run, the
    executive summary, written from the sections as the report prints them, is written again."""
    replies = {name: ok(reply) for name, reply in good_replies(briefing).items()}
    replies["military_analysis"] = [error(503, "busy"), ok(good_replies(briefing)["military_analysis"])]
    asked = scripted(server, replies)
    first = write_sections(briefing, client_of(server, tmp_path))
    assert first["military_analysis"].failure_kind == "unreachable"
    second = write_sections(briefing, client_of(server, tmp_path))
    assert second["military_analysis"].generated_by == "small-model"
    summaries = [b["messages"][1]["content"] for b in asked["executive_summary"]]
    assert len(summaries) == 2 and "Khaan Quest 2026 brought foreign forces" in summaries[1]
    assert "Khaan Quest 2026 brought foreign forces" not in summaries[0]
    assert all(second[n].cached for n in SECTION_NAMES if n not in ("military_analysis", "executive_summary"))


def replayed(server: FakeOpenAI, recording: Path) -> tuple[Briefing, dict[str, SectionResult]]:
    """The sections written from a recording of a real model's replies (tests/data/llm_replies/)."""
    recorded = json.loads(recording.read_text(encoding="utf-8"))
    b = recorded["briefing"]
    briefing = briefing_of(b["iso2"], b["country_name"], date.fromisoformat(b["week"]),
                           [EventBrief.model_validate(e) for e in b["events"]],
                           [AnnexEntry.model_validate(a) for a in b["annex"]], {int(k): v for k, v in b["excerpts"].items()})
    scripted(server, {name: [Reply(content=text, finish_reason="length" if outcome == "length" else "stop")
                             for text, outcome in zip(replies, recorded["outcomes"][name], strict=True)]
                      for name, replies in recorded["replies"].items()})
    client = LLMClient(api_key=KEY, model=recorded["model"], base_url=server.url, timeout_s=5, max_retries=0)
    return briefing, write_sections(briefing, client)


def test_the_real_small_models_replies_replayed(server):
    """SmolLM2-135M-Instruct's replies for the sample week (recorded by make test-llm from llama.cpp):
    headlines copied without citations, file names and repeated dates as paragraphs, an invented
    hotspot off the map, two repetition loops cut at max_tokens. Nothing of it reaches the report,
    and the report says the model failed for every section, and why."""
    briefing, results = replayed(server, TEST_DATA / "llm_replies" / "smollm2-plain-citations-MN-2026-06-24.json")
    assert {n: r.failure_kind for n, r in results.items()} == {
        "key_developments": "ungrounded", "geopolitical_impact": "ungrounded", "military_analysis": "length",
        "outlook": "length", "structured_assessment": "ungrounded", "executive_summary": "ungrounded"}
    document, row = build_report(briefing, results, generated_at=GENERATED)
    markdown = render_markdown(document)
    for echo in ("Mohammadabad", ".json", "2026-06-29 2026-06-29", "Key Developments:", "22b5409018a75225"):
        assert echo not in markdown, echo
    assert "The language model smollm2 was asked for every section and failed for all of them" in markdown
    assert row["generated_by"] == "offline" and row["llm_calls"] == 6


@pytest.mark.parametrize("recording", sorted((TEST_DATA / "llm_replies").glob("*.json")), ids=lambda p: p.stem)
def test_what_a_real_model_wrote_is_printed_only_where_grounded(server, recording):
    """Every recorded real model's replies: what reaches the report cites the annex and states only
    names and figures its citations hold; a section that kept too little says why."""
    briefing, results = replayed(server, recording)
    numbers, evidence = {a.number for a in briefing.annex}, evidence_of(briefing)
    rule_texts = [briefing.rule_reason, *(p.detail for p in briefing.places)]
    for name, result in results.items():
        if result.model_failed:  # the offline writer's text stands, and says why
            assert result.fallback_reason and result.notes[0].startswith(f"{SECTION_TITLES[name]}: the language model")
        else:
            assert not uncited(result, numbers, rule_texts) and not ungrounded(result, evidence, rule_texts), name
    document, _ = build_report(briefing, results, generated_at=GENERATED)
    assert document.withheld == {n: r.withheld for n, r in results.items() if r.withheld and not r.model_failed}


def test_sampling_and_timeout_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test")
    monkeypatch.setenv("WATCHFLOOR_LLM_TEMPERATURE", "0.3")
    monkeypatch.setenv("WATCHFLOOR_LLM_SEED", "11")
    monkeypatch.setenv("WATCHFLOOR_LLM_TIMEOUT", "240")
    llm = llm_from_environment()
    assert (llm.temperature, llm.seed, llm.timeout_s) == (0.3, 11, 240.0)
    monkeypatch.delenv("WATCHFLOOR_LLM_TIMEOUT")
    assert llm_from_environment().timeout_s is None  # from the measured speed
    monkeypatch.setenv("WATCHFLOOR_LLM_SEED", "eleven")
    with pytest.raises(ConfigError, match="WATCHFLOOR_LLM_SEED"):
        llm_from_environment()


def test_the_prompt_fits_the_servers_context(server, briefing):
    """A server that says its context length (llama.cpp's /props) gets prompts within it: the week's
    least significant events are left out of the prompt (never out of the report), and a note says so."""
    full = write_section("key_developments", briefing, client_of(server.push(ok(good_replies(briefing)["key_developments"]))))
    whole_prompt = server.requests[-1].text()
    assert not any("most significant events" in n for n in full.notes)
    server.context_tokens = 256 + 2000 + len(whole_prompt) // 7  # room for the reply and about half the prompt
    result = write_section("key_developments", briefing, client_of(server.push(ok(good_replies(briefing)["key_developments"]))))
    trimmed_prompt = server.requests[-1].text()
    assert len(trimmed_prompt) < 0.75 * len(whole_prompt) and "Khaan Quest" in trimmed_prompt  # the most significant stays
    note = next(n for n in result.notes if "most significant events" in n)
    assert f"of {len(briefing.events)}, to fit the server's context of {server.context_tokens} tokens" in note
    assert result.generated_by == "small-model"
