"""The package layout: rooms import only the rooms below them, no module imports in a cycle, and
modules stay short enough to read (data tables aside)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from watchfloor.core.config import REPO_ROOT

PACKAGE = REPO_ROOT / "watchfloor"
# Each room and the rooms it may import (watchfloor/__init__.py says the same in prose).
MAY_IMPORT = {
    "core": set(),
    "text": {"core"},
    "ingest": {"core", "text"},
    "places": {"core", "text"},
    "events": {"core", "text", "places"},
    "articles": {"core", "text", "places", "events"},
    "report": {"core", "text", "ingest", "places", "events", "articles"},
}
MAX_LINES = 500
# Tables of names and phrases: long because the world has many names, not because of logic.
DATA_TABLES = {"events/names.py", "events/phrases.py"}


def modules() -> dict[str, Path]:
    return {".".join(p.relative_to(REPO_ROOT).with_suffix("").parts).removesuffix(".__init__"): p
            for p in sorted(PACKAGE.rglob("*.py"))}


def imports(path: Path) -> set[str]:
    """The watchfloor modules a file imports, at any depth (function-level imports count too)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names if alias.name.startswith("watchfloor.")}
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("watchfloor"):
            known = modules()
            for alias in node.names:  # `from watchfloor.report import maps` imports a module
                candidate = f"{node.module}.{alias.name}"
                found.add(candidate if candidate in known else node.module)
    return found


def room(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 2 or (len(parts) == 2 and parts[1] in MAY_IMPORT) else None


def test_every_module_lives_in_a_known_room():
    loose = [m for m in modules() if m != "watchfloor" and room(m) not in MAY_IMPORT]
    assert not loose, f"modules outside the rooms {sorted(MAY_IMPORT)}: {loose}"


def test_rooms_import_only_the_rooms_below_them():
    wrong = []
    for module, path in modules().items():
        here = room(module)
        for target in imports(path):
            there = room(target)
            if here and there and there != here and there not in MAY_IMPORT[here]:
                wrong.append(f"{module} imports {target}")
    assert not wrong, "\n".join(wrong)


def test_no_import_cycles():
    graph = {module: {t for t in imports(path) if t in modules() and t != module} for module, path in modules().items()}
    state: dict[str, int] = {}  # 1 visiting, 2 done

    def visit(module: str, trail: list[str]) -> None:
        if state.get(module) == 2:
            return
        if state.get(module) == 1:
            pytest.fail("import cycle: " + " -> ".join(trail[trail.index(module):] + [module]))
        state[module] = 1
        for target in sorted(graph[module]):
            visit(target, trail + [module])
        state[module] = 2

    for module in sorted(graph):
        visit(module, [])


def test_modules_are_short_except_data_tables():
    long = {p.relative_to(PACKAGE).as_posix(): n for p in PACKAGE.rglob("*.py")
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert set(long) <= DATA_TABLES, f"over {MAX_LINES} lines: {long}"


def test_every_room_says_what_lives_there():
    for name in MAY_IMPORT:
        doc = ast.get_docstring(ast.parse((PACKAGE / name / "__init__.py").read_text(encoding="utf-8")))
        assert doc and len(doc) > 80, f"watchfloor/{name}/__init__.py needs a docstring: what lives there, what it may import"
