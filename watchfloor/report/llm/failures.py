"""Replies the model got wrong, kept for whoever debugs a bad model night:
``<folder>/<section>-<n>.json`` (the asset's folder is ``data/llm_failures/<country>/<week>/``),
numbered on from the files already there so earlier runs' replies stay.

Each file holds the section, the model, why the reply failed, its finish_reason, the raw reply (as
redacted by the client: never the key), the cache key of the request and the prompt that produced
it, so the request can be replayed by hand.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from pathlib import Path

from watchfloor.report.llm.client import Rejected

log = logging.getLogger(__name__)


def keep_rejected(folder: Path, section: str, model: str, rejected: Sequence[Rejected], *, cache_key: str | None,
                  system: str, user: str) -> list[Path]:
    """Write each rejected reply to its own file; the paths written."""
    if not rejected:
        return []
    written = []
    try:
        folder.mkdir(parents=True, exist_ok=True)
        n = len(list(folder.glob(f"{section}-*.json")))
        for reply in rejected:
            n += 1
            path = folder / f"{section}-{n}.json"
            path.write_text(json.dumps({
                "section": section, "model": model, "purpose": reply.purpose, "error": reply.error,
                "finish_reason": reply.finish_reason, "content": reply.content, "cache_key": cache_key,
                "system": system, "user": user,
            }, ensure_ascii=False, indent=1), encoding="utf-8")
            written.append(path)
    except OSError as exc:  # losing a debugging copy must not lose the report
        log.warning("could not keep the rejected %s reply under %s (%s)", section, folder, type(exc).__name__)
    return written
