"""Plotly figure builders. Each takes tidy frames from the data layer and returns a figure; no Streamlit here."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from dashboard.i18n import PLOTLY_SEPARATORS, format_number, format_value, period_of, t
from dashboard.metadata import Catalog, Indicator

# Okabe-Ito blue and vermilion: the pair stays distinct for every common colour-vision deficiency, and both marks
# stand out on white (5.2:1 and 3.8:1, above the 3:1 WCAG asks of graphics; Okabe-Ito's orange has only 2.2:1).
SHOWN_COLOUR = "#0072B2"
OTHER_COLOUR = "#D55E00"
INK = "#1A1A1A"
GRID = "#D9D9D9"
FONT = "Source Sans, Source Sans Pro, Arial, sans-serif"


def selected_ids(selection: dict | None) -> list[str]:
    """The ids (customdata) of the bars or points a Plotly selection picked, in order, without repeats."""
    ids: list[str] = []
    for point in (selection or {}).get("points") or []:
        value = point.get("customdata")
        value = value[0] if isinstance(value, list) and value else value
        if isinstance(value, str) and value not in ids:
            ids.append(value)
    return ids


def style(fig: go.Figure, lang: str, height: int = 420) -> go.Figure:
    """The house style: the locale's separators, readable type, no chart junk."""
    fig.update_layout(
        separators=PLOTLY_SEPARATORS[lang],
        font=dict(family=FONT, size=15, color=INK),
        height=height,
        margin=dict(l=10, r=10, t=50, b=10),
        plot_bgcolor="white",
        paper_bgcolor="white",
        legend=dict(orientation="h", yanchor="bottom", y=1.02, xanchor="left", x=0),
        hoverlabel=dict(font_size=14),
    )
    fig.update_xaxes(showgrid=False, linecolor=INK, ticks="outside")
    # Whole numbers with the locale's separators ("20 000", "1 500") rather than Plotly's "20k" / "1.5M".
    fig.update_yaxes(gridcolor=GRID, zeroline=False, rangemode="tozero", exponentformat="none", separatethousands=True)
    return fig


def plotted_date(rows: pd.DataFrame) -> pd.Series:
    """Where a figure sits on a time axis: mid-year for a year and for the last year of a range ("2012–2021" is a
    2021 figure, and its point must not slide onto the 2022 tick), mid-month for a month, the day for a day."""
    end = pd.to_datetime(rows["period_end"])
    middle = {"year": pd.DateOffset(months=-6), "range": pd.DateOffset(months=-6), "month": pd.DateOffset(days=-15)}
    return pd.Series(
        [e + middle[k] if k in middle else e for e, k in zip(end, rows["period_kind"], strict=True)],
        index=rows.index,
    )


def _gap_before(dates: pd.Series) -> pd.Series:
    """Which of these dates (sorted) the line does not join to the one before: a year or more is missing between
    them (a missing year leaves a gap, never a guess), or there is none before it (the first)."""
    return dates.dt.year.diff().fillna(2) > 1


def _gapped_line(chosen: pd.DataFrame, hover: list[str] | None = None) -> tuple[list, list, list | None]:
    """x and y for a line that joins consecutive years only, None where _gap_before breaks it; and the hover text of
    each point (`hover`, one per row of `chosen` in its order), gaps included, when the line has it."""
    xs, ys, texts = [], [], []
    rows = zip(chosen.to_dict("records"), _gap_before(chosen["x"]), hover or [None] * len(chosen), strict=True)
    for row, gap, text in rows:
        if gap and xs:
            xs.append(None)
            ys.append(None)
            texts.append(None)
        xs.append(row["x"])
        ys.append(row["value"])
        texts.append(text)
    return xs, ys, texts if hover is not None else None


def _alone(dates: pd.Series) -> pd.Series:
    """Which of these dates (sorted) the line joins to no other: a gap (or nothing) on both sides."""
    gap = _gap_before(dates)
    return gap & gap.shift(-1, fill_value=True)


