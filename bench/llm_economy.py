"""LLM economy: the tokens one week-country report costs, against sending every relevant article.

    python -m bench.llm_economy [--quick] [--country XX --week YYYY-MM-DD]

Writes the six sections of one country-week (the busiest of the synthetic workload of bench.queries
--quick: 4 weeks x US, UA, MN, unless --country/--week name one; without --quick also the real week 2026-08-19 of the
corpus for Ukraine) through watchfloor.report.sections.write_section and an LLMClient pointed at the
scripted OpenAI-compatible server of tests/support/fake_openai.py on 127.0.0.1. The server answers every
request with a schema-valid reply (the offline writer's section for the same briefing; its
uncited sentences, such as the structured assessment's rule reason, are withheld by the citation
gate as a model's would be) and reports tokens estimated as characters / 4: prompt tokens from the
request's messages (system, user, and the schema in response_format), completion tokens from the reply.

Prints prompt and completion tokens per section and in total, the tokens needed to send every
relevant article of the country-week in full (title + body, characters / 4, once), and
`ratio llm_tokens_vs_full <total / full>`. Then writes the six sections again with the same cache
directory and checks that the server saw zero new requests (the cache answers every section).
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from datetime import date
from pathlib import Path

import polars as pl


def tokens(text: str) -> int:
    return round(len(text) / 4)


class TokenCountingServer:
    """The scripted server with a handler that answers any section and counts tokens."""

    def __init__(self, replies: dict[str, str]) -> None:
        from tests.support import fake_openai

        self.fake = fake_openai
        self.server = self.fake.FakeOpenAI()
        self.replies = replies
        self.by_section: dict[str, list[int]] = {}

    def handle(self, body: dict):
        self.server.push(self.handle)  # always one reply queued: the server takes them in order
        name = ((body.get("response_format") or {}).get("json_schema") or {}).get("name", "")
        content = self.replies[name]
        request = "".join(str(m.get("content") or "") for m in body.get("messages", []))
        request += json.dumps(body.get("response_format") or {}, separators=(",", ":"))
        prompt, completion = tokens(request), tokens(content)
        counted = self.by_section.setdefault(name, [0, 0, 0])
        counted[0] += prompt
        counted[1] += completion
        counted[2] += 1
        return self.fake.ok(content, prompt_tokens=prompt, completion_tokens=completion)

    def __enter__(self) -> TokenCountingServer:
        for var in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
            os.environ.pop(var, None)  # the server is on 127.0.0.1: no proxy
        self.server.push(self.handle)
        self.server.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.stop()


def offline_replies(briefing) -> dict[str, str]:
    """The offline writer's sections, as the JSON a model would return (schema-valid by construction)."""
    from watchfloor.report.sections import write_sections

    return {name: result.content.model_dump_json() for name, result in write_sections(briefing).items()}


def economy(label: str, articles: pl.DataFrame, events: pl.DataFrame, relevant: pl.DataFrame, iso2: str,
            country_name: str, week: date) -> float:
    from watchfloor.report.llm.client import LLMClient
    from watchfloor.report.sections import make_briefing, write_sections

    briefing = make_briefing(events, articles, iso2, country_name, week)
    full = sum(tokens(f"{t or ''}\n{b or ''}") for t, b in relevant.select("title", "body").iter_rows())
    with TokenCountingServer(offline_replies(briefing)) as counting, tempfile.TemporaryDirectory() as cache:
        def report() -> dict:
            client = LLMClient(api_key="bench-key", model="bench-model", base_url=counting.server.url, timeout_s=30,
                               max_retries=0, cache_dir=Path(cache))
            return write_sections(briefing, client)

        started = time.perf_counter()
        first = report()
        first_seconds = time.perf_counter() - started
        calls_after_first = counting.server.calls
        started = time.perf_counter()
        second = report()
        second_seconds = time.perf_counter() - started
        new_calls = counting.server.calls - calls_after_first

    fallbacks = [n for n, r in first.items() if r.generated_by == "offline"]
    prompt = sum(r.prompt_tokens for r in first.values())
    completion = sum(r.completion_tokens for r in first.values())
    print(f"{label}: {country_name} ({iso2}), week {week}: {relevant.height} relevant articles, {len(briefing.events)} events, "
          f"{len(briefing.annex)} annex articles; {articles.height} articles in the week")
    for name, r in first.items():
        print(f"  {name:24s} prompt {r.prompt_tokens:7d}  completion {r.completion_tokens:6d}  calls {r.llm_calls}"
              f"{'  (offline: ' + str(r.fallback_reason) + ')' if r.generated_by == 'offline' else ''}")
    total = prompt + completion
    print(f"  report: {prompt} prompt + {completion} completion = {total} tokens in {calls_after_first} calls "
          f"({first_seconds:.2f}s); every relevant article in full, once: {full} tokens "
          f"(x6 sections: {6 * full})")
    print(f"  re-run with the same cache: {new_calls} HTTP calls, {sum(r.cached for r in second.values())}/6 sections from "
          f"the cache, recording the {sum(r.prompt_tokens + r.completion_tokens for r in second.values())} tokens of the "
          f"run that produced them ({second_seconds:.2f}s)")
    if fallbacks:
        print(f"  WARNING: sections written offline after the LLM call: {', '.join(fallbacks)}")
    assert new_calls == 0, f"the re-run made {new_calls} LLM calls"
    return total / full if full else float("nan")


def synthetic_case(args) -> tuple:
    from bench.workload import events_lake
    from watchfloor.core.lake import Lake

    data, _, _ = events_lake(4, 11, 5000, 1, ("US", "UA", "MN"))
    lake = Lake(data)
    if args.country and args.week:
        iso2, week = args.country, date.fromisoformat(args.week)
    else:
        events = pl.read_parquet(lake.table_glob("events"))
        iso2, week, _ = events.group_by("country", "week").len().sort("len", "country", descending=[True, False]).row(0)
    return lake.read_week("articles", week), lake.read_week("events", week, iso2), iso2, week


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="the synthetic country-week only")
    parser.add_argument("--country")
    parser.add_argument("--week")
    args = parser.parse_args()
    from watchfloor.events.relevance import relevant_articles
    from watchfloor.places.gazetteer import Gazetteer

    gazetteer = Gazetteer.load()
    articles, events, iso2, week = synthetic_case(args)
    relevant = relevant_articles(articles, iso2, gazetteer)
    ratio = economy("synthetic", articles, events, relevant, iso2, gazetteer.country_name(iso2), week)
    print(f"ratio llm_tokens_vs_full {ratio:.3f}")
    if not args.quick:
        from bench.extraction import WEEK, real_week
        from bench.ingest import DEFAULT_CORPUS
        from watchfloor.events.extraction import extract_events
        from watchfloor.places.index import Places

        real = real_week(DEFAULT_CORPUS)
        relevant = relevant_articles(real, "UA", gazetteer)
        real_events = extract_events(relevant, "UA", WEEK, Places.load(), gazetteer)
        ratio = economy("real corpus", real, real_events, relevant, "UA", gazetteer.country_name("UA"), WEEK)
        print(f"ratio llm_tokens_vs_full_real {ratio:.3f}")


if __name__ == "__main__":
    main()
