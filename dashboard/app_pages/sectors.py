"""Sectors: what is published about each of the eight sectors and Pulse, and where the gaps are."""

from dataclasses import replace

import streamlit as st

from components.chart_block import series_charts
from components.filter_bar import bars_that_filter
from components.page_parts import page_header, slot, view_figures_table
from components.storyboard import deck_header, sectors_slide, series_by_section
from components.view import current_view, end_page
from dashboard.i18n import format_number, t
from dashboard.queries import by_sector

LITTLE_DATA = 3

view = current_view()
lang, filters, catalog, store = view.lang, view.filters, view.catalog, view.store
deck = deck_header(store, catalog, filters, lang)

page_header(view, "sectors_title", "sectors_intro")

overview = by_sector(store, filters)
if overview.empty:
    st.info(t("sectors_none_selected", lang))
    end_page()
bars_that_filter(
    sectors_slide(store, catalog, filters, lang),
    deck,
    key="sector-bars",
    filter_key="sector",
    caption=t("click_bar_sector", lang),
)

series = series_by_section(
    store, catalog, filters, lang, per="sector_id", sections=tuple(overview["sector_id"]), rivals=False
)


def sector_section(sector: dict) -> None:
    """A sector: its name and counts, a note when little or nothing is published, its series charts and figures."""
    info, figures = catalog.sectors[sector["sector_id"]], sector["figures"]
    st.subheader(f":material/label: {info.label(lang)}", anchor=info.id, divider="gray")
    counts = {measure: format_number(sector[measure], lang) for measure in ("figures", "places")}
    st.caption(t("sector_summary", lang, **counts))
    with slot():  # a note, or none
        if figures == 0:
            narrowed = filters.countries or filters.entities or filters.years
            st.info(t("sector_no_data_selection" if narrowed else "sector_no_data", lang), icon=":material/search_off:")
        elif figures < LITTLE_DATA:
            st.info(t("sector_little_data", lang, count=figures), icon=":material/info:")
    if figures:
        series_charts(series[info.id], deck, key=f"sector-{info.id}", entities_chosen=bool(filters.entities))
        view_figures_table(view, key=f"sector-{info.id}", filters=replace(filters, sectors=(info.id,)), total=figures)


for sector in overview.to_dict("records"):
    with slot():
        sector_section(sector)
