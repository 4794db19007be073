"""In Chromium, with the app on a real PostgreSQL server that stops: the page says the data is temporarily
unavailable, and comes back by itself once the server is started again, with no reload and nothing clicked."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.conftest import open_page, screenshot, serve


def test_a_stopped_server_gives_a_waiting_page_that_comes_back_by_itself(page, stoppable_postgres):
    with serve(DASHBOARD_DATABASE_URL=stoppable_postgres.create_database()) as url:
        open_page(page, url)
        cards = page.get_by_test_id("stMetric")
        expect(cards).to_have_count(6)

        stoppable_postgres.stop()
        open_page(page, url)  # a new visit while it is stopped
        expect(page.get_by_text("The data is temporarily unavailable")).to_be_visible()
        expect(cards).to_have_count(0)
        expect(page.get_by_test_id("stException")).to_have_count(0)
        screenshot(page, "fault-store-unavailable")

        stoppable_postgres.start()
        expect(cards).to_have_count(6, timeout=30_000)  # asked again every few seconds: back with no reload
        expect(page.get_by_text("The data is temporarily unavailable")).to_have_count(0)
