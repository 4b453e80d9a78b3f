"""Restarting the webserver and the daemon in the middle of a queued backfill (prototype)."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import dagster as dg
import polars as pl
import pytest

from assets.articles import articles, articles_expectations
from assets.ingestion import feeds_mostly_reachable, fetch_statuses_known, raw_feeds
from conftest import resources
from pg_helpers import fresh_database, make_home, require_server
from watchfloor.config import REPO_ROOT

require_server()

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("ui")]

COUNTRIES = ("MN", "KZ", "PL")
WEEKS = ("2026-06-10", "2026-06-17", "2026-06-24", "2026-07-01")
EVENTS = dg.AssetKey("country_events")
BIN = Path(sys.executable).parent
KILL = os.environ.get("RESTART_KILL", "main-sigkill")


def _log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", flush=True)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _default_signals() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def _tail(path: Path, lines: int = 40) -> str:
    return "\n".join(path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:]) if path.exists() else ""


@dataclass
class Service:
    name: str
    argv: list[str]
    env: dict[str, str]
    log: Path
    process: subprocess.Popen | None = None
    groups: list[int] = field(default_factory=list)

    def start(self) -> None:
        with self.log.open("ab") as log:
            log.write(f"\n===== start {self.name} at {time.time():.3f} =====\n".encode())
            log.flush()
            self.process = subprocess.Popen(
                self.argv, cwd=REPO_ROOT, env=self.env, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                start_new_session=True, preexec_fn=_default_signals,
            )
        self.groups.append(self.process.pid)

    def kill_group(self, sig: int) -> None:
        for pgid in self.groups:
            try:
                os.killpg(pgid, sig)
            except ProcessLookupError:
                pass


@dataclass
class Webserver:
    url: str

    def graphql(self, query: str, variables: dict | None = None, timeout: float = 30) -> dict:
        body = json.dumps({"query": query, "variables": variables or {}}).encode()
        request = urllib.request.Request(f"{self.url}/graphql", data=body, headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=timeout) as response:
            answer = json.load(response)
        assert not answer.get("errors"), f"GraphQL errors: {answer['errors']}"
        return answer["data"]


def _wait_webserver(server: Webserver, service: Service, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    query = """{ workspaceOrError { __typename ... on Workspace { locationEntries { name loadStatus
                 locationOrLoadError { __typename ... on PythonError { message } } } } } }"""
    while True:
        if service.process.poll() is not None:
            pytest.fail(f"dagster-webserver exited with {service.process.returncode}:\n{_tail(service.log)}")
        try:
            entries = server.graphql(query, timeout=5)["workspaceOrError"].get("locationEntries") or []
            if entries and all(e["loadStatus"] == "LOADED" for e in entries):
                errors = [e["locationOrLoadError"] for e in entries if e["locationOrLoadError"]["__typename"] != "RepositoryLocation"]
                assert not errors, f"the code location failed to load: {errors}"
                return
        except (urllib.error.URLError, OSError, ValueError):
            pass
        if time.monotonic() > deadline:
            pytest.fail(f"the webserver did not serve the code location within {timeout} s:\n{_tail(service.log)}")
        time.sleep(0.25)


LAUNCH = """
mutation Launch($params: LaunchBackfillParams!) {
  launchPartitionBackfill(backfillParams: $params) {
    __typename
    ... on LaunchBackfillSuccess { backfillId }
    ... on Error { message }
  }
}
"""

BACKFILL = """
query Backfill($id: String!) {
  partitionBackfillOrError(backfillId: $id) {
    __typename
    ... on PartitionBackfill {
      status
      numPartitions
      assetBackfillData { assetBackfillStatuses { __typename ... on AssetPartitionsStatusCounts {
        assetKey { path } numPartitionsTargeted numPartitionsInProgress numPartitionsMaterialized numPartitionsFailed } } }
    }
    ... on Error { message }
  }
}
"""


def _runs(instance: dg.DagsterInstance, backfill_id: str) -> list[dg.DagsterRun]:
    return list(instance.get_runs(dg.RunsFilter(tags={"dagster/backfill": backfill_id})))


def _describe(runs) -> str:
    return ", ".join(f"{r.run_id[:8]}[{r.tags.get('dagster/asset_partition_range_start')}]={r.status.value}" for r in runs)


@pytest.fixture
def postgres_db() -> Iterator[str]:
    with fresh_database() as name:
        yield name


def test_restart(data_dir, sample_feeds_over_http, postgres_db, tmp_path, monkeypatch):
    t0 = time.monotonic()
    home_env = make_home(tmp_path / "dagster_home", postgres_db)
    for var, value in home_env.items():
        monkeypatch.setenv(var, value)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("WATCHFLOOR_", "OPENAI_", "DAGSTER_"))}
    env.update(home_env, WATCHFLOOR_DATA=str(data_dir), WATCHFLOOR_FEEDS=str(sample_feeds_over_http),
               WATCHFLOOR_COUNTRIES=",".join(COUNTRIES), PYTHONUNBUFFERED="1")

    with dg.DagsterInstance.get() as instance:
        res = resources(data_dir, sample_feeds_over_http)
        assets = [raw_feeds, fetch_statuses_known, feeds_mostly_reachable, articles, articles_expectations]
        assert dg.materialize(assets, selection="raw_feeds", instance=instance, resources=res).success
        assert dg.materialize(assets, selection="articles", instance=instance, resources=res,
                              tags={"dagster/asset_partition_range_start": WEEKS[0],
                                    "dagster/asset_partition_range_end": WEEKS[-1]}).success
    _log(f"setup done {time.monotonic() - t0:.1f}")

    port = _free_port()
    server = Webserver(f"http://127.0.0.1:{port}")
    web = Service("webserver", [str(BIN / "dagster-webserver"), "-w", "workspace.yaml", "-h", "127.0.0.1", "-p", str(port)],
                  env, tmp_path / "webserver.log")
    daemon = Service("daemon", [str(BIN / "dagster-daemon"), "run", "-w", "workspace.yaml"], env, tmp_path / "daemon.log")
    try:
        web.start()
        _wait_webserver(server, web)
        _log(f"webserver up {time.monotonic() - t0:.1f}")
        partitions = [f"{c}|{w}" for c in COUNTRIES for w in WEEKS]
        launched = server.graphql(LAUNCH, {"params": {"assetSelection": [{"path": ["country_events"]}],
                                                      "partitionNames": partitions, "title": "restart test"}})
        result = launched["launchPartitionBackfill"]
        assert result["__typename"] == "LaunchBackfillSuccess", result
        backfill_id = result["backfillId"]
        daemon.start()
        _log(f"backfill {backfill_id} launched, daemon started {time.monotonic() - t0:.1f}")

        with dg.DagsterInstance.get() as instance:
            deadline = time.monotonic() + 180
            last = None
            while True:
                runs = _runs(instance, backfill_id)
                d = _describe(runs)
                if d != last:
                    _log(f"{time.monotonic() - t0:.1f} {d}")
                    last = d
                if any(r.status == dg.DagsterRunStatus.SUCCESS for r in runs):
                    break
                assert time.monotonic() < deadline, _tail(daemon.log)
                time.sleep(0.3)
            # kill
            if KILL == "main-sigkill":
                for s in (web, daemon):
                    s.process.kill()
            elif KILL == "group-sigterm":
                for s in (web, daemon):
                    s.kill_group(signal.SIGTERM)
            elif KILL == "main-sigterm":
                for s in (web, daemon):
                    s.process.terminate()
            for s in (web, daemon):
                s.process.wait(timeout=60)
            _log(f"killed ({KILL}) {time.monotonic() - t0:.1f}: {_describe(_runs(instance, backfill_id))}")
            before = instance.get_materialized_partitions(EVENTS)
            _log(f"materialised before restart: {sorted(before)}")
            time.sleep(float(os.environ.get("RESTART_PAUSE", "0")))
            web.start()
            daemon.start()
            _wait_webserver(server, web)
            _log(f"restarted {time.monotonic() - t0:.1f}")
            deadline = time.monotonic() + 240
            while True:
                runs = _runs(instance, backfill_id)
                d = _describe(runs)
                status = server.graphql(BACKFILL, {"id": backfill_id})["partitionBackfillOrError"]
                d = f"{status['status']} {d}"
                if d != last:
                    _log(f"{time.monotonic() - t0:.1f} {d}")
                    last = d
                if status["status"] not in ("REQUESTED", "CANCELING", "FAILING"):
                    break
                assert time.monotonic() < deadline, _tail(daemon.log, 80)
                time.sleep(1)
            _log(json.dumps(status, indent=1))
            after = instance.get_materialized_partitions(EVENTS)
            _log(f"after: {len(after)} {sorted(after)}")
            for r in _runs(instance, backfill_id):
                _log(f"{r.run_id[:8]} {r.status.value} {dict((k, v) for k, v in r.tags.items() if 'retry' in k or 'parent' in k or 'range' in k)}")
    finally:
        for s in (web, daemon):
            s.kill_group(signal.SIGKILL)
        print(_tail(daemon.log, 60))
