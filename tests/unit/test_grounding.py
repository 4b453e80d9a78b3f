"""The grounding gate: a model's sentence is printed only when the names and figures it states are in
what it cites (the annex entry, its excerpt, the events citing it) or in the report's own vocabulary."""

from __future__ import annotations

import pytest

from tests.support.mongolia_week import WEEK, mongolia_week
from watchfloor.report.llm.grounding import Gate, evidence_of
from watchfloor.report.sections import briefing_of


@pytest.fixture(scope="module")
def gate_of():
    events, annex = mongolia_week()
    briefing = briefing_of("MN", "Mongolia", WEEK, events, annex)
    cites = {e.event_id: e.citations[0] for e in briefing.events}
    return (lambda: Gate({a.number for a in briefing.annex}, evidence_of(briefing))), cites


@pytest.mark.parametrize("sentence", [
    "Khaan Quest 2026 opened at the Five Hills Training Area on June 24, 2026 [{kq}].",
    "Over 1,100 troops from 18 countries took part [{kq}].",
    "Indian and South Korean troops rehearsed peacekeeping operations [{kq}].",  # demonyms share their country's stem
    "Russian hackers known as APT29 compromised Mongolian government websites [{apt29}].",
    "Defence Minister Batlut Damba visited Kyrgyzstan [{kg}].",
    "The Ministry of Defence expects more exercises in the next 1 to 3 months (moderate confidence) [{kq}].",
])
def test_sentences_stating_what_their_citations_hold_are_kept(gate_of, sentence):
    make, cites = gate_of
    gate = make()
    text = sentence.format(**cites)
    assert gate.keep(text) == text and gate.withheld == 0


@pytest.mark.parametrize("sentence", [
    "Over 5,000 troops from 18 countries took part [{kq}].",  # a figure no cited text holds
    "Khaan Quest 2026 was opened by President Putin [{kq}].",  # a name no cited text holds
    "Russian hackers known as APT29 compromised the websites [{kq}].",  # true of the week, not of what it cites
    "Mongolia and Turkey signed 12 documents in Ankara [{tr}].",
    "Li Qiang met the prime minister in Beijing [{cn}].",  # Dalian, not Beijing
])
def test_sentences_stating_what_their_citations_do_not_hold_are_withheld(gate_of, sentence):
    make, cites = gate_of
    gate = make()
    assert gate.keep(sentence.format(**cites)) == ""
    assert (gate.withheld, gate.ungrounded) == (1, 1)


def test_a_sentence_is_grounded_by_any_of_its_citations(gate_of):
    make, cites = gate_of
    gate = make()
    text = f"Russian hackers known as APT29 struck while Khaan Quest 2026 went on [{cites['kq']}][{cites['apt29']}]."
    assert gate.keep(text) == text


def test_ungrounded_sentences_make_a_section_fall_back(gate_of):
    make, cites = gate_of
    gate = make()
    gate.keep(f"General Ivanov commanded 40,000 troops [{cites['kq']}]. Washington sent 7 ships [{cites['kq']}]. "
              f"Khaan Quest 2026 opened at the Five Hills Training Area [{cites['kq']}].")
    assert (gate.sentences, gate.kept, gate.ungrounded) == (3, 1, 2) and gate.too_little()


def test_sentences_in_another_script_are_withheld(gate_of):
    make, cites = gate_of
    gate = make()
    assert gate.keep(f"Mongolia stressed its role in multilateral合作 [{cites['kg']}].") == ""
    assert (gate.withheld, gate.ungrounded) == (1, 0)
    kept = f"Defence Minister Batlut Damba and Yaşar Güler signed three documents in Ankara [{cites['tr']}]."
    assert make().keep(kept) == kept  # Latin letters with diacritics are English text's names


@pytest.mark.parametrize("ending", ["support for Mongolia's", "support for Mongolia’s", "talks with the", "in Ankara and"])
def test_sentences_cut_off_are_withheld(gate_of, ending):
    make, cites = gate_of
    gate = make()
    assert gate.keep(f"Mongolia and Turkey signed three documents with {ending} [{cites['tr']}].") == ""
    assert make().keep(f"Mongolia and Turkey signed three documents in Ankara [{cites['tr']}].")
