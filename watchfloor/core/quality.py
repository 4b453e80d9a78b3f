"""Great Expectations 1.x validation of polars frames, as plain outcomes the asset checks report.

GX is imported inside the function: it costs seconds to import and only the checks need it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import polars as pl


@dataclass(frozen=True)
class Outcome:
    expectation: str  # GX expectation type, e.g. expect_column_values_to_be_unique
    column: str | None
    success: bool
    unexpected_count: int
    element_count: int
    sample: list[str]  # a few offending values, as text


def validate(frame: pl.DataFrame, expectations: list[Any], name: str) -> list[Outcome]:
    """Run GX expectations (instances of gx.expectations.*) against `frame` in an ephemeral context."""
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    batch = (
        context.data_sources.add_pandas(f"{name}_source")
        .add_dataframe_asset(name=name)
        .add_batch_definition_whole_dataframe(f"{name}_batch")
        .get_batch(batch_parameters={"dataframe": frame.to_pandas()})
    )
    suite = gx.ExpectationSuite(name=f"{name}_suite")
    for expectation in expectations:
        suite.add_expectation(expectation)
    results = batch.validate(suite, result_format="SUMMARY")
    return [
        Outcome(
            expectation=r.expectation_config.type,
            column=r.expectation_config.kwargs.get("column"),
            success=bool(r.success),
            unexpected_count=int(r.result.get("unexpected_count") or 0),
            element_count=int(r.result.get("element_count") or frame.height),
            sample=[str(v) for v in (r.result.get("partial_unexpected_list") or [])[:5]],
        )
        for r in results.results
    ]
