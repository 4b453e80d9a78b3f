"""Citations in report text: the annex numbers ``[n]`` that end every factual sentence.

One form everywhere: one number per bracket, ``[1][3]``, sorted and without repeats when written.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

CITATION = re.compile(r"\[(\d+)\]")


def citations_in(text: str | None) -> list[int]:
    """The annex numbers cited in `text`, in order, with repeats."""
    return [int(n) for n in CITATION.findall(text or "")]


def cite(numbers: Iterable[int]) -> str:
    """The citation of `numbers`: "[1][3]" (sorted, each once); "" for none."""
    return "".join(f"[{n}]" for n in sorted(set(numbers)))
