"""What LLM calls cost: one :class:`Call` per HTTP request (answered, failed or timed out), and
their sum, :class:`Usage`, per section.

Tokens are those the server reported; a request that timed out or failed before an answer has no
token count, only its wall time. A reply served from the cache carries the calls of the run that
produced it, marked ``cached``, so a cached run reports what the report cost rather than zero.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass, field


@dataclass(frozen=True)
class Call:
    """One HTTP request: what it was for, how it ended, the tokens reported, the wall time and the timeout it had."""

    purpose: str  # "ask" (the section's request) or "repair" (the one follow-up after an invalid reply)
    outcome: str  # "ok", "invalid", "length" (cut at max_tokens), "timeout", "connection", "http 503", ...
    prompt_tokens: int = 0
    completion_tokens: int = 0
    seconds: float = 0.0
    timeout_s: float | None = None

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> Call:
        return cls(**{k: data[k] for k in cls.__dataclass_fields__ if k in data})


@dataclass(frozen=True)
class Usage:
    """The calls behind one section (or a sum of sections); `cached` when they were made by an earlier run."""

    records: tuple[Call, ...] = field(default_factory=tuple)
    cached: bool = False

    @property
    def prompt_tokens(self) -> int:
        return sum(c.prompt_tokens for c in self.records)

    @property
    def completion_tokens(self) -> int:
        return sum(c.completion_tokens for c in self.records)

    @property
    def total_tokens(self) -> int:
        return self.prompt_tokens + self.completion_tokens

    @property
    def calls(self) -> int:
        return len(self.records)

    @property
    def seconds(self) -> float:
        return round(sum(c.seconds for c in self.records), 3)

    @property
    def timeouts(self) -> int:
        return sum(c.outcome == "timeout" for c in self.records)

    def __add__(self, other: Usage) -> Usage:
        """Sums over sections; `cached` stays True only when every part came from the cache."""
        if not isinstance(other, Usage):
            return NotImplemented
        return Usage(self.records + other.records, self.cached and other.cached)

    def as_cached(self) -> Usage:
        return Usage(self.records, True)

    def to_list(self) -> list[dict]:
        return [c.to_dict() for c in self.records]

    @classmethod
    def from_list(cls, calls: Iterable[dict], cached: bool = False) -> Usage:
        return cls(tuple(Call.from_dict(c) for c in calls), cached)
