"""Presentation mode: the view's slides one per screen, large type, no chrome, arrow keys to step through."""

from __future__ import annotations

from functools import partial

import plotly.graph_objects as go
import streamlit as st

from components.chart_block import data_behind, source_links
from components.deck import deck_pptx
from components.markdown import escape
from components.slides import Deck, Slide, Tile
from components.storyboard import build_deck, first_slide_of_page
from dashboard.i18n import t

PRESENTATION_CSS = """
<style>
/* A projector shows the slide, not the app: no sidebar, header, toolbar or navigation. */
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stHeader"],
[data-testid="stToolbar"], [data-testid="stDecoration"], [data-testid="stStatusWidget"] { display: none !important; }
[data-testid="stMainBlockContainer"] { padding: 1rem 2.5rem 0.5rem !important; max-width: 100% !important; }
/* Large type: read from the back of a room at 1280x720. */
[data-testid="stMain"] h1 { font-size: 2.4rem !important; padding-top: 0.2rem !important; }
[data-testid="stMain"] [data-testid="stMarkdownContainer"] p,
[data-testid="stMain"] [data-testid="stMarkdownContainer"] li { font-size: 1.3rem; }
[data-testid="stMain"] [data-testid="stCaptionContainer"] p { font-size: 1.05rem; }
[data-testid="stMetricValue"] { font-size: 3rem !important; }
[data-testid="stMetricLabel"] p { font-size: 1.25rem !important; }
</style>
"""
CHART_HEIGHT = 470  # leaves room for the title and the buttons on a 1280x720 screen
CHART_FONT = 19


def projector_figure(figure: go.Figure) -> go.Figure:
    """The chart at presentation size: bigger type; its title is the slide's own."""
    big = go.Figure(figure)
    big.update_layout(height=CHART_HEIGHT, font_size=CHART_FONT, title_text="", margin=dict(t=40))
    big.update_annotations(font_size=CHART_FONT + 2)  # subplot titles
    return big


def _tile(tile: Tile) -> None:
    with st.container(border=True, height="stretch"):
        label = f"{tile.label} · {tile.period}" if tile.period else tile.label
        st.metric(escape(label), tile.value)
        if tile.warning:
            st.markdown(f":orange[:material/warning: **{escape(tile.warning)}**]")
        st.caption(escape(tile.detail))
        if tile.source:
            st.caption(escape(tile.source))


def _kpis(slide: Slide) -> None:
    per_row = 3
    for start in range(0, len(slide.tiles), per_row):
        row = st.columns(per_row)
        for column, tile in zip(row, slide.tiles[start : start + per_row], strict=False):
            with column:
                _tile(tile)


def _chart(slide: Slide, deck: Deck, key: str) -> None:
    st.plotly_chart(projector_figure(slide.figure), key=key, config={"displaylogo": False})
    st.caption(escape(slide.alt))


def _text(slide: Slide) -> None:
    for line in slide.lines:
        with st.container(border=True):
            st.markdown(f":material/flag: {escape(line)}")


def slide_body(slide: Slide, deck: Deck, *, key: str) -> None:
    """One slide at presentation size: its title, what it shows, its source."""
    st.caption(escape(deck.filters_line))
    st.title(escape(slide.title), anchor=False)
    if slide.kind == "kpis":
        _kpis(slide)
    elif slide.kind == "chart":
        _chart(slide, deck, key=f"present-{key}")
    else:
        _text(slide)
    source_links(slide, deck.lang)
    if not slide.table.empty:
        data_behind(slide, deck, key=f"present-{key}")


def _go(step: int, total: int) -> None:
    state = st.session_state
    state["slide"] = min(max((state.get("slide") or 1) + step, 1), total)


def _leave() -> None:
    st.session_state["present"] = False
    st.session_state["slide"] = None


def start_presenting() -> None:
    st.session_state["present"] = True
    st.session_state["slide"] = None  # opens on the first slide of the page it was started from


def presentation_controls(deck: Deck, number: int) -> None:
    """Previous and next (also the arrow keys), where we are, leave (also Esc), and the deck as PowerPoint."""
    total, lang = len(deck.slides), deck.lang
    with st.container(horizontal=True, vertical_alignment="center", gap="medium"):
        st.button(t("present_previous", lang), icon=":material/arrow_back:", shortcut="Left", on_click=_go,
                  args=(-1, total), disabled=number <= 1, key="present-previous")  # fmt: skip
        st.markdown(f"**{t('present_counter', lang, number=number, total=total)}**")
        st.button(t("present_next", lang), icon=":material/arrow_forward:", shortcut="Right", on_click=_go,
                  args=(1, total), disabled=number >= total, key="present-next", type="primary")  # fmt: skip
        st.space("stretch")
        deck_download(deck, key="present-deck")
        st.button(t("present_exit", lang), icon=":material/close:", shortcut="Esc", on_click=_leave,
                  key="present-exit")  # fmt: skip
    st.caption(t("present_keys", lang))


def deck_download(deck: Deck, *, key: str) -> None:
    """The slides of the view as a .pptx, built when clicked (each chart is rendered by Kaleido)."""
    st.download_button(t("download_deck", deck.lang), data=partial(deck_pptx, deck), file_name=f"{deck.file_stem}.pptx",
                       mime="application/vnd.openxmlformats-officedocument.presentationml.presentation",
                       icon=":material/slideshow:", help=t("download_deck_help", deck.lang), key=key)  # fmt: skip


def current_slide(deck: Deck, url_path: str) -> tuple[int, str | None]:
    """The slide to show (1-based) and, when the link asked for one that does not exist, a notice."""
    state = st.session_state
    asked, notice = state.get("slide"), None
    if isinstance(asked, int) and 1 <= asked <= len(deck.slides):
        return asked, None
    if asked is not None:
        notice = t("notice_unknown_slide", deck.lang, value=str(asked)[:12], last=len(deck.slides))
    state["slide"] = first_slide_of_page(deck, url_path) + 1
    return state["slide"], notice


def presentation(deck: Deck, url_path: str) -> int:
    """Presentation mode for a view; returns the slide shown, for the URL."""
    st.html(PRESENTATION_CSS)
    number, notice = current_slide(deck, url_path)
    if notice:
        st.warning(escape(notice), icon=":material/link_off:")
    slide_body(deck.slides[number - 1], deck, key=deck.slides[number - 1].key)
    presentation_controls(deck, number)
    return number


def view_pptx(store, catalog, filters, lang: str) -> bytes:
    """The deck of a view, built only when its download is clicked."""
    return deck_pptx(build_deck(store, catalog, filters, lang))
