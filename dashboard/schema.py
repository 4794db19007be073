"""The tables' schemas, declared once in data/datapackage.json (Frictionless) and read from here by every layer.

The store, the Excel template, the validation of an upload and the tests all take column names, types, keys and
constraints from this module, so a column is added or constrained in one place.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import pyarrow as pa

DATAPACKAGE = Path(__file__).resolve().parent.parent / "data" / "datapackage.json"

# The order tables are written and checked in: a table comes after the tables its foreign keys point to.
TABLES = ("sectors", "countries", "indicators", "sources", "entities", "observations", "locations")

# Frictionless field types -> Arrow types.
ARROW_TYPES = {
    "string": pa.string(),
    "number": pa.float64(),
    "integer": pa.int64(),
    "boolean": pa.bool_(),
    "date": pa.date32(),
}


@cache
def package() -> dict:
    return json.loads(DATAPACKAGE.read_text(encoding="utf-8"))


def table_schema(table: str) -> dict:
    for resource in package()["resources"]:
        if resource["name"] == table:
            return resource["schema"]
    raise KeyError(f"no table {table!r} in {DATAPACKAGE}")


def fields(table: str) -> list[dict]:
    return table_schema(table)["fields"]


def field_names(table: str) -> list[str]:
    return [field["name"] for field in fields(table)]


def primary_key(table: str) -> str:
    (key,) = table_schema(table)["primaryKey"]
    return key


def arrow_schema(table: str) -> pa.Schema:
    return pa.schema([pa.field(f["name"], ARROW_TYPES[f["type"]]) for f in fields(table)])


def derived_from(table: str) -> dict[str, str]:
    """The columns computed from another one (declared `derivedFrom` in the datapackage): column -> its source."""
    return {f["name"]: f["derivedFrom"] for f in fields(table) if "derivedFrom" in f}


def editable_fields(table: str) -> list[str]:
    """The columns a data steward fills in (in the template, an upload): every column that is not derived."""
    return [f["name"] for f in fields(table) if "derivedFrom" not in f]


def foreign_keys(table: str) -> list[tuple[str, str, str]]:
    """(column, referenced table, referenced column) for each foreign key of `table`."""
    return [
        (key["fields"], key["reference"]["resource"], key["reference"]["fields"])
        for key in table_schema(table).get("foreignKeys", [])
    ]


def csv_cell(value) -> str:
    """A value as the dataset's CSV files hold it: empty for none, true/false, 2024 rather than 2024.0, ISO dates."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)  # a date's str() is its ISO form
