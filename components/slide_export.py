"""Slide-ready chart images: a chart restyled as a 1920x1080 slide, drawn to PNG or SVG by Kaleido in Chromium."""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import copy
import functools
import logging
import re
import textwrap
import threading
from concurrent.futures import TimeoutError as FutureTimeout
from pathlib import Path
from xml.sax.saxutils import escape as xml_escape
from xml.sax.saxutils import quoteattr

import plotly
import plotly.graph_objects as go

from components.charts import INK, plotly_text
from components.slides import Deck, Slide

# Kaleido would otherwise look for its own Chrome download first (choreographer prefers it even over BROWSER_PATH):
# the path is passed explicitly, so the image never depends on what happens to be installed in the home directory.
CHROMIUM = Path("/usr/bin/chromium")
# The plotly.js that plotly.py ships; Kaleido falls back to a CDN copy when it cannot find it, and loads MathJax from
# a CDN unless told not to. Nothing here may come from the internet.
PLOTLY_JS = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"

WIDTH, HEIGHT = 1920, 1080
EDGE = 48  # px between the image border and the text
BASE_FONT = 24  # ticks, legend, axis titles: readable from the back of a room
TITLE_FONT = 44
SUBTITLE_FONT = 26
SUBPLOT_TITLE_FONT = 26
FOOTER_FONT = 22
DATASET_FONT = 18
MIN_CATEGORY_FONT = 14
MUTED = "#4D4D4D"  # 8.4:1 on white
RULE = "#BFBFBF"
# Average glyph width of Arial / Liberation Sans in ems, a little generous: a wrapped line must never overflow.
CHAR_WIDTH = 0.55
LINE_HEIGHT = 1.3
# Debian's Chromium calls home on start even headless (search preconnect, updates, sign-in). No name but localhost
# resolves, so neither it nor a chart can reach the internet: offline by construction, not by luck.
QUIET_FLAGS = (
    "--disable-background-networking",
    "--no-pings",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost",
)
START_SECONDS = 30
RENDER_SECONDS = 30


class SlideExportError(RuntimeError):
    """A slide image could not be made; the message is meant for the reader, without a traceback."""


# Layout: the slide's own header and footer around the original chart


def fit_lines(text: str, per_line: int, most: int) -> list[str]:
    """Text wrapped at `per_line` characters, at most `most` lines; what does not fit ends in an ellipsis."""
    lines = textwrap.wrap(" ".join(text.split()), max(10, per_line)) or [""]
    if len(lines) > most:
        lines = lines[:most]
        lines[-1] = lines[-1][: max(10, per_line) - 1].rstrip() + "…"
    return lines


def _lines(text: str, font_px: float, width_px: float, most: int) -> list[str]:
    return fit_lines(text, int(width_px / (font_px * CHAR_WIDTH)), most)


def _html(lines: list[str]) -> str:
    return "<br>".join(plotly_text(line) for line in lines)


def _text_width(text: str, font_px: float) -> float:
    return len(text) * font_px * CHAR_WIDTH


def _category_labels(figure: go.Figure) -> list[str]:
    """The names along the side of a horizontal bar chart (sectors, countries), or none."""
    return [str(v) for trace in figure.data if getattr(trace, "orientation", None) == "h" for v in trace.y or ()]


def _category_font(figure: go.Figure, plot_height: float) -> int:
    """A long list of bars gets smaller names, so that every bar keeps its name instead of every other one."""
    bars = [trace for trace in figure.data if getattr(trace, "orientation", None) == "h" and trace.y is not None]
    most = max((len(trace.y) for trace in bars), default=0)
    return max(MIN_CATEGORY_FONT, min(BASE_FONT, int(plot_height / most * 0.75))) if most else BASE_FONT


def _legend_shown(figure: go.Figure) -> bool:
    """Plotly's own rule: a legend when two traces or more may show in it, unless switched off."""
    return figure.layout.showlegend is not False and sum(trace.showlegend is not False for trace in figure.data) > 1


