"""The sidebar: language and filters, read from the URL once per session; write_url keeps the URL in step."""

from __future__ import annotations

from functools import lru_cache, partial
from urllib.parse import urlencode

import streamlit as st

from components.chart_block import chart_block
from components.charts import selected_ids
from components.places_map import country_of_selection
from components.slides import Deck, Slide
from dashboard.filters import Filters, Notice, parse_link, parse_query_params
from dashboard.i18n import DEFAULT_LANGUAGE, LANGUAGES, format_number, t
from dashboard.metadata import Catalog
from dashboard.queries import entities_in
from dashboard.store import Store

LANGUAGE_NAMES = {"en": "English", "fr": "Français"}
# The Entity picker lists at most this many entities; beyond, a search box narrows the list. Every rerun sends each
# option to the browser: the 7,399 entities of France in the 10M-row demo cost 150-200 ms at every filter change
# (docs/performance.md, session 8). An organisation of 850 establishments gets them all.
MOST_ENTITY_OPTIONS = 1000
_SEEDED, _NOTICES = "_seeded_from_url", "_url_notices"
_FILTERS_LANG = "_filters_language"  # the language the pickers were last drawn in
ENTITY_SEARCH = "entity_search"
FILTER_KEYS = ("country", "sector", "entity", "years")  # session state of the sidebar's pickers


def url_params() -> dict[str, list[str]]:
    return {key: st.query_params.get_all(key) for key in st.query_params.keys()}  # noqa: SIM118


def _seed_from_url(catalog: Catalog, years: tuple[int, int]) -> None:
    """First run of a session: the link decides the language and filters; what it gets wrong is reported."""
    params = url_params()
    filters, notices = parse_query_params(params, catalog.choices(*years))
    link, link_notices = parse_link(params, LANGUAGES, DEFAULT_LANGUAGE)
    state = st.session_state
    state["lang"] = link.lang
    state["country"] = list(filters.countries)
    state["sector"] = list(filters.sectors)
    state["entity"] = list(filters.entities)
    state["years"] = filters.years or years
    state["present"] = link.present
    # A number the deck does not have is reported by presentation mode, which knows how many slides there are.
    state["slide"] = link.slide
    state[_NOTICES] = notices + link_notices
    state[_SEEDED] = True


def _forget_notices() -> None:
    st.session_state[_NOTICES] = []


def _clear(years: tuple[int, int]) -> None:
    state = st.session_state
    state["country"], state["sector"], state["entity"], state["years"] = [], [], [], years
    _forget_notices()


MAP_KEY = "places-map"


def filter_to_clicked_country(map_key: str) -> None:
    """Map click: the clicked country becomes the Country filter (a callback, so it runs before the widgets).

    The map is then drawn anew (reset_map): the deck, updated in place, would keep the click as its selection and
    grey every other shape and point of the country's view."""
    iso3 = country_of_selection(st.session_state[map_key]["selection"])
    if iso3 and st.session_state.get("country") != [iso3]:
        st.session_state["country"] = [iso3]
        _forget_notices()
        reset_map()


def reset_map() -> None:
    st.session_state["map_resets"] = st.session_state.get("map_resets", 0) + 1


def filter_from_chart(chart_key: str, filter_key: str) -> None:
    """Chart click: the clicked bars become that filter (the bar charts carry ids as customdata)."""
    ids = selected_ids(st.session_state[chart_key]["selection"])
    if ids:
        st.session_state[filter_key] = ids
        _forget_notices()


def bars_that_filter(slide: Slide, deck: Deck, *, key: str, filter_key: str, caption: str) -> None:
    """A bar chart whose bars, when clicked, become the `filter_key` filter."""
    chart_block(slide, deck, key=key, on_select=partial(filter_from_chart, key, filter_key), how_to_read=caption)


