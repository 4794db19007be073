"""Each page through Streamlit's AppTest: it runs without exception and shows the expected figures."""

from __future__ import annotations

import json
import re

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT

APP = str(ROOT / "dashboard" / "app.py")
PAGES = ["app_pages/overview.py", "app_pages/sectors.py", "app_pages/international.py", "app_pages/programmes.py",
         "app_pages/sources.py"]  # fmt: skip


def run_app(
    page: str | None = None, *, script: str = APP, secrets: dict | None = None, **query: str | list[str]
) -> AppTest:
    """The app (or another script) run once with these secrets and query parameters, then switched to `page`."""
    app = AppTest.from_file(script, default_timeout=60)
    for key, value in (secrets or {}).items():
        app.secrets[key] = value
    for key, value in query.items():
        app.query_params[key] = value
    app.run()
    if page:
        app.switch_page(page)
        app.run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def texts(app: AppTest) -> str:
    """Everything the page says, with Markdown escapes removed (data text is escaped before rendering)."""
    parts = [m.value for m in app.markdown] + [c.value for c in app.caption]
    parts += [
        e.value for kind in (app.info, app.warning, app.error, app.header, app.subheader, app.title) for e in kind
    ]
    return re.sub(r"\\(.)", r"\1", "\n".join(parts))


@pytest.mark.parametrize("page", PAGES)
def test_page_runs_without_exception(page):
    run_app(page)


FRENCH_TITLES = ["Le Groupe SOS en un coup d'œil", "Secteurs", "Où le groupe agit", "Programmes et entités", "Sources"]


@pytest.mark.parametrize(("page", "title"), list(zip(PAGES, FRENCH_TITLES, strict=True)))
def test_page_runs_in_french_with_filters(page, title):
    app = run_app(page, lang="fr", country=["SEN"], sector=["international"], years=["2015", "2024"])
    assert app.title[0].value == title
    assert "Affichage : Sénégal, Action internationale et 2015–2024." in texts(app)


def test_overview_shows_the_headline_kpis_with_their_years():
    app = run_app()
    values = [m.value for m in app.metric]
    assert values == ["22,000", "2 million", "€1.37B", "850", "50+", "–"]
    body = texts(app)
    assert "Groupe SOS, Introduction" in body
    assert "No group-wide figure published" in body  # social enterprises: only International Action has one


def test_overview_makes_the_2022_revenue_conflict_visible():
    app = run_app()
    disputed = [m.value for m in app.markdown if m.value.startswith(":orange[") and "Sources disagree" in m.value]
    assert len(disputed) == 2  # revenue 2022, and countries 2024 ("50" against "more than 50")
    for value in ("€1.26B", "€1.37B", "≈\u202f€1.4B"):
        assert value in disputed[0]
    assert "50\\+ · 50" in disputed[1]


def popovers(app: AppTest) -> dict:
    """The popovers that have a key, by key (an element's id is "$$ID-<hash>-<key>")."""
    return {p.proto.id.split("-", 2)[2]: p for p in app.get("popover") if p.proto.id.count("-") >= 2}


def kpi_popovers(app: AppTest) -> dict:
    """The KPI cards' source popovers, by indicator."""
    return {key.removeprefix("kpi-sources-"): p for key, p in popovers(app).items() if key.startswith("kpi-sources-")}


def test_a_kpi_cards_sources_are_drawn_once_its_popover_is_opened():
    app = run_app()
    closed = kpi_popovers(app)
    assert len(closed) == 5 and not any(p.children for p in closed.values())  # social enterprises has no figure
    app.session_state["kpi-sources-revenue"] = True  # what opening it sets, before the rerun it starts
    app.run()
    opened = {key: p for key, p in kpi_popovers(app).items() if p.children}
    assert list(opened) == ["revenue"]
    listed = opened["revenue"].markdown[0].value
    assert listed.startswith("- ") and listed.count("\n- ") == listed.count("\n")  # one line per candidate figure
    assert "€1.37B" in listed and "**(shown)**" in listed
    assert "one value per period" in opened["revenue"].caption[0].value


def test_the_link_to_this_view_is_written_once_its_popover_is_opened():
    app = run_app(sector=["health"], lang="fr")
    assert not popovers(app)["link-to-view"].children  # closed: nothing drawn inside
    app.session_state["link-to-view"] = True  # what opening it sets, before the rerun it starts
    app.run()
    assert "?sector=health&lang=fr" in popovers(app)["link-to-view"].code[0].value


