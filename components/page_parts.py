"""Pieces every page repeats: what the filters cover, a figures table with its sources, a CSV download."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict
from datetime import date
from functools import lru_cache, partial

import pandas as pd
import pyarrow as pa
import streamlit as st

from components.markdown import LINE_BREAK, escape
from components.storyboard import dataset_line, dimensions_text, view_summary
from components.tables import shown_table
from components.view import View
from dashboard.export import JOINED_COLUMN_DESCRIPTIONS, csv_bytes, facts_export, xlsx_bytes
from dashboard.filters import Filters
from dashboard.i18n import format_number, t
from dashboard.metadata import Catalog
from dashboard.queries import (
    MOST_DOWNLOAD_ROWS,
    MOST_ROWS,
    Narrowing,
    count_figures,
    figures,
    figures_for_download,
    narrowing_of,
)
from dashboard.schema import fields
from dashboard.store import Store

Fetch = Callable[[], pd.DataFrame]


def slot():
    """A place on the page for a part whose number of elements depends on the view; the elements after it keep their
    places when that number changes.

    The browser matches each element of a rerun to the one that was in the same place before: where they are of the
    same kind it updates it, otherwise it rebuilds it. An element that came and went above the tables and charts of a
    page made the browser rebuild every one of them at each filter change (session 10: the Sectors page's filter change
    took 637 ms with a caption that appeared for the filtered view, 456 ms once it was part of the caption above).
    An empty slot draws nothing.
    """
    return st.container()


def page_header(view: View, title_key: str, intro_key: str) -> None:
    """Title, then one caption whatever the filters (see slot): a line on what the page is for, which filters apply
    to what it shows, and that group-wide totals do not follow them. One element, not two: every element is drawn
    again at each filter change (docs/performance.md, session 13)."""
    st.title(t(title_key, view.lang))
    lines = [t(intro_key, view.lang), escape(view_summary(view.catalog, view.filters, view.lang))]
    if view.filters.splits:
        lines.append(
            t("scope_group_wide_hidden", view.lang, dimensions=dimensions_text(view.filters.splits, view.lang))
        )
    st.caption(LINE_BREAK.join(lines))


def link_column(lang: str) -> dict:
    return {t("col_link", lang): st.column_config.LinkColumn(display_text="↗", width="small")}


def figures_table(shown: pa.Table, view: View, *, key: str, total: int, fetch: Fetch) -> None:
    """Figures as a table (the data behind any chart), as `shown_table` lists them, with CSV and Excel downloads of
    all `total` of them, got by `fetch` when a button is clicked."""
    st.dataframe(shown, hide_index=True, column_config=link_column(view.lang), width="stretch")
    with slot():
        if total > shown.num_rows:
            listed, total_text = format_number(shown.num_rows, view.lang), format_number(total, view.lang)
            st.caption(t("table_capped", view.lang, shown=listed, total=total_text))
        download_cap_note(total, view.lang)
    download_figures(fetch, view, key=key, label=t("download_csv", view.lang))


def download_cap_note(total: int, lang: str) -> None:
    """Say so when a download cannot hold every row of the view."""
    if total > MOST_DOWNLOAD_ROWS:
        st.caption(t("download_capped", lang, count=format_number(MOST_DOWNLOAD_ROWS, lang)))


def view_figures_table(
    view: View,
    *,
    key: str,
    filters: Filters | None = None,
    total: int | None = None,
    most: int = MOST_ROWS,
    **narrowing,
) -> None:
    """The figures of a view (the reader's filters unless others are given, narrowed like queries.figures), listed
    and downloadable without ever holding more than a table's rows between clicks. `total` is how many there are,
    when the page knows it already (otherwise they are counted)."""
    filters = view.filters if filters is None else filters
    figures_table(
        _view_table(view.store, view.catalog, filters, view.lang, most, narrowing_of(**narrowing)),
        view,
        key=key,
        total=count_figures(view.store, filters, **narrowing) if total is None else total,
        fetch=partial(figures_for_download, view.store, filters, **narrowing),
    )


@lru_cache(maxsize=512)
def _view_table(
    store: Store, catalog: Catalog, filters: Filters, lang: str, most: int, narrowing: Narrowing
) -> pa.Table:
    """A view's table as shown, once per view and language (see shown_table)."""
    return shown_table(figures(store, filters, limit=most, **asdict(narrowing)), catalog, lang, most)


def download_figures(figures: pd.DataFrame | Fetch, view: View, *, key: str, label: str) -> None:
    """CSV and Excel of exactly these figures, each row with its source; the workbook describes the view."""
    fetch = _fetcher(figures)
    download_pair(lambda: facts_export(fetch()), view, key=f"figures-{key}", label=label, table="observations")


def _fetcher(rows: pd.DataFrame | Fetch) -> Fetch:
    """Rows, or what gets them when a download is clicked, as the latter."""
    return rows if callable(rows) else (lambda: rows)


def column_meanings(table: str, rows: pd.DataFrame) -> dict[str, str]:
    """What each exported column holds: from datapackage.json, or the joined columns' own descriptions."""
    schema = {f["name"]: f["description"] for f in fields(table)}
    return {column: schema.get(column) or JOINED_COLUMN_DESCRIPTIONS.get(column, "") for column in rows.columns}


def download_pair(rows: pd.DataFrame | Fetch, view: View, *, key: str, label: str, table: str) -> None:
    """A CSV and an Excel download of some rows of `table` (a frame, or what gets it), built when clicked."""
    fetch = _fetcher(rows)
    with st.container(horizontal=True):
        # Files are built when the button is clicked (a callable), not on every rerun of the page.
        st.download_button(label, data=lambda: csv_bytes(fetch()), file_name=f"groupe-sos-{key}.csv", mime="text/csv",
                           key=f"csv-{key}", icon=":material/download:", on_click="ignore")  # fmt: skip
        st.download_button(
            t("download_xlsx", view.lang),
            data=partial(_workbook, fetch, view, table),
            file_name=f"groupe-sos-{key}.xlsx",
            mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            key=f"xlsx-{key}",
            icon=":material/table_view:",
            on_click="ignore",
        )


def _workbook(fetch: Fetch, view: View, table: str) -> bytes:
    """The Excel download: the rows, what each column means, what the view is, and the sources it quotes."""
    rows = fetch()
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
    return xlsx_bytes(rows, columns=column_meanings(table, rows), about=about, sources=sources)
