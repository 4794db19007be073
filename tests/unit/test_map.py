"""The map's layer data: shapes that ship with the project, shaded by places; points that say what they are."""

import json
from itertools import pairwise

import pydeck as pdk

from components.places_map import (
    LAND_URL,
    border_dots,
    degrees_per_pixel,
    map_points,
    places_deck,
    shaded_countries,
    shared_borders,
)
from dashboard.filters import Filters
from dashboard.geo import country_shapes
from dashboard.queries import locations

SMALL_TERRITORIES = {"COM", "GLP", "GUF", "HKG", "MYT", "REU"}  # below 1:110m resolution: shown as points


def test_country_shapes_ship_for_every_country_large_enough(catalog):
    shapes = country_shapes()
    codes = {feature["properties"]["iso3"] for feature in shapes["features"]}
    assert len(codes) == 177
    assert set(catalog.countries) - codes == SMALL_TERRITORIES


def test_countries_with_places_are_shaded_over_land_that_never_changes(store, catalog):
    places = locations(store)
    shaded = shaded_countries(country_shapes(), places.groupby("country_iso3").size().to_dict(), catalog, "en")
    fills = {f["properties"]["iso3"]: f["properties"]["fill"] for f in shaded}
    assert "BRA" not in fills and {"SEN", "FRA"} <= set(fills)
    assert sum(fills["FRA"]) < sum(fills["SEN"])  # ten places in France: darker than Senegal's two
    decks = [json.loads(places_deck(locations(store, Filters(countries=countries)), catalog, lang, country_shapes(),
                                    focus=focus).to_json())
             for countries, lang, focus in [((), "en", None), (("FRA",), "fr", (46.6, 2.2))]]  # fmt: skip
    land = [next(layer for layer in deck["layers"] if layer["id"] == "land") for deck in decks]
    assert land[0] == land[1] and land[0]["data"] == LAND_URL  # the browser draws it once, whatever the view
    countries = [next(layer for layer in deck["layers"] if layer["id"] == "countries") for deck in decks]
    assert [f["properties"]["iso3"] for f in countries[1]["data"]["features"]] == ["FRA"]


def test_the_land_is_a_file_the_app_serves():
    """Streamlit serves the folder `static` beside the main script at app/static/ when static serving is on: that
    folder is data/geo/, where the country shapes ship."""
    import tomllib

    from dashboard.geo import COUNTRY_SHAPES
    from dashboard.settings import ROOT

    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["enableStaticServing"] is True
    served = ROOT / "dashboard" / "static" / LAND_URL.removeprefix("app/static/")
    assert served.resolve() == COUNTRY_SHAPES.resolve()


def test_where_two_shaded_countries_meet_a_dotted_line_keeps_them_apart(store, catalog):
    places = locations(store, Filters(countries=("SEN", "MLI")))
    shaded = shaded_countries(country_shapes(), places.groupby("country_iso3").size().to_dict(), catalog, "en")
    senegal, mali = ({_edge(a, b) for ring in _rings(f) for a, b in pairwise(ring)} for f in shaded)
    assert set(shared_borders(shaded)) == senegal & mali and senegal & mali  # their border; not Senegal's coast
    dots = border_dots(shaded, 1.6)
    for (lon_a, lat_a), (lon_b, lat_b) in shared_borders(shaded):  # each end of the border drawn
        assert [round(lon_a, 3), round(lat_a, 3)] in dots and [round(lon_b, 3), round(lat_b, 3)] in dots
    assert border_dots(shaded[:1], 1.6) == []  # one country alone: nothing to keep apart


def test_border_dots_are_a_pixel_apart_at_most_at_the_decks_zoom():
    # Two squares sharing the edge from (10, 60) to (10, 62): at 60 degrees north Mercator doubles latitudes.
    west = {"geometry": {"type": "Polygon", "coordinates": [[[8, 60], [10, 60], [10, 62], [8, 62], [8, 60]]]}}
    east = {"geometry": {"type": "Polygon", "coordinates": [[[10, 60], [12, 60], [12, 62], [10, 62], [10, 60]]]}}
    for zoom in (1.6, 4.2):
        dots = border_dots([west, east], zoom)
        assert dots[0] == [10, 60] and dots[-1] == [10, 62]
        steps = [abs(b[1] - a[1]) for a, b in pairwise(dots)]
        assert max(steps) <= degrees_per_pixel(zoom) / 2 + 0.001  # half a degree of longitude's pixel, at 60 N
        assert len(dots) < 2 * 2 / (degrees_per_pixel(zoom) / 2) + 2  # and not much closer