def _wrap_axis_titles(figure: go.Figure, plot_height: float) -> int:
    """A y-axis title longer than its panel is high breaks onto two lines instead of running off the image.

    Returns the most lines any title takes (0 without titles), for the left margin.
    """
    most = 0
    for axis in figure.select_yaxes():
        if not axis.title.text:
            continue
        bottom, top = axis.domain or (0, 1)
        lines = fit_lines(axis.title.text, int((top - bottom) * plot_height / (BASE_FONT * CHAR_WIDTH)), 2)
        axis.title.text = "<br>".join(lines)  # already Plotly text: the builders escaped what needed it
        most = max(most, len(lines))
    return most


def _left_margin(figure: go.Figure, font_px: int, title_lines: int) -> int:
    """Room for the widest bar name, or for a number, plus the axis title."""
    labels = _category_labels(figure) or ["1 500 000"]
    widest = max(_text_width(label, font_px) for label in labels)
    return int(EDGE + widest + 10 + title_lines * BASE_FONT * LINE_HEIGHT + (12 if title_lines else 0))


class _Frame:
    """Where the plot area of a restyled chart lies, to turn pixels from the image's edges into Plotly's paper units."""

    def __init__(self, width: int, height: int, left: int, right: int, top: int, bottom: int) -> None:
        self.left, self.bottom = left, bottom
        self.plot_width, self.plot_height = width - left - right, height - top - bottom

    def x(self, px_from_left: float) -> float:
        return (px_from_left - self.left) / self.plot_width

    def y(self, px_from_bottom: float) -> float:
        return (px_from_bottom - self.bottom) / self.plot_height


def _projector_chart(
    original: go.Figure, width: int, height: int, header: float, footer: float
) -> tuple[go.Figure, _Frame]:
    """A copy of the chart at projector size and type, leaving `header` and `footer` pixels free for slide text."""
    figure = go.Figure(copy.deepcopy(original))
    above_plot = 70 if figure.layout.annotations or _legend_shown(figure) else 30  # subplot titles, legend
    below_plot = 110 if any(axis.title.text for axis in figure.select_xaxes()) else 60  # tick labels, axis title
    top, bottom = int(header + above_plot), int(below_plot + footer)
    category_font = _category_font(figure, height - top - bottom)
    title_lines = _wrap_axis_titles(figure, height - top - bottom)
    right = EDGE + 40  # numbers drawn outside the bars need a little room on the right
    frame = _Frame(width, height, _left_margin(figure, category_font, title_lines), right, top, bottom)
    figure.update_layout(
        width=width,
        height=height,
        margin=dict(l=frame.left, r=right, t=top, b=bottom),
        font=dict(size=BASE_FONT, color=INK),
        paper_bgcolor="white",
        title=dict(text=""),
    )
    # Tick labels and titles along x have room in the bottom margin; growing it would move the footer onto them.
    figure.update_xaxes(automargin=False)
    figure.update_annotations(font_size=SUBPLOT_TITLE_FONT)
    if category_font != BASE_FONT:
        figure.update_yaxes(tickfont_size=category_font)
        figure.update_traces(textfont_size=category_font, selector=dict(type="bar"))
    return figure, frame


