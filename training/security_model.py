"""Train the security model (watchfloor/events/data/security_model.npz) and report its figures.

    python -m training.security_model      # train, choose the threshold, write the model

Data: the real week 2026-08-19 (../shared/corpora/realnews-2026-08, polled as the tests poll it) and
the hand-labelled pairs of tests/data/events_eval/labels.csv. Every article of a `heldout` pair is
left out of everything the model learns from; the figures printed for `heldout` are the ones to
quote. See training/README.md.
"""

from __future__ import annotations

import tempfile
from collections import Counter
from dataclasses import replace
from pathlib import Path

import numpy as np
import polars as pl

from tests.support.events_eval import labels
from tests.support.factories import REAL_WEEK, poll_realnews
from watchfloor.articles.build import build_articles
from watchfloor.core.lake import Lake
from watchfloor.events.category import classify, subject_scores
from watchfloor.events.security_model import CLASSES, SecurityModel, softmax
from watchfloor.events.vectors import article_vectors, as_matrix
from watchfloor.places.gazetteer import Gazetteer
from watchfloor.text.anatomy import clean_headline, lead_sentences

HUMAN_WEIGHT = 3.0  # a hand label counts as three keyword-rule labels
L2 = 1e-3
STEPS, RATE = 800, 2.0
MIN_LANGUAGE_ARTICLES = 20  # fewer articles give no mean of their own: the week's overall mean stands in
THRESHOLDS = np.round(np.arange(0.50, 0.96, 0.05), 2)
KEYWORD_WEIGHTS = (0.0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.4, 0.5, 0.75, 1.0, 2.0)
FOLDS = 5


def week_vectors() -> tuple[pl.DataFrame, np.ndarray]:
    with tempfile.TemporaryDirectory() as folder:
        lake = Lake(Path(folder))
        poll_realnews(lake)
        articles = build_articles(lake.read_week("raw_items", REAL_WEEK), REAL_WEEK, Gazetteer.load())
    return articles, as_matrix(article_vectors(articles)["vector"])


def language_means(matrix: np.ndarray, languages: list[str]) -> tuple[dict[str, np.ndarray], np.ndarray]:
    codes = Counter(languages)
    means = {code: matrix[[i for i, x in enumerate(languages) if x == code]].mean(axis=0)
             for code, n in sorted(codes.items()) if n >= MIN_LANGUAGE_ARTICLES}
    return means, matrix.mean(axis=0)


def headline_and_lead(row: dict) -> tuple[str, str]:
    headline = clean_headline(row["title"], row["source"])
    sentences, _ = lead_sentences(row["summary"] or "", row["body"] or "", headline)
    return headline, " ".join(sentences[:3])


def keyword_label(row: dict) -> str:
    return classify(*headline_and_lead(row)) or "none"


def category_accuracy(model: SecurityModel, matrix: np.ndarray, languages: list[str], truth: list[str],
                      keyword_scores: list[dict]) -> dict[float, int]:
    """Per keyword weight, how many of the security articles get their labelled category."""
    probabilities = model.probabilities(matrix, languages)
    return {weight: sum(replace(model, keyword_weight=weight).blended_category(p, scores) == t
                        for p, scores, t in zip(probabilities, keyword_scores, truth, strict=True) if t != "none")
            for weight in KEYWORD_WEIGHTS}


def human_labels(split: str) -> dict[str, str]:
    """Article-level classes of a split: a security category when any of its pairs has one, else none."""
    found: dict[str, str] = {}
    for pair in labels(split):
        if pair["security"] == "1":
            found.setdefault(pair["article_id"], pair["category"])
    for pair in labels(split):
        found.setdefault(pair["article_id"], "none")
    return found


