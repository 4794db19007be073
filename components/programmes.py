"""Programme outcomes: disagreements between sources, and progress against stated targets."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from components.markdown import escape, source_link
from components.view import View
from dashboard.i18n import format_share, format_value, period_of, t


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


def target_progress(rows: pd.DataFrame, view: View) -> None:
    """For each stated target, the latest comparable actual figure, the share reached, and the status in words."""
    lang, catalog = view.lang, view.catalog
    for target in rows[rows["kind"] == "target"].to_dict("records"):
        indicator = catalog.indicators[target["indicator_id"]]
        target_text = format_value(target["value"], indicator, lang)
        target_period = str(target["period_end"].year) if target["period_end"] is not None else "–"
        actuals = rows[
            (rows["indicator_id"] == target["indicator_id"])
            & (rows["kind"] == "actual")
            & (rows["rank_in_period"] == 0)
            & rows["period_end"].notna()
        ].sort_values("period_end")
        if actuals.empty:
            st.info(
                t("target_no_actual", lang, target=target_text, target_period=target_period), icon=":material/flag:"
            )
            continue
        actual = actuals.iloc[-1].to_dict()
        share = actual["value"] / target["value"]
        share_text = format_share(share, lang, at_least=actual["qualifier"] == "more than")
        with st.container(border=True):
            st.markdown(
                ":material/flag: "
                + escape(
                    t(
                        "target_progress",
                        lang,
                        target=target_text,
                        target_period=target_period,
                        actual=format_value(actual["value"], indicator, lang, actual["qualifier"]),
                        actual_period=period_of(actual, lang),
                        share=share_text,
                    )
                )
            )
            st.progress(min(share, 1.0))
            status = [t("target_status_reached" if share >= 1 else "target_status_not_reached", lang)]
            if actual["period_end"] < target["period_end"]:
                status.append(t("target_no_figure_at_date", lang))
            st.caption(
                " ".join(status)
                + " "
                + t("kpi_source", lang, source=source_link(target["source_title"], target["source_url"]))
            )
