"""The offline writer: every report section from the week's events, without a language model.

Deterministic: the same events and annex give the same text, byte for byte (no clock, no set or
hash ordering, templates chosen by a CRC of the event id). The prose is assembled from templates
by category and partner over the structured event fields (category, date, place, partners,
intensity, source count) plus the first sentences of each event's summary, and every sentence
that states a fact ends with the annex numbers it rests on, ``[n]``. The only sentences without
a citation state an absence ("No ... was reported") and begin with "No".

Threat level rule (``rule_threat_level``)
-----------------------------------------
    score = T + 4 * H + 3 * C

    T  sum of the intensities (1-5) of the five most intense events
    H  number of events of intensity 4 or 5
    C  armed_conflict / internal_security events whose summary reports casualties
       (killed, dead, died, deaths, fatalities, casualties, wounded, injured)

    =========  ===========  =============================================
    score      level        floor
    =========  ===========  =============================================
    0 - 5      Low          (no events at all: Low)
    6 - 11     Moderate
    12 - 19    Elevated     any event of intensity 4 -> at least Elevated
    20 - 29    High         any event of intensity 5 -> at least High
    30 +       Critical
    =========  ===========  =============================================

A quiet week of routine diplomacy (five events of intensity 1-2) stays Low or Moderate; a week
with several notable cyber intrusions and exercises (3, 3, 3, 2, 2) reaches Elevated; one
deadly clash (intensity 4, casualties) is Elevated by the floor; war-like weeks with several
intensity-5 events with casualties reach Critical. The reason string names every figure.

Confidence (outlook) follows the sourcing of the events behind a judgement: high when one of
them is carried by 3 or more independent sources and 4 or more outlets report the category,
moderate when one is carried by 2 or more sources, low when everything rests on single sources.
"""

from __future__ import annotations

import functools
import math
import re
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from watchfloor.core.taxonomy import CATEGORIES, heading
from watchfloor.places.geo import km
from watchfloor.report.model import (
    THREAT_LEVELS,
    AnnexEntry,
    EventBrief,
    Hotspot,
    KeyDevelopment,
    KeyDevelopments,
    Outlook,
    Prose,
    StructuredAssessment,
)
from watchfloor.text.anatomy import clean_inline, short_title, summary_sentences

if TYPE_CHECKING:
    import polars as pl

    from watchfloor.report.render import ReportDocument


OFFLINE_NOTICE = (
    "This report was written by Watchfloor's built-in offline writer, without a language model: its prose "
    "is assembled from templates over the week's extracted events, and its threat level follows the "
    "documented rule."
)

KEY_DEVELOPMENTS_MIN = 8  # at least this many key developments (when there are as many events)
KEY_DEVELOPMENT_MIN_INTENSITY = 2  # every event this intense is a key development
MAX_HOTSPOTS = 8
MERGE_KM = 10.0
HOSTILE = ("armed_conflict", "internal_security", "border_security", "cybersecurity")
CASUALTY_CATEGORIES = ("armed_conflict", "internal_security")

_CASUALTIES = re.compile(
    r"\b(killed|kills|dead|died|deaths?|fatalit(?:y|ies)|casualt(?:y|ies)|wounded|injured)\b", re.I
)
_PROCUREMENT = re.compile(
    r"\b(procure\w*|acqui(?:re|red|res|sition|sitions)|purchas\w+|arms deal|arms sale\w*|contract\w*|deliver(?:y|ies|ed))\b",
    re.I,
)
_QUALIFIER_WORDS = ("over", "more", "about", "around", "some", "nearly", "almost", "approximately", "up", "at")
_QUALIFIER = r"(?:(?:over|more than|about|around|some|nearly|almost|approximately|up to|at least)\s+)?"
_FIGURE = re.compile(
    _QUALIFIER + r"(?:(?:US|A|C)?\$|€|£)\s?\d[\d,]*(?:\.\d+)?(?:\s*(?:million|billion|trillion|bn)\b)?"
    r"|" + _QUALIFIER + r"\b\d[\d,]*(?:\.\d+)?(?:\s+(?:million|thousand))?\s+"
    r"(?:troops|soldiers|personnel|servicemen|service members|reservists|officers|countries|nations|"
    r"aircraft|fighter jets|jets|helicopters|warships|ships|vessels|submarines|tanks|armou?red vehicles|"
    r"vehicles|missiles|rockets|drones|sorties|battalions|brigades)\b",
    re.I,
)
_CITATION = re.compile(r"\[(\d+)\]")


# -- small text helpers --------------------------------------------------------------------------


def citations_in(text: str) -> list[int]:
    """The annex numbers cited in `text`, in order, with repeats."""
    return [int(n) for n in _CITATION.findall(text)]


def _stable(key: str, n: int) -> int:
    return zlib.crc32(key.encode("utf-8")) % n


def _day(d: date) -> str:
    return f"{d.day} {d:%B %Y}"


def _day_short(d: date) -> str:
    return f"{d.day} {d:%B}"


def _cite(numbers: Iterable[int]) -> str:
    return "".join(f"[{n}]" for n in sorted(set(numbers)))


def _cites(events: Iterable[EventBrief], per_event: int = 2, limit: int = 8) -> str:
    numbers: list[int] = []
    for ev in events:
        for n in ev.citations[:per_event]:
            if n not in numbers:
                numbers.append(n)
    return _cite(numbers[:limit])


def _sentence(text: str, cites: str) -> str:
    """`text` as a sentence ending in its citations: 'text [1][2].'"""
    text = text.strip()
    closing = ""
    if text[-1:] in "\"”’)" and text[-2:-1] in ".!?":  # ends inside a quote: move the stop out
        closing, text = text[-1], text[:-2]
    text = text.rstrip(" .;:,") + closing
    if not cites:
        return text + "."
    return f"{text} {cites}."


def _join(items: Sequence[str], conj: str = "and") -> str:
    items = list(items)
    if not items:
        return ""
    if len(items) == 1:
        return items[0]
    return ", ".join(items[:-1]) + f" {conj} " + items[-1]


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _number(n: int) -> str:
    words = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")
    return words[n] if 0 <= n < len(words) else str(n)


def _plural(n: int, word: str, plural: str | None = None) -> str:
    return f"{n} {word if n == 1 else (plural or word + 's')}"


def _quoted(ev: EventBrief) -> str:
    return f"“{short_title(ev.headline)}”"


def _place_date(ev: EventBrief) -> str:
    return f"{_location(ev)}, {_day_short(ev.event_date)}"


def _location(ev: EventBrief) -> str:
    return clean_inline(ev.location) or "an unspecified location"


def _label(category: str) -> str:
    return category.replace("_", " ")


