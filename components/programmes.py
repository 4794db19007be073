"""Programme outcomes: where sources disagree, every value with its source."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from components.markdown import escape, source_link
from components.view import View
from dashboard.i18n import format_value, period_of, t


def conflict_notes(rows: pd.DataFrame, view: View) -> None:
    """One callout per period where sources give different values: every value, with its source."""
    lang, catalog = view.lang, view.catalog
    disputed = rows[rows["sources_disagree"]]
    for (indicator_id, _period), group in disputed.groupby(["indicator_id", disputed["period"].fillna("")]):
        indicator = catalog.indicators[indicator_id]
        lines = [
            f"- **{escape(format_value(r['value'], indicator, lang, r['qualifier']))}**: "
            f"{source_link(r['source_title'], r['source_url'])} ({t('col_confidence', lang)} {escape(r['confidence'])})"
            for r in group.sort_values("value").to_dict("records")
        ]
        title = t(
            "conflict_title", lang, indicator=indicator.label(lang), period=period_of(group.iloc[0].to_dict(), lang)
        )
        st.warning(f"**{escape(title)}**\n\n" + "\n".join(lines), icon=":material/compare_arrows:")
