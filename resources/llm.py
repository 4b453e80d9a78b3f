"""The report writer's language model: any OpenAI-compatible server, or none (the offline writer)."""

from __future__ import annotations

from pathlib import Path

import dagster as dg
from pydantic import Field

from watchfloor.report.llm.client import LLMClient


class LLMResource(dg.ConfigurableResource):
    """OPENAI_API_KEY, OPENAI_BASE_URL, WATCHFLOOR_LLM_MODEL, _TEMPERATURE, _SEED and _TIMEOUT; without a
    key the offline writer is used.

    Replies are cached under the data folder by a hash of model, prompt, schema and sampling, so
    materialising an unchanged partition again spends no tokens; the server's measured speed is kept
    there too (it sets the timeouts when none is fixed).
    """

    api_key: str | None = Field(default=None, description="from OPENAI_API_KEY; never logged")
    base_url: str | None = Field(default=None, description="from OPENAI_BASE_URL (vLLM, Ollama, llama.cpp, ...)")
    model: str = "gpt-4o-mini"
    temperature: float | None = Field(default=0.0, description="from WATCHFLOOR_LLM_TEMPERATURE; None: the server's")
    seed: int | None = Field(default=0, description="from WATCHFLOOR_LLM_SEED; None: the server's")
    timeout_s: float | None = Field(
        default=None, description="from WATCHFLOOR_LLM_TIMEOUT: seconds per request; None: from the prompt size and "
                                  "the server's measured speed")
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
            temperature=self.temperature,
            seed=self.seed,
            cache_dir=cache_dir,
        )