# -- partners ------------------------------------------------------------------------------------

_SPECIAL_PARTNERS = {"EU": "the European Union", "UN": "the United Nations", "NATO": "NATO", "XK": "Kosovo"}
_WITH_ARTICLE = frozenset({"US", "GB", "AE", "NL", "PH", "CD", "CF", "DO", "GM", "BS", "MV", "SB", "MH", "KY", "VA", "CZ"})


@functools.cache
def _gazetteer_names() -> dict[str, str]:
    try:
        from watchfloor.places.gazetteer import Gazetteer

        gazetteer = Gazetteer.load()
        return {code: gazetteer.country_name(code) for code in sorted(gazetteer.iso2_codes)}
    except Exception:  # the names are a nicety: codes still read
        return {}


def partner_name(iso2: str) -> str:
    """A partner code as it reads mid-sentence: "TR" -> "Turkey", "US" -> "the United States"."""
    code = (iso2 or "").strip().upper()
    if code in _SPECIAL_PARTNERS:
        return _SPECIAL_PARTNERS[code]
    name = _gazetteer_names().get(code, code)
    if code in _WITH_ARTICLE and not name.lower().startswith("the "):
        name = "the " + name
    return name


def _partners(ev: EventBrief, iso2: str) -> list[str]:
    own = iso2.upper()
    return [code.upper() for code in dict.fromkeys(ev.partners) if code and code.upper() != own]


def _partner_names(ev: EventBrief, iso2: str) -> list[str]:
    return [partner_name(code) for code in _partners(ev, iso2)]


# -- ordering and grouping -----------------------------------------------------------------------


def _order_key(ev: EventBrief) -> tuple[int, date, str]:
    return (-ev.intensity, ev.event_date, ev.event_id)


def ordered(events: Iterable[EventBrief]) -> list[EventBrief]:
    """Events most intense first, then by date and id: the order of the annex and the report."""
    return sorted(events, key=_order_key)


def _by_category(events: Sequence[EventBrief]) -> list[tuple[str, list[EventBrief]]]:
    """Categories present, heaviest first (sum of intensities, then event count, then taxonomy order)."""
    groups: dict[str, list[EventBrief]] = {}
    for ev in ordered(events):
        groups.setdefault(ev.category, []).append(ev)
    rank = {slug: i for i, slug in enumerate(CATEGORIES)}
    return sorted(
        groups.items(),
        key=lambda kv: (-sum(e.intensity for e in kv[1]), -len(kv[1]), rank.get(kv[0], len(rank)), kv[0]),
    )


def _by_partner(events: Sequence[EventBrief], iso2: str) -> list[tuple[str, list[EventBrief]]]:
    """Partners, most prominent first: each event adds its intensity shared among its partners, so the
    counterpart of a bilateral agreement outranks one of eighteen nations at an exercise."""
    groups: dict[str, list[EventBrief]] = {}
    weight: dict[str, float] = {}
    for ev in ordered(events):
        codes = _partners(ev, iso2)
        for code in codes:
            groups.setdefault(code, []).append(ev)
            weight[code] = weight.get(code, 0.0) + ev.intensity / len(codes)
    return sorted(groups.items(), key=lambda kv: (-round(weight[kv[0]], 6), -len(kv[1]), kv[0]))


def _sources(ev: EventBrief) -> int:
    return ev.source_count or len(set(ev.sources)) or len(ev.citations)


def _figures(text: str, limit: int = 4) -> list[str]:
    found: list[str] = []
    for match in _FIGURE.finditer(clean_inline(text)):
        figure = match.group(0).strip()
        first, _, rest = figure.partition(" ")
        if first.lower() in _QUALIFIER_WORDS:
            figure = f"{first.lower()} {rest}"
        if figure.lower() not in [f.lower() for f in found]:
            found.append(figure)
    return found[:limit]


# -- annex ---------------------------------------------------------------------------------------


def build_annex(events_df: pl.DataFrame, articles_df: pl.DataFrame) -> tuple[list[EventBrief], list[AnnexEntry]]:
    """The events as briefs with annex numbers, and the annex: the articles they cite, numbered 1..N.

    Events are ordered by intensity (highest first), event_date, event_id; an event's articles keep
    their order in `article_ids`; each article is numbered at its first citation. So every annex
    entry is cited and every citation resolves. Articles missing from `articles_df` cannot be cited
    and are left out; an event with none of its articles left is dropped.
    """
    articles: dict[str, dict[str, Any]] = {}
    for row in articles_df.iter_rows(named=True):
        articles.setdefault(row["article_id"], row)
    rows = sorted(
        events_df.iter_rows(named=True),
        key=lambda r: (-(r.get("intensity") or 1), r.get("event_date") or date.min, r.get("event_id") or ""),
    )
    numbers: dict[str, int] = {}
    annex: list[AnnexEntry] = []
    briefs: list[EventBrief] = []
    for row in rows:
        citations: list[int] = []
        for article_id in dict.fromkeys(row.get("article_ids") or []):
            article = articles.get(article_id)
            if article is None:
                continue
            if article_id not in numbers:
                numbers[article_id] = len(numbers) + 1
                annex.append(_annex_entry(numbers[article_id], article))
            citations.append(numbers[article_id])
        if not citations:
            continue
        cited = [articles[a] for a in dict.fromkeys(row.get("article_ids") or []) if a in articles]
        sources = list(dict.fromkeys(row.get("sources") or [a.get("source") or "" for a in cited]))
        sources = [s for s in sources if s]
        published = [a["published_at"] for a in cited if a.get("published_at")]
        event_date = row.get("event_date") or (min(published).date() if published else row.get("week") or date(1970, 1, 1))
        lat, lng = row.get("lat"), row.get("lng")
        briefs.append(
            EventBrief(
                event_id=row["event_id"],
                category=row.get("category") or "diplomacy",
                headline=row.get("headline") or "",
                summary=row.get("summary") or "",
                event_date=event_date,
                location=row.get("location") or "",
                lat=float(lat) if lat is not None else math.nan,
                lng=float(lng) if lng is not None else math.nan,
                partners=list(row.get("partners") or []),
                intensity=min(5, max(1, int(row.get("intensity") or 1))),
                source_count=int(row.get("source_count") or len(sources) or len(citations)),
                sources=sources,
                citations=citations,
            )
        )
    return briefs, annex


def _annex_entry(number: int, article: dict[str, Any]) -> AnnexEntry:
    published = article.get("published_at") or datetime(1970, 1, 1)
    if published.tzinfo is None:
        published = published.replace(tzinfo=UTC)  # the lake stores naive UTC
    url = article.get("url") or ""
    return AnnexEntry(
        number=number,
        article_id=article["article_id"],
        title=clean_inline(article.get("title")) or url or "(untitled)",
        source=clean_inline(article.get("source")) or "unknown source",
        published_at=published,
        url=url,
    )


