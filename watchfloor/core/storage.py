"""Where the data root lives: a local folder, or an `s3://bucket/prefix` on S3-compatible object storage.

On object storage the root is a universal_pathlib `UPath` over one s3fs filesystem, so the lake's
callers keep the pathlib vocabulary (`/`, `exists()`, `read_text()`, `rglob()`) for reads. Writes go
through the lake: each is one PUT, atomic per object (S3 shows the old object or the new one, never
part of one), and conditional PUTs (If-Match / If-None-Match) replace the local file lock.

The endpoint comes from AWS_ENDPOINT_URL_S3 or AWS_ENDPOINT_URL, the region from AWS_REGION or
AWS_DEFAULT_REGION; credentials are never read here: botocore (s3fs) and polars find them in the
standard environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN), so no object,
configuration, log line or message of Watchfloor holds them.
"""

from __future__ import annotations

import os
import re
import uuid
from pathlib import Path
from urllib.parse import urlsplit

from upath import UPath

LOCAL_DIR_ENV = "WATCHFLOOR_LOCAL_DIR"


class StorageError(ValueError):
    """Bad object-storage configuration (URL, endpoint, bucket, credentials): the message says what to fix."""


_BUCKET = re.compile(r"[a-z0-9][a-z0-9.\-]{1,61}[a-z0-9]")
# A dead endpoint fails in seconds rather than after botocore's default retries.
_CONNECT_TIMEOUT_S, _READ_TIMEOUT_S, _ATTEMPTS = 5, 120, 3
# 412, or 409 when S3 sees two conditional writes of one key at once
_PRECONDITION_CODES = {"PreconditionFailed", "ConditionalRequestConflict"}


def data_root(location: str) -> Path | UPath:
    """WATCHFLOOR_DATA as the root of the data: a resolved local folder, or the object-storage prefix."""
    scheme = urlsplit(location).scheme.lower()
    if not scheme or len(scheme) == 1:  # a path (one letter would be a Windows drive)
        return Path(location).resolve()
    hint = "use a folder or s3://bucket/prefix (S3, MinIO, R2, GCS through its S3 API)"
    if scheme != "s3":
        raise StorageError(f"WATCHFLOOR_DATA={location!r}: unsupported scheme {scheme!r}: {hint}")
    parts = urlsplit(location)
    if not parts.netloc:
        raise StorageError(f"WATCHFLOOR_DATA={location!r} names no bucket: {hint}")
    if not _BUCKET.fullmatch(parts.netloc):
        raise StorageError(f"WATCHFLOOR_DATA={location!r}: {parts.netloc!r} is not a valid bucket name: {hint}")
    if parts.query or parts.fragment:
        raise StorageError(f"WATCHFLOOR_DATA={location!r}: an object-storage URL takes no query or fragment: {hint}")
    prefix = parts.path.strip("/")
    return UPath(f"s3://{parts.netloc}/{prefix}".rstrip("/"), **filesystem_options())


def on_object_storage(path: Path | UPath) -> bool:
    return not isinstance(path, Path)


def endpoint() -> str | None:
    return os.environ.get("AWS_ENDPOINT_URL_S3") or os.environ.get("AWS_ENDPOINT_URL") or None


def region() -> str | None:
    return os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION") or None


def filesystem_options() -> dict:
    """s3fs's options: the endpoint and region, no listing cache (other processes add files)."""
    client = {"region_name": region()} if region() else {}
    config = {"connect_timeout": _CONNECT_TIMEOUT_S, "read_timeout": _READ_TIMEOUT_S,
              "retries": {"max_attempts": _ATTEMPTS, "mode": "standard"}}
    options = {"use_listings_cache": False, "client_kwargs": client, "config_kwargs": config}
    return options | ({"endpoint_url": endpoint()} if endpoint() else {})


