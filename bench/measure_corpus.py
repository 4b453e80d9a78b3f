"""Measure the statistics of the real news corpus that the synthetic generator imitates.

    python -m bench.measure_corpus [--corpus ../shared/corpora/realnews-2026-08] [--out bench/corpus_stats.json]

Run once (about half a minute); the result, bench/corpus_stats.json, is committed and read by
bench/generate.py. It holds numbers only - distributions, shares and rates, and a list of frequent
single words with their document frequencies - never the corpus text: no titles, sentences or URLs.

What is measured (through the real stage functions, so "article", "language", "countries" and
"category" mean what the pipeline makes of them):

- per feed: documents (polls), the median gap between polls, items per document, new items per
  poll (distinct links / polls), the share of items with full text (content:encoded), with an
  outlet credit, with HTML in the summary; the lag between publication and first sighting;
- per article (build_articles over every week in the corpus): title, summary and body lengths in
  words (quantiles), language shares, the number of countries mentioned and how often each country
  is mentioned; exact duplicates (raw items per canonical URL: polls and feeds), near duplicates
  (entries per collapsed article), the share of stories carried by several feeds;
- events: the share of English articles that the keyword rule classifies into each category, and
  the share that scores as noise (sport, markets, culture) - the "noise" of the feeds;
- vocabulary: the most frequent lower-case English words of titles and leads (document frequency
  >= 8, country and place names excluded), and the most frequent Japanese katakana and kanji
  runs (document frequency >= 5), each with its document frequency.
"""

from __future__ import annotations

import argparse
import json
import re
import tempfile
import time
from collections import Counter, defaultdict
from datetime import datetime
from pathlib import Path

import polars as pl

from watchfloor.core.config import REPO_ROOT, FeedSpec

DEFAULT_CORPUS = REPO_ROOT.parent / "shared" / "corpora" / "realnews-2026-08"
DEFAULT_OUT = Path(__file__).with_name("corpus_stats.json")
QUANTILES = (0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99)
_EN_WORD = re.compile(r"[a-z][a-z'-]{2,}")
_JA_RUN = re.compile(r"[\u30a0-\u30ff]{2,8}|[\u4e00-\u9fff]{2,4}")
_TAG = re.compile(r"<[a-zA-Z][^>]*>")


def quantiles(values: list[float]) -> dict[str, float]:
    if not values:
        return {}
    series = pl.Series(values, dtype=pl.Float64)
    return {f"{q:g}": round(float(series.quantile(q, "nearest")), 2) for q in QUANTILES} | {
        "mean": round(float(series.mean()), 2), "n": len(values)}


def shares(counter: Counter, total: int, limit: int | None = None) -> dict[str, float]:
    return {str(k): round(v / total, 5) for k, v in counter.most_common(limit)} if total else {}


def words(text: str | None) -> int:
    return len((text or "").split())


