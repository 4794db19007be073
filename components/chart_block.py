"""A chart as a reader gets it: the chart, its description, slide-ready PNG and SVG, and the data behind it."""

from __future__ import annotations

from functools import partial

import streamlit as st

from components.markdown import LINE_BREAK, escape, source_link
from components.page_parts import link_column, slot
from components.slide_export import CHROMIUM, slide_png, slide_svg, toolbar_config
from components.slides import Deck, Slide
from components.storyboard import SectionSeries
from components.targets import TargetProgress
from dashboard.export import csv_bytes
from dashboard.i18n import format_number, t

MOST_SOURCES_NAMED = 6


def export_help(help_key: str, lang: str) -> tuple[bool, str]:
    """Whether images and decks can be drawn here (Chromium is installed), and the help text that says so."""
    if CHROMIUM.exists():
        return True, t(help_key, lang)
    return False, t("export_failed", lang, reason=t("chromium_missing", lang, path=CHROMIUM))


def image_downloads(slide: Slide, deck: Deck, *, key: str) -> None:
    """PNG (1920x1080) and SVG of the chart with title, filters, source and date drawn in; built on click."""
    ready, help_text = export_help("download_image_help", deck.lang)
    with st.container(horizontal=True, gap="small"):
        for label, render, extension, mime, icon in (
            ("download_png", slide_png, "png", "image/png", ":material/image:"),
            ("download_svg", slide_svg, "svg", "image/svg+xml", ":material/draw:"),
        ):
            st.download_button(t(label, deck.lang), data=partial(render, slide, deck), mime=mime, icon=icon,
                               file_name=f"{deck.file_stem}-{slide.key}.{extension}", key=f"{extension}-{key}",
                               help=help_text, disabled=not ready, type="tertiary", on_click="ignore")  # fmt: skip


def data_behind(slide: Slide, deck: Deck, *, key: str, when_opened: bool = True) -> None:
    """The table the chart is drawn from, as shown, and the same rows as CSV; `when_opened`, drawn only once the
    reader opens it (a rerun): a filter change then redraws no hidden table (Programmes: 245 to 210 ms, session 11).

    Not where it would be the page's only table: Streamlit fetches and evaluates the table's code (1.2 MB) when a
    table first appears, and the first filter change, which brings one, paid it (the overview: 234 to 428 ms)."""
    label = t("data_behind_chart" if slide.kind == "chart" else "data_behind_slide", deck.lang)
    lazily = {"key": f"data-behind-{key}", "on_change": "rerun"} if when_opened else {}
    with st.expander(label, icon=":material/table:", **lazily) as behind:
        if when_opened and not behind.open:
            return
        st.dataframe(slide.table, hide_index=True, column_config=link_column(deck.lang), width="stretch")
        st.download_button(t("download_table_csv", deck.lang), data=partial(csv_bytes, slide.table),
                           file_name=f"{deck.file_stem}-{slide.key}.csv", mime="text/csv", key=f"table-csv-{key}",
                           icon=":material/download:", on_click="ignore")  # fmt: skip


def source_links(slide: Slide, lang: str) -> str:
    """The sources of a chart as links; a long list names the first ones and counts the rest."""
    shown = [source_link(s.title, s.url) for s in slide.sources[:MOST_SOURCES_NAMED]]
    rest = len(slide.sources) - MOST_SOURCES_NAMED
    if rest > 0:
        shown.append(t("more_sources", lang, count=rest))
    return t("sources_line", lang, sources=" · ".join(shown)) if shown else ""


def chart_block(
    slide: Slide, deck: Deck, *, key: str, on_select=None, how_to_read: str = "", table_when_opened: bool = True
) -> None:
    """The chart; under it, in one caption, how to read it, its alt text (visible to everyone: Streamlit charts take
    no alt attribute) and its sources; image downloads; the table behind it (see data_behind)."""
    selection = {"on_select": on_select, "selection_mode": "points"} if on_select else {}
    st.plotly_chart(slide.figure, key=key, config=toolbar_config(slide, deck), **selection)
    lines = [how_to_read, description_text(slide.alt, deck.lang), source_links(slide, deck.lang)]
    st.caption(LINE_BREAK.join(line for line in lines if line))
    image_downloads(slide, deck, key=key)
    data_behind(slide, deck, key=key, when_opened=table_when_opened)


def description_text(alt: str, lang: str) -> str:
    return t("chart_description", lang, alt=escape(alt))


def chart_description(alt: str, lang: str) -> None:
    """The alt text of a chart, shown under it for everyone (Streamlit charts take no alt attribute)."""
    st.caption(description_text(alt, lang))


def chart_blocks(slides: list[Slide], deck: Deck, *, key: str) -> None:
    """Several charts, two to a row."""
    columns = st.columns(2) if len(slides) > 1 else [st.container()]
    for index, slide in enumerate(slides):
        with columns[index % len(columns)]:
            chart_block(slide, deck, key=f"{key}-{slide.key}")


def series_charts(series: SectionSeries, deck: Deck, *, key: str, entities_chosen: bool = False) -> None:
    """A section's series charts, and how many more it has when the page could not draw them all: where to see them
    is the Entity filter, or, when the reader has chosen entities already, the section's table."""
    with slot():
        chart_blocks(list(series.slides), deck, key=key)
        if series.hidden:
            shown, total = format_number(len(series.slides), deck.lang), format_number(series.total, deck.lang)
            said = t("series_more" if series.slides else "series_none_drawn", deck.lang, shown=shown, total=total)
            st.caption(f"{said} {t('series_hint_table' if entities_chosen else 'series_hint_filter', deck.lang)}")


def target_cards(progress: list[TargetProgress], lang: str) -> None:
    """Each target: what it is, how far the latest figure is, a bar, and the status in words."""
    for item in progress:
        with st.container(border=True):
            st.markdown(f":material/flag: **{escape(item.entity_name)}, {escape(item.indicator_label)}**")
            st.markdown(escape(item.text))
            if item.share is not None:
                st.progress(min(item.share, 1.0))
            st.caption(escape(item.status) + " " + t("kpi_source", lang, source=source_link(item.source.title,
                                                                                           item.source.url)))  # fmt: skip