def polars_options() -> dict[str, str]:
    """polars' storage_options for the same store; it reads the credentials from the environment itself."""
    options = {"aws_endpoint_url": endpoint()} if endpoint() else {}
    if (endpoint() or "").startswith("http://"):
        options["aws_allow_http"] = "true"
    return options | ({"aws_region": region()} if region() else {})


def local_dir() -> Path:
    """The local folder beside an object-storage lake, for what must be a local file: warehouse.duckdb
    (DuckDB opens only local database files), the copies of the snapshot tables its views read, and
    the LLM reply cache. WATCHFLOOR_LOCAL_DIR, default ./data (where analysts find warehouse.duckdb)."""
    return Path(os.environ.get(LOCAL_DIR_ENV) or "data").resolve()


def key(path: UPath) -> str:
    """The path as s3fs names it: bucket/key."""
    return path.path


def url(path: UPath) -> str:
    return f"s3://{key(path)}"


def put(path: UPath, data: bytes, metadata: dict[str, str] | None = None, **condition: str) -> None:
    """One PUT of the whole object (s3fs switches to a multipart upload above 50 MB, equally invisible
    until complete), with `metadata` as the object's user metadata; `condition` is IfMatch=<etag> or
    IfNoneMatch='*'."""
    extra = {"Metadata": {_metadata_name(k): v for k, v in metadata.items()}} if metadata else {}
    path.fs.pipe_file(key(path), data, **extra, **condition)


def user_metadata(path: UPath, name: str) -> str | None:
    """One value of the object's user metadata (one HEAD: no ranged read that a replacement could
    interrupt); None when there is no such object or value."""
    try:
        return path.fs.metadata(key(path)).get(_metadata_name(name))
    except FileNotFoundError:
        return None


def _metadata_name(name: str) -> str:
    return name.lower().replace("_", "-")  # S3 sends it as an x-amz-meta- header: no underscores


def listing(folder: UPath, suffix: str) -> dict[str, tuple[str, int]]:
    """url -> (ETag, size) of every object under `folder` whose name ends with `suffix`: one LIST."""
    try:
        found = folder.fs.find(key(folder), detail=True)
    except FileNotFoundError:
        return {}
    return {f"s3://{name}": (info.get("ETag", ""), int(info.get("size", 0)))
            for name, info in sorted(found.items()) if name.endswith(suffix) and info.get("type") == "file"}


def etag(path: UPath) -> str | None:
    try:
        return path.fs.info(key(path)).get("ETag")
    except FileNotFoundError:
        return None


def precondition_failed(exc: BaseException) -> bool:
    """Whether a conditional PUT was refused because the object changed (s3fs raises it as an OSError)."""
    response = getattr(exc.__cause__, "response", None) or {}  # the botocore ClientError
    return response.get("Error", {}).get("Code") in _PRECONDITION_CODES


def check_writable(root: UPath) -> None:
    """Reach the store, write and delete a probe object in the bucket; StorageError saying what to fix."""
    where = f"WATCHFLOOR_DATA={url(root)} at {endpoint() or 'the AWS default endpoint'}"
    bucket = key(root).split("/", 1)[0]
    probe = root / f".watchfloor-probe-{uuid.uuid4().hex}"
    try:
        put(probe, b"")
        root.fs.rm_file(key(probe))
    except FileNotFoundError:  # s3fs's NoSuchBucket
        raise StorageError(f"{where}: bucket {bucket!r} does not exist: create it or fix the URL") from None
    except PermissionError as exc:
        raise StorageError(f"{where}: access denied ({_reason(exc)}): "
                           "check AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY") from None
    except Exception as exc:  # botocore, aiohttp and s3fs errors share no base class
        raise StorageError(f"{where}: the object store cannot be used ({_reason(exc)}): check AWS_ENDPOINT_URL "
                          "and the credentials in the environment") from None


def _reason(exc: BaseException) -> str:
    """The error's class and first line (botocore's messages name endpoints and buckets, never secrets)."""
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return f"{type(exc).__name__}: {text}"[:300] if text else type(exc).__name__
