"""The map of places as a pydeck deck: no basemap, no token, nothing fetched from the internet."""

from __future__ import annotations

import json
import math
import weakref
from collections import Counter
from collections.abc import Iterator
from itertools import pairwise

import pandas as pd
import pydeck as pdk
from pydeck.bindings.json_tools import default_serialize

from components.tables import presence_kind
from dashboard.geo import COUNTRY_SHAPES
from dashboard.i18n import format_number, t
from dashboard.metadata import Catalog

# Africa, Europe and the Middle East, where most places are.
INITIAL_VIEW = dict(latitude=18.0, longitude=14.0, zoom=1.6, min_zoom=0.5, max_zoom=9)
NEUTRAL = "#555555"
LAND = [228, 231, 235]
# Every country's shape, as the app serves it: Streamlit's static serving (server.enableStaticServing) serves
# dashboard/static/, a link to data/geo/. Relative to the page, so that it follows any server.baseUrlPath.
LAND_URL = f"app/static/{COUNTRY_SHAPES.name}"
BORDER = [255, 255, 255]
# A single-hue ramp (light to dark blue) for "how many places": readable whatever the colour vision.
RAMP_LOW, RAMP_HIGH = (198, 219, 239), (8, 81, 156)


def _rgb(hex_colour: str) -> list[int]:
    return [int(hex_colour[i : i + 2], 16) for i in (1, 3, 5)]


# Beyond this many places a map draws one point per area (GRID_DEGREES of latitude and longitude, about 100 km)
# instead of one per place: every point and its tooltip is sent to the browser at every rerun, and the 7,399 places
# of France in the 10M-row demo made 2.3 MB of deck and a third of the International page's filter change
# (docs/performance.md, session 8). The bundled data has 50 places.
MOST_MAP_POINTS = 500
GRID_DEGREES = 1.0
SITE_RADIUS = 40000  # metres: a place's point, and the smallest an area's point is drawn
NAMED_IN_TOOLTIP = 3


def is_grouped(places: int) -> bool:
    """Whether a map of this many places draws one point per area (grouped_points) rather than one per place."""
    return places > MOST_MAP_POINTS


def map_points(places: pd.DataFrame, catalog: Catalog, lang: str) -> list[dict]:
    """One point per place, coloured by sector, with the text of its tooltip; one per area when is_grouped."""
    if is_grouped(len(places)):
        return grouped_points(places, catalog, lang)
    points = []
    for row in places.to_dict("records"):
        sector = catalog.sectors.get(row["sector_id"]) if isinstance(row["sector_id"], str) else None
        since = f" · {t('col_since', lang)} {row['since']}" if isinstance(row["since"], str) and row["since"] else ""
        points.append(
            {
                "lon": row["lon"],
                "lat": row["lat"],
                "colour": _rgb(sector.colour if sector else NEUTRAL),
                "country_level": row["precision"] == "country",
                "iso3": row["country_iso3"],
                "radius": SITE_RADIUS,
                "tooltip": f"{row['entity_name']}\n{row['place']} ({t('precision_' + row['precision'], lang)})\n"
                f"{presence_kind(row, lang)}{since}\n{t('col_source', lang)}: {row['source_title']}",
            }
        )
    return points


