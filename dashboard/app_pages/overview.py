"""Overview: where the group stands (a one-line summary and the headline KPIs), how it grew, and its targets."""

import streamlit as st

from components.chart_block import chart_block, target_cards
from components.kpi import headline_cards, kpi_card
from components.page_parts import page_header, slot, view_figures_table
from components.storyboard import (
    deck_header,
    dimensions_text,
    growth_slide,
    headline_kpis,
    kpi_summary,
    targets_of_view,
)
from components.view import current_view
from dashboard.i18n import t

view = current_view()
lang, filters, catalog, store = view.lang, view.filters, view.catalog, view.store

page_header(view, "overview_title", "overview_intro")

kpis = headline_kpis(store, filters)
st.markdown(f"**{kpi_summary(kpis, catalog, lang, filters)}**")
with st.container(horizontal=True, gap="small"):  # cards wrap onto a second row rather than truncate
    for card in headline_cards(store, catalog, filters, lang):
        kpi_card(card, lang)

growth = growth_slide(store, catalog, filters, lang)
with slot():
    if filters.splits:
        st.info(
            t("growth_not_splittable", lang, dimensions=dimensions_text(filters.splits, lang)),
            icon=":material/call_split:",
        )
        st.subheader(t("selection_figures", lang))
        view_figures_table(view, key="selection")
    elif growth is None:
        st.info(t("growth_no_figures", lang), icon=":material/search_off:")
    else:
        # The page's only table when it opens: drawn with the page (see data_behind).
        chart_block(growth, deck_header(store, catalog, filters, lang), key="growth-chart",
                    how_to_read=t("growth_caption", lang), table_when_opened=False)  # fmt: skip

progress = targets_of_view(store, catalog, filters, lang)
if progress:
    st.subheader(t("targets_title", lang), anchor="targets")
    target_cards(progress, lang)
