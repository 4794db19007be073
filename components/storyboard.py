"""The story a view tells, as slides: headline KPIs, growth, targets, sectors, places, programme series.

Pages draw these slides among their tables; presentation mode shows them one per screen; the deck and the slide
images carry the same ones. No Streamlit here.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from functools import lru_cache
from itertools import accumulate

import pandas as pd
import pyarrow as pa

from components.alt_text import bars_alt, series_alt
from components.charts import SHOWN_COLOUR, country_bars, growth_figure, is_dense, sector_bars, series_figure
from components.places_map import CompactDeck, places_deck
from components.slides import Deck, Slide, SourceRef, Tile
from components.tables import arrow_table, country_name, figures_display, places_display, sector_name
from components.targets import TargetProgress, target_progress
from dashboard.filters import Filters
from dashboard.geo import country_shapes
from dashboard.i18n import (
    change_between,
    format_date,
    format_number,
    format_rivals,
    format_value,
    join_words,
    period_of,
    t,
)
from dashboard.metadata import Catalog, Indicator, load_catalog
from dashboard.queries import (
    Kpi,
    by_country,
    by_sector,
    figure_count,
    figures,
    kpis,
    locations,
    repeated_series_in,
    view_sources,
    with_rivals,
)
from dashboard.store import Store

HEADLINE_KPIS = ["employees", "beneficiaries", "revenue", "establishments", "countries", "social_enterprises"]
GROWTH_INDICATORS = ["employees", "revenue", "establishments", "beneficiaries"]
PROGRAMME_LEVELS = ["programme", "entity"]
MOST_BARS = 12  # bars a slide can show readably at 1280x720 and in a deck
# Series charts: a section shows its broadest and best-documented series first, and a page or a deck draws at most
# this many in all, whatever the size of the data (a chart per establishment would bury the reader and the browser).
MOST_SERIES_PER_SECTION = 4
MOST_SERIES_CHARTS = 12
# Of those, dense ones (monthly figures over years, charts.is_dense): one screen of them. Each is a line of 76-180
# figures that the browser draws again at every filter change (about 100 ms each at 10M rows, docs/performance.md,
# session 9), and a wall of them reads as one grey band.
MOST_DENSE_SERIES_CHARTS = 4
MOST_ENTITY_SECTIONS = 8  # entities with a section of their own on the Programmes page

# Where presentation mode opens when started from a page: that page's first slide.
PAGE_FIRST_SLIDE = {"": "kpis", "sectors": "sectors", "international": "places", "programmes": "series-"}


# The slides of a view are drawn again on every rerun of a page (a click, a key press in presentation mode) and for
# the deck: each is computed once per store, view and language, and shared; callers must not change what they get.
per_view = lru_cache(maxsize=64)


def dimensions_text(splits: tuple[str, ...], lang: str) -> str:
    return join_words([t(f"dimension_{d}", lang) for d in splits], lang)


def view_summary(catalog: Catalog, filters: Filters, lang: str) -> str:
    """The filters of the view in words: "Showing: Senegal, International action and 2015–2024."."""
    if filters.is_everything:
        return t("scope_everything", lang)
    parts = [country_name(catalog, c, lang) for c in filters.countries]
    parts += [sector_name(catalog, s, lang) for s in filters.sectors]
    parts += [catalog.entities[e].name for e in filters.entities]
    if filters.years:
        parts.append(f"{filters.years[0]}–{filters.years[1]}")
    return t("scope_filtered", lang, what=join_words(parts, lang))


def sources_of(rows: pd.DataFrame) -> tuple[SourceRef, ...]:
    """The distinct sources of some figures or places, by title."""
    if rows.empty or "source_title" not in rows:
        return ()
    unique = rows.drop_duplicates("source_title").sort_values("source_title")
    return tuple(
        SourceRef(r["source_title"], r["source_url"] if isinstance(r["source_url"], str) and r["source_url"] else None)
        for r in unique.to_dict("records")
    )


def source_line(sources: tuple[SourceRef, ...], lang: str) -> str:
    return t("sources_line", lang, sources=" · ".join(s.title for s in sources)) if sources else ""


def speaker_notes(indicators: list[Indicator], sources: tuple[SourceRef, ...], lang: str, extra: str = "") -> str:
    """What the presenter may need to answer a question: what each figure means, and where it comes from."""
    lines = []
    if extra:
        lines += [extra, ""]
    if indicators:
        lines.append(t("notes_definitions", lang))
        lines += [
            t("notes_definition", lang, label=i.label(lang), unit=i.units[lang], description=i.descriptions[lang])
            for i in indicators
        ]
        lines.append("")
    if sources:
        lines.append(t("notes_sources", lang))
        lines += [f"- {s.title}" + (f" — {s.url}" if s.url else "") for s in sources]
    return "\n".join(lines).strip()


# --- KPIs -------------------------------------------------------------------------------------------------------


def disputed_values(kpi: Kpi, indicator: Indicator, lang: str) -> str:
    """Every value sources give for the headline period, lowest first: "€1.26B · €1.37B · ≈ €1.4B"."""
    return format_rivals(kpi.candidates, indicator, lang)


def kpi_missing_text(kpi: Kpi, catalog: Catalog, lang: str, splits: tuple[str, ...]) -> str:
    """Why a card has no figure, in words."""
    if kpi.status == "not_splittable":
        return t("kpi_not_splittable", lang, dimensions=dimensions_text(splits, lang))
    if kpi.status == "several_scopes":
        names = ", ".join(catalog.entities[e].name for e in kpi.scopes)
        if kpi.scope_count > len(kpi.scopes):
            names += ", " + t("and_more", lang, count=format_number(kpi.scope_count - len(kpi.scopes), lang))
        return t("kpi_several_scopes", lang, count=format_number(kpi.scope_count, lang), names=names)
    return t("kpi_no_data" if splits else "kpi_no_group_figure", lang)


def kpi_tile(kpi: Kpi, indicator: Indicator, catalog: Catalog, lang: str, splits: tuple[str, ...]) -> Tile:
    """A KPI card as texts: the same figure, change, source and disagreement as the Overview's card."""
    label = indicator.label(lang)
    if kpi.status != "ok":
        return Tile(label, "–", "", kpi_missing_text(kpi, catalog, lang, splits), "")
    headline, previous = kpi.headline, kpi.previous
    detail = t("kpi_no_previous", lang)
    if previous:
        change, against = change_between(headline, previous, indicator, lang)
        detail = f"{change} {against}" if change else against
    if headline["scope_level"] != "group":
        detail += " · " + t("kpi_scope", lang, scope=headline["entity_name"])
    source = t("kpi_source", lang, source=headline["source_title"]) + f" · {t('col_confidence', lang)} "
    return Tile(
        label=label,
        value=format_value(headline["value"], indicator, lang, headline["qualifier"], compact=True),
        period=period_of(headline, lang),
        detail=detail,
        source=source + headline["confidence"],
        warning=t("kpi_disputed", lang, values=disputed_values(kpi, indicator, lang)) if kpi.disputed else "",
    )