def test_no_change_is_computed_from_a_lower_bound():
    body = texts(run_app())
    assert "previous figure: 40 in 2022; no exact change can be computed" in body


@pytest.mark.parametrize(
    "years", [["1984", "1984"], ["1984", "2000"], ["2017", "2018"], ["2021", "2021"], ["2025", "2025"]]
)
def test_overview_copes_with_years_that_have_no_group_figure(years):
    app = run_app(years=years)
    assert len(app.metric) == 6


def test_overview_in_french_formats_numbers_the_french_way():
    app = run_app(lang="fr")
    assert [m.value for m in app.metric][:3] == ["22\u202f000", "2 millions", "1,37\u00a0Md\u00a0€"]
    assert app.title[0].value == "Le Groupe SOS en un coup d'œil"


def test_group_totals_are_not_split_by_a_country():
    app = run_app(country=["SEN"])
    assert [m.value for m in app.metric] == ["–"] * 6
    assert "cannot be split by country" in texts(app)


def test_filters_are_read_from_the_url_and_written_back():
    app = run_app(country=["SEN"], sector=["international"], years=["2015", "2024"])
    assert app.multiselect(key="country").value == ["SEN"]
    assert app.multiselect(key="sector").value == ["international"]
    assert app.slider(key="years").value == (2015, 2024)
    assert app.query_params["country"] == ["SEN"] or app.query_params["country"] == "SEN"


def test_changing_a_filter_updates_the_url():
    app = run_app()
    app.multiselect(key="sector").set_value(["health"]).run()
    assert app.query_params.get("sector") in (["health"], "health")
    assert "Showing: Health." in texts(app)


@pytest.mark.parametrize(
    ("page", "ended_after"),
    [
        ("app_pages/sources.py", "0 sources, 0 figures"),
        ("app_pages/programmes.py", "No programme or entity figure"),
        ("app_pages/international.py", "No place"),
    ],
)
def test_a_page_that_ends_early_still_writes_the_url(page, ended_after):
    # Nothing published in 1984-1985: each page ends early (end_page). The entry script writes the URL after the page.
    app = run_app(page, sector=["international"])
    assert ended_after not in texts(app)
    app.slider(key="years").set_value((1984, 1985)).run()
    assert ended_after in texts(app)
    assert not app.selectbox and not app.get("plotly_chart"), "the page went on"
    assert app.query_params.get("sector") in (["international"], "international")
    assert app.query_params.get("years") == ["1984", "1985"]


def test_the_stewards_page_keeps_only_the_language_in_the_url():
    app = run_app("app_pages/admin.py", country=["SEN"], lang="fr")
    assert "Aucune connexion n'est configurée" in texts(app)  # the page ended there (end_page)
    assert dict(app.query_params) == {"lang": "fr"}


def test_unknown_url_values_are_ignored_with_a_visible_notice():
    app = run_app(country=["ZZZ", "SEN"], sector=["nope"], years=["abc", "2020"], lang="xx")
    notices = [w.value for w in app.warning]
    assert any("ZZZ" in n for n in notices) and any("nope" in n for n in notices)
    assert any("abc" in n for n in notices) and any("xx" in n for n in notices)
    assert app.multiselect(key="country").value == ["SEN"]


def test_clear_filters_resets_every_filter():
    app = run_app(country=["SEN"], sector=["health"])
    app.button[0].click().run()
    assert app.multiselect(key="country").value == [] and app.multiselect(key="sector").value == []


def test_sectors_page_lists_all_nine_and_says_when_data_is_missing():
    app = run_app("app_pages/sectors.py")
    assert len(app.subheader) == 9
    body = texts(app)
    assert "No published figure was found for this sector" in body  # Culture
    assert "Little published data" in body


def test_international_page_lists_the_places_of_a_country():
    app = run_app("app_pages/international.py", country=["SEN"])
    table = app.dataframe[-1].value  # the places table comes after the country profile
    assert sorted(table["Entity"]) == ["PPI - People Power Inclusion", "Play International"]


def test_programmes_page_shows_mana_and_djantoli_disagreements():
    app = run_app("app_pages/programmes.py")
    warnings = "\n".join(w.value for w in app.warning)
    assert "Women supported" in warnings and "27" in warnings and "44" in warnings
    assert "Children followed" in warnings and "5,152" in warnings
    body = texts(app)
    assert "Target: 10 million by 2020" in body and "more than 8 million" in body and "≥\u00a080%" in body


