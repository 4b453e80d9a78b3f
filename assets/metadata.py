"""Materialisation metadata shared by the stages: schema, row count and a Markdown preview."""

from __future__ import annotations

import dagster as dg
import polars as pl

from watchfloor.core.tables import SCHEMAS

OWNERS = ["team:watchfloor-data"]


def column_schema(table: str) -> dg.TableSchema:
    return dg.TableSchema(columns=[dg.TableColumn(name, str(dtype)) for name, dtype in SCHEMAS[table].items()])


def markdown_table(frame: pl.DataFrame, limit: int = 10, width: int = 90) -> str:
    """A Markdown table of the first rows, cells shortened and pipes escaped (article text is untrusted)."""
    if frame.is_empty():
        return "_no rows_"

    def cell(value: object) -> str:
        text = ", ".join(map(str, value)) if isinstance(value, list) else ("" if value is None else str(value))
        text = " ".join(text.split()).replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;")
        return text if len(text) <= width else text[: width - 1] + "…"

    header = "| " + " | ".join(frame.columns) + " |\n|" + "---|" * frame.width + "\n"
    rows = ["| " + " | ".join(cell(v) for v in row) + " |" for row in frame.head(limit).iter_rows()]
    return header + "\n".join(rows)


def table_metadata(table: str, frame: pl.DataFrame, preview: pl.DataFrame) -> dict:
    return {
        "dagster/row_count": frame.height,
        "dagster/column_schema": column_schema(table),
        "preview": dg.MetadataValue.md(markdown_table(preview)),
    }
