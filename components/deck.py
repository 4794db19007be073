"""The view as a PowerPoint deck: a title slide, then each slide as native titles, text and chart pictures."""

from __future__ import annotations

import io
import math

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.lang import MSO_LANGUAGE_ID
from pptx.enum.shapes import MSO_CONNECTOR, MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.util import Emu, Inches, Pt

from components.slide_export import chart_png, fit_lines
from components.slides import Deck, Slide, Tile

SLIDE_WIDTH, SLIDE_HEIGHT = Emu(12192000), Emu(6858000)  # 13.333 x 7.5 in, PowerPoint's own 16:9
MARGIN = 0.6  # in
CONTENT_WIDTH = 13.333 - 2 * MARGIN
BODY_TOP, BODY_BOTTOM = 1.72, 6.7  # in: between the filters line and the footer
FONT = "Arial"  # everywhere, or metric-compatible (Liberation Sans): nothing to embed
INK = RGBColor(0x1A, 0x1A, 0x1A)
ACCENT = RGBColor(0x0B, 0x4F, 0x8A)
MUTED = RGBColor(0x4D, 0x4D, 0x4D)  # 8.4:1 on white
WARNING = RGBColor(0xA1, 0x4A, 0x00)  # dark orange, 6.0:1 on white
TILE_FILL = RGBColor(0xF2, 0xF5, 0xF9)
RULE = RGBColor(0xBF, 0xBF, 0xBF)
LANGUAGES = {"fr": MSO_LANGUAGE_ID.FRENCH, "en": MSO_LANGUAGE_ID.ENGLISH_UK}
CHART_PIXELS_WIDE = 1500  # the picture's type (24 px) then reads at about 14 pt on the slide
CHAR_WIDTH = 0.6  # average glyph width in ems, generous: office suites wrap a little earlier than browsers
LAYOUT_TITLE, LAYOUT_TITLE_AND_TEXT, LAYOUT_TITLE_ONLY = 0, 1, 5
TILE_COLUMNS = {1: 1, 2: 2, 3: 3, 4: 2, 5: 3, 6: 3, 7: 4, 8: 4}


# Text: every run carries its font, size, colour and language, so that the deck looks the same in any office suite


def _style(run, size: float, colour: RGBColor, lang: str, bold: bool = False) -> None:
    run.font.name = FONT
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.color.rgb = colour
    run.font.language_id = LANGUAGES.get(lang, MSO_LANGUAGE_ID.ENGLISH_UK)


def _paragraph(text_frame, text: str, size: float, colour: RGBColor, lang: str, *, bold: bool = False, first=False):
    paragraph = text_frame.paragraphs[0] if first else text_frame.add_paragraph()
    paragraph.alignment = PP_ALIGN.LEFT
    run = paragraph.add_run()
    run.text = text
    _style(run, size, colour, lang, bold)
    return paragraph


def _text_box(pptx_slide, left: float, top: float, width: float, height: float, lines, lang: str):
    """A text box of (text, size, colour) lines, positioned in inches."""
    box = pptx_slide.shapes.add_textbox(Inches(left), Inches(top), Inches(width), Inches(height))
    frame = box.text_frame
    frame.word_wrap = True
    frame.margin_left = frame.margin_right = frame.margin_top = frame.margin_bottom = 0
    for index, (text, size, colour) in enumerate(lines):
        _paragraph(frame, text, size, colour, lang, first=index == 0)
    return box


def _per_line(width_in: float, size_pt: float) -> int:
    return int(width_in * 72 / (size_pt * CHAR_WIDTH))


def _line_count(texts: list[str], width_in: float, size_pt: float) -> int:
    per_line = _per_line(width_in, size_pt)
    return sum(max(1, math.ceil(len(text) / per_line)) for text in texts)


def _place(shape, left: float, top: float, width: float, height: float) -> None:
    """Move a placeholder: the default template's layouts are drawn for 4:3."""
    shape.left, shape.top, shape.width, shape.height = Inches(left), Inches(top), Inches(width), Inches(height)


def _title(pptx_slide, text: str, size: float, lang: str, top: float, height: float) -> None:
    """The slide's title placeholder, so that the outline and accessibility checkers read it as the title."""
    title = pptx_slide.shapes.title
    _place(title, MARGIN, top, CONTENT_WIDTH, height)
    frame = title.text_frame
    frame.word_wrap = True
    frame.vertical_anchor = MSO_ANCHOR.BOTTOM
    frame.margin_left = frame.margin_right = 0  # flush with the accent rule and the filters line
    frame.text = ""
    _paragraph(frame, text, size, INK, lang, bold=True, first=True)


