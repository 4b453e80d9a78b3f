"""Is a country a subject of an article, or only named in passing? A weighted-mention rule.

An article is relevant to a country when the country (its government, people, forces, territory,
economy or national team) is one of the things the story is about: "Mongolia's defence minister
visits Ankara" is about Mongolia (and about Turkey as the host); a story on Kazakhstan's exercise
that lists Mongolia among the guests is not about Mongolia. Whether it matters for security is
decided later (events): a football story about Japan's national team is about Japan. A company's
results are about the company, not its home country; a club match is not about the country it is
played in.

The rule, for country X, in four steps:

1. Zones (watchfloor.text.anatomy.article_zones). The text is cut into the headline, the lead
   (the first sentence of the story, and of the summary when the summary is not the start of the
   body) and the rest of the story. Furniture that names places without being the story is
   dropped first: photo captions and credits ("... Kyiv, Ukraine, Aug 18, 2026. REUTERS/..."),
   reporter credits ("(Reporting by ... in Bengaluru)"), datelines ("NEW DELHI:",
   "SEOUL/WASHINGTON, Aug 21 (Reuters) -", "[東京 21日 ロイター]"), share buttons and site headers,
   "READ MORE ON" tag lists, related-article links, newsletter footers, and the copy of the
   headline at the top of the body.

2. Mentions. The gazetteer finds country names, capitals ("Beijing said"), demonyms ("Ukrainian
   drones") and cities. This module adds what news text needs beyond it (the tables of
   watchfloor.events.names):
   Japanese names and capitals; exonyms the gazetteer lacks ("Rússia", "EUA", "Irã", "Moscou");
   demonyms of es/pt/fr/de/it, which are lower-case adjectives ("frappe russe", "drones
   ucranianos"); institutions, leaders and currencies ("Kremlin", "Sejm", "Trump", "Kim Yo Jong",
   "rupee"); Japanese one-character abbreviations in context ("日米", "米中", "米政府"); and Japanese
   domestic institutions ("内閣府", "日銀"), because a Tokyo story on Japanese data never names
   Japan: one of them in the lead counts as a headline mention of Japan. Mentions that are not the
   country are dropped: events ("US Open", "Aberto dos EUA", "Paris 2024", "Dutch Grand Prix"),
   teams ("Washington Nationals"), "New England", "St. Petersburg, Fla.", "Iran International".

   Each mention weighs zone x kind x context:
   - zone: headline 3, lead 1.5, rest of the story 1 falling linearly to 1/3 at its end, dateline 0;
   - kind: country name and capital 1; demonym, institution (leader, currency) and Japanese home
     institution 0.8; city 0.3 (a city alone, e.g. a team's, says little about the country);
   - context: a company's nationality ("US firm Powerus", "British recruiter Hays") 0.3; a photo
     stamp ("Tokyo, Japan, June 16, 2026") 0.
   The salience S of X is the sum of its weights.

3. Score. With H = X named in the headline (not by a city alone, nor only as a company's
   nationality), L = X named in a lead, D = S / max(salience of the most salient country, 3) its
   dominance (3 = one headline mention, so that a lone passing mention is not "dominant"):

       evidence = 1.3 H + 0.7 L + 0.6 log2(1 + S) + 0.9 D - 2.6
       score    = 1 / (1 + exp(-2 evidence))

   and the article is relevant when score >= RELEVANCE_THRESHOLD = 0.5, i.e. evidence >= 0. A
   headline mention carries a story (1.3 + 0.6 log2(4) + 0.9 = 3.4 before the bias); a lead
   mention plus repeated mentions carries it when X leads the story; mentions in a story dominated
   by other countries do not, however many countries it lists.

   Curated places of config/places.yaml (training areas, bases, crossings, regions; not seas) named
   in the headline or a lead count for their country as kind "place" (0.8, a headline mention
   carrying the story): "Khaan Quest opens at Five Hills" is about Mongolia.

4. Home feeds. A feed may declare its home country (`country:` in the feeds file; the article's
   `home_countries`). Such a feed's story is about its country when it is about no other country
   (no other country scores as relevant): a national agency's local story never names its
   country. When it is about somewhere else, the rule above decides, as for any feed.

The weights are round numbers set by reading, then checked against tests/data/relevance_labels.csv
(669 article/country pairs of the real week 2026-08-19, labelled by hand before the rule was
tuned; tests/unit/test_relevance.py); a logistic fit of the same four features gives nearly the same
weights. Known limits: stories that never name their country (a regional outlet's "Flash floods
hit Podkarpacie villages"; only towns and regions, which the gazetteer does not hold) and company
stories named after the country ("India's Paras Defence sees exports doubling").

Deterministic: the score depends only on the three texts and the country. An article's profile
(the salience of every country it names) is computed once, when the article is built, and stored
in the `mentions` column of `articles`, so scoring it for any number of countries, in any process,
never rescans the text.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

import ahocorasick
import polars as pl

from watchfloor.events import names
from watchfloor.places.catalogue import WATER_KINDS
from watchfloor.places.gazetteer import Gazetteer
from watchfloor.places.index import Places
from watchfloor.text.anatomy import PHOTO_STAMP_AFTER, article_zones

RELEVANCE_THRESHOLD = 0.5

# Step 3 (module docstring).
HEADLINE_WEIGHT = 1.3
LEAD_WEIGHT = 0.7
SALIENCE_WEIGHT = 0.6
DOMINANCE_WEIGHT = 0.9
BIAS = -2.6
STEEPNESS = 2.0

# Step 2: zone and kind weights.
ZONE_HEADLINE, ZONE_LEAD, ZONE_BODY = 3.0, 1.5, 1.0
BODY_END_FACTOR = 1 / 3  # a mention at the very end of the story counts a third of one at its start
KIND_WEIGHTS = {"country": 1.0, "capital": 1.0, "demonym": 0.8, "institution": 0.8, "home": 0.8, "place": 0.8, "city": 0.3}
HEADLINE_KINDS = frozenset({"country", "capital", "demonym", "institution", "home"})  # a city alone is not the country
DOMINANCE_FLOOR = 3.0  # one headline mention: a lone passing mention is not "dominant"
COMPANY_NATIONALITY = 0.3

# --------------------------------------------------------------------------------------------------
# Mentions (step 2).


@dataclass(frozen=True, slots=True)
class Hit:
    iso2: str
    kind: str
    start: int
    end: int


def _variants(surface: str) -> Iterator[str]:
    yield surface
    capitalised = surface[:1].upper() + surface[1:]
    if surface[:1].islower() and capitalised not in names.NOT_CAPITALISED:
        yield capitalised
    if len(surface) >= 4 and surface.upper() != surface:
        yield surface.upper()
    if "'" in surface:
        yield surface.replace("'", "’")


@functools.cache
def _supplement() -> ahocorasick.Automaton:
    entries: dict[str, tuple[str | None, str]] = {}
    tables = (
        (names.JA_COUNTRIES, "country"), (names.JA_CAPITALS, "capital"), (names.LATIN_COUNTRIES, "country"),
        (names.LATIN_CAPITALS, "capital"), (names.METONYMS, "institution"), (names.LEADERS, "institution"),
        (names.LATIN_DEMONYMS, "demonym"),
    )  # fmt: skip
    for table, kind in tables:
        for iso2, surfaces in table.items():
            for surface in surfaces:
                for form in _variants(surface) if _is_latin(surface) else (surface,):
                    entries.setdefault(form, (iso2, kind))
    for surface in names.JA_HOME_INSTITUTIONS:
        entries[surface] = ("JP", "home")
    for surface in names.BLOCKED:
        for form in _variants(surface) if _is_latin(surface) else (surface,):
            entries[form] = (None, "blocked")
    automaton = ahocorasick.Automaton()
    for surface, (iso2, kind) in entries.items():
        automaton.add_word(surface, (len(surface), iso2, kind, _is_latin(surface), _is_katakana(surface)))
    automaton.make_automaton()
    return automaton


_JAPANESE = re.compile("[\u3040-\U0010ffff]")  # kana, kanji and beyond


def _is_latin(text: str) -> bool:
    return all(ord(char) < 0x2E80 for char in text)


def _is_katakana(text: str) -> bool:
    return all("\u30a0" <= char <= "\u30ff" for char in text)


def _supplement_hits(text: str) -> list[Hit]:
    """Leftmost-longest matches of the supplement tables, with the boundary rules above."""
    candidates = []
    last = len(text) - 1
    for end, (length, iso2, kind, latin, katakana) in _supplement().iter(text):
        start = end - length + 1
        before, after = (text[start - 1] if start else " "), (text[end + 1] if end < last else " ")
        if latin and (before.isalnum() or after.isalnum()):
            continue
        if katakana and (_is_katakana(before) or _is_katakana(after)):
            continue
        if kind == "home" and (before in names.JA_ABBREVIATIONS or before in "国州" or _is_katakana(before)):
            continue  # "米財務省", "中国商務省"
        candidates.append((start, -length, iso2, kind))
    hits, covered = [], 0
    for start, negative_length, iso2, kind in sorted(candidates):
        if start < covered:
            continue
        covered = start - negative_length
        if iso2 is not None:
            hits.append(Hit(iso2, kind, start, covered))
    return hits


def _japanese_abbreviations(text: str, named: list[Hit]) -> list[Hit]:
    """"日米", "米中", "米欧日" (runs of abbreviations), "米イラン" (next to a name) and "米政府"
    (before a state word). Not "日中" (daytime), "朝日" (Asahi) or a date's "日" ("19日米国")."""
    hits = []
    name_edges = {hit.start for hit in named} | {hit.end for hit in named}
    for match in re.finditer("[日米中露英独仏韓朝印豪伊加台欧]+", text):
        run, start = match.group(), match.start()
        for offset, char in enumerate(run):
            iso2 = names.JA_ABBREVIATIONS[char]
            position = start + offset
            if iso2 is None:
                continue
            if char == "日" and position and text[position - 1] in names.JA_DAY_PREFIXES:
                continue
            pair = run[max(0, offset - 1) : offset + 2]
            in_run = (len(run) >= 2 and not any(bad in run for bad in names.JA_NOT_PAIRS)
                      and pair not in names.JA_NOT_PAIRS)
            next_to_name = position in name_edges or position + 1 in name_edges
            before_state = char not in "日中" and text.startswith(names.JA_STATE_SUFFIXES, position + 1)
            if in_run or (next_to_name and char not in "日中") or before_state:
                hits.append(Hit(iso2, "demonym", position, position + 1))
    return hits


