"""Places: the curated supplement resolves, GeoNames cities resolve, ambiguous names resolve in context."""

from __future__ import annotations

import re

import pytest
import yaml

from watchfloor.places.index import CONFIG_PATH, Place, PlaceMention, Places

CONFIG = yaml.safe_load(CONFIG_PATH.read_text(encoding="utf-8"))
SUPPLEMENT = CONFIG["places"]


@pytest.fixture(scope="module")
def places() -> Places:
    return Places.load()


def found(places: Places, text: str) -> list[tuple[str, str, str]]:
    return [(m.surface, m.place.name, m.place.iso2) for m in places.find(text)]


# -- the curated supplement --------------------------------------------------------------------


def test_supplement_is_documented_and_well_formed():
    assert 30 <= len(SUPPLEMENT) <= 100
    header = CONFIG_PATH.read_text(encoding="utf-8").split("\nplaces:", 1)[0]
    assert "Sources:" in header and "geonames" in header and "wikipedia" in header
    names = [entry["name"] for entry in SUPPLEMENT]
    assert len(names) == len(set(names))
    for entry in SUPPLEMENT:
        assert re.fullmatch(r"[A-Z]{2}", entry["iso2"]), entry
        assert -90 <= entry["lat"] <= 90 and -180 <= entry["lng"] <= 180, entry
        for value in (entry["lat"], entry["lng"]):
            decimals = len(repr(float(value)).split(".")[1].rstrip("0"))
            assert decimals <= 4, entry  # 3-4 decimals at most: no false precision
        assert entry["accuracy"] in {"site", "town", "centre", "approximate"}, entry
        assert entry["source"].strip(), entry
        assert entry["kind"], entry


@pytest.mark.parametrize("entry", SUPPLEMENT, ids=lambda e: e["name"])
def test_every_supplement_name_and_alias_resolves(places, entry):
    for name in [entry["name"], *entry.get("aliases", ())]:
        mentions = places.find(f"Officials said it happened in {name} on Monday.")
        assert mentions, name
        mention = mentions[0]
        assert mention.surface == name
        assert mention.place.name == entry["name"]
        assert mention.place.iso2 == entry["iso2"]
        assert (mention.place.lat, mention.place.lng) == (round(entry["lat"], 4), round(entry["lng"], 4))
        assert mention.place.kind == entry["kind"]


def test_supplement_places_are_listed(places):
    assert [p.name for p in places.curated] == [entry["name"] for entry in SUPPLEMENT]


@pytest.mark.parametrize("city", CONFIG["cities"], ids=lambda c: c["name"])
def test_city_spellings_resolve_to_the_usual_english_name(places, city):
    for alias in city["aliases"]:
        mentions = places.find(f"Talks were held in {alias} on Monday.")
        assert [(m.place.name, m.place.iso2) for m in mentions] == [(city["name"], city["iso2"])], alias


# -- matching ----------------------------------------------------------------------------------


def test_mentions_carry_place_surface_and_offset(places):
    text = "The Khaan Quest exercise opened at the Five Hills Training Area outside Ulaanbaatar."
    mentions = places.find(text)
    assert [type(m) for m in mentions] == [PlaceMention, PlaceMention]
    five_hills, capital = mentions
    assert five_hills.place == Place("Five Hills Training Area", "MN", 47.781, 106.575, "training_area", 0)
    assert text[five_hills.start:five_hills.start + len(five_hills.surface)] == "Five Hills Training Area"
    assert capital.place.name == "Ulaanbaatar" and capital.place.kind == "capital"


def test_longest_match_and_whole_words(places):
    assert found(places, "Loadings at the Rzeszów-Jasionka Airport resumed.")[0][1] == "Rzeszów-Jasionka Airport"
    assert found(places, "Minsker and Warsawian are not places; Rzeszowiak neither.") == []
    assert found(places, "Sri Lanka lost the first test.") == []  # "Lanka" is a town in India


def test_diacritics_capitals_and_variants(places):
    assert found(places, "Drones were seen near Bialystok.")[0][1:] == ("Białystok", "PL")
    assert found(places, "WARSAW, June 25 (Reuters) - Poland said")[0][1:] == ("Warsaw", "PL")
    assert found(places, "Shops in Kiev reopened.")[0][1:] == ("Kyiv", "UA")
    assert found(places, "Officials in Saryagash said")[0][1:] == ("Saryagash", "KZ")