def _hover(rows: pd.DataFrame, indicator: Indicator, lang: str) -> list[str]:
    """Each figure's hover label: its value and period, its source, its confidence (and "shown" for the one shown)."""
    texts = []
    for row in rows.to_dict("records"):
        value = format_value(row["value"], indicator, lang, row["qualifier"])
        shown = t("chosen", lang) if row["rank_in_period"] == 0 else ""
        texts.append(
            f"<b>{value}</b> · {period_of(row, lang)}<br>{plotly_text(row['source_title'])}<br>"
            f"{t('col_confidence', lang)} {row['confidence']} {('· ' + shown) if shown else ''}"
        )
    return texts


def hover_labels(texts: list[str | None]) -> dict:
    """Plotly's hover settings for these labels (one a point, None for a gap), each of lines joined by <br>: a line
    every label shares is written once, in the template; the first line, and any other that varies, goes with each
    point. A monthly series of one source sent its source and confidence 180 times: half of a dense
    chart's 44 kB, sent and parsed again at every filter change."""
    split = [None if text is None else text.split("<br>") for text in texts]
    lines = [label for label in split if label is not None]
    if not lines or len({len(label) for label in lines}) != 1:
        return dict(hovertext=texts, hoverinfo="text")
    template, varying = ["%{hovertext}"], []
    for index in range(1, len(lines[0])):
        line = lines[0][index]
        if "%{" not in line and all(label[index] == line for label in lines):  # "%{" would read as a variable
            template.append(line)
        else:
            template.append(f"%{{customdata[{len(varying)}]}}")
            varying.append(index)
    if len(varying) == len(lines[0]) - 1:  # nothing shared
        return dict(hovertext=texts, hoverinfo="text")
    hover = dict(
        hovertext=[label and label[0] for label in split], hovertemplate="<br>".join(template) + "<extra></extra>"
    )
    if varying:
        hover["customdata"] = [[label[index] if label else None for index in varying] for label in split]
    return hover


def plotly_text(text: str) -> str:
    """Source titles go into Plotly's HTML-ish hover labels: strip the characters it would read as markup."""
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def add_series(
    fig: go.Figure,
    rows: pd.DataFrame,
    indicator: Indicator,
    lang: str,
    *,
    row=None,
    col=None,
    colour: str = SHOWN_COLOUR,
) -> None:
    """Every published figure of one indicator and scope as a point; the chosen ones joined where years follow.

    A dense series (is_dense: monthly figures over years) is its line, with a hover label at each figure; only the
    figures a reader must not miss keep a point: every other source's, and those with confidence B or disputed.
    """
    dated = rows[rows["period_end"].notna()].copy()
    dated["x"] = plotted_date(dated)
    chosen = dated[dated["rank_in_period"] == 0].sort_values("x", kind="stable")
    others = dated[dated["rank_in_period"] != 0]
    dense = is_dense(len(dated))
    xs, ys, texts = _gapped_line(chosen, _hover(chosen, indicator, lang) if dense else None)
    where = dict(row=row, col=col) if row else {}
    fig.add_trace(
        go.Scatter(
            x=xs,
            y=ys,
            mode="lines",
            line=dict(color=colour, width=3),
            **(hover_labels(texts) if dense else dict(hoverinfo="skip")),
            connectgaps=False,
            showlegend=False,
        ),
        **where,
    )
    if dense:  # a figure alone between two gaps has no line to sit on: it keeps its point
        chosen = chosen[(chosen["confidence"] != "A") | chosen["sources_disagree"] | _alone(chosen["x"])]
    for frame, colour_ in ((others, OTHER_COLOUR), (chosen, colour)):  # the figure shown is drawn on top
        if frame.empty:
            continue
        symbols = ["circle" if c == "A" else "circle-open" for c in frame["confidence"]]
        size = marker_size(DENSE_POINTS if dense else len(dated))  # a dense series keeps few points: visible ones
        fig.add_trace(
            go.Scatter(
                x=frame["x"],
                y=frame["value"],
                mode="markers",
                marker=dict(
                    color=colour_, size=size, symbol=symbols, line=dict(width=2 if size > 6 else 1, color=colour_)
                ),
                **hover_labels(_hover(frame, indicator, lang)),
                showlegend=False,
            ),
            **where,
        )


DENSE_POINTS = 60  # figures in a series beyond which it is drawn as a line with few points (five years, monthly)


def is_dense(points: int) -> bool:
    """Whether a series has too many figures for a point each: 180 monthly points merge into a band, and each one
    is an element the browser draws again at every filter change (a page of 12 such charts at 10M rows redrew in
    about 2.1 s with a point per figure, 1.5 s without; docs/performance.md, session 8)."""
    return points > DENSE_POINTS


