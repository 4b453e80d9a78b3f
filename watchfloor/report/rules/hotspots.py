"""Hotspots: the week's events grouped by place, the limits on hotspots, and how place names compare.

A place is every located event (not country-level: geo_precision "country") with the same name (after :func:`~watchfloor.report.wording.comparison_key`)
or within MERGE_KM of the place's first event, events taken most intense first. A report has at
most MAX_HOTSPOTS hotspots: the offline writer's are the first places; an LLM may name any event
place (:func:`candidate_places`), its label matched by :func:`loose_place_key` or its point within
MATCH_KM (llm/validate.py).
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field

from watchfloor.places.geo import km
from watchfloor.report.model import EventBrief, Hotspot
from watchfloor.report.rules.annex import ordered
from watchfloor.report.wording import category_label, comparison_key, folded, location, plural, title_of

MAX_HOTSPOTS = 8  # hotspots in a report
MERGE_KM = 10.0  # events this close to a place's first event are at that place
MATCH_KM = 25.0  # an LLM's hotspot this close to an event place is that place
LABEL_MAX_CHARS = 120


def loose_place_key(label: str) -> str:
    """A place name as compared with one an LLM wrote: accents, case, punctuation and a leading "the" ignored."""
    text = unicodedata.normalize("NFKD", label or "")
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return re.sub(r"^the ", "", folded(text))


def has_point(lat: float, lng: float) -> bool:
    """Whether (lat, lng) is a finite point on the globe."""
    return math.isfinite(lat) and math.isfinite(lng) and -90 <= lat <= 90 and -180 <= lng <= 180


@dataclass
class Place:
    label: str
    lat: float
    lng: float
    events: list[EventBrief] = field(default_factory=list)


def places_of(events: Sequence[EventBrief]) -> list[Place]:
    """Events grouped by place (module docstring), the most intense place first."""
    places: list[Place] = []
    for ev in ordered(events):
        if not has_point(ev.lat, ev.lng) or ev.geo_precision == "country":
            continue  # a country-level event's point is only its capital's: no hotspot there
        key = comparison_key(ev.location)
        for place in places:
            if (key and key == comparison_key(place.label)) or km(place.lat, place.lng, ev.lat, ev.lng) <= MERGE_KM:
                place.events.append(ev)
                break
        else:
            places.append(Place(location(ev), ev.lat, ev.lng, [ev]))
    return sorted(places, key=lambda p: (-max(e.intensity for e in p.events), -len(p.events), p.label))


def hotspots_from_events(events: Sequence[EventBrief], limit: int = MAX_HOTSPOTS) -> list[Hotspot]:
    """One hotspot per distinct place, most intense first, at most `limit`."""
    hotspots = []
    for place in places_of(events)[:limit]:
        named = [f"{title_of(e)} ({category_label(e.category)})" for e in place.events[:3]]
        more = len(place.events) - len(named)
        if more:
            named.append(plural(more, "further event"))
        if len(place.events) == 1:
            detail = f"Location of one reported event: {named[0]}."
        else:
            detail = f"Location of {len(place.events)} reported events: " + "; ".join(named[:-1]) + f"; and {named[-1]}."
        hotspots.append(
            Hotspot(
                label=place.label[:LABEL_MAX_CHARS],
                detail=detail,
                lat=round(place.lat, 4),
                lng=round(place.lng, 4),
                intensity=max(e.intensity for e in place.events),
            )
        )
    return hotspots


def candidate_places(events: Sequence[EventBrief]) -> list[Hotspot]:
    """Every event place, one per distinct place, most intense first: the only places an LLM may name
    as hotspots (the prompt lists them and llm/validate.py enforces it)."""
    return hotspots_from_events(events, limit=len(events))
