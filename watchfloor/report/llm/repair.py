"""Repairs of a parsed reply before it is validated: what a server's grammar does not bound is put
right instead of the whole reply being rejected, and every change is listed.

- :func:`conform` walks the request's JSON schema: a list longer than its ``maxItems`` is cut, a
  number outside ``minimum``/``maximum`` is clamped (an integer written as 3.0 or 3.6 is rounded),
  a value outside an ``enum`` takes the enum value it spells in another case, and fields the schema
  does not have are dropped. A server enforcing the schema as a grammar bounds integers, enums and
  list lengths but not decimal numbers; a server in json_object mode bounds nothing.
- :func:`fix_structured` uses the week's facts first: a threat level that is no level becomes the
  rule's, a hotspot whose coordinates are missing or out of range, or whose intensity is no
  integer of 1-5, takes the values of the event place it names.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from watchfloor.report.model import INSUFFICIENT_REPORTING, THREAT_LEVELS, Hotspot
from watchfloor.report.rules.hotspots import loose_place_key


def conform(value: Any, schema: dict, changes: list[str], root: dict | None = None, path: str = "") -> Any:
    """`value` fitted to `schema` where that is safe; each change appended to `changes`."""
    root = root if root is not None else schema
    node = _resolve(schema, root)
    kind = node.get("type")
    where = path or "(reply)"
    if kind == "object" and isinstance(value, dict):
        properties = node.get("properties", {})
        if node.get("additionalProperties") is False:
            extra = [k for k in value if k not in properties]
            if extra:
                changes.append(f"{where}: dropped the unexpected field(s) {', '.join(sorted(map(str, extra)))[:120]}")
                value = {k: v for k, v in value.items() if k in properties}
        return {k: conform(v, properties[k], changes, root, _join(path, k)) if k in properties else v
                for k, v in value.items()}
    if kind == "array" and isinstance(value, list):
        limit = node.get("maxItems")
        if isinstance(limit, int) and len(value) > limit:
            changes.append(f"{where}: kept the first {limit} of {len(value)} items")
            value = value[:limit]
        items = node.get("items")
        return [conform(v, items, changes, root, _join(path, str(i))) for i, v in enumerate(value)] if items else value
    if kind in ("integer", "number") and _is_number(value):
        return _bounded_number(value, node, kind, where, changes)
    if "enum" in node and value not in node["enum"] and isinstance(value, str):
        same = [e for e in node["enum"] if isinstance(e, str) and e.casefold() == value.strip().casefold()]
        if same:
            changes.append(f"{where}: {value!r} read as {same[0]!r}")
            return same[0]
    return value


def fix_structured(data: Any, rule_level: str, places: Sequence[Hotspot]) -> list[str]:
    """Put the structured assessment's unbounded values right from the week's facts (in place); the changes."""
    changes: list[str] = []
    if not isinstance(data, dict):
        return changes
    level = data.get("threat_level")
    levels = (*THREAT_LEVELS, INSUFFICIENT_REPORTING)
    if level not in levels:
        same = [t for t in levels if isinstance(level, str) and t.casefold() == level.strip().casefold()]
        data["threat_level"] = same[0] if same else rule_level
        changes.append(f"threat_level: {str(level)[:40]!r} is no threat level; {data['threat_level']} used")
    by_label = {loose_place_key(p.label): p for p in places}
    for i, spot in enumerate(data.get("hotspots") or []):
        if not isinstance(spot, dict):
            continue
        place = by_label.get(loose_place_key(str(spot.get("label") or "")))
        if place is None:
            continue  # the validator drops a hotspot at no event place, or matches it by distance
        if not (_in_range(spot.get("lat"), 90) and _in_range(spot.get("lng"), 180)):
            changes.append(f"hotspots.{i}: coordinates {spot.get('lat')!r}, {spot.get('lng')!r} replaced by "
                           f"{place.label}'s {place.lat}, {place.lng}")
            spot["lat"], spot["lng"] = place.lat, place.lng
        intensity = spot.get("intensity")
        if not (_is_number(intensity) and float(intensity).is_integer() and 1 <= intensity <= 5):
            changes.append(f"hotspots.{i}: intensity {intensity!r} replaced by {place.label}'s {place.intensity}")
            spot["intensity"] = place.intensity
    return changes


def _resolve(node: dict, root: dict) -> dict:
    ref = node.get("$ref") if isinstance(node, dict) else None
    if isinstance(ref, str) and ref.startswith("#/"):
        target: Any = root
        for part in ref[2:].split("/"):
            target = target.get(part, {}) if isinstance(target, dict) else {}
        return target if isinstance(target, dict) else {}
    return node if isinstance(node, dict) else {}


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _in_range(value: Any, bound: float) -> bool:
    return _is_number(value) and -bound <= value <= bound


def _bounded_number(value: float, node: dict, kind: str, where: str, changes: list[str]) -> float:
    fixed = round(value) if kind == "integer" and not float(value).is_integer() else value
    low, high = node.get("minimum"), node.get("maximum")
    if _is_number(low) and fixed < low:
        fixed = low
    if _is_number(high) and fixed > high:
        fixed = high
    if kind == "integer":
        fixed = int(fixed)
    if fixed != value:
        changes.append(f"{where}: {value!r} {'clamped' if fixed in (low, high) else 'rounded'} to {fixed!r}")
    return fixed
