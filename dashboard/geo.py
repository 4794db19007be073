"""Country shapes for the map: Natural Earth 1:110m, shipped in data/geo/ so that nothing is fetched."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from dashboard.settings import BUNDLED_DATA

COUNTRY_SHAPES = BUNDLED_DATA / "geo" / "countries.geojson"


@cache
def country_shapes(path: Path = COUNTRY_SHAPES) -> dict:
    """The GeoJSON FeatureCollection of country shapes; each feature's properties carry `iso3` and `name`."""
    return json.loads(path.read_text(encoding="utf-8"))