def test_sources_page_offers_every_figure_as_csv():
    app = run_app("app_pages/sources.py")
    assert "58 sources, 131 figures" in texts(app)
    assert len(app.get("download_button")) >= 1


def test_the_source_picked_stays_picked_when_a_filter_keeps_it_listed():
    def picked(app: AppTest) -> str:
        picker = app.selectbox(key="source")
        return picker.options[picker.index]  # its title

    app = run_app("app_pages/sources.py", country=["FRA"])
    in_france = app.selectbox(key="source").options[1]  # listed for France, and not the first source of all
    app.multiselect(key="country").set_value([]).run()
    assert picked(app) != in_france
    app.selectbox(key="source").select_index(app.selectbox(key="source").options.index(in_france)).run()
    app.multiselect(key="country").set_value(["FRA"]).run()
    assert picked(app) == in_france
    app.multiselect(key="country").set_value(["MAR"]).run()  # not one of Morocco's sources: the first one instead
    assert picked(app) == app.selectbox(key="source").options[0] != in_france


def test_a_missing_dataset_gives_an_error_page_not_a_traceback(tmp_path, monkeypatch):
    monkeypatch.setenv("DASHBOARD_DATABASE_URL", f"duckdb:///{tmp_path / 'new.duckdb'}")
    monkeypatch.setenv("DASHBOARD_DATA_DIR", str(tmp_path / "nowhere"))
    app = AppTest.from_file(APP, default_timeout=60).run()
    assert not app.exception
    assert "cannot show its data" in app.error[0].value and "nowhere" in app.error[0].value


def test_entity_choices_narrow_to_the_chosen_country_and_keep_what_is_selected():
    app = run_app(country=["SEN"], entity=["djantoli"])
    options = app.multiselect(key="entity").options
    assert {"Play International", "PPI - People Power Inclusion", "Djantoli"} == set(options)
    app.multiselect(key="country").set_value([]).run()
    assert len(app.multiselect(key="entity").options) == 29


def test_chosen_filters_survive_a_language_switch_and_a_visit_to_admin():
    app = run_app()
    app.multiselect(key="country").set_value(["SEN"]).run()
    app.slider(key="years").set_value((2015, 2024)).run()
    app.radio(key="lang").set_value("fr").run()
    assert app.multiselect(key="country").value == ["SEN"] and app.slider(key="years").value == (2015, 2024)
    app.switch_page("app_pages/admin.py").run()  # draws no filters
    app.switch_page("app_pages/overview.py").run()
    assert not app.exception
    assert app.multiselect(key="country").value == ["SEN"] and app.slider(key="years").value == (2015, 2024)
    assert "Affichage : Sénégal et 2015–2024." in texts(app)


def test_a_rerun_does_not_send_the_pickers_values_again():
    # A value the script writes is sent with its picker, and the browser redraws every such picker at each rerun.
    app = run_app(country=["SEN"])
    app.multiselect(key="sector").set_value(["international"]).run()
    pickers = [*app.multiselect, app.slider(key="years"), app.radio(key="lang")]
    assert pickers and not [picker.key for picker in pickers if picker.proto.set_value]


def test_country_profile_of_senegal_names_its_entities_and_their_figures():
    app = run_app("app_pages/international.py", country=["SEN"])
    body = texts(app)
    assert "Senegal: what the group does there" in body
    assert "Play International" in body and "PPI - People Power Inclusion" in body
    assert "AGreenLab incubation and acceleration" in body and "Since 2021" in body


def test_a_country_profiles_cards_are_one_text_however_many_entities():
    app = run_app("app_pages/international.py", country=["FRA"])
    cards = [m.value for m in app.markdown if m.value.startswith("#### ")]
    assert len(cards) == 1 and cards[0].count("#### ") == 10 and cards[0].count("\n---\n") == 9


def test_a_country_profile_lists_an_entitys_figures_once_it_is_chosen():
    app = run_app("app_pages/international.py", country=["SEN"])
    picker = app.radio(key="profile-figures-SEN")
    assert picker.value is None and "PPI - People Power Inclusion (2)" in picker.options
    assert not app.dataframe[:-1]  # only the places table: no entity's figures drawn before one is chosen
    assert "They cover the whole entity, not only Senegal" not in texts(app)
    assert "Figures published: 2 (choose the entity under the cards to list them)." in texts(app)
    picker.set_value("ppi-people-power-inclusion").run()
    assert len(app.dataframe) == 2 and len(app.dataframe[0].value) == 2
    assert "They cover the whole entity, not only Senegal" in texts(app)


