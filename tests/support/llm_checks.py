"""What must hold of any model-written section, whatever the model wrote: the helpers the scripted
and the real-server tests share."""

from __future__ import annotations

from collections.abc import Collection

from watchfloor.report.citations import citations_in
from watchfloor.report.llm.grounding import Evidence, sentences
from watchfloor.report.model import KeyDevelopments, Outlook, Prose, StructuredAssessment
from watchfloor.report.sections import SectionResult


def model_sentences(result: SectionResult, rule_texts: Collection[str] = ()) -> list[str]:
    """Every sentence of the model's in a section: the validators' notes and the `rule_texts` standing in
    for withheld ones (the rule's threat-level reason, the event places' details) aside."""
    content = result.content
    if isinstance(content, KeyDevelopments):
        texts = [i.text for i in content.items]
    elif isinstance(content, Prose):
        texts = content.paragraphs
    elif isinstance(content, Outlook):
        texts = [getattr(content, f) for f in Outlook.model_fields]
    else:
        assert isinstance(content, StructuredAssessment)
        texts = [content.level_reason, *(h.detail for h in content.hotspots)]
    found = [s for t in texts for s in sentences(t)]
    return [s for s in found if not any(s in text for text in [*result.notes, *rule_texts])]


def uncited(result: SectionResult, annex_numbers: Collection[int], rule_texts: Collection[str] = ()) -> list[str]:
    """The model's sentences printed without a citation of their own to an annex entry (must be none)."""
    return [s for s in model_sentences(result, rule_texts)
            if not citations_in(s) or not set(citations_in(s)) <= set(annex_numbers)]


def ungrounded(result: SectionResult, evidence: Evidence, rule_texts: Collection[str] = ()) -> list[str]:
    """The model's printed sentences stating a name or figure that what they cite does not hold (must be none)."""
    return [s for s in model_sentences(result, rule_texts) if evidence.unsupported(s, citations_in(s))]
