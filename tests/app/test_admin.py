"""/admin through AppTest on a store of its own: closed without a login, then the steward's whole round: template,
an upload with problems (nothing written), a valid upload previewed and imported, the dashboard showing it, and a
rollback."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.auth import LOGIN_LIMITER, hash_password
from tests.app.test_pages import APP, run_app, texts
from tests.uploads import NEW_FIGURE, existing_figure, observations_csv

ADMIN = "app_pages/admin.py"
PASSWORD = "correct horse battery staple"


@pytest.fixture(autouse=True)
def own_store(tmp_path, monkeypatch):
    """A DuckDB store for this test only: imports here must not change what the other tests see."""
    monkeypatch.setenv("DASHBOARD_DATABASE_URL", f"duckdb:///{tmp_path / 'admin.duckdb'}")
    LOGIN_LIMITER.reset()


@pytest.fixture(scope="module")
def alice_hash() -> str:
    return hash_password(PASSWORD)


def admin_app(secrets: dict | None = None, **query: str) -> AppTest:
    return run_app(ADMIN, secrets=secrets, **query)


def logged_in(alice_hash: str, **query: str) -> AppTest:
    app = admin_app({"admin": {"users": {"alice": alice_hash}}}, **query)
    app.text_input(key="login-username").input("alice")
    app.text_input(key="login-password").input(PASSWORD)
    app.button(key="login-submit").click().run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def upload(app: AppTest, name: str, content: bytes) -> AppTest:
    app.get("file_uploader")[0].upload(name, content, "text/csv").run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def versions_shown(app: AppTest) -> list[str]:
    table = next(frame.value for frame in app.dataframe if "Version" in frame.value.columns)
    return list(table["Version"])


def test_without_a_login_nothing_of_the_page_is_shown(alice_hash):
    app = admin_app({"admin": {"users": {"alice": alice_hash}}})
    assert app.text_input(key="login-password")
    assert not app.get("file_uploader") and not app.get("download_button") and not app.dataframe
    assert "current version" not in texts(app)


def test_a_wrong_password_opens_nothing(alice_hash):
    app = admin_app({"admin": {"users": {"alice": alice_hash}}})
    app.text_input(key="login-username").input("alice")
    app.text_input(key="login-password").input("guess")
    app.button(key="login-submit").click().run()
    assert [e.value for e in app.error] == ["Wrong user name or password."]
    assert not app.get("file_uploader") and not app.dataframe


def test_logged_in_the_steward_sees_the_template_the_upload_and_the_history(alice_hash):
    app = logged_in(alice_hash)
    assert "current version 1" in texts(app) and "Logged in as alice." in texts(app)
    labels = [button.proto.label for button in app.get("download_button")]
    assert labels == ["Excel template", "Current data (version 1)"]
    assert list(app.get("file_uploader")[0].proto.type) == [".xlsx", ".csv"]
    assert versions_shown(app) == ["1 · current"]


def test_an_upload_with_problems_lists_them_and_offers_no_import(alice_hash):
    app = logged_in(alice_hash)
    bad = observations_csv({**NEW_FIGURE, "value": "lots"}, {**NEW_FIGURE, "observation_id": "obs-901",
                                                             "country_iso3": "XXX"})  # fmt: skip
    upload(app, "observations.csv", bad)
    assert "2 problem(s) found. Nothing was imported" in app.error[0].value
    (problems,) = [table.value.replace(r"\\(.)", r"\1", regex=True) for table in app.table]  # Markdown escapes
    assert list(zip(problems["Row"], problems["Column"], strict=True)) == [(2, "value"), (3, "country_iso3")]
    assert "lots" in list(problems["Value found"]) and "XXX" in list(problems["Value found"])
    assert not [b for b in app.button if b.label.startswith("Import")]
    assert versions_shown(app) == ["1 · current"]


def test_a_valid_upload_is_previewed_imported_shown_and_rolled_back(alice_hash):
    app = logged_in(alice_hash)
    upload(app, "figures-2025.csv", observations_csv(NEW_FIGURE, {**existing_figure("obs-005"), "value": "4100"}))
    assert "Importing it will add **1** row(s), change **1** and remove **0**" in texts(app)
    preview = next(frame.value for frame in app.dataframe if "What changes" in frame.value.columns)
    assert list(preview["observation_id"]) == ["obs-900", "obs-005"]
    assert "value: 4000 → 4100" in list(preview["What changes"])
    (button,) = [b for b in app.button if b.label == "Import as version 2"]
    button.click().run()
    assert not app.exception, [e.value for e in app.exception]
    assert app.success[0].value.startswith("Imported as version 2: +1 ~1 −0.")
    assert versions_shown(app)[:2] == ["2 · current", "1"]
    assert not app.get("file_uploader")[0].value  # a fresh uploader: the same file is not imported twice

    overview = AppTest.from_file(APP, default_timeout=60).run()
    assert "23,000" in texts(overview) and "2025" in texts(overview)  # the dashboard serves version 2

    app.selectbox(key="admin_rollback_version").select(1)
    app.checkbox(key="admin_rollback_confirmed").check()
    app.button(key="FormSubmitter:rollback-Roll back").click().run()
    assert not app.exception, [e.value for e in app.exception]
    assert app.success[0].value == "Version 1 is current again, as version 3."
    assert versions_shown(app)[:3] == ["3 · current", "2", "1"]
    overview = AppTest.from_file(APP, default_timeout=60).run()
    assert "22,000 in 2024" in texts(overview)


def test_a_rollback_needs_its_confirmation(alice_hash):
    app = logged_in(alice_hash)
    upload(app, "figures-2025.csv", observations_csv(NEW_FIGURE))
    next(b for b in app.button if b.label == "Import as version 2").click().run()
    app.selectbox(key="admin_rollback_version").select(1)
    app.button(key="FormSubmitter:rollback-Roll back").click().run()
    assert "confirm" in app.warning[0].value.lower()
    assert versions_shown(app)[0] == "2 · current"


def test_the_page_is_in_french_too(alice_hash):
    app = logged_in(alice_hash, lang="fr")
    assert "version en cours 1" in texts(app) and "Connecté en tant que alice." in texts(app)
    assert [b.proto.label for b in app.get("download_button")] == ["Modèle Excel", "Données en cours (version 1)"]
