"""Every page in a real browser: it renders, shows no exception, draws its charts, and needs no internet."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import APP_READY, open_page, screenshot

pytestmark = pytest.mark.browser

# path, number of Plotly charts at least, pydeck map expected
PAGES = [
    ("/", 1, False),
    ("/sectors", 2, False),
    ("/international", 1, True),
    ("/programmes", 2, False),
    ("/sources", 0, False),
]
VISIBLE_TABLE = "[data-testid='stDataFrame']:visible"


def _wait_for_charts(page, plotly: int, deck: bool) -> None:
    if page.locator(VISIBLE_TABLE).count():  # tables in closed expanders are not drawn until opened
        page.locator(f"{VISIBLE_TABLE} canvas").first.wait_for()
    if plotly:
        page.wait_for_function(
            "n => document.querySelectorAll(\"[data-testid='stPlotlyChart'] .main-svg\").length >= n", arg=plotly
        )
    if deck:  # deck.gl's canvas starts at the browser's default 300x150, then takes the map's size
        page.wait_for_function(
            "() => (document.querySelector(\"[data-testid='stDeckGlJsonChart'] canvas\")?.clientHeight ?? 0) > 150"
        )


@pytest.mark.parametrize(("path", "plotly", "deck"), PAGES, ids=[p[0] for p in PAGES])
def test_page_renders_without_exception_and_draws_every_chart(page, app_url, path, plotly, deck):
    open_page(page, app_url + path)
    _wait_for_charts(page, plotly, deck)
    assert page.locator("[data-testid='stException']").count() == 0
    assert page.locator("[data-testid='stPlotlyChart'] .main-svg").count() >= plotly
    screenshot(page, "page" + (path.replace("/", "-") if path != "/" else "-overview"))
    assert page.blocked_requests == [], f"requests left this machine: {page.blocked_requests}"


def test_overview_shows_2024_headcount_and_the_revenue_conflict(page, app_url):
    open_page(page, app_url + "/")
    values = page.locator("[data-testid='stMetricValue']")
    expect(values).to_have_count(6)
    expect(values.nth(0)).to_have_text("22,000")
    expect(values.nth(1)).to_have_text("2 million")
    expect(page.get_by_text("Sources disagree: €1.26B · €1.37B · ≈\u202f€1.4B")).to_have_count(1)


def test_a_kpi_cards_sources_open_with_every_candidate_figure(page, app_url):
    open_page(page, app_url + "/")
    page.get_by_test_id("stPopover").filter(has_text="Sources").nth(2).get_by_role("button").click()  # revenue
    listed = page.get_by_test_id("stPopoverBody")
    expect(listed.get_by_text("(shown)")).to_have_count(1)  # drawn by the rerun the opening starts
    expect(listed.get_by_role("link")).not_to_have_count(0)
    expect(listed.get_by_text("one value per period", exact=False)).to_be_visible()


def test_a_charts_point_shows_its_value_source_and_confidence_on_hover(page, app_url):
    open_page(page, app_url + "/")
    chart = page.get_by_test_id("stPlotlyChart").first
    expect(chart.locator(".main-svg").first).to_be_visible()
    points = chart.locator(".scatterlayer .points path")
    labels = []
    for index in range(points.count()):  # every point: some traces write their shared lines once (hover_labels)
        points.nth(index).hover(force=True)
        label = chart.locator(".hoverlayer .hovertext").first
        expect(label).to_be_visible()
        labels.append(label.text_content())
    assert len(labels) > 10
    for text in labels:  # its value and period, its source, its confidence; no template left unfilled
        assert re.search(r"\d", text) and "Confidence" in text and "%{" not in text and "customdata" not in text, text


@pytest.mark.parametrize("path", ["/", "/programmes"])  # drawn with the page; drawn when opened (a rerun)
def test_the_table_behind_a_chart_opens_with_its_rows_and_csv(page, app_url, path):
    open_page(page, app_url + path)
    behind = page.get_by_test_id("stExpander").filter(has_text="Data behind the chart").first
    behind.get_by_text("Data behind the chart").click()
    expect(behind.locator("[data-testid='stDataFrame'] canvas").first).to_be_visible()
    expect(behind.get_by_test_id("stDownloadButton").filter(has_text="CSV")).to_be_visible()


def test_french_link_with_filters_reopens_the_same_view(page, app_url):
    open_page(page, app_url + "/sectors?country=SEN&sector=international&lang=fr&years=2015&years=2024")
    expect(page.get_by_role("heading", name="Secteurs").first).to_be_visible()
    sidebar = page.locator("[data-testid='stSidebar']")
    expect(sidebar.get_by_text("Sénégal").first).to_be_visible()
    expect(sidebar.get_by_text("Action internationale").first).to_be_visible()
    screenshot(page, "sectors-filtered-fr")
    assert "country=SEN" in page.url and "lang=fr" in page.url


def test_a_page_that_ends_early_still_drops_unknown_values_from_the_url(page, app_url):
    # No source for 1984-1985: the Sources page ends after its count (end_page). The URL is written after the page:
    # with st.stop() there, a stopped run sends nothing more, and the link kept ZZZ (session 15).
    open_page(page, app_url + "/sources?country=ZZZ&country=SEN&years=1984&years=1985")
    expect(page.get_by_text("Ignored “ZZZ” in the link")).to_have_count(1)
    expect(page).to_have_url(re.compile(r"country=SEN&years=1984&years=1985"))
    assert "ZZZ" not in page.url


def test_unknown_url_values_show_a_notice_not_a_crash(page, app_url):
    open_page(page, app_url + "/?country=ZZZ&sector=nope&years=abc&years=2020")
    expect(page.get_by_text("Ignored “ZZZ” in the link")).to_have_count(1)
    expect(page.get_by_text("Ignored “nope” in the link")).to_have_count(1)
    expect(page.locator("[data-testid='stMetricValue']")).to_have_count(6)
    assert page.locator("[data-testid='stException']").count() == 0


def test_overview_in_french_uses_french_number_formats(page, app_url):
    open_page(page, app_url + "/?lang=fr")
    values = page.locator("[data-testid='stMetricValue']")
    expect(values.nth(0)).to_have_text("22\u202f000")
    expect(values.nth(2)).to_have_text("1,37\u00a0Md\u00a0€")
    _wait_for_charts(page, 1, False)
    screenshot(page, "overview-fr")


def test_filters_survive_a_page_switch(page, app_url):
    open_page(page, app_url + "/?country=SEN&sector=international")
    page.locator("[data-testid='stTopNavLinkContainer']").get_by_text("International", exact=True).click()
    expect(page.get_by_role("heading", name="Where the group works")).to_be_visible()
    page.wait_for_selector(APP_READY)
    expect(page).to_have_url(re.compile(r"/international\?.*country=SEN"))
    expect(page.get_by_role("heading", name="Senegal: what the group does there")).to_be_visible()
    assert "sector=international" in page.url


def test_partner_downloads_the_places_of_senegal_as_excel_and_csv(page, app_url, tmp_path):
    import pandas as pd

    open_page(page, app_url + "/international?country=SEN")
    _wait_for_charts(page, 1, True)  # every button drawn (Streamlit shows skeletons first)
    with page.expect_download() as excel:
        page.get_by_test_id("stDownloadButton").filter(has_text="Excel").last.click()  # the places table
    workbook = tmp_path / "places.xlsx"
    excel.value.save_as(workbook)
    places = pd.read_excel(workbook, sheet_name="data")
    assert sorted(places["entity_name"]) == ["PPI - People Power Inclusion", "Play International"]
    assert places["source_title"].notna().all() and set(places["confidence"]) == {"A"}
    assert "Senegal" in pd.read_excel(workbook, sheet_name="about").to_string()
    with page.expect_download() as csv:
        page.get_by_test_id("stDownloadButton").filter(has_text="CSV").last.click()
    assert len(pd.read_csv(csv.value.path())) == 2


def test_the_link_to_this_view_carries_the_filters(page, app_url):
    open_page(page, app_url + "/sectors?sector=health&lang=fr")
    page.get_by_role("button", name="Lien vers cette vue").click()
    expect(page.get_by_text(re.compile(r"/sectors\?sector=health&lang=fr"))).to_be_visible()


def _pixel_of(lat: float, lon: float, view: dict, width: float, height: float) -> tuple[float, float]:
    """Where deck.gl's Web Mercator view draws a point, from the centre of the canvas."""
    import math

    world = 512 * 2 ** view["zoom"]

    def mercator_y(latitude: float) -> float:
        return math.log(math.tan(math.pi / 4 + math.radians(latitude) / 2))

    x = (lon - view["longitude"]) / 360 * world
    y = (mercator_y(view["latitude"]) - mercator_y(lat)) / (2 * math.pi) * world
    return width / 2 + x, height / 2 + y


