"""An event's partners as they are: the countries and supranational bodies it involves.

Read from the title and the first two lead sentences:

- Bodies (config/actors.yaml `bodies`: EU, NATO, UN, ASEAN, SCO, CSTO, AFRICAN_UNION, OSCE, ...) named there are
  partners in their own right, by their code.
- A country is a partner when the gazetteer finds it there, except
  - a country named only by a city that seats one of the bodies named ("EU ministers met in
    Brussels" involves the EU, not Belgium);
  - a country named only in a list: when the text names more than LIST_COUNTRIES other countries,
    only those the headline names are partners (a roll of summit guests or markets is not a
    partnership).
"""

from __future__ import annotations

import functools
import re

from watchfloor.events.names import BODIES
from watchfloor.places.gazetteer import Gazetteer

LIST_COUNTRIES = 4
_CITY_KINDS = frozenset({"capital", "city"})


_CJK = re.compile(r"[\u3000-\u9fff\uff00-\uffef]")


@functools.cache
def _body_patterns() -> tuple[dict[str, str], re.Pattern[str], re.Pattern[str]]:
    """alias -> code, and the aliases as two plain alternations (longest first): Latin ones as
    case-sensitive whole words, CJK ones anywhere."""
    codes = {alias: code for code, body in BODIES.items() for alias in body["aliases"]}
    ordered = sorted(codes, key=len, reverse=True)
    latin = "|".join(re.escape(a) for a in ordered if not _CJK.search(a))
    cjk = "|".join(re.escape(a) for a in ordered if _CJK.search(a))
    return codes, re.compile(rf"(?<![\w.])(?:{latin})(?!\w)"), re.compile(cjk)


def bodies_named(text: str) -> set[str]:
    """The codes of the bodies `text` names."""
    codes, latin, cjk = _body_patterns()
    return {codes[m.group(0)] for pattern in (latin, cjk) for m in pattern.finditer(text)}


def body_name(code: str) -> str | None:
    """A body's name as a report writes it mid-sentence ("the European Union"); None for a country code."""
    body = BODIES.get(code)
    return body["name"] if body else None


def event_partners(headline: str, lead_text: str, iso2: str, gazetteer: Gazetteer) -> frozenset[str]:
    """The partners of the module docstring, without the country itself."""
    text = f"{headline}\n{lead_text}"
    bodies = bodies_named(text)
    seats = {seat for code in bodies for seat in BODIES[code].get("seats") or ()}
    kinds: dict[str, set[str]] = {}
    for mention in gazetteer.mentions(text):
        kinds.setdefault(mention.iso2, set()).add(mention.kind)
    countries = {code for code, named_as in kinds.items()
                 if code != iso2 and not (code in seats and named_as <= _CITY_KINDS)}
    if len(countries) > LIST_COUNTRIES:
        in_headline = set(gazetteer.countries(headline))
        countries &= in_headline
    return frozenset(countries | bodies)
