"""The report writer's language model: any OpenAI-compatible server, or none (the offline writer)."""

from __future__ import annotations

from pathlib import Path

import dagster as dg
from pydantic import Field

from watchfloor.report.llm.client import LLMClient


class LLMResource(dg.ConfigurableResource):
    """OPENAI_API_KEY, OPENAI_BASE_URL and WATCHFLOOR_LLM_MODEL; without a key the offline writer is used.

    Replies are cached under the data folder by a hash of model, prompt and schema, so materialising an
    unchanged partition again spends no tokens.
    """

    api_key: str | None = Field(default=None, description="from OPENAI_API_KEY; never logged")
    base_url: str | None = Field(default=None, description="from OPENAI_BASE_URL (vLLM, Ollama, llama.cpp, ...)")
    model: str = "gpt-4o-mini"
    timeout_s: float = 60.0
    max_retries: int = 4

    def client(self, cache_dir: Path) -> LLMClient | None:
        """The model's client, or None without a key (the sections are then written offline)."""
        if not self.api_key:
            return None
        return LLMClient(
            api_key=self.api_key,
            model=self.model,
            base_url=self.base_url or None,
            timeout_s=self.timeout_s,
            max_retries=self.max_retries,
            cache_dir=cache_dir,
        )