def _accent_rule(pptx_slide, left: float, top: float, width: float) -> None:
    bar = pptx_slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, Inches(left), Inches(top), Inches(width), Inches(0.06))
    bar.fill.solid()
    bar.fill.fore_color.rgb = ACCENT
    bar.line.fill.background()


def _header(pptx_slide, slide: Slide, deck: Deck) -> None:
    size = 32 if _line_count([slide.title], CONTENT_WIDTH, 32) == 1 else 24
    _title(pptx_slide, slide.title, size, deck.lang, top=0.3, height=0.9)
    _accent_rule(pptx_slide, MARGIN, 1.25, 1.2)
    filters = fit_lines(deck.filters_line, _per_line(CONTENT_WIDTH, 16), 1)[0]
    _text_box(pptx_slide, MARGIN, 1.38, CONTENT_WIDTH, 0.28, [(filters, 16, MUTED)], deck.lang)


def _footer(pptx_slide, slide: Slide, deck: Deck) -> None:
    """Sources and date on every slide, so that a slide copied into another deck still says where it comes from."""
    line = pptx_slide.shapes.add_connector(
        MSO_CONNECTOR.STRAIGHT, Inches(MARGIN), Inches(6.78), Inches(MARGIN + CONTENT_WIDTH), Inches(6.78)
    )
    line.line.color.rgb = RULE
    line.line.width = Pt(0.75)
    source_width, date_width = CONTENT_WIDTH - 2.8, 2.6
    source = " ".join(fit_lines(slide.source_line, _per_line(source_width, 11), 2))  # the full list is in the notes
    _text_box(pptx_slide, MARGIN, 6.84, source_width, 0.38, [(source, 11, INK)], deck.lang)
    date_left = MARGIN + CONTENT_WIDTH - date_width
    date = _text_box(pptx_slide, date_left, 6.84, date_width, 0.2, [(deck.date_line, 11, MUTED)], deck.lang)
    date.text_frame.paragraphs[0].alignment = PP_ALIGN.RIGHT
    dataset = fit_lines(deck.dataset_line, _per_line(CONTENT_WIDTH, 9), 1)[0]
    _text_box(pptx_slide, MARGIN, 7.26, CONTENT_WIDTH, 0.16, [(dataset, 9, MUTED)], deck.lang)


def _notes(pptx_slide, slide: Slide) -> None:
    """What the presenter reads: the definitions and sources, then what the slide shows (once, if already there)."""
    parts = [slide.notes] if slide.notes else []
    if slide.alt and slide.alt not in slide.notes:
        parts.append(slide.alt)
    pptx_slide.notes_slide.notes_text_frame.text = "\n\n".join(parts)


# Slides, one function per kind


def _title_slide(presentation, deck: Deck) -> None:
    pptx_slide = presentation.slides.add_slide(presentation.slide_layouts[LAYOUT_TITLE])
    _title(pptx_slide, deck.title, 44, deck.lang, top=1.9, height=1.5)
    _accent_rule(pptx_slide, MARGIN, 3.55, 2.0)
    subtitle = pptx_slide.placeholders[1]
    _place(subtitle, MARGIN, 3.8, CONTENT_WIDTH, 2.6)
    frame = subtitle.text_frame
    frame.word_wrap = True
    frame.vertical_anchor = MSO_ANCHOR.TOP
    frame.text = ""
    for index, (text, size, colour) in enumerate(
        ((deck.filters_line, 24, INK), (deck.date_line, 18, MUTED), (deck.dataset_line, 16, MUTED))
    ):
        paragraph = _paragraph(frame, text, size, colour, deck.lang, first=index == 0)
        paragraph.space_before = Pt(0 if index == 0 else 10)


