"""Write data/geo/countries.geojson: Natural Earth 1:110m country shapes (public domain), converted once.

The shapes come from the `naturalearth_lowres` shapefile inside the geopandas 0.14.4 wheel on PyPI, read with pyshp.
This needs the package registry and is run by hand (`make geo`), never by the app or the tests: the GeoJSON it
writes is committed, so the map draws with no network.
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "geo" / "countries.geojson"
WHEEL = "geopandas==0.14.4"
MEMBER = "geopandas/datasets/naturalearth_lowres/naturalearth_lowres"
# Natural Earth gives -99 where a country has no plain ISO code of its own in that edition.
ISO3_FIXES = {"France": "FRA", "Norway": "NOR", "Kosovo": "XKX", "Somaliland": "SOL", "N. Cyprus": "CYN"}
DECIMALS = 2  # about a kilometre: plenty at 1:110m, and a small file


def _shapefile_parts() -> dict[str, bytes]:
    with tempfile.TemporaryDirectory() as folder:
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--dest", folder, WHEEL], check=True
        )
        wheel = next(Path(folder).glob("geopandas-*.whl"))
        with zipfile.ZipFile(wheel) as archive:
            return {ext: archive.read(f"{MEMBER}.{ext}") for ext in ("shp", "shx", "dbf", "cpg")}


def _rounded(coordinates):
    if isinstance(coordinates[0], (int, float)):
        return [round(coordinates[0], DECIMALS), round(coordinates[1], DECIMALS)]
    return [_rounded(part) for part in coordinates]


def main() -> None:
    import shapefile  # pyshp, only needed here

    parts = _shapefile_parts()
    encoding = parts["cpg"].decode().strip() or "latin-1"  # the .cpg file names the text encoding of the .dbf
    reader = shapefile.Reader(
        shp=io.BytesIO(parts["shp"]), shx=io.BytesIO(parts["shx"]), dbf=io.BytesIO(parts["dbf"]), encoding=encoding
    )
    features = []
    for record, shape in zip(reader.records(), reader.shapes(), strict=True):
        fields = record.as_dict()
        iso3 = ISO3_FIXES.get(fields["name"], fields["iso_a3"])
        geometry = shape.__geo_interface__
        features.append(
            {
                "type": "Feature",
                "properties": {"iso3": iso3, "name": fields["name"], "continent": fields["continent"]},
                "geometry": {"type": geometry["type"], "coordinates": _rounded(geometry["coordinates"])},
            }
        )
    features.sort(key=lambda f: f["properties"]["iso3"])
    collection = {
        "type": "FeatureCollection",
        "name": "Natural Earth 1:110m admin-0 countries (public domain), from the geopandas 0.14.4 wheel",
        "features": features,
    }
    OUT.parent.mkdir(exist_ok=True)
    OUT.write_text(json.dumps(collection, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"{OUT}: {len(features)} countries, {OUT.stat().st_size // 1024} KiB")


if __name__ == "__main__":
    main()
