"""The slides of a view: what presentation mode shows one at a time, and what the PowerPoint deck and slide images carry.

Every text here is already in the reader's language; the renderers (presentation mode, slide images, the .pptx)
only lay it out. No Streamlit here.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd
import plotly.graph_objects as go


@dataclass(frozen=True)
class SourceRef:
    title: str
    url: str | None = None


@dataclass(frozen=True)
class Tile:
    """One headline figure on a KPI-group slide, formatted for reading at a distance."""

    label: str  # "Employees"
    value: str  # "22 000", "1,37 Md €", "50+", or "–" when nothing is published
    period: str  # "2024", or "" when there is no figure
    detail: str  # the change since the previous figure, or why there is no figure
    source: str  # "Source: Groupe SOS, Introduction · confidence A", or ""
    warning: str = ""  # "Sources disagree: 1,26 Md € · 1,37 Md € · ≈ 1,4 Md €"


@dataclass(frozen=True)
class Slide:
    """One screen of presentation mode and one slide of the deck: a KPI group, a chart, or lines of text."""

    key: str  # stable and URL-safe: "kpis", "growth", "targets", "sectors", ...
    kind: str  # "kpis" | "chart" | "text"
    title: str
    alt: str  # what the slide shows, in one or two sentences generated from its data
    source_line: str  # "Sources: A · B", in the reader's language
    notes: str  # speaker notes: definitions of the indicators shown, then each source with its URL
    figure: go.Figure | None = None  # kind "chart"
    tiles: tuple[Tile, ...] = ()  # kind "kpis"
    lines: tuple[str, ...] = ()  # kind "text" (for example progress against targets)
    shares: tuple[float | None, ...] = ()  # kind "text": a progress bar for a line (a share of a target), or None
    table: pd.DataFrame = field(default_factory=pd.DataFrame)  # the data behind the slide, as shown in tables
    sources: tuple[SourceRef, ...] = ()


@dataclass(frozen=True)
class Deck:
    """The slides of one view, with what every slide image and the title slide carry."""

    title: str  # "Groupe SOS: impact indicators"
    filters_line: str  # "Showing: Senegal and 2015–2024."
    date_line: str  # "Exported 23 November 2026" / "Exporté le 23 novembre 2026"
    dataset_line: str  # "Published figures, each with its source ..." or the synthetic-data warning
    lang: str
    slides: tuple[Slide, ...]
    file_stem: str = "groupe-sos"  # file names: groupe-sos-growth.png, groupe-sos.pptx
