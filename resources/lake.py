"""Where the data lives: the Parquet lake, the feed archive and the DuckDB catalog."""

from __future__ import annotations

import dagster as dg

from watchfloor.core import warehouse
from watchfloor.core.config import monitored_countries
from watchfloor.core.lake import Lake


class LakeResource(dg.ConfigurableResource):
    """The data folder ($WATCHFLOOR_DATA, a folder or an s3:// URL): lake/ (Parquet), archive/ (feed
    documents), sections/ and reports/; warehouse.duckdb beside it (in it, for a folder). Only the URL is
    configuration: the object store's credentials stay in the environment, out of the run config."""

    data_dir: str

    def get(self) -> Lake:
        return Lake.at(self.data_dir)

    def refresh_warehouse(self) -> str:
        """Bring the analysts' catalog up to date after a write, and clear what killed runs left
        half-written; returns the catalog's path."""
        lake = self.get()
        lake.remove_stale_temporary()
        return str(warehouse.refresh(lake, monitored_countries()))
