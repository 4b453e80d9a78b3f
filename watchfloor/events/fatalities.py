"""The death toll an article reports, in the languages of the feeds: `fatalities` of an event.

A toll is a number (digits, or an English number word up to twenty) bound to a death phrase in one
of these shapes, read from the title and lead:

| language | shapes (N the number)                                                              |
|----------|------------------------------------------------------------------------------------|
| en       | "N (people/civilians/...) (were) killed/dead/died", "kills/killed (at least) N",   |
|          | "death toll (rises) to N", "N deaths/fatalities"                                    |
| es       | "N muertos/fallecidos/víctimas mortales", "mata(n/ron) a (al menos) N"              |
| pt       | "N mortos/mortes", "mata(m/ram) (pelo menos) N", "morrem N"                         |
| fr       | "N morts/tués", "tue(nt) (au moins) N", "fait N morts"                              |
| de       | "N Tote/Todesopfer", "tötet (mindestens) N", "N Menschen getötet"                   |
| ja, zh   | "N人死亡", "N人が死亡", "死者N人", "N人遇难"                                          |
| ru, uk   | "N погибших/погибли", "погибли N", "загинули N"                                     |

"at least", "more than" and their equivalents give N itself (the reported floor). Vague tolls
("dozens killed") and negated ones ("no one was killed") give none. An event's toll is the highest
its articles report (tolls rise as reports come in); null when none reports a number.
"""

from __future__ import annotations

import re

_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
}  # fmt: skip
_N = r"(?P<n>\d{1,3}(?:[,.]\d{3})+(?!\d)|\d+|" + "|".join(_WORDS) + r")"
_AT_LEAST = (r"(?:(?:at least|more than|over|nearly|some|about|al menos|más de|pelo menos|mais de|au moins|plus de"
             r"|mindestens|mehr als)\s+)?")
_WHO = r"(?:\s+(?:\w+\s+){0,3}?)"  # "people", "Palestinian civilians", "of them"
_SHAPES = [
    rf"\b{_N}{_WHO}?(?:(?:were|have been|had been|are)\s+)?(?:killed|dead|died|deaths|fatalities|lost their lives)\b",
    rf"\bkill(?:s|ed|ing)?\s+{_AT_LEAST}{_N}\b",
    rf"\bdeath toll\b[^.]{{0,30}}?\b(?:to|at|of|reached|hits?)\s+{_AT_LEAST}{_N}\b",
    rf"\b{_N}{_WHO}?(?:muertos|muertas|fallecidos|víctimas mortales|mortos|mortas|mortes|morts|tués|Tote|Todesopfer)\b",
    rf"\b(?:mata(?:n|ron|m|ram)?|matou|tue(?:nt)?|tué|tötet(?:en)?)\s+(?:a\s+)?{_AT_LEAST}{_N}\b",
    rf"\b(?:morrem|mueren|murieron|fait)\s+{_AT_LEAST}{_N}\b",
    rf"\b{_N}\s+Menschen\s+(?:wurden\s+)?getötet\b",
    rf"{_N}\s*人(?:が|以上が)?(?:死亡|死去|遇难|罹難|犠牲)",
    rf"死者(?:は|数は)?{_N}\s*人",
    rf"\b{_N}\s+(?:погибших|погибли|загиблих|загинули)",
    rf"(?:погибли|загинули)\s+{_N}\b",
]
_TOLL = re.compile("|".join(f"(?:{shape})" for shape in _SHAPES).replace("(?P<n>", "(?:"), re.IGNORECASE)
_NUMBER = re.compile(_N, re.IGNORECASE)
_NEGATED = re.compile(r"\b(?:no|not|nobody|no one|none|without|never|ningún|nenhum|aucun|kein\w*)\b[^.]{0,20}$",
                      re.IGNORECASE)
_YEAR = re.compile(r"(?:19|20)\d\d")  # "the 2024 war killed ...": a year, not a toll
_NOT_DEATHS = re.compile(r"\s*(?:%|per ?cent|years?|km|miles|days|hours|minutes|percent)", re.IGNORECASE)


def reported_fatalities(text: str) -> int | None:
    """The highest death toll `text` reports (module docstring), None when it reports none."""
    tolls = []
    for match in _TOLL.finditer(text):
        if _NEGATED.search(text[max(0, match.start() - 40):match.start()]):
            continue
        number = _NUMBER.search(match.group(0))
        if number is None or _NOT_DEATHS.match(text, match.start() + number.end()) or _YEAR.fullmatch(number.group(0)):
            continue
        tolls.append(_value(number.group(0)))
    return max(tolls, default=None)


def _value(raw: str) -> int:
    word = _WORDS.get(raw.lower())
    return word if word is not None else int(re.sub(r"[,.]", "", raw))
