"""Pieces every page repeats: what the filters cover, a figures table with its sources, a CSV download."""

from __future__ import annotations

from datetime import date
from functools import partial

import pandas as pd
import streamlit as st

from components.markdown import escape
from components.storyboard import dataset_line, dimensions_text, view_summary
from components.tables import figures_display
from components.view import View
from dashboard.export import JOINED_COLUMN_DESCRIPTIONS, csv_bytes, facts_export, xlsx_bytes
from dashboard.i18n import t
from dashboard.schema import fields


def page_header(view: View, title_key: str, intro_key: str) -> None:
    """Title, one line on what the page is for, and which filters apply."""
    st.title(t(title_key, view.lang))
    st.caption(t(intro_key, view.lang))
    scope_statement(view)


def scope_statement(view: View) -> None:
    """Say which filters apply to what the page shows, and that group-wide totals do not follow them."""
    st.caption(escape(view_summary(view.catalog, view.filters, view.lang)))
    if view.filters.splits:
        st.caption(t("scope_group_wide_hidden", view.lang, dimensions=dimensions_text(view.filters.splits, view.lang)))


def link_column(lang: str) -> dict:
    return {t("col_link", lang): st.column_config.LinkColumn(display_text="↗", width="small")}


def figures_table(figures: pd.DataFrame, view: View, *, key: str) -> None:
    """The figures as a table (the data behind any chart), with a CSV download of exactly those rows."""
    st.dataframe(
        figures_display(figures, view.catalog, view.lang),
        hide_index=True,
        column_config=link_column(view.lang),
        width="stretch",
    )
    download_figures(figures, view, key=key, label=t("download_csv", view.lang))


def download_figures(figures: pd.DataFrame, view: View, *, key: str, label: str) -> None:
    """CSV and Excel of exactly these figures, each row with its source; the workbook describes the view."""
    rows = facts_export(figures)
    download_pair(rows, view, key=f"figures-{key}", label=label, columns=column_meanings(view, "observations", rows))


def column_meanings(view: View, table: str, rows: pd.DataFrame) -> dict[str, str]:
    """What each exported column holds: from datapackage.json, or the joined columns' own descriptions."""
    schema = {f["name"]: f["description"] for f in fields(table)}
    return {column: schema.get(column) or JOINED_COLUMN_DESCRIPTIONS.get(column, "") for column in rows.columns}


def download_pair(rows: pd.DataFrame, view: View, *, key: str, label: str, columns: dict[str, str]) -> None:
    sources = (
        rows[["source_id", "source_title", "source_url"]].drop_duplicates("source_id").sort_values("source_id")
        if "source_id" in rows
        else pd.DataFrame()
    )
    about = [
        ("dataset", dataset_line(view.store, view.catalog, view.lang)),
        ("filters", view_summary(view.catalog, view.filters, view.lang)),
        ("exported", date.today().isoformat()),
        ("rows", str(len(rows))),
    ]  # fmt: skip
    with st.container(horizontal=True):
        # Files are built when the button is clicked (a callable), not on every rerun of the page.
        st.download_button(label, data=partial(csv_bytes, rows), file_name=f"groupe-sos-{key}.csv", mime="text/csv",
                           key=f"csv-{key}", icon=":material/download:", on_click="ignore")  # fmt: skip
        st.download_button(
            t("download_xlsx", view.lang),
            data=partial(xlsx_bytes, rows, columns=columns, about=about, sources=sources),
            file_name=f"groupe-sos-{key}.xlsx",
            mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            key=f"xlsx-{key}",
            icon=":material/table_view:",
            on_click="ignore",
        )