# -- threat level --------------------------------------------------------------------------------

_LEVEL_FLOORS = ((5, "High"), (4, "Elevated"))
_LEVEL_BANDS = ((30, "Critical"), (20, "High"), (12, "Elevated"), (6, "Moderate"), (0, "Low"))


@dataclass(frozen=True)
class ThreatScore:
    level: str
    score: int
    top_sum: int
    top: list[int]
    n_high: int
    n_casualty: int
    floor: str | None


def threat_score(events: Sequence[EventBrief]) -> ThreatScore:
    """The figures of the documented rule (module docstring)."""
    top = sorted((e.intensity for e in events), reverse=True)[:5]
    n_high = sum(1 for e in events if e.intensity >= 4)
    n_casualty = sum(1 for e in events if e.category in CASUALTY_CATEGORIES and _CASUALTIES.search(e.summary or ""))
    score = sum(top) + 4 * n_high + 3 * n_casualty
    level = next(name for threshold, name in _LEVEL_BANDS if score >= threshold)
    floor = None
    peak = max(top, default=0)
    for intensity, floor_level in _LEVEL_FLOORS:
        if peak >= intensity and THREAT_LEVELS.index(level) < THREAT_LEVELS.index(floor_level):
            level, floor = floor_level, floor_level
            break
    return ThreatScore(level, score, sum(top), top, n_high, n_casualty, floor)


def rule_threat_level(events: Sequence[EventBrief]) -> tuple[str, str]:
    """(level, reason): the rule of the module docstring, the reason naming every figure."""
    if not events:
        return "Low", "Rule score 0: no security-relevant events were found this week, which is Low."
    s = threat_score(events)
    band = {"Low": "0-5", "Moderate": "6-11", "Elevated": "12-19", "High": "20-29", "Critical": "30 or more"}
    reason = (
        f"Rule score {s.score} = top-{len(s.top)} intensity sum {s.top_sum} "
        f"({'+'.join(map(str, s.top))}) + 4 x {s.n_high} events of intensity 4-5 "
        f"+ 3 x {s.n_casualty} armed-conflict/internal-security events reporting casualties"
    )
    if s.floor:
        reason += f"; raised to {s.floor} because an event of intensity {max(s.top)} was reported"
    else:
        reason += f"; {band[s.level]} is {s.level}"
    return s.level, reason + f" ({_plural(len(events), 'event')} this week)."


# -- hotspots ------------------------------------------------------------------------------------


def _place_key(text: str) -> str:
    return re.sub(r"[^\w]+", " ", clean_inline(text).casefold()).strip()


def _has_point(ev: EventBrief) -> bool:
    return math.isfinite(ev.lat) and math.isfinite(ev.lng) and -90 <= ev.lat <= 90 and -180 <= ev.lng <= 180


@dataclass
class _Place:
    label: str
    lat: float
    lng: float
    events: list[EventBrief] = field(default_factory=list)


def _places(events: Sequence[EventBrief]) -> list[_Place]:
    """Events grouped by place: the same location name, or within MERGE_KM of the place's first event."""
    places: list[_Place] = []
    for ev in ordered(events):
        if not _has_point(ev):
            continue
        key = _place_key(ev.location)
        for place in places:
            if (key and key == _place_key(place.label)) or km(place.lat, place.lng, ev.lat, ev.lng) <= MERGE_KM:
                place.events.append(ev)
                break
        else:
            places.append(_Place(_location(ev), ev.lat, ev.lng, [ev]))
    return sorted(places, key=lambda p: (-max(e.intensity for e in p.events), -len(p.events), p.label))


def hotspots_from_events(events: Sequence[EventBrief], limit: int = MAX_HOTSPOTS) -> list[Hotspot]:
    """One hotspot per distinct place (same name or within ~10 km), most intense first, at most `limit`."""
    hotspots = []
    for place in _places(events)[:limit]:
        named = [f"{short_title(e.headline)} ({_label(e.category)})" for e in place.events[:3]]
        more = len(place.events) - len(named)
        if more:
            named.append(_plural(more, "further event"))
        if len(place.events) == 1:
            detail = f"Location of one reported event: {named[0]}."
        else:
            detail = f"Location of {len(place.events)} reported events: " + "; ".join(named[:-1]) + f"; and {named[-1]}."
        hotspots.append(
            Hotspot(
                label=place.label[:120],
                detail=detail,
                lat=round(place.lat, 4),
                lng=round(place.lng, 4),
                intensity=max(e.intensity for e in place.events),
            )
        )
    return hotspots


# -- key developments ----------------------------------------------------------------------------

# After "On <date>, ": (with partners, without partners); {c} country, {loc} place, {p} partners.
_OPENERS: dict[str, list[tuple[str, str]]] = {
    "military_activity": [
        ("military activity involving {c} was reported at {loc}, with forces or officials from {p} taking part",
         "military activity involving {c} was reported at {loc}"),
        ("{c}'s armed forces were active at {loc} alongside {p}",
         "{c}'s armed forces were reported active at {loc}"),
    ],
    "defense_policy": [
        ("{c} took a defence policy step with {p}, reported from {loc}",
         "{c} took a defence policy step, reported from {loc}"),
        ("a defence policy development involving {c} and {p} was reported in {loc}",
         "a defence policy development for {c} was reported in {loc}"),
    ],
    "diplomacy": [
        ("{c} engaged diplomatically with {p} in {loc}", "{c}'s diplomacy was active in {loc}"),
        ("diplomatic contacts between {c} and {p} took place in {loc}",
         "diplomatic activity involving {c} was reported in {loc}"),
    ],
    "cybersecurity": [
        ("a cybersecurity development concerning {c} and {p} was reported from {loc}",
         "a cybersecurity development concerning {c} was reported from {loc}"),
        ("{c}'s cybersecurity came into focus in {loc}, with {p} involved",
         "{c}'s cybersecurity came into focus in {loc}"),
    ],
    "internal_security": [
        ("an internal security incident in {loc} drew in {p}", "an internal security incident was reported in {loc}"),
        ("public order in {loc} was in focus, with {p} involved", "public order in {loc} was in focus"),
    ],
    "armed_conflict": [
        ("armed violence involving {c} and {p} was reported in {loc}", "armed violence affecting {c} was reported in {loc}"),
        ("an armed conflict or terrorism incident in {loc} involved {p}",
         "an armed conflict or terrorism incident was reported in {loc}"),
    ],
    "border_security": [
        ("a border and territorial security development involving {p} was reported around {loc}",
         "a border and territorial security development was reported around {loc}"),
        ("{c}'s border security was in focus at {loc}, involving {p}", "{c}'s border security was in focus at {loc}"),
    ],
    "economic_security": [
        ("an economic and energy security development involving {c} and {p} was reported in {loc}",
         "an economic and energy security development for {c} was reported in {loc}"),
        ("{c}'s economic security agenda with {p} featured in reporting from {loc}",
         "{c}'s economic security agenda featured in reporting from {loc}"),
    ],
    "humanitarian": [
        ("a disaster or humanitarian emergency affecting {loc} drew in {p}",
         "a disaster or humanitarian emergency affecting {loc} was reported"),
        ("humanitarian conditions in {loc} drew reporting, with {p} involved", "humanitarian conditions in {loc} drew reporting"),
    ],
}
_GENERIC_OPENER = [("a development involving {c} and {p} was reported in {loc}", "a development involving {c} was reported in {loc}")]


