"""The week's hotspot map (hotspots.png), rendered offline.

matplotlib (Agg, no pyplot state) draws Natural Earth 1:10m country borders in spherical (web)
Mercator, so shapes look right at any latitude and any frame size. The modules, each importing
only those before it:

- page: size, colours, fonts, and the text allowed on the map;
- basemap: the Natural Earth borders and the projection;
- frame: which stretch of the world is shown (across the antimeridian too), and the borders in it;
- canvas: the figure and its pixel geometry;
- labels: where hotspot labels and country names go;
- drawing: the map drawn and saved, deterministically (same input, same PNG bytes).

The entry points are :func:`render_hotspots` and :func:`render_hotspot_map`.
"""

import matplotlib

matplotlib.use("Agg")  # we never use pyplot, but keep any later import of it off GUI backends

from watchfloor.report.maps.drawing import MapRender, render_hotspot_map, render_hotspots  # noqa: E402

__all__ = ["MapRender", "render_hotspot_map", "render_hotspots"]
