"""KPI cards: the latest figure, its year, the change since the previous one, a sparkline, its source, and any
disagreement between sources, visible without a click."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from components.markdown import LINE_BREAK, escape, source_link, warning
from components.storyboard import headline_kpis, kpi_tile, per_view
from dashboard.filters import Filters
from dashboard.i18n import change_between, format_value, t
from dashboard.metadata import Catalog, Indicator
from dashboard.queries import Kpi
from dashboard.store import Store

CARD_WIDTH = 280  # wide enough for "2 millions" or "1,37 Md €" at metric size, without truncation


@dataclass(frozen=True)
class KpiCard:
    """What one card shows, as Markdown and numbers ready to draw (escaped where they come from data)."""

    indicator_id: str
    title: str  # "**Employees** · 2024"
    label: str  # the metric's own label (hidden: the title says it), read by screen readers
    value: str
    help: str
    delta: str | None = None
    delta_description: str | None = None
    delta_arrow: str = "off"
    sparkline: tuple[float, ...] | None = None
    notes: str = ""  # one caption of several lines: the change, the scope, the source
    warning: str = ""  # sources disagree: shown without a click
    sources: tuple[str, ...] = ()  # the popover: every candidate figure with its source, the chosen one marked
    found: bool = True  # False: no figure, `notes` says why


@per_view
def headline_cards(store: Store, catalog: Catalog, filters: Filters, lang: str) -> tuple[KpiCard, ...]:
    """The Overview's cards for a view: computed once per view and language, as the slides are (a rerun of a view
    already seen only draws them)."""
    return tuple(
        card_of(kpi, catalog.indicators[indicator_id], catalog, lang, filters.splits)
        for indicator_id, kpi in headline_kpis(store, filters).items()
    )


def card_of(kpi: Kpi, indicator: Indicator, catalog: Catalog, lang: str, splits: tuple[str, ...]) -> KpiCard:
    tile = kpi_tile(kpi, indicator, catalog, lang, splits)  # the same texts as the KPI slide and the deck
    if kpi.status != "ok":
        return KpiCard(indicator.id, title=f"**{escape(tile.label)}**", label=escape(tile.label), value=tile.value,
                       help=indicator.descriptions[lang], notes=escape(tile.detail), found=False)  # fmt: skip
    headline, previous = kpi.headline, kpi.previous
    delta, description, arrow = None, None, "off"
    if previous:
        delta, description = change_between(headline, previous, indicator, lang)
        if delta is not None:
            moved = headline["value"] != previous["value"]
            # Streamlit reads the direction from a leading ASCII minus.
            delta, arrow = delta.replace("−", "-", 1), "auto" if moved else "off"
    # One caption of several lines, not one element per line: a filter change redraws every card.
    notes = []
    if not previous:
        notes.append(t("kpi_no_previous", lang))
    elif delta is None:
        notes.append(description)
    if headline["scope_level"] != "group":
        notes.append(escape(t("kpi_scope", lang, scope=headline["entity_name"])))
    notes.append(
        t("kpi_source", lang, source=source_link(headline["source_title"], headline["source_url"]))
        + f" · {t('col_confidence', lang)} {escape(headline['confidence'])}"
    )
    if not tile.warning and len(kpi.alternatives):
        notes.append(t("kpi_corroborated", lang, count=len(kpi.alternatives)))
    sources = tuple(
        f"- {escape(format_value(row['value'], indicator, lang, row['qualifier']))}"
        f" · {source_link(row['source_title'], row['source_url'])}"
        f" · {t('col_confidence', lang)} {escape(row['confidence'])}"
        + (f" **({t('chosen', lang)})**" if row["observation_id"] == headline["observation_id"] else "")
        for row in kpi.candidates.to_dict("records")
    )
    return KpiCard(
        indicator.id,
        title=f"**{escape(tile.label)}** · {escape(tile.period)}",
        label=escape(f"{tile.label} · {tile.period}"),
        value=tile.value,
        help=f"{indicator.descriptions[lang]}\n\n{t('sparkline_note', lang)}",
        delta=delta,
        delta_description=description if delta is not None else None,
        delta_arrow=arrow,
        sparkline=tuple(kpi.series["value"]) if len(kpi.series) > 1 else None,
        notes=LINE_BREAK.join(notes),
        warning=warning(tile.warning) if tile.warning else "",
        sources=sources,
    )


def kpi_card(card: KpiCard, lang: str) -> None:
    with st.container(border=True, width=CARD_WIDTH):
        st.markdown(card.title)
        if not card.found:
            st.metric(card.label, card.value, help=card.help, label_visibility="collapsed")
            st.caption(card.notes)
            return
        st.metric(
            card.label,
            card.value,
            delta=card.delta,
            delta_description=card.delta_description,
            delta_arrow=card.delta_arrow,
            delta_color="normal" if card.delta_arrow == "auto" else "off",
            chart_data=list(card.sparkline) if card.sparkline else None,
            help=card.help,
            label_visibility="collapsed",
        )
        st.caption(card.notes)
        if card.warning:
            st.markdown(card.warning)
        # Its contents are drawn once it is opened (a rerun), not at every filter change with the card.
        with st.popover(t("kpi_sources_button", lang), icon=":material/menu_book:",
                        key=f"kpi-sources-{card.indicator_id}", on_change="rerun") as sources:  # fmt: skip
            if sources.open:
                st.markdown("\n".join(card.sources))
                st.caption(t("kpi_rule", lang))
