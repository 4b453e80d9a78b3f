"""The LLM client: schema-validated JSON from any OpenAI-compatible chat-completions server.

One public call, :meth:`LLMClient.structured`: system + user prompt in, an :class:`Answer` out (the
validated pydantic model, the :class:`~watchfloor.report.llm.usage.Usage` of every request made for
it, the repairs made before validation, the rejected replies), or :class:`LLMError` (the caller then
uses the offline writer for that section). No Dagster here.

Behaviour
---------
- Bounded, repeatable requests: ``max_tokens`` per request, list bounds (``maxItems``) in the
  schema, ``temperature`` and ``seed`` (defaults 0 and 0) sent with every request.
- Timeouts follow the prompt's size and the server's measured speed (timing.py) unless one is fixed.
  A timed-out request is retried once, with twice the timeout; HTTP 408, 429 and 5xx and connection
  errors are retried up to ``max_retries`` times with exponential backoff and jitter
  (``backoff_base_s * 2**(n-1)``, a random 50-100 % of it, at most ``max_backoff_s``). A
  ``retry-after-ms`` / ``Retry-After`` header (seconds or an HTTP date) replaces the computed delay,
  also capped at ``max_backoff_s``. A 429 whose error code is ``insufficient_quota`` and every other
  4xx fail at once.
- Structured output: ``response_format`` ``json_schema`` with the strict schema, its cited texts asked
  for as lists of sentences each with its annex numbers (cited.py) and read back as text. When the server
  rejects that (a 400/404/422 naming response_format / json_schema / structured output), the client
  falls back to ``json_object`` with the schema written into the prompt, and when that is rejected
  too, to no response_format at all; the working mode is remembered for the client's later calls.
- The reply is parsed (code fences and text around the object tolerated), repaired where the
  grammar does not bound it (repair.py; every change listed) and validated; on failure exactly one
  repair request is sent (the bad reply plus the validation errors); a second failure raises
  :class:`LLMError`. A reply cut at ``max_tokens`` that does not parse is a runaway: it fails at
  once, without a repair request at full cost.
- Cache (``cache_dir``, cache.py): the reply with the calls that produced it, keyed by model,
  prompts, schema, name and sampling. A hit makes no HTTP request and returns the stored calls
  marked cached; a stored failure (invalid after the repair, or cut) raises its LLMError again.
- The API key never appears in exception messages, logs, ``repr()``, cache files or kept replies:
  text built from server replies is redacted (the key, ``Bearer ...`` and ``sk-...`` tokens), and
  :class:`LLMError` is raised without the openai exception chained (that one holds the request).
"""

from __future__ import annotations

import logging
import random
import re
import time
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Generic
from urllib.parse import urlsplit, urlunsplit

import openai

from watchfloor.report.llm.cache import ReplyCache, cache_key
from watchfloor.report.llm.replies import (
    MODE_JSON_OBJECT,
    MODE_JSON_SCHEMA,
    MODE_PLAIN,
    Fix,
    InvalidReply,
    M,
    parse_reply,
    repair_prompt,
    request_schema,
    response_format,
    schema_instruction,
)
from watchfloor.report.llm.server_errors import (
    MAX_ERROR_CHARS,
    error_text,
    is_retryable,
    outcome,
    rejects_response_format,
    retry_after_seconds,
)
from watchfloor.report.llm.cited import wire_schema
from watchfloor.report.llm.context import server_context_tokens
from watchfloor.report.llm.timing import CHARS_PER_TOKEN, ServerSpeed, TimeoutPolicy
from watchfloor.report.llm.usage import Call, Usage

log = logging.getLogger(__name__)
progress = logging.getLogger("watchfloor.progress")  # what the CLI shows while a section is written

MAX_REPAIR_ECHO_CHARS = 8000  # the invalid reply sent back for repair is cut to this
SPEED_FILE = "server-speed.json"  # in the cache folder

# Why a section's model text is missing: the server could not be reached or answered too slowly
# (timeouts, connection errors, 408/429/5xx after the retries), refused the request (other HTTP
# errors), or answered with a reply that stayed invalid or ran to max_tokens.
UNREACHABLE, REFUSED, INVALID, LENGTH = "unreachable", "refused", "invalid", "length"
LASTING_FAILURES = frozenset({INVALID, LENGTH})  # the same prompt would fail again: cached


@dataclass(frozen=True)
class Rejected:
    """A reply that did not pass, kept for the operator (the caller writes it under llm_failures/)."""

    purpose: str  # "ask" or "repair"
    error: str
    finish_reason: str | None
    content: str | None