def _opener(ev: EventBrief, country_name: str, iso2: str) -> str:
    variants = _OPENERS.get(ev.category, _GENERIC_OPENER)
    with_partners, alone = variants[_stable(ev.event_id, len(variants))]
    names = _partner_names(ev, iso2)
    template = with_partners if names else alone
    return f"On {_day(ev.event_date)}, " + template.format(c=country_name, loc=_location(ev), p=_join(names))


def _sourcing_sentence(ev: EventBrief) -> str:
    n = _sources(ev)
    cites = _cite(ev.citations)
    if n >= 2:
        return _sentence(f"This is reported by {n} independent sources", cites)
    return _sentence("This rests on a single source so far", cites)


def development_text(ev: EventBrief, country_name: str, iso2: str) -> str:
    """2-4 sentences: date, place and partners; the summary's first sentences; the sourcing."""
    first = _cite(ev.citations[:3])
    sentences = [_sentence(_opener(ev, country_name, iso2), first)]
    title_key = _place_key(ev.headline)
    for part in summary_sentences(ev.summary):
        if _place_key(part) != title_key or len(sentences) == 1:
            sentences.append(_sentence(part, first))
    sentences.append(_sourcing_sentence(ev))
    return " ".join(sentences[:4])


def significant_events(events: Sequence[EventBrief]) -> list[EventBrief]:
    """Every event of intensity >= 2, and at least the top KEY_DEVELOPMENTS_MIN events."""
    events = ordered(events)
    n_significant = sum(1 for e in events if e.intensity >= KEY_DEVELOPMENT_MIN_INTENSITY)
    return events[: max(KEY_DEVELOPMENTS_MIN, n_significant)]


def key_developments(
    country_name: str,
    iso2: str,
    week_start: date,
    week_end: date,
    events: Sequence[EventBrief],
    annex: Sequence[AnnexEntry],
    previous: StructuredAssessment | None = None,
    previous_event_count: int | None = None,
) -> KeyDevelopments:
    items = [
        KeyDevelopment(
            category=ev.category,
            title=short_title(ev.headline),
            text=development_text(ev, country_name, iso2),
            source_count=_sources(ev),
            event_ids=[ev.event_id],
        )
        for ev in significant_events(events)
    ]
    return KeyDevelopments(items=items)


# -- geopolitical impact -------------------------------------------------------------------------

_PARTNER_TEMPLATES = {
    "diplomacy": "With {p}, {c} worked through diplomatic channels, notably {e}",
    "defense_policy": "Ties with {p} moved into defence cooperation, notably {e}",
    "military_activity": "{P} appeared alongside {c} in military activity, notably {e}",
    "cybersecurity": "Cyber reporting involving {p} included {e}",
    "armed_conflict": "{P} is linked to this week's armed conflict reporting, notably {e}",
    "internal_security": "{P} featured in internal security reporting, notably {e}",
    "border_security": "Border and territorial questions with {p} featured, notably {e}",
    "economic_security": "Economic and energy links with {p} featured, notably {e}",
    "humanitarian": "{P} appeared in humanitarian reporting, notably {e}",
}
COOPERATIVE = ("diplomacy", "defense_policy", "military_activity", "economic_security")

_CATEGORY_OPENERS = [
    "{h} accounted for {n} of the week's {total} events, led by {e}",
    "{h} drew {n} of the week's {total} events, the most significant being {e}",
    "Under {h}, {n} of {total} events were recorded, headed by {e}",
]

# One judgement per category present: (when its peak intensity is 3 or more, when it is lower).
_JUDGEMENTS = {
    "military_activity": (
        "Exercise and deployment activity on this scale builds interoperability with foreign forces and signals "
        "{c}'s place in multinational security cooperation",
        "The military activity reported was routine in scale and builds familiarity with partner forces",
    ),
    "defense_policy": (
        "These policy steps mark a substantive shift in {c}'s defence posture and partnerships",
        "The policy steps widen {c}'s circle of defence partners and lay groundwork for training and capability "
        "cooperation rather than changing its posture",
    ),
    "diplomacy": (
        "The diplomatic activity carries security weight beyond routine contacts",
        "The diplomatic calendar shows {c} keeping channels open to several capitals at once",
    ),
    "cybersecurity": (
        "The intrusion reporting points to sustained hostile interest in {c}'s government networks",
        "Cyber reporting was low in intensity this week, centred on policy and cooperation rather than damaging attacks",
    ),
    "internal_security": (
        "Internal security reporting of this intensity indicates pressure on public order that authorities will "
        "need to contain",
        "Internal security reporting remained at a level that routine policing can absorb",
    ),
    "armed_conflict": (
        "Armed conflict at this intensity is the most direct threat to people and infrastructure in the affected areas",
        "Armed conflict reporting was limited in scale, but any recurrence would change the picture quickly",
    ),
    "border_security": (
        "Border incidents of this intensity keep territorial questions at the top of the security agenda",
        "Border reporting keeps territorial questions on the agenda without signs of escalation",
    ),
    "economic_security": (
        "Economic and energy pressure of this intensity exposes {c}'s supply and trade to external leverage",
        "Economic and energy security reporting points to exposure of supply and trade rather than acute disruption",
    ),
    "humanitarian": (
        "A humanitarian emergency of this scale strains emergency services and can feed wider instability",
        "The humanitarian reporting adds localised strain on emergency services",
    ),
}


def _event_ref(ev: EventBrief) -> str:
    return f"{_quoted(ev)} ({_place_date(ev)})"


