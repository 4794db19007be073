"""Overview: where the group stands (headline KPIs) and how it grew."""

import streamlit as st

from components.charts import growth_figure
from components.kpi import dimensions_text, kpi_card
from components.page_parts import figures_table, page_header, sources_line
from components.view import current_view
from dashboard.i18n import t
from dashboard.queries import figures, kpi

HEADLINE_KPIS = ["employees", "beneficiaries", "revenue", "establishments", "countries", "social_enterprises"]
GROWTH_INDICATORS = ["employees", "revenue", "establishments", "beneficiaries"]

view = current_view()
lang, filters, catalog, store = view.lang, view.filters, view.catalog, view.store

page_header(view, "overview_title", "overview_intro")

with st.container(horizontal=True, gap="small"):  # cards wrap onto a second row rather than truncate
    for indicator_id in HEADLINE_KPIS:
        kpi_card(kpi(store, indicator_id, filters), catalog.indicators[indicator_id], catalog, lang, filters.splits)

if filters.splits:
    st.info(
        t("growth_not_splittable", lang, dimensions=dimensions_text(filters.splits, lang)), icon=":material/call_split:"
    )
    st.subheader(t("selection_figures", lang))
    figures_table(figures(store, filters), view, key="selection")
else:
    growth = figures(store, filters, indicators=GROWTH_INDICATORS, kind="actual")
    growth = growth[growth["scope_level"] == "group"]
    years = growth["year"].dropna()
    if years.empty:
        st.info(t("growth_no_figures", lang), icon=":material/search_off:")
        st.stop()
    st.plotly_chart(
        growth_figure(
            growth,
            catalog,
            GROWTH_INDICATORS,
            lang,
            t("growth_title", lang, first=int(years.min()), last=int(years.max())),
        ),
        key="growth-chart",
    )
    st.caption(t("growth_caption", lang))
    sources_line(growth, lang)
    with st.expander(t("data_behind_chart", lang), icon=":material/table:"):
        figures_table(growth, view, key="growth")