def notice_text(notice: Notice, lang: str) -> str:
    # "not a known country code" reads better than the parameter's name; a count of repeats quotes the name itself.
    translated = notice.problem != "too_many_values" and notice.parameter in {"country", "sector", "entity", "years"}
    parameter = t(f"parameter_{notice.parameter}", lang) if translated else notice.parameter
    values = {"value": notice.value, "parameter": parameter}
    if notice.problem == "years_clamped":
        values.update(low=notice.detail[0], high=notice.detail[1])
    return t(f"notice_{notice.problem}", lang, **values)


def url_notices(lang: str) -> list[str]:
    return [notice_text(n, lang) for n in st.session_state.get(_NOTICES, [])]


def _choose(label: str, names: dict[str, str], key: str, lang: str, *, alphabetical: bool) -> list[str]:
    """A multiselect of ids shown by name; its key is also its URL parameter."""
    options = sorted(names, key=lambda i: names[i].casefold()) if alphabetical else list(names)
    return st.multiselect(
        label,
        options,
        format_func=names.__getitem__,
        placeholder=t("filter_placeholder", lang),
        key=key,
        on_change=_forget_notices,
    )


def entity_options(names: dict[str, str], chosen: list[str], search: str, most: int) -> tuple[dict[str, str], int]:
    """The entities a picker lists (ids and names, alphabetical): those whose name contains `search` (any case),
    the first `most` of them, and every chosen one; and how many matched in all."""
    wanted = search.strip().casefold()
    matching = sorted((n.casefold(), i) for i, n in names.items() if wanted in n.casefold())
    listed = {i: names[i] for _, i in matching[:most]}
    return {**listed, **{i: names[i] for i in chosen if i in names and i not in listed}}, len(matching)


@lru_cache(maxsize=256)
def _entities_listed(catalog: Catalog, reachable: frozenset[str], search: str, most: int) -> tuple[dict, int]:
    """entity_options of the entities in reach, before the chosen ones are added: cached, since naming and sorting
    thousands of entities at every rerun of every page would cost what the cap saves. Callers must not change it."""
    return entity_options({i: catalog.entities[i].name for i in reachable}, [], search, most)


def _entity_options(catalog: Catalog, reachable: frozenset[str], lang: str) -> dict[str, str]:
    """The Entity picker's options; with more entities in reach than it lists, a search box above it first."""
    chosen = list(st.session_state["entity"])
    if len(reachable) <= MOST_ENTITY_OPTIONS:
        st.session_state.pop(ENTITY_SEARCH, None)  # nothing to narrow: no search left over from a wider view
        return {entity_id: catalog.entities[entity_id].name for entity_id in reachable | set(chosen)}
    search = st.text_input(t("entity_search", lang), key=ENTITY_SEARCH, placeholder=t("entity_search_hint", lang))
    listed, matched = _entities_listed(catalog, reachable, search, MOST_ENTITY_OPTIONS)
    options = {**listed, **{i: catalog.entities[i].name for i in chosen if i not in listed}}
    if matched > MOST_ENTITY_OPTIONS:
        shown, total = format_number(MOST_ENTITY_OPTIONS, lang), format_number(matched, lang)
        st.caption(t("entity_listed", lang, shown=shown, total=total))
    else:
        st.caption(t("entity_matched", lang, count=format_number(matched, lang)) if matched else t("entity_none", lang))
    return options


def language_switch(catalog: Catalog, years: tuple[int, int]) -> str:
    """Draw the language switch at the top of the sidebar, seeding the session from the URL on its first run."""
    # A run that failed before drawing the filters leaves Streamlit to forget their values: the link still has them.
    if _SEEDED not in st.session_state or not all(key in st.session_state for key in (*FILTER_KEYS, "lang")):
        _seed_from_url(catalog, years)
    if st.session_state.get(_FILTERS_LANG) != st.session_state["lang"]:
        keep_filters()
    with st.sidebar:
        lang = st.radio("Language / Langue", LANGUAGES, format_func=LANGUAGE_NAMES.get, horizontal=True, key="lang")
    st.session_state[_FILTERS_LANG] = lang
    return lang


