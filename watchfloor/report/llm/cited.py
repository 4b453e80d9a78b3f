"""Citations as structure on the wire: each cited text field is asked for as a list of sentences,
each with the annex numbers it rests on, and read back as the report's text ("... [3][5].").

A small model told to end every sentence with "[n]" mostly does not; a schema whose every sentence
object requires an ``annex`` list (1 to ``MAX_CITATIONS`` numbers) makes a grammar-enforcing server
(llama.cpp) write one, and a hosted model reads it as plainly. What the numbers are worth is the
grounding gate's to judge (grounding.py). A reply in the plain form (a string with [n] marks) is read
as it is.
"""

from __future__ import annotations

import copy
from typing import Any

from watchfloor.report.citations import cite

CITED_FIELDS = frozenset({"text", "paragraphs", "short_term_trends", "critical_flashpoints", "indicators",
                          "recommendations", "level_reason", "detail"})
MAX_SENTENCES = 8  # per text field: a paragraph of the reference report's length
MAX_CITATIONS = 4  # per sentence

SENTENCES = {
    "type": "array",
    "minItems": 1,
    "maxItems": MAX_SENTENCES,
    "items": {
        "type": "object",
        "properties": {
            "sentence": {"type": "string"},
            "annex": {"type": "array", "items": {"type": "integer"}, "minItems": 1, "maxItems": MAX_CITATIONS},
        },
        "required": ["sentence", "annex"],
        "additionalProperties": False,
    },
}


def wire_schema(json_schema: dict) -> dict:
    """`json_schema` with every cited text field (CITED_FIELDS) asked for as a list of cited sentences."""
    wired = copy.deepcopy(json_schema)
    _wire(wired)
    return wired


def _wire(node: Any) -> None:
    if isinstance(node, dict):
        for name, prop in (node.get("properties") or {}).items():
            if name in CITED_FIELDS and isinstance(prop, dict):
                if prop.get("type") == "string":
                    node["properties"][name] = {**SENTENCES, "description": "the text, sentence by sentence"}
                elif prop.get("type") == "array" and (prop.get("items") or {}).get("type") == "string":
                    prop["items"] = {**SENTENCES, "description": "one paragraph, sentence by sentence"}
        for value in node.values():
            _wire(value)
    elif isinstance(node, list):
        for value in node:
            _wire(value)


def unwire(data: Any) -> Any:
    """The reply with every list of cited sentences joined into one text ("Sentence one [3]. Two [4][5].")."""
    if isinstance(data, dict):
        return {key: unwire(value) for key, value in data.items()}
    if isinstance(data, list):
        if data and all(isinstance(item, dict) and "sentence" in item for item in data):
            return " ".join(_sentence(item) for item in data).strip()
        return [unwire(item) for item in data]
    return data


def _sentence(item: dict) -> str:
    text = " ".join(str(item.get("sentence") or "").split()).rstrip(" .")
    numbers = [n for n in item.get("annex") or [] if isinstance(n, int) and not isinstance(n, bool)]
    if not text:
        return ""
    return f"{text} {cite(numbers)}." if numbers else f"{text}."