def slide_figure(slide: Slide, deck: Deck) -> go.Figure:
    """A copy of the slide's chart laid out as a 16:9 slide: title and filters on top, sources and date at the foot."""
    usable = WIDTH - 2 * EDGE
    title = _lines(slide.title, TITLE_FONT, usable, 2)
    filters = _lines(deck.filters_line, SUBTITLE_FONT, usable, 2)
    date_width = _text_width(deck.date_line, FOOTER_FONT) + 40
    source = _lines(slide.source_line, FOOTER_FONT, usable - date_width, 2)
    dataset = _lines(deck.dataset_line, DATASET_FONT, usable, 1)
    header = 28 + len(title) * TITLE_FONT * LINE_HEIGHT + 8 + len(filters) * SUBTITLE_FONT * LINE_HEIGHT
    footer = 24 + DATASET_FONT * LINE_HEIGHT + 10 + len(source) * FOOTER_FONT * LINE_HEIGHT + 16
    figure, frame = _projector_chart(slide.figure, WIDTH, HEIGHT, header, footer)

    figure.update_layout(
        title=dict(
            text=_html(title),
            font=dict(size=TITLE_FONT, color=INK),
            xref="container",
            yref="container",
            x=EDGE / WIDTH,
            xanchor="left",
            y=1 - 28 / HEIGHT,
            yanchor="top",
            subtitle=dict(text=_html(filters), font=dict(size=SUBTITLE_FONT, color=MUTED)),
        ),
    )
    rule_at = frame.y(footer - 8)
    figure.add_shape(type="line", xref="paper", yref="paper", x0=frame.x(EDGE), x1=frame.x(WIDTH - EDGE), y0=rule_at,
                     y1=rule_at, line=dict(color=RULE, width=1))  # fmt: skip
    text = dict(xref="paper", yref="paper", showarrow=False, yanchor="top")
    line_top = frame.y(footer - 8 - 10)
    figure.add_annotation(text=_html(source), x=frame.x(EDGE), xanchor="left", align="left", y=line_top,
                          font=dict(size=FOOTER_FONT, color=INK), **text)  # fmt: skip
    figure.add_annotation(text=_html([deck.date_line]), x=frame.x(WIDTH - EDGE), xanchor="right", align="right",
                          y=line_top, font=dict(size=FOOTER_FONT, color=INK), **text)  # fmt: skip
    dataset_top = frame.y(24 + DATASET_FONT * LINE_HEIGHT)
    figure.add_annotation(text=_html(dataset), x=frame.x(EDGE), xanchor="left", align="left", y=dataset_top,
                          font=dict(size=DATASET_FONT, color=MUTED), **text)  # fmt: skip
    return figure


# Rendering: one Chromium for the whole process


@functools.cache
def _kaleido():
    """Kaleido, imported for the first image rather than with this module: every page imports this module (for the
    chart toolbar), and a reader who never downloads an image should not wait for Kaleido and choreographer on the
    first page of a cold start."""
    import kaleido

    # When the browser is closed at exit, choreographer logs a half-read message with its traceback: not an error of
    # ours, and no traceback may reach a person running the command line. (Only once Kaleido is imported: the logger
    # must be of the class choreographer's logging library installs.)
    logging.getLogger("choreographer.channels.pipe").setLevel(logging.CRITICAL)
    return kaleido


class _Renderer:
    """A headless Chromium kept open with the chart page loaded: starting it costs several times drawing one slide."""

    def __init__(self) -> None:
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="slide-export", daemon=True)
        self._thread.start()
        try:
            self._kaleido = self._wait(self._open(), START_SECONDS)
        except BaseException:
            self.close()
            raise

    async def _open(self):
        browser = _kaleido().Kaleido(
            path=str(CHROMIUM), browser_cls=_quiet_chromium(), page_generator=offline_page(), timeout=RENDER_SECONDS
        )
        await browser.open()
        return browser

    def _wait(self, coroutine, seconds: float):
        future = asyncio.run_coroutine_threadsafe(coroutine, self._loop)
        try:
            return future.result(timeout=seconds)
        except FutureTimeout:
            future.cancel()
            raise SlideExportError(f"Chromium did not answer within {seconds:.0f} s.") from None

    def render(self, figure: go.Figure, opts: dict) -> bytes:
        return self._wait(self._kaleido.calc_fig(figure, opts=opts), RENDER_SECONDS + 5)

    def close(self) -> None:
        try:
            if hasattr(self, "_kaleido"):
                self._wait(self._kaleido.close(), 10)
        finally:
            self._loop.call_soon_threadsafe(self._loop.stop)


@functools.cache
def _quiet_chromium() -> type:
    _kaleido()
    from choreographer.browsers import Chromium

    class QuietChromium(Chromium):
        """Chromium without its own background traffic (updates, sign-in, search preconnect): a chart needs none."""

        def get_cli(self):
            return [*super().get_cli(), *QUIET_FLAGS]

    return QuietChromium


