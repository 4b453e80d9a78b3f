"""Checks on everything an LLM returns, before it reaches a report.

The LLM read untrusted article text, so its reply is treated as untrusted too:

- text fields become plain text (:func:`plain_text`): HTML tags, scripts, Markdown markup,
  control and bidi/format characters removed, entities decoded;
- citations ``[n]`` / ``[n, m]`` / ``[n-m]`` must name an annex entry (:func:`strip_invalid_citations`);
  valid ones are rewritten in the project's ``[n][m]`` form;
- every sentence passes the citation gate (grounding.py): one without a valid citation of its own
  is withheld and counted, never given the events' citations;
- key developments keep only known categories (a heading or a near-spelling is mapped to its
  slug, else the events' category; otherwise the item is dropped) and known event ids;
- the structured assessment (:func:`bound_structured`) moves at most one step from the rule-based
  threat level, and only with a cited reason (else the rule's level and reason stand), and names
  only places found in the events (same label after
  :func:`~watchfloor.report.rules.hotspots.loose_place_key`, or within ``MATCH_KM`` of one; the
  event place's label and coordinates are used), with intensities in 1..5 and within one step of
  the place's event intensity, duplicates merged, at most ``MAX_HOTSPOTS``.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Collection, Mapping, Sequence

from watchfloor.places.geo import km
from watchfloor.report.citations import citations_in
from watchfloor.report.llm.grounding import Gate
from watchfloor.report.model import (
    INSUFFICIENT_REPORTING,
    THREAT_LEVELS,
    TITLE_MAX_CHARS,
    EventBrief,
    Hotspot,
    KeyDevelopment,
    KeyDevelopments,
    Outlook,
    Prose,
    StructuredAssessment,
)
from watchfloor.report.rules.hotspots import MATCH_KM, MAX_HOTSPOTS, has_point, loose_place_key

MAX_TEXT_CHARS = 4000
MAX_DETAIL_CHARS = 300

# -- plain text ------------------------------------------------------------------------------------

_BLOCK_ELEMENTS = re.compile(r"(?is)<(script|style|iframe|object|embed|svg|math|template)\b.*?(?:</\1\s*>|$)")
_COMMENT = re.compile(r"(?s)<!--.*?(?:-->|$)")
_TAG = re.compile(r"</?[A-Za-z!?/][^<>]*>")
_PARENS = r"\((?:[^()]|\([^()]*\))*\)"  # (url) with one level of nested parentheses
_MD_IMAGE = re.compile(r"!\[([^\]]*)\]" + _PARENS)
_MD_LINK = re.compile(r"\[([^\]]+)\]" + _PARENS)
_MD_REF_DEF = re.compile(r"(?m)^\s*\[[^\]]+\]:\s*\S+.*$")
_MD_EMPHASIS = re.compile(r"(\*\*|__|~~)(.+?)\1")
_MD_ITALIC = re.compile(r"(?<![\w*])\*(?!\s)([^*\n]+?)(?<!\s)\*(?![\w*])|(?<![\w_])_(?!\s)([^_\n]+?)(?<!\s)_(?![\w_])")
_MD_LINE_START = re.compile(r"(?m)^\s*(?:#{1,6}\s+|>\s*|[-*+•]\s+|\d{1,2}[.)]\s+)")
_URL_SCHEME = re.compile(r"(?i)\b(?:javascript|vbscript)\s*:|\bdata:(?=[a-z]+/)")


def plain_text(text: str | None, max_chars: int = MAX_TEXT_CHARS) -> str:
    """`text` as one line of plain text: no HTML, no Markdown markup, no control or format characters."""
    text = unicodedata.normalize("NFC", text or "")
    for _ in range(3):  # entities may hide tags: decode, strip, until stable
        before = text
        text = html.unescape(text)
        text = _BLOCK_ELEMENTS.sub(" ", text)
        text = _COMMENT.sub(" ", text)
        text = _TAG.sub(" ", text)
        if text == before:
            break
    text = _MD_REF_DEF.sub(" ", text)
    text = _MD_IMAGE.sub(lambda m: m.group(1), text)
    text = _MD_LINK.sub(lambda m: f"[{m.group(1)}]" if m.group(1).strip().isdigit() else m.group(1), text)
    text = _MD_LINE_START.sub(" ", text)
    text = _MD_EMPHASIS.sub(r"\2", text)
    text = _MD_ITALIC.sub(lambda m: m.group(1) or m.group(2), text)
    text = text.replace("`", "")
    text = _URL_SCHEME.sub("", text)
    text = "".join(
        " " if unicodedata.category(ch) in ("Zl", "Zp") or ch in "\t\n\r\v\f\x85" else ch
        for ch in text
        if ch in "\t\n\r\v\f\x85" or unicodedata.category(ch) not in ("Cc", "Cf", "Cs", "Co", "Cn")
    )
    text = re.sub(r"\s+", " ", text).strip()
    if len(text) > max_chars:
        cut = text[:max_chars]
        end = max(cut.rfind(". "), cut.rfind("]. "))
        text = cut[: end + 1] if end > max_chars // 2 else cut.rstrip() + "…"
    return text


# -- citations -------------------------------------------------------------------------------------

_CITATION_GROUP = re.compile(r"\[\s*(\d{1,6}(?:\s*(?:,|;|-|–|—)\s*\d{1,6})*)\s*\]")


def _numbers(group: str) -> list[int]:
    out: list[int] = []
    for part in re.split(r"\s*[,;]\s*", group.strip()):
        bounds = re.split(r"\s*[-–—]\s*", part)
        if len(bounds) == 2 and bounds[0].isdigit() and bounds[1].isdigit():
            lo, hi = int(bounds[0]), int(bounds[1])
            out.extend(range(lo, hi + 1) if 0 <= hi - lo <= 20 else (lo, hi))
        else:
            out.extend(int(b) for b in bounds if b.isdigit())
    return out


def strip_invalid_citations(text: str, valid: set[int] | Collection[int]) -> tuple[str, int]:
    """`text` without citations to numbers outside `valid`, and how many were removed.

    Groups are rewritten as ``[1][3]``; a group left empty disappears with its space.
    """
    valid = set(valid)
    removed = 0

    def fix(match: re.Match) -> str:
        nonlocal removed
        numbers = list(dict.fromkeys(_numbers(match.group(1))))
        kept = [n for n in numbers if n in valid]
        removed += len(numbers) - len(kept)
        return "".join(f"[{n}]" for n in kept)

    text = _CITATION_GROUP.sub(fix, text or "")
    text = re.sub(r"\]\s+\[(?=\d)", "][", text)
    text = re.sub(r"[ \t]+([.,;:!?)])", r"\1", text)
    text = re.sub(r"\(\s*\)", "", text)
    text = re.sub(r"[ \t]{2,}", " ", text)
    text = re.sub(r"([.,;:])(?=\1)", "", text)
    return text.strip(), removed


def _clean_text(text: str, valid: set[int]) -> tuple[str, int]:
    return strip_invalid_citations(plain_text(text), valid)


# -- key developments, prose, outlook ------------------------------------------------------------


def _slug(text: str) -> str:
    text = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode().lower()
    text = text.replace("defence", "defense")
    return re.sub(r"[^a-z]+", "_", text).strip("_")


def _category(raw: str, categories: Mapping[str, str] | Collection[str]) -> str | None:
    slugs = list(categories)
    wanted = _slug(raw)
    if wanted in slugs:
        return wanted
    if isinstance(categories, Mapping):
        for slug, heading in categories.items():
            if wanted == _slug(heading):
                return slug
    # "military_activities" / "cyber_security": compare without underscores and a plural s
    squashed = wanted.replace("_", "").rstrip("s")
    for slug in slugs:
        if slug.replace("_", "").rstrip("s") == squashed:
            return slug
    return None


def clean_key_developments(
    kd: KeyDevelopments,
    valid_numbers: set[int] | Collection[int],
    known_event_ids: Collection[str],
    categories: Mapping[str, str] | Collection[str],
    *,
    events: Sequence[EventBrief] | None = None,
    gate: Gate | None = None,
) -> tuple[KeyDevelopments, int]:
    """Key developments with plain, cited texts, known categories and event ids; and the removal count.

    An item with an unknown category takes its events' category (when `events` are given) or is
    dropped. Its text keeps only the sentences passing `gate`; an item left without text is dropped,
    and so are items without a title and duplicates. `removed` counts the dropped items, citations
    and event ids (the gate counts the withheld sentences).
    """
    valid = set(valid_numbers)
    gate = gate if gate is not None else Gate(valid)
    known = set(known_event_ids)
    by_id = {ev.event_id: ev for ev in events or ()}
    headings = list(categories.values()) if isinstance(categories, Mapping) else []
    removed = 0
    items: list[KeyDevelopment] = []
    seen: set[tuple[str, str]] = set()
    for item in kd.items:
        event_ids = list(dict.fromkeys(e for e in item.event_ids if e in known))
        removed += len(item.event_ids) - len(event_ids)
        item_events = [by_id[e] for e in event_ids if e in by_id]
        category = _category(item.category, categories)
        if category is None and item_events and _category(item_events[0].category, categories):
            category = _category(item_events[0].category, categories)
        title = _title(item.title, headings)
        key = (category or "", title.casefold())
        if category is None or not title or key in seen:
            removed += 1
            continue
        text, n = _clean_text(item.text, valid)
        removed += n
        text = gate.keep(text)
        if not text:
            removed += 1
            continue
        seen.add(key)
        if item_events:
            source_count = len({s for ev in item_events for s in ev.sources}) or max(ev.source_count for ev in item_events)
        else:
            source_count = min(max(0, item.source_count), len(set(citations_in(text))) or len(valid))
        items.append(
            KeyDevelopment(category=category, title=title, text=text, source_count=source_count, event_ids=event_ids)
        )
    return KeyDevelopments(items=items), removed


def _title(raw: str, headings: Sequence[str]) -> str:
    title = plain_text(raw, max_chars=400)
    title, _ = strip_invalid_citations(title, set())
    for heading in headings:  # "Military Activities and Exercises: Khaan Quest" -> "Khaan Quest"
        if title.casefold().startswith(heading.casefold() + ":"):
            title = title[len(heading) + 1 :].strip()
    title = title.strip(" .:;-")
    if len(title) > TITLE_MAX_CHARS:
        title = title[: TITLE_MAX_CHARS - 1].rsplit(" ", 1)[0].rstrip(" ,;:-") + "…"
    return title


def clean_prose(prose: Prose, valid_numbers: set[int] | Collection[int], gate: Gate | None = None) -> tuple[Prose, int]:
    """Paragraphs as plain text with valid citations only, each sentence through `gate`; empty paragraphs dropped."""
    valid = set(valid_numbers)
    gate = gate if gate is not None else Gate(valid)
    removed = 0
    paragraphs = []
    for paragraph in prose.paragraphs:
        text, n = _clean_text(paragraph, valid)
        removed += n
        text = gate.keep(text)
        if text:
            paragraphs.append(text)
    return Prose(paragraphs=paragraphs), removed


def clean_outlook(outlook: Outlook, valid_numbers: set[int] | Collection[int], gate: Gate | None = None) -> tuple[Outlook, int]:
    """The four outlook texts as plain text with valid citations only, each sentence through `gate`."""
    valid = set(valid_numbers)
    gate = gate if gate is not None else Gate(valid)
    removed = 0
    values = {}
    for name in Outlook.model_fields:
        text, n = _clean_text(getattr(outlook, name), valid)
        values[name] = gate.keep(text)
        removed += n
    return Outlook(**values), removed


# -- places and the structured assessment --------------------------------------------------------


def _match_place(spot: Hotspot, allowed: Sequence[Hotspot]) -> int | None:
    """Index of the allowed place `spot` names: same normalised label (or its first comma part), else the nearest within MATCH_KM."""
    key = loose_place_key(spot.label)
    head = loose_place_key(spot.label.split(",")[0])
    for i, place in enumerate(allowed):
        pkey = loose_place_key(place.label)
        if key and (key == pkey or head == pkey or key == loose_place_key(place.label.split(",")[0])):
            return i
    if not has_point(spot.lat, spot.lng):
        return None
    best, best_km = None, MATCH_KM
    for i, place in enumerate(allowed):
        if has_point(place.lat, place.lng):
            d = km(spot.lat, spot.lng, place.lat, place.lng)
            if d <= best_km:
                best, best_km = i, d
    return best


def bound_structured(
    sa: StructuredAssessment,
    rule_level: str,
    allowed_places: Sequence[Hotspot],
    *,
    valid_numbers: Collection[int] | None = None,
    max_hotspots: int = MAX_HOTSPOTS,
    gate: Gate | None = None,
    rule_reason: str = "",
) -> tuple[StructuredAssessment, list[str]]:
    """The assessment bounded by the rule level and the event places; notes say what was changed.

    With a `gate`, the reason and each hotspot's detail keep only their cited sentences: a level
    whose reason keeps none falls back to the rule's level and `rule_reason`, a detail to the event
    place's own."""
    if rule_level not in (*THREAT_LEVELS, INSUFFICIENT_REPORTING):
        raise ValueError(f"unknown rule threat level {rule_level!r}")
    valid = set(valid_numbers) if valid_numbers is not None else None
    level, reason, notes = _bounded_level(sa, rule_level, valid, gate, rule_reason)

    # hotspots: only event places, at their coordinates
    merged: dict[int, Hotspot] = {}
    order: list[int] = []
    invented: list[str] = []
    adjusted = 0
    duplicates = 0
    for spot in sa.hotspots:
        i = _match_place(spot, allowed_places)
        if i is None:
            invented.append(plain_text(spot.label, max_chars=60) or "(unnamed)")
            continue
        place = allowed_places[i]
        intensity = min(5, max(1, int(spot.intensity)))
        bounded = min(max(intensity, place.intensity - 1), place.intensity + 1)
        bounded = min(5, max(1, bounded))
        adjusted += bounded != spot.intensity
        detail = plain_text(spot.detail, max_chars=MAX_DETAIL_CHARS)
        if valid is not None:
            detail, _ = strip_invalid_citations(detail, valid)
        if gate is not None:
            detail = gate.keep(detail)
        if i in merged:
            duplicates += 1
            prior = merged[i]
            if detail and detail not in prior.detail:
                detail = f"{prior.detail} {detail}".strip()[:MAX_DETAIL_CHARS]
            else:
                detail = prior.detail
            merged[i] = prior.model_copy(update={"detail": detail, "intensity": max(prior.intensity, bounded)})
            continue
        merged[i] = Hotspot(
            label=place.label, detail=detail or place.detail, lat=place.lat, lng=place.lng, intensity=bounded
        )
        order.append(i)
    if invented:
        notes.append(
            f"Dropped {len(invented)} hotspot(s) that are not places of this week's events: "
            f"{', '.join(list(dict.fromkeys(invented))[:8])}."
        )
    if duplicates:
        notes.append(f"Merged {duplicates} duplicate hotspot(s).")
    if adjusted:
        notes.append(f"Adjusted the intensity of {adjusted} hotspot(s) to 1-5 and within one step of the place's events.")
    hotspots = [merged[i] for i in order]
    if len(hotspots) > max_hotspots:
        notes.append(f"Kept the first {max_hotspots} of {len(hotspots)} hotspots.")
        hotspots = hotspots[:max_hotspots]
    return StructuredAssessment(threat_level=level, level_reason=reason, hotspots=hotspots), notes


