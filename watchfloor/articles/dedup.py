"""Near-duplicate news items: the same story syndicated across feeds and polls."""

from __future__ import annotations

import re
import zlib
from collections.abc import Sequence

from datasketch import LeanMinHash, MinHash, MinHashLSH

from watchfloor.core.union_find import UnionFind

MIN_WORDS = 4  # shorter texts only group with identical ones: too few shingles to compare
UNIGRAM_BELOW = 8  # texts under this many words are compared on single words, longer on 3-word shingles
_LSH_WEIGHTS = (0.1, 0.9)  # (false positive, false negative) weights for choosing LSH bands
# Tokens are lowercased words without punctuation, or single kana/CJK characters: those scripts
# do not separate words with spaces, so their character 3-grams stand in for word shingles.
_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff"
_TOKEN = re.compile(rf"[{_CJK}]|[^\W{_CJK}]+")


def near_duplicate_groups(
    texts: Sequence[str], *, threshold: float = 0.7, num_perm: int = 128, seed: int = 1
) -> list[int]:
    """For each text, the index of its group's representative (the smallest index in the
    group). Texts join a group when their estimated shingle Jaccard similarity is at least
    `threshold`, transitively. Deterministic for the same input."""
    groups = UnionFind(len(texts))
    keys = [" ".join(_TOKEN.findall(text.lower())) if text else "" for text in texts]

    first_with_key: dict[str, int] = {}
    comparable: list[int] = []  # first occurrence of each distinct, long-enough text
    for index, key in enumerate(keys):
        if not key:
            continue  # nothing to compare: an empty text is its own group
        if key in first_with_key:
            groups.union(first_with_key[key], index)
        else:
            first_with_key[key] = index
            if key.count(" ") + 1 >= MIN_WORDS:
                comparable.append(index)

    sketches = MinHash.generator(  # MinHash.bulk, streamed: no list of all shingle sets
        (_shingles(keys[index].split(" ")) for index in comparable),
        num_perm=num_perm,
        seed=seed,
        hashfunc=zlib.crc32,  # deterministic across processes (unlike hash()) and fast
    )
    # Bands tuned for recall: at the threshold itself ~90% of pairs become candidates (~45%
    # with equal weights); a spurious candidate costs only one sketch comparison.
    lsh = MinHashLSH(threshold=threshold, num_perm=num_perm, weights=_LSH_WEIGHTS)
    seen: dict[int, LeanMinHash] = {}
    for index, sketch in zip(comparable, sketches):
        lean = LeanMinHash(sketch)
        for candidate in lsh.query(lean):  # earlier texts sharing an LSH band
            if lean.jaccard(seen[candidate]) >= threshold:
                groups.union(candidate, index)
        lsh.insert(index, lean, check_duplication=False)
        seen[index] = lean
    return groups.representatives()


def _shingles(words: list[str]) -> set[bytes]:
    encoded = [word.encode() for word in words]
    if len(encoded) < UNIGRAM_BELOW:
        return set(encoded)
    return {b" ".join(shingle) for shingle in zip(encoded, encoded[1:], encoded[2:])}  # 3 words