@dataclass(frozen=True)
class Answer(Generic[M]):
    content: M
    usage: Usage
    repairs: list[str] = field(default_factory=list)  # changes made before validation
    rejected: list[Rejected] = field(default_factory=list)  # an invalid first reply that the repair fixed


class LLMError(Exception):
    """The LLM gave no valid reply. The message is safe to log.

    ``usage`` holds what the failed attempt spent (or, for a cached failure, what it had spent),
    ``kind`` is one of unreachable, refused, invalid, length; ``rejected`` the replies that failed.
    """

    def __init__(self, message: str, usage: Usage | None = None, kind: str = UNREACHABLE,
                 rejected: list[Rejected] | None = None, cache_key: str | None = None) -> None:
        super().__init__(message)
        self.usage = usage or Usage()
        self.kind = kind
        self.rejected = rejected or []
        self.cache_key = cache_key


@dataclass
class _Attempt:
    """What one structured() call has done so far."""

    name: str
    max_tokens: int | None
    key: str
    records: list[Call] = field(default_factory=list)
    rejected: list[Rejected] = field(default_factory=list)
    finish_reason: str | None = None  # of the last reply
    last_timeout: float = 0.0

    def usage(self) -> Usage:
        return Usage(tuple(self.records))

    def error(self, message: str, kind: str) -> LLMError:
        return LLMError(message, self.usage(), kind, list(self.rejected), self.key)

    def reject(self, purpose: str, error: str, content: str | None) -> None:
        if self.records and self.records[-1].outcome == "ok":
            self.records[-1] = replace(self.records[-1], outcome="invalid")
        self.rejected.append(Rejected(purpose, error, self.finish_reason, content))


