"""Shared by the tests that start the real Dagster webserver: is its code location loaded, and
the end of a service's log for failure messages."""

from __future__ import annotations

from pathlib import Path

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