def __getattr__(name: str):
    """`QuietChromium`, the browser class Kaleido starts, is made on first use (it subclasses choreographer's)."""
    if name == "QuietChromium":
        return _quiet_chromium()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def offline_page():
    """The page Kaleido draws in: plotly.js from plotly.py's own package, no MathJax, nothing fetched."""
    if not PLOTLY_JS.is_file():
        raise SlideExportError(f"plotly.js is missing from the plotly package ({PLOTLY_JS}).")
    return _kaleido().PageGenerator(plotly=(PLOTLY_JS.as_uri(), "utf-8"), mathjax=False)


_renderer: _Renderer | None = None
_renderer_lock = threading.Lock()


def _render(
    figure: go.Figure, image_format: str, *, width: int = WIDTH, height: int = HEIGHT, scale: float = 1
) -> bytes:
    global _renderer
    if not CHROMIUM.exists():
        raise SlideExportError(f"Slide images are drawn by Chromium, and {CHROMIUM} is missing.")
    with _renderer_lock:
        try:
            if _renderer is None:
                _renderer = _Renderer()
            renderer = _renderer
        except SlideExportError:
            raise
        except Exception as error:
            raise SlideExportError(f"Chromium could not be started: {error}") from error
    try:
        return renderer.render(figure, {"format": image_format, "width": width, "height": height, "scale": scale})
    except Exception as error:
        _forget(renderer)  # a browser that failed once is not trusted with the next slide: start a fresh one
        if isinstance(error, SlideExportError):
            raise
        raise SlideExportError(f"Chromium could not draw the slide: {error}") from error


def _forget(renderer: _Renderer) -> None:
    global _renderer
    with _renderer_lock:
        if _renderer is renderer:
            _renderer = None
    with contextlib.suppress(Exception):  # the browser is being dropped anyway
        renderer.close()


def close_renderer() -> None:
    """Close the shared Chromium (at exit, or in tests that need a fresh one)."""
    if _renderer is not None:
        _forget(_renderer)


atexit.register(close_renderer)


def slide_png(slide: Slide, deck: Deck) -> bytes:
    """The chart as a 1920x1080 PNG slide."""
    return _render(slide_figure(slide, deck), "png")


def chart_png(slide: Slide, width: int, height: int, scale: float = 2) -> bytes:
    """The chart alone at projector type, for a deck slide whose title, filters and sources are text of their own."""
    figure, _ = _projector_chart(slide.figure, width, height, header=0, footer=0)
    return _render(figure, "png", width=width, height=height, scale=scale)


def slide_svg(slide: Slide, deck: Deck) -> bytes:
    """The chart as an SVG slide that names itself to screen readers: a <title>, a <desc>, role and label."""
    svg = _render(slide_figure(slide, deck), "svg").decode("utf-8")
    opening = re.search(r"<svg\b[^>]*>", svg)
    if opening is None:
        raise SlideExportError("Chromium returned something that is not an SVG image.")
    tag = opening.group(0)[:-1] + f' role="img" aria-label={quoteattr(slide.title)}>'
    described = f"<title>{xml_escape(slide.title)}</title><desc>{xml_escape(slide.alt)}</desc>"
    return (svg[: opening.start()] + tag + described + svg[opening.end() :]).encode("utf-8")


def toolbar_config(slide: Slide, deck: Deck) -> dict:
    """Plotly's own toolbar, kept small; its camera button saves a 1920x1080 PNG under the slide's file name."""
    return {
        "displaylogo": False,
        "modeBarButtonsToRemove": ["select2d", "lasso2d", "zoomIn2d", "zoomOut2d", "autoScale2d", "toggleSpikelines"],
        "toImageButtonOptions": {
            "format": "png",
            "filename": f"{deck.file_stem}-{slide.key}",
            "width": WIDTH,
            "height": HEIGHT,
            "scale": 1,
        },
    }
