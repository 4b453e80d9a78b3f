"""How place names are written, for matching them: the one folding of a name to plain letters, and
the forms a name is matched in (the gazetteer's country names and the place index's cities)."""

from __future__ import annotations

import functools
import unicodedata

# Codes GeoNames still carries for states that no longer exist (Netherlands Antilles, Serbia and
# Montenegro). XK (Kosovo, user-assigned but used by the EU, IMF and GeoNames) is kept.
RETIRED_CODES = frozenset({"AN", "CS"})
_NO_PLURAL_ENDINGS = ("ese", "sh", "ch", "ss", "s", "z", "x")


@functools.lru_cache(maxsize=None)
def fold(name: str) -> str:
    """`name` without diacritics ("Gdańsk" -> "Gdansk", "Łódź" -> "Lodz")."""
    if name.isascii():
        return name
    decomposed = unicodedata.normalize("NFKD", name.replace("ł", "l").replace("Ł", "L"))
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def name_forms(name: str, *, upper: bool, plurals: bool = False, saints: bool = False) -> list[str]:
    """The forms a name is matched in, sorted: as written and folded; with `plurals` also with an
    "s" (demonyms: "Kazakhs", not "Chineses"); with `saints` the "St."/"St"/"Saint" variants and an
    en dash as a hyphen (place names); with either apostrophe; with `upper` and four letters or more
    also in capitals (headlines, datelines such as "ULAANBAATAR, June 25"; shorter ones are mostly
    acronyms)."""
    name = name.strip()
    if not name:
        return []
    forms = {name, fold(name)}
    if plurals and not name.endswith(_NO_PLURAL_ENDINGS):
        forms |= {form + "s" for form in forms}
    for form in list(forms):
        if saints:
            if form.startswith(("Saint ", "St. ", "St ")):
                rest = form.split(" ", 1)[1]
                forms |= {"Saint " + rest, "St. " + rest, "St " + rest}
            if "–" in form:
                forms.add(form.replace("–", "-"))
        if "'" in form:
            forms.add(form.replace("'", "’"))
    if upper and len(name) >= 4:
        forms |= {form.upper() for form in forms}
    return sorted(forms)
