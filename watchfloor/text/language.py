"""The language of an article: py3langid over its opening text, the feed's declared language for
short or uncertain texts, reported as ISO 639-1."""

from __future__ import annotations

import functools
import re

import numpy as np
from py3langid.langid import MODEL_FILE, LanguageIdentifier

# ISO 639-1 (2023), plus "und" (undetermined, ISO 639-2).
VALID_LANGUAGE_CODES: frozenset[str] = frozenset(
    """
    aa ab ae af ak am an ar as av ay az ba be bg bi bm bn bo br bs ca ce ch co cr cs cu cv cy
    da de dv dz ee el en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi ho hr ht
    hu hy hz ia id ie ig ii ik io is it iu ja jv ka kg ki kj kk kl km kn ko kr ks ku kv kw ky
    la lb lg li ln lo lt lu lv mg mh mi mk ml mn mr ms mt my na nb nd ne ng nl nn no nr nv ny
    oc oj om or os pa pi pl ps pt qu rm rn ro ru rw sa sc sd se sg si sk sl sm sn so sq sr ss
    st su sv sw ta te tg th ti tk tl tn to tr ts tt tw ty ug uk ur uz ve vi vo wa wo xh yi yo
    za zh zu und
    """.split()
)

# py3langid labels that are not ISO 639-1 but belong to a macrolanguage that is.
_LANGID_TO_ISO639_1 = {
    "ary": "ar", "arz": "ar", "yue": "zh", "wuu": "zh", "uzs": "uz",
    "gug": "gn", "kik": "ki", "fuv": "ff", "sdh": "ku",
}  # fmt: skip
# Deprecated ISO 639-1 codes still seen in feed metadata.
_RETIRED_CODES = {"iw": "he", "in": "id", "ji": "yi", "jw": "jv", "mo": "ro"}
_SUBTAG_SEPARATOR = re.compile(r"[-_\s]")

MIN_LETTERS = 20  # below this the detector guesses; the declared language is better
MIN_CONFIDENCE = 0.5  # normalised probability under which the declared language wins
# Detection cost grows with each UTF-8 byte and ~60 words settle the language: the sample is
# the first 400 bytes (400 characters of Latin text, ~130 of CJK, still dozens of words).
_SAMPLE_BYTES = 400


@functools.cache
def _identifier() -> LanguageIdentifier:
    """The py3langid model restricted to languages we can report as ISO 639-1."""
    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    reportable = [
        label
        for label in identifier.labels
        if label in VALID_LANGUAGE_CODES or label in _LANGID_TO_ISO639_1
    ]
    identifier.set_languages(reportable)
    # The column subset comes back Fortran-ordered, which makes the per-feature row lookups
    # of classify() about 30% slower than on the full model.
    identifier.nb_ptc = np.ascontiguousarray(identifier.nb_ptc)
    return identifier


LANGUAGE_NAMES = {
    "en": "English", "ja": "Japanese", "es": "Spanish", "pt": "Portuguese", "fr": "French", "de": "German",
    "zh": "Chinese", "ru": "Russian", "ko": "Korean", "ar": "Arabic", "pl": "Polish", "uk": "Ukrainian",
    "it": "Italian", "nl": "Dutch", "tr": "Turkish", "fa": "Persian", "he": "Hebrew", "hi": "Hindi",
    "mn": "Mongolian", "kk": "Kazakh", "vi": "Vietnamese", "id": "Indonesian", "th": "Thai",
}  # fmt: skip


def language_name(code: str | None) -> str:
    """"ja" -> "Japanese"; an unlisted code is shown as itself, upper-cased."""
    code = (code or "").lower()
    return LANGUAGE_NAMES.get(code, code.upper() or "an unidentified language")


def detect_language(text: str, hint: str | None = None) -> str:
    """ISO 639-1 code of `text`; the declared `hint` (e.g. "en-US") decides when the text is
    too short or the detector unsure. "und" only when there is neither text nor hint."""
    declared = _primary_subtag(hint)
    sample = text[:_SAMPLE_BYTES] if text else ""  # characters: at least as many bytes
    letters = _count_letters(sample, up_to=MIN_LETTERS)
    if declared and letters < MIN_LETTERS:
        return declared
    if not letters:
        return "und"
    # py3langid drops a character cut in half at the end
    label, confidence = _identifier().classify(sample.encode()[:_SAMPLE_BYTES])
    if declared and confidence < MIN_CONFIDENCE:
        return declared
    return _LANGID_TO_ISO639_1.get(label, label)


def _count_letters(text: str, up_to: int) -> int:
    count = 0
    for char in text:
        if char.isalpha():
            count += 1
            if count == up_to:
                break
    return count


def _primary_subtag(hint: str | None) -> str | None:
    if not hint:
        return None
    primary = _SUBTAG_SEPARATOR.split(hint.strip().lower(), maxsplit=1)[0]
    primary = _RETIRED_CODES.get(primary, primary)
    return primary if primary in VALID_LANGUAGE_CODES and primary != "und" else None
