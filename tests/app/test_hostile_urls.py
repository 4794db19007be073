"""The app opened with each hostile URL of the corpus (tests/hostile/corpus.py): no exception element, the page
still drawn, a visible notice naming what was ignored, the value neither applied nor written back to the URL, and
data text escaped; then a few hostile files uploaded on /admin: their problems listed, nothing imported."""

from __future__ import annotations

import re

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.auth import LOGIN_LIMITER, hash_password
from tests.app.test_admin import PASSWORD, logged_in, upload, versions_shown
from tests.app.test_pages import APP
from tests.hostile.corpus import FILES, URLS, UrlCase

FILTER_KEYS = ("country", "sector", "entity")


def open_app(case: UrlCase) -> AppTest:
    app = AppTest.from_file(APP, default_timeout=60)
    for key, values in case.params.items():
        app.query_params[key] = values
    app.run()
    if case.page:
        app.switch_page(case.page)
        app.run()
    return app


def unescaped(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text)


@pytest.mark.parametrize("case", URLS, ids=[case.name for case in URLS])
def test_a_hostile_url_shows_a_notice_and_the_page_and_applies_nothing_of_it(case):
    app = open_app(case)
    assert not app.exception, [e.value for e in app.exception]
    assert app.title, "the page was not drawn"
    notices = [unescaped(w.value) for w in app.warning]
    if case.notice is not None:
        assert any(case.notice in notice for notice in notices), notices
    for key in FILTER_KEYS:
        widget = app.multiselect(key=key) if app.session_state[key] else None
        assert list(app.session_state[key]) == case.kept.get(key, [])
        assert widget is None or list(widget.value) == case.kept.get(key, [])
    if "years" in case.kept:
        assert tuple(app.session_state["years"]) == tuple(int(y) for y in case.kept["years"])
    for warning in app.warning:  # Markdown (and so HTML) is escaped: each special character has its backslash
        assert not re.search(r"(?<!\\)[<>\[\]*`]", warning.value), warning.value
    if sum(len(values) for values in case.params.values()) > 1000:
        return  # Streamlit drops a query string of over 1,000 parameters before the app sees it: nothing to rewrite
    written = [
        value for values in app.query_params.values() for value in ([values] if isinstance(values, str) else values)
    ]
    hostile = {value for values in case.params.values() for value in values}
    kept = {value for values in case.kept.values() for value in values}
    assert not (set(written) & hostile) - kept - {"1"}, written  # present=1 is kept


UPLOADS = ["observations-html-in-ids.csv", "script-sheet-name.xlsx", "zip-bomb.xlsx", "billion-laughs.xlsx",
           "observations-1e308.csv", "two-sheets-one-table.xlsx"]  # fmt: skip


@pytest.fixture(scope="module")
def alice_hash() -> str:
    return hash_password(PASSWORD)


@pytest.mark.parametrize("name", UPLOADS)
def test_a_hostile_upload_on_admin_is_listed_and_nothing_is_imported(name, hostile_files, alice_hash, tmp_path,
                                                                      monkeypatch):  # fmt: skip
    monkeypatch.setenv("DASHBOARD_DATABASE_URL", f"duckdb:///{tmp_path / 'admin.duckdb'}")
    LOGIN_LIMITER.reset()
    case = next(case for case in FILES if case.file == name)
    app = upload(logged_in(alice_hash), name, hostile_files[name].read_bytes())
    assert "Nothing was imported" in app.error[0].value
    (problems,) = [table.value for table in app.table]
    found = [unescaped(value) for value in problems.iloc[:, 3]]  # the "Value found" column
    quoted = [value for fragment in case.says for value in re.findall(r'(?<=: )"(.+)"$', fragment)]
    assert all(value in found for value in quoted), (quoted, found)
    assert not [b for b in app.button if b.label.startswith("Import")]
    assert versions_shown(app) == ["1 · current"]
