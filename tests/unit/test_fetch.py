"""FeedFetcher against real HTTP servers on 127.0.0.1 and real files."""

from __future__ import annotations

import email.utils
import gzip
import socket
import threading
import time
import tracemalloc
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from watchfloor.ingest.fetch import DEFAULT_USER_AGENT, FETCH_STATUSES, FeedFetcher, FetchRequest, FetchResult

FEED = b'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>T</title></channel></rss>'
FAST_RETRIES = {"backoff_base": 0.001, "max_backoff": 0.01}


@pytest.fixture(scope="module")
def threaded_server() -> Iterator[HTTPServer]:
    server = HTTPServer(host="127.0.0.1", port=0, threaded=True)  # threaded: slow handlers overlap
    server.start()
    yield server
    server.clear()
    server.stop()


@pytest.fixture
def server(threaded_server: HTTPServer) -> Iterator[HTTPServer]:
    threaded_server.clear()
    yield threaded_server
    threaded_server.check_assertions()  # no unexpected requests, no handler errors


def fetch(url: str, **options) -> FetchResult:
    with FeedFetcher(**{"retries": 0, **options}) as fetcher:
        return fetcher.fetch(FetchRequest(url))


def unused_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# --- successful fetches and conditional GET ------------------------------------------------------

def test_ok_fetch(server: HTTPServer) -> None:
    identity = {"User-Agent": DEFAULT_USER_AGENT, "Accept-Encoding": "gzip, deflate"}
    validators = {"ETag": '"v1"', "Last-Modified": "Wed, 24 Jun 2026 08:00:00 GMT"}
    server.expect_request("/feed.xml", headers=identity).respond_with_data(
        FEED, content_type="application/rss+xml; charset=utf-8", headers=validators)
    before = datetime.now(timezone.utc)
    result = fetch(server.url_for("/feed.xml"))
    assert (result.status, result.http_status, result.body, result.error) == ("ok", 200, FEED, None)
    assert result.attempts == 1
    assert result.url == result.final_url == server.url_for("/feed.xml")
    assert result.content_type == "application/rss+xml; charset=utf-8"
    assert (result.etag, result.last_modified) == ('"v1"', "Wed, 24 Jun 2026 08:00:00 GMT")
    assert before <= result.fetched_at <= datetime.now(timezone.utc)
    assert 0 <= result.elapsed_ms < 5000


@pytest.mark.parametrize("validator, request_header, response_header", [
    ("etag", "If-None-Match", "ETag"),
    ("last_modified", "If-Modified-Since", "Last-Modified"),
])
def test_conditional_get_gives_not_modified(server: HTTPServer, validator: str, request_header: str,
                                            response_header: str) -> None:
    value = '"abc"' if validator == "etag" else "Wed, 24 Jun 2026 08:00:00 GMT"
    server.expect_request("/feed", headers={request_header: value}).respond_with_data("", status=304)
    server.expect_request("/feed").respond_with_data(FEED, headers={response_header: value})
    with FeedFetcher(retries=0) as fetcher:
        first = fetcher.fetch(FetchRequest(server.url_for("/feed")))
        second = fetcher.fetch(
            FetchRequest(server.url_for("/feed"), etag=first.etag, last_modified=first.last_modified))
    assert (first.status, getattr(first, validator)) == ("ok", value)
    assert (second.status, second.http_status, second.body, second.error) == ("not_modified", 304, None, None)
    assert getattr(second, validator) == value  # kept for the next poll


# --- redirects -----------------------------------------------------------------------------------

def redirect(server: HTTPServer, path: str, target: str, status: int = 302) -> None:
    server.expect_request(path).respond_with_data("", status=status, headers={"Location": target})


@pytest.mark.parametrize("max_redirects, status", [(3, "ok"), (2, "too_many_redirects")])
def test_redirect_chain(server: HTTPServer, max_redirects: int, status: str) -> None:
    redirect(server, "/r1", server.url_for("/r2"), 301)
    redirect(server, "/r2", "/r3", 302)  # relative Location
    redirect(server, "/r3", "/feed", 307)
    server.expect_request("/feed").respond_with_data(FEED)
    result = fetch(server.url_for("/r1"), max_redirects=max_redirects)
    assert (result.status, result.attempts) == (status, 1)
    if status == "ok":
        assert (result.body, result.final_url) == (FEED, server.url_for("/feed"))
    else:
        assert (result.http_status, result.body, result.error) == (307, None, "more than 2 redirects")


