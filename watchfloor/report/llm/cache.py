"""The LLM reply cache: each reply stored as ``<sha256>.json``, keyed by everything that shapes it
(model, system and user prompt, schema, section name, sampling: temperature, seed, max_tokens) and
written atomically, so an unchanged country-week costs no tokens when it is run again.

An entry keeps the calls that produced it (tokens, wall time, outcome of each), so a run served
from the cache reports what the reply cost, marked as cached. A reply the model got wrong for good
(still invalid after the repair, or cut at max_tokens) is stored as a failure: with the same prompt
and sampling the model would answer the same, so a re-run does not ask again and the section's
offline text, and with it the executive summary's prompt, stays the same. Failures that may pass
(timeouts, connection errors, 5xx) are never stored. Delete an entry (its key is in the failure's
file under llm_failures/) or change WATCHFLOOR_LLM_SEED to ask again.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ValidationError

from watchfloor.report.llm.usage import Usage

log = logging.getLogger(__name__)

M = TypeVar("M", bound=BaseModel)

CACHE_VERSION = 2


def cache_key(model: str, system: str, user: str, json_schema: dict, name: str,
              sampling: Mapping[str, Any] | None = None) -> str:
    payload = json.dumps(
        [model, system, user, json.dumps(json_schema, sort_keys=True, separators=(",", ":")), name,
         json.dumps(dict(sampling or {}), sort_keys=True)],
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class CacheEntry(Generic[M]):
    """A stored reply (`content`) or a stored failure (`failure`: its message and kind), with what it cost."""

    content: M | None
    failure: dict | None
    usage: Usage  # marked cached
    repairs: list[str]
    created_at: str


class ReplyCache:
    """Replies in `folder`; an unreadable or no longer valid entry is a miss."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)

    def _path(self, key: str) -> Path:
        return self.folder / f"{key}.json"

    def get(self, key: str, schema: type[M]) -> CacheEntry[M] | None:
        path = self._path(key)
        if not path.is_file():
            return None
        try:
            entry = json.loads(path.read_text(encoding="utf-8"))
            if entry.get("version") != CACHE_VERSION:
                return None
            failure = entry.get("failure")
            content = None if failure else schema.model_validate(entry["content"])
            return CacheEntry(content, failure, Usage.from_list(entry.get("usage") or [], cached=True),
                              list(entry.get("repairs") or []), str(entry.get("created_at", "")))
        except (OSError, ValueError, KeyError, TypeError, AttributeError, ValidationError) as exc:
            log.warning("LLM cache entry %s unusable (%s); calling the model", path.name, type(exc).__name__)
            return None

    def put(self, key: str, result: BaseModel, usage: Usage, repairs: list[str], **about: Any) -> None:
        """Store `result` under `key` with its calls, its repairs and the facts in `about` (model, name, mode)."""
        self._write(key, {"content": result.model_dump(mode="json"), "usage": usage.to_list(), "repairs": repairs, **about})

    def put_failure(self, key: str, message: str, kind: str, usage: Usage, **about: Any) -> None:
        self._write(key, {"failure": {"message": message, "kind": kind}, "usage": usage.to_list(), **about})

    def _write(self, key: str, body: dict) -> None:
        path = self._path(key)
        entry = {"version": CACHE_VERSION, "key": key, "created_at": datetime.now(UTC).isoformat(timespec="seconds"), **body}
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{key[:16]}.", suffix=".tmp")
            try:
                with os.fdopen(fd, "w", encoding="utf-8") as fh:
                    json.dump(entry, fh, ensure_ascii=False, indent=1, sort_keys=True)
                os.replace(tmp, path)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
        except OSError as exc:  # a cache that cannot be written costs tokens later, nothing else
            log.warning("LLM cache write failed for %s (%s)", path.name, type(exc).__name__)
