"""Candidates that report the same happening, merged into one event row.

Which candidates are one happening: every pair gets the probability of watchfloor.events.pairs (a
pair model over vectors, words, names, numbers, dates and places; the text rule alone for rows
without vectors). Groups then form by average linkage: starting from single candidates, the most
likely pair of different groups joins their groups when the mean probability over every pair
across the two groups is at least the model's threshold. A chain of look-alikes (a strike, a
second strike, a statement on the strikes) does not become one event through its neighbours, as
it would by joining pairs transitively.

Merged candidates become one event: the category most of its articles have (the earliest
article's on a tie), the headline and summary of its earliest English article, or of its earliest
article when none is English, translated to English when that article's language has a reliable
offline translator (Portuguese: watchfloor.text.translation; `headline_translated_from` then names
the original language, else it is null), else in the original (`headline_language` says which
language they are in), the most specific text location, the earliest text date, partners united,
all article ids (sorted), the distinct outlets (an article's `sources` list when present: the
outlets that carried it, else its `source`), the distinct newsrooms that wrote its articles
(`publishers`: a wire story carried by five sites is one) and their count (`source_count`, the
corroboration), its articles' languages, and the highest death toll reported.

event_id is the first 16 hex digits of SHA-256 of "<country>|<week>|<sorted article ids joined by
','>": stable across runs and changed only when the supporting articles change.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable
from datetime import date

import numpy as np

from watchfloor.events.candidate import Candidate
from watchfloor.events.intensity import intensity
from watchfloor.events.pairs import PairModel, neighbourhoods
from watchfloor.places.catalogue import geo_precision
from watchfloor.text.anatomy import rough_sentences
from watchfloor.text.tokens import STOPWORDS, WORD
from watchfloor.text.translation import TRANSLATABLE, to_english

ENGLISH = frozenset({"en", "und", ""})  # undetermined: too short to tell, in practice English


def merge(candidates: list[Candidate]) -> list[list[Candidate]]:
    """Groups of the same happening (module docstring), each in candidate order, in order of their first."""
    model = PairModel.load()
    return [[candidates[i] for i in members] for members in linked(pair_probabilities(candidates, model), model.threshold)]


def pair_probabilities(candidates: list[Candidate], model: PairModel) -> np.ndarray:
    """The (n, n) symmetric matrix of the model's same-happening probabilities (0 on the diagonal)."""
    around = neighbourhoods(candidates)
    n = len(candidates)
    likely = np.zeros((n, n))
    for i in range(n):
        for j in range(i + 1, n):
            likely[i, j] = likely[j, i] = model.probability(candidates[i], candidates[j], around[i], around[j])
    return likely


def linked(likely: np.ndarray, threshold: float) -> list[list[int]]:
    """Average linkage at `threshold` over a probability matrix: groups of indices, sorted, in order of their first."""
    n = len(likely)
    groups = {i: [i] for i in range(n)}
    group_of = list(range(n))
    pairs = sorted(((likely[i, j], i, j) for i in range(n) for j in range(i + 1, n) if likely[i, j] >= threshold),
                   key=lambda pair: (-pair[0], pair[1], pair[2]))
    for _, i, j in pairs:
        a, b = group_of[i], group_of[j]
        if a == b or likely[np.ix_(groups[a], groups[b])].mean() < threshold:
            continue
        keep, gone = min(a, b), max(a, b)
        groups[keep] = sorted(groups[keep] + groups.pop(gone))
        for member in groups[keep]:
            group_of[member] = keep
    return [members for _, members in sorted(groups.items())]


def event_row(group: list[Candidate], iso2: str, week: date) -> dict:
    """One EVENTS row from a group of candidates (the module docstring)."""
    lead = min(group, key=lambda c: (c.published, c.article_id))
    told = min(group, key=lambda c: (c.language not in ENGLISH, c.published, c.article_id))
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
    publishers = sorted({p for c in group for p in c.publishers})
    partners = sorted(set().union(*(c.partners for c in group)) - {iso2})
    headline, summary, language, translated_from = told_in_english(told)
    return {
        "event_id": event_id(iso2, week, article_ids),
        "week": week,
        "country": iso2,
        "category": category,
        "headline": headline,
        "summary": summary,
        "headline_language": language,
        "headline_translated_from": translated_from,
        "event_date": happened,
        "location": located.place.name,
        "geo_precision": geo_precision(located.place.kind),
        "fatalities": max((c.fatalities for c in group if c.fatalities is not None), default=None),
        "lat": located.place.lat,
        "lng": located.place.lng,
        "partners": partners,
        "intensity": intensity(category, group, len(publishers)),
        "article_ids": article_ids,
        "source_count": len(publishers),
        "sources": sources,
        "publishers": publishers,
        "languages": sorted({c.language for c in group}),
        "date_basis": date_basis,
        "location_basis": located.location_basis,
    }


def told_in_english(told: Candidate) -> tuple[str, str, str, str | None]:
    """Headline, summary, their language and the language they were translated from (None when not
    translated): the article's own when it is English or has no offline translator, or when the
    translator fails on either text; else both in English, translated from the article's language."""
    summary = told.summary or told.headline
    if told.language not in TRANSLATABLE:
        return told.headline, summary, told.language, None
    headline_en = to_english(told.headline, told.language)
    summary_en = headline_en if summary == told.headline else to_english(summary, told.language)
    if headline_en is None or summary_en is None:
        return told.headline, summary, told.language, None
    return headline_en, summary_en, "en", told.language


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
