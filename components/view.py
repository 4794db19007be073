"""What every page needs to draw itself (the filters, the language, the catalog and the store), and how it ends early."""

from __future__ import annotations

from dataclasses import dataclass
from typing import NoReturn

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


class PageEnded(Exception):
    """Raised by end_page; the entry script catches it where the page was run."""


def end_page() -> NoReturn:
    """Nothing more to show for this view: the page ends here. Unlike st.stop(), the entry script goes on after the
    page: it writes the view's URL once the page is drawn (dashboard/app.py), and a stopped run sends nothing more."""
    raise PageEnded