def fit(features: np.ndarray, classes: np.ndarray, weights: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Multinomial logistic regression, L2, full-batch gradient descent: deterministic."""
    targets = np.eye(len(CLASSES))[classes]
    w, b = np.zeros((features.shape[1], len(CLASSES))), np.zeros(len(CLASSES))
    for _ in range(STEPS):
        gradient = (softmax(features @ w + b) - targets) * weights[:, None]
        w -= RATE * (features.T @ gradient / len(features) + L2 * w)
        b -= RATE * gradient.mean(axis=0)
    return w, b


def security_f1(model: SecurityModel, matrix: np.ndarray, languages: list[str], truth: list[str]) -> dict[float, float]:
    probabilities = model.probabilities(matrix, languages)
    scores = {}
    for threshold in THRESHOLDS:
        said = probabilities[:, 0] <= threshold
        actual = np.array([t != "none" for t in truth])
        tp, fp, fn = (said & actual).sum(), (said & ~actual).sum(), (~said & actual).sum()
        scores[float(threshold)] = 2 * tp / max(1, 2 * tp + fp + fn)
    return scores


def train() -> SecurityModel:
    articles, matrix = week_vectors()
    languages = articles["language"].to_list()
    means, fallback = language_means(matrix, languages)
    index = {a: i for i, a in enumerate(articles["article_id"].to_list())}
    held = {p["article_id"] for p in labels("heldout")}
    tune = {a: c for a, c in human_labels("tune").items() if a not in held}
    weak = [(index[r["article_id"]], keyword_label(r)) for r in articles.iter_rows(named=True)
            if r["language"] == "en" and r["article_id"] not in held and r["article_id"] not in tune]
    print(f"keyword-rule labels: {len(weak)} English articles {dict(Counter(c for _, c in weak))}")
    print(f"hand labels (tune): {len(tune)} articles {dict(Counter(tune.values()))}")
    centred = SecurityModel(np.zeros((matrix.shape[1], len(CLASSES))), np.zeros(len(CLASSES)), means, fallback, 0.5, 0.0)
    features = centred.centre(matrix, languages)
    tuned = sorted(tune.items())

    def examples(hand: list[tuple[str, str]]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        rows = [i for i, _ in weak] + [index[a] for a, _ in hand]
        classes = [CLASSES.index(c) for _, c in weak] + [CLASSES.index(c) for _, c in hand]
        weights = [1.0] * len(weak) + [HUMAN_WEIGHT] * len(hand)
        return features[rows], np.array(classes), np.array(weights)

    # The threshold and the keyword weight by cross-validation on the tune articles: each fold judged
    # by a model that did not see it.
    rows_by_id = {r["article_id"]: r for r in articles.iter_rows(named=True)}
    totals, right = Counter(), Counter()
    for fold in range(FOLDS):
        train_part = [t for k, t in enumerate(tuned) if k % FOLDS != fold]
        test_part = [t for k, t in enumerate(tuned) if k % FOLDS == fold]
        w, b = fit(*examples(train_part))
        model = SecurityModel(w, b, means, fallback, 0.5, 0.0)
        rows = [index[a] for a, _ in test_part]
        test_languages, truth = [languages[i] for i in rows], [c for _, c in test_part]
        totals.update(security_f1(model, matrix[rows], test_languages, truth))
        scores = [subject_scores(*headline_and_lead(rows_by_id[a])) for a, _ in test_part]
        right.update(category_accuracy(model, matrix[rows], test_languages, truth, scores))
    threshold = max(sorted(totals), key=lambda t: (totals[t], -t))
    keyword_weight = max(KEYWORD_WEIGHTS, key=lambda x: (right[x], -x))
    judged = sum(c != "none" for _, c in tuned)
    print("cross-validated F1 by threshold:", {t: round(v / FOLDS, 3) for t, v in sorted(totals.items())})
    print(f"cross-validated category accuracy by keyword weight ({judged} security articles):",
          {x: round(right[x] / judged, 3) for x in KEYWORD_WEIGHTS})
    w, b = fit(*examples(tuned))
    return SecurityModel(w, b, means, fallback, threshold, keyword_weight)


def main() -> None:
    model = train()
    model.save()
    print(f"wrote the model (threshold {model.threshold}, keyword weight {model.keyword_weight})")


if __name__ == "__main__":
    main()
