"""A country's profile: the entities present, what each does there and since when, and what they publish."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from components.markdown import escape
from components.page_parts import view_figures_table
from components.tables import country_name, presence_kind, sector_name
from components.view import View
from dashboard.filters import Filters
from dashboard.i18n import format_number, t
from dashboard.queries import count_figures

MOST_PROFILED = 12  # entities with a card of their own; the places table on the page lists every one
PROFILE_ROWS = 50  # figures listed on a card (an establishment reporting monthly has hundreds; downloads keep all)


def country_profile(view: View, iso3: str, places: pd.DataFrame) -> None:
    lang, catalog = view.lang, view.catalog
    name = country_name(catalog, iso3, lang)
    st.header(escape(t("profile_title", lang, country=name)), anchor="profile")
    if places.empty:
        st.info(t("profile_nothing", lang, country=name), icon=":material/search_off:")
        return
    present = places.groupby("entity_id", sort=False)
    if present.ngroups > MOST_PROFILED:
        shown, total = format_number(MOST_PROFILED, lang), format_number(present.ngroups, lang)
        st.caption(t("profile_more", lang, shown=shown, total=total))
    for index, (entity_id, here) in enumerate(present):
        if index == MOST_PROFILED:
            break
        entity = catalog.entities[entity_id]
        with st.container(border=True):
            st.subheader(escape(entity.name), anchor=f"profile-{entity_id}")
            if entity.sector_id:
                st.caption(escape(sector_name(catalog, entity.sector_id, lang)))
            for place in here.to_dict("records"):
                since = f" · {t('col_since', lang)} {place['since']}" if isinstance(place["since"], str) else ""
                until = f" · {t('col_until', lang)} {place['until']}" if isinstance(place["until"], str) else ""
                st.markdown(
                    f"- **{escape(place['place'])}**: {escape(presence_kind(place, lang))}{escape(since + until)}"
                    f" ({escape(place['source_title'])})"
                )
            entity_wide = Filters(years=view.filters.years)
            published = count_figures(view.store, entity_wide, entities=[entity_id])
            if not published:
                st.caption(t("profile_no_figures", lang))
            else:
                # Folded, and drawn only when opened (a rerun of a view already seen): a profile is first who is
                # there and doing what; the figures of a dozen entities were most of what the page redrew at a
                # filter change, open (session 10) and even closed (session 11: 498 to 416 ms on the bundled data).
                label = t("profile_figures", lang, entity=entity.name, count=format_number(published, lang))
                with st.expander(escape(label), icon=":material/table:", key=f"profile-figures-{entity_id}",
                                 on_change="rerun") as figures:  # fmt: skip
                    if figures.open:
                        st.caption(t("profile_entity_wide", lang, country=name))
                        view_figures_table(view, key=f"profile-{iso3}-{entity_id}", filters=entity_wide,
                                           total=published, entities=[entity_id], most=PROFILE_ROWS)  # fmt: skip