def geopolitical_impact(
    country_name: str,
    iso2: str,
    week_start: date,
    week_end: date,
    events: Sequence[EventBrief],
    annex: Sequence[AnnexEntry],
    previous: StructuredAssessment | None = None,
    previous_event_count: int | None = None,
) -> Prose:
    """A paragraph on the partners involved, then the categories two per paragraph, each with a judgement;
    every event is cited here, so no annex entry goes unused."""
    events = ordered(events)
    if not events:
        return Prose(paragraphs=[f"No security-relevant reporting on {country_name} was found for this week."])
    paragraphs = [_partner_paragraph(country_name, iso2, events)]
    paragraphs.extend(_category_paragraphs(country_name, events))
    return Prose(paragraphs=paragraphs)


def _partner_sentence(country_name: str, code: str, evs: list[EventBrief]) -> str:
    name = partner_name(code)
    groups = _by_category(evs)
    if len(groups) == 1:
        template = _PARTNER_TEMPLATES.get(groups[0][0], "Reporting involving {p} included {e}")
        text = template.format(p=name, P=_cap(name), c=country_name, e=_join([_event_ref(e) for e in evs[:2]]))
        return _sentence(text, _cites(evs[:2]))
    strands = [f"{_label(c)} ({_quoted(group[0])}, {_place_date(group[0])})" for c, group in groups[:3]]
    among = ", among them" if len(groups) > len(strands) else ","
    text = f"{_cap(name)} featured in {_number(len(groups))} strands of reporting{among} {_join(strands)}"
    hostile = any(c in HOSTILE and max(e.intensity for e in g) >= 3 for c, g in groups)
    if hostile and any(c in COOPERATIVE for c, _ in groups):
        text += f", a mix of cooperation and hostile activity that {country_name} has to balance"
    return _sentence(text, _cites([g[0] for _, g in groups[:3]]))


def _partner_paragraph(country_name: str, iso2: str, events: list[EventBrief]) -> str:
    partners = _by_partner(events, iso2)
    if not partners:
        return _sentence(
            f"No foreign partner was named in this week's events, which concern {country_name}'s own security "
            "picture",
            _cites(events[:3]),
        )
    top = partners[:3]
    counts = [f"{partner_name(code)} ({_plural(len(evs), 'event')})" for code, evs in top]
    sentences = [
        _sentence(
            f"This week's reporting ties {country_name}'s security agenda to {_plural(len(partners), 'foreign partner')}, "
            f"most prominently {_join(counts)}",
            _cites([evs[0] for _, evs in top], per_event=1),
        )
    ]
    for code, evs in partners[:4]:
        sentences.append(_partner_sentence(country_name, code, evs))
    categories = {e.category for e in events if _partners(e, iso2)}
    if len(partners) >= 3:
        sentences.append(
            _sentence(
                f"Engagement with {_plural(len(partners), 'partner')} across "
                f"{_plural(len(categories), 'category', 'categories')} points to a deliberate spread of external ties "
                "rather than reliance on a single patron",
                _cites([evs[0] for _, evs in partners[:4]], per_event=1),
            )
        )
    elif len(partners) == 1:
        sentences.append(
            _sentence(
                f"The concentration on {partner_name(partners[0][0])} suggests the week's external agenda rests on a "
                "single relationship",
                _cites(partners[0][1][:2], per_event=1),
            )
        )
    return " ".join(sentences)


def _category_paragraphs(country_name: str, events: list[EventBrief]) -> list[str]:
    total = len(events)
    groups = _by_category(events)
    blocks: list[list[str]] = []
    for i, (category, evs) in enumerate(groups):
        template = _CATEGORY_OPENERS[i % len(_CATEGORY_OPENERS)]
        text = template.format(h=heading(category), n=len(evs), total=total, e=_event_ref(evs[0]))
        sentences = [_sentence(text, _cite(evs[0].citations))]
        rest = evs[1:]
        if rest:
            listed = [f"{_event_ref(e)} {_cite(e.citations)}" for e in rest[:4]]
            tail = rest[4:]
            text = f"Further {_label(category)} reporting covered {_join(listed)}"
            if tail:
                text += f", and {_plural(len(tail), 'more item')}"
            sentences.append(_sentence(text, _cite(n for e in tail for n in e.citations)))
        strong, weak = _JUDGEMENTS.get(category, ("This reporting adds to the week's picture",) * 2)
        judgement = strong if max(e.intensity for e in evs) >= 3 else weak
        sentences.append(_sentence(judgement.format(c=country_name), _cites(evs[:2], per_event=1)))
        blocks.append(sentences)
    hostile = [(c, evs) for c, evs in groups if c in HOSTILE and max(e.intensity for e in evs) >= 3]
    if hostile:
        names = _join([heading(c) for c, _ in hostile])
        share = sum(len(evs) for _, evs in hostile)
        peak = max(e.intensity for _, evs in hostile for e in evs)
        if peak >= 4 or share * 2 >= total:
            text = f"Hostile or adversarial activity ({names}, {share} of {total} events) dominates the week's risk picture"
        else:
            text = (
                f"Hostile or adversarial activity ({names}, {share} of {total} events) is the main risk factor in an "
                "otherwise cooperative picture"
            )
        closing = _sentence(text, _cites([evs[0] for _, evs in hostile]))
    else:
        closing = _sentence(
            "No hostile activity of intensity 3 or more was reported, and the week's events were predominantly "
            "cooperative, which supports a stable external posture",
            _cites(events[:3], per_event=1),
        )
    blocks[-1].append(closing)
    return [" ".join(a + b) for a, b in zip(blocks[::2], blocks[1::2] + [[]], strict=False)]


# -- military and defence analysis ---------------------------------------------------------------


def military_analysis(
    country_name: str,
    iso2: str,
    week_start: date,
    week_end: date,
    events: Sequence[EventBrief],
    annex: Sequence[AnnexEntry],
    previous: StructuredAssessment | None = None,
    previous_event_count: int | None = None,
) -> Prose:
    events = ordered(events)
    military = [e for e in events if e.category == "military_activity"]
    policy = [e for e in events if e.category == "defense_policy"]
    conflict = [e for e in events if e.category == "armed_conflict"]
    paragraphs = []
    if not military and not policy:
        paragraphs.append(
            f"No military activity or defence policy development involving {country_name} was reported in this "
            "week's sources."
        )
    if military:
        paragraphs.append(_military_paragraph(country_name, iso2, military))
    if policy:
        paragraphs.append(_policy_paragraph(country_name, iso2, policy))
    if military or policy:
        procurement = [e for e in military + policy if _PROCUREMENT.search(clean_inline(e.summary))]
        if procurement:
            closing = [_sentence(f"Procurement or delivery reporting appeared in {_join([_quoted(e) for e in procurement[:3]])}",
                                 _cites(procurement[:3]))]
        else:
            closing = ["No arms acquisitions, procurement contracts or deliveries were reported this week."]
        partners = _by_partner(military + policy, iso2)
        if partners:
            names = _join([partner_name(code) for code, _ in partners[:4]])
            focus = "training and exercises" if len(military) >= len(policy) else "agreements and policy"
            closing.append(
                _sentence(
                    f"Taken together, {country_name}'s defence effort this week centred on {focus}, with {names} as "
                    "the main counterparts",
                    _cites([evs[0] for _, evs in partners[:4]], per_event=1),
                )
            )
        paragraphs.append(" ".join(closing))
    if conflict:
        paragraphs.append(
            _sentence(
                f"Beyond planned activity, {_plural(len(conflict), 'armed conflict or terrorism event')} "
                f"({_join([_event_ref(e) for e in conflict[:3]])}) point to an operational rather than exercise-driven "
                "security posture",
                _cites(conflict[:3]),
            )
        )
    return Prose(paragraphs=paragraphs)


