"""The named questions of the data layer, on the bundled (real) dataset."""

from dashboard.filters import Filters
from dashboard.queries import (
    by_country,
    by_sector,
    facts,
    figures,
    kpi,
    locations,
    sources_for,
    with_rivals,
    year_bounds,
)


def test_headline_employees_is_22000_in_2024_from_the_groups_own_page(store):
    result = kpi(store, "employees")
    assert result.status == "ok"
    assert (result.headline["value"], result.headline["period"], result.headline["source_id"]) == (
        22000,
        "2024",
        "sos-intro",
    )
    assert (result.previous["value"], result.previous["period"]) == (22000, "2022")
    assert not result.disputed
    assert len(result.alternatives) == 1  # mediatico-2024 says the same


def test_headline_beneficiaries_is_2_million_in_2024(store):
    result = kpi(store, "beneficiaries")
    assert (result.headline["value"], result.headline["year"]) == (2_000_000, 2024)
    assert result.previous["period"] == "2019"


def test_revenue_2022_keeps_its_three_disagreeing_sources(store):
    result = kpi(store, "revenue")
    assert (result.headline["value"], result.headline["period"]) == (1370, "2022")
    assert result.disputed
    assert sorted(result.alternatives["value"]) == [1260, 1400]
    assert set(result.alternatives["qualifier"].fillna("")) == {"", "about"}


def test_qualifier_travels_with_the_headline_and_a_bare_50_is_a_rival(store):
    result = kpi(store, "countries")
    assert (result.headline["value"], result.headline["qualifier"]) == (50, "more than")
    assert result.disputed and result.alternatives["qualifier"].isna().all()


def test_series_has_one_chosen_figure_per_period_and_gaps_stay_gaps(store):
    series = kpi(store, "employees").series
    assert series["period"].is_unique
    assert 2017 not in set(series["year"]) and 2018 not in set(series["year"])


def test_group_total_is_not_split_by_a_country_filter(store):
    assert kpi(store, "employees", Filters(countries=("SEN",))).status == "not_splittable"


def test_a_sector_filter_shows_the_sectors_own_figure(store):
    result = kpi(store, "revenue", Filters(sectors=("seniors",)))
    assert (result.status, result.headline["value"], result.headline["entity_name"]) == ("ok", 189.7, "SOS Seniors")


def test_figures_of_several_scopes_are_never_added_up(store):
    result = kpi(store, "countries", Filters(entities=("planete-urgence", "sante-sud")))
    assert result.status == "several_scopes"
    assert result.scopes == ("planete-urgence", "sante-sud")


def test_an_indicator_without_figures_for_the_view_says_so(store):
    assert kpi(store, "employees", Filters(sectors=("culture",))).status == "not_splittable"
    assert kpi(store, "care_homes", Filters(sectors=("culture",))).status == "no_data"


def test_a_year_range_keeps_figures_whose_period_ends_inside_and_drops_undated_ones(store):
    found = figures(store, Filters(years=(2015, 2020)))
    assert found["year"].between(2015, 2020).all()
    assert found["period_end"].notna().all()
    everything = figures(store)
    assert everything["period_end"].isna().sum() == 7  # Djantoli (3) and ASSFAM (4) give no period


def test_a_disagreement_is_shown_whole_even_where_the_filter_hides_rivals(store):
    mali = figures(store, Filters(countries=("MLI",)), indicators=["children_followed"])
    assert mali["value"].tolist() == [5152]
    assert mali["sources_disagree"].all() and mali["values_in_period"].tolist() == [3]
    assert sorted(with_rivals(store, mali)["value"]) == [1700, 2600, 5152]
    result = kpi(store, "children_followed", Filters(countries=("MLI",)))
    assert result.headline["value"] == 5152 and sorted(result.alternatives["value"]) == [1700, 2600]


def test_without_filters_only_a_group_wide_figure_stands_for_the_group(store):
    assert kpi(store, "revenue", Filters(years=(2021, 2021))).status == "no_data"  # not SOS Seniors' 189.7 M
    assert kpi(store, "social_enterprises").status == "no_data"  # only International Action publishes one


def test_places_in_senegal_are_play_international_and_ppi(store):
    places = locations(store, Filters(countries=("SEN",)))
    assert sorted(places["entity_name"]) == ["PPI - People Power Inclusion", "Play International"]


def test_a_year_range_keeps_places_present_during_it(store):
    afghanistan = locations(store, Filters(countries=("AFG",), years=(2022, 2024)))
    assert afghanistan.empty  # Afghanistan Libre's activities ended on 31 December 2021
    assert len(locations(store, Filters(countries=("AFG",), years=(2015, 2021)))) == 2


def test_breakdown_by_sector_counts_figures_and_places(store):
    table = by_sector(store).set_index("sector_id")
    assert len(table) == 9
    assert table.loc["culture", "figures"] == 0
    assert table.loc["seniors", "figures"] == 4
    assert table["places"].sum() == 45  # five places belong to the group itself, with no sector


def test_breakdown_by_country_counts_places(store):
    table = by_country(store).set_index("country_iso3")
    assert table.loc["FRA", "places"] == 10
    assert table.loc["SEN", "places"] == 2


def test_facts_are_every_observation_with_its_source(store):
    table = facts(store)
    assert len(table) == 131
    assert table["source_title"].notna().all()


def test_sources_behind_a_view_are_only_those_it_uses(store):
    assert len(sources_for(store)) == 58
    seniors = sources_for(store, Filters(sectors=("seniors",)))
    assert set(seniors["source_id"]) == {"geroscopie-31", "ash-3209"}


def test_year_bounds_cover_the_data(store):
    assert year_bounds(store) == (1984, 2025)


def test_entities_in_a_country_or_sector(store):
    from dashboard.queries import entities_in

    assert entities_in(store, ("SEN",)) == {"play-international", "ppi-people-power-inclusion"}
    assert "sos-seniors" in entities_in(store, (), ("seniors",))
    assert len(entities_in(store)) == 29
