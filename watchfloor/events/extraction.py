"""From a country's articles of one week to its events: what happened, where, when, how serious.

Plain functions, no Dagster: `extract_events(articles, iso2, week, places, gazetteer)` takes the
articles already judged relevant to the country and returns rows of the EVENTS schema
(watchfloor.core.lake), sorted by intensity (highest first), event date and event id. The same articles
give the same rows.

One article gives at most one candidate event: the happening its title and lead report. Each rule
is documented where it lives:

Text used
  The title (cleaned of wire prefixes such as "UPDATE 2-" and of an outlet suffix such as
  " - Reuters") and the lead: the first sentences of the summary and body, without datelines
  ("WARSAW, June 25 (Reuters) -"), photo captions and repeats (watchfloor.text.anatomy:
  clean_headline, lead_sentences).

Category
  An article is an event when the keyword rule of watchfloor.events.category (phrase tables:
  watchfloor.events.phrases; English) names a category, or, in any language, when the trained
  model over its multilingual vector judged it a security matter as the articles were built
  (`security_category`, watchfloor.events.security_model); never when it is English and the rule's
  noise table (sport, markets, business, weather, culture) fires. Its category weighs the model's
  probabilities with the rule's scores (SecurityModel.blended_category); a row without a vector
  takes the rule's category, or else its `security_category`. No category, no event (rows built
  without the model give no event outside English).
Date (event_date, date_basis): watchfloor.events.dates.
Intensity (1-5): watchfloor.events.intensity.
Merging and event_id: watchfloor.events.merge (an `articles` frame with a `vector` column, the
article_vectors of the week joined on article_id, also merges what is told alike across languages).

Location (location, lat, lng, location_basis)
  Places (watchfloor.places.index) found in the title and the first three lead sentences, ranked by:
  the title and first lead sentence before later sentences before the dateline; places in the
  country or its partners first; places after "in", "at", "near", "to", "off" ... ("signed in
  Ankara") before places named in passing ("arriving from Ankara"); then specificity (a site such
  as a training area, base, crossing or terminal, then a city, then a capital, then an admin
  region, then a wider region); then position. In the second and third sentences only such
  locative mentions in the country itself (or of a site) count, and a small place (not a capital,
  not curated, under 1M people) in a country the article never mentions is ignored everywhere.
  Seas, gulfs and straits (config/places.yaml) are places like any other, in no one country: "fired
  into the Sea of Japan" is at sea. Without any place the event is country-level: location is the
  country's name, lat/lng its capital's point as a representative (location_basis "capital";
  otherwise "text").

geo_precision (like ACLED's geo-precision codes): "site" (a base, training area, crossing, plant,
  reef ...), "city" (a city or the capital named in the text), "region" (an admin or wider region),
  "sea" (a sea, gulf or strait) or "country" (no place named; never drawn as a precise hotspot).

Fatalities: the highest death toll the title and lead report (watchfloor.events.fatalities).

Partners
  Countries and supranational bodies named in the title and the first two lead sentences, other
  than the country itself (watchfloor.events.partners: a body's seat is not a partner, nor a
  country named only in a long list).
"""

from __future__ import annotations

import re
from datetime import date, datetime

import numpy as np
import polars as pl

from watchfloor.core.tables import conform, empty
from watchfloor.events.candidate import Candidate
from watchfloor.events.category import keyword_reading
from watchfloor.events.dates import event_date
from watchfloor.events.fatalities import reported_fatalities
from watchfloor.events.intensity import intensity_terms
from watchfloor.events.merge import ENGLISH, event_row, key_terms, merge
from watchfloor.events.partners import event_partners
from watchfloor.events.phrases import LOCATIVE, NOT_EVENT_FORMAT
from watchfloor.events.security_model import SecurityModel
from watchfloor.places.gazetteer import Gazetteer
from watchfloor.places.catalogue import MAJOR_POPULATION, WATER_KINDS, Place
from watchfloor.places.index import Places
from watchfloor.text.anatomy import KNOWN_OUTLETS, clean_headline, dateline, lead_sentences, photo_credit
from watchfloor.text.tokens import content_tokens

LEAD_SENTENCES = 3  # sentences of summary + body read for category, partners, places, dates
PARTNER_SENTENCES = 2  # partners: countries named in the title and the first two lead sentences
SUMMARY_SENTENCES = 3
SUMMARY_MAX_CHARS = 480

