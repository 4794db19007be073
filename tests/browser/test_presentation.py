"""Presentation mode in a real browser at projector size: no chrome, large type, arrow keys, the deck download."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from pptx import Presentation

from tests.browser.conftest import APP_READY, open_page, screenshot

pytestmark = pytest.mark.browser

PROJECTOR = {"width": 1280, "height": 720}
TITLE = "[data-testid='stMain'] h1"


@pytest.fixture
def projector(page):
    page.set_viewport_size(PROJECTOR)
    return page


def _settled(page):
    page.wait_for_selector(APP_READY)


def _press(page, key: str, button: str = "present-next") -> None:
    """Press a key once its button is drawn: Streamlit shows a skeleton first, and binds the shortcut with the button."""
    page.locator(f".st-key-{button} kbd").first.wait_for()
    page.keyboard.press(key)


def _font_px(page, selector: str) -> float:
    return page.locator(selector).first.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")


def test_presentation_hides_the_app_chrome_and_uses_large_type(projector, app_url):
    open_page(projector, app_url + "/?present=1&lang=fr")
    expect(projector.locator(TITLE)).to_have_text("Chiffres clés")
    expect(projector.locator("[data-testid='stSidebar']")).to_be_hidden()
    expect(projector.locator("[data-testid='stHeader']")).to_be_hidden()
    assert _font_px(projector, TITLE) >= 36
    assert _font_px(projector, "[data-testid='stMetricValue'] div") >= 40
    expect(projector.locator("[data-testid='stMetricValue']").first).to_have_text("22\u202f000")
    screenshot(projector, "present-fr-1-kpis")
    assert projector.blocked_requests == []


def test_arrow_keys_step_through_the_slides_and_the_url_follows(projector, app_url):
    open_page(projector, app_url + "/?present=1&lang=fr")
    expect(projector.locator(TITLE)).to_have_text("Chiffres clés")
    _press(projector, "ArrowRight")
    expect(projector.locator(TITLE)).to_have_text("Croissance du groupe, 2009–2024")
    _settled(projector)
    projector.wait_for_function("() => location.search.includes('slide=2')")
    projector.locator("[data-testid='stPlotlyChart'] .main-svg").first.wait_for()
    screenshot(projector, "present-fr-2-growth")
    _press(projector, "ArrowRight")
    expect(projector.locator(TITLE)).to_have_text("Avancement des objectifs")
    screenshot(projector, "present-fr-3-targets")
    _press(projector, "ArrowLeft", "present-previous")
    expect(projector.locator(TITLE)).to_have_text("Croissance du groupe, 2009–2024")
    _press(projector, "Escape", "present-exit")
    # While the page is redrawn, the slide's title can stand beside the page's for a moment: wait for each in turn.
    expect(projector.get_by_role("heading", name="Le Groupe SOS en un coup d'œil", exact=True)).to_be_visible()
    expect(projector.get_by_role("heading", name="Croissance du groupe, 2009–2024", exact=True)).to_have_count(0)
    projector.wait_for_function("() => !location.search.includes('present')")
    assert "lang=fr" in projector.url


def test_a_link_reopens_the_same_slide_with_its_filters(projector, app_url):
    open_page(projector, app_url + "/?present=1&slide=2&sector=international")
    expect(projector.locator(TITLE)).to_have_text("Progress against targets")  # no group growth chart for a sector
    expect(projector.get_by_text("Showing: International action.")).to_have_count(1)
    screenshot(projector, "present-en-international-targets")


def test_the_deck_downloads_with_french_slides_and_sources_in_the_notes(projector, app_url, tmp_path):
    open_page(projector, app_url + "/?present=1&lang=fr")
    with projector.expect_download(timeout=180_000) as download:
        # the sidebar has the same button, hidden by presentation mode's style once it applies
        projector.locator("[data-testid='stMain']").get_by_role(
            "button", name=re.compile("PowerPoint de cette vue")
        ).click()
    path = tmp_path / "deck.pptx"
    download.value.save_as(path)
    assert download.value.suggested_filename == "groupe-sos.pptx"
    deck = Presentation(str(path))
    titles = [slide.shapes.title.text for slide in deck.slides if slide.shapes.title is not None]
    assert titles[:3] == ["Groupe SOS : indicateurs d'impact", "Chiffres clés", "Croissance du groupe, 2009–2024"]
    growth_notes = deck.slides[2].notes_slide.notes_text_frame.text
    assert "Sources" in growth_notes and "https://" in growth_notes
    assert "Salariés : hausse de 2\u202f700 en 2009" in growth_notes  # the alt text, in French
    pictures = [shape for shape in deck.slides[2].shapes if shape.shape_type == 13]
    assert pictures and "Salariés" in pictures[0]._element.nvPicPr.cNvPr.get("descr")


def test_a_chart_downloads_as_a_1920x1080_png_and_an_svg_with_its_source(page, app_url, tmp_path):
    from PIL import Image

    open_page(page, app_url + "/?lang=fr")
    page.locator("[data-testid='stPlotlyChart'] .main-svg").first.wait_for()
    with page.expect_download(timeout=120_000) as png:
        page.get_by_role("button", name=re.compile("PNG 16:9")).first.click()
    assert png.value.suggested_filename == "groupe-sos-growth.png"
    png.value.save_as(tmp_path / "growth.png")
    assert Image.open(tmp_path / "growth.png").size == (1920, 1080)
    with page.expect_download(timeout=120_000) as svg:
        page.get_by_role("button", name=re.compile("SVG")).first.click()
    text = svg.value.path().read_text(encoding="utf-8")
    assert "Croissance du groupe, 2009–2024" in text and "Sources :" in text and "Exporté le" in text
    assert "<desc>Salariés : hausse de" in text
    assert page.blocked_requests == []


def test_filters_work_from_the_keyboard(page, app_url):
    open_page(page, app_url + "/sectors")
    country = page.locator("[data-testid='stSidebar'] [data-testid='stMultiSelect'] input").first
    country.focus()
    page.keyboard.type("Senegal")
    page.keyboard.press("Enter")
    page.wait_for_function("() => location.search.includes('country=SEN')")
    page.keyboard.press("Escape")
    _settled(page)
    expect(page.get_by_text("Showing: Senegal.")).to_have_count(1)


def test_switching_language_then_presenting_keeps_the_filters(page, app_url):
    open_page(page, app_url + "/sectors?lang=fr&sector=international")
    page.locator("[data-testid='stSidebar']").get_by_text("English", exact=True).click()
    expect(page.locator(TITLE).first).to_have_text("Sectors")
    _settled(page)
    page.get_by_role("button", name=re.compile("Present")).click()
    expect(page.locator(TITLE)).to_have_text("Published figures and places by sector")
    _settled(page)
    expect(page.get_by_text("Showing: International action.")).to_have_count(1)
    assert "sector=international" in page.url
