"""Files people download: figures with their sources, safe to open in a spreadsheet."""

from __future__ import annotations

import pandas as pd

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")

FACT_EXPORT_COLUMNS = [
    "observation_id", "indicator_id", "kind", "qualifier", "value", "unit", "period", "period_start", "period_end",
    "year", "scope_level", "entity_id", "entity_name", "sector_id", "country_iso3", "source_id", "source_title",
    "source_url", "source_published", "confidence", "sources_disagree", "note",
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