_QUOTE_START = re.compile(r"^[\"“‘']")
_TRAILING_CREDIT = re.compile(rf"\s+(?:{KNOWN_OUTLETS})\s*$")  # an aggregator's "<title> Reuters"
_FILE_PHOTO = re.compile(r"\((?:File |FILE )?(?:photo|Photo|PHOTO)\s*:")  # "(File photo: AP/...)"
_CUT_OFF = re.compile(r"(?:\.\.\.|…)\s*$")  # the feed's summary stops mid-sentence
WORDS = re.compile(r"\w+")
_BYLINE = re.compile(r"(?:By\s+)?(?:[A-Z][\w'’.-]*[\s,]*(?:and\s+)?){1,8}")  # "Kanishka Singh Parisa Hafezi"
MIN_SUMMARY_WORDS = 8
_KIND_SPECIFICITY = {"capital": 2, "city": 3, "admin_region": 1, "region": 0, **dict.fromkeys(WATER_KINDS, 1)}
_SITE_SPECIFICITY = 4  # training areas, bases, crossings, terminals, plants, ...


def extract_events(articles: pl.DataFrame, iso2: str, week: date, places: Places, gazetteer: Gazetteer) -> pl.DataFrame:
    """The events of one country and week from the articles relevant to it (EVENTS schema)."""
    found = candidates(articles, iso2, week, places, gazetteer)
    if not found:
        return empty("events")
    events = [event_row(group, iso2, week) for group in merge(found)]
    frame = pl.DataFrame(events, schema=empty("events").schema)
    return conform(frame, "events").sort(["intensity", "event_date", "event_id"], descending=[True, False, False])


def candidates(articles: pl.DataFrame, iso2: str, week: date, places: Places, gazetteer: Gazetteer) -> list[Candidate]:
    """The candidate event of each article that reports one, in order of publication."""
    if articles.is_empty():
        return []
    capital = places.capital(iso2)
    found = (_candidate(row, iso2, week, places, gazetteer, capital)
             for row in articles.sort("published_at", "article_id").to_dicts())
    return [candidate for candidate in found if candidate is not None]


def _candidate(row: dict, iso2: str, week: date, places: Places, gazetteer: Gazetteer,
               capital: Place) -> Candidate | None:
    raw_title = " ".join((row.get("title") or "").split())
    headline = clean_headline(raw_title, row.get("source"))
    if not headline or NOT_EVENT_FORMAT.search(raw_title):
        return None  # explainers, opinion, reviews: not a happening
    sentences, dateline = lead_sentences(row.get("summary") or "", row.get("body") or "", headline)
    lead = sentences[:LEAD_SENTENCES]
    lead_text = " ".join(lead)
    category = _category(row, headline, lead_text)
    if category is None:
        return None

    published: datetime | None = row.get("published_at")
    if published is None:
        return None
    date_texts = [headline, *lead]
    if dateline:
        date_texts.append(dateline)
    happened, date_basis = event_date(date_texts, published, week)

    partners = event_partners(headline, " ".join(lead[:PARTNER_SENTENCES]), iso2, gazetteer)
    article_countries = set(row.get("countries") or ()) | set(partners) | {iso2}
    place, specificity = _location(headline, lead, dateline, iso2, partners, article_countries, places)
    location_basis = "text"
    if place is None:  # no place named: the country as a whole, shown at its capital's point
        place = Place(gazetteer.country_name(iso2), iso2, capital.lat, capital.lng, "country", 0)
        specificity, location_basis = -1, "capital"

    casualties, violence, cooperative = intensity_terms(category, f"{headline}\n{lead_text}")
    return Candidate(
        article_id=row["article_id"],
        published=published,
        sources=_sources(row),
        publishers=_publishers(row),
        language=(row.get("language") or "und").lower(),
        headline=headline,
        summary=_summary(sentences),
        category=category,
        event_date=happened,
        date_basis=date_basis,
        place=place,
        location_basis=location_basis,
        specificity=specificity,
        partners=partners,
        tokens=content_tokens(f"{headline} {' '.join(lead[:2])}"),
        key_terms=key_terms(f"{headline}. {' '.join(lead[:2])}"),
        casualties=casualties,
        fatalities=reported_fatalities(f"{headline}\n{lead_text}"),
        violence=violence,
        cooperative=cooperative,
        vector=_centred_vector(row),
    )


def _category(row: dict, headline: str, lead_text: str) -> str | None:
    """Whether the article is an event and of which category (module docstring)."""
    language = (row.get("language") or "und").lower()
    rule, scores = keyword_reading(headline, lead_text)
    if language not in ENGLISH:
        rule = None  # the phrase tables are English
    elif rule is None and scores["noise"]:
        return None  # a sport, markets, weather or business story stays none whatever the model says
    judged = row.get("security_category") if row.get("security_score") is not None else None
    if rule is None and judged is None:
        return None
    if row.get("vector") is None:
        return rule or judged
    model = SecurityModel.load()
    return model.blended_category(model.probabilities(_raw_vector(row), [language])[0], scores)


