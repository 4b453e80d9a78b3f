"""The model server's context length, and so the prompt budget of each section.

llama.cpp's server says its context length at ``GET /props`` (``default_generation_settings.n_ctx``;
``n_ctx`` at the top in some versions); other OpenAI-compatible servers say nothing, and then no
budget applies (hosted models' contexts dwarf a week's prompt). A prompt must leave room for the
reply (the section's ``max_tokens``) and a margin for the chat template and the estimate's error;
sections.py drops the week's least significant events until the prompt fits.
"""

from __future__ import annotations

import logging

import httpx

log = logging.getLogger(__name__)

MARGIN_TOKENS = 256  # the chat template's tokens and the estimate's error


def server_context_tokens(base_url: str | None, api_key: str) -> int | None:
    """The context length the server at `base_url` reports, or None (no base URL, no /props, no figure)."""
    if not base_url:
        return None
    root = base_url.rstrip("/").removesuffix("/v1")
    try:
        response = httpx.get(f"{root}/props", headers={"Authorization": f"Bearer {api_key}"}, timeout=5.0)
        if response.status_code != 200:
            return None
        data = response.json()
        settings = data.get("default_generation_settings") or {}
        n_ctx = settings.get("n_ctx") or data.get("n_ctx")
        return int(n_ctx) if isinstance(n_ctx, int | float) and n_ctx > 0 else None
    except (httpx.HTTPError, ValueError, AttributeError) as exc:
        log.info("LLM server context length unknown (%s)", type(exc).__name__)
        return None


def prompt_budget(context_tokens: int | None, max_tokens: int | None) -> int | None:
    """Prompt tokens a request may use: the context less the reply's room and the margin; None: no limit."""
    if context_tokens is None:
        return None
    return max(0, context_tokens - (max_tokens or 0) - MARGIN_TOKENS)
