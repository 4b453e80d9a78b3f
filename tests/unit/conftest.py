"""Fixtures of the unit tests: the scripted OpenAI-compatible server on 127.0.0.1."""

from __future__ import annotations

import pytest

from tests.support.fake_openai import FakeOpenAI


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch):
    """A scripted OpenAI-compatible server; proxies from the environment would bypass loopback."""
    for var in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(var, raising=False)
    fake = FakeOpenAI().start()
    yield fake
    fake.stop()
