"""Fetch feed documents over HTTP(S) and from local files.

Every failure becomes a `FetchResult` with a status and a short reason; nothing here raises for a
bad feed. Whether the body is actually a feed is decided later, by `watchfloor.ingest.parse`.
"""

from __future__ import annotations

import email.utils
import os
import re
import stat
import time
import zlib
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextvars import ContextVar
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from http import HTTPStatus
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from urllib.request import url2pathname

import httpcore
import httpx
from tenacity import RetryCallState, Retrying, retry_if_result, stop_after_attempt, wait_exponential_jitter

# A feed that answered: with a new document, a 304, or the same bytes as last time.
HEALTHY_FETCH_STATUSES: tuple[str, ...] = ("ok", "not_modified", "unchanged")
FETCH_STATUSES: tuple[str, ...] = (
    *HEALTHY_FETCH_STATUSES, "http_error", "timeout", "too_large",
    "too_many_redirects", "connection_error", "io_error", "not_a_feed", "parse_error",
)
DEFAULT_USER_AGENT = "Watchfloor/0.1 (+https://github.com/watchfloor/watchfloor; security news monitor)"

_ACCEPT = ("application/rss+xml, application/atom+xml, application/rdf+xml, "
           "application/xml;q=0.9, text/xml;q=0.9, */*;q=0.8")
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):")
_INFLATE_STEP = 64 * 1024  # most decompressed bytes produced per zlib call, so a bomb never balloons

# Monotonic deadline of the attempt running in this thread, read by every socket operation.
_deadline: ContextVar[float | None] = ContextVar("watchfloor_fetch_deadline", default=None)


@dataclass(frozen=True)
class FetchRequest:
    url: str  # http(s):// URL, file:// URL, or an absolute filesystem path
    etag: str | None = None  # validators from the previous successful fetch of this feed
    last_modified: str | None = None


@dataclass(frozen=True)
class FetchResult:
    url: str
    final_url: str | None
    fetched_at: datetime
    status: str
    http_status: int | None
    body: bytes | None
    content_type: str | None
    etag: str | None  # the validators to send next time: the response's when ok, else the request's
    last_modified: str | None
    error: str | None
    attempts: int
    elapsed_ms: int


# --- a total per-attempt deadline, enforced on every socket call --------------------------------
# httpx only has per-operation timeouts, so a server trickling one byte per read timeout (in the
# headers or the body) could hold a fetch forever. These wrappers shrink each socket timeout to
# what is left of the attempt's deadline.

def _remaining(timeout: float | None, timeout_error: type[Exception]) -> float | None:
    deadline = _deadline.get()
    if deadline is None:
        return timeout
    left = deadline - time.monotonic()
    if left <= 0:
        raise timeout_error("total deadline exceeded")
    return left if timeout is None else min(timeout, left)


