"""Programmes: outcomes of programmes and entities, with disagreements and targets shown as such."""

from functools import partial

import streamlit as st

from components.chart_block import series_charts, target_cards
from components.markdown import escape
from components.page_parts import figures_table, page_header, slot
from components.programmes import conflict_notes
from components.storyboard import (
    MOST_ENTITY_SECTIONS,
    PROGRAMME_LEVELS,
    deck_header,
    series_by_section,
    targets_in_view,
)
from components.view import current_view
from dashboard.i18n import format_number, t
from dashboard.queries import MOST_ROWS, figure_counts, figures, figures_for_download, with_rivals

view = current_view()
lang, filters, catalog, store = view.lang, view.filters, view.catalog, view.store

page_header(view, "programmes_title", "programmes_intro")

deck = deck_header(store, catalog, filters, lang)
counts = figure_counts(store, filters, "entity_id", levels=PROGRAMME_LEVELS).set_index("entity_id")["figures"]
if counts.empty:
    st.info(t("no_programmes", lang), icon=":material/search_off:")
    st.stop()

positions = {sector_id: sector.position for sector_id, sector in catalog.sectors.items()}


def reading_order(entity_id: str) -> tuple:
    entity = catalog.entities[entity_id]
    return positions.get(entity.sector_id, 99), entity.name.casefold()


# Entities with several figures get a section of their own (the first MOST_ENTITY_SECTIONS of them); single figures
# are gathered in one table at the end.
detailed = sorted(counts.index[counts > 1], key=reading_order)
single = sorted(counts.index[counts == 1], key=reading_order)
sections = tuple(detailed[:MOST_ENTITY_SECTIONS])
with slot():
    if len(detailed) > len(sections):
        shown, total = format_number(len(sections), lang), format_number(len(detailed), lang)
        st.caption(t("entities_more", lang, shown=shown, total=total))

# Every rival of a disputed figure is shown with it, even where the filters hide it.
found = with_rivals(store, figures(store, filters, entities=list(sections), levels=PROGRAMME_LEVELS))
series = series_by_section(store, catalog, filters, lang, per="entity_id", sections=sections, levels=PROGRAMME_LEVELS)


def entity_section(entity_id: str) -> None:
    """An entity: its name and sector, its targets and disagreements, its series charts and figures."""
    entity = catalog.entities[entity_id]
    sector = catalog.sectors.get(entity.sector_id)
    rows = found[found["entity_id"] == entity_id]
    st.subheader(escape(entity.name), anchor=entity_id, divider="gray")
    with slot():  # as many of these as the entity has
        if sector:
            st.badge(sector.label(lang), color="gray", icon=":material/label:")
        target_cards(targets_in_view(store, rows, catalog, lang), lang)
        conflict_notes(rows, view)
    series_charts(series[entity_id], deck, key=entity_id, entities_chosen=bool(filters.entities))
    figures_table(rows, view, key=f"entity-{entity_id}")


with slot():  # however many sections there are, the other figures after them keep their place
    for entity_id in sections:
        with slot():
            entity_section(entity_id)

if single:
    st.subheader(t("other_entity_figures", lang), anchor="other", divider="gray")
    listed = single[:MOST_ROWS]
    figures_table(
        with_rivals(store, figures(store, filters, entities=listed, levels=PROGRAMME_LEVELS)),
        view,
        key="entity-others",
        total=len(single),
        fetch=partial(figures_for_download, store, filters, entities=single, levels=PROGRAMME_LEVELS),
    )
