"""A scripted OpenAI-compatible chat-completions server on 127.0.0.1 for the LLM tests.

Each POST /v1/chat/completions takes the next scripted :class:`Reply` (or calls a scripted
function with the request body to get one), records the request, and answers with a
chat.completion carrying ``usage`` token counts, or with an OpenAI-style error body. Threaded, so
a reply that sleeps past the client's timeout does not hold up the retry. GET /props answers with a
context length, as llama.cpp's server does, when ``context_tokens`` is set.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Reply:
    status: int = 200
    content: str | None = None  # the assistant message (status 200)
    error: str = ""  # the error message (status >= 400)
    error_code: str | None = None
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds to wait before answering
    prompt_tokens: int = 100
    completion_tokens: int = 20
    raw: str | None = None  # a raw body instead of the generated one
    finish_reason: str = "stop"
    timings: dict | None = None  # llama.cpp's speed figures, sent beside `usage` as that server does


def ok(obj: Any, **kw: Any) -> Reply:
    """A 200 whose content is `obj` as JSON (or `obj` itself when it is a string)."""
    return Reply(content=obj if isinstance(obj, str) else json.dumps(obj), **kw)


def error(status: int, message: str = "error", **kw: Any) -> Reply:
    return Reply(status=status, error=message, **kw)


@dataclass
class Request:
    body: dict
    headers: dict[str, str]

    @property
    def response_format(self) -> dict | None:
        return self.body.get("response_format")

    @property
    def messages(self) -> list[dict]:
        return self.body.get("messages", [])

    def text(self) -> str:
        return "\n".join(str(m.get("content")) for m in self.messages)


class FakeOpenAI:
    def __init__(self) -> None:
        self.script: list[Reply | Callable[[dict], Reply]] = []
        self.requests: list[Request] = []
        self.unscripted = 0
        self.context_tokens: int | None = None  # served as llama.cpp's GET /props n_ctx when set (else 404)
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self._server.block_on_close = False
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}/v1"

    @property
    def calls(self) -> int:
        return len(self.requests)

    def push(self, *replies: Reply | Callable[[dict], Reply]) -> FakeOpenAI:
        self.script.extend(replies)
        return self

    def start(self) -> FakeOpenAI:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._server.shutdown()
        self._server.server_close()

    def _next(self, body: dict) -> Reply:
        with self._lock:
            if not self.script:
                self.unscripted += 1
                return error(500, "no scripted reply left")
            item = self.script.pop(0)
        return item(body) if callable(item) else item

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:  # quiet
                pass

            def do_GET(self) -> None:  # noqa: N802
                if self.path.rstrip("/") == "/props" and fake.context_tokens is not None:
                    self._send(200, {"default_generation_settings": {"n_ctx": fake.context_tokens}}, {})
                else:
                    self._send(404, {"error": {"message": f"no route {self.path}"}}, {})

            def do_POST(self) -> None:  # noqa: N802
                length = int(self.headers.get("content-length") or 0)
                raw = self.rfile.read(length)
                if self.path.rstrip("/") != "/v1/chat/completions":
                    self._send(404, {"error": {"message": f"no route {self.path}"}}, {})
                    return
                try:
                    body = json.loads(raw or b"{}")
                except json.JSONDecodeError:
                    body = {}
                with fake._lock:
                    fake.requests.append(Request(body, {k.lower(): v for k, v in self.headers.items()}))
                reply = fake._next(body)
                if reply.delay and fake._stop.wait(reply.delay):
                    return
                if reply.raw is not None:
                    payload: Any = reply.raw
                elif reply.status >= 400:
                    payload = {"error": {"message": reply.error, "type": "invalid_request_error", "code": reply.error_code}}
                else:
                    payload = {
                        "id": f"chatcmpl-{fake.calls}",
                        "object": "chat.completion",
                        "created": 1782259200,
                        "model": body.get("model", "fake"),
                        "choices": [
                            {
                                "index": 0,
                                "message": {"role": "assistant", "content": reply.content},
                                "finish_reason": reply.finish_reason,
                            }
                        ],
                        "usage": {
                            "prompt_tokens": reply.prompt_tokens,
                            "completion_tokens": reply.completion_tokens,
                            "total_tokens": reply.prompt_tokens + reply.completion_tokens,
                        },
                    }
                    if reply.timings is not None:
                        payload["timings"] = reply.timings
                self._send(reply.status, payload, reply.headers)

            def _send(self, status: int, payload: Any, headers: dict[str, str]) -> None:
                data = payload.encode() if isinstance(payload, str) else json.dumps(payload).encode()
                try:
                    self.send_response(status)
                    self.send_header("content-type", "application/json")
                    self.send_header("content-length", str(len(data)))
                    for key, value in headers.items():
                        self.send_header(key, value)
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):  # the client gave up (timeout test)
                    pass

        return Handler
