"""Entry point: page config, navigation, the shared sidebar filters and notices; the pages do the rest."""

from __future__ import annotations

from contextlib import suppress
from functools import partial
from pathlib import Path

import streamlit as st

from components.data_fault import data_fault
from components.filter_bar import keep_filters, language_switch, sidebar_filters, url_notices, write_url
from components.login import viewer_access
from components.markdown import escape
from components.presentation import deck_download, presentation, start_presenting, view_pptx
from components.storyboard import build_deck, dataset_line
from components.view import PageEnded, View, set_current_view
from dashboard.filters import Filters
from dashboard.i18n import LANGUAGES, t
from dashboard.metadata import load_catalog
from dashboard.queries import year_bounds
from dashboard.settings import configured_access
from dashboard.store import DataFileError, current_store

ICON = Path(__file__).resolve().parent / "assets" / "icon.png"  # a local file: an icon name would be fetched online
st.set_page_config(page_title="Groupe SOS · impact", page_icon=str(ICON), layout="wide")


try:
    store = current_store(viewer_access(configured_access()))
    catalog = load_catalog(store)
    years = year_bounds(store)
except (DataFileError, OSError, ValueError, KeyError) as error:
    asked = st.query_params.get("lang")
    data_fault(error, asked if asked in LANGUAGES else "en")

lang = language_switch(catalog, years)
pages = [
    st.Page("app_pages/overview.py", title=t("page_overview", lang), icon=":material/dashboard:", default=True),
    st.Page("app_pages/sectors.py", title=t("page_sectors", lang), icon=":material/category:", url_path="sectors"),
    st.Page(
        "app_pages/international.py",
        title=t("page_international", lang),
        icon=":material/public:",
        url_path="international",
    ),
    st.Page(
        "app_pages/programmes.py",
        title=t("page_programmes", lang),
        icon=":material/volunteer_activism:",
        url_path="programmes",
    ),
    st.Page("app_pages/sources.py", title=t("page_sources", lang), icon=":material/menu_book:", url_path="sources"),
    st.Page(
        "app_pages/admin.py", title=t("page_admin", lang), icon=":material/admin_panel_settings:", url_path="admin"
    ),
]
presenting = bool(st.session_state.get("present"))
page = st.navigation(pages, position="hidden" if presenting else "top")
stewarding = page.url_path == "admin"  # the data stewards' page: no filters, no slides, the language only
presenting = presenting and not stewarding  # the stewards' page is never presented

filters: Filters | None = None
shown: int | None = None  # the slide presentation mode shows
try:  # the database can stop answering (or a file go bad) while the page is drawn: data_fault says so
    if stewarding:
        filters = Filters()  # the language stays in the link; the filters wait in the session
        keep_filters()
    else:
        filters = sidebar_filters(catalog, store, years, lang)
    set_current_view(View(filters=filters, lang=lang, catalog=catalog, store=store))

    if not stewarding:
        with st.sidebar:
            st.divider()
            with st.container(horizontal=True):
                st.button(t("present_start", lang), icon=":material/slideshow:", on_click=start_presenting,
                          help=t("present_start_help", lang), key="present-start")  # fmt: skip
                deck_download(partial(view_pptx, store, catalog, filters, lang), lang, key="sidebar-deck")
            if not catalog.synthetic:  # synthetic data gets the banner above every page instead
                st.caption(dataset_line(store, catalog, lang))
            if store.access.partner:
                st.caption(t("partner_view", lang, count=store.access.small_count))

    if catalog.synthetic:
        st.warning(t("dataset_synthetic", lang), icon=":material/science:")
    for notice in url_notices(lang):
        st.warning(escape(notice), icon=":material/link_off:")

    if presenting:
        # The sidebar was drawn (and is hidden) so that the filters' widgets keep their values while presenting.
        shown = presentation(build_deck(store, catalog, filters, lang), page.url_path)
    else:
        with suppress(PageEnded):  # a page with nothing more to show for the view ends early (end_page)
            page.run()
    write_url(filters, lang, presenting, shown)
except DataFileError as error:
    if filters is not None:
        write_url(filters, lang, presenting, shown)
    data_fault(error, lang)
