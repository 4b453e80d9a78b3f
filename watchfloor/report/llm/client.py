"""The LLM client: schema-validated JSON from any OpenAI-compatible chat-completions server.

One public call, :meth:`LLMClient.structured`: system + user prompt in, a validated pydantic model
and the token :class:`Usage` out, or :class:`LLMError` (the caller then uses the offline writer
for that section). No Dagster here.

Behaviour
---------
- Retries are ours (the openai client runs with ``max_retries=0``) so they are testable: HTTP 408,
  429 and 5xx, timeouts and connection errors are retried up to ``max_retries`` times with
  exponential backoff and jitter (``backoff_base_s * 2**(n-1)``, a random 50-100 % of it, at most
  ``max_backoff_s``). A ``retry-after-ms`` / ``Retry-After`` header (seconds or an HTTP date)
  replaces the computed delay, also capped at ``max_backoff_s``. A 429 whose error code is
  ``insufficient_quota`` and every other 4xx fail at once.
- Structured output: ``response_format`` ``json_schema`` with the strict schema of the model.
  When the server rejects that (a 400/404/422 naming response_format / json_schema / structured
  output), the client falls back to ``json_object`` with the schema written into the prompt, and
  when that is rejected too, to no response_format at all; the working mode is remembered for
  the client's later calls.
- The reply is parsed (code fences and text around the object tolerated) and validated; on
  failure exactly one repair request is sent (the bad reply plus the validation errors); a second
  failure raises :class:`LLMError`.
- Cache (``cache_dir``, cache.py): the validated reply is stored as ``<sha256>.json``, keyed by
  model, system, user, schema JSON and name, written atomically. A hit makes no HTTP request and
  returns ``Usage(0, 0, calls=0, cached=True)``; an unreadable or no longer valid entry is a miss.
- :class:`Usage` sums the tokens of every response received (including invalid replies and the
  repair); ``calls`` counts the HTTP requests sent, retried ones included.
- The API key never appears in exception messages, logs, ``repr()`` or cache files: messages built
  from server replies are redacted (the key, ``Bearer ...`` and ``sk-...`` tokens), and
  :class:`LLMError` is raised without the openai exception chained (that one holds the request).
"""

from __future__ import annotations

import logging
import random
import re
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import openai
import tenacity

from watchfloor.report.llm.cache import ReplyCache, cache_key
from watchfloor.report.llm.replies import (
    MODE_JSON_OBJECT,
    MODE_JSON_SCHEMA,
    MODE_PLAIN,
    InvalidReply,
    M,
    parse_reply,
    repair_prompt,
    response_format,
    schema_instruction,
    strict_schema,
)

log = logging.getLogger(__name__)

MAX_REPAIR_ECHO_CHARS = 8000  # the invalid reply sent back for repair is cut to this
MAX_ERROR_CHARS = 400  # server error text kept in messages

_RETRY_STATUS = frozenset({408, 429})
_REJECTION_HINTS = re.compile(
    r"response[_ ]format|json[_ ]schema|json_object|structured[_ ]output|guided[_ ]json|grammar", re.IGNORECASE
)


@dataclass(frozen=True)
class Usage:
    """Tokens spent by one :meth:`LLMClient.structured` call (zero tokens on a cache hit)."""

    prompt_tokens: int = 0
    completion_tokens: int = 0
    calls: int = 0
    cached: bool = False

    @property
    def total_tokens(self) -> int:
        return self.prompt_tokens + self.completion_tokens

    def __add__(self, other: Usage) -> Usage:
        """Sums over sections; `cached` stays True only when every part was a cache hit."""
        if not isinstance(other, Usage):
            return NotImplemented
        return Usage(
            self.prompt_tokens + other.prompt_tokens,
            self.completion_tokens + other.completion_tokens,
            self.calls + other.calls,
            self.cached and other.cached,
        )


class LLMError(Exception):
    """The LLM gave no valid reply (after retries or the repair). The message is safe to log.

    ``usage`` holds what the failed attempt spent.
    """

    def __init__(self, message: str, usage: Usage | None = None) -> None:
        super().__init__(message)
        self.usage = usage or Usage()


@dataclass
class _Tally:
    prompt_tokens: int = 0
    completion_tokens: int = 0
    calls: int = 0
    finish_reason: str | None = None  # of the last reply

    def usage(self) -> Usage:
        return Usage(self.prompt_tokens, self.completion_tokens, self.calls, False)


