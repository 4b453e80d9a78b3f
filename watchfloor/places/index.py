"""Places named in a text: cities, capitals, regions and the sites security news is about.

The places and the names they are known by are the catalogue (watchfloor.places.catalogue:
GeoNames cities, US states and the curated config/places.yaml). Matching is one case-sensitive
Aho-Corasick pass: whole words, leftmost-longest ("Rzeszów-Jasionka Airport" beats "Rzeszów").
Each match is then checked and resolved in its context:
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
from collections.abc import Iterator
from dataclasses import dataclass

import ahocorasick

from watchfloor.places.catalogue import CONFIG_PATH, Catalogue, Entry, Place, build_catalogue
from watchfloor.places.gazetteer import Gazetteer
from watchfloor.places.spelling import name_forms
from watchfloor.text.anatomy import HONORIFICS

DOMINANT_RATIO = 10  # a namesake this many times more populous wins over one in a mentioned country

_PLACE_CONTEXT_BEFORE = re.compile(
    r"(?:\b(?:in|at|near|outside|from|to|into|toward|towards|around|across|through|via|between|"
    r"city of|town of|port of|village of|region of|province of)\s+(?:the\s+)?|"
    r"\b(?:In|At|Near|Outside|From)\s+)$"
)
_PERSON_AFTER = re.compile(r"^(?:'s?)?\s+(?:said|says|told|added|wrote|argued|noted|who|whose)\b")
_BREAK_BEFORE = re.compile(r"[.!?:;\"“”'‘’(\[\n—–-]\s*$")  # punctuation right before: no running text
_FUNCTION_WORDS = frozenset(
    "The A An In At On Of To From For By With And Or But Near Outside Into Across After Before "
    "During Over Under As Its Their His Her Our "
    "President Minister Mayor Governor Prime Deputy General Colonel Major Captain King Queen Prince "
    "Pope Chief Secretary Ambassador Envoy Judge Officer Spokesman Spokeswoman Commander Director "
    "North South East West Northern Southern Eastern Western Central Greater Upper Lower Old New "
    "Downtown Suburban Rural Urban Metropolitan Where When While Since Until Although Though "
    "Meanwhile Elsewhere Also Both Between Via Toward Towards Around Through Inside Within Beyond "
    "Against Despite Amid Among Along".split()
) | set(HONORIFICS)  # fmt: skip
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
class PlaceMention:
    place: Place
    surface: str  # the text matched, including a ", <state or country>" suffix that resolved it
    start: int  # character offset of the mention in the text


_BLOCKED = -1  # surface id of a phrase that is not a place


class Places:
    """The place index: build once per process with `Places.load()`."""

    def __init__(self, catalogue: Catalogue) -> None:
        entries, us_states = catalogue.entries, catalogue.us_states
        self._entries = entries
        self._surfaces = list(catalogue.surfaces.values())
        self._capitals = catalogue.capitals
        self._us_states = us_states  # state name -> entry index
        self._us_state_codes = {entries[i].admin1: i for i in us_states.values()}
        self._automaton = ahocorasick.Automaton()
        for index, surface in enumerate(catalogue.surfaces):
            self._automaton.add_word(surface, (len(surface), index))
        for phrase in catalogue.blocked:
            for form in name_forms(phrase, upper=False, saints=True):
                self._automaton.add_word(form, (len(form), _BLOCKED))
        self._automaton.make_automaton()
        self._curated_automaton = ahocorasick.Automaton()  # the surfaces that can resolve to a curated place
        for surface, entry in catalogue.surfaces.items():
            if any(entries[i].curated for i in entry.entries):
                self._curated_automaton.add_word(surface, surface)
        self._curated_automaton.make_automaton()
        names = sorted(us_states, key=len, reverse=True)
        self._state_suffix = re.compile(r",\s+(" + "|".join(map(re.escape, names)) + r"|D\.C\.|DC)(?![\w-])")
        self._gazetteer = Gazetteer.load()

    @classmethod
    @functools.cache
    def load(cls) -> Places:
        """The index built from the bundled data and config/places.yaml; built once per process."""
        return cls(build_catalogue(CONFIG_PATH))

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

    def may_name_curated(self, text: str) -> bool:
        """False when `text` cannot hold a curated place: none of their surfaces occurs in it (a cheap
        test before :meth:`find`, which resolves every place)."""
        return bool(text) and next(self._curated_automaton.iter(text), None) is not None

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

    def _resolve(self, candidates: list[int], context: set[str], named_states: set[str], constrained: bool) -> Entry:
        entries = [self._entries[i] for i in candidates]
        if len(entries) == 1:
            return entries[0]

        def most_populous(pool: list[Entry]) -> Entry:
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
    if not before or _BREAK_BEFORE.search(before):
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