def test_clicking_senegal_on_the_offline_map_filters_the_page_and_the_url(page, app_url):
    from components.places_map import INITIAL_VIEW

    open_page(page, app_url + "/international")
    _wait_for_charts(page, 1, True)  # everything drawn, so that the map no longer moves under the click
    canvas = page.locator("[data-testid='stDeckGlJsonChart'] canvas").first
    box = canvas.bounding_box()
    x, y = _pixel_of(14.4974, -14.4524, INITIAL_VIEW, box["width"], box["height"])  # Senegal's centroid
    canvas.hover(position={"x": x, "y": y})  # the tooltip says the map has its shapes and can be picked
    expect(page.get_by_text("Senegal: 2 places")).to_be_visible(timeout=20_000)
    canvas.click(position={"x": x, "y": y})
    expect(page.get_by_role("heading", name="Senegal: what the group does there")).to_be_visible(timeout=20_000)
    expect(page).to_have_url(re.compile(r"country=SEN"))
    screenshot(page, "international-senegal-clicked")


def _map_picture(page):
    """The map as the reader sees it, as a PIL image (RGB)."""
    import io

    from PIL import Image

    return Image.open(io.BytesIO(page.locator("[data-testid='stDeckGlJsonChart']").first.screenshot())).convert("RGB")


