"""What an OpenAI-compatible server's errors mean for the client: which are worth retrying, how
long a Retry-After header asks to wait, whether a 4xx rejects the response_format (the client then
falls back to a simpler one), and the short outcome and error text a call is recorded with."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

import openai

from watchfloor.report.llm.replies import MODE_PLAIN

MAX_ERROR_CHARS = 400  # server error text kept in messages

RETRY_STATUS = frozenset({408, 429})
REJECTION_HINTS = re.compile(
    r"response[_ ]format|json[_ ]schema|json_object|structured[_ ]output|guided[_ ]json|grammar", re.IGNORECASE
)


def rejects_response_format(exc: openai.APIStatusError, mode: str) -> bool:
    """A 400/404/422 that names the structured-output feature: the server does not support `mode`."""
    if mode == MODE_PLAIN or exc.status_code not in (400, 404, 415, 422, 501):
        return False
    return bool(REJECTION_HINTS.search(error_text(exc, limit=2000)))


def error_text(exc: openai.APIStatusError, limit: int = MAX_ERROR_CHARS) -> str:
    body = exc.body
    if isinstance(body, dict):
        inner = body.get("error", body)
        text = inner.get("message") if isinstance(inner, dict) else inner
        text = str(text if text is not None else body)
    elif body is not None:
        text = str(body)
    else:
        text = str(exc.message)
    return re.sub(r"\s+", " ", text).strip()[:limit]


def is_retryable(exc: BaseException) -> bool:
    """Timeouts, connection errors, 408, 429 (not insufficient_quota) and 5xx."""
    if isinstance(exc, openai.APIConnectionError):  # includes APITimeoutError
        return True
    if isinstance(exc, openai.APIStatusError):
        if exc.status_code == 429 and exc.code == "insufficient_quota":
            return False
        return exc.status_code in RETRY_STATUS or exc.status_code >= 500
    return False


def retry_after_seconds(headers: Any, now: datetime | None = None) -> float | None:
    """Seconds to wait from `retry-after-ms` or `Retry-After` (seconds or an HTTP date); None if absent or unreadable."""
    if headers is None:
        return None
    value = headers.get("retry-after-ms")
    if value is not None:
        try:
            seconds = float(value) / 1000.0
            if seconds == seconds and seconds >= 0:  # not NaN
                return seconds
        except ValueError:
            pass
    value = headers.get("retry-after")
    if value is None:
        return None
    value = value.strip()
    try:
        seconds = float(value)
        return seconds if seconds == seconds and seconds >= 0 else None
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


def outcome(exc: BaseException) -> str:
    if isinstance(exc, openai.APITimeoutError):
        return "timeout"
    if isinstance(exc, openai.APIConnectionError):
        return "connection"
    if isinstance(exc, openai.APIStatusError):
        return f"http {exc.status_code}"
    return type(exc).__name__
