"""The data stewards' building blocks: an upload's problems, the change it would make, the versions, a rollback."""

from __future__ import annotations

import io
from collections.abc import Callable

import pandas as pd
import streamlit as st

from components.markdown import escape
from dashboard.history import Change, History, HistoryError, ImportRefused, Version, counts_text
from dashboard.i18n import format_date, format_number, t
from dashboard.schema import primary_key
from dashboard.workbook import cell_value, write_template

MAX_ROWS_SHOWN = 200  # rows of a preview drawn per table; the counts are always complete


def template_downloads(history: History, lang: str) -> None:
    """The empty template (one example row per sheet) and the current data in the same shape, for corrections."""
    version, current = history.tables()

    def workbook(rows: bool) -> bytes:
        buffer = io.BytesIO()
        write_template(buffer, current=current, rows=current if rows else None)
        return buffer.getvalue()

    with st.container(horizontal=True):
        st.download_button(
            t("admin_template", lang), lambda: workbook(False), file_name="groupe-sos-template.xlsx",
            icon=":material/table_view:", help=t("admin_template_help", lang), on_click="ignore",
        )  # fmt: skip
        st.download_button(
            t("admin_current_data", lang, version=version), lambda: workbook(True),
            file_name=f"groupe-sos-version-{version}.xlsx", icon=":material/download:",
            help=t("admin_current_data_help", lang), on_click="ignore",
        )  # fmt: skip


def problems_table(problems: list, lang: str) -> None:
    """Every problem of an upload, one row each: where it is, what was found, and what was expected."""
    st.error(t("admin_problems", lang, count=format_number(len(problems), lang)), icon=":material/error:")
    frame = pd.DataFrame(
        {
            t("admin_col_sheet", lang): [escape(p.sheet) for p in problems],
            t("admin_col_row", lang): pd.array([p.row for p in problems], dtype="Int64"),
            t("admin_col_column", lang): [escape(p.column or "") for p in problems],
            t("admin_col_found", lang): [escape(p.value or "") for p in problems],
            t("admin_col_problem", lang): [escape(p.what(lang)) for p in problems],
        }
    )
    # A static table, so that long explanations wrap; it renders Markdown, hence the file's text escaped.
    st.table(frame, hide_index=True)


def _cell(value) -> str:
    """A stored value as the steward typed it: 4100 rather than 4100.0, an empty cell rather than None."""
    return "∅" if value is None else str(cell_value(value))


def _changed_columns(before: dict, after: dict) -> str:
    return "; ".join(
        f"{column}: {_cell(before[column])} → {_cell(after[column])}"
        for column in after
        if before[column] != after[column]
    )


def change_preview(change: Change, lang: str) -> None:
    """What a new version would add, change and remove, counted, then row by row for each table it touches."""
    st.markdown(
        t("admin_change_counts", lang, added=format_number(change.added, lang),
          changed=format_number(change.changed, lang), removed=format_number(change.removed, lang))
    )  # fmt: skip
    for table in change.tables:
        if table.empty:
            continue
        key = primary_key(table.table)
        shown = MAX_ROWS_SHOWN  # the first rows of each kind: a replaced table can change millions
        rows = (
            [(t("admin_added", lang), k, "") for k in table.added[key].slice(0, shown).to_pylist()]
            + [(t("admin_changed", lang), after[key], _changed_columns(before, after))
               for before, after in table.changed(shown)]
            + [(t("admin_removed", lang), k, "") for k in table.removed[key].slice(0, shown).to_pylist()]
        )  # fmt: skip
        added, changed, removed = table.counts
        title = t("admin_table_change", lang, table=table.table, added=added, changed=changed, removed=removed)
        with st.expander(title, expanded=True):
            frame = pd.DataFrame(
                rows[:MAX_ROWS_SHOWN], columns=[t("admin_col_change", lang), key, t("admin_col_what", lang)]
            )
            st.dataframe(frame, hide_index=True, width="stretch")
            if sum(table.counts) > MAX_ROWS_SHOWN:
                more = sum(table.counts) - MAX_ROWS_SHOWN
                st.caption(t("admin_more_rows", lang, count=format_number(more, lang)))


def _action(version: Version, lang: str) -> str:
    if version.action == "rollback":
        return t("admin_action_rollback", lang, version=version.restores)
    return t("admin_action_seed", lang) if version.action == "seed" else t("admin_action_import", lang)


def versions_table(versions: list[Version], lang: str) -> None:
    """The history, newest first, the current version marked."""
    current = versions[0].number if versions else None
    frame = pd.DataFrame(
        {
            t("admin_col_version", lang): [
                f"{v.number} · {t('admin_current', lang)}" if v.number == current else str(v.number) for v in versions
            ],
            t("admin_col_time", lang): [
                f"{format_date(v.created_at.date(), lang)} {v.created_at:%H:%M} UTC" for v in versions
            ],
            t("admin_col_who", lang): [v.author for v in versions],
            t("admin_col_action", lang): [_action(v, lang) for v in versions],
            t("admin_col_file", lang): [v.file_name for v in versions],
            t("admin_col_checksum", lang): [v.checksum[:12] for v in versions],
            t("admin_col_rows", lang): [counts_text(v.added, v.changed, v.removed) for v in versions],
        }
    )
    st.dataframe(frame, hide_index=True, width="stretch")


def import_button(history: History, upload, mode: str, steward: str, next_version: int, lang: str) -> None:
    """Import the checked upload as the next version; the upload is checked again against the version current
    at the moment of writing, so a concurrent import cannot be overwritten."""

    def run() -> None:
        try:
            version = history.import_upload(upload, author=steward, mode=mode)
        except ImportRefused as refused:
            _flash("error", t("admin_import_refused", lang, count=len(refused.problems)))
        except HistoryError as error:
            _flash("error", str(error))
        else:
            _flash("success", t("admin_imported", lang, version=version.number, added=version.added,
                                changed=version.changed, removed=version.removed))  # fmt: skip
            st.session_state["admin_upload_round"] = st.session_state.get("admin_upload_round", 0) + 1

    st.button(t("admin_import", lang, version=next_version), type="primary", icon=":material/upload:", on_click=run)


def rollback_control(history: History, versions: list[Version], steward: str, lang: str) -> None:
    """Choose an earlier version and make it current again (as a new version: nothing is lost)."""
    earlier = [v.number for v in versions[1:]]
    if not earlier:
        st.caption(t("admin_rollback_none", lang))
        return
    with st.form("rollback", border=False, enter_to_submit=False, clear_on_submit=True):
        chosen = st.selectbox(t("admin_rollback_pick", lang), earlier, key="admin_rollback_version")
        confirmed = st.checkbox(t("admin_rollback_confirm", lang), key="admin_rollback_confirmed")
        submitted = st.form_submit_button(t("admin_rollback", lang), icon=":material/history:")
    if submitted:
        if not confirmed:
            st.warning(t("admin_rollback_unconfirmed", lang))
            return
        try:
            version = history.rollback(chosen, author=steward)
        except HistoryError as error:
            st.error(str(error))
            return
        _flash("success", t("admin_rolled_back", lang, restored=chosen, version=version.number))
        st.rerun()


def _flash(kind: str, message: str) -> None:
    st.session_state["admin_flash"] = (kind, message)


def show_flash() -> None:
    """The outcome of the last import or rollback, shown once after the rerun it caused."""
    flash: tuple[str, str] | None = st.session_state.pop("admin_flash", None)
    if flash:
        show: Callable = st.success if flash[0] == "success" else st.error
        show(flash[1])