def _figures_sentences(events: Sequence[EventBrief]) -> list[str]:
    """One sentence with the figures (troops, countries, money, equipment) the summaries contain."""
    found = [(ev, _figures(ev.summary)) for ev in events]
    found = [(ev, figures) for ev, figures in found if figures]
    if not found:
        return []
    if len(found) == 1:
        ev, figures = found[0]
        return [_sentence(f"Reported figures for {_quoted(ev)} include {_join(figures)}", _cite(ev.citations[:2]))]
    parts = [f"{_join(figures)} for {_quoted(ev)} {_cite(ev.citations[:2])}" for ev, figures in found]
    return [_sentence(f"Reported figures include {_join(parts)}", "")]


def _military_paragraph(country_name: str, iso2: str, military: list[EventBrief]) -> str:
    lead = military[0]
    partners = _partner_names(lead, iso2)
    if len(military) == 1:
        text = f"The one military activity reported this week was {_event_ref(lead)}"
    else:
        text = f"Military activity comprised {_plural(len(military), 'reported event')}, the most significant being {_event_ref(lead)}"
    if partners:
        text += f", involving {_join(partners)}"
    sentences = [_sentence(text, _cite(lead.citations[:3]))]
    parts = summary_sentences(lead.summary, limit=1)
    if parts:
        sentences.append(_sentence(parts[0], _cite(lead.citations[:2])))
    for ev in military[1:5]:
        names = _partner_names(ev, iso2)
        extra = f" with {_join(names)}" if names else ""
        sentences.append(_sentence(f"Reporting also covered {_event_ref(ev)}{extra}", _cite(ev.citations[:2])))
    figures = _figures_sentences(military[:5])
    if figures:
        sentences.extend(figures)
    else:
        sentences.append("No troop numbers, equipment counts or budgets were reported for these activities.")
    return " ".join(sentences)


def _policy_paragraph(country_name: str, iso2: str, policy: list[EventBrief]) -> str:
    sentences = [
        _sentence(
            f"Defence policy reporting covered {_plural(len(policy), 'development')}, led by {_event_ref(policy[0])}",
            _cite(policy[0].citations[:3]),
        )
    ]
    parts = summary_sentences(policy[0].summary, limit=1)
    if parts:
        sentences.append(_sentence(parts[0], _cite(policy[0].citations[:2])))
    for ev in policy[1:5]:
        names = _partner_names(ev, iso2)
        who = f" with {_join(names)}" if names else ""
        variants = [
            f"A further step{who} was reported in {_event_ref(ev)}",
            f"Reporting also covered {_event_ref(ev)}{who}",
        ]
        sentences.append(_sentence(variants[_stable(ev.event_id, 2)], _cite(ev.citations[:2])))
    figures = _figures_sentences(policy[:5])
    if figures:
        sentences.extend(figures)
    else:
        sentences.append("No budgets, force numbers or equipment quantities were reported for these policy steps.")
    return " ".join(sentences)


# -- outlook -------------------------------------------------------------------------------------

_THEMES = {  # what continues, as a noun phrase
    "military_activity": "military exercise activity with foreign partners",
    "defense_policy": "implementation of the defence arrangements reported this week",
    "diplomacy": "high-level diplomatic engagement",
    "cybersecurity": "cyber espionage against government networks",
    "internal_security": "internal security pressure",
    "armed_conflict": "armed violence",
    "border_security": "border and territorial friction",
    "economic_security": "economic and energy security pressure",
    "humanitarian": "humanitarian pressure on relief services",
}
# Three sentence shapes for a trend, by estimative word: "will likely see", "is likely to continue", ...
_TREND_FORMS = (
    ("Over the next one to three months, {c} {will_see} further {t} ({conf} confidence), {basis}",
     {"very likely": "will very likely see", "likely": "will likely see", "roughly even chance": "may see"}),
    ("{T} {continue} in the coming weeks ({conf} confidence), {basis}",
     {"very likely": "is very likely to continue", "likely": "is likely to continue",
      "roughly even chance": "has a roughly even chance to continue"}),
    ("{c}'s security picture {feature} {t} through the next quarter ({conf} confidence), {basis}",
     {"very likely": "will very likely keep featuring", "likely": "will likely keep featuring",
      "roughly even chance": "may keep featuring"}),
)
_INDICATORS = {
    "military_activity": "announcements of new exercises, deployments or troop movements{w}",
    "defense_policy": "ratification, funding and first implementation steps of defence arrangements{w}, and any procurement announcements",
    "diplomacy": "the frequency and level of visits and agreements{w}",
    "cybersecurity": "new intrusion disclosures, attribution statements and government cyber advisories",
    "internal_security": "protests, arrests and changes in policing or emergency measures around {loc}",
    "armed_conflict": "casualty reports, new attacks and ceasefire statements around {loc}",
    "border_security": "incidents, closures and troop deployments along the border near {loc}",
    "economic_security": "energy supply, trade flows and sanctions measures{w}",
    "humanitarian": "displacement figures, aid access and relief funding for {loc}",
}
_RECOMMENDATIONS = {
    "military_activity": "Track the outcomes of {e} and any follow-on exercises{w}, and plan for changes in force posture around {loc}",
    "defense_policy": "Follow the ratification and implementation of the defence arrangements{w}, which will show whether they turn into training, funding or equipment",
    "diplomacy": "Sustain engagement{w} and watch for follow-up commitments from the meetings reported this week, such as {e}",
    "cybersecurity": "Prioritise hardening of government networks and trust in suppliers, and review exposure to the activity reported in {e}",
    "internal_security": "Review the security posture for public gatherings and critical sites around {loc}, and monitor for renewed unrest",
    "armed_conflict": "Restrict non-essential travel near {loc}, keep contingency and evacuation plans current, and monitor for escalation",
    "border_security": "Monitor crossings and deployments along the affected border near {loc}, and keep contingency plans for closures current",
    "economic_security": "Review exposure to supply, energy and trade disruption{w}, and track the measures reported in {e}",
    "humanitarian": "Coordinate with relief organisations on needs around {loc}, and plan for secondary security effects of the emergency",
}