def marker_size(points: int) -> int:
    """Points large enough to see a lone yearly figure from the back of a room, small enough that 180 monthly ones
    do not merge into a band."""
    return 12 if points <= 24 else 8 if points <= 60 else 5


def axis_title(indicator: Indicator, lang: str) -> str:
    return indicator.short_units[lang] or indicator.units[lang]


def growth_figure(points: pd.DataFrame, catalog: Catalog, indicator_ids: list[str], lang: str, title: str) -> go.Figure:
    """Small multiples of the group's headline indicators over the years (each panel its own scale)."""
    labels = [catalog.indicators[i].label(lang) for i in indicator_ids]
    fig = make_subplots(rows=2, cols=2, subplot_titles=labels, vertical_spacing=0.16, horizontal_spacing=0.08)
    for index, indicator_id in enumerate(indicator_ids):
        indicator = catalog.indicators[indicator_id]
        position = dict(row=index // 2 + 1, col=index % 2 + 1)
        add_series(fig, points[points["indicator_id"] == indicator_id], indicator, lang, **position)
        fig.update_yaxes(title_text=axis_title(indicator, lang), **position)
    style(fig, lang, height=640)
    fig.update_layout(title=dict(text=plotly_text(title), x=0, font=dict(size=20)))
    fig.update_xaxes(dtick="M24", tickformat="%Y")
    return fig


def series_figure(rows: pd.DataFrame, indicator: Indicator, lang: str, title: str, colour: str) -> go.Figure:
    fig = go.Figure()
    add_series(fig, rows, indicator, lang, colour=colour)
    style(fig, lang, height=320)
    fig.update_layout(title=dict(text=plotly_text(title), x=0, font=dict(size=17)))
    fig.update_yaxes(title_text=axis_title(indicator, lang))
    fig.update_xaxes(tickformat="%Y", dtick="M12")
    return fig


def sector_bars(table: pd.DataFrame, catalog: Catalog, lang: str, title: str) -> go.Figure:
    """Published figures and places for each sector, side by side, in the sector's colour."""
    names = [catalog.sectors[s].label(lang) for s in table["sector_id"]]
    colours = [catalog.sectors[s].colour for s in table["sector_id"]]
    fig = make_subplots(
        rows=1,
        cols=2,
        shared_yaxes=True,
        horizontal_spacing=0.04,
        subplot_titles=[t("sectors_chart_figures", lang), t("sectors_chart_places", lang)],
    )
    for col, measure in ((1, "figures"), (2, "places")):
        fig.add_trace(
            go.Bar(
                y=names,
                customdata=table["sector_id"],  # a click on a bar filters to that sector
                x=table[measure],
                orientation="h",
                marker_color=colours,
                text=[format_number(value, lang) for value in table[measure]],
                textposition="outside",
                cliponaxis=False,
                showlegend=False,
                hovertemplate="%{y}: %{x}<extra></extra>",
            ),
            row=1,
            col=col,
        )
    style(fig, lang, height=80 + 38 * len(table))
    fig.update_layout(title=dict(text=plotly_text(title), x=0, font=dict(size=20)))
    fig.update_yaxes(autorange="reversed", gridcolor="white")
    fig.update_xaxes(showticklabels=False, gridcolor="white")
    return fig


def country_bars(table: pd.DataFrame, catalog: Catalog, lang: str, title: str) -> go.Figure:
    """Places per country, most first."""
    names = [catalog.countries[c].label(lang) for c in table["country_iso3"]]
    fig = go.Figure(
        go.Bar(
            y=names,
            customdata=table["country_iso3"],  # a click on a bar filters to that country
            x=table["places"],
            orientation="h",
            marker_color=SHOWN_COLOUR,
            text=[format_number(value, lang) for value in table["places"]],
            textposition="outside",
            cliponaxis=False,
            hovertemplate="%{y}: %{x}<extra></extra>",
        )
    )
    style(fig, lang, height=80 + 28 * len(table))
    fig.update_layout(title=dict(text=plotly_text(title), x=0, font=dict(size=20)))
    fig.update_yaxes(autorange="reversed", gridcolor="white")
    fig.update_xaxes(showticklabels=False)
    return fig
