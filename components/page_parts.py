"""Pieces every page repeats: what the filters cover, a figures table with its sources, a CSV download."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from components.kpi import dimensions_text
from components.markdown import escape, source_link
from components.tables import country_name, figures_display, sector_name
from components.view import View
from dashboard.export import csv_bytes, facts_export
from dashboard.i18n import join_words, t


def page_header(view: View, title_key: str, intro_key: str) -> None:
    """Title, one line on what the page is for, and which filters apply."""
    st.title(t(title_key, view.lang))
    st.caption(t(intro_key, view.lang))
    scope_statement(view)


def scope_statement(view: View) -> None:
    """Say which filters apply to what the page shows, and that group-wide totals do not follow them."""
    filters, lang, catalog = view.filters, view.lang, view.catalog
    if filters.is_everything:
        st.caption(t("scope_everything", lang))
        return
    parts = [country_name(catalog, c, lang) for c in filters.countries]
    parts += [sector_name(catalog, s, lang) for s in filters.sectors]
    parts += [catalog.entities[e].name for e in filters.entities]
    if filters.years:
        parts.append(f"{filters.years[0]}–{filters.years[1]}")
    st.caption(escape(t("scope_filtered", lang, what=join_words(parts, lang))))
    if filters.splits:
        st.caption(t("scope_group_wide_hidden", lang, dimensions=dimensions_text(filters.splits, lang)))


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
    st.download_button(
        label,
        data=csv_bytes(facts_export(figures)),
        file_name=f"groupe-sos-figures-{key}.csv",
        mime="text/csv",
        key=f"download-{key}",
        icon=":material/download:",
    )


def sources_line(figures: pd.DataFrame, lang: str) -> None:
    sources = figures.drop_duplicates("source_id").sort_values("source_title")
    links = [source_link(r["source_title"], r["source_url"]) for r in sources.to_dict("records")]
    if links:
        st.caption(t("sources_line", lang, sources=" · ".join(links)))