def confidence(events: Sequence[EventBrief]) -> str:
    """"high" / "moderate" / "low" from the independent sourcing of `events` (module docstring)."""
    best = max((_sources(e) for e in events), default=0)
    outlets = {s for e in events for s in e.sources}
    if best >= 3 and len(outlets) >= 4:
        return "high"
    if best >= 2:
        return "moderate"
    return "low"


def _estimate(evs: Sequence[EventBrief]) -> str:
    """Estimative language by how much of a category the week held: 3+ events with one of intensity 3+
    is "very likely" to recur, 2 events or one of intensity 3+ "likely", else a "roughly even chance"."""
    peak = max(e.intensity for e in evs)
    if len(evs) >= 3 and peak >= 3:
        return "very likely"
    if len(evs) >= 2 or peak >= 3:
        return "likely"
    return "roughly even chance"


def _with(evs: Sequence[EventBrief], iso2: str, prefix: str = " with ") -> str:
    names: list[str] = []
    for ev in evs:
        for name in _partner_names(ev, iso2):
            if name not in names:
                names.append(name)
    return f"{prefix}{_join(names[:4])}" if names else ""


def outlook(
    country_name: str,
    iso2: str,
    week_start: date,
    week_end: date,
    events: Sequence[EventBrief],
    annex: Sequence[AnnexEntry],
    previous: StructuredAssessment | None = None,
    previous_event_count: int | None = None,
) -> Outlook:
    events = ordered(events)
    if not events:
        none = f"No reporting on {country_name} this week gives a basis for a forecast."
        return Outlook(
            short_term_trends=none,
            critical_flashpoints="No flashpoint was identified in this week's sources.",
            indicators="No category of reporting was present to derive indicators from.",
            recommendations="No specific recommendation follows from this week's sources.",
        )
    groups = _by_category(events)
    trends = []
    for i, (category, evs) in enumerate(groups[:4]):
        theme = _THEMES.get(category, f"{_label(category)} developments")
        template, verbs = _TREND_FORMS[i % len(_TREND_FORMS)]
        word = _estimate(evs)
        if len(evs) == 1:
            basis = f"following {_event_ref(evs[0])}"
        else:
            basis = f"building on {_plural(len(evs), 'event')} this week led by {_event_ref(evs[0])}"
        verb = verbs[word]
        text = template.format(
            c=country_name, t=theme, T=_cap(theme), conf=confidence(evs), basis=basis,
            will_see=verb, feature=verb, **{"continue": verb},
        )
        trends.append(_sentence(text, _cites(evs[:2])))

    flashpoints = []
    for i, place in enumerate(_places(events)[:3]):
        evs = place.events
        cats = _join(sorted({_label(e.category) for e in evs}))
        peak = max(e.intensity for e in evs)
        if i == 0:
            text = f"{place.label} is the main flashpoint this week, with {cats} reporting and a peak intensity of {peak} out of 5"
        elif i == 1:
            text = f"{place.label} also warrants attention ({cats}, peak intensity {peak} out of 5)"
        else:
            text = f"Secondary attention goes to {place.label} ({cats}, peak intensity {peak} out of 5)"
        flashpoints.append(_sentence(text, _cites(evs[:2])))
    hostile = [(c, evs) for c, evs in groups if c in HOSTILE and max(e.intensity for e in evs) >= 3]
    if hostile:
        c, evs = hostile[0]
        flashpoints.append(
            _sentence(
                f"The principal risk lies in {heading(c).lower()}, where {_event_ref(evs[0])} shows hostile activity "
                "that could recur without warning",
                _cites(evs[:2]),
            )
        )
    if not flashpoints:
        flashpoints.append("No located flashpoint could be identified in this week's sources.")

    indicators = []
    for category, evs in groups:
        if category not in _INDICATORS:
            continue
        text = _INDICATORS[category].format(w=_with(evs, iso2, " involving "), loc=_location(evs[0]))
        indicators.append(_sentence(f"For {heading(category)}, watch {text}", _cites(evs[:2], per_event=1)))

    recommendations = []
    for category, evs in groups:
        if category not in _RECOMMENDATIONS:
            continue
        text = _RECOMMENDATIONS[category].format(w=_with(evs, iso2), loc=_location(evs[0]), e=_quoted(evs[0]))
        recommendations.append(_sentence(text, _cites(evs[:2], per_event=1)))
    return Outlook(
        short_term_trends=" ".join(trends),
        critical_flashpoints=" ".join(flashpoints),
        indicators=" ".join(indicators) or "No category-specific indicator follows from this week's sources.",
        recommendations=" ".join(recommendations) or "No specific recommendation follows from this week's sources.",
    )


# -- structured assessment, executive summary, notes ---------------------------------------------


def structured_assessment(
    country_name: str,
    iso2: str,
    week_start: date,
    week_end: date,
    events: Sequence[EventBrief],
    annex: Sequence[AnnexEntry],
    previous: StructuredAssessment | None = None,
    previous_event_count: int | None = None,
) -> StructuredAssessment:
    level, reason = rule_threat_level(events)
    return StructuredAssessment(threat_level=level, level_reason=reason, hotspots=hotspots_from_events(events))


def level_change(level: str, previous: StructuredAssessment | None) -> str | None:
    """"up from Moderate last week" / "unchanged from last week" / "down from High last week" / None."""
    if previous is None:
        return None
    before = previous.threat_level
    if before == level:
        return "unchanged from last week"
    direction = "up" if THREAT_LEVELS.index(level) > THREAT_LEVELS.index(before) else "down"
    return f"{direction} from {before} last week"


def change_since_last_week(
    level: str, n_events: int, previous: StructuredAssessment | None, previous_event_count: int | None
) -> str:
    """One line for the notes: the threat level and the event count against last week's."""
    change = level_change(level, previous)
    if change is None and previous_event_count is None:
        return "Change since last week: no assessment of the previous week is available for comparison."
    parts = [f"threat level {level}" + (f", {change}" if change else "")]
    if previous_event_count is not None:
        parts.append(f"{_plural(n_events, 'event')} this week against {previous_event_count} the week before")
    return "Change since last week: " + "; ".join(parts) + "."


