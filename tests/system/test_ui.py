"""The Dagster UI leadership follows: the real webserver, its GraphQL API and the lineage graph in Chromium.

One `dagster-webserver` is started for the module on a free loopback port, with a temporary
DAGSTER_HOME (telemetry and the "join the community" dialog off) and data folder. Through
POST /graphql the tests confirm that the UI shows the code location as the committed snapshot of
its specs describes it (tests/support/asset_specs.py): every asset with its group, description,
owners, kinds, code version and source-code link, the lineage edges, the partitions, the freshness
policies and the asset checks. Then headless Chromium renders the global asset lineage page
(/asset-groups, every group expanded) to a 1600x1000 PNG, which must show the graph: the DOM it
rendered holds every asset node and one edge per dependency, and the image is not blank.
Without a chromium binary that test is skipped. WATCHFLOOR_UPDATE_SCREENSHOT=1 copies the PNG to
docs/lineage.png, the README's picture.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from tests.support.asset_specs import ENVIRONMENT, recorded
from tests.support.dagster_servers import CODE_LOCATIONS, code_location_loaded, tail
from watchfloor.core.config import REPO_ROOT

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("ui")]  # one server for the module, on one worker

SPECS = recorded()
COUNTRIES = ENVIRONMENT["WATCHFLOOR_COUNTRIES"].split(",")
FIRST_WEEK = ENVIRONMENT["WATCHFLOOR_FIRST_WEEK"]
STARTUP_TIMEOUT = 60  # seconds for /server_info, then the code location must have loaded
WINDOW = (1600, 1000)
CHROMIUM_FLAGS = [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--hide-scrollbars", "--disable-dev-shm-usage",
]

ASSET_NODES = """
{
  assetNodes {
    assetKey { path }
    groupName
    description
    kinds
    opVersion
    isPartitioned
    owners { __typename ... on TeamAssetOwner { team } ... on UserAssetOwner { email } }
    dependencyKeys { path }
    dependedByKeys { path }
    partitionDefinition { type description dimensionTypes { name type } }
    partitionKeysByDimension { name partitionKeys }
    internalFreshnessPolicy { __typename ... on TimeWindowFreshnessPolicy { failWindowSeconds warnWindowSeconds } }
    assetChecksOrError { __typename ... on AssetChecks { checks { name blocking description } } }
    metadataEntries { ... on CodeReferencesMetadataEntry { codeReferences { ... on LocalFileCodeReference { filePath lineNumber } } } }
  }
}
"""


@dataclass
class Webserver:
    url: str
    log: Path

    def graphql(self, query: str, variables: dict | None = None) -> dict:
        body = json.dumps({"query": query, "variables": variables or {}}).encode()
        request = urllib.request.Request(f"{self.url}/graphql", data=body, headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=30) as response:
            answer = json.load(response)
        assert not answer.get("errors"), f"GraphQL errors: {answer['errors']}"
        return answer["data"]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _default_signals() -> None:
    """In the child: a webserver started from a non-interactive shell inherits ignored SIGINT/SIGTERM."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def _stop_group(process: subprocess.Popen, grace: float) -> None:
    """SIGTERM to the whole process group (webserver and its code server), then SIGKILL to what is left."""
    try:
        os.killpg(process.pid, signal.SIGTERM)
    except ProcessLookupError:
        pass
    try:
        process.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        pass
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    process.wait(timeout=10)