def test_a_country_with_nothing_known_says_so():
    app = run_app("app_pages/international.py", country=["BRA"])  # unknown to the data: ignored with a notice
    assert "not a known country code" in texts(app)
    app = run_app("app_pages/international.py", country=["AFG"], years=["2023", "2024"])
    assert "Nothing is known about Afghanistan in the published sources" in texts(app)


def test_overview_opens_with_a_summary_and_shows_progress_against_targets():
    app = run_app()
    body = texts(app)
    assert "Latest published figures: Employees 22,000 in 2024, as in 2022; " in body
    assert "Progress against targets" in [s.value for s in app.subheader]
    assert "Target: €2.74B by 2025, 2 times the 2022 revenue (€1.37B)." in body
    assert "Status: progress cannot be measured from published figures." in body


@pytest.mark.parametrize("page", ["app_pages/overview.py", "app_pages/sectors.py", "app_pages/programmes.py"])
def test_every_chart_has_a_description_and_a_table_behind_it(page):
    app = run_app(page, lang="fr")
    charts = len(app.get("plotly_chart"))
    descriptions = [c.value for c in app.caption if "**Description du graphique :**" in c.value]
    tables = [e for e in app.expander if e.label == "Données du graphique"]
    assert charts >= 1 and len(descriptions) == charts and len(tables) >= charts


def test_the_table_behind_a_chart_is_drawn_when_it_is_opened():
    app = run_app("app_pages/programmes.py")
    behind = [e for e in app.expander if e.label == "Data behind the chart"]
    assert behind and not any(e.dataframe for e in behind)  # closed: a filter change redraws no hidden table
    first = behind[0].proto.id.split("-data-behind-")[1]
    app.session_state[f"data-behind-{first}"] = True  # what opening it sets, before the rerun it starts
    app.run()
    opened = [e for e in app.expander if e.label == "Data behind the chart" and e.dataframe]
    assert len(opened) == 1 and len(opened[0].dataframe[0].value) > 1
    assert "CSV" in opened[0].get("download_button")[0].proto.label


def test_a_map_of_more_places_than_it_draws_says_they_are_grouped(monkeypatch):
    monkeypatch.setattr("components.places_map.MOST_MAP_POINTS", 10)
    app = run_app("app_pages/international.py")
    assert "50 places: each point gathers the places of an area of about 100 km" in texts(app)
    assert len(app.get("deck_gl_json_chart")) == 1 and not app.exception
    senegal = run_app("app_pages/international.py", country="SEN")
    assert "places in one country or territory" in texts(senegal)


def page_outline(app: AppTest) -> list[str]:
    """The kinds of the elements at the top level of the page's main area, in order (a container counts as one)."""
    return [element.type for element in app.main.children.values()]


@pytest.mark.parametrize("page", PAGES)
def test_choosing_a_country_keeps_every_element_in_its_place(page):
    """The browser matches the elements of a rerun to the previous ones by place: an element that appears above
    others moves them all, and the browser rebuilds the charts and tables it could have updated (components.page_parts
    slot). Choosing a country may end the page sooner or later, but shifts nothing."""
    everything, france = page_outline(run_app(page)), page_outline(run_app(page, country=["FRA"]))
    shared = min(len(everything), len(france))
    assert shared >= 4
    assert everything[:shared] == france[:shared]


def places_map(app: AppTest):
    return app.get("deck_gl_json_chart")[0].proto


def test_choosing_one_country_moves_the_map_to_it():
    """One deck, updated in place: the same key keeps the reader's pan and zoom, and Streamlit moves the map when its
    initial view changes. A new deck would cost the browser its WebGL programs again (2 s here, session 12)."""
    world, france = (places_map(run_app("app_pages/international.py", **query)) for query in ({}, {"country": ["FRA"]}))
    assert world.id == france.id
    assert json.loads(world.json)["initialViewState"]["zoom"] < json.loads(france.json)["initialViewState"]["zoom"]
    assert json.loads(france.json)["initialViewState"]["longitude"] == pytest.approx(2.2, abs=0.1)
