"""Charts of every indicator that a scope published for two periods or more."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from components.charts import series_figure
from components.view import View
from dashboard.i18n import t


def repeated_series(figures: pd.DataFrame) -> list[tuple[str, str]]:
    """(indicator, entity) pairs with figures for at least two dated periods, in a stable order."""
    dated = figures[figures["period_end"].notna() & (figures["kind"] == "actual")]
    periods = dated.groupby(["indicator_id", "entity_id"])["period"].nunique()
    return sorted(periods[periods >= 2].index)


def series_charts(figures: pd.DataFrame, view: View, *, colour: str, key: str) -> None:
    pairs = repeated_series(figures)
    columns = st.columns(2) if len(pairs) > 1 else [st.container()]
    for index, (indicator_id, entity_id) in enumerate(pairs):
        indicator = view.catalog.indicators[indicator_id]
        rows = figures[(figures["indicator_id"] == indicator_id) & (figures["entity_id"] == entity_id)]
        title = t(
            "over_time", view.lang, indicator=indicator.label(view.lang), scope=view.catalog.entities[entity_id].name
        )
        with columns[index % len(columns)]:
            st.plotly_chart(
                series_figure(rows, indicator, view.lang, title, colour), key=f"series-{key}-{indicator_id}-{entity_id}"
            )
