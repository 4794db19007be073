"""Programmes: outcomes of programmes and entities, with disagreements and targets shown as such."""

import streamlit as st

from components.page_parts import figures_table, scope_statement
from components.programmes import conflict_notes, target_progress
from components.series import series_charts
from components.view import current_view
from dashboard.i18n import t
from dashboard.queries import figures

view = current_view()
lang, filters, catalog, store = view.lang, view.filters, view.catalog, view.store

st.title(t("programmes_title", lang))
st.caption(t("programmes_intro", lang))
scope_statement(view)

found = figures(store, filters)
found = found[found["scope_level"].isin(["programme", "entity"])]
if found.empty:
    st.info(t("no_programmes", lang), icon=":material/search_off:")
    st.stop()

positions = {sector_id: sector.position for sector_id, sector in catalog.sectors.items()}
entities = sorted(
    found["entity_id"].unique(),
    key=lambda e: (positions.get(catalog.entities[e].sector_id, 99), catalog.entities[e].name.casefold()),
)

for entity_id in entities:
    entity = catalog.entities[entity_id]
    sector = catalog.sectors.get(entity.sector_id)
    rows = found[found["entity_id"] == entity_id]
    st.subheader(entity.name, anchor=entity_id, divider="gray")
    if sector:
        st.badge(sector.label(lang), color="gray", icon=":material/label:")
    target_progress(rows, view)
    conflict_notes(rows, view)
    series_charts(rows, view, colour=sector.colour if sector else "#0072B2", key=entity_id)
    figures_table(rows, view, key=f"entity-{entity_id}")
