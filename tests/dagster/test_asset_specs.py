"""Every asset and check the code location declares, compared with the committed snapshot
(tests/support/asset_specs.py); the snapshot replaces counts and lists asserted by hand."""

from __future__ import annotations

import os

import dagster as dg
import pytest

from orchestration.definitions import definitions
from tests.support.asset_specs import ENVIRONMENT, describe, record, recorded

SECTIONS = ("key_developments", "geopolitical_impact", "military_analysis", "outlook", "structured_assessment",
            "executive_summary")


@pytest.fixture
def environment(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    for var, value in ENVIRONMENT.items():
        monkeypatch.setenv(var, value)
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    return monkeypatch


def test_the_specs_match_the_snapshot(environment):
    defs = definitions()
    dg.Definitions.validate_loadable(defs)
    found = describe(defs)
    if os.environ.get("WATCHFLOOR_UPDATE_SNAPSHOT") == "1":
        record(found)
    assert found == recorded()


def test_with_an_llm_the_sections_are_also_of_kind_openai(environment):
    offline = describe(definitions())
    environment.setenv("OPENAI_API_KEY", "sk-test-not-used")
    online = describe(definitions())
    for name in SECTIONS:
        assert online[name].pop("kinds") == sorted({*offline[name].pop("kinds"), "openai"}), name
    assert online == offline  # nothing else depends on the key


def test_partitions_follow_the_environment_when_the_definitions_load(environment):
    environment.setenv("WATCHFLOOR_COUNTRIES", "UA,PL")
    environment.setenv("WATCHFLOOR_FIRST_WEEK", "2026-01-07")
    week = definitions().resolve_job_def("country_week").partitions_def
    assert week.get_partition_keys_in_range(dg.PartitionKeyRange("PL|2026-01-07", "PL|2026-01-14")) == [
        "PL|2026-01-07", "PL|2026-01-14"]
    assert {d.name: d.partitions_def.get_partition_keys()[:2] for d in week.partitions_defs} == {
        "country": ["UA", "PL"], "week": ["2026-01-07", "2026-01-14"]}
