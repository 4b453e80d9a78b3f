"""The offline Outlook and Forecast: trends with estimative language and confidence, flashpoints,
indicators to watch and recommendations, all from the week's categories and places.

Confidence follows the sourcing of the events behind a judgement: high when one of them is carried
by 3 or more independent sources and 4 or more outlets report the category, moderate when one is
carried by 2 or more sources, low when everything rests on single sources.
"""

from __future__ import annotations

from collections.abc import Sequence

from watchfloor.core.taxonomy import heading
from watchfloor.report.model import Briefing, EventBrief, Outlook
from watchfloor.report.offline.grouping import by_category, hostile_groups
from watchfloor.report.offline.partners import partners_phrase
from watchfloor.report.offline.templates import INDICATORS, RECOMMENDATIONS, THEMES, TREND_FORMS
from watchfloor.report.rules.annex import independent_sources, ordered
from watchfloor.report.rules.hotspots import places_of
from watchfloor.report.wording import (
    capitalised,
    category_label,
    cite_events,
    event_ref,
    joined,
    location,
    plural,
    quoted,
    sentence,
)


def confidence(events: Sequence[EventBrief]) -> str:
    """"high" / "moderate" / "low" from the independent sourcing of `events` (module docstring)."""
    best = max((independent_sources(e) for e in events), default=0)
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


def outlook(briefing: Briefing) -> Outlook:
    country_name, iso2 = briefing.country_name, briefing.iso2
    events = ordered(briefing.events)
    if not events:
        none = f"No reporting on {country_name} this week gives a basis for a forecast."
        return Outlook(
            short_term_trends=none,
            critical_flashpoints="No flashpoint was identified in this week's sources.",
            indicators="No category of reporting was present to derive indicators from.",
            recommendations="No specific recommendation follows from this week's sources.",
        )
    groups = by_category(events)
    trends = []
    for i, (category, evs) in enumerate(groups[:4]):
        theme = THEMES.get(category, f"{category_label(category)} developments")
        template, verbs = TREND_FORMS[i % len(TREND_FORMS)]
        word = _estimate(evs)
        if len(evs) == 1:
            basis = f"following {event_ref(evs[0])}"
        else:
            basis = f"building on {plural(len(evs), 'event')} this week led by {event_ref(evs[0])}"
        verb = verbs[word]
        text = template.format(
            c=country_name, t=theme, T=capitalised(theme), conf=confidence(evs), basis=basis,
            will_see=verb, feature=verb, **{"continue": verb},
        )
        trends.append(sentence(text, cite_events(evs[:2])))

    flashpoints = []
    for i, place in enumerate(places_of(events)[:3]):
        evs = place.events
        cats = joined(sorted({category_label(e.category) for e in evs}))
        peak = max(e.intensity for e in evs)
        if i == 0:
            text = f"{place.label} is the main flashpoint this week, with {cats} reporting and a peak intensity of {peak} out of 5"
        elif i == 1:
            text = f"{place.label} also warrants attention ({cats}, peak intensity {peak} out of 5)"
        else:
            text = f"Secondary attention goes to {place.label} ({cats}, peak intensity {peak} out of 5)"
        flashpoints.append(sentence(text, cite_events(evs[:2])))
    hostile = hostile_groups(groups)
    if hostile:
        c, evs = hostile[0]
        flashpoints.append(
            sentence(
                f"The principal risk lies in {heading(c).lower()}, where {event_ref(evs[0])} shows hostile activity "
                "that could recur without warning",
                cite_events(evs[:2]),
            )
        )
    if not flashpoints:
        flashpoints.append("No located flashpoint could be identified in this week's sources.")

    indicators = []
    for category, evs in groups:
        if category not in INDICATORS:
            continue
        text = INDICATORS[category].format(w=partners_phrase(evs, iso2), loc=location(evs[0]))
        indicators.append(sentence(f"For {heading(category)}, watch {text}", cite_events(evs[:2], per_event=1)))

    recommendations = []
    for category, evs in groups:
        if category not in RECOMMENDATIONS:
            continue
        text = RECOMMENDATIONS[category].format(w=partners_phrase(evs, iso2), loc=location(evs[0]), e=quoted(evs[0]))
        recommendations.append(sentence(text, cite_events(evs[:2], per_event=1)))
    return Outlook(
        short_term_trends=" ".join(trends),
        critical_flashpoints=" ".join(flashpoints),
        indicators=" ".join(indicators) or "No category-specific indicator follows from this week's sources.",
        recommendations=" ".join(recommendations) or "No specific recommendation follows from this week's sources.",
    )
