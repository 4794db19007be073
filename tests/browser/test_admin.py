"""A data steward's round in a real browser, on an app served from a real PostgreSQL database: log in, download the
template, upload a file with problems, then a valid one, import it, see the dashboard change, and roll it back."""

from __future__ import annotations

import re

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from dashboard.auth import hash_password
from tests.browser.conftest import APP_READY, open_page, screenshot, serve
from tests.uploads import NEW_FIGURE, existing_figure, observations_csv

PASSWORD = "correct horse battery staple"


@pytest.fixture(scope="module")
def steward_url(postgres_server, tmp_path_factory):
    folder = tmp_path_factory.mktemp("steward")
    secrets = folder / "secrets.toml"
    secrets.write_text(f'[admin.users]\nalice = "{hash_password(PASSWORD)}"\n', encoding="utf-8")
    database = postgres_server.create_database()
    with serve("--secrets.files", str(secrets), DASHBOARD_DATABASE_URL=database) as url:
        yield url
    postgres_server.drop_database(database.rsplit("/", 1)[1])


def wait_idle(page) -> None:
    page.wait_for_selector(APP_READY)


def log_in(page, url: str) -> None:
    open_page(page, url + "/admin")
    page.get_by_label("User name").fill("alice")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_text(re.compile("current version 1$"))).to_be_visible()


def headline_employees(browser, url: str) -> str:
    """The Employees card of the overview, as a new visitor sees it."""
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    try:
        page = open_page(context.new_page(), url)
        return page.get_by_test_id("stMetric").filter(has_text="Employees").first.inner_text()
    finally:
        context.close()


def test_the_page_is_closed_until_the_steward_logs_in(page, steward_url):
    open_page(page, steward_url + "/admin")
    expect(page.get_by_role("button", name="Log in")).to_be_visible()
    assert page.locator("input[type=file]").count() == 0
    screenshot(page, "admin-login")


def test_a_stewards_round_from_template_to_rollback(page, browser, steward_url, tmp_path):
    log_in(page, steward_url)
    assert page.get_by_test_id("stSidebar").get_by_text("Filters").count() == 0  # no filters on this page

    with page.expect_download() as template:
        page.get_by_test_id("stDownloadButton").filter(has_text="Excel template").click()
    template.value.save_as(tmp_path / "template.xlsx")
    workbook = load_workbook(tmp_path / "template.xlsx")
    assert "observations" in workbook.sheetnames and workbook["observations"].data_validations.dataValidation

    bad = tmp_path / "observations.csv"
    bad.write_bytes(observations_csv({**NEW_FIGURE, "value": "lots"}, {**NEW_FIGURE, "observation_id": "obs-901",
                                                                      "country_iso3": "XXX"}))  # fmt: skip
    page.locator("input[type=file]").set_input_files(str(bad))
    expect(page.get_by_text(re.compile(r"2 problem\(s\) found"))).to_be_visible()
    expect(page.get_by_role("button", name=re.compile("Import as version"))).to_have_count(0)
    screenshot(page, "admin-problems")

    good = tmp_path / "figures-2025.csv"
    good.write_bytes(observations_csv(NEW_FIGURE, {**existing_figure("obs-005"), "value": "4100"}))
    page.locator("input[type=file]").set_input_files(str(good))
    import_button = page.get_by_role("button", name="Import as version 2")
    expect(import_button).to_be_visible()
    expect(page.get_by_text(re.compile(r"will add 1 row\(s\), change 1 and remove 0"))).to_be_visible()
    screenshot(page, "admin-preview")
    import_button.click()
    expect(page.get_by_text(re.compile(r"Imported as version 2: \+1 ~1 −0"))).to_be_visible()
    wait_idle(page)
    assert "23,000" in headline_employees(browser, steward_url)  # every visitor now gets version 2

    page.get_by_text("I understand").click()
    page.get_by_role("button", name="Roll back").click()
    expect(page.get_by_text("Version 1 is current again, as version 3.")).to_be_visible()
    wait_idle(page)
    screenshot(page, "admin-history")
    employees = headline_employees(browser, steward_url)
    assert "22,000" in employees and "23,000" not in employees
