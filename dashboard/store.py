"""Opens the store the queries run on: embedded DuckDB loaded from data/ by default (PostgreSQL comes with #5)."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import ibis
import pyarrow as pa
import pyarrow.csv as pacsv

from dashboard.metadata import data_dir
from dashboard.schema import TABLES, arrow_schema
from dashboard.views import create_views


class DataFileError(RuntimeError):
    """A data file is missing or does not match its declared schema; the message says which and why."""


@dataclass(eq=False)  # compared and hashed by identity: query results are cached per store
class Store:
    """An Ibis connection with the dataset's tables, and a lock: one DuckDB connection is not thread-safe."""

    con: ibis.BaseBackend
    directory: Path
    lock: threading.Lock = field(default_factory=threading.Lock)

    def table(self, name: str) -> ibis.Table:
        return self.con.table(name)

    def execute(self, expr):
        with self.lock:
            return expr.execute()


def read_table(directory: Path, name: str) -> pa.Table:
    """Read one CSV with the column types declared in datapackage.json; empty cells become nulls."""
    types = {field.name: field.type for field in arrow_schema(name)}
    path = directory / f"{name}.csv"
    if not path.exists():
        raise DataFileError(f"{path} is missing. Rebuild the dataset with `make data`.")
    try:
        table = pacsv.read_csv(
            path,
            convert_options=pacsv.ConvertOptions(
                column_types=types, strings_can_be_null=True, include_columns=list(types)
            ),
        )
    except (pa.ArrowInvalid, KeyError) as error:
        raise DataFileError(f"{path} does not match its schema in datapackage.json: {error}") from error
    return table


def open_store(directory: Path | None = None) -> Store:
    """The store for a dataset (by default the one in use), opened once per process and folder."""
    return _open_store((directory or data_dir()).resolve())


@cache
def _open_store(directory: Path) -> Store:
    con = ibis.duckdb.connect()
    for name in TABLES:
        con.create_table(name, read_table(directory, name))
    create_views(con)
    return Store(con=con, directory=directory)
