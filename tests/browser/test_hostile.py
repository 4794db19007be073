"""The hostile links of the corpus in a real browser: each page is drawn, and no exception reaches it."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest

from tests.browser.conftest import open_page
from tests.hostile.corpus import URLS

pytestmark = pytest.mark.browser

PATHS = {None: "/", "app_pages/international.py": "/international", "app_pages/admin.py": "/admin"}


@pytest.mark.parametrize("case", URLS, ids=[case.name for case in URLS])
def test_a_hostile_link_draws_its_page_without_an_exception(page, app_url, case):
    dialogs = []  # a script or an onerror handler that ran would open one (alert)
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    open_page(page, f"{app_url}{PATHS.get(case.page, '/')}?{urlencode(case.params, doseq=True)}")
    assert page.locator("[data-testid='stException']").count() == 0
    assert page.locator("[data-testid='stMain'] [data-testid='stElementContainer']").count() > 0
    assert dialogs == []
    assert page.blocked_requests == [], f"requests left this machine: {page.blocked_requests}"
