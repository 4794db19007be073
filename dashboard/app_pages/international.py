"""International: where the group's entities work, on an offline map and in a table."""

from functools import partial

import streamlit as st

from components.chart_block import chart_description
from components.country_profile import country_profile
from components.filter_bar import MAP_KEY, bars_that_filter, filter_to_clicked_country, reset_map
from components.markdown import LINE_BREAK
from components.page_parts import download_pair, link_column, page_header, slot
from components.places_map import is_grouped, legend_svg
from components.storyboard import deck_header, places_by_country_slide, view_deck, view_places_table
from components.view import current_view, end_page
from dashboard.i18n import format_number, t
from dashboard.queries import MOST_ROWS, locations

view = current_view()
lang, filters, catalog, store = view.lang, view.filters, view.catalog, view.store

page_header(view, "international_title", "international_intro")

places = locations(store, filters)
profile_of = filters.one_country
if places.empty:
    if profile_of:
        country_profile(view, profile_of, places)
    else:
        st.info(t("no_places", lang), icon=":material/location_off:")
    end_page()
in_countries = places["country_iso3"].nunique()
counted = "places_count_one" if in_countries == 1 else "places_count"
st.markdown(f"**{t(counted, lang, places=format_number(len(places), lang), countries=in_countries)}**")

by_country = places_by_country_slide(store, catalog, filters, lang)
map_column, bars_column = st.columns([3, 2])
with map_column:
    st.subheader(t("map_title", lang))
    # One deck, updated in place: it keeps the reader's pan and zoom across reruns, and moves when its initial view
    # does (one country chosen, or none). "Reset" draws a new deck at the initial view.
    map_key = f"{MAP_KEY}-{st.session_state.get('map_resets', 0)}"
    st.pydeck_chart(
        view_deck(store, catalog, filters, lang),
        height=520,
        key=map_key,
        on_select=partial(filter_to_clicked_country, map_key),
        selection_mode="single-object",
    )
    st.button(t("reset_map", lang), icon=":material/center_focus_strong:", on_click=reset_map)
    sectors_shown = [s for s in catalog.sectors if s in set(places["sector_id"].dropna())]
    st.image(legend_svg(catalog, sectors_shown, lang))
    grouped = [t("map_grouped", lang, count=format_number(len(places), lang))] if is_grouped(len(places)) else []
    st.caption(LINE_BREAK.join([t("map_caption", lang), *grouped]))
    chart_description(by_country.alt, lang)
with bars_column:
    bars_that_filter(
        by_country,
        deck_header(store, catalog, filters, lang),
        key="country-bars",
        filter_key="country",
        caption=t("click_bar_country", lang),
    )

with slot():
    if profile_of:
        country_profile(view, profile_of, places)

st.subheader(t("places_table_title", lang))
st.dataframe(
    view_places_table(store, catalog, filters, lang, MOST_ROWS),
    hide_index=True,
    column_config=link_column(lang),
    width="stretch",
)
with slot():
    if len(places) > MOST_ROWS:
        shown, total = format_number(MOST_ROWS, lang), format_number(len(places), lang)
        st.caption(t("places_capped", lang, shown=shown, total=total))
rows = places.drop(columns=["since_year"])
download_pair(rows, view, key="places", label=t("download_csv", lang), table="locations")