def _raw_vector(row: dict) -> np.ndarray:
    return np.asarray(row["vector"], dtype=np.float64).reshape(1, -1)


def _centred_vector(row: dict) -> np.ndarray | None:
    """The article's vector, its language's mean subtracted, when the row carries one (`vector`)."""
    if row.get("vector") is None:
        return None
    return SecurityModel.load().centre(_raw_vector(row), [row.get("language") or "und"])[0]


def _summary(sentences: list[str]) -> str:
    """The lead sentence and up to two more of the first five that add facts (no quotes), without
    bylines, datelines, trailing credits ("... Reuters") and a sentence the feed cut off."""
    sentences = [s for s in (_without_furniture(s) for s in sentences) if s and not _BYLINE.fullmatch(s)]
    if len(sentences) > 1:  # a caption glued into a sentence, or the sentence the feed cut off, goes
        sentences = [s for s in sentences[:-1] if not _caption(s)] + [sentences[-1]]
        if _CUT_OFF.search(sentences[-1]) or _caption(sentences[-1]):
            sentences = sentences[:-1]
    if sentences and _caption(sentences[-1]):
        sentences[-1] = sentences[-1][: _caption(sentences[-1]).start()].rstrip(" (,;") + " …"
    if sentences:
        sentences[-1] = _CUT_OFF.sub("…", sentences[-1])
    if not sentences or len(WORDS.findall(" ".join(sentences))) < MIN_SUMMARY_WORDS:
        return ""  # a byline or a credit alone: the headline stands in (event_row)
    chosen = [sentences[0]]
    known = set(content_tokens(sentences[0]))
    length = len(sentences[0])
    for sentence in sentences[1:5]:
        if len(chosen) >= SUMMARY_SENTENCES or length + len(sentence) > SUMMARY_MAX_CHARS:
            break
        if _QUOTE_START.match(sentence) or "“" in sentence[:3]:
            continue
        tokens = content_tokens(sentence)
        if len(tokens - known) < 4:
            continue
        chosen.append(sentence)
        known |= tokens
        length += len(sentence) + 1
    return " ".join(chosen)


def _caption(sentence: str) -> re.Match[str] | None:
    return _FILE_PHOTO.search(sentence) or photo_credit(sentence)


def _without_furniture(sentence: str) -> str:
    opening = dateline(sentence, loose=True)
    if opening and opening.end() < len(sentence) and (sentence.startswith(("By ", "[", "［")) or "(" in opening.group(0)):
        sentence = sentence[opening.end():]
    return _TRAILING_CREDIT.sub("", sentence).strip()


def _location(headline: str, lead: list[str], dateline: str | None, iso2: str, partners: frozenset[str],
              article_countries: set[str], places: Places) -> tuple[Place | None, int]:
    sections = [(0, headline), (0, lead[0] if lead else ""), *[(1, s) for s in lead[1:LEAD_SENTENCES]]]
    if dateline:
        sections.append((2, dateline))
    involved = {iso2} | partners
    best_key, best = None, None
    position = 0
    for rank, text in sections:
        for mention in places.find(text):
            place = mention.place
            major = place.kind not in ("city",) or place.population >= MAJOR_POPULATION
            if not major and place.iso2 not in article_countries:
                continue
            specificity = _specificity(place)
            locative = bool(LOCATIVE.search(text[max(0, mention.start - 30):mention.start]))
            if rank > 0 and not (locative and (place.iso2 == iso2 or specificity == _SITE_SPECIFICITY)):
                continue  # later sentences name places in passing: only "in/at/near X" in the country there
            foreign = place.iso2 not in involved and place.kind not in WATER_KINDS  # seas are shared
            key = (rank, foreign, not locative, -specificity, position + mention.start)
            if best_key is None or key < best_key:
                best_key, best = key, (place, specificity)
        position += len(text) + 1
    return best if best is not None else (None, -1)


def _specificity(place: Place) -> int:
    return _KIND_SPECIFICITY.get(place.kind, _SITE_SPECIFICITY)


def _publishers(row: dict) -> tuple[str, ...]:
    """The article's newsrooms; rows built before `publishers` count their outlets."""
    return tuple(sorted(set(row.get("publishers") or ()))) or _sources(row)


def _sources(row: dict) -> tuple[str, ...]:
    outlets = [s for s in (row.get("sources") or ()) if s]
    if not outlets and row.get("source"):
        outlets = [row["source"]]
    return tuple(sorted(set(outlets))) or ("unknown",)

