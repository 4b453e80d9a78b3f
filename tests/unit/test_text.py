from __future__ import annotations

import pytest

from watchfloor.text.html import html_to_text
from watchfloor.text.language import VALID_LANGUAGE_CODES, detect_language

ARTICLE_HTML = """<!doctype html>
<html><head><title>Page title</title><style>p { color: red }</style>
<script>window.tracking = "<p>not text</p>";</script></head>
<body>
  <h1>Mongolia holds   border drills</h1>
  <p>Troops from <b>Mongolia</b> and
     <a href="/kz">Kazakhstan</a> took part.</p>
  <div hidden>Subscribe to our newsletter</div>
  <span aria-hidden="true">Share icon</span>
  <div style="display: none">Advert one</div>
  <div style="margin:0; VISIBILITY:hidden">Advert two</div>
  <div style="border: none">Kept despite its style</div>
  <noscript>Enable JavaScript</noscript>
  <iframe src="https://ads.example"></iframe>
  <svg><text>chart label</text></svg>
  <ul><li>First point</li><li>Second point</li></ul>
  Line one<br>Line two
  <table><tr><td>Cell A</td><td>Cell B</td></tr></table>
</body></html>"""


def test_visible_text_only_one_line_per_block() -> None:
    assert html_to_text(ARTICLE_HTML) == (
        "Mongolia holds border drills\n"
        "Troops from Mongolia and Kazakhstan took part.\n"
        "Kept despite its style\n"
        "First point\n"
        "Second point\n"
        "Line one\n"
        "Line two\n"
        "Cell A Cell B"
    )


@pytest.mark.parametrize(
    "hidden",
    [
        "<script>alert(1)</script>",
        "<style>.x{}</style>",
        "<template><p>later</p></template>",
        '<p hidden="hidden">secret</p>',
        '<p aria-hidden="TRUE">secret</p>',
        '<p style="display:none">secret</p>',
        '<p style="visibility : hidden">secret</p>',
        "<object><p>plugin</p></object>",
    ],
)
def test_hidden_and_non_content_elements_are_dropped(hidden: str) -> None:
    assert html_to_text(f"<p>before</p>{hidden}<p>after</p>") == "before\nafter"


def test_entities_are_decoded_including_double_escaped_ones_once() -> None:
    assert html_to_text("<p>AT&amp;T &amp;amp; Rock&nbsp;&amp;&nbsp;Roll &eacute;t&#233;</p>") == (
        "AT&T & Rock & Roll été"
    )
    # decoded once more, not forever: "&amp;amp;lt;" stays an entity after two decodings
    assert html_to_text("<p>&amp;amp;lt;</p>") == "&lt;"


def test_the_second_decoding_needs_complete_entities() -> None:
    # "&para" without a semicolon would be "¶" to a lenient decoder
    assert html_to_text("<p>R&amp;D at example.com/?id=1&amp;param=2</p>") == "R&D at example.com/?id=1&param=2"
    assert html_to_text("R&D at example.com/?id=1&param=2") == "R&D at example.com/?id=1&param=2"


def test_escaped_markup_as_some_feeds_ship_it_is_parsed() -> None:
    assert html_to_text("&lt;p&gt;Hello&lt;/p&gt;&lt;p&gt;World &amp;amp; more&lt;/p&gt;") == (
        "Hello\nWorld & more"
    )


def test_plain_text_passes_through_with_normalised_whitespace() -> None:
    text = "  Ulaanbaatar,\t\tJune 25 \u00a0(Reuters)\u200b -  talks &amp; trade \n\n\n  Second   paragraph  "
    assert html_to_text(text) == "Ulaanbaatar, June 25 (Reuters) - talks & trade\nSecond paragraph"


def test_angle_brackets_that_are_not_tags_stay_text() -> None:
    assert html_to_text("Inflation 5%<6% & x<y; fans <3 Ulaanbaatar") == "Inflation 5%<6% & x<y; fans <3 Ulaanbaatar"


def test_source_newlines_inside_a_paragraph_are_spaces() -> None:
    assert html_to_text("<p>one\ntwo\r\nthree</p>") == "one two three"


@pytest.mark.parametrize("empty", [None, "", "   ", "<p> </p>", "<script>x()</script>"])
def test_empty_input_gives_empty_text(empty: str | None) -> None:
    assert html_to_text(empty) == ""


SENTENCES = {
    "en": "The defence ministry said on Tuesday that troops would take part in joint exercises near the border.",
    "fr": "Le ministère de la Défense a annoncé mardi que des troupes participeraient à des exercices "
    "conjoints près de la frontière.",
    "de": "Das Verteidigungsministerium teilte am Dienstag mit, dass Truppen an gemeinsamen Übungen nahe "
    "der Grenze teilnehmen werden.",
    "es": "El ministerio de Defensa anunció el martes que las tropas participarán en ejercicios conjuntos "
    "cerca de la frontera.",
    "ru": "Министерство обороны заявило во вторник, что войска примут участие в совместных учениях вблизи границы.",
    "ja": "防衛省は火曜日、部隊が国境付近で行われる合同演習に参加すると発表した。",
    "zh": "国防部周二表示，部队将参加在边境附近举行的联合军事演习，以加强地区安全合作。",
    "ar": "أعلنت وزارة الدفاع يوم الثلاثاء أن القوات ستشارك في مناورات عسكرية مشتركة قرب الحدود.",
}


@pytest.mark.parametrize("language", sorted(SENTENCES))
def test_detects_the_language_of_real_sentences(language: str) -> None:
    assert detect_language(SENTENCES[language]) == language


@pytest.mark.parametrize("language", sorted(SENTENCES))
def test_a_wrong_hint_does_not_override_a_clear_sentence(language: str) -> None:
    wrong = "de" if language != "de" else "en"
    assert detect_language(SENTENCES[language], hint=wrong) == language


@pytest.mark.parametrize(
    ("text", "hint", "expected"),
    [
        ("Tokyo 2026", "ja", "ja"),  # too short to judge: the declared language
        ("Nur-Sultan", "kk-KZ", "kk"),
        ("Breaking news", "en-US", "en"),
        ("Breaking news", "EN_gb", "en"),
        ("Wall Street", "iw", "he"),  # retired code for Hebrew
        ("", "de", "de"),
        ("2026-06-25 12:00", "fr", "fr"),  # no letters at all
        ("", None, "und"),
        ("12:00 — 42 %", None, "und"),
    ],
)
def test_short_text_falls_back_to_the_hint(text: str, hint: str | None, expected: str) -> None:
    assert detect_language(text, hint=hint) == expected


def test_unusable_hint_is_ignored() -> None:
    assert detect_language(SENTENCES["fr"], hint="english") == "fr"
    assert detect_language("", hint="xx-YY") == "und"


@pytest.mark.parametrize(
    "text",
    ["Hello world", "Wall Street", "Putin meets Xi", "ok", "Кыргызстан", "مرحبا", "Ὅμηρος", "Zürich", "x" * 5],
)
def test_result_is_always_an_iso_639_1_code_or_und(text: str) -> None:
    assert detect_language(text) in VALID_LANGUAGE_CODES
    assert len(detect_language(text)) == 2


def test_valid_language_codes() -> None:
    assert {"en", "ja", "de", "mn", "kk", "ky", "und"} <= VALID_LANGUAGE_CODES
    assert all(len(code) == 2 for code in VALID_LANGUAGE_CODES - {"und"})
    assert "eng" not in VALID_LANGUAGE_CODES
    assert "xx" not in VALID_LANGUAGE_CODES
