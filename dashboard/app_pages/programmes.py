"""Programmes: outcomes of programmes and entities, with disagreements and targets shown as such."""

import streamlit as st

from components.markdown import escape
from components.page_parts import figures_table, page_header
from components.programmes import conflict_notes, target_progress
from components.series import series_charts
from components.view import current_view
from dashboard.i18n import t
from dashboard.queries import figures, with_rivals

view = current_view()
lang, filters, catalog, store = view.lang, view.filters, view.catalog, view.store

page_header(view, "programmes_title", "programmes_intro")

found = figures(store, filters)
found = with_rivals(store, found[found["scope_level"].isin(["programme", "entity"])])
if found.empty:
    st.info(t("no_programmes", lang), icon=":material/search_off:")
    st.stop()

counts = found["entity_id"].value_counts()
positions = {sector_id: sector.position for sector_id, sector in catalog.sectors.items()}


def reading_order(entity_id: str) -> tuple:
    entity = catalog.entities[entity_id]
    return positions.get(entity.sector_id, 99), entity.name.casefold()


# Entities with several figures get a section of their own; single figures are gathered in one table at the end.
detailed = sorted((e for e in counts.index if counts[e] > 1), key=reading_order)
single = sorted((e for e in counts.index if counts[e] == 1), key=reading_order)

for entity_id in detailed:
    entity = catalog.entities[entity_id]
    sector = catalog.sectors.get(entity.sector_id)
    rows = found[found["entity_id"] == entity_id]
    st.subheader(escape(entity.name), anchor=entity_id, divider="gray")
    if sector:
        st.badge(sector.label(lang), color="gray", icon=":material/label:")
    target_progress(rows, view)
    conflict_notes(rows, view)
    series_charts(rows, view, colour=sector.colour if sector else "#0072B2", key=entity_id)
    figures_table(rows, view, key=f"entity-{entity_id}")

if single:
    st.subheader(t("other_entity_figures", lang), anchor="other", divider="gray")
    figures_table(found[found["entity_id"].isin(single)], view, key="entity-others")
