"""The map's layer data: shapes that ship with the project, shaded by places; points that say what they are."""

import json

import pydeck as pdk

from components.places_map import LAND, map_points, places_deck, shaded_countries
from dashboard.filters import Filters
from dashboard.geo import country_shapes
from dashboard.queries import locations

SMALL_TERRITORIES = {"COM", "GLP", "GUF", "HKG", "MYT", "REU"}  # below 1:110m resolution: shown as points


def test_country_shapes_ship_for_every_country_large_enough(catalog):
    shapes = country_shapes()
    codes = {feature["properties"]["iso3"] for feature in shapes["features"]}
    assert len(codes) == 177
    assert set(catalog.countries) - codes == SMALL_TERRITORIES


def test_countries_with_places_are_shaded_and_the_rest_is_land(store, catalog):
    places = locations(store)
    shaded = shaded_countries(country_shapes(), places.groupby("country_iso3").size().to_dict(), catalog, "en")
    fills = {f["properties"]["iso3"]: f["properties"]["fill"] for f in shaded["features"]}
    assert fills["BRA"] == LAND
    assert fills["SEN"] != LAND and fills["FRA"] != LAND
    assert sum(fills["FRA"]) < sum(fills["SEN"])  # ten places in France: darker than Senegal's two


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
