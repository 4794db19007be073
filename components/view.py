"""What every page needs to draw itself: the filters, the language, the catalog and the store."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from dashboard.filters import Filters
from dashboard.metadata import Catalog
from dashboard.store import Store

_VIEW_KEY = "_view"


@dataclass(frozen=True)
class View:
    filters: Filters
    lang: str
    catalog: Catalog
    store: Store


def set_current_view(view: View) -> None:
    st.session_state[_VIEW_KEY] = view


def current_view() -> View:
    """The view the entry script bound from the sidebar and the URL in this run."""
    return st.session_state[_VIEW_KEY]
