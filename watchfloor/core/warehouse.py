"""warehouse.duckdb: a catalog of views over the lake, rebuilt into a new file and swapped in.

Assets never write into a shared DuckDB file (one writer per file, and analysts hold it open).
The views read the Parquet files directly, so new partitions show up without a rebuild; the file is
rebuilt only when the view definitions change (new SQL, a table that got its first file, a moved
data folder), into a temporary file that replaces the old one in one rename.

With the lake on object storage the catalog stays a local file (Lake.local_dir): DuckDB opens only
local database files, and its wheel reads s3:// only through httpfs, which cannot be installed
offline. The snapshot tables (events, hotspots, assessments) are read from local copies of their
snapshots, brought up to date on every refresh and connect_read_only; the other views read s3://
through the lake's fsspec filesystem, which a connection must register (connect_read_only does).
"""

from __future__ import annotations

import hashlib
import os
import re
import uuid
from collections.abc import Iterable
from pathlib import Path

import duckdb
import polars as pl

from watchfloor.core.config import REPO_ROOT, monitored_countries
from watchfloor.core.lake import Lake, snapshot_listing
from watchfloor.core.tables import SCHEMAS, SNAPSHOT_TABLES

VIEWS_DIR = REPO_ROOT / "sql" / "views"
WAREHOUSE_FILE = "warehouse.duckdb"
# The newest storage format the `duckdb` shell on PyPI (duckdb-cli 1.5) can open; views hold no data,
# so nothing is lost by writing the catalog in it.
CLI_STORAGE_VERSION = "v1.5.0"
_SOURCE = re.compile(r"\{\{(\w+)\}\}")
_ISO2 = re.compile(r"[A-Z]{2}")  # folder names reach SQL text: accept nothing but a country code


def warehouse_path(lake: Lake) -> Path:
    return lake.local_dir / WAREHOUSE_FILE


def snapshot_copy_path(lake: Lake, table: str) -> Path:
    """The local copy of an object-storage lake's snapshot, which the catalog's view reads."""
    return lake.local_dir / "snapshot-copies" / f"{table}.parquet"


def view_ddl(lake: Lake, countries: Iterable[str] = ()) -> str:
    """All view definitions, with each {{table}} replaced by its Parquet files (or an empty typed set),
    and an events_<iso2> view for each given country and each country already in the lake."""
    statements = [p.read_text(encoding="utf-8") for p in sorted(VIEWS_DIR.glob("*.sql"))]
    per_country = (VIEWS_DIR / "events_by_country.sql.template").read_text(encoding="utf-8")
    for iso2 in sorted(c for c in set(countries) | set(lake.partition_values("events", "country")) if _ISO2.fullmatch(c)):
        statements.append(per_country.replace("{{iso2}}", iso2.lower()).replace("{{ISO2}}", iso2))
    return "\n".join(_SOURCE.sub(lambda m: _source(lake, m.group(1)), s) for s in statements)


def refresh(lake: Lake, countries: Iterable[str] = ()) -> Path:
    """Bring the snapshots of the per-country tables up to date and make warehouse.duckdb match
    the current views; each part is a no-op when it already matches."""
    for table in SNAPSHOT_TABLES:
        if lake.has_data(table):
            lake.refresh_snapshot(table)
    return _update_catalog(lake, countries)


def connect_read_only(lake: Lake) -> duckdb.DuckDBPyConnection:
    """The catalog, read-only. On object storage the local snapshot copies and the catalog are brought
    up to date first (local files only: nothing is written to the bucket), and the connection gets the
    lake's filesystem for the views that read s3://."""
    if not lake.on_object_storage:
        return duckdb.connect(str(warehouse_path(lake)), read_only=True)
    con = duckdb.connect(str(_update_catalog(lake, monitored_countries())), read_only=True)
    con.register_filesystem(lake.root.fs)
    return con


def _update_catalog(lake: Lake, countries: Iterable[str]) -> Path:
    if lake.on_object_storage:
        for table in SNAPSHOT_TABLES:
            _copy_snapshot(lake, table)
    path = warehouse_path(lake)
    ddl = view_ddl(lake, countries)
    digest = hashlib.sha256(ddl.encode()).hexdigest()
    if _built_digest(path) == digest:
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{WAREHOUSE_FILE}.{uuid.uuid4().hex}")
    try:
        with duckdb.connect(str(tmp), config={"storage_compatibility_version": CLI_STORAGE_VERSION}) as con:
            if lake.on_object_storage:
                con.register_filesystem(lake.root.fs)  # creating a view reads its files' schemas
            con.execute(ddl)
            con.execute("CREATE TABLE _watchfloor_build AS SELECT ? AS digest, now() AS built_at", [digest])
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
        tmp.with_name(tmp.name + ".wal").unlink(missing_ok=True)
    return path


def _copy_snapshot(lake: Lake, table: str) -> None:
    """Download the table's snapshot when the local copy holds another listing (each records its own)."""
    remote, local = lake.snapshot_path(table), snapshot_copy_path(lake, table)
    listing = snapshot_listing(remote)
    if listing is None or (local.exists() and snapshot_listing(local) == listing):
        return
    local.parent.mkdir(parents=True, exist_ok=True)
    tmp = local.with_name(f".{local.name}.{uuid.uuid4().hex}")
    try:
        tmp.write_bytes(remote.read_bytes())
        os.replace(tmp, local)  # an analyst's open query keeps reading the copy it opened
    finally:
        tmp.unlink(missing_ok=True)


def _built_digest(path: Path) -> str | None:
    if not path.exists():
        return None
    try:
        with duckdb.connect(str(path), read_only=True) as con:
            row = con.sql("SELECT digest FROM _watchfloor_build").fetchall()
    except duckdb.Error:
        return None  # unreadable or from an older layout: rebuild it
    return row[0][0] if row else None


def _source(lake: Lake, table: str) -> str:
    if table not in SCHEMAS:
        raise ValueError(f"sql/views refers to unknown lake table {table!r}")
    snapshot_file = snapshot_copy_path(lake, table) if lake.on_object_storage else lake.snapshot_path(table)
    if table in SNAPSHOT_TABLES and snapshot_file.exists():
        snapshot = str(snapshot_file).replace("'", "''")
        return f"read_parquet('{snapshot}')"
    if lake.has_data(table):
        glob = lake.table_glob(table).replace("'", "''")
        return f"read_parquet('{glob}', union_by_name = true, hive_partitioning = false)"
    columns = ", ".join(f"CAST(NULL AS {_duckdb_type(t)}) AS {name}" for name, t in SCHEMAS[table].items())
    return f"(SELECT {columns} WHERE false)"


def _duckdb_type(dtype: pl.DataType) -> str:
    if isinstance(dtype, pl.List):
        return f"{_duckdb_type(dtype.inner)}[]"
    if isinstance(dtype, pl.Struct):
        return "STRUCT(" + ", ".join(f"{f.name} {_duckdb_type(f.dtype)}" for f in dtype.fields) + ")"
    names = {
        pl.String: "VARCHAR", pl.Int8: "TINYINT", pl.Int16: "SMALLINT", pl.Int32: "INTEGER", pl.Int64: "BIGINT",
        pl.Float64: "DOUBLE", pl.Boolean: "BOOLEAN", pl.Date: "DATE", pl.Datetime: "TIMESTAMP",
    }
    return names[dtype.base_type()]