def grouped_points(places: pd.DataFrame, catalog: Catalog, lang: str) -> list[dict]:
    """One point per country and area of GRID_DEGREES (country-level points apart from sites), at the places' mean
    position, larger the more places it holds (on a log scale: an area of thousands must not cover a country), in
    its sector's colour when it has one sector; its tooltip counts the places and names the first entities."""
    country_level = places["precision"] == "country"
    cells = places.assign(  # a country-level point stands for the whole country, wherever it is drawn: one a country
        cell_lat=(places["lat"] // GRID_DEGREES).astype(int).where(~country_level, 0),
        cell_lon=(places["lon"] // GRID_DEGREES).astype(int).where(~country_level, 0),
        country_level=country_level,
    )
    points = []
    for (iso3, country_level, _, _), area in cells.groupby(
        ["country_iso3", "country_level", "cell_lat", "cell_lon"], sort=True
    ):
        sectors = area["sector_id"].dropna().unique()
        sector = catalog.sectors.get(sectors[0]) if len(sectors) == 1 else None
        entities = sorted(area["entity_name"].unique(), key=str.casefold)
        named = ", ".join(entities[:NAMED_IN_TOOLTIP])
        if len(entities) > NAMED_IN_TOOLTIP:
            named += ", " + t("and_more", lang, count=format_number(len(entities) - NAMED_IN_TOOLTIP, lang))
        places_text = t("map_area_places", lang, count=format_number(len(area), lang), place=area["place"].iloc[0])
        points.append(
            {
                "lon": float(area["lon"].mean()),
                "lat": float(area["lat"].mean()),
                "colour": _rgb(sector.colour if sector else NEUTRAL),
                "country_level": bool(country_level),
                "iso3": iso3,
                "radius": SITE_RADIUS * (1 + math.log10(len(area))),  # 1 place: 40 km; 10: 80 km; 1,000: 160 km
                "places": len(area),
                "tooltip": f"{places_text}\n{named}",
            }
        )
    return points


def legend_svg(catalog: Catalog, sector_ids: list[str], lang: str) -> str:
    """The map's legend as an SVG image: one dot per sector shown, then what rings and shading mean."""
    from xml.sax.saxutils import escape as xml_escape

    entries = [(catalog.sectors[s].colour, catalog.sectors[s].label(lang), "dot") for s in sector_ids]
    entries += [(NEUTRAL, t("legend_group", lang), "dot"), ("#555555", t("legend_ring", lang), "ring"),
                ("#08519C", t("legend_shading", lang), "square")]  # fmt: skip
    rows = []
    for index, (colour, label, mark) in enumerate(entries):
        y = 14 + index * 24
        if mark == "dot":
            symbol = f'<circle cx="10" cy="{y}" r="6" fill="{colour}" stroke="white"/>'
        elif mark == "ring":
            symbol = f'<circle cx="10" cy="{y}" r="6" fill="none" stroke="{colour}" stroke-width="3"/>'
        else:
            symbol = f'<rect x="2" y="{y - 7}" width="8" height="14" fill="#C6DBEF"/><rect x="10" y="{y - 7}" width="8" height="14" fill="{colour}"/>'
        rows.append(
            f'{symbol}<text x="26" y="{y + 5}" font-family="sans-serif" font-size="14" fill="#1A1A1A">{xml_escape(label)}</text>'
        )
    height = 14 + len(entries) * 24
    return f'<svg xmlns="http://www.w3.org/2000/svg" width="420" height="{height}">{"".join(rows)}</svg>'


def country_of_selection(selection: dict | None) -> str | None:
    """The country a click on the map picked: a shaded country's shape, or a place's point."""
    for objects in ((selection or {}).get("objects") or {}).values():
        for picked in objects:
            iso3 = (picked.get("properties") or {}).get("iso3") or picked.get("iso3")
            if iso3:
                return iso3
    return None


def shaded_countries(shapes: dict, places_per_country: dict[str, int], catalog: Catalog, lang: str) -> list[dict]:
    """The shapes of the countries with places, each with a blue as dark as the number of places there and its
    tooltip. The other countries are the land layer's, drawn from a file that never changes (LAND_URL)."""
    most = max(places_per_country.values(), default=1)
    features = []
    for feature in shapes["features"]:
        iso3 = feature["properties"]["iso3"]
        count = places_per_country.get(iso3, 0)
        if not count:
            continue
        share = (count - 1) / max(most - 1, 1)
        fill = [round(low + (high - low) * share) for low, high in zip(RAMP_LOW, RAMP_HIGH, strict=True)]
        name = catalog.countries[iso3].label(lang) if iso3 in catalog.countries else feature["properties"]["name"]
        tooltip = f"{name}: {count} {t('col_places', lang).lower()}"
        features.append({**feature, "properties": {**feature["properties"], "fill": fill, "tooltip": tooltip}})
    return features


def _rings(feature: dict) -> Iterator[list[list[float]]]:
    """Every ring of a Polygon or MultiPolygon feature: outer outlines and holes."""
    geometry = feature["geometry"]
    polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
    return (ring for polygon in polygons for ring in polygon)


def _edge(start: list[float], end: list[float]) -> tuple:
    """A segment of a ring, the same whichever of the two countries it borders drew it."""
    return tuple(sorted((tuple(start), tuple(end))))


def shared_borders(features: list[dict]) -> list[tuple]:
    """The segments of these shapes' outlines that two of them share, once each: where two shaded countries meet,
    and a white line keeps them apart. Elsewhere a shaded country meets grey land or the blank sea, which its colour
    is enough against."""
    drawn = Counter(_edge(a, b) for feature in features for ring in _rings(feature) for a, b in pairwise(ring))
    return [edge for edge, times in drawn.items() if times > 1]


def degrees_per_pixel(zoom: float) -> float:
    """Degrees of longitude a screen pixel spans at this zoom (deck.gl's world is 512 pixels wide at zoom 0)."""
    return 360 / (512 * 2**zoom)


def border_dots(features: list[dict], zoom: float) -> list[list[float]]:
    """The borders these shapes share (shared_borders) as dots, lon and lat, close enough to read as a line at this
    zoom: a pixel apart at most, along longitude and, on Mercator's stretched latitudes, along latitude too.

    Dots, not lines: a ScatterplotLayer like the places', whose WebGL program the browser has compiled already. A
    LineLayer was a program of its own, 0.3 s of the International page's first draw with a software renderer, and
    its segments 0.1 s more (docs/performance.md, session 16). Zoomed in past the deck's zoom, the line turns dotted."""
    dots = []
    for (lon_a, lat_a), (lon_b, lat_b) in shared_borders(features):
        step = degrees_per_pixel(zoom) * math.cos(math.radians(max(abs(lat_a), abs(lat_b))))
        count = max(1, math.ceil(max(abs(lon_b - lon_a), abs(lat_b - lat_a)) / step))
        dots += [
            [round(lon_a + (lon_b - lon_a) * k / count, 3), round(lat_a + (lat_b - lat_a) * k / count, 3)]
            for k in range(count + 1)
        ]
    return dots


class CompactDeck(pdk.Deck):
    """A deck sent without indentation. pydeck indents its JSON by two spaces, one number per line, which made the
    country shapes 1.1 MB instead of 0.2 MB on every rerun of the International page. A deck is not changed once
    built, and pages keep it per view (storyboard.view_deck): its JSON is written once."""

    def to_json(self) -> str:
        if self not in _WRITTEN:
            _WRITTEN[self] = json.dumps(self, sort_keys=True, default=default_serialize, separators=(",", ":"))
        return _WRITTEN[self]


_WRITTEN: weakref.WeakKeyDictionary[CompactDeck, str] = weakref.WeakKeyDictionary()


def places_deck(
    places: pd.DataFrame, catalog: Catalog, lang: str, shapes: dict, focus: tuple[float, float] | None = None
) -> pdk.Deck:
    """The deck; `focus` (a country's centroid) zooms onto one country instead of Africa, Europe and the Middle East.

    Pages draw one deck and update it in place (dashboard/app_pages/international.py): a new deck costs the browser
    its WebGL programs again, and updating one re-tessellates every shape whose layer changed. So the grey land is
    a layer whose props never change: every country's shape from LAND_URL (a file the app serves; deck.gl fetches
    it once and keeps it while the URL stays the same), filled, not stroked. Only the countries with places, their
    borders and the points change with the view (docs/performance.md, session 12)."""
    points = map_points(places, catalog, lang)
    sites = [p for p in points if not p["country_level"]]
    countries = [p for p in points if p["country_level"]]
    shaded = shaded_countries(shapes, places.groupby("country_iso3").size().to_dict(), catalog, lang)
    view = INITIAL_VIEW | {"latitude": focus[0], "longitude": focus[1], "zoom": 4.2} if focus else INITIAL_VIEW
    layers = [
        pdk.Layer("GeoJsonLayer", id="land", data=LAND_URL, get_fill_color=LAND, filled=True, stroked=False),
        pdk.Layer(
            "GeoJsonLayer",
            id="countries",
            data={"type": "FeatureCollection", "features": shaded},
            get_fill_color="properties.fill",
            filled=True,
            stroked=False,
            pickable=True,
        ),
        pdk.Layer(
            "ScatterplotLayer",
            id="borders",
            data=border_dots(shaded, view["zoom"]),
            get_position="-",  # each datum is its position (pydeck sends "@@=-")
            get_fill_color=BORDER,
            radius_units="pixels",
            get_radius=0.35,  # a line about a pixel wide where the dots overlap
        ),
        pdk.Layer(
            "ScatterplotLayer",
            id="country-level",
            data=countries,
            get_position=["lon", "lat"],
            get_line_color="colour",
            filled=False,
            stroked=True,
            line_width_min_pixels=3,
            get_radius=120000,
            radius_min_pixels=9,
            pickable=True,
        ),
        pdk.Layer(
            "ScatterplotLayer",
            id="sites",
            data=sites,
            get_position=["lon", "lat"],
            get_fill_color="colour",
            get_line_color=[255, 255, 255],
            stroked=True,
            line_width_min_pixels=1,
            get_radius="radius",
            radius_min_pixels=6,
            pickable=True,
        ),
    ]
    return CompactDeck(
        layers=layers,
        initial_view_state=pdk.ViewState(**view),
        map_provider=None,  # no basemap: with map_style=None pydeck would still fetch a style from the internet
        tooltip={"text": "{tooltip}"},
    )