def test_capital_of_a_country(places):
    assert places.capital("MN").name == "Ulaanbaatar"
    assert places.capital("KZ").name == "Astana"
    assert places.capital("US").name == "Washington, D.C."
    assert places.capital("PL") == Place("Warsaw", "PL", 52.2298, 21.0118, "capital", 1702139)
    with pytest.raises(KeyError):
        places.capital("ZZ")


def test_load_is_cached():
    assert Places.load() is Places.load()


# -- ambiguity ---------------------------------------------------------------------------------


def test_st_petersburg_is_in_russia_unless_florida_is_said(places):
    assert found(places, "US officials attended the forum in St. Petersburg.") == [
        ("St. Petersburg", "Saint Petersburg", "RU")
    ]
    assert found(places, "A storm hit St. Petersburg, Florida, on Monday.") == [
        ("St. Petersburg, Florida", "St. Petersburg", "US")
    ]
    assert found(places, "Flooding in St Petersburg closed schools across Florida.")[0][1:] == ("St. Petersburg", "US")


def test_washington_is_the_us_capital_unless_the_state_is_said(places):
    assert found(places, "The MoU was signed in Washington on Wednesday.") == [
        ("Washington", "Washington, D.C.", "US")
    ]
    assert found(places, "British and US officials met in Washington.")[0][1] == "Washington, D.C."
    assert found(places, "Wildfires spread across Washington state.") == [("Washington state", "Washington", "US")]
    assert found(places, "The state of Washington sued.")[0][1] == "Washington"
    state = places.find("Wildfires spread across Washington state.")[0].place
    assert state.kind == "admin_region"
    assert found(places, "Police in Seattle, Washington, arrested two men.") == [
        ("Seattle, Washington", "Seattle", "US")
    ]
    assert found(places, "The Washington Post reported from Kyiv.") == [("Kyiv", "Kyiv", "UA")]


def test_georgia_by_context(places):
    assert found(places, "Protests in Tbilisi, Georgia, continued.") == [("Tbilisi, Georgia", "Tbilisi", "GE")]
    assert found(places, "A tornado hit Atlanta, Georgia, on Monday.") == [("Atlanta, Georgia", "Atlanta", "US")]
    assert found(places, "The state of Georgia sued the company.") == [("state of Georgia", "Georgia", "US")]
    assert found(places, "Georgia's parliament passed the law; the Georgian opposition protested.") == []
    assert found(places, "Voters in Georgia and Atlanta suburbs turned out.")[0][1:] == ("Georgia", "US")
    assert found(places, "Bremen, Georgia, police said.") == [("Bremen, Georgia", "Georgia", "US")]


def test_common_words_count_only_in_a_place_context(places):
    assert found(places, "Police said the suspect fled.") == []
    assert found(places, "Fishermen in Police, near Szczecin, protested.")[0][1:] == ("Police", "PL")
    assert found(places, "Talks will split the coalition. Split decisions are rare.") == []
    assert found(places, "Fans gathered in Split on Sunday.")[0][1:] == ("Split", "HR")
    assert found(places, "In March the plan was agreed.") == []


def test_people_are_not_places(places):
    assert found(places, "Andrew Jackson was president. Jackson said no.") == []
    assert found(places, "George Soriano and Mason Miller each threw a hitless inning.") == []


def test_namesakes_prefer_a_mentioned_country_then_the_most_populous(places):
    assert found(places, "Clashes in Tripoli between Lebanese army units.")[0][1:] == ("Tripoli", "LB")
    assert found(places, "Clashes in Tripoli on Friday.")[0][1:] == ("Tripoli", "LY")
    assert found(places, "Protests in Valencia as Spain votes.")[0][1:] == ("Valencia", "ES")
    assert found(places, "Power cuts in Valencia, Venezuela.") == [("Valencia, Venezuela", "Valencia", "VE")]
    assert found(places, "A fire in Paris, Texas.") == [("Paris, Texas", "Paris", "US")]
    assert found(places, "A fire in Paris; US tourists were evacuated.")[0][1:] == ("Paris", "FR")
    assert found(places, "Students in Moscow, Idaho, rallied.")[0][1:] == ("Moscow", "US")
    assert found(places, "Officials in Moscow said the US would respond.")[0][1:] == ("Moscow", "RU")
