"""Sources: every source behind the view, the figures each supports, and all figures as CSV."""

from functools import partial

import streamlit as st

from components.page_parts import (
    download_cap_note,
    download_figures,
    link_column,
    page_header,
    slot,
    view_figures_table,
)
from components.view import current_view, end_page
from dashboard.i18n import format_number, t
from dashboard.queries import count_figures, figures_for_download, sources_for

view = current_view()
lang, filters, catalog, store = view.lang, view.filters, view.catalog, view.store

page_header(view, "sources_title", "sources_intro")

total = count_figures(store, filters)
sources = sources_for(store, filters)
st.markdown(f"**{t('sources_count', lang, sources=len(sources), figures=format_number(total, lang))}**")
if filters.is_everything:
    label = t("download_all_csv", lang)
else:
    label = t("download_view_csv", lang, count=format_number(total, lang))
# One key whatever the view: a button whose key changes is a new button, which the browser builds anew.
download_figures(partial(figures_for_download, store, filters), view, key="view", label=label)
with slot():
    download_cap_note(total, lang)

st.dataframe(
    sources.assign(
        own_source=sources["own_source"].map({True: t("yes", lang), False: ""}),
        published=sources["published"].fillna(""),
    )[["source_id", "title", "published", "own_source", "figures", "url"]].rename(
        columns={
            "source_id": t("col_id", lang),
            "title": t("col_title", lang),
            "published": t("col_published", lang),
            "own_source": t("own_source", lang),
            "figures": t("col_figures", lang),
            "url": t("col_link", lang),
        }
    ),
    hide_index=True,
    column_config=link_column(lang),
    width="stretch",
)

if sources.empty:
    end_page()
chosen = st.selectbox(
    t("sources_pick", lang),
    list(sources["source_id"]),
    format_func=lambda source_id: catalog.sources[source_id].title,
    key="source",  # the same picker whatever the view's sources: it keeps the reader's choice when still listed
)
supported = int(sources.set_index("source_id").at[chosen, "figures"])
with slot():
    if not supported:
        st.info(t("no_source_figures", lang))
    else:
        view_figures_table(view, key=f"source-{chosen}", total=supported, source=chosen)
