"""Is an article a security matter, and of which category, in any language of the feeds?

A multinomial logistic model over the article's vector (watchfloor.events.vectors) with its
language's mean subtracted: ten classes, the nine categories of the taxonomy and "none". The
article is a security matter when P(none) <= the model's threshold; its category is then the most
probable of the nine. security_score = 1 - P(none).

Where the keyword rule (watchfloor.events.category) also speaks, an event's category weighs both:
the category maximising log P(category) + keyword_weight x its keyword score (`blended_category`;
the scores of watchfloor.events.category.subject_scores, where the form of a diplomatic act does not
count for diplomacy).
The rule's defining phrases ("ballistic missile", "sanctions") sharpen the model where it hesitates,
and the model overrules a phrase that names the wrong subject ("strikes" in a story about the
condemnation of strikes). keyword_weight is chosen by cross-validation on the tune articles.

The weights, the language means and the threshold are in data/security_model.npz, written by
`python -m training.security_model` (training/README.md says how and on what: English articles of a
reference week labelled by the keyword rule of watchfloor.events.category, and the `tune` part of
the hand-labelled tests/data/events_eval; never its `heldout` part, on which the figures are
reported). The keyword rule stays the explainable layer for English rows built without the model.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from watchfloor.core.taxonomy import CATEGORIES
from watchfloor.events.vectors import centred

MODEL_FILE = Path(__file__).with_name("data") / "security_model.npz"
CLASSES = ("none", *CATEGORIES)


@dataclass(frozen=True)
class SecurityModel:
    weights: np.ndarray  # (512, len(CLASSES))
    bias: np.ndarray  # (len(CLASSES),)
    language_means: dict[str, np.ndarray]
    fallback_mean: np.ndarray  # for a language without a mean of its own
    threshold: float  # most P(none) of a security matter
    keyword_weight: float  # of a keyword score against log P (blended_category)

    @classmethod
    @functools.cache
    def load(cls, path: Path = MODEL_FILE) -> SecurityModel:
        with np.load(path, allow_pickle=False) as data:
            if tuple(data["classes"].tolist()) != CLASSES:
                raise ValueError(f"{path} was trained for classes {data['classes'].tolist()}, not {CLASSES}")
            means = dict(zip(data["languages"].tolist(), data["means"], strict=True))
            return cls(data["weights"], data["bias"], means, data["fallback_mean"], float(data["threshold"]),
                       float(data["keyword_weight"]))

    def save(self, path: Path = MODEL_FILE) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        languages = sorted(self.language_means)
        np.savez_compressed(
            path, classes=np.array(CLASSES), weights=self.weights.astype(np.float32), bias=self.bias.astype(np.float32),
            languages=np.array(languages), means=np.vstack([self.language_means[x] for x in languages]).astype(np.float32),
            fallback_mean=self.fallback_mean.astype(np.float32), threshold=np.float64(self.threshold),
            keyword_weight=np.float64(self.keyword_weight),
        )

    def centre(self, matrix: np.ndarray, languages: list[str]) -> np.ndarray:
        return centred(matrix, languages, self.language_means, self.fallback_mean)

    def probabilities(self, matrix: np.ndarray, languages: list[str]) -> np.ndarray:
        """(n, len(CLASSES)) class probabilities of n raw article vectors."""
        return softmax(self.centre(matrix, languages) @ self.weights + self.bias)

    def judge(self, matrix: np.ndarray, languages: list[str]) -> tuple[list[str | None], list[float]]:
        """Each article's security category (None: not a security matter) and security score."""
        probabilities = self.probabilities(matrix, languages)
        categories = [CLASSES[1 + int(p[1:].argmax())] if p[0] <= self.threshold else None for p in probabilities]
        return categories, [float(1 - p[0]) for p in probabilities]


    def blended_category(self, probabilities: np.ndarray, keyword_scores: Mapping[str, float]) -> str:
        """The category of one article's class probabilities (a row of `probabilities`) and its keyword
        scores (module docstring)."""
        blended = np.log(probabilities[1:] + 1e-9) + self.keyword_weight * np.array(
            [keyword_scores.get(slug, 0) for slug in CLASSES[1:]], dtype=np.float64)
        return CLASSES[1 + int(blended.argmax())]


def softmax(scores: np.ndarray) -> np.ndarray:
    shifted = np.exp(scores - scores.max(axis=1, keepdims=True))
    return shifted / shifted.sum(axis=1, keepdims=True)
