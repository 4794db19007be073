"""Presentation mode: the view's slides one per screen, large type, no chrome, arrow keys to step through."""

from __future__ import annotations

from functools import partial

import plotly.graph_objects as go
import streamlit as st

from components.chart_block import chart_description, data_behind, export_help, source_links
from components.markdown import escape, warning
from components.slide_export import toolbar_config
from components.slides import Deck, Slide, Tile
from components.storyboard import build_deck, first_slide_of_page
from dashboard.i18n import t

PRESENTATION_CSS = """
<style>
/* A projector shows the slide, not the app: no sidebar, header, toolbar or navigation. */
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stHeader"],
[data-testid="stToolbar"], [data-testid="stDecoration"], [data-testid="stStatusWidget"] { display: none !important; }
[data-testid="stMainBlockContainer"] { padding: 0.75rem 2.5rem 0.5rem !important; max-width: 100% !important; }
/* Large type: read from the back of a room at 1280x720. */
[data-testid="stMain"] h1 { font-size: 2.3rem !important; padding: 0.1rem 0 0.3rem !important; }
[data-testid="stMain"] [data-testid="stMarkdownContainer"] p,
[data-testid="stMain"] [data-testid="stMarkdownContainer"] li { font-size: 1.3rem; }
[data-testid="stMain"] [data-testid="stCaptionContainer"] p { font-size: 1rem; }
[data-testid="stMetricValue"], [data-testid="stMetricValue"] * { font-size: 2.8rem !important; line-height: 1.15; }
[data-testid="stMetricLabel"] p { font-size: 1.2rem !important; }
</style>
"""
CHART_HEIGHT = 470  # leaves room for the title and the buttons on a 1280x720 screen
CHART_FONT = 19


def projector_figure(figure: go.Figure) -> go.Figure:
    """The chart at presentation size: bigger type; its title is the slide's own."""
    big = go.Figure(figure)
    big.update_layout(height=CHART_HEIGHT, font_size=CHART_FONT, title_text="", margin=dict(t=40, l=20, r=20, b=20))
    big.update_xaxes(automargin=True)
    big.update_yaxes(automargin=True)
    big.update_annotations(font_size=CHART_FONT + 2)  # subplot titles
    big.update_traces(textfont_size=CHART_FONT, selector=dict(type="bar"))
    return big


def _tile(tile: Tile) -> None:
    """A card at projector size; its source is in the slide's source line below, to keep the card short."""
    with st.container(border=True, height="stretch", gap="small"):
        label = f"{tile.label} · {tile.period}" if tile.period else tile.label
        st.metric(escape(label), tile.value)
        if tile.warning:
            st.markdown(warning(tile.warning))
        st.caption(escape(tile.detail))


def _kpis(slide: Slide) -> None:
    per_row = 3
    for start in range(0, len(slide.tiles), per_row):
        row = st.columns(per_row)
        for column, tile in zip(row, slide.tiles[start : start + per_row], strict=False):
            with column:
                _tile(tile)


def _chart(slide: Slide, deck: Deck, key: str) -> None:
    # theme=None: Streamlit's chart theme would put back its own small type.
    st.plotly_chart(projector_figure(slide.figure), key=key, config=toolbar_config(slide, deck), theme=None)
    chart_description(slide.alt, deck.lang)


def _text(slide: Slide) -> None:
    shares = slide.shares or (None,) * len(slide.lines)
    for line, share in zip(slide.lines, shares, strict=True):
        with st.container(border=True):
            st.markdown(f":material/flag: {escape(line)}")
            if share is not None:
                st.progress(min(share, 1.0))


def slide_body(slide: Slide, deck: Deck, *, key: str) -> None:
    """One slide at presentation size: its title, what it shows, its source."""
    st.title(escape(slide.title), anchor=False)
    st.caption(escape(deck.filters_line))
    if slide.kind == "kpis":
        _kpis(slide)
    elif slide.kind == "chart":
        _chart(slide, deck, key=f"present-{key}")
    else:
        _text(slide)
    if sources := source_links(slide, deck.lang):
        st.caption(sources)
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
    with st.container(horizontal=True, vertical_alignment="center", gap="small", wrap=False):
        st.button(t("present_previous", lang), icon=":material/arrow_back:", shortcut="Left", on_click=_go,
                  args=(-1, total), disabled=number <= 1, key="present-previous")  # fmt: skip
        st.markdown(f"**{t('present_counter', lang, number=number, total=total)}**")
        st.button(t("present_next", lang), icon=":material/arrow_forward:", shortcut="Right", on_click=_go,
                  args=(1, total), disabled=number >= total, key="present-next", type="primary")  # fmt: skip
        st.space("stretch")
        deck_download(partial(_pptx, deck), lang, key="present-deck")
        st.button(t("present_exit", lang), icon=":material/close:", shortcut="Esc", on_click=_leave,
                  key="present-exit", help=t("present_keys", lang))  # fmt: skip


def deck_download(build, lang: str, *, key: str) -> None:
    """The slides of the view as a .pptx, built when clicked (each chart is drawn by Kaleido in Chromium)."""
    ready, help_text = export_help("download_deck_help", lang)
    st.download_button(t("download_deck", lang), data=build, file_name="groupe-sos.pptx", disabled=not ready,
                       mime="application/vnd.openxmlformats-officedocument.presentationml.presentation",
                       icon=":material/slideshow:", help=help_text, key=key, on_click="ignore")  # fmt: skip


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
    presentation_controls(deck, number)  # on top, so that a tall slide never pushes them off the screen
    slide_body(deck.slides[number - 1], deck, key=deck.slides[number - 1].key)
    return number


def _pptx(deck: Deck) -> bytes:
    """The deck as a .pptx. python-pptx (components/deck.py) is imported on the first click, not with every page:
    about 0.1 s of a cold start that a reader who never downloads a deck should not wait for."""
    from components.deck import deck_pptx

    return deck_pptx(deck)


def view_pptx(store, catalog, filters, lang: str) -> bytes:
    """The deck of a view, built only when its download is clicked."""
    return _pptx(build_deck(store, catalog, filters, lang))
