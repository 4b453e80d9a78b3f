"""Where the data lives: the Parquet lake, the feed archive and the DuckDB catalog."""

from __future__ import annotations

from pathlib import Path

import dagster as dg

from watchfloor.core import warehouse
from watchfloor.core.config import monitored_countries
from watchfloor.core.lake import Lake


class LakeResource(dg.ConfigurableResource):
    """The data folder ($WATCHFLOOR_DATA): lake/ (Parquet), archive/ (feed documents), warehouse.duckdb."""

    data_dir: str

    def get(self) -> Lake:
        return Lake(Path(self.data_dir))

    def refresh_warehouse(self) -> str:
        """Bring the analysts' catalog up to date after a write, and clear what killed runs left
        half-written; returns the catalog's path."""
        lake = self.get()
        lake.remove_stale_temporary()
        return str(warehouse.refresh(lake, monitored_countries()))
