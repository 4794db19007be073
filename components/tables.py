"""Tables a reader can scan: figures and places with their sources, in the reader's language."""

from __future__ import annotations

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from dashboard.i18n import format_value, period_of, t
from dashboard.metadata import Catalog
from dashboard.queries import MOST_ROWS


def text_or_blank(value) -> str:
    """Missing text from the data layer arrives as None or NaN; a reader sees an empty cell."""
    return value if isinstance(value, str) else ""


def presence_kind(row: dict, lang: str) -> str:
    """The kind of presence of a place, in French from the editorial translation."""
    return row["kind_fr"] if lang == "fr" and isinstance(row.get("kind_fr"), str) else row["kind"]


def note_in(row: dict, lang: str) -> str:
    """A figure's note in the reader's language; the build gives every note a French version."""
    french = text_or_blank(row.get("note_fr"))
    # The English stands in only for data built before notes were translated (the build now forbids that case).
    return french if lang == "fr" and french else text_or_blank(row["note"])


def sector_name(catalog: Catalog, sector_id, lang: str) -> str:
    return catalog.sectors[sector_id].label(lang) if isinstance(sector_id, str) and sector_id else ""


def country_name(catalog: Catalog, iso3, lang: str) -> str:
    return catalog.countries[iso3].label(lang) if isinstance(iso3, str) and iso3 in catalog.countries else ""


def figures_display(figures: pd.DataFrame, catalog: Catalog, lang: str) -> pd.DataFrame:
    """One row per published figure: what, how much (with the source's hedge), when, for whom, from where."""
    rows = []
    for row in figures.to_dict("records"):
        indicator = catalog.indicators[row["indicator_id"]]
        rows.append(
            {
                t("col_indicator", lang): indicator.label(lang),
                t("col_value", lang): t("value_suppressed", lang)
                if row.get("suppressed")
                else format_value(row["value"], indicator, lang, row["qualifier"]),
                t("col_unit", lang): indicator.units[lang],
                t("col_period", lang): period_of(row, lang),
                t("col_scope", lang): row["entity_name"],
                t("col_sector", lang): sector_name(catalog, row["sector_id"], lang),
                t("col_country", lang): country_name(catalog, row["country_iso3"], lang),
                t("col_source", lang): row["source_title"],
                t("col_link", lang): text_or_blank(row["source_url"]) or None,
                t("col_confidence", lang): row["confidence"],
                t("col_disagree", lang): t("yes", lang) if row["sources_disagree"] else "",
                t("col_note", lang): note_in(row, lang),
            }
        )
    return pd.DataFrame(rows)


def shown_table(figures: pd.DataFrame, catalog: Catalog, lang: str, most: int = MOST_ROWS) -> pa.Table:
    """The first `most` figures as a page's table shows them, as Arrow: Streamlit sends an Arrow table as it is,
    where it converts a pandas frame at every rerun. Pages keep it per view, so that a rerun of a view already seen
    formats nothing again."""
    return arrow_table(figures_display(figures.head(most), catalog, lang))


def arrow_table(shown: pd.DataFrame) -> pa.Table:
    """A table as shown, as Arrow, each text column with repeated values written once (dictionary-encoded): a
    hundred figures of one source, unit and sector were 27 kB, sent and decoded again at every filter change; 12 kB
    so. Not a column with an empty cell: the browser shows an empty category as "None"."""
    table = pa.Table.from_pandas(shown, preserve_index=False)
    for index, column in enumerate(table.columns):
        if _repeated_text(column):
            table = table.set_column(index, table.field(index).name, pc.dictionary_encode(column))
    return table


def _repeated_text(column: pa.ChunkedArray) -> bool:
    """A text column with no empty cell, whose values repeat (half as many distinct values as rows, or fewer)."""
    if not (pa.types.is_string(column.type) or pa.types.is_large_string(column.type)) or column.null_count:
        return False
    return not pc.any(pc.equal(column, "")).as_py() and pc.count_distinct(column).as_py() * 2 <= len(column)


def places_display(places: pd.DataFrame, catalog: Catalog, lang: str) -> pd.DataFrame:
    rows = []
    for row in places.to_dict("records"):
        rows.append(
            {
                t("col_country", lang): country_name(catalog, row["country_iso3"], lang),
                t("col_entity", lang): row["entity_name"],
                t("col_place", lang): row["place"],
                t("col_precision", lang): t(f"precision_{row['precision']}", lang),
                t("col_kind", lang): presence_kind(row, lang),
                t("col_since", lang): text_or_blank(row["since"]),
                t("col_until", lang): text_or_blank(row["until"]),
                t("col_source", lang): row["source_title"],
                t("col_link", lang): text_or_blank(row["source_url"]) or None,
                t("col_confidence", lang): row["confidence"],
            }
        )
    return pd.DataFrame(rows)
