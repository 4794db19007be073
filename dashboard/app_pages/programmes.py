"""Programmes: outcomes of programmes and entities, with disagreements and targets shown as such."""

import streamlit as st

from components.chart_block import chart_blocks, target_cards
from components.markdown import escape
from components.page_parts import figures_table, page_header
from components.programmes import conflict_notes
from components.storyboard import deck_header, programme_figures, series_slides, targets_in_view
from components.view import current_view
from dashboard.i18n import t

view = current_view()
lang, filters, catalog, store = view.lang, view.filters, view.catalog, view.store

page_header(view, "programmes_title", "programmes_intro")

deck = deck_header(store, catalog, filters, lang)
found = programme_figures(store, filters)
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
    target_cards(targets_in_view(store, rows, catalog, lang), lang)
    conflict_notes(rows, view)
    chart_blocks(series_slides(rows, catalog, lang), deck, key=entity_id)
    figures_table(rows, view, key=f"entity-{entity_id}")

if single:
    st.subheader(t("other_entity_figures", lang), anchor="other", divider="gray")
    figures_table(found[found["entity_id"].isin(single)], view, key="entity-others")
