"""Do two candidates report the same happening? A pair model over what the two articles share.

For two candidates of one country and week, with their articles' multilingual vectors, the
probability that they report the same happening is a logistic regression over FEATURES. Some
weigh a pair against the week's other candidates (its `Neighbourhood`): a cosine means more
between two articles each close to little else, and a Japanese article's nearest English one may
sit at a cosine an English pair would never merge at. `csls` is the cross-domain similarity local
scaling of Conneau et al. (2018, "Word translation without parallel data"): 2 x cosine minus each
article's mean cosine to its K_NEIGHBOURS nearest other candidates.

| feature            | what it is                                                                |
|--------------------|---------------------------------------------------------------------------|
| cosine             | of the two articles' language-centred vectors (watchfloor.events.vectors)   |
| cosine >= .5/.6/.7/.8 | the same, in bins: a close pair is much likelier than the cosine alone says |
| same_category_cosine | cosine when the categories agree, else 0                                 |
| tokens             | Jaccard of the headline+lead content words                                  |
| key_terms          | Jaccard of their names and numbers                                          |
| same_category      | the categories agree                                                        |
| days_apart         | event dates apart, in weeks (capped at one)                                 |
| same_place         | both name a place, the same one                                             |
| different_places   | both name a place, different ones                                           |
| same_language      | both articles are in one language                                           |
| shared_number      | a number (a toll, a count, a calibre) appears in both                       |
| same_toll          | both report the same death toll                                             |
| told_alike         | the text rule below holds                                                   |
| csls               | the cosine, locally scaled (above)                                          |
| mutual_neighbours  | each is among the other's K_NEIGHBOURS nearest candidates                   |
| neighbours         | one is among the other's K_NEIGHBOURS nearest                               |
| cross_language_csls | csls when the two are in different languages, else 0                       |

The weights and the decision threshold live in data/pair_model.json, written by
`python -m training.pair_model` from the tune part of the labelled week (tests/data/events_eval);
the held-out part is never used to fit or choose anything.

Without vectors (rows built without the multilingual model) only the text rule speaks: candidates
of the same category whose dates are at most MERGE_DAYS apart are the same happening when their
title+lead content words overlap: Jaccard >= 0.35; or >= 0.2 with the same named place or the same
key terms (Jaccard >= 0.5). Two text places that differ need Jaccard >= 0.5.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from watchfloor.events.candidate import Candidate
from watchfloor.text.tokens import jaccard

MERGE_DAYS = 2
K_NEIGHBOURS = 3
MODEL_FILE = Path(__file__).parent / "data" / "pair_model.json"
FEATURES = (
    "cosine", "tokens", "key_terms", "same_category", "days_apart", "same_place", "different_places",
    "same_language", "shared_number", "same_toll", "told_alike", "cosine_0.5", "cosine_0.6", "cosine_0.7",
    "cosine_0.8", "same_category_cosine", "csls", "mutual_neighbours", "neighbours", "cross_language_csls",
)  # fmt: skip


@dataclass(frozen=True)
class Neighbourhood:
    """Where a candidate stands among the week's candidates of its country, by their vectors."""
    closeness: float  # mean cosine to its K_NEIGHBOURS nearest other candidates
    nearest: frozenset[str]  # their article ids


def neighbourhoods(candidates: list[Candidate]) -> list[Neighbourhood | None]:
    """Each candidate's Neighbourhood among those with vectors (None without a vector of its own)."""
    with_vectors = [i for i, c in enumerate(candidates) if c.vector is not None]
    found: list[Neighbourhood | None] = [None] * len(candidates)
    if len(with_vectors) < 2:
        return found
    matrix = np.vstack([candidates[i].vector for i in with_vectors])
    cosines = matrix @ matrix.T
    np.fill_diagonal(cosines, -np.inf)
    k = min(K_NEIGHBOURS, len(with_vectors) - 1)
    for row, i in enumerate(with_vectors):
        nearest = np.argsort(-cosines[row], kind="stable")[:k]
        found[i] = Neighbourhood(float(cosines[row, nearest].mean()),
                                 frozenset(candidates[with_vectors[j]].article_id for j in nearest))
    return found


def pair_features(a: Candidate, b: Candidate, around_a: Neighbourhood, around_b: Neighbourhood) -> np.ndarray:
    """The FEATURES of a pair whose candidates both have vectors, with their neighbourhoods."""
    cosine = float(a.vector @ b.vector)
    csls = 2 * cosine - around_a.closeness - around_b.closeness
    b_near_a, a_near_b = b.article_id in around_a.nearest, a.article_id in around_b.nearest
    both_text = a.location_basis == "text" and b.location_basis == "text"
    same_category = a.category == b.category
    numbers_a = {t for t in a.key_terms if t[0].isdigit()}
    numbers_b = {t for t in b.key_terms if t[0].isdigit()}
    return np.array([
        cosine, jaccard(a.tokens, b.tokens), jaccard(a.key_terms, b.key_terms), same_category,
        min(abs((a.event_date - b.event_date).days), 7) / 7, both_text and a.place == b.place,
        both_text and a.place != b.place, a.language == b.language, bool(numbers_a & numbers_b),
        a.fatalities is not None and a.fatalities == b.fatalities, same_category and told_alike(a, b),
        cosine >= 0.5, cosine >= 0.6, cosine >= 0.7, cosine >= 0.8, cosine * same_category,
        csls, b_near_a and a_near_b, b_near_a or a_near_b, csls * (a.language != b.language),
    ], dtype=np.float64)  # fmt: skip


def told_alike(a: Candidate, b: Candidate) -> bool:
    """The text rule of the module docstring (the caller checks the category)."""
    if abs((a.event_date - b.event_date).days) > MERGE_DAYS:
        return False
    overlap = jaccard(a.tokens, b.tokens)
    if overlap < 0.2:
        return False
    both_text = a.location_basis == "text" and b.location_basis == "text"
    if both_text and a.place != b.place:
        return overlap >= 0.5
    if overlap >= 0.35:
        return True
    same_place = both_text and a.place == b.place
    return same_place or jaccard(a.key_terms, b.key_terms) >= 0.5


@dataclass(frozen=True)
class PairModel:
    weights: np.ndarray
    bias: float
    threshold: float  # pairs (and groups, on average) at least this likely are one happening

    @classmethod
    @functools.cache
    def load(cls) -> PairModel:
        data = json.loads(MODEL_FILE.read_text(encoding="utf-8"))
        if tuple(data["features"]) != FEATURES:
            raise ValueError(f"{MODEL_FILE} was trained on other features: run python -m training.pair_model")
        return cls(np.asarray(data["weights"], dtype=np.float64), float(data["bias"]), float(data["threshold"]))

    def probability(self, a: Candidate, b: Candidate, around_a: Neighbourhood | None,
                    around_b: Neighbourhood | None) -> float:
        """How likely the pair is one happening; without both vectors, 1 or 0 by the text rule."""
        if around_a is None or around_b is None:
            return float(a.category == b.category and told_alike(a, b))
        return float(1 / (1 + np.exp(-(pair_features(a, b, around_a, around_b) @ self.weights + self.bias))))