class _DeadlineStream(httpcore.NetworkStream):
    def __init__(self, inner: httpcore.NetworkStream) -> None:
        self._inner = inner

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._inner.read(max_bytes, _remaining(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._inner.write(buffer, _remaining(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._inner.close()

    def start_tls(self, ssl_context: Any, server_hostname: str | None = None,
                  timeout: float | None = None) -> httpcore.NetworkStream:
        tls = self._inner.start_tls(ssl_context, server_hostname, _remaining(timeout, httpcore.ConnectTimeout))
        return _DeadlineStream(tls)

    def get_extra_info(self, info: str) -> Any:
        return self._inner.get_extra_info(info)


class _DeadlineBackend(httpcore.SyncBackend):
    def connect_tcp(self, host: str, port: int, timeout: float | None = None,
                    local_address: str | None = None,
                    socket_options: Iterable[Any] | None = None) -> httpcore.NetworkStream:
        timeout = _remaining(timeout, httpcore.ConnectTimeout)
        return _DeadlineStream(super().connect_tcp(host, port, timeout, local_address, socket_options))


class _DeadlineTransport(httpx.HTTPTransport):
    def __init__(self, limits: httpx.Limits) -> None:
        super().__init__(limits=limits)
        # httpx offers no public hook for the network backend; its transport sends through `_pool`.
        self._pool = httpcore.ConnectionPool(
            ssl_context=httpx.create_ssl_context(),
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            network_backend=_DeadlineBackend(),
        )


# --- bounded, incremental body decoding ---------------------------------------------------------

class _BodyTooLarge(Exception):
    pass


class _UndecodableBody(Exception):
    pass


class _BoundedBody:
    """Collects a response body, decompressing as it arrives and stopping at max_bytes of output."""

    def __init__(self, content_encoding: str | None, max_bytes: int) -> None:
        self._encoding = (content_encoding or "identity").strip().lower()
        if self._encoding not in ("identity", "gzip", "x-gzip", "deflate"):
            raise _UndecodableBody(f"unsupported Content-Encoding {self._encoding!r}")
        self._max_bytes = max_bytes
        self._chunks: list[bytes] = []
        self._size = 0
        self._raw_size = 0
        self._deflate_head = b""  # first bytes of a deflate body, until its framing is known
        self._inflater = zlib.decompressobj(16 + zlib.MAX_WBITS) if "gzip" in self._encoding else None

    def feed(self, raw: bytes) -> None:
        self._raw_size += len(raw)
        if self._raw_size > self._max_bytes:  # also bounds compressed streams that inflate to little
            raise _BodyTooLarge(f"body exceeds {self._max_bytes} bytes")
        if self._encoding == "identity":
            self._append(raw)
        elif self._inflater is None:
            self._start_deflate(raw)
        else:
            self._inflate(raw)

    def _start_deflate(self, raw: bytes) -> None:
        # "deflate" should be zlib-wrapped (RFC 9110), but some servers send raw deflate data.
        self._deflate_head += raw
        if len(self._deflate_head) < 2:
            return
        head, self._deflate_head = self._deflate_head, b""
        zlib_wrapped = (head[0] & 0x0F) == 8 and int.from_bytes(head[:2], "big") % 31 == 0
        self._inflater = zlib.decompressobj(zlib.MAX_WBITS if zlib_wrapped else -zlib.MAX_WBITS)
        self._inflate(head)

    def _inflate(self, data: bytes) -> None:
        try:
            while data and not self._inflater.eof:
                self._append(self._inflater.decompress(data, _INFLATE_STEP))
                data = self._inflater.unconsumed_tail
        except zlib.error as exc:
            raise _UndecodableBody(f"cannot decode {self._encoding} body: {exc}") from None

    def _append(self, data: bytes) -> None:
        self._size += len(data)
        if self._size > self._max_bytes:
            raise _BodyTooLarge(f"body exceeds {self._max_bytes} bytes")
        self._chunks.append(data)

    def content(self) -> bytes:
        if self._deflate_head:
            raise _UndecodableBody("truncated deflate body")
        return b"".join(self._chunks)


# --- attempts and retries -----------------------------------------------------------------------

@dataclass(frozen=True)
class _Attempt:
    result: FetchResult
    retry_after: float | None = None  # seconds the server asked us to wait


def _is_transient(attempt: _Attempt) -> bool:
    result = attempt.result
    if result.status in ("timeout", "connection_error"):
        return True
    return result.status == "http_error" and _is_retryable_http(result.http_status)


def _is_retryable_http(code: int | None) -> bool:
    return code is not None and (code == 429 or code >= 500)


def _parse_retry_after(value: str | None) -> float | None:
    """Retry-After as seconds from now: either delta-seconds or an HTTP-date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, (when - datetime.now(timezone.utc)).total_seconds())


def _utc_now() -> datetime:
    return datetime.now(timezone.utc)


def _elapsed_ms(started: float) -> int:
    return int((time.monotonic() - started) * 1000)


class FeedFetcher:
    """Fetches feeds with timeouts, a total deadline, a decompressed size cap, redirects, retries
    with backoff, and conditional GET. Thread-safe; `fetch_many` runs up to `concurrency` at once.

    `retries` counts retries after the first attempt, so at most `retries + 1` attempts are made.
    """

    def __init__(self, *, connect_timeout: float = 10.0, read_timeout: float = 30.0,
                 total_timeout: float = 60.0, max_bytes: int = 20_000_000, max_redirects: int = 5,
                 retries: int = 3, backoff_base: float = 1.0, max_backoff: float = 30.0,
                 concurrency: int = 8, user_agent: str = DEFAULT_USER_AGENT) -> None:
        if concurrency < 1 or retries < 0 or max_redirects < 0 or max_bytes < 0:
            raise ValueError("concurrency must be >= 1; retries, max_redirects, max_bytes >= 0")
        self._connect_timeout = connect_timeout
        self._read_timeout = read_timeout
        self._total_timeout = total_timeout
        self._max_bytes = max_bytes
        self._max_redirects = max_redirects
        self._retries = retries
        self._max_backoff = max_backoff
        self._backoff = wait_exponential_jitter(initial=backoff_base, max=max_backoff, jitter=backoff_base)
        self._concurrency = concurrency
        limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
        self._client = httpx.Client(
            transport=_DeadlineTransport(limits),
            timeout=httpx.Timeout(connect=connect_timeout, read=read_timeout, write=read_timeout,
                                  pool=total_timeout),
            headers={"User-Agent": user_agent, "Accept": _ACCEPT, "Accept-Encoding": "gzip, deflate"},
            follow_redirects=False,  # followed by hand, so each hop is counted and bounded
            trust_env=False,  # proxies from the environment would bypass the deadline transport
        )

    def __enter__(self) -> FeedFetcher:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        self._client.close()

    def fetch_many(self, requests: Sequence[FetchRequest]) -> list[FetchResult]:
        if not requests:
            return []
        with ThreadPoolExecutor(max_workers=min(self._concurrency, len(requests)),
                                thread_name_prefix="watchfloor-fetch") as pool:
            return list(pool.map(self.fetch, requests))

    def fetch(self, request: FetchRequest) -> FetchResult:
        fetched_at, started = _utc_now(), time.monotonic()
        scheme = _scheme(request.url)
        if scheme in ("http", "https"):
            result = self._fetch_http(request, fetched_at)
        elif os.path.isabs(request.url) or scheme == "file":
            result = self._fetch_file(request, fetched_at)
        else:
            reason = f"unsupported URL scheme {scheme!r}" if scheme else "not a URL or an absolute path"
            result = _failure(request, fetched_at, "io_error", reason)
        return replace(result, elapsed_ms=_elapsed_ms(started))

    # --- HTTP ---

    def _fetch_http(self, request: FetchRequest, fetched_at: datetime) -> FetchResult:
        retrying = Retrying(
            stop=stop_after_attempt(self._retries + 1),
            wait=self._wait,
            retry=retry_if_result(_is_transient),
            retry_error_callback=lambda state: state.outcome.result(),  # give back the last failure
        )
        attempt: _Attempt = retrying(self._attempt_with_deadline, request, fetched_at)
        return replace(attempt.result, attempts=retrying.statistics["attempt_number"])

    def _wait(self, state: RetryCallState) -> float:
        retry_after = state.outcome.result().retry_after
        if retry_after is not None:
            return min(retry_after, self._max_backoff)
        return self._backoff(state)

    def _attempt_with_deadline(self, request: FetchRequest, fetched_at: datetime) -> _Attempt:
        deadline = time.monotonic() + self._total_timeout
        token = _deadline.set(deadline)
        try:
            return self._attempt(request, fetched_at)
        except httpx.TimeoutException as exc:
            return _Attempt(_failure(request, fetched_at, "timeout", self._timeout_reason(exc, deadline)))
        except httpx.InvalidURL as exc:
            return _Attempt(_failure(request, fetched_at, "io_error", f"invalid URL: {exc}"))
        except Exception as exc:  # noqa: BLE001 - any other failure is recorded, never raised
            return _Attempt(_failure(request, fetched_at, "connection_error", _describe(exc)))
        finally:
            _deadline.reset(token)

    def _timeout_reason(self, exc: httpx.TimeoutException, deadline: float) -> str:
        if time.monotonic() >= deadline:
            return f"total deadline of {self._total_timeout}s exceeded"
        if isinstance(exc, httpx.ConnectTimeout):
            return f"connect timeout after {self._connect_timeout}s"
        if isinstance(exc, httpx.PoolTimeout):
            return f"no free connection after {self._total_timeout}s"
        kind = "write" if isinstance(exc, httpx.WriteTimeout) else "read"
        return f"{kind} timeout after {self._read_timeout}s"

    def _attempt(self, request: FetchRequest, fetched_at: datetime) -> _Attempt:
        outgoing = self._client.build_request("GET", request.url, headers=_conditional_headers(request))
        for _ in range(self._max_redirects + 1):
            response = self._client.send(outgoing, stream=True)
            try:
                if response.next_request is None:
                    return self._handle_response(request, fetched_at, response)
                outgoing = response.next_request
            finally:
                response.close()
        reason = f"more than {self._max_redirects} redirects"
        return _Attempt(_failure(request, fetched_at, "too_many_redirects", reason, response))

    def _handle_response(self, request: FetchRequest, fetched_at: datetime,
                         response: httpx.Response) -> _Attempt:
        code = response.status_code
        if code == 304:
            result = _from_response(request, fetched_at, response, "not_modified")
            return _Attempt(replace(result, etag=response.headers.get("etag") or request.etag,
                                    last_modified=response.headers.get("last-modified") or request.last_modified))
        if not 200 <= code < 300:
            reason = f"HTTP {code} {_reason_phrase(code, response.reason_phrase)}".rstrip()
            result = _failure(request, fetched_at, "http_error", reason, response)
            if not _is_retryable_http(code):
                return _Attempt(result)
            return _Attempt(result, _parse_retry_after(response.headers.get("retry-after")))
        try:
            body = self._read_body(response)
        except _BodyTooLarge as exc:
            return _Attempt(_failure(request, fetched_at, "too_large", str(exc), response))
        except _UndecodableBody as exc:
            return _Attempt(_failure(request, fetched_at, "http_error", str(exc), response))
        result = _from_response(request, fetched_at, response, "ok")
        return _Attempt(replace(result, body=body, etag=response.headers.get("etag"),
                                last_modified=response.headers.get("last-modified")))

    def _read_body(self, response: httpx.Response) -> bytes:
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > self._max_bytes:
            raise _BodyTooLarge(f"Content-Length {declared} exceeds {self._max_bytes} bytes")
        body = _BoundedBody(response.headers.get("content-encoding"), self._max_bytes)
        for raw in response.iter_raw():  # raw: we decompress ourselves, with bounded output
            body.feed(raw)
        return body.content()

    # --- files ---

    def _fetch_file(self, request: FetchRequest, fetched_at: datetime) -> FetchResult:
        try:
            path = _local_path(request.url)
            info = path.stat()
            if not stat.S_ISREG(info.st_mode):  # a FIFO or device could block or never end
                return _failure(request, fetched_at, "io_error", f"not a regular file: {path}")
            if info.st_size > self._max_bytes:
                return _failure(request, fetched_at, "too_large", f"file exceeds {self._max_bytes} bytes")
            with path.open("rb") as handle:
                body = handle.read(self._max_bytes + 1)  # the file may have grown since stat()
        except OSError as exc:
            return _failure(request, fetched_at, "io_error", _describe(exc))
        except ValueError as exc:  # a file URL we cannot read, or a path with a NUL byte
            return _failure(request, fetched_at, "io_error", str(exc))
        if len(body) > self._max_bytes:
            return _failure(request, fetched_at, "too_large", f"file exceeds {self._max_bytes} bytes")
        return FetchResult(url=request.url, final_url=None, fetched_at=fetched_at, status="ok",
                           http_status=None, body=body, content_type=None, etag=None,
                           last_modified=None, error=None, attempts=1, elapsed_ms=0)


def _scheme(url: str) -> str:
    match = _SCHEME.match(url)  # not urlsplit: it raises on some malformed URLs
    return match.group(1).lower() if match else ""


def _local_path(url: str) -> Path:
    if os.path.isabs(url):
        return Path(url)
    parts = urlsplit(url)
    if parts.netloc not in ("", "localhost"):
        raise ValueError(f"file URL on another host {parts.netloc!r} is not supported")
    path = Path(url2pathname(parts.path))
    if not path.is_absolute():
        raise ValueError(f"file URL without an absolute path: {url!r}")
    return path


def _reason_phrase(code: int, sent: str) -> str:
    """The standard phrase where there is one: servers vary ("NOT FOUND", "", custom text)."""
    try:
        return HTTPStatus(code).phrase
    except ValueError:
        return sent


def _conditional_headers(request: FetchRequest) -> dict[str, str]:
    headers = {}
    if request.etag:
        headers["If-None-Match"] = request.etag
    if request.last_modified:
        headers["If-Modified-Since"] = request.last_modified
    return headers


def _describe(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.strerror:
        return f"{exc.strerror}: {exc.filename}" if exc.filename else exc.strerror
    message = str(exc)
    return f"{type(exc).__name__}: {message}" if message else type(exc).__name__


def _from_response(request: FetchRequest, fetched_at: datetime, response: httpx.Response,
                   status: str) -> FetchResult:
    return FetchResult(url=request.url, final_url=str(response.url), fetched_at=fetched_at,
                       status=status, http_status=response.status_code, body=None,
                       content_type=response.headers.get("content-type"), etag=request.etag,
                       last_modified=request.last_modified, error=None, attempts=1, elapsed_ms=0)


def _failure(request: FetchRequest, fetched_at: datetime, status: str, error: str,
             response: httpx.Response | None = None) -> FetchResult:
    """A failed fetch keeps the request's validators, so the next poll can still ask conditionally."""
    if response is not None:
        return replace(_from_response(request, fetched_at, response, status), error=error)
    return FetchResult(url=request.url, final_url=None, fetched_at=fetched_at, status=status,
                       http_status=None, body=None, content_type=None, etag=request.etag,
                       last_modified=request.last_modified, error=error, attempts=1, elapsed_ms=0)
