"""A candidate event: what one relevant article says happened, before candidates are merged."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import numpy as np

from watchfloor.places.catalogue import Place


@dataclass
class Candidate:
    article_id: str
    published: datetime
    sources: tuple[str, ...]  # the outlets that carried the article
    publishers: tuple[str, ...]  # the newsrooms that wrote it (watchfloor.ingest.publishers)
    language: str
    headline: str
    summary: str
    category: str
    event_date: date
    date_basis: str  # "text" or "published"
    place: Place
    location_basis: str  # "text" or "capital" (no place named: the country, at its capital's point)
    specificity: int  # of the place: a site 4, city 3, capital 2, admin region 1, region 0; the capital fallback -1
    partners: frozenset[str]
    tokens: frozenset[str]  # content tokens of the headline and first two lead sentences
    key_terms: frozenset[str]  # their names and numbers
    casualties: int  # intensity terms (watchfloor.events.intensity)
    fatalities: int | None  # the death toll reported (watchfloor.events.fatalities)
    violence: bool
    cooperative: bool
    vector: np.ndarray | None = None  # the article's vector, its language's mean subtracted (security_model)