def headline_kpis(store: Store, filters: Filters) -> dict[str, Kpi]:
    """The headline KPIs the store's audience may see (for partners, an internal indicator is left out)."""
    indicators = load_catalog(store).indicators
    return kpis(store, [i for i in HEADLINE_KPIS if i in indicators], filters)


def kpi_summary(kpis: dict[str, Kpi], catalog: Catalog, lang: str, filters: Filters, on_slide: bool = False) -> str:
    """One sentence on where the group stands, from the cards: "Latest published figures: Employees 22,000 in 2024,
    unchanged since 2022; Revenue €1.37B in 2022 (sources disagree); ..."."""
    parts = []
    for indicator_id, found in kpis.items():
        if found.status != "ok":
            continue
        indicator, headline = catalog.indicators[indicator_id], found.headline
        part = t(
            "summary_part",
            lang,
            indicator=indicator.label(lang),
            value=format_value(headline["value"], indicator, lang, headline["qualifier"], compact=True),
            period=period_of(headline, lang),
        )
        previous = found.previous
        if previous and not {headline["qualifier"], previous["qualifier"]} & {"more than", "about"}:
            was = format_value(previous["value"], indicator, lang, previous["qualifier"], compact=True)
            if headline["value"] == previous["value"]:
                key = "summary_same"
            else:
                key = "summary_up" if headline["value"] > previous["value"] else "summary_down"
            part += t(key, lang, value=was, period=period_of(previous, lang))
        if found.disputed:
            part += t("summary_disputed", lang)
        parts.append(part)
    if not parts:
        key = "summary_nothing"
        if filters.splits:  # a slide has no "below"
            key = "summary_not_splittable_slide" if on_slide else "summary_not_splittable"
        return t(key, lang, dimensions=dimensions_text(filters.splits, lang))
    return t("summary_sentence", lang, parts=t("list_separator", lang).join(parts))