def _wait_until_ready(server: Webserver, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT
    while True:
        if process.poll() is not None:
            pytest.fail(f"dagster-webserver exited with {process.returncode}:\n{tail(server.log, 30)}")
        try:
            with urllib.request.urlopen(f"{server.url}/server_info", timeout=2) as response:
                if response.status == 200:
                    break
        except (urllib.error.URLError, OSError):
            pass
        if time.monotonic() > deadline:
            pytest.fail(f"no answer on {server.url}/server_info within {STARTUP_TIMEOUT} s:\n{tail(server.log, 30)}")
        time.sleep(0.25)
    # /server_info answers before the code location has loaded: wait for it too.
    while True:
        reply = server.graphql(CODE_LOCATIONS)
        if code_location_loaded(reply):
            return
        if time.monotonic() > deadline:
            pytest.fail(f"the code location did not load within {STARTUP_TIMEOUT} s: {reply}\n{tail(server.log, 30)}")
        time.sleep(0.25)


@pytest.fixture(scope="module")
def webserver(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Webserver]:
    root = tmp_path_factory.mktemp("ui")
    home, data = root / "dagster_home", root / "data"
    home.mkdir()
    data.mkdir()
    (home / "dagster.yaml").write_text("telemetry:\n  enabled: false\nnux:\n  enabled: false\n", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("WATCHFLOOR_", "OPENAI_", "DAGSTER_"))}
    env.update(ENVIRONMENT, DAGSTER_HOME=str(home), WATCHFLOOR_DATA=str(data), PYTHONUNBUFFERED="1")
    executable = Path(sys.executable).parent / "dagster-webserver"
    assert executable.exists(), f"{executable} is missing: run `make install`"
    port = _free_port()
    server = Webserver(url=f"http://127.0.0.1:{port}", log=root / "webserver.log")
    with server.log.open("wb") as log:
        process = subprocess.Popen(
            [str(executable), "-w", str(REPO_ROOT / "workspace.yaml"), "-h", "127.0.0.1", "-p", str(port)],
            cwd=REPO_ROOT, env=env, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True, preexec_fn=_default_signals,
        )
    try:
        _wait_until_ready(server, process)
        yield server
    finally:
        _stop_group(process, grace=5)


@pytest.fixture(scope="module")
def nodes(webserver: Webserver) -> dict[str, dict]:
    return {"/".join(n["assetKey"]["path"]): n for n in webserver.graphql(ASSET_NODES)["assetNodes"]}


def _keys(items: list[dict]) -> set[str]:
    return {"/".join(item["path"]) for item in items}


def _edges(nodes: dict[str, dict]) -> set[tuple[str, str]]:
    return {(upstream, name) for name, node in nodes.items() for upstream in _keys(node["dependencyKeys"])}


def test_every_asset_with_group_description_owners_kinds(nodes):
    assert set(nodes) == set(SPECS)
    for name, node in nodes.items():
        spec = SPECS[name]
        owners = [f"team:{o['team']}" if o["__typename"] == "TeamAssetOwner" else o["email"] for o in node["owners"]]
        shown = {"group": node["groupName"], "description": node["description"], "owners": owners,
                 "kinds": sorted(node["kinds"]), "code_version": node["opVersion"]}
        assert shown == {field: spec[field] for field in shown}, name
    # without OPENAI_API_KEY the sections are written offline, and the UI does not call them openai
    assert not any("openai" in node["kinds"] for node in nodes.values())


def test_every_asset_links_to_its_source(nodes):
    for name, node in nodes.items():
        (reference,) = [r for entry in node["metadataEntries"] for r in entry.get("codeReferences", [])]
        path = Path(reference["filePath"])
        assert path.relative_to(REPO_ROOT).as_posix() == SPECS[name]["code_reference"], name
        line = path.read_text(encoding="utf-8").splitlines()[reference["lineNumber"] - 1]
        assert line.lstrip().startswith("@dg.asset("), (name, line)  # where the asset is declared


def test_lineage_edges(nodes):
    edges = _edges(nodes)
    assert edges == {(upstream, name) for name, spec in SPECS.items() for upstream in spec["deps"]}
    # both directions agree
    assert edges == {(name, downstream) for name, node in nodes.items() for downstream in _keys(node["dependedByKeys"])}


def test_partition_definitions(nodes):
    assert not nodes["raw_feeds"]["isPartitioned"] and nodes["raw_feeds"]["partitionDefinition"] is None

    weekly = nodes["articles"]["partitionDefinition"]
    assert weekly["type"] == "TIME_WINDOW" and weekly["description"].startswith("Weekly")
    (dimension,) = nodes["articles"]["partitionKeysByDimension"]
    weeks = [date.fromisoformat(key) for key in dimension["partitionKeys"]]
    assert weeks[0] == date.fromisoformat(FIRST_WEEK)
    assert all(week.weekday() == 2 for week in weeks), "reporting weeks start on Wednesday"
    assert all(b - a == timedelta(days=7) for a, b in zip(weeks, weeks[1:]))

    country_week = [name for name, spec in SPECS.items() if (spec["partitions"] or "").startswith("country: ")]
    assert country_week
    for name in country_week:
        definition = nodes[name]["partitionDefinition"]
        assert definition["type"] == "MULTIPARTITIONED", name
        assert {(d["name"], d["type"]) for d in definition["dimensionTypes"]} == {("country", "STATIC"), ("week", "TIME_WINDOW")}, name
        keys = {d["name"]: d["partitionKeys"] for d in nodes[name]["partitionKeysByDimension"]}
        assert keys["country"] == COUNTRIES, name
        assert keys["week"] == dimension["partitionKeys"], name


