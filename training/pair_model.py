"""Train the pair model (watchfloor/events/data/pair_model.json) and report its figures.

    python -m training.pair_model      # fit on tune pairs, choose the threshold, write the model

Data: the candidates the pipeline makes of the real week 2026-08-19 (polled as the tests poll it,
built with the shipped security model and vectors) for the eight labelled countries, and the
hand-labelled happenings of tests/data/events_eval/labels.csv. Only pairs of two `tune` articles
are fitted on. The threshold is chosen by leave-one-country-out cross-validation on tune: each
country's tune candidates are linked (watchfloor.events.merge.linked) with a model fitted on the
other countries, and the threshold is the lowest of THRESHOLDS whose pooled merging precision is
at least TARGET_PRECISION (a wrong merge hides a happening from the report, a missed one only
repeats it). The held-out figures printed are the ones to quote.
"""

from __future__ import annotations

import itertools
import json
import tempfile
from pathlib import Path

import numpy as np
import polars as pl

from tests.support.events_eval import labels, measure
from tests.support.factories import REAL_WEEK, poll_realnews
from watchfloor.articles.build import build_week
from watchfloor.core.lake import Lake
from watchfloor.events import pairs
from watchfloor.events.extraction import candidates, extract_events
from watchfloor.events.merge import linked
from watchfloor.events.relevance import relevant_articles
from watchfloor.places.gazetteer import Gazetteer
from watchfloor.places.index import Places

COUNTRIES = ("IR", "UA", "CN", "KP", "IN", "TW", "IL", "PK")
L2, STEPS, RATE = 1e-3, 20_000, 2.0
THRESHOLDS = (0.6, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95)
TARGET_PRECISION = 0.9


def relevant_by_country() -> dict[str, pl.DataFrame]:
    gazetteer = Gazetteer.load()
    with tempfile.TemporaryDirectory() as folder:
        lake = Lake(Path(folder))
        poll_realnews(lake)
        articles, vectors = build_week(lake.read_week("raw_items", REAL_WEEK), REAL_WEEK, gazetteer)
    articles = articles.join(vectors.select("article_id", "vector"), on="article_id", how="left")
    return {country: relevant_articles(articles, country, gazetteer) for country in COUNTRIES}


def labelled_pairs(relevant: dict[str, pl.DataFrame], split: str) -> dict[str, tuple[np.ndarray, np.ndarray, int]]:
    """Per country, the features and same-happening labels of every pair of its labelled security
    candidates of a split, in itertools.combinations order, and how many candidates (each one's
    neighbourhood among all the country's candidates)."""
    happening = {(r["country"], r["article_id"]): r["happening"] for r in labels(split) if r["security"] == "1"}
    gazetteer, places = Gazetteer.load(), Places.load()
    by_country = {}
    for country, articles in relevant.items():
        found = candidates(articles, country, REAL_WEEK, places, gazetteer)
        around = pairs.neighbourhoods(found)
        members = [(c, n) for c, n in zip(found, around, strict=True)
                   if (country, c.article_id) in happening and n is not None]
        features, same = [], []
        for (a, around_a), (b, around_b) in itertools.combinations(members, 2):
            features.append(pairs.pair_features(a, b, around_a, around_b))
            same.append(happening[(country, a.article_id)] == happening[(country, b.article_id)])
        by_country[country] = (np.array(features).reshape(len(same), len(pairs.FEATURES)),
                               np.array(same, dtype=np.float64), len(members))
    return by_country


def cross_validated_merging(by_country: dict[str, tuple[np.ndarray, np.ndarray, int]]) -> dict[float, tuple[int, int, int]]:
    """Per threshold, pooled (true, false, missed) same-happening pairs when each country's labelled
    candidates are linked by a model fitted on the other countries."""
    counts = {threshold: (0, 0, 0) for threshold in THRESHOLDS}
    for country, (features, same, n) in by_country.items():
        if n < 2:
            continue
        others = [by_country[c] for c in by_country if c != country]
        w, b = fit(np.vstack([f for f, _, _ in others]), np.concatenate([y for _, y, _ in others]))
        likely, truth = np.zeros((n, n)), np.zeros((n, n), dtype=bool)
        for (i, j), x, y in zip(itertools.combinations(range(n), 2), features, same, strict=True):
            likely[i, j] = likely[j, i] = 1 / (1 + np.exp(-(x @ w + b)))
            truth[i, j] = y
        for threshold in THRESHOLDS:
            group = {i: k for k, members in enumerate(linked(likely, threshold)) for i in members}
            tp, fp, fn = counts[threshold]
            for i, j in itertools.combinations(range(n), 2):
                together = group[i] == group[j]
                tp, fp, fn = tp + (together and truth[i, j]), fp + (together and not truth[i, j]), fn + (truth[i, j] and not together)
            counts[threshold] = (tp, fp, fn)
    return counts


def fit(features: np.ndarray, same: np.ndarray) -> tuple[np.ndarray, float]:
    """Logistic regression, classes weighted equally, L2, full-batch gradient descent: deterministic."""
    share = same.mean()
    weights = np.where(same == 1, 0.5 / share, 0.5 / (1 - share))
    w, b = np.zeros(features.shape[1]), 0.0
    for _ in range(STEPS):
        gradient = (1 / (1 + np.exp(-(features @ w + b))) - same) * weights
        w -= RATE * (features.T @ gradient / len(same) + L2 * w)
        b -= RATE * gradient.mean()
    return w, b


def write(w: np.ndarray, b: float, threshold: float) -> None:
    pairs.MODEL_FILE.write_text(json.dumps({
        "features": list(pairs.FEATURES), "weights": [round(float(x), 6) for x in w], "bias": round(float(b), 6),
        "threshold": threshold, "trained_on": "tune pairs of tests/data/events_eval/labels.csv, real week 2026-08-19",
    }, indent=2) + "\n", encoding="utf-8")
    pairs.PairModel.load.cache_clear()


def events_of(relevant: dict[str, pl.DataFrame]) -> pl.DataFrame:
    gazetteer, places = Gazetteer.load(), Places.load()
    return pl.concat([extract_events(a, c, REAL_WEEK, places, gazetteer) for c, a in relevant.items()])


def main() -> None:
    relevant = relevant_by_country()
    by_country = labelled_pairs(relevant, "tune")
    features = np.vstack([f for f, _, _ in by_country.values()])
    same = np.concatenate([y for _, y, _ in by_country.values()])
    print(f"tune pairs: {len(same)} ({int(same.sum())} of one happening)")
    chosen = None
    for threshold, (tp, fp, fn) in cross_validated_merging(by_country).items():
        precision, recall = tp / max(1, tp + fp), tp / max(1, tp + fn)
        print(f"threshold {threshold}: leave-one-country-out merging P {precision:.3f} R {recall:.3f}")
        if chosen is None and precision >= TARGET_PRECISION:
            chosen = threshold
    chosen = chosen if chosen is not None else THRESHOLDS[-1]
    w, b = fit(features, same)
    print("weights:", dict(zip(pairs.FEATURES, np.round(w, 2).tolist(), strict=True)), "bias", round(b, 2))
    write(w, b, chosen)
    for split in ("tune", "heldout"):
        quality = measure(events_of(relevant), labels(split))
        print(f"\n{split} (threshold {chosen}):\n{quality.table()}")


if __name__ == "__main__":
    main()