def _hits(text: str, gazetteer: Gazetteer) -> list[Hit]:
    """All country mentions in a text: gazetteer, supplement, Japanese abbreviations; minus the
    gazetteer's false friends (module docstring)."""
    supplement = _supplement_hits(text)
    blocked = [(hit.start, hit.end) for hit in supplement]  # supplement phrases win where they overlap
    hits = []
    for mention in gazetteer.mentions(text):
        end = mention.start + len(mention.surface)
        if not any(start < end and mention.start < stop for start, stop in blocked):
            hits.append(Hit(mention.iso2, mention.kind, mention.start, end))
    taken = [(hit.start, hit.end) for hit in hits]
    hits += [h for h in supplement if not any(s < h.end and h.start < e for s, e in taken)]
    if _JAPANESE.search(text, 0, 400):  # Japanese text
        hits += _japanese_abbreviations(text, hits)
    return [hit for hit in hits if not _not_the_country(text, hit)]


def _not_the_country(text: str, hit: Hit) -> bool:
    surface = text[hit.start : hit.end]
    if names.TOURNAMENT_AFTER.match(text, hit.end):
        return True
    if names.TOURNAMENT_BEFORE.search(text[max(0, hit.start - 30) : hit.start]):
        return True
    if hit.kind in ("capital", "city") and names.YEAR_AFTER.match(text, hit.end):
        return True
    if surface == "Washington" and names.TEAM_AFTER.match(text, hit.end):
        return True
    return surface.startswith("St") and bool(names.FLORIDA_AFTER.match(text, hit.end))