def test_redirect_loop(server: HTTPServer) -> None:
    redirect(server, "/a", "/b")
    redirect(server, "/b", "/a")
    result = fetch(server.url_for("/a"), retries=3)
    assert (result.status, result.http_status, result.attempts) == ("too_many_redirects", 302, 1)
    assert len(server.log) == 6  # the first request and five redirects followed


# --- HTTP errors and retries ---------------------------------------------------------------------

def test_404_is_not_retried(server: HTTPServer) -> None:
    server.expect_request("/gone").respond_with_data("nope", status=404)
    result = fetch(server.url_for("/gone"), retries=3, **FAST_RETRIES)
    assert (result.status, result.http_status, result.error) == ("http_error", 404, "HTTP 404 Not Found")
    assert result.attempts == 1
    assert result.body is None and len(server.log) == 1


def test_500_then_success(server: HTTPServer) -> None:
    server.expect_oneshot_request("/flaky").respond_with_data("oops", status=500)
    server.expect_request("/flaky").respond_with_data(FEED)
    result = fetch(server.url_for("/flaky"), retries=3, **FAST_RETRIES)
    assert (result.status, result.body, result.attempts) == ("ok", FEED, 2)


def test_500s_past_the_retry_budget(server: HTTPServer) -> None:
    server.expect_request("/down").respond_with_data("oops", status=503)
    result = fetch(server.url_for("/down"), retries=2, **FAST_RETRIES)
    assert (result.status, result.http_status, result.attempts) == ("http_error", 503, 3)
    assert result.error == "HTTP 503 Service Unavailable" and len(server.log) == 3


@pytest.mark.parametrize("retry_after", [
    "2",
    email.utils.format_datetime(datetime.now(timezone.utc) + timedelta(days=1), usegmt=True),
], ids=["seconds", "http-date"])
def test_429_honours_retry_after_capped_at_max_backoff(server: HTTPServer, retry_after: str) -> None:
    server.expect_oneshot_request("/busy").respond_with_data(
        "slow down", status=429, headers={"Retry-After": retry_after})
    server.expect_request("/busy").respond_with_data(FEED)
    result = fetch(server.url_for("/busy"), retries=1, backoff_base=0.001, max_backoff=0.3)
    assert (result.status, result.attempts) == ("ok", 2)
    assert 300 <= result.elapsed_ms < 1500  # waited for Retry-After, but no longer than max_backoff


def test_connection_refused_is_retried() -> None:
    result = fetch(f"http://127.0.0.1:{unused_port()}/feed", retries=2, **FAST_RETRIES)
    assert (result.status, result.http_status, result.final_url) == ("connection_error", None, None)
    assert result.attempts == 3 and "Connection refused" in result.error


# --- timeouts ------------------------------------------------------------------------------------

def test_server_slower_than_read_timeout(server: HTTPServer) -> None:
    def slow(request: Request) -> Response:
        time.sleep(1.0)
        return Response(FEED)

    server.expect_request("/slow").respond_with_handler(slow)
    result = fetch(server.url_for("/slow"), read_timeout=0.2, retries=1, **FAST_RETRIES)
    assert (result.status, result.http_status, result.attempts) == ("timeout", None, 2)
    assert result.error == "read timeout after 0.2s"
    assert result.elapsed_ms < 1500  # two attempts of 0.2 s, not of the server's 1 s


@contextmanager
def raw_server(respond: Callable[[socket.socket], None]) -> Iterator[str]:
    """Serves one connection with hand-written bytes, for responses no HTTP library would send."""
    listener = socket.create_server(("127.0.0.1", 0))

    def serve() -> None:
        try:
            connection, _ = listener.accept()
            with connection:
                connection.recv(65536)
                respond(connection)
        except OSError:
            pass  # the client gave up and closed the connection, as it should

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}/feed"
    finally:
        listener.close()
        thread.join(timeout=10)