class LLMClient:
    def __init__(
        self,
        *,
        api_key: str,
        model: str,
        base_url: str | None = None,
        timeout_s: float | None = None,
        timeouts: TimeoutPolicy | None = None,
        max_retries: int = 4,
        timeout_retries: int = 1,
        backoff_base_s: float = 1.0,
        max_backoff_s: float = 30.0,
        temperature: float | None = 0.0,
        seed: int | None = 0,
        cache_dir: Path | None = None,
    ) -> None:
        if not api_key:
            raise ValueError("LLMClient needs an API key (any non-empty string for local servers)")
        if not model:
            raise ValueError("LLMClient needs a model name")
        self.model = model
        self.base_url = base_url
        self.timeouts = timeouts or TimeoutPolicy(fixed=float(timeout_s) if timeout_s else None)
        self.max_retries = max(0, int(max_retries))
        self.timeout_retries = max(0, int(timeout_retries))
        self.backoff_base_s = max(0.0, float(backoff_base_s))
        self.max_backoff_s = max(0.0, float(max_backoff_s))
        self.temperature = temperature
        self.seed = seed
        self.cache_dir = Path(cache_dir) if cache_dir is not None else None
        self._cache = ReplyCache(self.cache_dir) if self.cache_dir is not None else None
        self.speed = ServerSpeed(self.timeouts, f"{model}@{_safe_url(base_url)}",
                                 self.cache_dir / SPEED_FILE if self.cache_dir is not None else None)
        self._secret = api_key
        self._client = openai.OpenAI(api_key=api_key, base_url=base_url, timeout=self.timeouts.cap, max_retries=0)
        self._mode = MODE_JSON_SCHEMA
        self._context: int | None | bool = False  # False: not asked yet
        self._sleep = time.sleep  # replaced in tests

    def __repr__(self) -> str:
        return (
            f"LLMClient(model={self.model!r}, base_url={_safe_url(self.base_url)!r}, timeouts={self.timeouts}, "
            f"max_retries={self.max_retries}, temperature={self.temperature}, seed={self.seed}, "
            f"cache_dir={str(self.cache_dir) if self.cache_dir else None!r})"
        )

    __str__ = __repr__

    def context_tokens(self) -> int | None:
        """The server's context length (llm/context.py), asked once; None when it does not say."""
        if self._context is False:
            self._context = server_context_tokens(self.base_url, self._secret)
        return self._context

    def estimated_tokens(self, text: str) -> int:
        """`text`'s prompt tokens at the server's measured tokens per character (or CHARS_PER_TOKEN)."""
        per_char = self.speed.speed.tokens_per_char if self.speed.speed else 1 / CHARS_PER_TOKEN
        return round(len(text) * per_char)

    @property
    def mode(self) -> str:
        """The structured-output mode in use: json_schema, json_object or plain."""
        return self._mode

    # -- public ----------------------------------------------------------------------------------

    def structured(self, *, system: str, user: str, schema: type[M], name: str, max_tokens: int | None = None,
                   max_items: Mapping[str, int] | None = None, fix: Fix | None = None) -> Answer[M]:
        """A `schema` instance from the model, with what it cost. Raises LLMError.

        `max_items` bounds list properties by name (in the schema sent and by cutting the reply);
        `fix` repairs the parsed reply from the week's facts before validation."""
        json_schema = request_schema(schema, max_items)
        wire = wire_schema(json_schema)  # what the server is asked for: cited texts as sentence lists (cited.py)
        sampling = {"temperature": self.temperature, "seed": self.seed, "max_tokens": max_tokens}
        key = cache_key(self.model, system, user, wire, name, sampling)
        entry = self._cache.get(key, schema) if self._cache is not None else None
        if entry is not None:
            log.info("LLM %s: cache hit (%s)", name, key[:12])
            if entry.failure is not None:
                raise LLMError(f"{entry.failure.get('message')} (cached {entry.created_at})", entry.usage,
                               str(entry.failure.get("kind") or INVALID), cache_key=key)
            return Answer(entry.content, entry.usage, entry.repairs)

        attempt = _Attempt(name, max_tokens, key)
        messages = [{"role": "system", "content": system}, {"role": "user", "content": user}]
        try:
            result, repairs = self._ask(messages, schema, json_schema, wire, fix, attempt)
        except LLMError as error:
            if error.kind in LASTING_FAILURES and self._cache is not None:
                self._cache.put_failure(key, str(error), error.kind, error.usage, model=self.model, name=name, mode=self._mode)
            raise
        usage = attempt.usage()
        log.info(
            "LLM %s: %d prompt + %d completion tokens in %d call(s), %.1fs (%s)",
            name, usage.prompt_tokens, usage.completion_tokens, usage.calls, usage.seconds, self._mode,
        )
        if self._cache is not None:
            self._cache.put(key, result, usage, repairs, model=self.model, name=name, mode=self._mode)
        return Answer(result, usage, repairs, list(attempt.rejected))

    # -- the request, the reply, the one repair ------------------------------------------------------

    def _ask(self, messages: list[dict], schema: type[M], json_schema: dict, wire: dict, fix: Fix | None,
             attempt: _Attempt) -> tuple[M, list[str]]:
        name = attempt.name
        content = self._send(messages, wire, attempt, "ask")
        try:
            return parse_reply(content, schema, json_schema, fix)
        except InvalidReply as first:
            error = self._redact(str(first))
            attempt.reject("ask", error, self._redact(content or ""))
            if attempt.finish_reason == "length":
                raise attempt.error(f"LLM {name}: the reply ran to the {attempt.max_tokens}-token limit and is "
                                    f"incomplete ({error[:200]}); not asked again", LENGTH) from None
            log.warning("LLM %s: invalid reply (%s); asking once for a repair", name, error[:200])
        repair = [
            *self._with_schema(messages, wire),
            {"role": "assistant", "content": (content or "")[:MAX_REPAIR_ECHO_CHARS]},
            {"role": "user", "content": repair_prompt(error, name)},
        ]
        content = self._send(repair, wire, attempt, "repair", schema_in_prompt=False)
        try:
            return parse_reply(content, schema, json_schema, fix)
        except InvalidReply as second:
            error = self._redact(str(second))
            attempt.reject("repair", error, self._redact(content or ""))
            kind = LENGTH if attempt.finish_reason == "length" else INVALID
            raise attempt.error(f"LLM {name}: reply still invalid after one repair attempt: {error[:MAX_ERROR_CHARS]}",
                                kind) from None

    def _send(self, messages: list[dict], json_schema: dict, attempt: _Attempt, purpose: str,
              schema_in_prompt: bool = True) -> str | None:
        """One request (with its retries), falling back to a simpler response_format when the server rejects one."""
        while True:
            mode = self._mode
            sent = self._with_schema(messages, json_schema) if (schema_in_prompt and mode != MODE_JSON_SCHEMA) else messages
            try:
                return self._request(sent, response_format(mode, json_schema, attempt.name), attempt, purpose)
            except openai.APIStatusError as exc:
                if rejects_response_format(exc, mode):
                    self._mode = MODE_JSON_OBJECT if mode == MODE_JSON_SCHEMA else MODE_PLAIN
                    log.warning(
                        "LLM %s: server rejected response_format %s (HTTP %s); falling back to %s",
                        attempt.name, mode, exc.status_code, self._mode,
                    )
                    continue
                kind = UNREACHABLE if is_retryable(exc) else REFUSED
                raise attempt.error(f"LLM {attempt.name}: {self._describe(exc, attempt.last_timeout)}", kind) from None
            except openai.OpenAIError as exc:
                raise attempt.error(f"LLM {attempt.name}: {self._describe(exc, attempt.last_timeout)}", UNREACHABLE) from None

    def _request(self, messages: list[dict], response_format: dict | None, attempt: _Attempt, purpose: str) -> str | None:
        """POST once, retrying what may pass: each request recorded with its tokens, wall time and timeout."""
        prompt_chars = sum(len(str(m.get("content") or "")) for m in messages)
        kwargs: dict[str, Any] = {"model": self.model, "messages": messages}
        if response_format is not None:
            kwargs["response_format"] = response_format
        for option, value in (("temperature", self.temperature), ("seed", self.seed), ("max_tokens", attempt.max_tokens)):
            if value is not None:
                kwargs[option] = value
        retries = timeouts = 0
        while True:
            timeout = self.speed.timeout(prompt_chars, attempt.max_tokens, timeouts)
            attempt.last_timeout = timeout
            progress.info("writing %s with %s (%s, about %d prompt tokens, waiting up to %.0f s)...", attempt.name,
                          self.model, purpose, prompt_chars / CHARS_PER_TOKEN, timeout)
            started = time.monotonic()
            try:
                response = self._client.chat.completions.create(**kwargs, timeout=timeout)
            except openai.OpenAIError as exc:
                ended = outcome(exc)
                attempt.records.append(Call(purpose, ended, seconds=_since(started), timeout_s=timeout))
                timeouts += ended == "timeout"
                if not is_retryable(exc) or retries >= self.max_retries or timeouts > self.timeout_retries:
                    raise
                retries += 1
                wait = self._wait(retries, exc)
                log.warning("LLM %s: %s; retry %d/%d in %.2fs", attempt.name, self._describe(exc, timeout), retries,
                            self.max_retries, wait)
                self._sleep(wait)
                continue
            seconds = _since(started)
            content, finish, prompt_tokens, completion_tokens = _read(response)
            attempt.finish_reason = finish
            attempt.records.append(Call(purpose, "length" if finish == "length" else "ok", prompt_tokens,
                                        completion_tokens, seconds, timeout))
            self.speed.measure(prompt_chars, prompt_tokens, completion_tokens, seconds, _timings(response))
            progress.info("  %s: %d prompt + %d completion tokens in %.1f s (%s)", attempt.name, prompt_tokens,
                          completion_tokens, seconds, finish)
            return content

    def _wait(self, retry: int, exc: BaseException) -> float:
        headers = getattr(getattr(exc, "response", None), "headers", None)
        hinted = retry_after_seconds(headers) if headers is not None else None
        if hinted is not None:
            return min(hinted, self.max_backoff_s)
        delay = min(self.max_backoff_s, self.backoff_base_s * 2 ** (retry - 1))
        return delay * random.uniform(0.5, 1.0)

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

    def _describe(self, exc: BaseException | None, timeout: float = 0.0) -> str:
        if exc is None:
            return "unknown error"
        if isinstance(exc, openai.APITimeoutError):
            text = f"timed out after {timeout:g}s"
        elif isinstance(exc, openai.APIConnectionError):
            text = f"connection error ({type(exc.__cause__).__name__ if exc.__cause__ else 'no detail'})"
        elif isinstance(exc, openai.APIStatusError):
            text = f"HTTP {exc.status_code}: {error_text(exc)}"
        else:
            text = f"{type(exc).__name__}: {exc}"
        return self._redact(text)[:MAX_ERROR_CHARS]

    def _redact(self, text: str) -> str:
        if self._secret and len(self._secret) >= 4:
            text = text.replace(self._secret, "***")
        text = re.sub(r"(?i)(bearer\s+)[^\s'\"]+", r"\1***", text)
        return re.sub(r"\bsk-[A-Za-z0-9_\-*]{4,}", "sk-***", text)


# -- helpers (module level so they are testable) ----------------------------------------------------


def _read(response: Any) -> tuple[str | None, str | None, int, int]:
    """The reply's text, its finish_reason and its prompt and completion tokens."""
    usage = getattr(response, "usage", None)
    prompt_tokens = int(getattr(usage, "prompt_tokens", 0) or 0) if usage is not None else 0
    completion_tokens = int(getattr(usage, "completion_tokens", 0) or 0) if usage is not None else 0
    try:
        choice = response.choices[0]
        message = choice.message
    except (AttributeError, IndexError, TypeError):
        return None, None, prompt_tokens, completion_tokens
    content = getattr(message, "content", None)
    return (content if isinstance(content, str) else None), getattr(choice, "finish_reason", None), prompt_tokens, completion_tokens


def _timings(response: Any) -> dict | None:
    """llama.cpp's per-request speed figures, when the server sends them."""
    timings = getattr(response, "timings", None)
    return timings if isinstance(timings, dict) else None


def _since(started: float) -> float:
    return round(time.monotonic() - started, 3)


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