def _share_of_map(page, colour: tuple[int, int, int]) -> float:
    """The share of the map's pixels of this colour (within a few units: WebGL blends edges)."""
    image = _map_picture(page)
    colours = image.getcolors(maxcolors=image.width * image.height)
    near = sum(count for count, rgb in colours if max(abs(a - b) for a, b in zip(rgb, colour, strict=True)) <= 6)
    return near / (image.width * image.height)


def _map_shows(page, colour: tuple[int, int, int], share: float) -> float:
    """Poll the map until this colour covers more than `share` of it (WebGL paints after the element appears and
    after each update), at most ten seconds; the last share seen."""
    seen = 0.0
    for _ in range(40):
        seen = _share_of_map(page, colour)
        if seen > share:
            break
        page.wait_for_timeout(250)
    return seen


def test_the_offline_map_draws_its_land_from_a_file_the_app_serves(page, app_url):
    from components.places_map import LAND, LAND_URL

    land_files = []
    page.on("response", lambda response: land_files.append(response.status) if LAND_URL in response.url else None)
    open_page(page, app_url + "/international")
    page.locator("[data-testid='stDeckGlJsonChart'] canvas").first.wait_for()
    land = _map_shows(page, tuple(LAND), 0.15)
    assert land > 0.15, f"only {land:.0%} of the map is grey land"
    assert land_files == [200]
    assert page.blocked_requests == []


def test_choosing_a_country_moves_the_same_map_to_it(page, app_url):
    """One deck, updated in place (a new one costs the browser its WebGL programs again): choosing France in the
    sidebar changes its initial view, and Streamlit moves the map there."""
    from components.places_map import RAMP_HIGH

    open_page(page, app_url + "/international")
    _wait_for_charts(page, 1, True)
    canvas = page.locator("[data-testid='stDeckGlJsonChart'] canvas").first.element_handle()
    assert _share_of_map(page, RAMP_HIGH) < 0.02  # France, the darkest, is small on the world view
    country = page.get_by_test_id("stSidebar").get_by_test_id("stMultiSelect").filter(has_text="Country")
    country.locator("input").click()
    country.locator("input").press_sequentially("France")
    page.get_by_role("option", name="France", exact=True).click()
    expect(page.get_by_text("10 places in one country or territory")).to_be_visible()
    france = _map_shows(page, RAMP_HIGH, 0.1)  # about 17 %, with its borders and points over it
    assert france > 0.1, f"France covers {france:.0%} of the map"
    assert canvas.evaluate("node => node.isConnected"), "the map was drawn anew"


def test_clicking_a_sector_bar_filters_to_that_sector(page, app_url):
    open_page(page, app_url + "/sectors")
    bars = page.locator("[data-testid='stPlotlyChart']").first.locator(".bars .point path")
    expect(bars.first).to_be_visible()
    box = bars.nth(3).bounding_box()  # fourth sector in the catalog order: Health
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)  # Plotly listens on its drag layer
    expect(page).to_have_url(re.compile(r"sector=health"))
    expect(page.get_by_text("Showing: Health.")).to_be_visible()


def test_the_map_keeps_the_readers_view_when_the_page_reruns(page, app_url):
    from PIL import ImageChops

    def picture():
        return _map_picture(page).convert("L")

    def changed(first, second) -> float:
        difference = ImageChops.difference(first, second).point(lambda value: 255 if value > 30 else 0)
        return difference.histogram()[255] / (first.width * first.height)

    open_page(page, app_url + "/international")
    canvas = page.locator("[data-testid='stDeckGlJsonChart'] canvas").first
    canvas.wait_for()
    initial = picture()
    box = canvas.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + 150, y + 60, steps=10)
    page.mouse.up()
    dragged = picture()
    for _ in range(20):  # poll until the drag shows on the canvas
        if changed(initial, dragged) > 0.05:
            break
        page.wait_for_timeout(100)
        dragged = picture()
    assert changed(initial, dragged) > 0.05, "dragging did not move the map"
    page.locator("[data-testid='stSidebar']").get_by_text("Français").click()  # a rerun of the whole page
    expect(page.get_by_role("heading", name="Où le groupe agit")).to_be_visible()
    page.wait_for_selector(APP_READY)
    for _ in range(10):  # watch the map for a while after the rerun: it must not jump back to the initial view
        assert changed(initial, picture()) > 0.05, "the map jumped back to its initial view"
        page.wait_for_timeout(200)