def measure(corpus: Path) -> dict:
    from watchfloor.articles.build import build_articles
    from watchfloor.core.lake import Lake
    from watchfloor.events.category import category_scores, classify
    from watchfloor.events.relevance import relevant_articles
    from watchfloor.ingest.fetch import FeedFetcher
    from watchfloor.ingest.poll import poll_feeds
    from watchfloor.places.gazetteer import Gazetteer
    from watchfloor.text.anatomy import clean_headline, lead_sentences
    from watchfloor.text.html import html_to_text

    files = sorted(corpus.glob("*/*.xml"))
    gazetteer = Gazetteer.load()
    with tempfile.TemporaryDirectory() as tmp, FeedFetcher(concurrency=2) as fetcher:
        lake = Lake(Path(tmp))
        # One "feed" per document, so every poll is parsed (the archive dedup would hide none here anyway).
        polled = poll_feeds([FeedSpec(url=str(f), name=f.parent.name) for f in files], fetcher, lake)
        raw = polled.items
        weeks = sorted(raw["week"].unique().to_list())
        articles = pl.concat([build_articles(lake.read_week("raw_items", w), w, gazetteer) for w in weeks])

    raw = raw.with_columns(poll=pl.col("feed_url").str.extract(r"/([0-9TZ]+)\.xml$"))
    feeds = []
    for name in sorted(raw["feed_name"].unique().to_list()):
        rows = raw.filter(pl.col("feed_name") == name)
        polls = sorted(p.stem for p in (corpus / name).glob("*.xml"))
        times = [datetime.strptime(p, "%Y%m%dT%H%MZ") for p in polls]
        gaps = [(b - a).total_seconds() / 3600 for a, b in zip(times, times[1:], strict=False)]
        # The poll time is the file name (fetched_at of a file feed is the time it was read here).
        polled_at = pl.col("poll").str.strptime(pl.Datetime("us"), "%Y%m%dT%H%MZ")
        first_seen = rows.group_by("link").agg(polled_at.min().alias("polled_at"), pl.col("published_at").min())
        lag_hours = ((first_seen["polled_at"] - first_seen["published_at"]).dt.total_seconds() / 3600).to_list()
        summaries = rows["summary"].drop_nulls().to_list()
        feeds.append({
            "name": name,
            "documents": len(polls),
            "poll_gap_hours": quantiles(gaps),
            "items_per_document": round(rows.height / len(polls), 2),
            "new_items_per_poll": round(rows["link"].n_unique() / len(polls), 2),
            "content_share": round(rows["content"].is_not_null().mean(), 4),
            "credit_share": round(rows["source"].is_not_null().mean(), 4),
            "html_summary_share": round(sum(bool(_TAG.search(s)) for s in summaries) / max(1, len(summaries)), 4),
            "author_share": round(rows["author"].is_not_null().mean(), 4),
            "outlet_suffix_share": round(rows["title"].drop_nulls().str.contains(r"\s-\s[^-]{2,40}$").mean(), 4),
            "title_words": quantiles([words(t) for t in rows["title"].drop_nulls().to_list()]),
            "summary_words": quantiles([words(html_to_text(s)) for s in summaries[:: max(1, len(summaries) // 400)]]),
            "content_words": quantiles([words(html_to_text(c)) for c in rows["content"].drop_nulls().to_list()[::5]]),
            "first_seen_lag_hours": quantiles([h for h in lag_hours if h is not None]),
            "article_languages": {},  # filled below
        })

    by_feed_language: dict[str, Counter] = defaultdict(Counter)
    for feed_url, language in articles.select("feed_url", "language").iter_rows():
        name = Path(feed_url).parent.name
        by_feed_language[name][language] += 1
    for feed in feeds:
        counts = by_feed_language[feed["name"]]
        feed["article_languages"] = shares(counts, sum(counts.values()))

    # Exact duplicates: raw items per canonical URL (approximated by the link) over polls and feeds.
    per_link = raw.group_by("link").agg(pl.len().alias("items"), pl.col("feed_name").n_unique().alias("feeds"))
    n_articles = articles.height
    countries_per_article = Counter(min(len(c), 8) for c in articles["countries"].to_list())
    mentioned = Counter(c for cs in articles["countries"].to_list() for c in cs)

    categories: Counter = Counter()
    english = articles.filter(pl.col("language") == "en")
    noise_articles = 0
    en_doc_freq: Counter = Counter()
    place_words = {w.lower() for cs in [gazetteer.mentions(t) for t in english["title"].to_list()] for w in (m.surface for m in cs)}
    for title, summary, body, source in english.select("title", "summary", "body", "source").iter_rows():
        headline = clean_headline(title, source)
        sentences, _ = lead_sentences(summary or "", body or "", headline)
        lead = " ".join(sentences)
        category = classify(headline, lead)
        categories[category or "none"] += 1
        scores = category_scores(headline, lead)
        noise_articles += scores["noise"] >= 4 and category is None
        en_doc_freq.update(set(_EN_WORD.findall(f"{headline} {lead}".lower())))
    vocabulary = {w: n for w, n in en_doc_freq.most_common() if n >= 8 and w not in place_words}

    ja_doc_freq: Counter = Counter()
    for title, summary in articles.filter(pl.col("language") == "ja").select("title", "summary").iter_rows():
        ja_doc_freq.update(set(_JA_RUN.findall(f"{title} {summary}")))
    ja_vocabulary = {w: n for w, n in ja_doc_freq.most_common(400) if n >= 5}

    relevant = {}
    for iso2 in [c for c, _ in mentioned.most_common(12)]:
        relevant[iso2] = round(relevant_articles(articles, iso2, gazetteer).height / n_articles, 4)

    return {
        "corpus": corpus.name,
        "measured_at": time.strftime("%Y-%m-%d"),
        "documents": len(files),
        "raw_items": raw.height,
        "articles": n_articles,
        "feeds": feeds,
        "exact_duplicates": {
            "items_per_link": quantiles(per_link["items"].cast(pl.Float64).to_list()),
            "links_in_several_feeds_share": round((per_link["feeds"] > 1).mean(), 4),
        },
        "near_duplicates": {
            "duplicate_count": quantiles(articles["duplicate_count"].cast(pl.Float64).to_list()),
            "articles_with_several_sources_share": round((articles["sources"].list.len() > 1).mean(), 4),
            "articles_in_several_feeds_share": round(
                sum(len({Path(u).parent.name for u in urls}) > 1 for urls in articles["feed_urls"].to_list()) / n_articles, 4),
            "articles_in_several_polls_share": round((articles["feed_urls"].list.len() > 1).mean(), 4),
        },
        "article_title_words": quantiles([words(t) for t in articles["title"].to_list()]),
        "article_summary_words": quantiles([words(s) for s in articles["summary"].to_list()]),
        "article_body_words": quantiles([words(b) for b in articles["body"].to_list()]),
        "languages": shares(Counter(articles["language"].to_list()), n_articles),
        "countries_per_article": shares(countries_per_article, n_articles),
        "country_mention_share": shares(mentioned, n_articles, limit=60),
        "relevant_share_top_countries": relevant,
        "english_categories": shares(categories, english.height),
        "english_noise_share": round(noise_articles / max(1, english.height), 4),
        "date_flags": shares(Counter(raw["date_flag"].fill_null("trusted").to_list()), raw.height),
        "english_vocabulary": dict(list(vocabulary.items())[:1500]),
        "japanese_vocabulary": ja_vocabulary,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args()
    started = time.perf_counter()
    stats = measure(args.corpus)
    args.out.write_text(json.dumps(stats, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"{args.out}: {stats['documents']} documents, {stats['raw_items']} items, {stats['articles']} articles "
          f"({time.perf_counter() - started:.1f}s)")


if __name__ == "__main__":
    main()
