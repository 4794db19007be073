"""Files people download: figures with their sources, safe to open in a spreadsheet."""

from __future__ import annotations

import pandas as pd

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")

FACT_EXPORT_COLUMNS = [
    "observation_id", "indicator_id", "kind", "qualifier", "value", "unit", "period", "period_start", "period_end",
    "year", "scope_level", "entity_id", "entity_name", "sector_id", "country_iso3", "source_id", "source_title",
    "source_url", "source_published", "confidence", "sources_disagree", "note", "note_fr", "suppressed",
]  # fmt: skip


def neutralise_formulas(frame: pd.DataFrame) -> pd.DataFrame:
    """Text cells that a spreadsheet would run as a formula get a leading apostrophe."""
    safe = frame.copy()
    for column in safe.columns:
        if safe[column].dtype == object or pd.api.types.is_string_dtype(safe[column]):
            cells = [("'" + v if isinstance(v, str) and v.startswith(FORMULA_TRIGGERS) else v) for v in safe[column]]
            safe[column] = pd.Series(cells, index=safe.index, dtype=object)
    return safe


def csv_bytes(frame: pd.DataFrame, *, byte_order_mark: bool = True) -> bytes:
    """UTF-8 CSV; with a byte-order mark by default, so that Excel opens accents correctly."""
    text = neutralise_formulas(frame).to_csv(index=False)
    return text.encode("utf-8-sig" if byte_order_mark else "utf-8")


def _plain_number(value):
    return int(value) if isinstance(value, float) and value.is_integer() else value


def facts_export(figures: pd.DataFrame) -> pd.DataFrame:
    """The machine-readable form of figures: ids and values as published, each row with its source."""
    frame = figures[FACT_EXPORT_COLUMNS].sort_values("observation_id", kind="stable").reset_index(drop=True)
    return frame.assign(
        value=pd.Series([_plain_number(v) for v in frame["value"]], dtype=object),
        year=frame["year"].astype("Int64"),
    )


# What each exported column holds: the datapackage describes the observation columns; these are the joined ones.
JOINED_COLUMN_DESCRIPTIONS = {
    "entity_name": "Name of the group, sector body, programme or entity the figure describes.",
    "source_title": "Title of the source the figure was read in.",
    "source_url": "Address of the source.",
    "source_published": "Publication date of the source, as known.",
    "sources_disagree": "True when another source gives a different value or qualifier for the same period.",
    "entity_id": "Id of the scope (see entities.csv).",
    "suppressed": "True when the value and its note are hidden from the partner audience: a count of fewer people "
    "than the threshold, or a figure hidden with it so that it cannot be worked out from a total.",
}


def xlsx_bytes(frame: pd.DataFrame, *, columns: dict[str, str], about: list[tuple[str, str]],
               sources: pd.DataFrame) -> bytes:  # fmt: skip
    """An Excel workbook: the rows, then a sheet describing the view, every column and every source."""
    import io

    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        neutralise_formulas(frame).to_excel(writer, sheet_name="data", index=False)
        description = [("view", ""), *about, ("", ""), ("column", "meaning"), *columns.items()]
        pd.DataFrame(description, columns=["item", "value"]).pipe(neutralise_formulas).to_excel(
            writer, sheet_name="about", index=False
        )
        neutralise_formulas(sources).to_excel(writer, sheet_name="sources", index=False)
        for sheet in writer.sheets.values():
            sheet.freeze_panes = "A2"
            for column in sheet.columns:
                width = max(len(str(cell.value or "")) for cell in column[:200])
                sheet.column_dimensions[column[0].column_letter].width = min(max(width + 2, 8), 60)
    return buffer.getvalue()
