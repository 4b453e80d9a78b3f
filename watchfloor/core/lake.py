"""The Parquet lake: table schemas, atomic partition writes, and the content-addressed feed archive.

Every partition is written to a temporary file and renamed into place, so readers (and DuckDB views)
see either the old partition or the new one, never half of one, and a crash loses nothing stored.
"""

from __future__ import annotations

import fcntl
import gzip
import hashlib
import os
import time
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import polars as pl

from watchfloor.core.tables import SCHEMAS, conform, empty

STALE_TEMPORARY = timedelta(hours=6)  # a temporary file this old belongs to a run that was killed
@dataclass(frozen=True)
class Lake:
    root: Path  # $WATCHFLOOR_DATA

    @property
    def lake_dir(self) -> Path:
        return self.root / "lake"

    @property
    def archive_dir(self) -> Path:
        return self.root / "archive"

    def table_dir(self, table: str) -> Path:
        return self.lake_dir / table

    def table_glob(self, table: str) -> str:
        return str(self.table_dir(table) / "**" / "*.parquet")

    def has_data(self, table: str) -> bool:
        return any(self.table_dir(table).rglob("*.parquet"))

    def partition_values(self, table: str, key: str) -> list[str]:
        """The values of a hive-style partition key present in the table, e.g. every country=XX."""
        return sorted({p.name.split("=", 1)[1] for p in self.table_dir(table).rglob(f"{key}=*") if p.is_dir()})

    # -- writes ---------------------------------------------------------------------------------

    @property
    def temporary_dir(self) -> Path:
        """Where every write starts (same file system as its target, so the rename is atomic)."""
        return self.lake_dir / ".tmp"

    def _temporary(self, suffix: str) -> Path:
        self.temporary_dir.mkdir(parents=True, exist_ok=True)
        return self.temporary_dir / f"{uuid.uuid4().hex}{suffix}"

    def remove_stale_temporary(self, older_than: timedelta = STALE_TEMPORARY) -> int:
        """Delete what killed runs left half-written (no write takes this long); returns how many."""
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
        self, frame: pl.DataFrame, target: Path, row_group_size: int | None = None, metadata: dict[str, str] | None = None
    ) -> Path:
        """Write `frame` to `target` atomically (temporary file in the lake, then rename)."""
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = self._temporary(".parquet")
        try:
            frame.write_parquet(tmp, compression="zstd", statistics=True, row_group_size=row_group_size, metadata=metadata)
            os.replace(tmp, target)
        finally:
            tmp.unlink(missing_ok=True)
        return target

    def replace_week(
        self, table: str, week: date, frame: pl.DataFrame, country: str | None = None, row_group_size: int | None = None
    ) -> Path:
        """Replace one (week) or (week, country) partition whole: a re-run gives the same single file."""
        folder = self.table_dir(table) / f"week={week}"
        if country is not None:
            folder = folder / f"country={country}"
        return self.write_file(conform(frame, table), folder / "part-0.parquet", row_group_size)

    def append(self, table: str, partition: str, batch_id: str, frame: pl.DataFrame) -> Path:
        """Add one batch to an append-only table (one file per batch per partition)."""
        return self.write_file(conform(frame, table), self.table_dir(table) / partition / f"{batch_id}.parquet")

    def snapshot_path(self, table: str) -> Path:
        return self.lake_dir / "_snapshots" / f"{table}.parquet"

    def refresh_snapshot(self, table: str) -> bool:
        """Rewrite the table's snapshot unless it holds exactly the partition files there are now;
        returns whether it was rewritten. Writers call this after writing, one at a time (a file
        lock), so the last one sees every write that finished before it; and a run killed between
        its write and this call is caught up by the next call, which finds the files changed."""
        target = self.snapshot_path(table)
        target.parent.mkdir(parents=True, exist_ok=True)
        with open(target.with_name(f".{table}.lock"), "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes, also if the process dies
            files = sorted(self.table_dir(table).rglob("*.parquet"))
            listing = _listing_digest(files)  # taken before reading: a file replaced meanwhile shows next time
            if target.exists() and pl.read_parquet_metadata(target).get(_SNAPSHOT_KEY) == listing:
                return False
            frame = read_files(files, table)
            self.write_file(frame.sort([c for c in ("week", "country") if c in frame.columns]), target,
                            metadata={_SNAPSHOT_KEY: listing})
            return True

    def write_text(self, path: Path, text: str) -> Path:
        """Write a document (section JSON, report) atomically: readers see the old or the new file."""
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self._temporary(".tmp")
        try:
            tmp.write_text(text, encoding="utf-8")
            os.replace(tmp, path)
        finally:
            tmp.unlink(missing_ok=True)
        return path

    def section_path(self, country: str, week: date, name: str) -> Path:
        return self.root / "sections" / country / str(week) / f"{name}.json"

    def report_dir(self, country: str, week: date) -> Path:
        return self.root / "reports" / country / str(week)

    def archive(self, sha256: str, body: bytes) -> Path:
        """Store a fetched document once per content hash (identical polls share one file)."""
        path = self.archive_dir / sha256[:2] / f"{sha256}.gz"
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = self._temporary(".tmp")
            try:
                tmp.write_bytes(gzip.compress(body, compresslevel=6, mtime=0))
                os.replace(tmp, path)
            finally:
                tmp.unlink(missing_ok=True)
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
        inner = f"country={country}/*.parquet" if country else "**/*.parquet"
        files = sorted(f for w in weeks for f in (self.table_dir(table) / f"week={w}").glob(inner))
        return read_files(files, table, columns, where)


_SNAPSHOT_KEY = "watchfloor_partition_files"


def _listing_digest(files: list[Path]) -> str:
    """Identifies a set of files and their versions (a replaced file is a new inode)."""
    digest = hashlib.sha256()
    for path in files:
        stat = path.stat()
        digest.update(f"{path}\0{stat.st_ino}\0{stat.st_mtime_ns}\0{stat.st_size}\n".encode())
    return digest.hexdigest()


def read_files(files: list[Path], table: str, columns: list[str] | None = None, where: pl.Expr | None = None) -> pl.DataFrame:
    """Rows of the table's files; a column that files written by an older version lack reads as null."""
    if not files:
        return empty(table, columns)
    frame = pl.scan_parquet(files, schema=SCHEMAS[table], missing_columns="insert", extra_columns="ignore")
    if where is not None:
        frame = frame.filter(where)
    return conform(frame.select(columns or pl.all()).collect(), table, columns)