def keep_filters() -> None:
    """Write the pickers' values back, on the runs that need it: Streamlit forgets the value of a widget that a run
    does not draw (/admin), and the browser sends a multiselect's value as the names it shows, which match no option
    once the language changed them. Not on every run: a value the script wrote is sent again with its picker, and the
    browser then redraws every picker at each filter change (20-40 ms of the overview's, docs/performance.md,
    session 9)."""
    for key in FILTER_KEYS:
        st.session_state[key] = st.session_state[key]


def sidebar_filters(catalog: Catalog, store: Store, years: tuple[int, int], lang: str) -> Filters:
    """Draw the filters under the language switch; return what they say (the entry script writes them to the URL)."""
    with st.sidebar:
        st.header(t("filters", lang))
        country_names = {code: country.label(lang) for code, country in catalog.countries.items()}
        sector_names = {sector_id: sector.label(lang) for sector_id, sector in catalog.sectors.items()}
        # Entity choices narrow to what exists in the chosen countries and sectors.
        reachable = entities_in(store, tuple(st.session_state["country"]), tuple(st.session_state["sector"]))
        countries = _choose(t("filter_country", lang), country_names, "country", lang, alphabetical=True)
        sectors = _choose(t("filter_sector", lang), sector_names, "sector", lang, alphabetical=False)
        entities = _choose(t("col_entity", lang), _entity_options(catalog, reachable, lang), "entity", lang,
                           alphabetical=True)  # fmt: skip
        chosen_years = st.slider(
            t("filter_years", lang),
            min_value=years[0],
            max_value=years[1],
            key="years",
            help=t("years_help", lang),
            on_change=_forget_notices,
        )
        with st.container(horizontal=True):
            st.button(t("clear_filters", lang), on_click=_clear, args=(years,), icon=":material/filter_alt_off:")
            link_slot = st.empty()
    filters = Filters(
        countries=tuple(countries),
        sectors=tuple(sectors),
        entities=tuple(entities),
        years=None if tuple(chosen_years) == tuple(years) else (int(chosen_years[0]), int(chosen_years[1])),
    )
    # Its contents are drawn once it is opened (a rerun), not hidden at every run of every page.
    with link_slot.popover(t("link_to_view", lang), icon=":material/link:", key="link-to-view",
                           on_change="rerun") as link:  # fmt: skip
        if link.open:
            present = bool(st.session_state.get("present"))
            slide = st.session_state.get("slide") if present else None
            st.code(link_to_view(filters, lang, present, slide), language=None, wrap_lines=True)
            st.caption(t("link_to_view_help", lang))
    return filters


def view_params(filters: Filters, lang: str, present: bool, slide: int | None = None) -> dict[str, list[str]]:
    """The query string of a view: filters, then language, presentation mode and its slide when not the defaults."""
    params = filters.to_query_params()
    if lang != DEFAULT_LANGUAGE:
        params["lang"] = [lang]
    if present:
        params["present"] = ["1"]
        if isinstance(slide, int):
            params["slide"] = [str(slide)]
    return params


def write_url(filters: Filters, lang: str, present: bool, slide: int | None = None) -> None:
    """Keep the URL in step with the view. The entry script writes it once the page is drawn: written before the
    page, it made each filter change 15-20 ms slower (Streamlit's frontend redraws the app when the query string
    changes, then the run before's elements, still shown; docs/performance.md, sessions 15 and 16)."""
    params = view_params(filters, lang, present, slide)
    if url_params() != params:
        st.query_params.from_dict(params)


def link_to_view(filters: Filters, lang: str, present: bool, slide: int | None = None) -> str:
    """The address that reopens this page with this view (st.context.url is the page's address without its query)."""
    query = urlencode(view_params(filters, lang, present, slide), doseq=True)
    return (st.context.url or "") + (f"?{query}" if query else "")