def test_freshness_policies(nodes):
    for name, node in nodes.items():
        policy = node["internalFreshnessPolicy"]
        assert (policy and policy["failWindowSeconds"]) == SPECS[name]["freshness_fail_window_s"], name


def test_asset_checks(nodes):
    for name, node in nodes.items():
        result = node["assetChecksOrError"]
        assert result["__typename"] == "AssetChecks", (name, result)
        checks = {check["name"]: {"blocking": check["blocking"], "description": check["description"]} for check in result["checks"]}
        assert checks == {check: {f: spec[f] for f in ("blocking", "description")} for check, spec in SPECS[name]["checks"].items()}, name


def _chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


def _render(browser: str, url: str, png: Path, profile: Path, budget_ms: int = 15000) -> str:
    """Screenshot and DOM of the page after `budget_ms` of virtual time, from a new, empty profile."""
    command = [browser, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", f"--window-size={WINDOW[0]},{WINDOW[1]}",
               f"--virtual-time-budget={budget_ms}", f"--screenshot={png}", "--dump-dom", url]
    process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               start_new_session=True, preexec_fn=_default_signals)
    try:
        out, err = process.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        _stop_group(process, grace=1)
        pytest.fail(f"chromium did not finish within 60 s rendering {url}")
    finally:
        if process.poll() is None:
            _stop_group(process, grace=1)
    assert process.returncode == 0, f"chromium exited with {process.returncode}: {err.decode(errors='replace')[-2000:]}"
    return out.decode("utf-8", errors="replace")


def _label_matches(label: str, name: str) -> bool:
    """The graph shortens long names in the middle: 'securi…_assessment'."""
    if "…" not in label:
        return label == name
    head, tail = label.split("…", 1)
    return name.startswith(head) and name.endswith(tail) and len(head) + len(tail) < len(name)


def test_lineage_graph_renders_in_chromium(webserver, nodes, tmp_path):
    browser = _chromium()
    if browser is None:
        pytest.skip("no chromium binary on PATH (install Debian's chromium to render the asset graph)")
    # The global asset lineage, every group expanded (ids in both of the UI's formats: global, per location).
    location = webserver.graphql("{ workspaceOrError { ... on Workspace { locationEntries { name } } } }")
    location = location["workspaceOrError"]["locationEntries"][0]["name"]
    groups = sorted({spec["group"] for spec in SPECS.values()})
    expanded = [f"global@global:{g}" for g in groups] + [f"__repository__@{location}:{g}" for g in groups]
    url = f"{webserver.url}/asset-groups?" + urllib.parse.urlencode({"expanded": ",".join(expanded)})
    png = tmp_path / "lineage.png"
    dom = _render(browser, url, png, tmp_path / "chromium-profile")

    # The DOM: every asset node, the group boxes, one edge per dependency, no dialog over them.
    labels = re.findall(r'class="AssetNode_assetName[^"]*"[^>]*>([^<]+)<', dom)
    assert len(labels) == len(SPECS), labels
    assert all(any(_label_matches(label, name) for label in labels) for name in SPECS), labels
    assert all(dom.count(f">{group}<") >= 1 for group in groups)
    edges = re.findall(r'<path [^>]*stroke="var\(--color-lineage-edge\)"', dom)
    assert len(edges) == len(_edges(nodes))
    assert "Join the Dagster community" not in dom

    # The picture: the window's size, not blank, and ink in the graph's area but no overlay over it.
    assert png.exists() and png.stat().st_size > 10_000
    with Image.open(png) as image:
        assert image.size == WINDOW
        pixels = np.asarray(image.convert("RGB")).astype(float)
    assert pixels.std() > 10
    assert len(np.unique(pixels.reshape(-1, 3), axis=0)) > 100
    canvas = pixels[120:, 600:].mean(axis=2)  # right of the navigation and the group list, below the toolbar
    ink = float((canvas < 200).mean())
    assert 0.003 < ink < 0.3, f"share of dark pixels in the graph area: {ink:.4f}"

    if os.environ.get("WATCHFLOOR_UPDATE_SCREENSHOT") == "1":
        target = REPO_ROOT / "docs" / "lineage.png"
        target.parent.mkdir(exist_ok=True)
        shutil.copyfile(png, target)
