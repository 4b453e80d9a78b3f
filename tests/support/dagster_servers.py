"""Shared by the tests that start the real Dagster webserver and daemon: the services as process
groups, free ports, waiting on a condition, whether the code location loaded, and log tails."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from watchfloor.core.config import REPO_ROOT

CODE_LOCATIONS = """{ workspaceOrError { __typename ... on Workspace { locationEntries { name loadStatus
                 locationOrLoadError { __typename ... on PythonError { message } } } } } }"""


def code_location_loaded(reply: dict) -> bool:
    """Whether every code location in a CODE_LOCATIONS reply has loaded; an assertion error when
    one failed to load (waiting longer would not help)."""
    entries = reply["workspaceOrError"].get("locationEntries") or []
    if not entries or any(e["loadStatus"] != "LOADED" for e in entries):
        return False
    errors = [e["locationOrLoadError"] for e in entries if e["locationOrLoadError"]["__typename"] != "RepositoryLocation"]
    assert not errors, f"the code location failed to load: {errors}"
    return True


def tail(path: Path, lines: int = 60) -> str:
    return "\n".join(path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:]) if path.exists() else "(no log)"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Service:
    """`dagster-webserver` or `dagster-daemon run`; every start gets a new process group, all killed at the end."""

    name: str
    argv: list[str]
    env: dict[str, str]
    log: Path
    process: subprocess.Popen | None = None
    groups: list[int] = field(default_factory=list)

    def start(self) -> None:
        with self.log.open("ab") as log:
            log.write(f"\n===== {self.name} started at {time.strftime('%H:%M:%S')} =====\n".encode())
            log.flush()
            self.process = subprocess.Popen(
                self.argv, cwd=REPO_ROOT, env=self.env, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self.groups.append(self.process.pid)

    def crash(self) -> None:
        """SIGKILL to the service's own process only: its code server and run workers live on."""
        self.process.kill()
        self.process.wait(timeout=30)

    def assert_running(self) -> None:
        if self.process.poll() is not None:
            pytest.fail(f"{self.name} exited with {self.process.returncode}:\n{tail(self.log)}")

    def kill_everything(self) -> None:
        """SIGKILL to every process group this service ever had (also orphaned code servers and runs)."""
        for pgid in self.groups:
            try:
                os.killpg(pgid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        if self.process is not None:
            self.process.wait(timeout=30)
        deadline = time.monotonic() + 15
        for pgid in self.groups:  # orphans are not our children: wait until the group is gone
            while time.monotonic() < deadline:
                try:
                    os.killpg(pgid, 0)
                except ProcessLookupError:
                    break
                time.sleep(0.1)


def wait_for(what: str, condition: Callable[[], bool], timeout: float, explain: Callable[[], str], every: float = 0.2) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"{what}: not within {timeout:.0f} s\n{explain()}", pytrace=False)
        time.sleep(every)


# -- the test ---------------------------------------------------------------------------------------
