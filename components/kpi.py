"""KPI cards: the latest figure, its year, the change since the previous one, a sparkline, its source, and any
disagreement between sources, visible without a click."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from components.markdown import LINE_BREAK, escape, source_link, warning
from components.storyboard import kpi_tile
from dashboard.i18n import change_between, format_value, t
from dashboard.metadata import Catalog, Indicator
from dashboard.queries import Kpi

CARD_WIDTH = 280  # wide enough for "2 millions" or "1,37 Md €" at metric size, without truncation


def kpi_card(kpi: Kpi, indicator: Indicator, catalog: Catalog, lang: str, splits: tuple[str, ...]) -> None:
    tile = kpi_tile(kpi, indicator, catalog, lang, splits)  # the same texts as the KPI slide and the deck
    with st.container(border=True, width=CARD_WIDTH):
        if kpi.status != "ok":
            st.markdown(f"**{escape(tile.label)}**")
            st.metric(escape(tile.label), tile.value, help=indicator.descriptions[lang], label_visibility="collapsed")
            st.caption(escape(tile.detail))
            return
        headline, previous = kpi.headline, kpi.previous
        st.markdown(f"**{escape(tile.label)}** · {escape(tile.period)}")
        delta, description, arrow = None, None, "off"
        if previous:
            delta, description = change_between(headline, previous, indicator, lang)
            if delta is not None:
                moved = headline["value"] != previous["value"]
                # Streamlit reads the direction from a leading ASCII minus.
                delta, arrow = delta.replace("−", "-", 1), "auto" if moved else "off"
        st.metric(
            escape(f"{tile.label} · {tile.period}"),
            tile.value,
            delta=delta,
            delta_description=description if delta is not None else None,
            delta_arrow=arrow,
            delta_color="normal" if arrow == "auto" else "off",
            chart_data=list(kpi.series["value"]) if len(kpi.series) > 1 else None,
            help=f"{indicator.descriptions[lang]}\n\n{t('sparkline_note', lang)}",
            label_visibility="collapsed",
        )
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
        st.caption(LINE_BREAK.join(notes))
        if tile.warning:
            st.markdown(warning(tile.warning))
        candidates = pd.concat([pd.DataFrame([headline]), kpi.alternatives], ignore_index=True)
        with st.popover(t("kpi_sources_button", lang), icon=":material/menu_book:"):
            for row in candidates.to_dict("records"):
                shown = f" **({t('chosen', lang)})**" if row["observation_id"] == headline["observation_id"] else ""
                st.markdown(
                    f"- {escape(format_value(row['value'], indicator, lang, row['qualifier']))}"
                    f" · {source_link(row['source_title'], row['source_url'])}"
                    f" · {t('col_confidence', lang)} {escape(row['confidence'])}{shown}"
                )
            st.caption(t("kpi_rule", lang))