# --------------------------------------------------------------------------------------------------
# Profiles and scores (step 3).


@dataclass(slots=True)
class CountryEvidence:
    salience: float = 0.0
    headline: bool = False  # named in the headline, not only as a company's nationality
    lead: bool = False
    mentions: int = 0


@dataclass(slots=True)
class ArticleProfile:
    """Per-country evidence of one article; computed once, scored for any country."""

    countries: dict[str, CountryEvidence] = field(default_factory=dict)
    top_salience: float = 0.0

    def evidence(self, iso2: str) -> CountryEvidence:
        return self.countries.get(iso2) or CountryEvidence()


def article_profile(title: str, summary: str, body: str, gazetteer: Gazetteer) -> ArticleProfile:
    """The weighted mentions of every country in an article (steps 1 and 2)."""
    zones = article_zones(title, summary, body)
    profile = ArticleProfile()
    for hit in _hits(zones.headline, gazetteer):
        weight = ZONE_HEADLINE * KIND_WEIGHTS[hit.kind] * _context(zones.headline, hit)
        _add(profile, hit.iso2, weight, headline=hit.kind in HEADLINE_KINDS and weight >= ZONE_HEADLINE * 0.5)
    story = zones.story
    body_start = zones.leads[-1][1] if zones.leads else 0
    body_length = max(1, len(story) - body_start)
    for hit in _hits(story, gazetteer):
        if any(start <= hit.start < end for start, end in zones.datelines):
            continue
        if any(start <= hit.start < end for start, end in zones.leads):
            zone, lead = ZONE_LEAD, True
            if hit.kind == "home":  # "内閣府が発表した...": a Japanese domestic story names no country
                _add(profile, hit.iso2, 0.0, headline=True)
        else:
            position = max(0, hit.start - body_start) / body_length
            zone, lead = ZONE_BODY * (1 - (1 - BODY_END_FACTOR) * position), False
        _add(profile, hit.iso2, zone * KIND_WEIGHTS[hit.kind] * _context(story, hit), lead=lead)
    for iso2, weight, in_headline in _curated_place_hits(zones):
        _add(profile, iso2, weight, headline=in_headline, lead=not in_headline)
    profile.top_salience = max((e.salience for e in profile.countries.values()), default=0.0)
    return profile