def test_the_map_needs_no_webgl_program_the_points_and_shapes_do_not(store, catalog):
    """The browser compiles each kind of layer's program at the map's first draw (0.3 s for a LineLayer with a
    software renderer, docs/performance.md, session 16): the borders are dots, drawn like the places."""
    deck = json.loads(places_deck(locations(store, Filters()), catalog, "en", country_shapes()).to_json())
    kinds = {layer["@@type"] for layer in deck["layers"]}
    assert kinds == {"GeoJsonLayer", "ScatterplotLayer"}
    borders = next(layer for layer in deck["layers"] if layer["id"] == "borders")
    assert borders["getPosition"] == "@@=-" and len(borders["data"]) > 100


def _edge(start: list, end: list) -> tuple:
    return tuple(sorted((tuple(start), tuple(end))))


def _rings(feature: dict) -> list:
    return [ring for polygon in _polygons(feature["geometry"]) for ring in polygon]


def _polygons(geometry: dict) -> list:
    return geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]


def test_points_distinguish_country_centroids_from_sites(store, catalog):
    points = map_points(locations(store, Filters(countries=("SEN", "MLI"))), catalog, "fr")
    by_place = {p["tooltip"].splitlines()[1]: p for p in points}
    assert by_place["Senegal (pays (centre))"]["country_level"]
    assert not by_place["Bamako (ville)"]["country_level"]
    assert all("Source" in p["tooltip"] for p in points)


def test_a_click_on_a_shape_or_a_point_names_its_country():
    from components.places_map import country_of_selection

    shape = {
        "indices": {"countries": [3]},
        "objects": {"countries": [{"type": "Feature", "properties": {"iso3": "SEN"}}]},
    }
    point = {"indices": {"sites": [0]}, "objects": {"sites": [{"iso3": "MLI", "lon": -8.0, "lat": 12.6}]}}
    assert country_of_selection(shape) == "SEN"
    assert country_of_selection(point) == "MLI"
    assert country_of_selection({"indices": {}, "objects": {}}) is None
    assert country_of_selection(None) is None


def test_a_click_on_bars_names_their_ids():
    from components.charts import selected_ids

    selection = {
        "points": [{"customdata": "health", "y": "Health"}, {"customdata": ["seniors"]}, {"customdata": "health"}]
    }
    assert selected_ids(selection) == ["health", "seniors"]
    assert selected_ids({"points": []}) == [] and selected_ids(None) == []


def test_the_legend_names_each_sector_shown_and_the_marks(catalog):
    from xml.etree import ElementTree

    from components.places_map import legend_svg

    svg = legend_svg(catalog, ["solidarity", "pulse"], "fr")
    texts = [node.text for node in ElementTree.fromstring(svg).iter("{http://www.w3.org/2000/svg}text")]
    assert texts[:2] == ["Solidarités", "GROUPE SOS Pulse"]
    assert "Point au niveau du pays (son centre)" in texts


def test_the_deck_is_sent_without_indentation_and_says_the_same(store, catalog):
    deck = places_deck(locations(store, Filters()), catalog, "en", country_shapes())
    compact, indented = deck.to_json(), pdk.Deck.to_json(deck)
    assert "\n" not in compact and json.loads(compact) == json.loads(indented)
    assert len(compact) < len(indented) / 3


def test_beyond_the_cap_a_point_gathers_the_places_of_an_area(store, catalog, monkeypatch):
    monkeypatch.setattr("components.places_map.MOST_MAP_POINTS", 10)  # the bundled data has 50 places
    places = locations(store)
    points = map_points(places, catalog, "en")
    assert len(points) < len(places) and sum(p["places"] for p in points) == len(places)
    # Every place is in the point of its own country and kind (a click still names the country).
    per_country = places.groupby(["country_iso3", places["precision"] == "country"]).size().to_dict()
    counted: dict = {}
    for p in points:
        counted[(p["iso3"], p["country_level"])] = counted.get((p["iso3"], p["country_level"]), 0) + p["places"]
    assert counted == per_country
    rings = [p["iso3"] for p in points if p["country_level"]]
    assert len(rings) == len(set(rings))  # a country's country-level places are one ring, wherever they sit
    paris = max((p for p in points if p["iso3"] == "FRA"), key=lambda p: p["places"])
    assert paris["places"] > 1 and paris["radius"] > min(p["radius"] for p in points)
    assert paris["tooltip"].startswith(f"{paris['places']} places around ")
    deck = json.loads(places_deck(places, catalog, "en", country_shapes()).to_json())
    sites = next(layer for layer in deck["layers"] if layer["id"] == "sites")
    assert sites["getRadius"] == "@@=radius" and len(sites["data"]) == sum(not p["country_level"] for p in points)
