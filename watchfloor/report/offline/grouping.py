"""The week's events grouped for the prose: by category and by partner, heaviest first."""

from __future__ import annotations

from collections.abc import Sequence

from watchfloor.core.taxonomy import CATEGORIES
from watchfloor.report.model import EventBrief
from watchfloor.report.offline.partners import partner_codes
from watchfloor.report.rules.annex import ordered

HOSTILE = ("armed_conflict", "internal_security", "border_security", "cybersecurity")
COOPERATIVE = ("diplomacy", "defense_policy")  # military activity (a launch, a drill) is neither by itself
HOSTILE_MIN_INTENSITY = 3  # a hostile category counts as a risk from this peak intensity

Groups = list[tuple[str, list[EventBrief]]]


def by_category(events: Sequence[EventBrief]) -> Groups:
    """Categories present, heaviest first (sum of intensities, then event count, then taxonomy order)."""
    groups: dict[str, list[EventBrief]] = {}
    for ev in ordered(events):
        groups.setdefault(ev.category, []).append(ev)
    rank = {slug: i for i, slug in enumerate(CATEGORIES)}
    return sorted(
        groups.items(),
        key=lambda kv: (-sum(e.intensity for e in kv[1]), -len(kv[1]), rank.get(kv[0], len(rank)), kv[0]),
    )


def by_partner(events: Sequence[EventBrief], iso2: str) -> Groups:
    """Partners, most prominent first: each event adds its intensity shared among its partners, so the
    counterpart of a bilateral agreement outranks one of eighteen nations at an exercise."""
    groups: dict[str, list[EventBrief]] = {}
    weight: dict[str, float] = {}
    for ev in ordered(events):
        codes = partner_codes(ev, iso2)
        for code in codes:
            groups.setdefault(code, []).append(ev)
            weight[code] = weight.get(code, 0.0) + ev.intensity / len(codes)
    return sorted(groups.items(), key=lambda kv: (-round(weight[kv[0]], 6), -len(kv[1]), kv[0]))


def hostile_groups(groups: Groups) -> Groups:
    """The hostile categories among `groups` whose peak intensity makes them a risk."""
    return [(c, evs) for c, evs in groups if c in HOSTILE and max(e.intensity for e in evs) >= HOSTILE_MIN_INTENSITY]
