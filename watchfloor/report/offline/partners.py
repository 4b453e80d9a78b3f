"""The partners of an event (the countries and blocs it involves besides the monitored one) and their names."""

from __future__ import annotations

import functools
from collections.abc import Sequence

from watchfloor.events.partners import body_name
from watchfloor.report.model import EventBrief
from watchfloor.report.offline.templates import SPECIAL_PARTNERS, WITH_ARTICLE
from watchfloor.report.wording import joined


@functools.cache
def _gazetteer_names() -> dict[str, str]:
    try:
        from watchfloor.places.gazetteer import Gazetteer

        gazetteer = Gazetteer.load()
        return {code: gazetteer.country_name(code) for code in sorted(gazetteer.iso2_codes)}
    except Exception:  # the names are a nicety: codes still read
        return {}


def partner_name(iso2: str) -> str:
    """A partner code as it reads mid-sentence: "TR" -> "Turkey", "US" -> "the United States", "EU" ->
    "the European Union" (config/actors.yaml)."""
    code = (iso2 or "").strip().upper()
    if code in SPECIAL_PARTNERS:
        return SPECIAL_PARTNERS[code]
    body = body_name(code)
    if body:
        return body
    name = _gazetteer_names().get(code, code)
    if code in WITH_ARTICLE and not name.lower().startswith("the "):
        name = "the " + name
    return name


def partner_codes(ev: EventBrief, iso2: str) -> list[str]:
    """The event's partner codes, upper case, each once, without the monitored country `iso2`."""
    own = iso2.upper()
    return [code.upper() for code in dict.fromkeys(ev.partners) if code and code.upper() != own]


def partner_names(ev: EventBrief, iso2: str) -> list[str]:
    return [partner_name(code) for code in partner_codes(ev, iso2)]


def partners_phrase(evs: Sequence[EventBrief], iso2: str) -> str:
    """" involving A, B and C": the first four partners of `evs`, or "" when they have none. For what
    to watch and do next (indicators, recommendations), never for what happened: the reporting names
    them, it need not say they acted together."""
    names: list[str] = []
    for ev in evs:
        for name in partner_names(ev, iso2):
            if name not in names:
                names.append(name)
    return f" involving {joined(names[:4])}" if names else ""
