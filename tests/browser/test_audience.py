"""A partner deployment in a real browser: the pages say whom they are for, and no internal indicator is drawn."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import open_page, screenshot, serve
from tests.conftest import INTERNAL_INDICATORS

pytestmark = pytest.mark.browser


def test_a_partner_deployment_says_so_and_draws_no_internal_indicator(page, partner_dataset):
    store = f"duckdb:///{partner_dataset / 'dashboard.duckdb'}"  # not the session's store, seeded from data/
    with serve(
        DASHBOARD_DATA_DIR=str(partner_dataset), DASHBOARD_DATABASE_URL=store, DASHBOARD_AUDIENCE="partner"
    ) as url:
        open_page(page, url + "/")
        expect(page.get_by_text("Partner view").first).to_be_visible()
        expect(page.locator("[data-testid='stMetric']")).to_have_count(5)  # employees is internal here
        shown = page.locator("[data-testid='stMain']").inner_text()
        assert page.locator("[data-testid='stException']").count() == 0
        for label, _ in INTERNAL_INDICATORS.values():
            assert label not in shown
        screenshot(page, "partner-overview")
