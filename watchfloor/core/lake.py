"""The Parquet lake: atomic partition writes, the table snapshots and the content-addressed feed archive.

The root is a local folder or an `s3://bucket/prefix` (watchfloor/core/storage.py). On local disk every
write goes to a temporary file renamed into place; on object storage every write is one PUT. Either
way readers (and DuckDB views) see the old partition or the new one, never half of one, and a crash
loses nothing stored. Paths handed out (root, table_dir, section_path, report_dir...) are
`pathlib.Path`s on local disk and `UPath`s on object storage, so callers read them the same way.
"""

from __future__ import annotations

import fcntl
import gzip
import hashlib
import io
import os
import time
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import duckdb
import polars as pl
from upath import UPath

from watchfloor.core import storage
from watchfloor.core.tables import SCHEMAS, conform, empty

STALE_TEMPORARY = timedelta(hours=6)  # a temporary file this old belongs to a run that was killed
SNAPSHOT_ATTEMPTS = 20  # conditional PUTs refused because another writer got in first; each refusal is its progress


@dataclass(frozen=True)
class Lake:
    root: Path | UPath  # $WATCHFLOOR_DATA

    @classmethod
    def at(cls, location: str) -> Lake:
        """The lake at a folder or an s3:// URL (StorageError for a bad URL)."""
        return cls(storage.data_root(location))

    @property
    def on_object_storage(self) -> bool:
        return storage.on_object_storage(self.root)

    @property
    def local_dir(self) -> Path:
        """Where what must be a local file lives (warehouse.duckdb, the LLM cache): the data folder
        itself, or WATCHFLOOR_LOCAL_DIR beside an object-storage lake."""
        return storage.local_dir() if self.on_object_storage else self.root

    @property
    def lake_dir(self) -> Path | UPath:
        return self.root / "lake"

    @property
    def archive_dir(self) -> Path | UPath:
        return self.root / "archive"

    def table_dir(self, table: str) -> Path | UPath:
        return self.lake_dir / table

    def table_glob(self, table: str) -> str:
        return str(self.table_dir(table) / "**" / "*.parquet")

    def has_data(self, table: str) -> bool:
        if self.on_object_storage:
            return bool(storage.listing(self.table_dir(table), ".parquet"))
        return any(self.table_dir(table).rglob("*.parquet"))

    def partition_values(self, table: str, key: str) -> list[str]:
        """The values of a hive-style partition key present in the table, e.g. every country=XX."""
        if self.on_object_storage:  # object stores have no folders: read the keys of the files
            return sorted({part.split("=", 1)[1] for name in storage.listing(self.table_dir(table), ".parquet")
                           for part in name.split("/") if part.startswith(f"{key}=")})
        return sorted({p.name.split("=", 1)[1] for p in self.table_dir(table).rglob(f"{key}=*") if p.is_dir()})

    def query_connection(self) -> duckdb.DuckDBPyConnection:
        """An in-memory DuckDB connection that can read table_glob(): on object storage through the
        lake's fsspec filesystem (the duckdb wheel has no httpfs offline)."""
        con = duckdb.connect()
        if self.on_object_storage:
            con.register_filesystem(self.root.fs)
        return con

    # -- writes ---------------------------------------------------------------------------------

    @property
    def temporary_dir(self) -> Path:
        """Where every local write starts (same file system as its target, so the rename is atomic)."""
        return self.lake_dir / ".tmp"

    def _temporary(self, suffix: str) -> Path:
        self.temporary_dir.mkdir(parents=True, exist_ok=True)
        return self.temporary_dir / f"{uuid.uuid4().hex}{suffix}"

    def remove_stale_temporary(self, older_than: timedelta = STALE_TEMPORARY) -> int:
        """Delete what killed runs left half-written (no write takes this long); returns how many.
        Object storage keeps nothing half-written (an interrupted PUT stores nothing)."""
        if self.on_object_storage:
            return 0
        cutoff = time.time() - older_than.total_seconds()
        removed = 0
        for path in self.temporary_dir.glob("*") if self.temporary_dir.is_dir() else ():
            try:
                if path.stat().st_mtime < cutoff:
                    path.unlink()
                    removed += 1
            except FileNotFoundError:  # finished (renamed) or removed by another process meanwhile
                continue
        return removed

    def write_file(
        self, frame: pl.DataFrame, target: Path | UPath, row_group_size: int | None = None,
        metadata: dict[str, str] | None = None, **condition: str,
    ) -> Path | UPath:
        """Write `frame` to `target` atomically (a temporary file renamed into place, or one PUT, which
        also carries `metadata` as the object's user metadata; `condition` makes it conditional)."""
        options = {"compression": "zstd", "statistics": True, "row_group_size": row_group_size, "metadata": metadata}
        if self.on_object_storage:
            buffer = io.BytesIO()
            frame.write_parquet(buffer, **options)
            storage.put(target, buffer.getvalue(), metadata, **condition)
            return target
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = self._temporary(".parquet")
        try:
            frame.write_parquet(tmp, **options)
            os.replace(tmp, target)
        finally:
            tmp.unlink(missing_ok=True)
        return target

    def replace_week(
        self, table: str, week: date, frame: pl.DataFrame, country: str | None = None, row_group_size: int | None = None
    ) -> Path | UPath:
        """Replace one (week) or (week, country) partition whole: a re-run gives the same single file."""
        folder = self.table_dir(table) / f"week={week}"
        if country is not None:
            folder = folder / f"country={country}"
        return self.write_file(conform(frame, table), folder / "part-0.parquet", row_group_size)

    def append(self, table: str, partition: str, batch_id: str, frame: pl.DataFrame) -> Path | UPath:
        """Add one batch to an append-only table (one file per batch per partition)."""
        return self.write_file(conform(frame, table), self.table_dir(table) / partition / f"{batch_id}.parquet")

    def snapshot_path(self, table: str) -> Path | UPath:
        return self.lake_dir / "_snapshots" / f"{table}.parquet"

    def refresh_snapshot(self, table: str) -> bool:
        """Rewrite the table's snapshot unless it holds exactly the partition files there are now;
        returns whether it was rewritten. Writers call this after writing, one at a time, so the last
        one sees every write that finished before it; and a run killed between its write and this
        call is caught up by the next call, which finds the files changed."""
        if self.on_object_storage:
            return self._refresh_object_snapshot(table)
        target = self.snapshot_path(table)
        target.parent.mkdir(parents=True, exist_ok=True)
        with open(target.with_name(f".{table}.lock"), "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes, also if the process dies
            files = sorted(self.table_dir(table).rglob("*.parquet"))
            listing = _listing_digest(files)  # taken before reading: a file replaced meanwhile shows next time
            if target.exists() and pl.read_parquet_metadata(target).get(_SNAPSHOT_KEY) == listing:
                return False
            self.write_file(_snapshot_frame(files, table), target, metadata={_SNAPSHOT_KEY: listing})
            return True

    def _refresh_object_snapshot(self, table: str) -> bool:
        """The same without a lock (object stores have none): optimistic concurrency. Note the snapshot's
        ETag, list the files, and PUT the new snapshot only if the ETag is still the one noted
        (If-Match; If-None-Match for the first). A writer that finds the snapshot changed meanwhile
        starts again, so the one that succeeds last listed after every write that finished before it."""
        target = self.snapshot_path(table)
        for _ in range(SNAPSHOT_ATTEMPTS):
            seen = storage.etag(target)
            files = storage.listing(self.table_dir(table), ".parquet")
            digest = _object_listing_digest(files)
            if seen is not None and snapshot_listing(target) == digest:
                return False
            condition = {"IfMatch": seen} if seen is not None else {"IfNoneMatch": "*"}
            try:
                frame = _snapshot_frame(list(files), table)
                self.write_file(frame, target, metadata={_SNAPSHOT_KEY: digest}, **condition)
                return True
            except OSError as exc:
                if not storage.precondition_failed(exc):
                    raise
        raise RuntimeError(f"the {table} snapshot kept changing under {SNAPSHOT_ATTEMPTS} attempts to rewrite it")

    def write_text(self, path: Path | UPath, text: str) -> Path | UPath:
        """Write a document (section JSON, report) atomically: readers see the old or the new file."""
        return self.write_bytes(path, text.encode("utf-8"))

    def write_bytes(self, path: Path | UPath, data: bytes) -> Path | UPath:
        if self.on_object_storage:
            storage.put(path, data)
            return path
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self._temporary(".tmp")
        try:
            tmp.write_bytes(data)
            os.replace(tmp, path)
        finally:
            tmp.unlink(missing_ok=True)
        return path

    @contextmanager
    def local_file(self, target: Path | UPath) -> Iterator[Path]:
        """A local path for code that writes only local files (matplotlib): `target` itself on local
        disk; on object storage a file under local_dir/staged/, uploaded to `target` when the block
        ends and kept, so the caller can go on reading it."""
        if not self.on_object_storage:
            yield target
            return
        local = self.local_dir / "staged" / storage.key(target)
        local.parent.mkdir(parents=True, exist_ok=True)
        yield local
        self.write_bytes(target, local.read_bytes())

    def section_path(self, country: str, week: date, name: str) -> Path | UPath:
        return self.root / "sections" / country / str(week) / f"{name}.json"

    def report_dir(self, country: str, week: date) -> Path | UPath:
        return self.root / "reports" / country / str(week)

    def archive(self, sha256: str, body: bytes) -> Path | UPath:
        """Store a fetched document once per content hash (identical polls share one file)."""
        path = self.archive_dir / sha256[:2] / f"{sha256}.gz"
        if not path.exists():
            self.write_bytes(path, gzip.compress(body, compresslevel=6, mtime=0))
        return path

    def read_archived(self, sha256: str) -> bytes:
        return gzip.decompress((self.archive_dir / sha256[:2] / f"{sha256}.gz").read_bytes())

    # -- reads ----------------------------------------------------------------------------------

    def read_week(self, table: str, week: date, country: str | None = None, where: pl.Expr | None = None) -> pl.DataFrame:
        return self.read_weeks(table, [week], country, where=where)

    def read_weeks(
        self, table: str, weeks: Iterable[date], country: str | None = None,
        columns: list[str] | None = None, where: pl.Expr | None = None,
    ) -> pl.DataFrame:
        """The weeks' rows (those matching `where`), only the named columns when given: a range of
        weeks with bodies is large."""
        if self.on_object_storage:  # one LIST of the table rather than one per week
            inside = {f"/week={w}/" + (f"country={country}/" if country else "") for w in weeks}
            urls = [u for u in storage.listing(self.table_dir(table), ".parquet") if any(p in u for p in inside)]
            return read_files(urls, table, columns, where)
        inner = f"country={country}/*.parquet" if country else "**/*.parquet"
        files = sorted(f for w in weeks for f in (self.table_dir(table) / f"week={w}").glob(inner))
        return read_files(files, table, columns, where)


_SNAPSHOT_KEY = "watchfloor_partition_files"


def snapshot_listing(path: Path | UPath) -> str | None:
    """The listing digest a snapshot records (None when there is no snapshot): in its Parquet metadata,
    and on object storage in its user metadata too, read with a HEAD (reading the footer takes ranged
    GETs, which fail when another writer replaces the snapshot between them)."""
    if storage.on_object_storage(path):
        return storage.user_metadata(path, _SNAPSHOT_KEY)
    try:
        return pl.read_parquet_metadata(path).get(_SNAPSHOT_KEY)
    except FileNotFoundError:
        return None


def _snapshot_frame(files: list, table: str) -> pl.DataFrame:
    frame = read_files(files, table)
    return frame.sort([c for c in ("week", "country") if c in frame.columns])


def _listing_digest(files: list[Path]) -> str:
    """Identifies a set of files and their versions (a replaced file is a new inode)."""
    digest = hashlib.sha256()
    for path in files:
        stat = path.stat()
        digest.update(f"{path}\0{stat.st_ino}\0{stat.st_mtime_ns}\0{stat.st_size}\n".encode())
    return digest.hexdigest()


def _object_listing_digest(files: dict[str, tuple[str, int]]) -> str:
    """The same for objects: a replaced object has a new ETag (the MD5 of its bytes, or of its parts)."""
    digest = hashlib.sha256()
    for name, (etag, size) in sorted(files.items()):
        digest.update(f"{name}\0{etag}\0{size}\n".encode())
    return digest.hexdigest()


def read_files(files: list, table: str, columns: list[str] | None = None, where: pl.Expr | None = None) -> pl.DataFrame:
    """Rows of the table's files (local paths, UPaths or s3:// URLs); a column that files written by an
    older version lack reads as null."""
    if not files:
        return empty(table, columns)
    sources = [storage.url(f) if isinstance(f, UPath) else f for f in files]
    remote = any(str(s).startswith("s3://") for s in sources)
    options = {"storage_options": storage.polars_options()} if remote else {}
    frame = pl.scan_parquet(sources, schema=SCHEMAS[table], missing_columns="insert", extra_columns="ignore", **options)
    if where is not None:
        frame = frame.filter(where)
    return conform(frame.select(columns or pl.all()).collect(), table, columns)
