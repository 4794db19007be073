"""The framework's floor for bench/browser.py: a bare Streamlit app that draws, on each path of the dashboard, as many
metrics, Plotly charts, pydeck maps and tables as the dashboard's page does, from small constant data, and nothing else
(no data layer, no i18n, no captions, downloads, popovers or country shapes).

How the shapes below were counted: each page of dashboard/app.py was run with AppTest on the bundled data (Streamlit
1.67), once as opened and once with ?country=FRA (the view after bench/browser.py's filter change), walking the
element tree for st.metric (and which have a sparkline), st.plotly_chart (trace types, point counts and heights read
from the figure JSON), st.pydeck_chart and st.dataframe (rows, and whether inside a closed expander); the sidebar
has three multiselects and a slider. bench/browser.py prints what it sees drawn in both apps, so a drift shows.
Counted again in session 12: since session 11 the dashboard draws the table behind a chart, and a country
profile's figures, only when opened (except the overview's growth chart), and the bare page no longer draws them.
Session 13: a country profile lists one entity's figures once the reader chooses it; none are drawn with the page.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

import pandas as pd
import plotly.graph_objects as go
import pydeck as pdk
import streamlit as st
from plotly.subplots import make_subplots


@dataclass(frozen=True)
class Shape:
    """What a page draws. Every Plotly chart is followed by a closed expander, as on the dashboard; the table behind
    the chart is drawn in it only where the dashboard draws it with the page (`tables_behind`: the overview's growth
    chart; every other one is drawn when opened, components/chart_block.py)."""

    metrics: int = 0  # st.metric cards in a row
    sparklines: int = 0  # how many of those have a sparkline
    panels: tuple[int, ...] = ()  # one chart of small multiples: a panel per item, with this many points
    bars_by: str = ""  # one horizontal, clickable bar chart: a bar per value of this column
    bar_traces: int = 1
    map: bool = False  # a pydeck map of the places, beside the bar chart
    lines: tuple[int, ...] = ()  # a line chart per item, with this many points, two to a row
    tables: tuple[int, ...] = ()  # st.dataframe tables shown, with this many rows
    tables_behind: bool = False  # the table behind each chart drawn (closed) with the page


# Each page as opened, and with one country chosen.
SHAPES = {
    "": (Shape(metrics=6, sparklines=5, panels=(15, 11, 14, 7), tables_behind=True), Shape(metrics=6, tables=(21,))),
    "sectors": (
        Shape(bars_by="sector", bar_traces=2, lines=(2, 3, 2, 3, 3, 5, 2, 2), tables=(1, 1, 9, 3, 4, 1, 40, 9)),
        Shape(bars_by="sector", bar_traces=2, lines=(2, 3), tables=(1, 1, 9, 3, 4, 1, 1, 1)),
    ),
    "international": (
        Shape(map=True, bars_by="country", tables=(50,)),
        Shape(map=True, bars_by="country", tables=(10,)),  # a profile's figures are drawn when an entity is chosen
    ),
    "programmes": (Shape(lines=(3, 5, 3, 2, 2), tables=(2, 5, 3, 19, 2, 2, 2, 4, 8)), Shape(tables=(2, 8))),
    "sources": (Shape(tables=(58, 10)), Shape(tables=(13, 4))),
}
TITLES = {"": "Overview", "sectors": "Sectors", "international": "International", "programmes": "Programmes",
          "sources": "Sources"}  # fmt: skip

COUNTRIES = {
    "FRA": "France", "BEL": "Belgium", "BFA": "Burkina Faso", "BEN": "Benin", "CMR": "Cameroon", "CIV": "Côte d'Ivoire",
    "COD": "DR Congo", "DZA": "Algeria", "ESP": "Spain", "ETH": "Ethiopia", "GHA": "Ghana", "GIN": "Guinea",
    "HTI": "Haiti", "IDN": "Indonesia", "IND": "India", "ITA": "Italy", "KEN": "Kenya", "LBN": "Lebanon",
    "MAR": "Morocco", "MDG": "Madagascar", "MLI": "Mali", "NER": "Niger", "PER": "Peru", "PHL": "Philippines",
    "ROU": "Romania", "SEN": "Senegal", "TCD": "Chad", "TGO": "Togo", "TUN": "Tunisia", "UKR": "Ukraine",
}  # fmt: skip
SECTORS = ["Youth", "Employment", "Disability", "Health", "Seniors", "Culture", "Ecological transition",
           "International action", "Pulse"]  # fmt: skip
ENTITIES = [f"Entity {number}" for number in range(1, 21)]
YEARS = (2009, 2024)


def constant_figures() -> pd.DataFrame:
    """One figure per country, sector and year (4,320 rows, 12 columns), the same on every run."""
    index = pd.MultiIndex.from_product([list(COUNTRIES), SECTORS, range(YEARS[0], YEARS[1] + 1)])
    rows = index.to_frame(index=False, name=["country", "sector", "year"])
    number = pd.Series(range(len(rows)))
    return rows.assign(
        entity=[ENTITIES[n % len(ENTITIES)] for n in number],
        indicator="beneficiaries",
        value=(number * 7919 % 1000 + rows["year"] - YEARS[0]).astype(float),
        unit="people",
        qualifier="",
        source="Annual report",
        confidence="A",
        note="",
        link="http://127.0.0.1/source",
    )


def constant_places() -> pd.DataFrame:
    """Fifty places: ten in France, the others spread over the other countries."""
    others = list(COUNTRIES)[1:]
    countries = ["FRA"] * 10 + [others[n % len(others)] for n in range(40)]
    return pd.DataFrame(
        {
            "country": countries,
            "lon": [2 + n % 5 if c == "FRA" else -20 + n * 37 % 80 for n, c in enumerate(countries)],
            "lat": [44 + n % 4 if c == "FRA" else -30 + n * 53 % 80 for n, c in enumerate(countries)],
        }
    )


def sidebar_filters() -> tuple[list[str], list[str], list[str], tuple[int, int]]:
    with st.sidebar:
        st.header("Filters")
        countries = st.multiselect("Country", list(COUNTRIES), format_func=COUNTRIES.__getitem__, key="country")
        sectors = st.multiselect("Sector", SECTORS, key="sector")
        entities = st.multiselect("Entity", ENTITIES, key="entity")
        years = st.slider("Years", min_value=YEARS[0], max_value=YEARS[1], value=YEARS, key="years")
    return countries, sectors, entities, years


def in_view(rows: pd.DataFrame, countries, sectors, entities, years) -> pd.DataFrame:
    keep = rows["year"].between(*years)
    for column, chosen in (("country", countries), ("sector", sectors), ("entity", entities)):
        if chosen:
            keep &= rows[column].isin(chosen)
    return rows[keep]


def by_year(rows: pd.DataFrame, points: int) -> pd.Series:
    return rows.groupby("year")["value"].sum().tail(points)


def metric_cards(figures: pd.DataFrame, shape: Shape) -> None:
    with st.container(horizontal=True, gap="small"):
        for number in range(shape.metrics):
            series = by_year(figures[figures["sector"] == SECTORS[number]], 10)
            latest, previous = (series.iloc[-1], series.iloc[-2]) if len(series) > 1 else (0.0, 0.0)
            st.metric(SECTORS[number], f"{latest:,.0f}", delta=f"{latest - previous:+,.0f}", border=True, width=280,
                      chart_data=list(series) if number < shape.sparklines else None)  # fmt: skip


def plotly_chart(figure: go.Figure, table: pd.DataFrame, shape: Shape, *, key: str, clickable: bool = False) -> None:
    selection = {"on_select": "rerun", "selection_mode": "points"} if clickable else {}
    st.plotly_chart(figure, key=key, **selection)
    with st.expander("Data behind the chart"):
        if shape.tables_behind:
            st.dataframe(table, hide_index=True)


def small_multiples(figures: pd.DataFrame, shape: Shape) -> None:
    figure = make_subplots(rows=2, cols=2, subplot_titles=SECTORS[: len(shape.panels)])
    for number, points in enumerate(shape.panels):
        series = by_year(figures[figures["sector"] == SECTORS[number]], points)
        figure.add_scatter(x=series.index, y=series.values, mode="lines+markers", row=number // 2 + 1,
                           col=number % 2 + 1)  # fmt: skip
    figure.update_layout(height=640, showlegend=False)
    plotly_chart(figure, figures.head(48), shape, key="growth")


def bar_chart(figures: pd.DataFrame, shape: Shape) -> None:
    totals = figures.groupby(shape.bars_by)["value"].agg(["sum", "count"])
    names = [COUNTRIES.get(value, value) for value in totals.index]
    figure = go.Figure(
        [go.Bar(y=names, x=totals[column], orientation="h") for column in ["sum", "count"][: shape.bar_traces]]
    )
    figure.update_layout(height=100 + 28 * len(totals), barmode="group")
    plotly_chart(figure, totals.reset_index(), shape, key="bars", clickable=True)


def places_map(countries: list[str]) -> None:
    places = constant_places()
    if countries:
        places = places[places["country"].isin(countries)]
    layer = pdk.Layer("ScatterplotLayer", data=places, get_position=["lon", "lat"], get_radius=60_000,
                      get_fill_color=[11, 79, 138], pickable=True)  # fmt: skip
    view = pdk.ViewState(latitude=18.0, longitude=14.0, zoom=1.6)
    deck = pdk.Deck(layers=[layer], initial_view_state=view, map_provider=None)  # map_provider=None: nothing fetched
    st.pydeck_chart(deck, height=520, key="map", on_select="rerun", selection_mode="single-object")


def line_charts(figures: pd.DataFrame, shape: Shape) -> None:
    columns = st.columns(2)
    for number, points in enumerate(shape.lines):
        sector = figures[figures["sector"] == SECTORS[number % len(SECTORS)]]
        series = by_year(sector, points)
        figure = go.Figure(go.Scatter(x=series.index, y=series.values, mode="lines+markers"))
        figure.update_layout(height=320)
        with columns[number % 2]:
            plotly_chart(figure, sector.head(points), shape, key=f"line-{number}")


def bare_page(title: str, shape: Shape, figures: pd.DataFrame, countries: list[str]) -> None:
    st.title(title)
    metric_cards(figures, shape)
    if shape.panels:
        small_multiples(figures, shape)
    if shape.map:
        map_column, bars_column = st.columns([3, 2])
        with map_column:
            places_map(countries)
        with bars_column:
            bar_chart(figures, shape)
    elif shape.bars_by:
        bar_chart(figures, shape)
    if shape.lines:
        line_charts(figures, shape)
    for number, rows in enumerate(shape.tables):
        st.dataframe(figures.iloc[number : number + rows], hide_index=True)


st.set_page_config(page_title="Bare Streamlit", layout="wide")
countries, sectors, entities, years = sidebar_filters()
figures = in_view(constant_figures(), countries, sectors, entities, years)
narrowed = len(countries) == 1  # the dashboard shows one country's profile then: its pages change shape
pages = [
    st.Page(
        partial(bare_page, title, SHAPES[path][narrowed], figures, countries),
        title=title,
        url_path=path or None,
        default=not path,
    )  # fmt: skip
    for path, title in TITLES.items()
]
st.navigation(pages, position="top").run()