@per_view
def kpi_slide(store: Store, catalog: Catalog, filters: Filters, lang: str) -> Slide:
    kpis = headline_kpis(store, filters)
    shown = [k.headline for k in kpis.values() if k.status == "ok"]
    rows = pd.DataFrame(shown)
    alternatives = [k.alternatives for k in kpis.values() if k.status == "ok" and len(k.alternatives)]
    every = pd.concat([rows, *alternatives], ignore_index=True) if shown else rows
    sources = sources_of(every)
    indicators = [catalog.indicators[i] for i in kpis]
    summary = kpi_summary(kpis, catalog, lang, filters, on_slide=True)
    return Slide(
        key="kpis",
        kind="kpis",
        title=t("slide_kpis_title", lang),
        alt=summary,
        source_line=source_line(sources, lang),
        notes=speaker_notes(indicators, sources, lang, extra=t("kpi_rule", lang)),
        tiles=tuple(kpi_tile(kpi, catalog.indicators[i], catalog, lang, filters.splits) for i, kpi in kpis.items()),
        table=figures_display(every, catalog, lang) if shown else pd.DataFrame(),
        sources=sources,
    )


# --- charts -----------------------------------------------------------------------------------------------------


def chart_slide(key: str, title: str, figure, alt: str, rows: pd.DataFrame, table: pd.DataFrame,
                indicators: list[Indicator], lang: str) -> Slide:  # fmt: skip
    sources = sources_of(rows)
    return Slide(
        key=key,
        kind="chart",
        title=title,
        alt=alt,
        source_line=source_line(sources, lang),
        notes=speaker_notes(indicators, sources, lang, extra=alt),
        figure=figure,
        table=table,
        sources=sources,
    )


@per_view
def growth_slide(store: Store, catalog: Catalog, filters: Filters, lang: str) -> Slide | None:
    """The group's headline indicators over the years; None when the view cannot show group-wide totals."""
    if filters.splits:
        return None
    shown = [i for i in GROWTH_INDICATORS if i in catalog.indicators]  # for partners, not an internal one
    growth = figures(store, filters, indicators=shown, kind="actual", levels=["group"])
    years = growth["year"].dropna()
    if years.empty:
        return None
    first, last = int(years.min()), int(years.max())
    title = (
        t("growth_title", lang, first=first, last=last) if first < last else t("growth_title_one_year", lang, year=last)
    )
    indicators = [catalog.indicators[i] for i in shown]
    alt = " ".join(series_alt(growth[growth["indicator_id"] == i.id], i, lang) for i in indicators)
    figure = growth_figure(growth, catalog, shown, lang, title)
    return chart_slide("growth", title, figure, alt, growth, figures_display(growth, catalog, lang), indicators, lang)


