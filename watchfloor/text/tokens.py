"""Content words of English news text, and how much two sets of them overlap.

A content token is a lower-cased word of three letters or more that is not a stopword, crudely
stemmed ("drills" and "drilled" are "drill"): the article anatomy uses them to drop a lead
sentence that repeats an earlier one, event extraction to tell whether two articles report the
same happening.
"""

from __future__ import annotations

import functools
import re

from watchfloor.text.calendar_words import MONTH_NAMES, WEEKDAY_NAMES

WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9'’-]*")
STOPWORDS = frozenset(
    """a about above after again against all also am an and any are as at be because been before being below
    between both but by can could did do does doing down during each few for from further had has have having he
    her here hers him his how i if in into is it its itself just more most no nor not now of off on once only or
    other our out over own same she should so some such than that the their them then there these they this those
    through to too under until up very was we were what when where which while who whom why will with would you
    your said says say told according new also one two three four five six seven eight nine ten year years week
    today yesterday last first per cent percent about around more than""".split()
) | {name.lower() for name in MONTH_NAMES + WEEKDAY_NAMES}


def content_tokens(text: str) -> frozenset[str]:
    return frozenset(stem(w) for w in WORD.findall(text.lower()) if len(w) > 2 and w not in STOPWORDS)


@functools.lru_cache(maxsize=65536)
def stem(word: str) -> str:
    word = word.strip("'’-")
    for suffix in ("'s", "’s"):
        if word.endswith(suffix):
            word = word[: -len(suffix)]
    for suffix in ("ing", "ed", "es", "s"):
        if len(word) > len(suffix) + 3 and word.endswith(suffix):
            return word[: -len(suffix)]
    return word


def overlap(a: frozenset[str], b: frozenset[str]) -> float:
    """Share of the smaller set found in the other: a sentence retold with extra detail still repeats."""
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)
