from __future__ import annotations

import pytest

from watchfloor.places.gazetteer import CITY_MIN_POPULATION, Gazetteer, Mention


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return Gazetteer.load()


def found(gazetteer: Gazetteer, text: str) -> list[tuple[str, str, str]]:
    return [(m.iso2, m.surface, m.kind) for m in gazetteer.mentions(text)]


def test_load_is_cached() -> None:
    assert Gazetteer.load() is Gazetteer.load()


def test_mongolia_by_capital_and_demonym(gazetteer: Gazetteer) -> None:
    text = "Mongolian troops joined the Khaan Quest exercise outside Ulaanbaatar on Tuesday, the defence ministry said."
    assert gazetteer.mentions(text) == [
        Mention("MN", "Mongolian", "demonym", 0),
        Mention("MN", "Ulaanbaatar", "capital", text.index("Ulaanbaatar")),
    ]
    assert gazetteer.countries("Talks resumed in Ulan Bator.") == ["MN"]


def test_central_asia(gazetteer: Gazetteer) -> None:
    text = (
        "Kazakh officials met Kyrgyz and Uzbek delegations in Astana, "
        "while Kyrgyzstan's president flew to Tashkent; Tajik and Turkmen envoys also attended."
    )
    assert found(gazetteer, text)[:4] == [
        ("KZ", "Kazakh", "demonym"),
        ("KG", "Kyrgyz", "demonym"),
        ("UZ", "Uzbek", "demonym"),
        ("KZ", "Astana", "capital"),
    ]
    assert gazetteer.countries(text) == ["KG", "KZ", "TJ", "TM", "UZ"]
    assert gazetteer.countries("Kazakhstan and the Kazakhs; Almaty") == ["KZ"]


def test_georgia_is_the_country_unless_placed_in_the_us(gazetteer: Gazetteer) -> None:
    assert gazetteer.countries("Protesters rallied outside Georgia's parliament in Tbilisi.") == ["GE"]
    assert gazetteer.countries("Georgian police detained dozens.") == ["GE"]
    assert found(gazetteer, "A plant opened in Atlanta, Georgia on Monday.") == [("US", "Atlanta, Georgia", "city")]
    assert gazetteer.countries("Savannah, Georgia and Athens, Georgia voted.") == ["US"]
    assert gazetteer.countries("Voters in Georgia, U.S. and the state of Georgia") == []
    # "<unknown place>, Georgia," is a US address; a known place or no punctuation keeps the country
    assert gazetteer.countries("a family firm in Bremen, Georgia, that makes hoses") == []
    assert gazetteer.countries("BATUMI, Georgia, Aug 20 (Reuters)") == ["GE"]
    assert gazetteer.countries("Armenia, Georgia and Azerbaijan") == ["AM", "AZ", "GE"]
    assert gazetteer.countries("On Monday, Georgia's foreign ministry said") == ["GE"]


def test_washington_is_the_us_capital(gazetteer: Gazetteer) -> None:
    assert found(gazetteer, "Washington warned Moscow.") == [
        ("US", "Washington", "capital"),
        ("RU", "Moscow", "capital"),
    ]


def test_longest_name_wins(gazetteer: Gazetteer) -> None:
    text = "Papua New Guinea, Equatorial Guinea and Guinea-Bissau met Guinea in Conakry."
    assert [m[0] for m in found(gazetteer, text)] == ["PG", "GQ", "GW", "GN", "GN"]
    assert gazetteer.countries("the Gulf of Guinea and New Guinea") == []


def test_congo(gazetteer: Gazetteer) -> None:
    assert gazetteer.countries("Fighting flared in eastern Congo near Goma.") == ["CD"]
    assert gazetteer.countries("DR Congo and the Democratic Republic of the Congo; Kinshasa") == ["CD"]
    assert gazetteer.countries("The Republic of the Congo held elections.") == ["CG"]
    assert gazetteer.countries("Congo-Brazzaville and the Republic of Congo") == ["CG"]
    assert gazetteer.countries("Congolese soldiers") == ["CD"]


def test_niger_is_not_inside_nigeria(gazetteer: Gazetteer) -> None:
    assert found(gazetteer, "Nigeria and Nigerian troops") == [
        ("NG", "Nigeria", "country"),
        ("NG", "Nigerian", "demonym"),
    ]
    assert gazetteer.countries("Niger's junta and Nigerien officials") == ["NE"]


def test_korea(gazetteer: Gazetteer) -> None:
    assert gazetteer.countries("Korea's exports rose.") == ["KR"]
    assert gazetteer.countries("Korean and South Korean officials in Seoul") == ["KR"]
    assert gazetteer.countries("North Korea fired a missile.") == ["KP"]
    assert gazetteer.countries("The DPRK said in Pyongyang") == ["KP"]
    assert gazetteer.countries("North Korean hackers") == ["KP"]
    assert gazetteer.countries("tensions on the Korean Peninsula") == []