def executive_summary(
    country_name: str,
    iso2: str,
    week_start: date,
    week_end: date,
    events: Sequence[EventBrief],
    annex: Sequence[AnnexEntry],
    previous: StructuredAssessment | None = None,
    previous_event_count: int | None = None,
    *,
    structured: StructuredAssessment | None = None,
) -> Prose:
    """Written from the other sections: the threat level (of `structured` when given), the top three
    developments, the dominant categories and the change since last week."""
    events = ordered(events)
    structured = structured or structured_assessment(country_name, iso2, week_start, week_end, events, annex)
    level = structured.threat_level
    change = level_change(level, previous)
    period = f"{_day_short(week_start)} to {_day(_period_end(week_start, week_end))}"
    if not events:
        text = (
            f"No security-relevant events involving {country_name} were found in the sources for {period}; the "
            f"threat level is assessed as {level}" + (f", {change}" if change else "") + "."
        )
        return Prose(paragraphs=[text])
    first = (
        f"During the period of {period}, {_plural(len(events), 'security-relevant event')} involving {country_name} "
        f"were drawn from {_plural(len(annex), 'article')}, and the overall threat level is assessed as {level}"
    )
    if change:
        first += f", {change}"
    if previous_event_count is not None:
        first += f" ({len(events)} events against {previous_event_count} the week before)"
    sentences = [_sentence(first, _cites(events[:3], per_event=1))]
    top = significant_events(events)[:3]
    if len(top) == 1:
        sentences.append(_sentence(f"The most significant development was {_event_ref(top[0])}", _cite(top[0].citations[:2])))
    else:
        refs = [f"{_event_ref(e)} {_cite(e.citations[:2])}" for e in top[1:]]
        sentences.append(
            _sentence(
                f"The most significant development was {_event_ref(top[0])} {_cite(top[0].citations[:2])}, followed by "
                f"{_join(refs)}",
                "",
            )
        )
    parts = summary_sentences(top[0].summary, limit=1)
    if parts:
        sentences.append(_sentence(parts[0], _cite(top[0].citations[:2])))
    partners = _by_partner(events, iso2)[:3]
    if partners:
        sentences.append(
            _sentence(
                f"Externally, the week's reporting centred on {_join([partner_name(code) for code, _ in partners])}",
                _cites([evs[0] for _, evs in partners], per_event=1),
            )
        )
    groups = _by_category(events)
    dominant = [f"{heading(c)} ({_plural(len(evs), 'event')})" for c, evs in groups[:2]]
    sentences.append(
        _sentence(
            f"Reporting was dominated by {_join(dominant)}, with {_plural(len(groups), 'category', 'categories')} "
            "represented in all",
            _cites([evs[0] for _, evs in groups[:2]], per_event=1),
        )
    )
    s = threat_score(events)
    high = sum(1 for e in events if e.intensity >= 3)
    sentences.append(
        _sentence(
            f"The {level} level reflects {_plural(high, 'event')} of intensity 3 or more and a rule score of {s.score}",
            _cites([e for e in events if e.intensity >= 3][:3] or events[:1], per_event=1),
        )
    )
    return Prose(paragraphs=[" ".join(sentences)])


def intelligence_gaps(events: Sequence[EventBrief]) -> str:
    """One line on thin coverage: events resting on a single source, categories with no reporting."""
    events = ordered(events)
    single = [e for e in events if _sources(e) <= 1]
    present = {e.category for e in events}
    missing = [heading(c) for c in CATEGORIES if c not in present]
    parts = []
    if not events:
        return "Intelligence gaps: no event was found this week; every category lacks reporting."
    if single:
        named = _join([_quoted(e) for e in single[:3]] + ([_plural(len(single) - 3, "more")] if len(single) > 3 else []))
        parts.append(f"{len(single)} of {_plural(len(events), 'event')} rest on a single source ({named})")
    else:
        parts.append(f"every one of the {_plural(len(events), 'event')} is carried by two or more independent sources")
    if missing:
        parts.append(f"no reporting this week on {_join(missing)}")
    return "Intelligence gaps: " + "; ".join(parts) + "."


def _period_end(week_start: date, week_end: date | datetime) -> date:
    """The week's end as the reports show it: the next Wednesday (an inclusive Tuesday is moved on a day)."""
    end = week_end.date() if isinstance(week_end, datetime) else week_end
    if (end - week_start).days == 6:
        end += timedelta(days=1)
    return end


@dataclass
class OfflineSections:
    key_developments: KeyDevelopments
    geopolitical_impact: Prose
    military_analysis: Prose
    outlook: Outlook
    executive_summary: Prose
    structured_assessment: StructuredAssessment
    notes: list[str]


SECTION_WRITERS = {
    "key_developments": key_developments,
    "geopolitical_impact": geopolitical_impact,
    "military_analysis": military_analysis,
    "outlook": outlook,
    "executive_summary": executive_summary,
    "structured_assessment": structured_assessment,
}


def write_offline(
    country_name: str,
    iso2: str,
    week_start: date,
    week_end: date,
    events: Sequence[EventBrief],
    annex: Sequence[AnnexEntry],
    previous: StructuredAssessment | None = None,
    previous_event_count: int | None = None,
) -> OfflineSections:
    """Every section and the notes (offline notice, intelligence gaps, change since last week)."""
    args = (country_name, iso2, week_start, week_end, list(events), list(annex), previous, previous_event_count)
    structured = structured_assessment(*args)
    return OfflineSections(
        key_developments=key_developments(*args),
        geopolitical_impact=geopolitical_impact(*args),
        military_analysis=military_analysis(*args),
        outlook=outlook(*args),
        executive_summary=executive_summary(*args, structured=structured),
        structured_assessment=structured,
        notes=[
            OFFLINE_NOTICE,
            intelligence_gaps(events),
            change_since_last_week(structured.threat_level, len(events), previous, previous_event_count),
        ],
    )


def offline_document(
    country_name: str,
    iso2: str,
    week_start: date,
    week_end: date,
    events: Sequence[EventBrief],
    annex: Sequence[AnnexEntry],
    previous: StructuredAssessment | None = None,
    previous_event_count: int | None = None,
    generated_at: datetime | None = None,
) -> ReportDocument:
    """The whole report written offline, ready for watchfloor.report.render's renderers."""
    from watchfloor.report.render import ReportDocument

    sections = write_offline(country_name, iso2, week_start, week_end, events, annex, previous, previous_event_count)
    return ReportDocument(
        country_name=country_name,
        iso2=iso2,
        week_start=week_start,
        week_end=week_end,
        generated_by="offline",
        executive_summary=sections.executive_summary,
        key_developments=sections.key_developments,
        geopolitical_impact=sections.geopolitical_impact,
        military_analysis=sections.military_analysis,
        outlook=sections.outlook,
        structured=sections.structured_assessment,
        annex=list(annex),
        notes=sections.notes,
        generated_at=generated_at or datetime.now(UTC),
    )