def _curated_place_hits(zones) -> Iterator[tuple[str, float, bool]]:
    """Curated places (training areas, bases, crossings, regions of config/places.yaml) in the
    headline and leads: "Khaan Quest opens at Five Hills" is about Mongolia without naming it."""
    places = Places.load()
    curated = _curated_places()
    texts = [(zones.headline, ZONE_HEADLINE, True)] + [(zones.story[a:b], ZONE_LEAD, False) for a, b in zones.leads]
    for text, zone, in_headline in texts:
        if not places.may_name_curated(text):
            continue
        for mention in places.find(text):
            if mention.place in curated and mention.place.kind not in WATER_KINDS:
                yield mention.place.iso2, zone * KIND_WEIGHTS["place"], in_headline


@functools.cache
def _curated_places() -> frozenset:
    return frozenset(Places.load().curated)


def _context(text: str, hit: Hit) -> float:
    if PHOTO_STAMP_AFTER.match(text, hit.end):
        return 0.0
    if hit.kind in ("country", "demonym") and names.COMPANY_AFTER.match(text, hit.end):
        return COMPANY_NATIONALITY
    return 1.0


def _add(profile: ArticleProfile, iso2: str, weight: float, headline: bool = False, lead: bool = False) -> None:
    evidence = profile.countries.setdefault(iso2, CountryEvidence())
    evidence.salience += weight
    evidence.headline |= headline
    evidence.lead |= lead and weight > 0
    evidence.mentions += weight > 0


