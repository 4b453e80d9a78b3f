"""Partners as they are: supranational bodies in their own right, not the country of their seat."""

import pytest

from watchfloor.events.names import BODIES
from watchfloor.events.partners import LIST_COUNTRIES, bodies_named, body_name, event_partners
from watchfloor.places.gazetteer import Gazetteer


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return Gazetteer.load()


def test_body_codes_never_collide_with_a_country_code(gazetteer):
    assert not set(BODIES) & set(gazetteer.iso2_codes)
    assert body_name("EU") == "the European Union" and body_name("MN") is None


@pytest.mark.parametrize(("text", "expected"), [
    ("NATO allies rehearse the defence of the Suwałki Gap", {"NATO"}),
    ("El Consejo de Seguridad de la ONU se reunió; la OTAN y la UE guardaron silencio", {"UN", "NATO", "EU"}),
    ("国連安保理と欧州連合が北朝鮮を非難", {"UN", "EU"}),
    ("Leaders of the Shanghai Cooperation Organisation met in Bishkek", {"SCO"}),
    ("An unknown union of students marched; a NATOish brand launched", set()),
])
def test_bodies_are_found_in_every_language_of_the_feeds(text, expected):
    assert bodies_named(text) == expected


def test_a_bodys_seat_is_not_a_partner_but_its_country_named_outright_is(gazetteer):
    assert event_partners("Mongolia and EU hold Joint Committee in Brussels", "Officials met in Brussels.", "MN",
                          gazetteer) == {"EU"}
    assert event_partners("Mongolia and Belgium sign defence pact in Brussels", "The EU welcomed it.", "MN",
                          gazetteer) == {"BE", "EU"}


def test_countries_named_only_in_a_long_list_are_not_partners(gazetteer):
    guests = "Leaders of Russia, China, Kyrgyzstan, Tajikistan, Uzbekistan and Turkmenistan attended the summit."
    assert len(guests.split(",")) > LIST_COUNTRIES
    assert event_partners("Kazakhstan hosts Central Asia summit", guests, "KZ", gazetteer) == frozenset()
    assert event_partners("Kazakhstan and China sign gas deal at summit", guests, "KZ", gazetteer) == {"CN"}
