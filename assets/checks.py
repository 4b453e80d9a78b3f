"""Turning Great Expectations outcomes into Dagster asset-check results."""

from collections.abc import Iterator

import dagster as dg
import polars as pl

from watchfloor.core.quality import validate

Suites = dict[str, tuple[pl.DataFrame, list]]  # check name -> (frame, GX expectations)


def blocking_checks(asset: str, partitions_def: dg.PartitionsDefinition, descriptions: dict[str, str]) -> list[dg.AssetCheckSpec]:
    """Checks (name: description) over the asset's partitions whose failure stops the stages downstream of it."""
    return [dg.AssetCheckSpec(name, asset=asset, blocking=True, partitions_def=partitions_def, description=description)
            for name, description in descriptions.items()]


def suite_results(context: dg.AssetCheckExecutionContext, asset_key: dg.AssetKey, suites: Suites) -> Iterator[dg.AssetCheckResult]:
    """One result per selected check; an empty frame passes (nothing to violate)."""
    for name, (frame, expectations) in suites.items():
        if dg.AssetCheckKey(asset_key, name) not in context.selected_asset_check_keys:
            continue
        outcomes = validate(frame, expectations, name) if frame.height else []
        failed = [o for o in outcomes if not o.success]
        yield dg.AssetCheckResult(
            check_name=name,
            asset_key=asset_key,
            passed=not failed,
            metadata={
                "rows": frame.height,
                "unexpected": sum(o.unexpected_count for o in outcomes),
                "failures": "; ".join(f"{o.column}: {o.unexpected_count} e.g. {', '.join(o.sample)}" for o in failed) or "none",
            },
        )
