"""The stewards' login through AppTest: closed without configuration, a password form with a lockout, or st.login."""

from __future__ import annotations

import sys

import pytest
import streamlit
from streamlit.runtime.secrets import Secrets
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.util import patch_config_options

from dashboard.auth import LOGIN_LIMITER, hash_password
from tests.app.test_pages import run_app, texts
from tests.conftest import ROOT

LOGIN_APP = str(ROOT / "tests" / "app" / "login_app.py")
PASSWORD = "correct horse battery staple"
MARKER = "Behind the gate"
OIDC = {
    "redirect_uri": "http://localhost:8501/oauth2callback",
    "cookie_secret": "a-long-random-cookie-secret",
    "client_id": "dashboard",
    "client_secret": "client-secret",
    "server_metadata_url": "https://id.example.org/.well-known/openid-configuration",
}


@pytest.fixture(autouse=True)
def fresh_limiter():
    LOGIN_LIMITER.reset()  # process-wide: failures of one test must not lock the next one out
    yield
    LOGIN_LIMITER.reset()


@pytest.fixture(scope="module")
def alice_hash() -> str:
    return hash_password(PASSWORD)


def login_app(secrets: dict | None = None, **query: str) -> AppTest:
    return run_app(script=LOGIN_APP, secrets=secrets, **query)


def log_in(app: AppTest, username: str, password: str) -> AppTest:
    app.text_input(key="login-username").input(username)
    app.text_input(key="login-password").input(password)
    app.button(key="login-submit").click().run()
    assert not app.exception, [e.value for e in app.exception]
    return app


@pytest.fixture
def no_secrets_file(tmp_path, monkeypatch):
    """st.secrets as Streamlit makes it when no secrets.toml exists (whatever the developer's own machine has)."""
    monkeypatch.setattr(streamlit, "secrets", Secrets())
    with patch_config_options({"secrets.files": [str(tmp_path / "secrets.toml")]}):
        yield


def test_without_a_login_configured_the_page_says_how_and_shows_nothing_else(no_secrets_file):
    app = login_app()
    assert len(app.info) == 1
    message = app.info[0].value
    assert "No login is configured" in message
    assert "python -m dashboard hash-password" in message and "Data stewards" in message
    assert not app.text_input and not app.button and MARKER not in texts(app)


def test_the_no_login_message_is_in_french_too(no_secrets_file):
    app = login_app(lang="fr")
    assert "Aucune connexion n'est configurée" in app.info[0].value


def test_an_unreadable_secrets_file_is_reported_not_taken_for_no_login(tmp_path, monkeypatch):
    (tmp_path / "secrets.toml").write_text("[admin.users\nalice = 'x'\n", encoding="utf-8")
    monkeypatch.setattr(streamlit, "secrets", Secrets())
    with patch_config_options({"secrets.files": [str(tmp_path / "secrets.toml")]}):
        app = login_app()
    assert "cannot be read" in app.error[0].value
    assert not app.text_input and MARKER not in texts(app)


def test_the_password_form_asks_without_echo(alice_hash):
    app = login_app({"admin": {"users": {"alice": alice_hash}}})
    username, password = app.text_input(key="login-username"), app.text_input(key="login-password")
    assert password.proto.type == password.proto.PASSWORD and username.proto.type == username.proto.DEFAULT
    assert username.proto.autocomplete == "username" and password.proto.autocomplete == "current-password"
    assert MARKER not in texts(app)


def test_a_wrong_password_shows_an_error_and_nothing_behind_the_gate(alice_hash):
    app = log_in(login_app({"admin": {"users": {"alice": alice_hash}}}), "alice", "not the password")
    assert [e.value for e in app.error] == ["Wrong user name or password."]
    assert MARKER not in texts(app)


def test_an_unknown_user_gets_the_same_error(alice_hash):
    app = log_in(login_app({"admin": {"users": {"alice": alice_hash}}}), "mallory", PASSWORD)
    assert [e.value for e in app.error] == ["Wrong user name or password."]
    assert MARKER not in texts(app)