def test_taiwan_ukraine_netherlands(gazetteer: Gazetteer) -> None:
    assert found(gazetteer, "Chinese Taipei beat Japan") == [
        ("TW", "Chinese Taipei", "country"),
        ("JP", "Japan", "country"),
    ]
    assert gazetteer.countries("Taiwan and Taipei") == ["TW"]
    assert gazetteer.countries("Drones struck Kyiv; in Kiev, sirens") == ["UA"]
    assert gazetteer.countries("Holland beat Belgium") == ["BE", "NL"]


@pytest.mark.parametrize(
    "text", ["the US", "U.S. forces", "the United States", "American officials", "Americans", "America first"]
)
def test_united_states_forms(gazetteer: Gazetteer, text: str) -> None:
    assert gazetteer.countries(text) == ["US"]


@pytest.mark.parametrize("text", ["the UK", "Britain", "British ministers", "Great Britain", "Northern Ireland"])
def test_united_kingdom_forms(gazetteer: Gazetteer, text: str) -> None:
    assert gazetteer.countries(text) == ["GB"]


def test_demonym_collisions_resolve_to_the_most_populous(gazetteer: Gazetteer) -> None:
    assert gazetteer.countries("Chinese officials") == ["CN"]
    assert gazetteer.countries("French troops") == ["FR"]
    assert gazetteer.countries("Dominican authorities") == ["DO"]
    assert gazetteer.countries("Indian navy") == ["IN"]


def test_other_names(gazetteer: Gazetteer) -> None:
    assert gazetteer.countries("Türkiye, formerly Turkey, and Burma") == ["MM", "TR"]
    assert gazetteer.countries("the Republic of Korea") == ["KR"]
    assert gazetteer.countries("Côte d’Ivoire and Côte d'Ivoire") == ["CI"]
    assert gazetteer.countries("MONGOLIA SIGNS DEAL") == ["MN"]
    assert found(gazetteer, "ULAANBAATAR, June 25 (Reuters)") == [("MN", "ULAANBAATAR", "capital")]
    assert found(gazetteer, "The Philippines and Filipinos") == [
        ("PH", "Philippines", "country"),
        ("PH", "Filipinos", "demonym"),
    ]
    assert gazetteer.countries("Mongolia’s and Mongolia's") == ["MN"]


def test_major_cities(gazetteer: Gazetteer) -> None:
    assert CITY_MIN_POPULATION == 1_000_000
    assert found(gazetteer, "Floods hit Lagos and Karachi") == [("NG", "Lagos", "city"), ("PK", "Karachi", "city")]


@pytest.mark.parametrize(
    "text",
    [
        "She bought a china cabinet and cooked a turkey dinner.",
        "Reading the March report in Nice on a Mobile phone at Victoria station",
        "Best Bar in Bath, said the Male voters with Hope and Opportunity in a Mercedes",
        "Latin America, South America and New Mexico",
        "Chinatown, Indochina, Omaha, Indiana",
        "guinea pigs and Guinea pigs",
    ],
)
def test_common_words_and_embedded_names_do_not_match(gazetteer: Gazetteer, text: str) -> None:
    assert gazetteer.mentions(text) == []


def test_offsets_point_at_the_surface(gazetteer: Gazetteer) -> None:
    text = "On Friday, Russia and Kazakhstan — and later Mongolia — signed."
    for mention in gazetteer.mentions(text):
        assert text[mention.start : mention.start + len(mention.surface)] == mention.surface


def test_country_codes_and_names(gazetteer: Gazetteer) -> None:
    assert gazetteer.country_name("MN") == "Mongolia"
    assert gazetteer.country_name("KZ") == "Kazakhstan"
    assert gazetteer.country_name("NL") == "Netherlands"
    assert gazetteer.is_country("MN") and gazetteer.is_country("XK")
    assert not gazetteer.is_country("ZZ") and not gazetteer.is_country("CS")
    assert 240 <= len(gazetteer.iso2_codes) <= 255
    assert {mention.iso2 for mention in gazetteer.mentions("Mongolia, US, UK, Taiwan")} <= gazetteer.iso2_codes
    with pytest.raises(KeyError):
        gazetteer.country_name("ZZ")


def test_inner_mongolia_is_china():
    gazetteer = Gazetteer.load()
    assert gazetteer.countries("Drought grips Inner Mongolia") == ["CN"]
    assert gazetteer.countries("A fire spread from Inner Mongolia into Mongolia") == ["CN", "MN"]
