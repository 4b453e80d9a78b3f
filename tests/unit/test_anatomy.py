"""The article anatomy: headline cleaning, datelines, sentences, leads and zones, with the
differences between readers that watchfloor/text/anatomy.py documents (each pinned here)."""

from __future__ import annotations

from watchfloor.text.anatomy import (
    ANY_OUTLET, SUMMARY_RULE, article_zones, clean_headline, dateline, lead_sentences, short_title, split_sentences,
    summary_sentences, without_outlet_suffix,
)  # fmt: skip


def test_headline_without_wire_prefix_outlet_and_own_source():
    assert clean_headline("UPDATE 2-Mongolia signs deal with Turkey - Reuters") == "Mongolia signs deal with Turkey"
    assert clean_headline("Talks resume | www.example.co.uk") == "Talks resume"
    assert clean_headline("Mongolia signs deal - Steppe Wire", "Steppe Wire") == "Mongolia signs deal"


def test_outlet_suffix_names_known_or_any():
    assert without_outlet_suffix("Mongolia signs deal - Steppe Wire") == "Mongolia signs deal - Steppe Wire"
    assert without_outlet_suffix("Mongolia signs deal - Steppe Wire", ANY_OUTLET) == "Mongolia signs deal"
    assert short_title("Mongolia and Turkey sign three defence documents - Montsame") == (
        "Mongolia and Turkey sign three defence documents")


def test_wire_dateline_and_loose_opening():
    wire = dateline("WARSAW, June 25 (Reuters) - Poland said")
    assert (wire.group("place"), wire.group("date")) == ("WARSAW", "June 25")
    assert wire.group(0) == "WARSAW, June 25 (Reuters) - "
    assert dateline("Tokyo - Japan said") is None
    assert dateline("Tokyo - Japan said", loose=True).group(0) == "Tokyo - "
    assert dateline("By Anna Koper and Pawel Florkiewicz, WARSAW - Poland", loose=True).end() == 46


def test_article_and_summary_sentence_rules():
    text = "Vice President T.W. Arrighi spoke at 9 a.m. Monday. Then he left."
    assert split_sentences(text) == ["Vice President T.W.", "Arrighi spoke at 9 a.m. Monday.", "Then he left."]
    assert split_sentences(text, SUMMARY_RULE) == ["Vice President T.W. Arrighi spoke at 9 a.m.", "Monday.",
                                                   "Then he left."]
    linked = 'Ford said so. [USN:X TEXT:"y"] of models moved.'
    assert split_sentences(linked) == ["Ford said so.", '[USN:X TEXT:"y"] of models moved.']
    assert summary_sentences(linked) == [linked]


def test_lead_sentences_drop_datelines_captions_and_repeats():
    sentences, found = lead_sentences(
        "WARSAW, June 25 (Reuters) - Poland and Mongolia signed a defence cooperation deal on Wednesday. "
        "FILE PHOTO: soldiers march in Warsaw.",
        "Photo: soldiers\nPoland and Mongolia signed a defence cooperation deal on Wednesday.\n"
        "The deal covers training and joint exercises over three years.",
        "Poland, Mongolia sign defence deal",
    )
    assert found == "WARSAW, June 25 (Reuters)"
    assert sentences == ["Poland and Mongolia signed a defence cooperation deal on Wednesday.",
                         "The deal covers training and joint exercises over three years."]


def test_zones_leave_out_outlet_and_dateline_and_keep_ordinal_dates_in_the_lead():
    zones = article_zones("Sejm votes on defence budget - reuters.com",
                          "WARSAW, Aug 21 (Reuters) - Poland's parliament voted for a record defence budget. "
                          "The vote was 400 to 20.", "")
    assert zones.headline == "Sejm votes on defence budget"
    assert zones.story[slice(*zones.datelines[0])] == "WARSAW, Aug 21 (Reuters) - "
    assert zones.story[slice(*zones.leads[0])] == "Poland's parliament voted for a record defence budget."
    german = article_zones("x", "Das Kabinett solle am 2. September grünes Licht geben. Dann mehr dazu.", "")
    assert german.story[slice(*german.leads[0])] == "Das Kabinett solle am 2. September grünes Licht geben."


def test_the_lead_skips_a_page_header_with_its_update_stamps():
    """Devdiscourse's pages open with the title, the credit and two timestamps, then a share bar:
    none of it may reach an event's summary (issue 11, item 8)."""
    headline = "North Korea fires suspected ballistic missile, Japanese authorities say"
    body = (f"{headline} Reuters | Updated: 20-08-2026 14:10 IST | Created: 20-08-2026 14:10 IST\nSHARE\n"
            "Key Takeaways AI Summary\nAnalyzing article...\nNorth Korea fired a suspected ballistic missile towards "
            "the sea on Thursday, Japan's government and coastguard said. The missile appeared to have landed "
            "outside Japan's exclusive economic zone, NHK reported.")
    sentences, _ = lead_sentences("", body, headline)
    assert sentences[0].startswith("North Korea fired a suspected ballistic missile towards the sea on Thursday")
    assert not any("Updated:" in s or "SHARE" in s or "Analyzing" in s for s in sentences)
    # the stamp line alone (no share bar after it) goes too
    sentences, _ = lead_sentences("", "Summary of the story first. Desk | Updated: 19-08-2026 14:19 IST | Created: "
                                  "19-08-2026 14:19 IST\nThe border guards detained twelve smugglers at the crossing.", "x")
    assert sentences == ["The border guards detained twelve smugglers at the crossing."]
