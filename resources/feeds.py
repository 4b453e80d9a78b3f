"""The feed list and the HTTP client that polls it."""

from __future__ import annotations

from pathlib import Path

import dagster as dg

from watchfloor.core.config import FeedSpec, load_feeds
from watchfloor.ingest.fetch import DEFAULT_USER_AGENT, FeedFetcher


class FeedClientResource(dg.ConfigurableResource):
    """Polls the feeds named in the feeds file (WATCHFLOOR_FEEDS) with bounded, polite HTTP."""

    feeds_file: str
    connect_timeout_s: float = 10.0
    read_timeout_s: float = 30.0
    total_timeout_s: float = 60.0
    max_bytes: int = 20_000_000
    max_redirects: int = 5
    retries: int = 3
    backoff_base_s: float = 1.0
    concurrency: int = 8
    user_agent: str = DEFAULT_USER_AGENT

    def feeds(self) -> list[FeedSpec]:
        return load_feeds(Path(self.feeds_file))

    def fetcher(self) -> FeedFetcher:
        return FeedFetcher(
            connect_timeout=self.connect_timeout_s,
            read_timeout=self.read_timeout_s,
            total_timeout=self.total_timeout_s,
            max_bytes=self.max_bytes,
            max_redirects=self.max_redirects,
            retries=self.retries,
            backoff_base=self.backoff_base_s,
            concurrency=self.concurrency,
            user_agent=self.user_agent,
        )