class LLMClient:
    def __init__(
        self,
        *,
        api_key: str,
        model: str,
        base_url: str | None = None,
        timeout_s: float = 60,
        max_retries: int = 4,
        backoff_base_s: float = 1.0,
        max_backoff_s: float = 30.0,
        cache_dir: Path | None = None,
    ) -> None:
        if not api_key:
            raise ValueError("LLMClient needs an API key (any non-empty string for local servers)")
        if not model:
            raise ValueError("LLMClient needs a model name")
        self.model = model
        self.base_url = base_url
        self.timeout_s = float(timeout_s)
        self.max_retries = max(0, int(max_retries))
        self.backoff_base_s = max(0.0, float(backoff_base_s))
        self.max_backoff_s = max(0.0, float(max_backoff_s))
        self.cache_dir = Path(cache_dir) if cache_dir is not None else None
        self._cache = ReplyCache(self.cache_dir) if self.cache_dir is not None else None
        self._secret = api_key
        self._client = openai.OpenAI(api_key=api_key, base_url=base_url, timeout=self.timeout_s, max_retries=0)
        self._mode = MODE_JSON_SCHEMA
        self._sleep = time.sleep  # replaced in tests

    def __repr__(self) -> str:
        return (
            f"LLMClient(model={self.model!r}, base_url={_safe_url(self.base_url)!r}, timeout_s={self.timeout_s}, "
            f"max_retries={self.max_retries}, cache_dir={str(self.cache_dir) if self.cache_dir else None!r})"
        )

    __str__ = __repr__

    @property
    def mode(self) -> str:
        """The structured-output mode in use: json_schema, json_object or plain."""
        return self._mode

    # -- public ----------------------------------------------------------------------------------

    def structured(self, *, system: str, user: str, schema: type[M], name: str) -> tuple[M, Usage]:
        """A `schema` instance from the model, and the tokens spent. Raises LLMError."""
        json_schema = strict_schema(schema)
        key = cache_key(self.model, system, user, json_schema, name)
        cached = self._cache.get(key, schema) if self._cache is not None else None
        if cached is not None:
            log.info("LLM %s: cache hit (%s)", name, key[:12])
            return cached, Usage(0, 0, 0, True)

        tally = _Tally()
        messages = [{"role": "system", "content": system}, {"role": "user", "content": user}]
        content = self._send(messages, json_schema, name, tally)
        try:
            result = parse_reply(content, schema)
        except InvalidReply as first:
            log.warning("LLM %s: invalid reply (%s); asking once for a repair", name, self._redact(str(first))[:200])
            repair = [
                *self._with_schema(messages, json_schema),
                {"role": "assistant", "content": (content or "")[:MAX_REPAIR_ECHO_CHARS]},
                {"role": "user", "content": repair_prompt(str(first), name, tally.finish_reason == "length")},
            ]
            content = self._send(repair, json_schema, name, tally, schema_in_prompt=False)
            try:
                result = parse_reply(content, schema)
            except InvalidReply as second:
                raise LLMError(
                    f"LLM {name}: reply still invalid after one repair attempt: {self._redact(str(second))[:MAX_ERROR_CHARS]}",
                    tally.usage(),
                ) from None
        usage = tally.usage()
        log.info(
            "LLM %s: %d prompt + %d completion tokens in %d call(s) (%s)",
            name, usage.prompt_tokens, usage.completion_tokens, usage.calls, self._mode,
        )
        if self._cache is not None:
            self._cache.put(key, result, model=self.model, name=name, mode=self._mode, usage={
                "prompt_tokens": usage.prompt_tokens, "completion_tokens": usage.completion_tokens, "calls": usage.calls})
        return result, usage

    # -- one request, with retries and the response_format fallback --------------------------------

    def _send(
        self, messages: list[dict], json_schema: dict, name: str, tally: _Tally, schema_in_prompt: bool = True
    ) -> str | None:
        while True:
            mode = self._mode
            sent = self._with_schema(messages, json_schema) if (schema_in_prompt and mode != MODE_JSON_SCHEMA) else messages
            try:
                return self._request_with_retries(sent, response_format(mode, json_schema, name), name, tally)
            except openai.APIStatusError as exc:
                if _rejects_response_format(exc, mode):
                    self._mode = MODE_JSON_OBJECT if mode == MODE_JSON_SCHEMA else MODE_PLAIN
                    log.warning(
                        "LLM %s: server rejected response_format %s (HTTP %s); falling back to %s",
                        name, mode, exc.status_code, self._mode,
                    )
                    continue
                raise LLMError(f"LLM {name}: {self._describe(exc)}", tally.usage()) from None
            except openai.OpenAIError as exc:
                raise LLMError(f"LLM {name}: {self._describe(exc)}", tally.usage()) from None

    def _request_with_retries(self, messages: list[dict], response_format: dict | None, name: str, tally: _Tally) -> str | None:
        retrying = tenacity.Retrying(
            stop=tenacity.stop_after_attempt(self.max_retries + 1),
            wait=self._wait,
            retry=tenacity.retry_if_exception(is_retryable),
            sleep=lambda seconds: self._sleep(seconds),
            before_sleep=lambda state: self._log_retry(state, name),
            reraise=True,
        )
        for attempt in retrying:
            with attempt:
                tally.calls += 1
                kwargs: dict[str, Any] = {"model": self.model, "messages": messages}
                if response_format is not None:
                    kwargs["response_format"] = response_format
                response = self._client.chat.completions.create(**kwargs)
        return _content(response, tally)

    def _wait(self, state: tenacity.RetryCallState) -> float:
        exc = state.outcome.exception() if state.outcome else None
        headers = getattr(getattr(exc, "response", None), "headers", None)
        hinted = retry_after_seconds(headers) if headers is not None else None
        if hinted is not None:
            return min(hinted, self.max_backoff_s)
        delay = min(self.max_backoff_s, self.backoff_base_s * 2 ** (state.attempt_number - 1))
        return delay * random.uniform(0.5, 1.0)

    def _log_retry(self, state: tenacity.RetryCallState, name: str) -> None:
        exc = state.outcome.exception() if state.outcome else None
        wait = state.next_action.sleep if state.next_action else 0.0
        log.warning(
            "LLM %s: %s; retry %d/%d in %.2fs",
            name, self._describe(exc), state.attempt_number, self.max_retries, wait,
        )

    def _with_schema(self, messages: list[dict], json_schema: dict) -> list[dict]:
        """The messages with the schema appended to the (first) user message, for json_object / plain mode."""
        if self._mode == MODE_JSON_SCHEMA:
            return messages
        out = [dict(m) for m in messages]
        for m in out:
            if m["role"] == "user":
                m["content"] = f"{m['content']}\n\n{schema_instruction(json_schema)}"
                break
        return out

    # -- errors ------------------------------------------------------------------------------------

    def _describe(self, exc: BaseException | None) -> str:
        if exc is None:
            return "unknown error"
        if isinstance(exc, openai.APITimeoutError):
            text = f"timed out after {self.timeout_s:g}s"
        elif isinstance(exc, openai.APIConnectionError):
            text = f"connection error ({type(exc.__cause__).__name__ if exc.__cause__ else 'no detail'})"
        elif isinstance(exc, openai.APIStatusError):
            text = f"HTTP {exc.status_code}: {_error_text(exc)}"
        else:
            text = f"{type(exc).__name__}: {exc}"
        return self._redact(text)[:MAX_ERROR_CHARS]

    def _redact(self, text: str) -> str:
        if self._secret and len(self._secret) >= 4:
            text = text.replace(self._secret, "***")
        text = re.sub(r"(?i)(bearer\s+)[^\s'\"]+", r"\1***", text)
        return re.sub(r"\bsk-[A-Za-z0-9_\-*]{4,}", "sk-***", text)


