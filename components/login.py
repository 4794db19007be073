"""The data stewards' login in front of /admin: st.login() (OpenID Connect) or a password form, as the secrets say."""

from __future__ import annotations

import math

import streamlit as st
from streamlit.errors import StreamlitAuthError, StreamlitMissingAuthlibError, StreamlitSecretNotFoundError

from components.markdown import escape
from dashboard.audience import Access
from dashboard.auth import LoginConfig, check_login, login_config, steward_allowed
from dashboard.i18n import t
from dashboard.settings import internal_users

STEWARD_KEY = "admin_steward"  # session state: the user name logged in with a password


def require_login(lang: str) -> str | None:
    """Draw the login and return the logged-in steward ("alice", "alice@example.org"), or None: draw nothing more."""
    # Streamlit 1.67 raises on any read of st.secrets when there is no secrets file, and when the file does not parse.
    try:
        secrets = st.secrets.to_dict()
    except StreamlitSecretNotFoundError as error:
        if problem := error.exec_kwargs.get("error"):
            st.error(t("login_secrets_unreadable", lang, error=escape(problem)))
            return None
        secrets = {}
    config = login_config(secrets)
    if config.method == "oidc":
        return _identity_provider_login(config, lang)
    if config.method == "password":
        return _password_login(config, lang)
    st.info(t("login_not_configured", lang))
    return None


def _password_login(config: LoginConfig, lang: str) -> str | None:
    steward = st.session_state.get(STEWARD_KEY)
    if steward in config.users and not _logout_pressed(steward, lang):
        return steward
    st.session_state.pop(STEWARD_KEY, None)  # logged out, or removed from the secrets since logging in
    st.markdown(t("login_intro", lang))
    message = st.empty()  # above the form, where the eye goes after pressing Enter
    with st.form("login", clear_on_submit=True, enter_to_submit=True):
        username = st.text_input(t("login_username", lang), key="login-username", max_chars=100,
                                 autocomplete="username")  # fmt: skip
        password = st.text_input(t("login_password", lang), key="login-password", type="password",
                                 max_chars=200, autocomplete="current-password")  # fmt: skip
        submitted = st.form_submit_button(t("login_submit", lang), type="primary", key="login-submit")
    if not submitted:
        return None
    if not username.strip() or not password:
        message.warning(t("login_missing_fields", lang))
        return None
    outcome = check_login(config.users, username, password, st.context.ip_address, config.policy)
    if outcome.ok:
        st.session_state[STEWARD_KEY] = username.strip()
        st.rerun()  # draw the page without the form
    if outcome.wait_seconds:
        message.error(t("login_locked", lang, minutes=str(math.ceil(outcome.wait_seconds / 60))))
    else:
        message.error(t("login_failed", lang))
    return None


def _identity_provider_login(config: LoginConfig, lang: str) -> str | None:
    if config.missing:
        st.error(t("login_auth_incomplete", lang, missing=", ".join(f"`{key}`" for key in config.missing)))
        return None
    if st.user.get("is_logged_in"):
        email = st.user.get("email")
        identity = str(email or st.user.get("name") or st.user.get("sub") or "?")
        if not steward_allowed(config, email):
            st.error(t("login_not_steward", lang, identity=escape(identity)))
            if st.button(t("login_logout", lang), key="logout"):
                st.logout()
            return None
        if _logout_pressed(identity, lang):
            st.logout()  # the browser goes to Streamlit's logout address, then back here logged out
            return None
        return identity
    st.markdown(t("login_intro", lang))
    for provider in config.providers:
        label = (t("login_oidc", lang) if provider is None
                 else t("login_oidc_with", lang, provider=provider[:1].upper() + provider[1:]))  # fmt: skip
        if st.button(label, key=f"login-oidc-{provider or 'default'}", type="primary"):
            try:
                st.login(provider or "default")
            except StreamlitMissingAuthlibError:
                st.error(t("login_needs_authlib", lang))
            except StreamlitAuthError:
                st.error(t("login_oidc_error", lang))
    return None


def _logout_pressed(identity: str, lang: str) -> bool:
    """Who is logged in, and the way out."""
    with st.container(horizontal=True, vertical_alignment="center"):
        st.caption(t("login_logged_in_as", lang, identity=escape(identity)))
        return st.button(t("login_logout", lang), key="logout")


def viewer_access(deployment: Access) -> Access:
    """What this reader may see: the deployment's audience, unless a partner deployment's reader is logged in (with
    st.login, or with a steward's password on /admin) as one of `[access] internal_users`."""
    if not deployment.partner:
        return deployment
    identity = st.user.get("email") if st.user.get("is_logged_in") else st.session_state.get(STEWARD_KEY)
    if identity and str(identity).strip().lower() in internal_users():
        return Access("internal", deployment.small_count)
    return deployment
