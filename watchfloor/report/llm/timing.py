"""How long to wait for the model server: each request's timeout follows its prompt's size and the
server's measured speed, rather than one fixed number.

- ``TimeoutPolicy.fixed`` (``WATCHFLOOR_LLM_TIMEOUT``) sets every request's timeout.
- Otherwise a request made before the server's speed is known waits up to ``first`` seconds (a CPU
  server reading a 3,000-token prompt and writing 2,000 tokens needs about four minutes). Every
  answered request measures the server: prompt and completion tokens per second (llama.cpp's own
  ``timings`` when the reply carries them, else all tokens over the wall time) and prompt tokens per
  character. A later request's timeout is ``safety`` times what its estimated prompt tokens and its
  ``max_tokens`` take at that speed, within ``floor`` and ``cap``.
- The measurement is kept per server and model in a small JSON file beside the reply cache, so the
  next section, step or run starts from it.
- A request that timed out is retried once, with twice the timeout (within the cap; a fixed
  timeout stays as fixed).
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

CHARS_PER_TOKEN = 3.5  # the prompt's tokens before any reply has counted them
ASSUMED_COMPLETION_TOKENS = 1000  # for a request without max_tokens
MIN_MEASURED_PROMPT_TOKENS = 100  # fewer prompt tokens processed (a server-side cache hit) say nothing of the speed


@dataclass(frozen=True)
class TimeoutPolicy:
    fixed: float | None = None  # seconds for every request; None: follow the measured speed
    first: float = 300.0  # before the speed is known
    floor: float = 30.0
    cap: float = 900.0
    safety: float = 3.0  # times the expected duration


@dataclass(frozen=True)
class Speed:
    prompt_tps: float  # prompt tokens read per second
    completion_tps: float  # tokens written per second
    tokens_per_char: float  # prompt tokens per prompt character


class ServerSpeed:
    """The measured speed of one server and model, and the timeout it implies for the next request."""

    def __init__(self, policy: TimeoutPolicy, server: str, path: Path | None = None) -> None:
        self.policy = policy
        self.server = server
        self.path = path
        self.speed = self._load()

    def timeout(self, prompt_chars: int, max_tokens: int | None, earlier_timeouts: int = 0) -> float:
        """Seconds to wait for a request of `prompt_chars` characters that may write `max_tokens` tokens."""
        policy = self.policy
        if policy.fixed is not None:
            return policy.fixed
        if self.speed is None:
            seconds = policy.first
        else:
            prompt_tokens = prompt_chars * self.speed.tokens_per_char
            completion_tokens = max_tokens or ASSUMED_COMPLETION_TOKENS
            expected = prompt_tokens / self.speed.prompt_tps + completion_tokens / self.speed.completion_tps
            seconds = max(policy.floor, policy.safety * expected)
        return round(min(policy.cap, seconds * 2**earlier_timeouts), 1)

    def measure(self, prompt_chars: int, prompt_tokens: int, completion_tokens: int, seconds: float,
                timings: dict[str, Any] | None = None) -> None:
        """Learn from one answered request (llama.cpp's `timings` preferred over the wall time)."""
        prompt_tps = _rate(timings, "prompt_per_second", "prompt_n", MIN_MEASURED_PROMPT_TOKENS)
        completion_tps = _rate(timings, "predicted_per_second", "predicted_n", 1)
        if prompt_tps is None and timings and self.speed is not None:  # the server had the prompt cached
            prompt_tps = self.speed.prompt_tps
        if prompt_tps is None or completion_tps is None:
            if seconds <= 0 or prompt_tokens + completion_tokens <= 0:
                return
            overall = (prompt_tokens + completion_tokens) / seconds
            prompt_tps, completion_tps = prompt_tps or overall, completion_tps or overall
        per_char = prompt_tokens / prompt_chars if prompt_chars > 0 and prompt_tokens > 0 else 1 / CHARS_PER_TOKEN
        self.speed = Speed(round(prompt_tps, 3), round(completion_tps, 3), round(per_char, 4))
        self._save()

    # -- the file --------------------------------------------------------------------------------

    def _read_all(self) -> dict:
        if self.path is None or not self.path.is_file():
            return {}
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            return data if isinstance(data, dict) else {}
        except (OSError, ValueError):
            return {}

    def _load(self) -> Speed | None:
        entry = self._read_all().get(self.server)
        try:
            speed = Speed(float(entry["prompt_tps"]), float(entry["completion_tps"]), float(entry["tokens_per_char"]))
        except (TypeError, KeyError, ValueError):
            return None
        return speed if min(speed.prompt_tps, speed.completion_tps, speed.tokens_per_char) > 0 else None

    def _save(self) -> None:
        if self.path is None or self.speed is None:
            return
        data = self._read_all()
        data[self.server] = {**asdict(self.speed), "measured_at": datetime.now(UTC).isoformat(timespec="seconds")}
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".speed.", suffix=".tmp")
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump(data, fh, indent=1, sort_keys=True)
            os.replace(tmp, self.path)
        except OSError as exc:  # the next run measures again
            log.warning("LLM server speed not saved (%s)", type(exc).__name__)


def _rate(timings: dict[str, Any] | None, rate: str, count: str, minimum: int) -> float | None:
    """A tokens-per-second figure of llama.cpp's `timings`, when it rests on at least `minimum` tokens."""
    if not timings:
        return None
    try:
        value, n = float(timings.get(rate) or 0), int(timings.get(count) or 0)
    except (TypeError, ValueError):
        return None
    return value if value > 0 and n >= minimum else None
