"""Programmes: outcomes of programmes and entities, with disagreements and targets shown as such."""

from functools import partial

import streamlit as st

from components.chart_block import series_charts, target_cards
from components.markdown import escape
from components.page_parts import figures_table, page_header, slot
from components.programmes import EntitySection, conflict_notes, programme_page
from components.storyboard import PROGRAMME_LEVELS, deck_header, series_by_section
from components.view import current_view, end_page
from dashboard.i18n import format_number, t
from dashboard.queries import figures_for_download

view = current_view()
lang, filters, catalog, store = view.lang, view.filters, view.catalog, view.store

page_header(view, "programmes_title", "programmes_intro")

deck = deck_header(store, catalog, filters, lang)
page = programme_page(store, catalog, filters, lang)
if page is None:
    st.info(t("no_programmes", lang), icon=":material/search_off:")
    end_page()

# Entities with several figures get a section of their own (the first MOST_ENTITY_SECTIONS of them); single figures
# are gathered in one table at the end.
with slot():
    if page.with_several > len(page.sections):
        shown, total = format_number(len(page.sections), lang), format_number(page.with_several, lang)
        st.caption(t("entities_more", lang, shown=shown, total=total))

sections = tuple(section.entity_id for section in page.sections)
series = series_by_section(store, catalog, filters, lang, per="entity_id", sections=sections, levels=PROGRAMME_LEVELS)


def entity_section(section: EntitySection) -> None:
    """An entity: its name and sector, its targets and disagreements, its series charts and figures."""
    st.subheader(escape(section.name), anchor=section.entity_id, divider="gray")
    with slot():  # as many of these as the entity has
        if section.sector_label:
            st.badge(section.sector_label, color="gray", icon=":material/label:")
        target_cards(list(section.targets), lang)
        conflict_notes(section)
    series_charts(series[section.entity_id], deck, key=section.entity_id, entities_chosen=bool(filters.entities))
    figures_table(section.table, view, key=f"entity-{section.entity_id}", total=len(section.rows),
                  fetch=lambda: section.rows)  # fmt: skip


with slot():  # however many sections there are, the other figures after them keep their place
    for section in page.sections:
        with slot():
            entity_section(section)

if page.others is not None:
    st.subheader(t("other_entity_figures", lang), anchor="other", divider="gray")
    figures_table(
        page.others,
        view,
        key="entity-others",
        total=len(page.single),
        fetch=partial(figures_for_download, store, filters, entities=list(page.single), levels=PROGRAMME_LEVELS),
    )
