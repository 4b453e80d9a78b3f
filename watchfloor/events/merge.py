"""Candidates that report the same happening, merged into one event row.

Candidates of the same category whose dates are at most MERGE_DAYS (2) apart are the same
happening when their title+lead content words overlap: Jaccard >= 0.35; or >= 0.2 with the same
named place or with the same key terms (capitalised words and numbers, Jaccard >= 0.5). Two text
places that differ need Jaccard >= 0.5. Across categories and languages, candidates whose
articles' centred vectors (watchfloor.events.vectors) have a cosine of at least VECTOR_SIMILARITY
(0.75) and whose dates are at most VECTOR_DAYS (1) apart are the same happening too: on the tune
part of the labelled week that pair rule is right 93% of the time. Merged candidates (union-find,
transitive) become one event: the category most of its articles have (the earliest article's on a
tie), the headline and summary of its earliest article, the most specific text location, the
earliest text date, partners united, all article ids (sorted), the distinct outlets (an article's
`sources` list when present: the outlets that carried it, else its `source`) and their count.

event_id is the first 16 hex digits of SHA-256 of "<country>|<week>|<sorted article ids joined by
','>": stable across runs and changed only when the supporting articles change.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable
from datetime import date

import numpy as np

from watchfloor.core.union_find import UnionFind
from watchfloor.events.candidate import Candidate
from watchfloor.events.intensity import intensity
from watchfloor.text.anatomy import rough_sentences
from watchfloor.text.tokens import STOPWORDS, WORD, jaccard

MERGE_DAYS = 2
VECTOR_SIMILARITY = 0.75
VECTOR_DAYS = 1


def merge(candidates: list[Candidate]) -> list[list[Candidate]]:
    """Groups of the same happening (transitively), each in candidate order, in order of their first."""
    same = UnionFind(len(candidates))
    by_category: dict[str, list[int]] = {}
    for i, candidate in enumerate(candidates):
        by_category.setdefault(candidate.category, []).append(i)
    for members in by_category.values():
        for a_pos, a in enumerate(members):
            for b in members[a_pos + 1:]:
                if _same_happening(candidates[a], candidates[b]):
                    same.union(a, b)
    for a, b in _similar_pairs(candidates):
        same.union(a, b)
    return [[candidates[i] for i in group] for group in same.groups()]


def _similar_pairs(candidates: list[Candidate]) -> list[tuple[int, int]]:
    """Pairs told alike in any language and category: close vectors, dates at most VECTOR_DAYS apart."""
    with_vector = [i for i, c in enumerate(candidates) if c.vector is not None]
    if len(with_vector) < 2:
        return []
    similarity = np.vstack([candidates[i].vector for i in with_vector])
    similarity = similarity @ similarity.T
    return [(a, b) for x, a in enumerate(with_vector) for y, b in enumerate(with_vector[x + 1:], start=x + 1)
            if similarity[x, y] >= VECTOR_SIMILARITY
            and abs((candidates[a].event_date - candidates[b].event_date).days) <= VECTOR_DAYS]


def _same_happening(a: Candidate, b: Candidate) -> bool:
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


def event_row(group: list[Candidate], iso2: str, week: date) -> dict:
    """One EVENTS row from a group of candidates (the module docstring)."""
    lead = min(group, key=lambda c: (c.published, c.article_id))
    votes = Counter(c.category for c in group)
    category = max(votes, key=lambda slug: (votes[slug], slug == lead.category))
    text_dates = [c.event_date for c in group if c.date_basis == "text"]
    if text_dates:
        happened, date_basis = min(text_dates), "text"
    else:
        happened, date_basis = min(c.event_date for c in group), "published"
    located = min(group, key=lambda c: (c.location_basis != "text", -c.specificity, c.published, c.article_id))
    article_ids = sorted({c.article_id for c in group})
    sources = sorted({s for c in group for s in c.sources})
    partners = sorted(set().union(*(c.partners for c in group)) - {iso2})
    return {
        "event_id": event_id(iso2, week, article_ids),
        "week": week,
        "country": iso2,
        "category": category,
        "headline": lead.headline,
        "summary": lead.summary or lead.headline,
        "event_date": happened,
        "location": located.place.name,
        "lat": located.place.lat,
        "lng": located.place.lng,
        "partners": partners,
        "intensity": intensity(category, group, len(sources)),
        "article_ids": article_ids,
        "source_count": len(sources),
        "sources": sources,
        "date_basis": date_basis,
        "location_basis": located.location_basis,
    }


def event_id(iso2: str, week: date, article_ids: Iterable[str]) -> str:
    key = f"{iso2}|{week.isoformat()}|{','.join(sorted(article_ids))}"
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


def key_terms(text: str) -> frozenset[str]:
    """Capitalised words not opening a sentence, and numbers: names, places, figures."""
    terms = set()
    for sentence in rough_sentences(text):
        words = WORD.findall(sentence)
        for position, word in enumerate(words):
            if word[0].isdigit() or (position and word[0].isupper() and word.lower() not in STOPWORDS):
                terms.add(word.lower().strip("'’"))
    return frozenset(terms)