def profile_score(profile: ArticleProfile, iso2: str, home: bool = False) -> float:
    """Step 3 of the module docstring; `home` when a feed of the country carried the article (step 4)."""
    evidence = profile.evidence(iso2)
    if home and not any(profile_score(profile, other) >= RELEVANCE_THRESHOLD for other in profile.countries
                        if other != iso2):
        return 1.0  # a home feed's local story: about no other country, so about its own
    if evidence.salience <= 0:
        return 0.0
    dominance = evidence.salience / max(profile.top_salience, DOMINANCE_FLOOR)
    value = (
        HEADLINE_WEIGHT * evidence.headline
        + LEAD_WEIGHT * evidence.lead
        + SALIENCE_WEIGHT * math.log2(1 + evidence.salience)
        + DOMINANCE_WEIGHT * dominance
        + BIAS
    )
    return 1 / (1 + math.exp(-STEEPNESS * value))


def relevance_score(title: str, summary: str, body: str, iso2: str, gazetteer: Gazetteer) -> float:
    """How much the article is about the country, 0..1; relevant from RELEVANCE_THRESHOLD."""
    return profile_score(article_profile(title or "", summary or "", body or "", gazetteer), iso2.upper())


def article_mentions(title: str, summary: str, body: str, gazetteer: Gazetteer) -> list[dict]:
    """The profile as the `mentions` column of `articles` (computed once per article, scored per country)."""
    profile = article_profile(title or "", summary or "", body or "", gazetteer)
    return [
        {"country": iso2, "salience": e.salience, "headline": e.headline, "lead": e.lead}
        for iso2, e in sorted(profile.countries.items())
    ]


def _profile_of(mentions: list[dict]) -> ArticleProfile:
    profile = ArticleProfile({m["country"]: CountryEvidence(m["salience"], m["headline"], m["lead"]) for m in mentions})
    profile.top_salience = max((m["salience"] for m in mentions), default=0.0)
    return profile


def relevant_articles(articles: pl.DataFrame, iso2: str, gazetteer: Gazetteer) -> pl.DataFrame:
    """The articles relevant to a country, with their `relevance` score (Float64), sorted by
    published_at then article_id. Scored from the stored `mentions`; rows without them (written
    by an older version, or a frame built by hand) are profiled from their text."""
    iso2 = iso2.upper()
    home = (pl.col("home_countries").list.contains(iso2).fill_null(False) if "home_countries" in articles.columns
            else pl.lit(False))
    if "mentions" in articles.columns:
        named = pl.col("mentions").list.eval(pl.element().struct.field("country") == iso2).list.any()
        candidates = articles.filter(named.fill_null(True) | home)  # only an article naming the country (or from its feeds) can be about it
        stored = candidates["mentions"].to_list()
    else:
        candidates, stored = articles, [None] * articles.height
    at_home = (candidates.select(home.alias("home"))["home"].to_list() if "home_countries" in candidates.columns
               else [False] * candidates.height)
    scores = [
        profile_score(_profile_of(mentions) if mentions is not None else article_profile(t or "", s or "", b or "", gazetteer),
                      iso2, home=is_home)
        for mentions, is_home, (t, s, b) in zip(stored, at_home, candidates.select("title", "summary", "body").iter_rows(),
                                                strict=True)
    ]
    scored = candidates.with_columns(relevance=pl.Series("relevance", scores, dtype=pl.Float64))
    return scored.filter(pl.col("relevance") >= RELEVANCE_THRESHOLD).sort("published_at", "article_id")