def trickle(head: bytes, drop: bytes) -> Callable[[socket.socket], None]:
    def respond(connection: socket.socket) -> None:
        connection.sendall(head)
        for _ in range(100):  # 5 s of drops, each well inside the read timeout
            connection.sendall(drop)
            time.sleep(0.05)

    return respond


@pytest.mark.parametrize("head, drop", [
    (b"HTTP/1.1 200 OK\r\nContent-Type: application/xml\r\n\r\n", b"<"),
    (b"HTTP/1.1 200 OK\r\n", b"X-Slow: 1\r\n"),
], ids=["body", "headers"])
def test_trickling_server_stopped_by_total_deadline(head: bytes, drop: bytes) -> None:
    with raw_server(trickle(head, drop)) as url:
        result = fetch(url, read_timeout=1.0, total_timeout=0.5)
    assert (result.status, result.error) == ("timeout", "total deadline of 0.5s exceeded")
    assert 450 <= result.elapsed_ms < 3000  # the server would trickle on for 5 s


# --- size caps and content encodings -------------------------------------------------------------

def test_declared_content_length_over_cap(server: HTTPServer) -> None:
    server.expect_request("/big").respond_with_data(b"x" * 5000)
    result = fetch(server.url_for("/big"), max_bytes=1000)
    assert (result.status, result.http_status, result.body) == ("too_large", 200, None)
    assert result.error == "Content-Length 5000 exceeds 1000 bytes"