# -- helpers (module level so they are testable) ----------------------------------------------------


def _rejects_response_format(exc: openai.APIStatusError, mode: str) -> bool:
    """A 400/404/422 that names the structured-output feature: the server does not support `mode`."""
    if mode == MODE_PLAIN or exc.status_code not in (400, 404, 415, 422, 501):
        return False
    return bool(_REJECTION_HINTS.search(_error_text(exc, limit=2000)))


def _error_text(exc: openai.APIStatusError, limit: int = MAX_ERROR_CHARS) -> str:
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
        return exc.status_code in _RETRY_STATUS or exc.status_code >= 500
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


def _content(response: Any, tally: _Tally) -> str | None:
    usage = getattr(response, "usage", None)
    if usage is not None:
        tally.prompt_tokens += int(getattr(usage, "prompt_tokens", 0) or 0)
        tally.completion_tokens += int(getattr(usage, "completion_tokens", 0) or 0)
    try:
        choice = response.choices[0]
        message = choice.message
    except (AttributeError, IndexError, TypeError):
        tally.finish_reason = None
        return None
    tally.finish_reason = getattr(choice, "finish_reason", None)
    content = getattr(message, "content", None)
    return content if isinstance(content, str) else None


def _safe_url(url: str | None) -> str | None:
    """The URL without user:password@ and without a query string."""
    if not url:
        return url
    try:
        parts = urlsplit(url)
    except ValueError:
        return "<unparseable url>"
    host = parts.hostname or ""
    if parts.port:
        host = f"{host}:{parts.port}"
    return urlunsplit((parts.scheme, host, parts.path, "", ""))