def _tile(
    pptx_slide, tile: Tile, left: float, top: float, width: float, height: float, scale: float, lang: str
) -> None:
    """One headline figure as a native text box: label and period, the value big, then why, warning, source."""
    box = pptx_slide.shapes.add_shape(
        MSO_SHAPE.ROUNDED_RECTANGLE, Inches(left), Inches(top), Inches(width), Inches(height)
    )
    box.adjustments[0] = 0.06
    box.fill.solid()
    box.fill.fore_color.rgb = TILE_FILL
    box.line.fill.background()
    box.name = tile.label
    frame = box.text_frame
    frame.word_wrap = True
    frame.vertical_anchor = MSO_ANCHOR.TOP
    frame.margin_left = frame.margin_right = Inches(0.18)
    frame.margin_top = frame.margin_bottom = Inches(0.12)
    _paragraph(frame, tile.label, 16 * scale, INK, lang, bold=True, first=True)
    value = _paragraph(frame, tile.value, 36 * scale, ACCENT, lang, bold=True)
    if tile.period:
        run = value.add_run()
        run.text = f"  {tile.period}"
        _style(run, 16 * scale, MUTED, lang)
    for text, size, colour, bold in (
        (tile.detail, 13, INK, False),
        (tile.warning, 13, WARNING, True),
        (tile.source, 10, MUTED, False),
    ):
        if text:
            _paragraph(frame, text, size * scale, colour, lang, bold=bold).space_before = Pt(4 * scale)


def _kpi_slide(pptx_slide, slide: Slide, deck: Deck) -> None:
    count = len(slide.tiles)
    columns = TILE_COLUMNS.get(count, 4)
    rows = max(1, math.ceil(count / columns))
    gap = 0.22
    width = (CONTENT_WIDTH - gap * (columns - 1)) / columns
    height = min(3.2, (BODY_BOTTOM - BODY_TOP - 0.1 - gap * (rows - 1)) / rows)
    scale = 1.0 if columns <= 3 and rows <= 2 else 0.85  # a fourth column or third row leaves less room per tile
    for index, tile in enumerate(slide.tiles):
        row, column = divmod(index, columns)
        left, top = MARGIN + column * (width + gap), BODY_TOP + 0.1 + row * (height + gap)
        _tile(pptx_slide, tile, left, top, width, height, scale, deck.lang)


def _chart_slide(pptx_slide, slide: Slide, deck: Deck) -> None:
    top, height = BODY_TOP, BODY_BOTTOM - BODY_TOP
    pixels_high = round(CHART_PIXELS_WIDE * height / CONTENT_WIDTH)
    image = io.BytesIO(chart_png(slide, CHART_PIXELS_WIDE, pixels_high))
    picture = pptx_slide.shapes.add_picture(image, Inches(MARGIN), Inches(top), Inches(CONTENT_WIDTH), Inches(height))
    picture.name = slide.title
    picture._element.nvPicPr.cNvPr.set("descr", slide.alt)  # python-pptx has no API for alt text yet


def _text_slide(pptx_slide, slide: Slide, deck: Deck) -> None:
    """The lines as bullets in the body placeholder, at the largest size that fits."""
    body = pptx_slide.placeholders[1]
    height = BODY_BOTTOM - BODY_TOP - 0.1
    _place(body, MARGIN, BODY_TOP + 0.1, CONTENT_WIDTH, height)
    lines = list(slide.lines)
    size = next(
        (s for s in (22, 20, 18, 16) if _line_count(lines, CONTENT_WIDTH - 0.4, s) * s * 1.25 + len(lines) * 12
         <= height * 72),
        14,
    )  # fmt: skip
    frame = body.text_frame
    frame.word_wrap = True
    frame.text = ""
    for index, line in enumerate(lines):
        paragraph = _paragraph(frame, line, size, INK, deck.lang, first=index == 0)
        paragraph.space_before = Pt(0 if index == 0 else 12)


KINDS = {"kpis": (LAYOUT_TITLE_ONLY, _kpi_slide), "chart": (LAYOUT_TITLE_ONLY, _chart_slide),
         "text": (LAYOUT_TITLE_AND_TEXT, _text_slide)}  # fmt: skip


def deck_pptx(deck: Deck) -> bytes:
    """The deck as a 16:9 .pptx: a title slide, then one slide per slide of the view, with speaker notes."""
    presentation = Presentation()
    presentation.slide_width, presentation.slide_height = SLIDE_WIDTH, SLIDE_HEIGHT
    presentation.core_properties.title = deck.title
    presentation.core_properties.language = deck.lang
    _title_slide(presentation, deck)
    for slide in deck.slides:
        if slide.kind not in KINDS:
            raise ValueError(f"no deck layout for slides of kind {slide.kind!r}")
        layout, fill = KINDS[slide.kind]
        pptx_slide = presentation.slides.add_slide(presentation.slide_layouts[layout])
        _header(pptx_slide, slide, deck)
        fill(pptx_slide, slide, deck)
        _footer(pptx_slide, slide, deck)
        _notes(pptx_slide, slide)
    out = io.BytesIO()
    presentation.save(out)
    return out.getvalue()
