"""An S3-compatible server on loopback for the object-storage tests: moto's server mode in a subprocess.

`s3_server()` starts `python -m moto.server` on 127.0.0.1 and a free port and yields an `S3Server`
whose `env` points botocore, s3fs and polars at it (and nowhere else: the endpoint is explicit and
instance metadata is switched off, so nothing looks up AWS). Skipped when moto or s3fs is missing,
unless CI=true, where that fails. The secret key is a fresh random value per server, so a test can
look for it in logs and metadata.
"""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import pytest


@dataclass(frozen=True)
class S3Server:
    endpoint: str
    secret_key: str

    @property
    def env(self) -> dict[str, str]:
        return {
            "AWS_ENDPOINT_URL": self.endpoint, "AWS_ACCESS_KEY_ID": "watchfloor-test",
            "AWS_SECRET_ACCESS_KEY": self.secret_key, "AWS_REGION": "us-east-1",
            # nothing from the machine's AWS configuration, no instance metadata service
            "AWS_EC2_METADATA_DISABLED": "true", "AWS_CONFIG_FILE": os.devnull,
            "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
        }

    def new_bucket(self) -> str:
        """A fresh, empty bucket's name."""
        name = f"watchfloor-{uuid.uuid4().hex[:12]}"
        self.filesystem().mkdir(name)
        return name

    def filesystem(self):
        """An s3fs filesystem on this server, independent of the process environment."""
        import s3fs

        return s3fs.S3FileSystem(endpoint_url=self.endpoint, key="watchfloor-test", secret=self.secret_key,
                                 use_listings_cache=False, skip_instance_cache=True)


def require_packages() -> None:
    """Call at module level: skip without moto[server] and s3fs (fail under CI=true)."""
    for module in ("moto.server", "s3fs"):
        try:
            __import__(module)
        except ImportError as exc:
            reason = f"{module} is not installed ({exc}): pip install 'moto[server]' s3fs"
            if os.environ.get("CI") == "true":
                pytest.fail(f"{reason}; CI=true", pytrace=False)
            pytest.skip(reason, allow_module_level=True)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def s3_server() -> Iterator[S3Server]:
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _wait_until_listening(port, process)
        yield S3Server(endpoint=f"http://127.0.0.1:{port}", secret_key=secrets.token_hex(20))
    finally:
        process.terminate()
        process.wait(timeout=10)


@contextmanager
def slow_proxy(endpoint: str, bytes_per_second: int) -> Iterator[str]:
    """A loopback TCP proxy to `endpoint` that forwards uploads at most at `bytes_per_second`, so a test
    can kill a client while its PUT is surely on the wire; yields the proxy's endpoint."""
    upstream = ("127.0.0.1", int(endpoint.rsplit(":", 1)[1]))
    listener = socket.create_server(("127.0.0.1", 0))
    chunk = max(1024, bytes_per_second // 20)

    def pipe(source: socket.socket, sink: socket.socket, throttled: bool) -> None:
        try:
            while data := source.recv(chunk):
                sink.sendall(data)
                if throttled:
                    time.sleep(len(data) / bytes_per_second)
        except OSError:
            pass
        finally:  # the client died (or the server answered and closed): end both directions
            for end in (source, sink):
                try:
                    end.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def accept() -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return  # the listener was closed
            server = socket.create_connection(upstream)
            threading.Thread(target=pipe, args=(client, server, True), daemon=True).start()
            threading.Thread(target=pipe, args=(server, client, False), daemon=True).start()

    threading.Thread(target=accept, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    finally:
        listener.close()


def _wait_until_listening(port: int, process: subprocess.Popen, timeout_s: float = 30) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"moto_server exited with status {process.returncode} before listening on {port}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"moto_server did not listen on 127.0.0.1:{port} within {timeout_s:.0f} s")
