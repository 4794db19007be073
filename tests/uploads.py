"""Files a data steward could upload, made in the tests: an observations CSV from rows given as dicts."""

from __future__ import annotations

import csv
import io

from dashboard.schema import editable_fields
from dashboard.store import read_folder
from dashboard.workbook import read_upload
from tests.conftest import DATA

NEW_FIGURE = {
    "observation_id": "obs-900", "indicator_id": "employees", "kind": "actual", "qualifier": "", "value": "23000",
    "unit": "people", "period": "2025", "scope_level": "group", "entity_id": "groupe-sos", "sector_id": "",
    "country_iso3": "", "source_id": "sos-intro", "confidence": "A", "note": "", "note_fr": "",
}  # fmt: skip


def observations_csv(*rows: dict) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=editable_fields("observations"), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode()


def upload_of(*rows: dict, name: str = "observations.csv"):
    upload, problems = read_upload(observations_csv(*rows), name)
    assert upload is not None and not problems, problems
    return upload


def existing_figure(observation_id: str) -> dict:
    tables, _ = read_folder(DATA)
    (row,) = [r for r in tables["observations"].to_pylist() if r["observation_id"] == observation_id]
    return {field: "" if row[field] is None else str(row[field]) for field in editable_fields("observations")}
