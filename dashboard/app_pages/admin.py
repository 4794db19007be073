"""Data stewards: log in, get the template, upload a workbook, see every problem or the change it makes, import it,
and undo any import from the history."""

import streamlit as st

from components.login import require_login
from components.stewardship import (
    change_preview,
    import_button,
    problems_table,
    rollback_control,
    show_flash,
    template_downloads,
    versions_table,
)
from components.view import current_view, end_page
from dashboard.i18n import t
from dashboard.store import current_history

lang = current_view().lang
st.title(t("admin_title", lang))

steward = require_login(lang)
if steward is None:
    end_page()

history = current_history()
versions = history.versions()
st.caption(t("admin_store", lang, store=str(history), version=versions[0].number))
show_flash()

st.subheader(t("admin_step_template", lang))
template_downloads(history, lang)

st.subheader(t("admin_step_upload", lang))
modes = {"update": t("admin_mode_update", lang), "replace": t("admin_mode_replace", lang)}
mode = st.radio(t("admin_mode", lang), list(modes), format_func=modes.get, horizontal=True, key="admin_mode")
uploaded = st.file_uploader(
    t("admin_upload", lang), type=["xlsx", "csv"], key=f"admin_upload_{st.session_state.get('admin_upload_round', 0)}"
)
if uploaded is not None:
    upload, change, problems = history.preview(uploaded.getvalue(), uploaded.name, mode)
    if problems:
        problems_table(problems, lang)
    elif change.empty:
        st.info(t("admin_no_change", lang))
    else:
        change_preview(change, lang)
        import_button(history, upload, mode, steward, versions[0].number + 1, lang)

st.subheader(t("admin_step_history", lang))
versions_table(versions, lang)
rollback_control(history, versions, steward, lang)