def series_slide(rows: pd.DataFrame, catalog: Catalog, lang: str) -> Slide:
    """One indicator of one scope over time: every published figure a point, gaps as gaps."""
    indicator = catalog.indicators[rows["indicator_id"].iloc[0]]
    entity_id = rows["entity_id"].iloc[0]
    title = t("over_time", lang, indicator=indicator.label(lang), scope=catalog.entities[entity_id].name)
    figure = series_figure(rows, indicator, lang, title, SHOWN_COLOUR)
    table = figures_display(rows, catalog, lang)
    key = f"series-{entity_id}-{indicator.id}"
    return chart_slide(key, title, figure, series_alt(rows, indicator, lang), rows, table, [indicator], lang)


def fewer_dense(series: dict, most: int) -> dict:
    """The series (frames of figures, per section) a page draws once dense ones are counted: at most `most` dense
    series, shared out to the sections as share_out does (each section's first dense series, then the seconds...),
    each section keeping its own first ones; every other series is kept."""
    dense = {
        section: [is_dense(int(f["period_end"].notna().sum())) for f in frames] for section, frames in series.items()
    }
    allowed = share_out([sum(flags) for flags in dense.values()], most)
    return {section: _first_dense(frames, dense[section], allowance)
            for (section, frames), allowance in zip(series.items(), allowed, strict=True)}  # fmt: skip


def _first_dense(frames: list, dense: list[bool], allowance: int) -> list:
    """The frames but the dense ones past the first `allowance`."""
    counted = accumulate(dense)  # dense frames so far, this one included
    return [frame for frame, is_d, count in zip(frames, dense, counted, strict=True) if not is_d or count <= allowance]


def share_out(wanted: list[int], budget: int) -> list[int]:
    """How many charts each section gets: one each in turn, in reading order, until the budget or the wants run out.

    A section never gets more than it wants; early sections are served first when the budget runs short.
    """
    given = [0] * len(wanted)
    while budget > 0 and any(g < w for g, w in zip(given, wanted, strict=True)):
        for index, want in enumerate(wanted):
            if budget > 0 and given[index] < want:
                given[index] += 1
                budget -= 1
    return given


@dataclass(frozen=True)
class SectionSeries:
    """The series charts of one section of a page, and how many series the section has in all."""

    slides: tuple[Slide, ...]
    total: int

    @property
    def hidden(self) -> int:
        return self.total - len(self.slides)


def series_by_section(
    store: Store,
    catalog: Catalog,
    filters: Filters,
    lang: str,
    *,
    per: str | None = None,
    sections: tuple[str, ...] | None = None,
    levels: list[str] | None = None,
    rivals: bool = True,
) -> dict[str | None, SectionSeries]:
    """A slide for each series worth a chart (an indicator that a scope published for two periods or more), per
    value of the column `per` (a sector, an entity) or for the whole view (None), within MOST_SERIES_CHARTS.

    The choice is made in the database (repeated_series_in): only the figures of the chosen series are fetched.
    With `rivals`, a series also shows the other sources of a disputed figure, even where the filters hide them.
    Series are drawn in the one blue of the figure shown, not in their sector's colour: some sector colours are too
    pale on white for a line and its points, and blue against vermilion keeps "shown" and "other source" apart.
    Cached per view; callers share the slides and must not change them.
    """
    return _series_by_section(store, catalog, filters, lang, per, sections, tuple(levels or ()), rivals)


