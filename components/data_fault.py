"""What a page shows instead of itself when its data cannot be had: the database does not answer for now (and the
page comes back by itself), or what is wrong with the data and how to fix it. Never a traceback."""

from __future__ import annotations

import logging
import time

import streamlit as st

from components.markdown import escape
from dashboard.i18n import t
from dashboard.store import DataFileError, StoreUnavailable, current_store

RETRY_SECONDS = 5  # while the database does not answer, each waiting page asks again this often


@st.fragment(run_every=RETRY_SECONDS)
def reload_when_the_store_answers() -> None:
    """Every RETRY_SECONDS, the whole page again once the store answers (not at once: a question that fails where
    current_store() succeeds would otherwise draw the page again and again without a pause)."""
    if time.monotonic() - st.session_state.get("store_unavailable_at", 0) < RETRY_SECONDS:
        return
    try:
        current_store()
    except DataFileError:
        return
    st.rerun()


def data_fault(error: Exception, lang: str) -> None:
    """Instead of the page (or the rest of it): the database does not answer for now, or what is wrong with the
    data and how to fix it. Never a traceback."""
    if isinstance(error, StoreUnavailable):
        logging.getLogger(__name__).warning("%s", error)  # for whoever runs the server; the reader gets words
        st.warning(
            f"**{t('store_unavailable_title', lang)}**\n\n{t('store_unavailable', lang)}", icon=":material/cloud_off:"
        )
        st.session_state["store_unavailable_at"] = time.monotonic()
        reload_when_the_store_answers()
    else:
        st.error(f"**{t('error_title', lang)}**\n\n{escape(error)}", icon=":material/error:")
    st.stop()
