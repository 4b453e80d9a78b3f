"""The offline Executive Summary, written from the other sections' findings: level, top developments,
partners, dominant categories and the change since last week."""

from __future__ import annotations

from watchfloor.core.taxonomy import heading
from watchfloor.report.citations import cite
from watchfloor.report.dates import period_end, prose_date, prose_day
from watchfloor.report.model import INSUFFICIENT_REPORTING, Briefing, Prose, StructuredAssessment
from watchfloor.report.offline.grouping import by_category, by_partner
from watchfloor.report.offline.key_developments import significant_events
from watchfloor.report.offline.partners import partner_name
from watchfloor.report.offline.structured import structured_assessment
from watchfloor.report.rules.annex import ordered
from watchfloor.report.rules.since_last_week import level_change
from watchfloor.report.rules.threat_level import MIN_EVENTS, MIN_PUBLISHERS, reporting_text, threat_score
from watchfloor.report.wording import cite_events, english_summary, event_ref, joined, plural, sentence
from watchfloor.text.anatomy import summary_sentences


def executive_summary(briefing: Briefing, structured: StructuredAssessment | None = None) -> Prose:
    """The threat level is `structured`'s when given (the section as written, perhaps by an LLM), else the rule's."""
    country_name, annex, previous_event_count = briefing.country_name, briefing.annex, briefing.previous_event_count
    events = ordered(briefing.events)
    structured = structured or structured_assessment(briefing)
    level = structured.threat_level
    change = level_change(level, briefing.previous)
    period = f"{prose_day(briefing.week)} to {prose_date(period_end(briefing.week, briefing.week_end))}"
    if not events:
        text = (
            f"No security-relevant events involving {country_name} were found in the sources for {period}; "
            + _assessed(level, "the threat level") + (f", {change}" if change else "") + "."
        )
        return Prose(paragraphs=[text])
    first = (
        f"During the period of {period}, {plural(len(events), 'security-relevant event')} involving {country_name} "
        f"were drawn from {plural(len(annex), 'article')}, and " + _assessed(level, "the overall threat level")
    )
    if change:
        first += f", {change}"
    if previous_event_count is not None:
        first += f" ({len(events)} events against {previous_event_count} the week before)"
    sentences = [sentence(first, cite_events(events[:3], per_event=1))]
    top = significant_events(events)[:3]
    if len(top) == 1:
        sentences.append(sentence(f"The most significant development was {event_ref(top[0])}", cite(top[0].citations[:2])))
    else:
        refs = [f"{event_ref(e)} {cite(e.citations[:2])}" for e in top[1:]]
        sentences.append(
            sentence(
                f"The most significant development was {event_ref(top[0])} {cite(top[0].citations[:2])}, followed by "
                f"{joined(refs)}",
                "",
            )
        )
    parts = summary_sentences(english_summary(top[0]), limit=1)
    if parts:
        sentences.append(sentence(parts[0], cite(top[0].citations[:2])))
    partners = by_partner(events, briefing.iso2)[:3]
    if partners:
        sentences.append(
            sentence(
                f"Externally, the week's reporting centred on {joined([partner_name(code) for code, _ in partners])}",
                cite_events([evs[0] for _, evs in partners], per_event=1),
            )
        )
    groups = by_category(events)
    dominant = [f"{heading(c)} ({plural(len(evs), 'event')})" for c, evs in groups[:2]]
    sentences.append(
        sentence(
            f"Reporting was dominated by {joined(dominant)}, with {plural(len(groups), 'category', 'categories')} "
            "represented in all",
            cite_events([evs[0] for _, evs in groups[:2]], per_event=1),
        )
    )
    s = threat_score(events)
    high = sum(1 for e in events if e.intensity >= 3)
    if level == INSUFFICIENT_REPORTING:
        text = (f"No level is given: {reporting_text(len(events), s.publishers)} fall short of the {MIN_EVENTS} events "
                f"from {MIN_PUBLISHERS} newsrooms the method needs, and its score of {s.score} would read {s.scored_level}")
    else:
        text = f"The {level} level reflects {plural(high, 'event')} of intensity 3 or more and a rule score of {s.score}"
    sentences.append(sentence(text, cite_events([e for e in events if e.intensity >= 3][:3] or events[:1], per_event=1)))
    return Prose(paragraphs=[" ".join(sentences)])


def _assessed(level: str, subject: str) -> str:
    """"the threat level is assessed as Moderate", or that reporting was too thin for one."""
    if level == INSUFFICIENT_REPORTING:
        return "reporting was too thin to assess a threat level"
    return f"{subject} is assessed as {level}"