@pytest.mark.parametrize("size, status", [(1000, "ok"), (1001, "too_large")])
def test_streamed_body_without_content_length(server: HTTPServer, size: int, status: str) -> None:
    chunks = [b"x" * 100] * (size // 100) + [b"x" * (size % 100)]
    server.expect_request("/stream").respond_with_handler(lambda request: Response(iter(chunks)))
    result = fetch(server.url_for("/stream"), max_bytes=1000)
    assert result.status == status
    if status == "ok":
        assert result.body == b"x" * 1000
    else:
        assert (result.body, result.error) == (None, "body exceeds 1000 bytes")


@pytest.fixture(scope="module")
def gzip_bomb() -> bytes:
    """200 MB of zeros, gzip-compressed to about 200 KB."""
    compressor = zlib.compressobj(9, wbits=16 + zlib.MAX_WBITS)
    megabyte = bytes(1 << 20)
    return b"".join(compressor.compress(megabyte) for _ in range(200)) + compressor.flush()


def test_gzip_bomb_is_stopped_with_bounded_memory(gzip_bomb: bytes) -> None:
    assert len(gzip_bomb) < 1_000_000

    def respond(connection: socket.socket) -> None:
        connection.sendall(b"HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nConnection: close\r\n\r\n" + gzip_bomb)

    # A raw server: tracemalloc sees every thread, and werkzeug's own buffers would blur the measure.
    with raw_server(respond) as url, FeedFetcher(retries=0, max_bytes=1_000_000) as fetcher:
        tracemalloc.start()
        try:
            result = fetcher.fetch(FetchRequest(url))
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    assert (result.status, result.error) == ("too_large", "body exceeds 1000000 bytes")
    assert peak < 5_000_000, f"peak traced memory {peak} bytes"


def raw_deflate(data: bytes) -> bytes:
    compressor = zlib.compressobj(wbits=-zlib.MAX_WBITS)
    return compressor.compress(data) + compressor.flush()


@pytest.mark.parametrize("encoding, encode", [
    ("gzip", gzip.compress),
    ("deflate", zlib.compress),
    ("deflate", raw_deflate),  # what some servers send as "deflate"
], ids=["gzip", "deflate-zlib", "deflate-raw"])
def test_compressed_bodies_are_decoded(server: HTTPServer, encoding: str,
                                       encode: Callable[[bytes], bytes]) -> None:
    body = FEED * 500
    server.expect_request("/z").respond_with_data(encode(body), headers={"Content-Encoding": encoding})
    result = fetch(server.url_for("/z"), max_bytes=len(body))
    assert (result.status, result.body) == ("ok", body)


@pytest.mark.parametrize("encoding, payload, error", [
    ("gzip", b"\x1f\x8b\x08\x00 definitely not gzip", "cannot decode gzip body"),
    ("br", b"\x0b\x02\x80hello\x03", "unsupported Content-Encoding 'br'"),
])
def test_undecodable_body(server: HTTPServer, encoding: str, payload: bytes, error: str) -> None:
    server.expect_request("/bad").respond_with_data(payload, headers={"Content-Encoding": encoding})
    result = fetch(server.url_for("/bad"))
    assert (result.status, result.http_status, result.body) == ("http_error", 200, None)
    assert result.error.startswith(error)


# --- files and other schemes ---------------------------------------------------------------------

@pytest.mark.parametrize("as_url", [True, False], ids=["file-url", "path"])
def test_local_file(tmp_path: Path, as_url: bool) -> None:
    path = tmp_path / "my feed.xml"
    path.write_bytes(FEED)
    result = fetch(path.as_uri() if as_url else str(path))
    assert (result.status, result.body, result.http_status, result.final_url) == ("ok", FEED, None, None)
    assert result.attempts == 1


def test_missing_file(tmp_path: Path) -> None:
    result = fetch(str(tmp_path / "absent.xml"))
    assert (result.status, result.body) == ("io_error", None)
    assert result.error == f"No such file or directory: {tmp_path / 'absent.xml'}"


def test_file_over_cap(tmp_path: Path) -> None:
    path = tmp_path / "big.xml"
    path.write_bytes(b"x" * 1001)
    too_large = fetch(str(path), max_bytes=1000)
    assert (too_large.status, too_large.error) == ("too_large", "file exceeds 1000 bytes")
    assert fetch(str(path), max_bytes=1001).status == "ok"


def test_directory_is_not_a_feed_file(tmp_path: Path) -> None:
    result = fetch(str(tmp_path))
    assert (result.status, result.error) == ("io_error", f"not a regular file: {tmp_path}")


@pytest.mark.parametrize("url, error", [
    ("ftp://example.org/feed.xml", "unsupported URL scheme 'ftp'"),
    ("feeds/relative.xml", "not a URL or an absolute path"),
    ("file://elsewhere.example.org/feed.xml", "file URL on another host 'elsewhere.example.org' is not supported"),
])
def test_unsupported_locations(url: str, error: str) -> None:
    result = fetch(url)
    assert (result.status, result.error, result.attempts) == ("io_error", error, 1)


# --- many feeds at once --------------------------------------------------------------------------

def test_fetch_many_keeps_order_and_isolates_failures(server: HTTPServer, tmp_path: Path) -> None:
    server.expect_request("/one").respond_with_data(b"one")
    server.expect_request("/two").respond_with_data(b"two")
    server.expect_request("/missing").respond_with_data("", status=404)
    local = tmp_path / "local.xml"
    local.write_bytes(b"local")
    urls = [server.url_for("/one"), server.url_for("/missing"), str(tmp_path / "nothing.xml"),
            "gopher://example.org/", f"http://127.0.0.1:{unused_port()}/", str(local), server.url_for("/two")]
    with FeedFetcher(retries=1, concurrency=3, **FAST_RETRIES) as fetcher:
        results = fetcher.fetch_many([FetchRequest(url) for url in urls])
    assert [result.url for result in results] == urls
    assert [result.status for result in results] == [
        "ok", "http_error", "io_error", "io_error", "connection_error", "ok", "ok"]
    assert [results[i].body for i in (0, 5, 6)] == [b"one", b"local", b"two"]
    assert {result.status for result in results} <= set(FETCH_STATUSES)


def test_fetch_many_bounds_concurrency(server: HTTPServer) -> None:
    in_flight, peak = 0, 0
    lock = threading.Lock()

    def slow(request: Request) -> Response:
        nonlocal in_flight, peak
        with lock:
            in_flight += 1
            peak = max(peak, in_flight)
        time.sleep(0.15)
        with lock:
            in_flight -= 1
        return Response(FEED)

    server.expect_request("/slow").respond_with_handler(slow)
    with FeedFetcher(retries=0, concurrency=3) as fetcher:
        results = fetcher.fetch_many([FetchRequest(server.url_for("/slow")) for _ in range(12)])
    assert [result.status for result in results] == ["ok"] * 12
    assert peak == 3
