"""Files a data steward could upload, made in the tests: CSVs and workbooks of rows given as dicts of cell texts."""

from __future__ import annotations

import csv
import io

import openpyxl

from dashboard.schema import editable_fields
from dashboard.store import read_folder
from dashboard.workbook import read_upload
from tests.conftest import DATA

NEW_FIGURE = {
    "observation_id": "obs-900", "indicator_id": "employees", "kind": "actual", "qualifier": "", "value": "23000",
    "unit": "people", "period": "2025", "scope_level": "group", "entity_id": "groupe-sos", "sector_id": "",
    "country_iso3": "", "source_id": "sos-intro", "confidence": "A", "note": "", "note_fr": "",
}  # fmt: skip
NEW_SOURCE = {"source_id": "annual-report-2025", "title": "Groupe SOS, annual report 2025",
              "url": "https://www.groupe-sos.org/rapport-2025", "published": "2026-06"}  # fmt: skip
NEW_PLACE = {
    "location_id": "loc-900", "entity_id": "planete-urgence", "sector_id": "international", "country_iso3": "SEN",
    "place": "Dakar", "lat": "14.7", "lon": "-17.4", "precision": "city", "kind": "office", "kind_fr": "bureau",
    "since": "2020", "until": "", "source_id": "sos-intro", "confidence": "A", "note": "", "note_fr": "",
}  # fmt: skip
NEW_INDICATOR = {
    "id": "volunteers", "category": "headcount", "number_kind": "count", "label_en": "Volunteers",
    "label_fr": "Bénévoles", "unit_en": "people", "unit_fr": "personnes", "short_unit_en": "", "short_unit_fr": "",
    "decimals": "0", "description_en": "Volunteers.", "description_fr": "Bénévoles.", "visibility": "public",
}  # fmt: skip
VALID = {"observations": NEW_FIGURE, "sources": NEW_SOURCE, "locations": NEW_PLACE, "indicators": NEW_INDICATOR}


def csv_bytes(table: str, rows: list[dict]) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=editable_fields(table), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode()


def xlsx_bytes(sheets: dict[str, list[dict]]) -> bytes:
    """A workbook as a steward would fill it: numbers typed as numbers, the rest as text."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for table, rows in sheets.items():
        sheet = book.create_sheet(table)
        sheet.append(editable_fields(table))
        for row in rows:
            sheet.append([typed_like_excel(row[name]) for name in editable_fields(table)])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def typed_like_excel(text: str):
    if text == "":
        return None
    try:
        return int(text)
    except ValueError:
        try:
            return float(text)
        except ValueError:
            return text


def observations_csv(*rows: dict) -> bytes:
    return csv_bytes("observations", list(rows))


def upload_of(*rows: dict, name: str = "observations.csv"):
    upload, problems = read_upload(observations_csv(*rows), name)
    assert upload is not None and not problems, problems
    return upload


def existing_figure(observation_id: str) -> dict:
    tables, _ = read_folder(DATA)
    (row,) = [r for r in tables["observations"].to_pylist() if r["observation_id"] == observation_id]
    return {field: "" if row[field] is None else str(row[field]) for field in editable_fields("observations")}


def many_new_figures(count: int) -> bytes:
    """An observations CSV of `count` new figures with long notes in both languages (about 400 bytes each): for an
    import that does not fit on a nearly full disk."""
    note = "n" * 200
    return observations_csv(
        *({**NEW_FIGURE, "observation_id": f"obs-{9000 + i}", "value": str(i), "note": note, "note_fr": note}
          for i in range(count))
    )  # fmt: skip
