"""The category of an article's happening: a weighted keyword rule over its title and lead.

Each category of the taxonomy has a phrase table with weights 3 (defining: "cyberattack",
"border guards", "military exercise"), 2 (typical: "drills", "talks", "smuggling") or 1 (weak:
"military", "border"). A distinct phrase found in the title scores twice its weight, in the lead
once. A noise table (sport, markets, business and monetary news, court cases between companies,
culture and celebrity, obituaries, weather, consumer technology) scores the same way. A phrase
inside a longer phrase of another table counts only for the longer one ("defence cooperation" is
defence policy, not diplomacy's "cooperation"). The article is an event of the best-scoring
category when
    best >= MIN_CATEGORY_SCORE (4)  and  best > noise,
where best is the highest-scoring category among those with a weight-3 phrase in the title or
lead (ties go to the taxonomy order); otherwise it is no event: generic words such as "talks",
"court" or "oil" alone never make an event. The form of a diplomatic act ("signs", "MoU",
"agreement", "cooperation") counts for diplomacy, but when diplomacy wins only through it, a
security subject that scores at least as much as the diplomacy proper takes the event (an MoU on
network security is cybersecurity, a defence cooperation agreement defence policy). Explainers,
fact boxes, opinion, book reviews, podcasts, quizzes and picture galleries are never events.
The tables are RULES and NOISE in watchfloor.events.phrases; classify(title, lead) applies the rule.
"""

from __future__ import annotations

import re

from watchfloor.core.taxonomy import CATEGORIES
from watchfloor.events.phrases import NOISE, NOT_EVENT_FORMAT, RULES

MIN_CATEGORY_SCORE = 4
TITLE_WEIGHT = 2


def classify(title: str, lead: str) -> str | None:
    """The category slug of a title and lead by the keyword rule of the module docstring, or None."""
    return keyword_reading(title, lead)[0]


def keyword_reading(title: str, lead: str) -> tuple[str | None, dict[str, int]]:
    """The rule's category (classify) and the subject scores (subject_scores), from one scan."""
    scores, anchored, diplomatic_form = _scores(title, lead)
    subjects = {**scores, "diplomacy": scores["diplomacy"] - diplomatic_form}
    return _decided(title, scores, anchored, diplomatic_form), subjects


def _decided(title: str, scores: dict[str, int], anchored: set[str], diplomatic_form: int) -> str | None:
    if NOT_EVENT_FORMAT.search(title):
        return None
    noise = scores["noise"]
    eligible = [slug for slug in CATEGORIES if slug in anchored]
    if not eligible:
        return None
    best = max(eligible, key=lambda slug: (scores[slug], -_ORDER[slug]))
    if best == "diplomacy":
        # Subject over form: the agreement's subject wins when it outweighs the diplomacy proper.
        core = scores["diplomacy"] - diplomatic_form
        subjects = [slug for slug in eligible if slug != "diplomacy" and scores[slug] >= max(core, MIN_CATEGORY_SCORE)]
        if subjects:
            best = max(subjects, key=lambda slug: (scores[slug], -_ORDER[slug]))
    if scores[best] < MIN_CATEGORY_SCORE or scores[best] <= noise:
        return None
    return best


def category_scores(title: str, lead: str) -> dict[str, int]:
    """Score of every category and of "noise": distinct phrases, title x2. A phrase inside a longer
    phrase of another table counts only there ("defence cooperation" is defence policy, not also
    diplomacy's "cooperation")."""
    return _scores(title, lead)[0]


def subject_scores(title: str, lead: str) -> dict[str, int]:
    """category_scores without the form of a diplomatic act ("signs", "MoU", "agreement") in
    diplomacy's: what the article is about, which the model's probabilities are weighed with
    (SecurityModel.blended_category), as the rule itself puts subject over form."""
    return keyword_reading(title, lead)[1]


def _scores(title: str, lead: str) -> tuple[dict[str, int], set[str], int]:
    totals = dict.fromkeys([*CATEGORIES, "noise"], 0)
    anchored: set[str] = set()  # categories with a defining (weight 3) phrase
    diplomatic_form = 0
    for text, factor in ((title, TITLE_WEIGHT), (lead, 1)):
        for table, phrases in _phrases(text).items():
            score = factor * sum(phrases.values())
            if table == "diplomatic_form":
                table, diplomatic_form = "diplomacy", diplomatic_form + score
            totals[table] += score
            if 3 in phrases.values():
                anchored.add(table)
    return totals, anchored, diplomatic_form



def _compile(table: dict[int, list[str]]) -> re.Pattern:
    groups = [rf"(?P<w{weight}>{'|'.join(fragments)})" for weight, fragments in sorted(table.items(), reverse=True)]
    return re.compile(r"(?<![\w-])(?:" + "|".join(groups) + r")(?![\w-])", re.IGNORECASE)


_PATTERNS = {**{slug: _compile(table) for slug, table in RULES.items()}, "noise": _compile(NOISE)}
_ORDER = {slug: position for position, slug in enumerate(CATEGORIES)}


def _phrases(text: str) -> dict[str, dict[str, int]]:
    """Per table, the distinct phrases found in `text` and their weights (longest phrase wins)."""
    found = []
    for table, pattern in _PATTERNS.items():
        for match in pattern.finditer(text):
            found.append((match.start(), match.end(), table, int(match.lastgroup[1:]), match.group(0).lower()))
    found.sort(key=lambda f: (f[0] - f[1], f[0]))  # longest first
    kept: list[tuple[int, int, str]] = []
    weights: dict[str, dict[str, int]] = {}
    for start, end, table, weight, phrase in found:
        if any(s <= start and end <= e and (e - s) > (end - start) and t != table and t != "diplomatic_form"
               for s, e, t in kept):
            continue  # inside a longer phrase of another table (a diplomatic form never hides a subject)
        kept.append((start, end, table))
        phrases = weights.setdefault(table, {})
        phrases[phrase] = max(phrases.get(phrase, 0), weight)
    return weights
