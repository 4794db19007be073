"""Opens the store the queries run on: the current version of the versioned dataset (dashboard/history.py).

The embedded default is a DuckDB file; the app serves from an in-memory copy of its current version, re-read when a
new version is committed (so a command-line import never waits for the app, nor the app for it). With a PostgreSQL
URL configured, queries run on the server itself, so that several app replicas share one store.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path

import ibis
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from dashboard.history import DatasetInfo, History, HistoryError, Tables
from dashboard.schema import TABLES, arrow_schema
from dashboard.settings import ROOT, database_url, describe_url
from dashboard.views import FIGURES_VIEW, create_views, joined_figures, with_headline_rank


class DataFileError(RuntimeError):
    """A data file or the database is missing or unreadable; the message says which and why, and how to fix it."""


@dataclass(eq=False)  # compared and hashed by identity: query results are cached per store (and so per version)
class Store:
    """An Ibis connection holding one version of the dataset's tables, and a lock: a connection is not thread-safe."""

    con: ibis.BaseBackend
    dataset: DatasetInfo
    origin: str  # where the data comes from, for messages: a folder, a DuckDB file, a PostgreSQL server
    version: int | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)

    def table(self, name: str) -> ibis.Table:
        return self.con.table(name)

    def execute(self, expr):
        with self.lock:
            return expr.execute()


def read_table(directory: Path, name: str) -> pa.Table:
    """Read one table with the column types declared in datapackage.json: `<name>.parquet` when the folder has one
    (a large demo dataset), otherwise `<name>.csv`, whose empty cells become nulls."""
    schema = arrow_schema(name)
    parquet = directory / f"{name}.parquet"
    if parquet.exists():
        try:
            return pq.read_table(parquet, columns=schema.names).cast(schema)
        except (pa.ArrowInvalid, pa.ArrowTypeError, KeyError, OSError) as error:
            raise DataFileError(f"{parquet} does not match its schema in datapackage.json: {error}") from error
    types = {column.name: column.type for column in schema}
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


def read_folder(directory: Path) -> tuple[Tables, DatasetInfo]:
    """A dataset folder (data/ or a demo): its tables and what it is, from its datapackage.json."""
    package_path = directory / "datapackage.json"
    if not package_path.exists():
        raise DataFileError(
            f"{package_path} is missing: {directory} is not a dataset folder. Rebuild it with `make data`."
        )
    try:
        package = json.loads(package_path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise DataFileError(
            f"{package_path} is not valid JSON ({error}). Rebuild the dataset with `make data`."
        ) from error
    info = DatasetInfo(package.get("name", directory.name), package.get("title", ""), bool(package.get("synthetic")))
    return {name: read_table(directory, name) for name in TABLES}, info


def _in_memory(tables: Tables, dataset: DatasetInfo, origin: str, version: int | None) -> Store:
    con = ibis.duckdb.connect()
    for name in TABLES:
        con.create_table(name, tables[name])
    create_views(con, materialise=True)
    return Store(con=con, dataset=dataset, origin=origin, version=version)


@cache
def open_store(directory: Path) -> Store:
    """A dataset folder loaded in memory, read-only and unversioned: for tests and for comparing with the store."""
    tables, info = read_folder(directory.resolve())
    return _in_memory(tables, info, str(directory), None)


def current_store() -> Store:
    """The current version of the configured store (created and seeded from the dataset folder on first use).

    Cheap to call on every page run: DuckDB is re-read only when its file changed; PostgreSQL is asked its current
    version number.
    """
    url, _ = database_url()
    history = current_history()
    try:
        if history.is_postgres:
            return _postgres_store(url, history.current_version())
        return _duckdb_store(url, history.stamp())
    except HistoryError as error:
        raise DataFileError(f"The store {describe_url(url)} cannot be read: {error}") from error


def current_history() -> History:
    """The configured versioned store, for the data stewards' page and commands."""
    return _history(*database_url())


@cache
def _history(url: str, seed: Path) -> History:
    """The store at `url`, created and seeded with the folder `seed` when empty; once per process."""
    history = History(url)
    try:
        history.initialise(lambda: (*read_folder(seed), _shown_path(seed)))
    except DataFileError:
        raise
    except Exception as error:  # the database's own errors (duckdb.Error, psycopg.Error) have no common base
        raise DataFileError(f"The store {describe_url(url)} cannot be opened: {error}") from error
    return history


def _shown_path(folder: Path) -> str:
    """The seed folder as the history names it: data/ for the bundled dataset, not where this checkout happens to be."""
    try:
        return f"{folder.resolve().relative_to(ROOT)}/"
    except ValueError:
        return str(folder)


@lru_cache(maxsize=2)
def _duckdb_store(url: str, stamp: tuple) -> Store:
    history = History(url)
    version, tables = history.tables()
    return _in_memory(tables, history.dataset_info(), describe_url(url), version)


@lru_cache(maxsize=2)
def _postgres_store(url: str, version: int) -> Store:
    con, lock = _postgres_connection(url)
    return Store(con=con, dataset=History(url).dataset_info(), origin=describe_url(url), version=version, lock=lock)


@cache
def _postgres_connection(url: str) -> tuple[ibis.BaseBackend, threading.Lock]:
    """One Ibis connection per process and server, shared by the stores of every version, with its lock."""
    # The figures view is the one Ibis defines for DuckDB, compiled for PostgreSQL; every replica (re)defines it
    # the same way, one at a time.
    History(url).create_view(FIGURES_VIEW, ibis.to_sql(with_headline_rank(joined_figures(_Unbound())), "postgres"))
    return ibis.connect(url), threading.Lock()


class _Unbound:
    """Tables by name with their declared schema and no connection: to compile a view for another database."""

    @staticmethod
    def table(name: str) -> ibis.Table:
        return ibis.table(ibis.Schema.from_pyarrow(arrow_schema(name)), name=name)