@lru_cache(maxsize=64)
def _series_by_section(store, catalog, filters, lang, per, sections, levels, rivals) -> dict:
    levels = list(levels) or None
    # The Programmes page draws a few entities' sections: the choice then reads only their figures.
    entities = list(sections) if per == "entity_id" and sections else None
    most = MOST_SERIES_PER_SECTION if per else MOST_SERIES_CHARTS
    chosen = repeated_series_in(store, filters, per=per, levels=levels, entities=entities, most=most)
    if per:
        order = list(sections) if sections is not None else list(dict.fromkeys(chosen[per]))
        in_section = {section: chosen[chosen[per] == section] for section in order}
    else:
        in_section = {None: chosen}
    allotted = share_out([len(series) for series in in_section.values()], MOST_SERIES_CHARTS)
    drawn = {section: series.head(count) for (section, series), count in zip(in_section.items(), allotted, strict=True)}
    result = {section: SectionSeries((), int(series["total"].iloc[0]) if len(series) else 0)
              for section, series in in_section.items()}  # fmt: skip
    wanted = pd.concat(drawn.values()) if drawn else chosen.iloc[0:0]
    if wanted.empty:
        return result
    rows = figures(store, filters, indicators=sorted(wanted["indicator_id"].unique()),
                   entities=sorted(wanted["entity_id"].unique()), levels=levels)  # fmt: skip
    rows = with_rivals(store, rows) if rivals else rows
    frames = {}
    for section, series in drawn.items():
        of_section = rows[rows[per] == section] if per else rows
        frames[section] = [
            of_section[(of_section["indicator_id"] == i) & (of_section["entity_id"] == e)]
            for i, e in zip(series["indicator_id"], series["entity_id"], strict=True)
        ]
    for section, kept in fewer_dense(frames, MOST_DENSE_SERIES_CHARTS).items():
        slides = tuple(series_slide(series, catalog, lang) for series in kept)
        result[section] = replace(result[section], slides=slides)
    return result


@per_view
def sectors_slide(store: Store, catalog: Catalog, filters: Filters, lang: str) -> Slide | None:
    table = by_sector(store, filters)
    if table.empty:
        return None
    title = t("sectors_chart_title", lang)
    names = [catalog.sectors[s].label(lang) for s in table["sector_id"]]
    alt = " ".join(
        bars_alt(t(measure_title, lang), names, list(table[measure]), lang)
        for measure, measure_title in (("figures", "sectors_chart_figures"), ("places", "sectors_chart_places"))
    )
    shown = pd.DataFrame(
        {
            t("col_sector", lang): names,
            t("sectors_chart_figures", lang): table["figures"],
            t("sectors_chart_places", lang): table["places"],
        }
    )
    figure = sector_bars(table, catalog, lang, title)
    return chart_slide("sectors", title, figure, alt, view_sources(store, filters), shown, [], lang)


@per_view
def view_places_table(store: Store, catalog: Catalog, filters: Filters, lang: str, most: int) -> pa.Table:
    """The first `most` places of a view as the International page lists them."""
    return arrow_table(places_display(locations(store, filters).head(most), catalog, lang))


@per_view
def view_deck(store: Store, catalog: Catalog, filters: Filters, lang: str) -> CompactDeck:
    """The map of a view's places, opened on the country when the view is narrowed to one."""
    focus = catalog.countries[filters.one_country].centroid if filters.one_country else None
    return places_deck(locations(store, filters), catalog, lang, country_shapes(), focus=focus)


@per_view
def places_by_country_slide(
    store: Store, catalog: Catalog, filters: Filters, lang: str, *, most: int | None = None
) -> Slide | None:
    """Places per country; with `most`, the chart keeps the countries with most places (a slide cannot show 29
    readable bars) while the alt text and the table keep them all."""
    per_country = by_country(store, filters)
    per_country = per_country[per_country["places"] > 0]
    if per_country.empty:
        return None
    title = t("places_by_country_title", lang)
    names = [country_name(catalog, c, lang) for c in per_country["country_iso3"]]
    alt = bars_alt(title, names, list(per_country["places"]), lang)
    shown = pd.DataFrame(
        {
            t("col_country", lang): names,
            t("col_places", lang): per_country["places"],
            t("col_entities", lang): per_country["entities"],
        }
    )
    drawn = per_country
    if most is not None and len(per_country) > most:  # countries come most places first
        drawn = per_country.head(most)
        title = t("places_by_country_top", lang, most=most, total=len(per_country))
    figure = country_bars(drawn, catalog, lang, title)
    return chart_slide("places", title, figure, alt, locations(store, filters), shown, [], lang)


# --- targets and programmes -------------------------------------------------------------------------------------


