"""The LLM reply cache: each validated reply stored as ``<sha256>.json``, keyed by everything that
shapes it (model, system and user prompt, schema, section name) and written atomically, so an
unchanged country-week costs no tokens when it is run again."""

from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

log = logging.getLogger(__name__)

M = TypeVar("M", bound=BaseModel)

CACHE_VERSION = 1


def cache_key(model: str, system: str, user: str, json_schema: dict, name: str) -> str:
    payload = json.dumps(
        [model, system, user, json.dumps(json_schema, sort_keys=True, separators=(",", ":")), name],
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


class ReplyCache:
    """Validated replies in `folder`; an unreadable or no longer valid entry is a miss."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)

    def _path(self, key: str) -> Path:
        return self.folder / f"{key}.json"

    def get(self, key: str, schema: type[M]) -> M | None:
        path = self._path(key)
        if not path.is_file():
            return None
        try:
            entry = json.loads(path.read_text(encoding="utf-8"))
            return schema.model_validate(entry["content"])
        except (OSError, ValueError, KeyError, TypeError, ValidationError) as exc:
            log.warning("LLM cache entry %s unusable (%s); calling the model", path.name, type(exc).__name__)
            return None

    def put(self, key: str, result: BaseModel, **about: Any) -> None:
        """Store `result` under `key` with the facts in `about` (model, name, mode, usage)."""
        path = self._path(key)
        entry = {
            "version": CACHE_VERSION,
            "key": key,
            **about,
            "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "content": result.model_dump(mode="json"),
        }
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
