"""Event quality against the hand-labelled pairs of tests/data/events_eval/labels.csv.

Three measures, each computed on one split (`tune` or `heldout`) of the labels:
- membership: an article is in a country's events exactly when it is relevant to the country and a
  security matter (precision and recall over the labelled pairs);
- category: of the labelled security pairs that are in the events, the share whose event has the
  labelled category;
- merging: over pairs of labelled security articles of one country that are both in the events,
  "same event" against "same happening" (pairwise precision and recall).
Every figure is also given per country and per language.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path

import polars as pl

from tests.support.factories import TEST_DATA

LABELS = TEST_DATA / "events_eval" / "labels.csv"


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    def add(self, predicted: bool, actual: bool) -> None:
        self.tp += predicted and actual
        self.fp += predicted and not actual
        self.fn += actual and not predicted


@dataclass
class Quality:
    membership: dict[str, Counts] = field(default_factory=lambda: defaultdict(Counts))
    category: dict[str, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0]))  # right, judged
    merging: dict[str, Counts] = field(default_factory=lambda: defaultdict(Counts))

    def category_accuracy(self, key: str = "all") -> float:
        right, judged = self.category[key]
        return right / judged if judged else 1.0

    def table(self) -> str:
        keys = sorted(set(self.membership) | set(self.merging), key=lambda k: (k != "all", k))
        lines = [f"{'':12} {'member P':>8} {'member R':>8} {'n':>4} {'cat acc':>7} {'n':>4} {'merge P':>7} {'merge R':>7} {'pairs':>5}"]
        for key in keys:
            m, g = self.membership[key], self.merging[key]
            lines.append(f"{key:12} {m.precision:8.3f} {m.recall:8.3f} {m.tp + m.fn:4d} {self.category_accuracy(key):7.3f} "
                         f"{self.category[key][1]:4d} {g.precision:7.3f} {g.recall:7.3f} {g.tp + g.fn:5d}")
        return "\n".join(lines)


def labels(split: str | None = None, path: Path = LABELS) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return [r for r in rows if split is None or r["split"] == split]


def measure(events: pl.DataFrame, pairs: list[dict]) -> Quality:
    """The three measures of `events` (the events table, any countries) on the labelled `pairs`."""
    event_of: dict[tuple[str, str], tuple[str, str]] = {}  # (country, article_id) -> (event_id, category)
    for country, event_id, category, article_ids in events.select("country", "event_id", "category", "article_ids").iter_rows():
        for article_id in article_ids:
            event_of.setdefault((country, article_id), (event_id, category))
    quality = Quality()
    for pair in pairs:
        found = event_of.get((pair["country"], pair["article_id"]))
        actual = pair["security"] == "1"
        for key in ("all", pair["country"], f"lang:{pair['language']}"):
            quality.membership[key].add(found is not None, actual)
            if found is not None and actual:
                quality.category[key][0] += found[1] == pair["category"]
                quality.category[key][1] += 1
    by_country: dict[str, list[dict]] = defaultdict(list)
    for pair in pairs:
        if pair["security"] == "1" and (pair["country"], pair["article_id"]) in event_of:
            by_country[pair["country"]].append(pair)
    for country, members in by_country.items():
        for a, b in combinations(members, 2):
            same_event = event_of[(country, a["article_id"])][0] == event_of[(country, b["article_id"])][0]
            same_happening = a["happening"] == b["happening"]
            languages = {f"lang:{a['language']}", f"lang:{b['language']}"}
            for key in ("all", country, *languages):
                quality.merging[key].add(same_event, same_happening)
    return quality
