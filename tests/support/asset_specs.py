"""What the code location declares of every asset and check, as plain JSON: the committed snapshot
(tests/data/asset_specs.json) that tests/dagster/test_asset_specs.py compares with the definitions
and tests/system/test_ui.py with what the webserver shows. `WATCHFLOOR_UPDATE_SNAPSHOT=1` rewrites
it after a change meant to alter the specs."""

from __future__ import annotations

import json
from pathlib import Path

import dagster as dg

from watchfloor.core.config import REPO_ROOT

SNAPSHOT = REPO_ROOT / "tests" / "data" / "asset_specs.json"
# The environment the snapshot is taken in (the embedded defaults, no LLM).
ENVIRONMENT = {"WATCHFLOOR_COUNTRIES": "MN,KZ,PL", "WATCHFLOOR_FIRST_WEEK": "2025-01-01"}


def describe(defs: dg.Definitions) -> dict[str, dict]:
    """asset key -> its spec: group, description, kinds, owners, code version, dependencies, partitions,
    policies, the file its code reference points to, and its checks."""
    graph = defs.resolve_asset_graph()
    described = {}
    for spec in defs.resolve_all_asset_specs():
        assets_def = defs.resolve_assets_def(spec.key)
        checks = [graph.get_check_spec(key) for key in graph.get_check_keys_for_assets({spec.key})]
        described[spec.key.to_user_string()] = {
            "group": spec.group_name,
            "description": spec.description,
            "kinds": sorted(spec.kinds),
            "owners": list(spec.owners),
            "code_version": spec.code_version,
            "deps": {dep.asset_key.to_user_string(): repr(dep.partition_mapping) if dep.partition_mapping else None
                     for dep in sorted(spec.deps, key=lambda d: d.asset_key.to_user_string())},
            "partitions": _partitions(spec.partitions_def),
            "backfill_policy": str(assets_def.backfill_policy) if assets_def.backfill_policy else None,
            "pool": assets_def.node_def.pool,
            "freshness_fail_window_s": spec.freshness_policy.fail_window.to_timedelta().total_seconds()
            if spec.freshness_policy else None,
            "code_reference": _code_file(spec),
            "checks": {check.name: {"blocking": check.blocking, "description": check.description,
                                    "partitions": _partitions(check.partitions_def)}
                       for check in sorted(checks, key=lambda c: c.name)},
        }
    return dict(sorted(described.items()))


def _partitions(partitions_def: dg.PartitionsDefinition | None) -> str | None:
    """e.g. "country: MN, KZ, PL x week: 0 0 * * 3 UTC from 2025-01-01 (%Y-%m-%d)"."""
    if partitions_def is None:
        return None
    if isinstance(partitions_def, dg.MultiPartitionsDefinition):
        return " x ".join(f"{d.name}: {_partitions(d.partitions_def)}" for d in partitions_def.partitions_defs)
    if isinstance(partitions_def, dg.TimeWindowPartitionsDefinition):
        return (f"{partitions_def.cron_schedule} {partitions_def.timezone} from {partitions_def.start:%Y-%m-%d} "
                f"({partitions_def.fmt}, end offset {partitions_def.end_offset})")
    return ", ".join(partitions_def.get_partition_keys())


def _code_file(spec: dg.AssetSpec) -> str | None:
    """The file the UI's source-code link opens (lines are left out: they move with every edit)."""
    references = spec.metadata.get("dagster/code_references")
    files = {Path(r.file_path).relative_to(REPO_ROOT).as_posix() for r in references.code_references} if references else set()
    return ", ".join(sorted(files)) or None


def recorded() -> dict[str, dict]:
    return json.loads(SNAPSHOT.read_text(encoding="utf-8")) if SNAPSHOT.exists() else {}


def record(described: dict[str, dict]) -> None:
    SNAPSHOT.write_text(json.dumps(described, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
