"""A country's profile: the entities present, what each does there and since when, and what they publish."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import streamlit as st

from components.markdown import escape
from components.page_parts import slot, view_figures_table
from components.storyboard import per_view
from components.tables import country_name, presence_kind, sector_name
from components.view import View
from dashboard.filters import Filters
from dashboard.i18n import format_number, t
from dashboard.metadata import Catalog
from dashboard.queries import figure_counts, locations
from dashboard.store import Store

MOST_PROFILED = 12  # entities with a card of their own; the places table on the page lists every one
PROFILE_ROWS = 50  # figures listed for the chosen entity (an establishment reporting monthly has hundreds)


@dataclass(frozen=True)
class EntityCard:
    """One entity's card: who, in which sector, where and since when, as one Markdown text (escaped), and how many
    figures it publishes over the years of the view (whole entity, every country)."""

    entity_id: str
    name: str
    text: str
    published: int


@per_view
def entity_cards(store: Store, catalog: Catalog, filters: Filters, iso3: str, lang: str) -> tuple[EntityCard, ...]:
    """The cards of the first MOST_PROFILED entities present in a country, once per view and language."""
    places = locations(store, filters)
    places = places[places["country_iso3"] == iso3]
    # Counted for every entity at once, over the view's years only: the same answer for every country's profile.
    counts = figure_counts(store, Filters(years=filters.years), "entity_id").set_index("entity_id")["figures"]
    cards = []
    for entity_id, here in places.groupby("entity_id", sort=False):
        if len(cards) == MOST_PROFILED:
            break
        entity = catalog.entities[entity_id]
        lines = [f"#### {escape(entity.name)}"]
        if entity.sector_id:
            lines.append(f"*{escape(sector_name(catalog, entity.sector_id, lang))}*\n")
        for place in here.to_dict("records"):
            since = f" · {t('col_since', lang)} {place['since']}" if isinstance(place["since"], str) else ""
            until = f" · {t('col_until', lang)} {place['until']}" if isinstance(place["until"], str) else ""
            lines.append(f"- **{escape(place['place'])}**: {escape(presence_kind(place, lang))}{escape(since + until)}"
                         f" ({escape(place['source_title'])})")  # fmt: skip
        published = int(counts.get(entity_id, 0))
        lines.append(
            "\n" + (t("profile_published", lang, count=format_number(published, lang)) if published
                    else t("profile_no_figures", lang))
        )  # fmt: skip
        cards.append(EntityCard(entity_id, entity.name, "\n".join(lines), published))
    return tuple(cards)


def country_profile(view: View, iso3: str, places: pd.DataFrame) -> None:
    """A card per entity, all in one bordered Markdown text, a rule between two (a filter change redraws every element
    of a page, docs/performance.md, sessions 13-14: a bordered box per card was two elements each, 20 for France),
    then one picker for the entity whose figures to list."""
    lang, catalog = view.lang, view.catalog
    name = country_name(catalog, iso3, lang)
    st.header(escape(t("profile_title", lang, country=name)), anchor="profile")
    if places.empty:
        st.info(t("profile_nothing", lang, country=name), icon=":material/search_off:")
        return
    present = places["entity_id"].nunique()
    if present > MOST_PROFILED:
        shown, total = format_number(MOST_PROFILED, lang), format_number(present, lang)
        st.caption(t("profile_more", lang, shown=shown, total=total))
    cards = entity_cards(view.store, catalog, view.filters, iso3, lang)
    with st.container(border=True):
        st.markdown("\n\n---\n\n".join(card.text for card in cards))
    entity_figures(view, iso3, [card for card in cards if card.published])


def entity_figures(view: View, iso3: str, cards: list[EntityCard]) -> None:
    """A picker of the entities that publish figures; the chosen one's figures, drawn only once chosen."""
    if not cards:
        return
    lang = view.lang
    by_id = {card.entity_id: card for card in cards}

    def label(entity_id: str) -> str:  # a radio's options are Markdown: the names come from the data
        return f"{escape(by_id[entity_id].name)} ({format_number(by_id[entity_id].published, lang)})"

    # A radio, not a selectbox: the browser loads a widget's code when the first one appears, and a selectbox here
    # cost International's filter change about 100 ms (session 13); the sidebar has loaded the radio's already.
    # An entity chosen in another view (other years) and not listed in this one leaves the radio empty (Streamlit).
    chosen = st.radio(t("profile_figures_pick", lang), list(by_id), format_func=label, index=None,
                      key=f"profile-figures-{iso3}")  # fmt: skip
    with slot():
        if chosen:
            st.caption(t("profile_entity_wide", lang, country=country_name(view.catalog, iso3, lang)))
            view_figures_table(view, key=f"profile-{iso3}-{chosen}", filters=Filters(years=view.filters.years),
                               total=by_id[chosen].published, entities=[chosen], most=PROFILE_ROWS)  # fmt: skip