def test_the_right_password_opens_the_gate_until_logging_out(alice_hash):
    app = log_in(login_app({"admin": {"users": {"alice": alice_hash}}}), "alice", PASSWORD)
    assert "Behind the gate, as alice." in texts(app)
    assert not app.text_input and not app.error  # the form is gone
    assert "Logged in as alice." in texts(app)
    app.run()
    assert "Behind the gate, as alice." in texts(app)  # stays logged in for the session
    app.button(key="logout").click().run()
    assert MARKER not in texts(app)
    assert app.text_input(key="login-password")


def test_after_five_failures_even_the_right_password_is_refused(alice_hash):
    app = login_app({"admin": {"users": {"alice": alice_hash}}})
    for _ in range(5):
        log_in(app, "alice", "guess")
    log_in(app, "alice", PASSWORD)
    assert [e.value for e in app.error] == ["Too many failed attempts. Try again in 1 min."]
    assert MARKER not in texts(app)


def test_login_attempts_is_read_from_the_secrets(alice_hash):
    app = login_app({"admin": {"users": {"alice": alice_hash}, "login_attempts": 2}})
    log_in(log_in(app, "alice", "guess"), "alice", "guess")
    log_in(app, "alice", PASSWORD)
    assert "Too many failed attempts" in app.error[0].value


def test_an_empty_form_is_not_counted_as_a_failure(alice_hash):
    app = login_app({"admin": {"users": {"alice": alice_hash}}})
    log_in(app, "", "")
    assert app.warning[0].value == "Enter your user name and your password."
    assert LOGIN_LIMITER.wait_seconds(["user:"]) == 0


def test_with_openid_connect_configured_the_page_offers_the_log_in_button_and_no_password_form(alice_hash):
    app = login_app({"auth": OIDC, "admin": {"users": {"alice": alice_hash}}})
    assert [b.label for b in app.button] == ["Log in"]
    assert not app.text_input and MARKER not in texts(app)


def test_a_missing_authlib_is_reported_when_logging_in(monkeypatch):
    monkeypatch.setitem(sys.modules, "authlib", None)  # `import authlib` fails, as on an install without it
    app = login_app({"auth": OIDC})
    app.button(key="login-oidc-default").click().run()
    assert "Authlib" in app.error[0].value
    assert MARKER not in texts(app)


def test_each_named_provider_gets_a_button():
    provider = {key: OIDC[key] for key in ("client_id", "client_secret", "server_metadata_url")}
    app = login_app({"auth": {"redirect_uri": OIDC["redirect_uri"], "cookie_secret": OIDC["cookie_secret"],
                              "microsoft": provider, "okta": provider}})  # fmt: skip
    assert [b.label for b in app.button] == ["Log in with Microsoft", "Log in with Okta"]


def test_an_incomplete_auth_section_says_what_it_lacks():
    app = login_app({"auth": {"client_id": "dashboard"}})
    assert "`auth.redirect_uri`" in app.error[0].value
    assert not app.button and not app.text_input


def test_a_logged_in_identity_provider_account_passes_the_gate():
    app = AppTest.from_file(LOGIN_APP, default_timeout=30)
    app.secrets["auth"] = OIDC
    app.user = {"is_logged_in": True, "email": "alice@example.org", "name": "Alice"}
    app.run()
    assert "Behind the gate, as alice@example.org." in texts(app)
    assert app.button(key="logout").label == "Log out"


def test_an_account_not_in_allowed_emails_is_turned_away():
    app = AppTest.from_file(LOGIN_APP, default_timeout=30)
    app.secrets["auth"] = OIDC
    app.secrets["admin"] = {"allowed_emails": ["alice@example.org"]}
    app.user = {"is_logged_in": True, "email": "mallory@example.org"}
    app.run()
    assert "mallory@example.org is not a data steward's" in texts(app)
    assert MARKER not in texts(app)