def _bounded_level(sa: StructuredAssessment, rule_level: str, valid: set[int] | None, gate: Gate | None,
                   rule_reason: str) -> tuple[str, str, list[str]]:
    """The level at most one step from the rule, moved only with a (cited, when gated) reason."""
    notes: list[str] = []
    if rule_level == INSUFFICIENT_REPORTING:  # too little reporting for any level: no writer makes one
        if sa.threat_level != rule_level:
            notes.append(f"The writer proposed threat level {sa.threat_level}; the week's reporting is too thin for a "
                         "level, so the rule's Insufficient reporting stands.")
        return rule_level, rule_reason, notes
    rule_i = THREAT_LEVELS.index(rule_level)
    proposed = sa.threat_level if sa.threat_level in THREAT_LEVELS else rule_level
    proposed_i = THREAT_LEVELS.index(proposed)
    reason = plain_text(sa.level_reason, max_chars=1200)
    if valid is not None:
        reason, n = strip_invalid_citations(reason, valid)
        if n:
            notes.append(f"Removed {n} invalid citation(s) from the threat level reason.")
    if gate is not None:
        reason = gate.keep(reason)
        if not reason:
            notes.append(f"The writer's reason for threat level {proposed} had no citation of its own; the rule-based "
                         f"level {rule_level} and its reason stand.")
            return rule_level, rule_reason or f"Rule-based level {rule_level}.", notes
    level_i = min(max(proposed_i, rule_i - 1), rule_i + 1)
    level = THREAT_LEVELS[level_i]
    if level_i != proposed_i:
        note = (
            f"The writer proposed threat level {proposed}, more than one step from the rule-based level {rule_level}; "
            f"it was bounded to {level}."
        )
        notes.append(note)
        reason = f"{reason} {note}".strip()
    elif level_i != rule_i and rule_level.casefold() not in reason.casefold():
        reason = f"{reason} (Moved one step from the rule-based level {rule_level}.)".strip()
    if not reason:
        reason = f"Rule-based level {rule_level}."
    return level, reason, notes
