"""What a rerun of a view already seen costs the server: nothing asked of the store, no table formatted again."""

from __future__ import annotations

import pytest

from dashboard.store import Store
from tests.app.test_pages import PAGES, run_app, texts


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("query", [{}, {"country": ["FRA"]}], ids=["everything", "france"])
def test_a_rerun_of_a_view_already_seen_asks_the_store_nothing_and_formats_nothing_again(page, query, monkeypatch):
    app = run_app(page, **query)
    before = texts(app)
    asked, formatted = [], []

    def refuse(name):
        def record(self, *args, **kwargs):
            asked.append(name)
            raise AssertionError(f"{name} asked of the store on a rerun of a view already seen")

        return record

    monkeypatch.setattr(Store, "execute", refuse("execute"))
    monkeypatch.setattr(Store, "table", refuse("table"))
    for name in ("figures_display", "places_display"):
        monkeypatch.setattr(f"components.tables.{name}", lambda *args, name=name, **kwargs: formatted.append(name))
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    assert (asked, formatted) == ([], [])
    assert texts(app) == before
