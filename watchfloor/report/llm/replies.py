"""What the model is asked to return and how its reply is read: the strict JSON schema with its list
bounds, the response_format modes, parsing, repairing (repair.py) and validating a reply, and the
one repair request."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from watchfloor.report.llm.cited import unwire
from watchfloor.report.llm.repair import conform

M = TypeVar("M", bound=BaseModel)

MODE_JSON_SCHEMA = "json_schema"
MODE_JSON_OBJECT = "json_object"
MODE_PLAIN = "plain"  # no response_format: the schema is in the prompt only

_FENCE = re.compile(r"^\s*```[a-zA-Z]*\s*\n?(.*?)\n?```\s*$", re.DOTALL)


class InvalidReply(Exception):
    """The reply could not be parsed or validated; str() is a compact error list for the repair prompt."""


def strict_schema(schema: type[BaseModel]) -> dict:
    """The model's JSON schema in OpenAI's strict form (all properties required, no extra ones)."""
    try:
        from openai.lib._pydantic import to_strict_json_schema
    except ImportError:  # pragma: no cover - private helper moved: do the same ourselves
        return _strictify(schema.model_json_schema())
    return to_strict_json_schema(schema)


def request_schema(schema: type[BaseModel], max_items: Mapping[str, int] | None = None) -> dict:
    """The strict schema with ``maxItems`` on every list property named in `max_items` (name -> bound)."""
    json_schema = strict_schema(schema)
    if max_items:
        _bound_lists(json_schema, max_items)
    return json_schema


def _bound_lists(node: Any, max_items: Mapping[str, int]) -> None:
    if isinstance(node, dict):
        for name, prop in (node.get("properties") or {}).items():
            if isinstance(prop, dict) and prop.get("type") == "array" and name in max_items:
                prop["maxItems"] = max_items[name]
        for value in node.values():
            _bound_lists(value, max_items)
    elif isinstance(node, list):
        for value in node:
            _bound_lists(value, max_items)


def _strictify(node: Any) -> Any:
    if isinstance(node, dict):
        node = {k: _strictify(v) for k, v in node.items()}
        if node.get("type") == "object" and isinstance(node.get("properties"), dict):
            node["additionalProperties"] = False
            node["required"] = list(node["properties"])
        return node
    if isinstance(node, list):
        return [_strictify(v) for v in node]
    return node


def compact_schema(json_schema: dict) -> str:
    """The schema as short JSON for a prompt (titles dropped)."""

    def strip(node: Any) -> Any:
        if isinstance(node, dict):
            return {k: strip(v) for k, v in node.items() if k != "title"}
        if isinstance(node, list):
            return [strip(v) for v in node]
        return node

    return json.dumps(strip(json_schema), separators=(",", ":"), ensure_ascii=False)


def schema_instruction(json_schema: dict) -> str:
    return "Reply with one JSON object, and nothing else, that matches this JSON Schema:\n" + compact_schema(json_schema)


def response_format(mode: str, json_schema: dict, name: str) -> dict | None:
    """The request's response_format in `mode` (None in plain mode)."""
    if mode == MODE_JSON_SCHEMA:
        safe_name = re.sub(r"[^A-Za-z0-9_-]", "_", name)[:64] or "reply"
        return {"type": "json_schema", "json_schema": {"name": safe_name, "schema": json_schema, "strict": True}}
    if mode == MODE_JSON_OBJECT:
        return {"type": "json_object"}
    return None


Fix = Callable[[Any], list[str]]  # repairs a parsed reply in place from the week's facts; returns the changes


def parse_reply(content: str | None, schema: type[M], json_schema: dict | None = None,
                fix: Fix | None = None) -> tuple[M, list[str]]:
    """The reply as a validated `schema` instance and the repairs made first (`fix`, then
    :func:`~watchfloor.report.llm.repair.conform` to `json_schema`); InvalidReply with a compact
    error list otherwise."""
    data = unwire(_json_object(content))
    changes = fix(data) if fix is not None else []
    if json_schema is not None:
        data = conform(data, json_schema, changes)
    try:
        return schema.model_validate(data), changes
    except ValidationError as exc:
        raise InvalidReply(_validation_summary(exc)) from None


def _json_object(content: str | None) -> dict:
    if not content or not content.strip():
        raise InvalidReply("the reply was empty; a JSON object was expected")
    text = content.strip()
    fenced = _FENCE.match(text)
    if fenced:
        text = fenced.group(1).strip()
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        start, end = text.find("{"), text.rfind("}")
        data = None
        if 0 <= start < end:
            try:
                data = json.loads(text[start : end + 1])
            except json.JSONDecodeError:
                data = None
        if data is None:
            raise InvalidReply(f"the reply is not valid JSON ({exc.msg} at line {exc.lineno} column {exc.colno})") from None
    if not isinstance(data, dict):
        raise InvalidReply(f"the reply is JSON but a {type(data).__name__}, not an object")
    return data


def _validation_summary(exc: ValidationError, limit: int = 15) -> str:
    errors = exc.errors(include_url=False, include_input=False)
    parts = [f"{'.'.join(str(p) for p in e['loc']) or '(root)'}: {e['msg']}" for e in errors[:limit]]
    if len(errors) > limit:
        parts.append(f"... and {len(errors) - limit} more")
    return "schema validation failed: " + "; ".join(parts)


def repair_prompt(error: str, name: str) -> str:
    """The follow-up request after an invalid reply: the errors, and "the same content, fixed"."""
    return (
        f"Your previous reply for '{name}' was not valid: {error[:1500]}\n"
        "Reply again with only the corrected JSON object: the same content, fixed so that it parses and matches "
        "the required schema exactly (all required fields, no extra fields, correct types)."
    )
