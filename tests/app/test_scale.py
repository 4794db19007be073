"""Pages on a synthetic demo larger than any page can show: what is drawn is capped, and each cap is said."""

from __future__ import annotations

import re

import pytest
from streamlit.testing.v1 import AppTest

from components.storyboard import MOST_DENSE_SERIES_CHARTS, MOST_ENTITY_SECTIONS, MOST_SERIES_CHARTS
from dashboard import demo
from dashboard.queries import MOST_ROWS
from tests.app.test_pages import APP, texts

ROWS = 100_000  # about 80 establishments with monthly figures: more series, sections and rows than a page draws


@pytest.fixture(scope="module")
def demo_store(tmp_path_factory):
    folder = tmp_path_factory.mktemp("scale") / "demo"
    demo.write_demo(folder, ROWS)
    return folder


@pytest.fixture
def on_demo(demo_store, monkeypatch):
    monkeypatch.setenv("DASHBOARD_DATA_DIR", str(demo_store))
    monkeypatch.delenv("DASHBOARD_DATABASE_URL", raising=False)


def run_page(page: str | None = None, **query) -> AppTest:
    app = AppTest.from_file(APP, default_timeout=300)
    for key, value in query.items():
        app.query_params[key] = value
    app.run()
    if page:
        app.switch_page(page).run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def test_sectors_page_draws_at_most_a_page_of_series_and_says_how_many_more(on_demo):
    app = run_page("app_pages/sectors.py")
    charts = app.get("plotly_chart")
    # The sector bars, then the series: the demo's establishments report monthly, and a page draws a few such series.
    assert 1 < len(charts) <= MOST_DENSE_SERIES_CHARTS + 1 < MOST_SERIES_CHARTS
    said = texts(app)
    drawn = [(int(a), int(b.replace(",", ""))) for a, b in re.findall(r"(\d+) of ([\d,]+) series drawn", said)]
    assert drawn and all(shown < total for shown, total in drawn)
    assert sum(shown for shown, _ in drawn) == len(charts) - 1
    assert "series over time, not drawn here" in said  # the sections past the first few say why they have none
    assert "Demo establishment" in said or "Entity filter" in said


def test_tables_list_their_first_rows_and_count_them_all(on_demo):
    app = run_page("app_pages/sectors.py")
    capped = re.findall(rf"The first {MOST_ROWS} of ([\d,]+) figures are listed here", texts(app))
    assert capped and all(int(total.replace(",", "")) > MOST_ROWS for total in capped)
    # Each capped table lists exactly its first rows; the tables behind the charts keep every point they draw.
    assert sum(len(frame.value) == MOST_ROWS for frame in app.dataframe) == len(capped)


def test_programmes_page_gives_a_section_to_the_first_entities_only(on_demo):
    app = run_page("app_pages/programmes.py")
    said = texts(app)
    found = re.search(r"(\d+) of ([\d,]+) entities with several figures have a section here", said)
    assert found and int(found[1]) == MOST_ENTITY_SECTIONS < int(found[2].replace(",", ""))
    sections = [s for s in app.subheader if s.value.startswith("Demo establishment")]
    assert len(sections) == MOST_ENTITY_SECTIONS


def test_an_entity_chosen_in_the_filter_is_pointed_to_its_table_for_the_series_not_drawn(on_demo):
    app = run_page("app_pages/programmes.py")
    first = next(s.value for s in app.subheader if s.value.startswith("Demo establishment"))
    assert "Choose an entity in the Entity filter to see its own." in texts(app)
    entity_id = "demo-establishment-" + first.rsplit(" ", 1)[1]
    app = run_page("app_pages/programmes.py", entity=[entity_id])
    said = texts(app)
    assert re.search(r"\d+ of \d+ series drawn", said)  # an establishment has more monthly series than a page draws
    assert "Every figure is in the table below and its downloads." in said
    assert "Choose an entity in the Entity filter" not in said


def test_a_kpi_of_many_establishments_names_a_few_and_counts_the_rest(on_demo):
    app = run_page(country=["FRA"])
    several = re.search(r"([\d,]+) separate figures \(([^)]*)\)", texts(app))
    assert several
    count = int(several[1].replace(",", ""))
    assert count > 5 and f"and {count - 5:,} more" in several[2]


def test_sources_page_counts_every_figure_and_lists_a_table_of_them(on_demo):
    app = run_page("app_pages/sources.py")
    assert re.search(rf"\d+ sources?, {ROWS:,} figures", texts(app))
    assert all(len(frame.value) <= MOST_ROWS for frame in app.dataframe)


def test_international_page_lists_the_first_places_and_counts_them_all(on_demo, monkeypatch):
    monkeypatch.setattr("dashboard.queries.MOST_ROWS", 20)  # the demo has fewer places than a real table's cap
    app = run_page("app_pages/international.py")
    said = texts(app)
    total = int(re.search(r"([\d,]+) places in \d+ countries", said)[1].replace(",", ""))
    assert total > 20 and f"The first 20 of {total:,} places are listed here" in said
    assert len(app.dataframe[-1].value) == 20


def test_a_country_profile_lists_a_few_of_the_chosen_entitys_figures(on_demo):
    from components.country_profile import PROFILE_ROWS

    app = run_page("app_pages/international.py", country=["FRA"])
    picker = app.radio(key="profile-figures-FRA")
    published = {option: int(re.search(r"\(([\d,]+)\)$", option)[1].replace(",", "")) for option in picker.options}
    most = max(published, key=published.get)  # an establishment reporting monthly: hundreds of figures
    ids = {entity.name: entity_id for entity_id, entity in app.session_state["_view"].catalog.entities.items()}
    picker.set_value(ids[re.sub(r"\\(.)", r"\1", most.rsplit(" (", 1)[0])]).run()  # the names are escaped Markdown
    assert published[most] > PROFILE_ROWS
    assert f"The first {PROFILE_ROWS} of {published[most]:,} figures are listed here" in texts(app)
    assert len(app.dataframe[0].value) == PROFILE_ROWS


def test_the_entity_picker_lists_a_capped_number_and_a_search_finds_any_other(on_demo, monkeypatch):
    monkeypatch.setattr("components.filter_bar.MOST_ENTITY_OPTIONS", 20)  # the demo has about 100 entities
    app = run_page()
    picker = next(m for m in app.multiselect if m.label == "Entity")
    total = int(re.search(r"the first 20 of ([\d,]+) entities", texts(app))[1].replace(",", ""))
    assert total > 20 and len(picker.options) == 20
    last = sorted(picker.options)[-1]
    search = next(box for box in app.text_input if box.label == "Find an entity")
    search.input("SENIORS").run()  # names beyond the first 20, alphabetically (the demo keeps the real entities)
    picker = next(m for m in app.multiselect if m.label == "Entity")
    assert "SOS Seniors" in picker.options and all("seniors" in name.casefold() for name in picker.options)
    assert f"Entities whose name matches: {len(picker.options)}." in texts(app)
    assert last not in picker.options
    picker.select("sos-seniors").run()
    search = next(box for box in app.text_input if box.label == "Find an entity")
    search.input("").run()  # the choice stays listed, and in the link, once the search is cleared
    picker = next(m for m in app.multiselect if m.label == "Entity")
    assert picker.value == ["sos-seniors"] and "SOS Seniors" in picker.options and len(picker.options) == 21
    assert app.query_params["entity"] in ("sos-seniors", ["sos-seniors"])  # one value: as a string or a list
    assert not app.exception