def targets_in_view(store: Store, found: pd.DataFrame, catalog: Catalog, lang: str) -> list[TargetProgress]:
    """Progress of the targets among the figures in view, each measured against every figure of its scope."""
    targets = found[found["kind"] == "target"]
    if targets.empty:
        return []
    history = figures(store, entities=sorted(targets["entity_id"].unique()))
    return target_progress(targets, history, catalog, lang)


@per_view
def targets_of_view(store: Store, catalog: Catalog, filters: Filters, lang: str) -> tuple[TargetProgress, ...]:
    """Progress against every stated target the filters reach."""
    return tuple(targets_in_view(store, figures(store, filters, kind="target"), catalog, lang))


@per_view
def targets_slide(store: Store, catalog: Catalog, filters: Filters, lang: str) -> Slide | None:
    """Progress against every stated target in the view, status in words, with the sources of every figure quoted."""
    progress = targets_of_view(store, catalog, filters, lang)
    if not progress:
        return None
    lines = tuple(
        t("target_line", lang, entity=p.entity_name, indicator=p.indicator_label, text=p.text, status=p.status)
        for p in progress
    )
    quoted = pd.concat([p.rows for p in progress], ignore_index=True)
    sources = sources_of(quoted)
    indicators = [catalog.indicators[i] for i in dict.fromkeys(quoted["indicator_id"])]
    return Slide(
        key="targets",
        kind="text",
        title=t("targets_title", lang),
        alt=" ".join(lines),
        source_line=source_line(sources, lang),
        notes=speaker_notes(indicators, sources, lang),
        lines=lines,
        shares=tuple(p.share for p in progress),
        table=figures_display(quoted, catalog, lang),
        sources=sources,
    )


# --- the deck ---------------------------------------------------------------------------------------------------


def dataset_line(store: Store, catalog: Catalog, lang: str) -> str:
    """What the dataset is: published figures with their sources, or synthetic numbers that are not Groupe SOS's."""
    dataset = "dataset_synthetic" if catalog.synthetic else "dataset_real"
    return t(dataset, lang, figures=figure_count(store), sources=len(catalog.sources))


def deck_header(store: Store, catalog: Catalog, filters: Filters, lang: str, today: date | None = None) -> Deck:
    """What every slide image of the view carries (title, filters, date, dataset), with no slides yet."""
    return Deck(
        title=t("deck_title", lang),
        filters_line=view_summary(catalog, filters, lang),
        date_line=t("exported_on", lang, date=format_date(today or date.today(), lang, "long")),
        dataset_line=dataset_line(store, catalog, lang),
        lang=lang,
        slides=(),
    )


def build_deck(store: Store, catalog: Catalog, filters: Filters, lang: str, today: date | None = None) -> Deck:
    """Every slide of the view, in the order of the pages.

    Built once per view and day (presentation mode reruns on every key press, and shows one slide of the same deck);
    callers share the slides and must not change them.
    """
    return _build_deck(store, catalog, filters, lang, today or date.today())


@lru_cache(maxsize=32)
def _build_deck(store: Store, catalog: Catalog, filters: Filters, lang: str, today: date) -> Deck:
    slides = [kpi_slide(store, catalog, filters, lang)]
    slides += [s for s in (growth_slide(store, catalog, filters, lang), targets_slide(store, catalog, filters, lang),
                           sectors_slide(store, catalog, filters, lang), places_by_country_slide(store, catalog, filters, lang, most=MOST_BARS))
               if s is not None]  # fmt: skip
    slides += series_by_section(store, catalog, filters, lang, levels=PROGRAMME_LEVELS)[None].slides
    return replace(deck_header(store, catalog, filters, lang, today), slides=tuple(slides))


def first_slide_of_page(deck: Deck, url_path: str) -> int:
    """The index of the first slide that belongs to a page, so that presenting from /sectors opens on sectors."""
    wanted = PAGE_FIRST_SLIDE.get(url_path, "kpis")
    for index, slide in enumerate(deck.slides):
        if slide.key == wanted or (wanted.endswith("-") and slide.key.startswith(wanted)):
            return index
    return 0
