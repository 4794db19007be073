"""Opens the store the queries run on: the current version of the versioned dataset (dashboard/history.py).

The embedded default is a DuckDB file; the app serves each version from its snapshot, a DuckDB file of that version
written once beside the store (`snapshots/`) and opened read-only with a memory limit: ten million rows stay on disk
until a query needs them, and a command-line import waits for the app only while a new version is copied out. With a
PostgreSQL URL configured, queries run on the server itself, so that several app replicas share one store.

Ibis is imported where an expression is built (here, in queries.py, views.py and audience.py), not when these modules
load: after a restart, the first page is answered from the answers kept beside the snapshot (dashboard/kept.py), and
loading Ibis with its SQL compiler and DuckDB backend would be about 0.4 s of the cold start for no question asked
(docs/performance.md, session 14). A snapshot's Ibis connection is likewise made at its first question.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import threading
import weakref
from dataclasses import dataclass, field, replace
from functools import cache, lru_cache, partial
from pathlib import Path
from typing import TYPE_CHECKING

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from dashboard.audience import INTERNAL, Access, visible
from dashboard.history import DatasetInfo, History, HistoryError, StoreWriteError, Tables, Version
from dashboard.kept import Shelf, answers_folder
from dashboard.schema import TABLES, arrow_schema
from dashboard.settings import BUNDLED_DATA, ROOT, configured_access, database_url, describe_url
from dashboard.views import FIGURES_VIEW, create_views, joined_figures, with_headline_rank

if TYPE_CHECKING:
    from collections.abc import Callable

    import duckdb
    import ibis


class DataFileError(RuntimeError):
    """A data file or the database is missing or unreadable; the message says which and why, and how to fix it."""


class StoreUnavailable(DataFileError):
    """The database server does not answer just now (stopped, restarting, out of reach): nothing is wrong with the
    data, and pages come back by themselves once it answers again."""


class Connection:
    """A store's Ibis connection, made at its first use and then kept: shared by the audiences' views of a version."""

    def __init__(self, make: Callable[[], ibis.BaseBackend]):
        self._make: Callable[[], ibis.BaseBackend] | None = make
        self._con: ibis.BaseBackend | None = None
        self._lock = threading.Lock()

    @classmethod
    def made(cls, con: ibis.BaseBackend) -> Connection:
        """A connection already open (in memory, PostgreSQL)."""
        return cls(lambda: con)

    def get(self) -> ibis.BaseBackend:
        with self._lock:
            if self._con is None:
                self._con = self._make()
                self._make = None
            return self._con


@dataclass(eq=False)  # compared and hashed by identity: query results are cached per store (and so per version)
class Store:
    """An Ibis connection holding one version of the dataset's tables, and a lock: a connection is not thread-safe."""

    connection: Connection
    dataset: DatasetInfo
    origin: str  # where the data comes from, for messages: a folder, a DuckDB file, a PostgreSQL server
    version: int | None = None
    # Re-entrant: a caller holding it may ask for a table, which takes it too (Ibis asks the database for columns).
    lock: threading.RLock = field(default_factory=threading.RLock)
    access: Access = INTERNAL  # what the audience may see (dashboard/audience.py); applied to every table
    shelf: Shelf | None = None  # answers kept on disk about this version's snapshot (dashboard/kept.py)
    _for_access: dict = field(default_factory=dict, repr=False)  # this version as other audiences see it

    @property
    def con(self) -> ibis.BaseBackend:
        return self.connection.get()

    def table(self, name: str) -> ibis.Table:
        """A table or view of this version, as the store's audience may see it."""
        return visible(name, self.base_table(name), self)

    def execute(self, expr):
        with self.lock:
            try:
                return expr.execute()
            except Exception as error:
                return self._after(error, expr.execute)

    def base_table(self, name: str) -> ibis.Table:
        """The table as stored, whoever the audience: for dashboard/audience.py only."""
        with self.lock:  # Ibis asks the database for the table's columns
            try:
                return self.con.table(name)
            except Exception as error:
                return self._after(error, lambda: self.con.table(name))

    def for_access(self, access: Access) -> Store:
        """This version as another audience sees it: the same connection, and the same object each time, since
        answers are cached per store."""
        if access == self.access:
            return self
        with self.lock:
            if access not in self._for_access:
                self._for_access[access] = replace(self, access=access, _for_access={})
            return self._for_access[access]

    def _after(self, error: Exception, question):
        """Every failed question to the database passes here, so that its failures are understood in one place: a
        connection the server closed (a restart) is opened again and the question asked once more, a server that
        does not answer is StoreUnavailable, a damaged snapshot file is a DataFileError that names it."""
        if not _unreachable(error):
            if _damaged_file(error):
                raise DataFileError(
                    f"{self.origin} cannot be read ({error}). Its snapshot files (snapshots/ beside the store) "
                    "can be deleted safely: they are written again from the store at the next page run."
                ) from error
            raise error
        try:
            self.con.reconnect()  # the same Ibis backend, so that expressions already built on it stay valid
            return question()
        except Exception as again:
            if _unreachable(again):
                raise StoreUnavailable(f"{self.origin} does not answer: {again}") from again
            raise


def _unreachable(error: BaseException) -> bool:
    """The database server cannot be reached or closed the connection: refused, reset, shutting down or starting up.
    A wrong password or a missing database is not: it does not get better by waiting.

    Errors on a query carry a SQLSTATE (class 08, connection, and 57P0x, the server shutting down or starting up);
    libpq reports a failed connection with none, and the server's own refusals with its FATAL message.
    """
    import psycopg

    if not isinstance(error, psycopg.OperationalError):
        return False
    if error.sqlstate:  # not 57014, a query cancelled (a statement timeout): the server is there
        return error.sqlstate.startswith("08") or error.sqlstate in {"57P01", "57P02", "57P03", "57P05"}
    return "FATAL:" not in str(error) or "the database system is" in str(error)  # starting up, shutting down


def _damaged_file(error: BaseException) -> bool:
    """DuckDB could not read its file: cut short, overwritten, or a block whose checksum does not match."""
    import duckdb

    return isinstance(error, duckdb.IOException) or (
        isinstance(error, duckdb.Error) and str(error).startswith("Corrupt database file")
    )


def _remedy(directory: Path) -> str:
    """How to make a dataset folder again."""
    if directory == BUNDLED_DATA.resolve():
        return "Rebuild it with `make data`, or restore it with `git checkout -- data/`."
    return (
        f"Write it again (a demo: `python -m dashboard demo --rows N --out {directory}`), or set DASHBOARD_DATA_DIR "
        "to a dataset folder."
    )


def read_table(directory: Path, name: str) -> pa.Table:
    """Read one table with the column types declared in datapackage.json: `<name>.parquet` when the folder has one
    (a large demo dataset), otherwise `<name>.csv`, whose empty cells become nulls."""
    schema = arrow_schema(name)
    parquet = directory / f"{name}.parquet"
    if parquet.exists():
        try:
            return pq.read_table(parquet, columns=schema.names).cast(schema)
        except (pa.ArrowInvalid, pa.ArrowTypeError, KeyError, OSError) as error:
            raise DataFileError(
                f"{parquet} does not match its schema in datapackage.json ({error}). {_remedy(directory)}"
            ) from error
    types = {column.name: column.type for column in schema}
    path = directory / f"{name}.csv"
    if not path.exists():
        raise DataFileError(f"{path} is missing. {_remedy(directory)}")
    try:
        table = pacsv.read_csv(
            path,
            convert_options=pacsv.ConvertOptions(
                column_types=types, strings_can_be_null=True, include_columns=list(types)
            ),
        )
    except (pa.ArrowInvalid, KeyError, OSError) as error:
        raise DataFileError(
            f"{path} does not match its schema in datapackage.json ({error}). {_remedy(directory)}"
        ) from error
    return table


def read_folder(directory: Path) -> tuple[Tables, DatasetInfo]:
    """A dataset folder (data/ or a demo): its tables and what it is, from its datapackage.json."""
    package_path = directory / "datapackage.json"
    if not package_path.exists():
        raise DataFileError(f"{package_path} is missing: {directory} is not a dataset folder. {_remedy(directory)}")
    try:
        package = json.loads(package_path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, OSError) as error:
        raise DataFileError(f"{package_path} is not valid JSON ({error}). {_remedy(directory)}") from error
    if not isinstance(package, dict):
        raise DataFileError(f"{package_path} is not a data package (a JSON object). {_remedy(directory)}")
    info = DatasetInfo(package.get("name", directory.name), package.get("title", ""), bool(package.get("synthetic")))
    return {name: read_table(directory, name) for name in TABLES}, info


def _in_memory(tables: Tables, dataset: DatasetInfo, origin: str, version: int | None) -> Store:
    import ibis

    con = ibis.duckdb.connect()
    for name in TABLES:
        con.create_table(name, tables[name])
    create_views(con, materialise=True)
    return Store(connection=Connection.made(con), dataset=dataset, origin=origin, version=version)


@cache
def open_store(directory: Path) -> Store:
    """A dataset folder loaded in memory, read-only and unversioned: for tests and for comparing with the store."""
    tables, info = read_folder(directory.resolve())
    return _in_memory(tables, info, str(directory), None)


def current_store(access: Access | None = None) -> Store:
    """The current version of the configured store (created and seeded from the dataset folder on first use), as
    `access` (by default the deployment's audience, dashboard/settings.py) may see it.

    Cheap to call on every page run: DuckDB's versions are looked at only when its file changed; PostgreSQL is asked
    its current version number.
    """
    return _current_version().for_access(configured_access() if access is None else access)


def _current_version() -> Store:
    url, _ = database_url()
    history = current_history()
    try:
        if history.is_postgres:
            return _postgres_store(url, history.current_version())
        with _opening:
            return _duckdb_store(url, history.stamp())
    except HistoryError as error:
        raise DataFileError(f"The store {describe_url(url)} cannot be read: {error}") from error
    except Exception as error:  # the database's own errors (duckdb.Error, psycopg.Error) have no common base
        if _unreachable(error):
            raise StoreUnavailable(f"The store {describe_url(url)} does not answer: {error}") from error
        raise


def current_history() -> History:
    """The configured versioned store, for the data stewards' page and commands."""
    with _initialising:  # the first page runs of several sessions would each seed the store
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
        cause = error.__cause__ if isinstance(error, StoreWriteError) else error  # what the database said
        if _unreachable(cause):
            raise StoreUnavailable(f"The store {describe_url(url)} does not answer: {cause}") from error
        raise DataFileError(
            f"The store {describe_url(url)} cannot be opened ({cause}). {_store_remedy(history, cause)}"
        ) from error
    return history


def _store_remedy(history: History, cause: BaseException) -> str:
    """How to get back a store that cannot be opened."""
    if history.is_postgres:
        return "Check the URL, the user's rights and the server's log (docs/deployment.md)."
    if isinstance(cause, OSError) or re.search(r"No space left|Read-only file system|Permission denied", str(cause)):
        return f"The folder {history.db.path.parent} must be writable, with free space: check the disk (`df -h`)."
    return (
        f"Restore {history.db.path} from your latest backup (docs/deployment.md); or, to start again from the dataset "
        "folder, move the file away: the next start seeds a new store, and the old versions stay in the moved file."
    )


def _shown_path(folder: Path) -> str:
    """The seed folder as the history names it: data/ for the bundled dataset, not where this checkout happens to be."""
    try:
        return f"{folder.resolve().relative_to(ROOT)}/"
    except ValueError:
        return str(folder)


# DuckDB's own memory (cached pages of the snapshot, and what a query holds while it runs; beyond it, it spills to
# disk) for each snapshot a process opens and for the process that writes one. Half of the app server's 1 GiB budget:
# the rest is Python, Streamlit and the frames the queries return.
SNAPSHOT_MEMORY = "512MB"
SMALL_STORE_BYTES = 32 * 2**20  # below this, a snapshot is written in the app's own process
SUPERSEDED_MEMORY = "64MB"  # a snapshot whose version is no longer current: enough to finish a page run on it
SNAPSHOT_NAME = re.compile(r"(?P<store>.+)-v(?P<version>\d+)-[0-9a-f]{12}\.duckdb")
_initialising = threading.Lock()
_opening = threading.Lock()  # one thread opens a new version; the others wait for it instead of opening it again
_open_snapshots: weakref.WeakSet[Store] = weakref.WeakSet()


@lru_cache(maxsize=2)
def _duckdb_store(url: str, stamp: tuple) -> Store:
    history = History(url)
    versions = history.versions()
    path = snapshot_path(history.db.path, versions)
    _ensure_snapshot(url, versions[0].number, path)
    try:
        con = _open_snapshot(path)
    except DataFileError:
        # A snapshot is only a copy of a version (a disk fault, a bad copy or restore): written again, once.
        path.unlink(missing_ok=True)
        _ensure_snapshot(url, versions[0].number, path)
        try:
            con = _open_snapshot(path)
        except DataFileError as error:
            raise DataFileError(
                f"{error}, even written again from the store: check the disk (free space, errors in the system log)."
            ) from error
    store = Store(connection=Connection(partial(_ibis_duckdb, con)), dataset=history.dataset_info(),
                  origin=describe_url(url), version=versions[0].number, shelf=Shelf(path))  # fmt: skip
    for older in [s for s in _open_snapshots if s.origin == store.origin and s.version != store.version]:
        _release_memory(older)
    _open_snapshots.add(store)
    _remove_old_snapshots(path)
    return store


def _open_snapshot(path: Path) -> duckdb.DuckDBPyConnection:
    """A snapshot opened read-only (with DuckDB itself: Ibis comes at the first question, _ibis_duckdb), or
    DataFileError when DuckDB cannot read it or it is shorter than its own blocks say (cut short: DuckDB would fail
    only when a query reaches the missing part)."""
    import duckdb

    spill = _private(path.parent, f"{path.stem}.spill")
    try:
        con = duckdb.connect(
            path, read_only=True, config={"memory_limit": SNAPSHOT_MEMORY, "temp_directory": str(spill)}
        )
        [(blocks, block_size)] = con.sql("SELECT total_blocks, block_size FROM pragma_database_size()").fetchall()
    except duckdb.Error as error:  # a file that is not DuckDB's, or whose first blocks do not match their checksums
        raise DataFileError(f"The snapshot {path} cannot be read: {error}") from error
    if path.stat().st_size < blocks * block_size:
        con.close()
        raise DataFileError(f"The snapshot {path} is cut short: {path.stat().st_size} bytes")
    return con


def _ibis_duckdb(con: duckdb.DuckDBPyConnection) -> ibis.BaseBackend:
    """Ibis on an open DuckDB connection (it sets the session's time zone to UTC, as its own connect does)."""
    import ibis

    return ibis.duckdb.from_connection(con)


def snapshot_path(store_file: Path, versions: list[Version]) -> Path:
    """Where the snapshot of the newest of `versions` (newest first, as History.versions() gives them) lives: named
    by the store, the version and a checksum of every version up to it, since a store made again at the same path
    (a new demo) numbers its versions from 1 again."""
    chain = "\n".join(f"{v.number} {v.created_at.isoformat()} {v.action} {v.checksum}" for v in reversed(versions))
    checksum = hashlib.sha256(chain.encode()).hexdigest()[:12]
    return store_file.parent / "snapshots" / f"{store_file.stem}-v{versions[0].number}-{checksum}.duckdb"


def _ensure_snapshot(url: str, number: int, path: Path) -> None:
    if path.exists():
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    store_name = SNAPSHOT_NAME.fullmatch(path.name)["store"]
    with (path.parent / f"{store_name}.lock").open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # one writer per store: a second process waits, then finds the file written
        if path.exists():
            return
        store_file = History(url).db.path
        if store_file.stat().st_size < SMALL_STORE_BYTES:
            # A small store (the bundled data) is written here: a second Python process would cost more time than
            # the copy itself, at the app's first start.
            try:
                write_snapshot(url, number, path)
            except Exception as error:  # the database's own errors have no common base
                raise DataFileError(
                    f"The snapshot of version {number} ({path}) could not be written: {error}"
                ) from error
            return
        # In a process of its own, so that what writing takes is given back to the system when it ends instead of
        # adding to the app server's peak memory.
        command = [sys.executable, "-c", _WRITE_SNAPSHOT, url, str(number), str(path)]
        done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    if done.returncode:
        errors = re.findall(r"^[\w.]+(?:Error|Exception): .*$", done.stderr, re.MULTILINE)
        cause = (errors or done.stderr.strip().splitlines() or ["no message"])[-1]
        raise DataFileError(f"The snapshot of version {number} ({path}) could not be written: {cause}")


_WRITE_SNAPSHOT = (
    "import sys; from pathlib import Path; from dashboard.store import write_snapshot; "
    "write_snapshot(sys.argv[1], int(sys.argv[2]), Path(sys.argv[3]))"
)


def write_snapshot(url: str, number: int, path: Path) -> None:
    """Write version `number` of the DuckDB store at `url` to `path`: its tables, and the ranked figures computed once
    as a table. DuckDB does all of it within SNAPSHOT_MEMORY, spilling to disk beyond; the file appears at `path`
    whole or not at all (written under a private name, then renamed), so a reader never sees half of it."""
    writing = _private(path.parent, path.name)
    settings = {
        "memory_limit": SNAPSHOT_MEMORY,
        "temp_directory": str(_private(path.parent, f"{path.stem}.spill")),
        "preserve_insertion_order": False,  # less memory; the rows' order in the file means nothing
    }
    writing.unlink(missing_ok=True)  # left by a process that had this one's number and died
    try:
        History(url).copy_version(number, writing, settings)
        import ibis

        con = ibis.duckdb.connect(writing, **settings)
        try:
            create_views(con, materialise=True)
            con.raw_sql("CHECKPOINT")  # everything in the file itself, none in a write-ahead log left behind
        finally:
            con.disconnect()
        os.replace(writing, path)
    finally:
        for leftover in (writing, writing.with_name(writing.name + ".wal")):
            leftover.unlink(missing_ok=True)


def _private(folder: Path, name: str) -> Path:
    """A file or folder that only this process uses, named after it so that it can be removed once it is gone."""
    return folder / f".{os.getpid()}-{name}"


def _release_memory(store: Store) -> None:
    """A superseded snapshot stays open while cached results or a page run hold its store: it keeps little memory."""
    import duckdb

    try:
        with store.lock:
            store.con.raw_sql(f"SET memory_limit = '{SUPERSEDED_MEMORY}'")
    except duckdb.Error:
        pass  # pages still pinned by a query: they are freed when it ends
    _open_snapshots.discard(store)


def _remove_old_snapshots(current: Path) -> None:
    """Remove this store's snapshots but the current one and the one written just before it, and what processes
    that are gone left behind (a write killed midway, a spill folder).

    The previous snapshot stays for a process that has chosen it and not opened it yet (it saw the version before
    this one). Removing a file another process has open is safe: on POSIX it keeps reading it until it closes it.
    """
    store_name = SNAPSHOT_NAME.fullmatch(current.name)["store"]
    others = []
    for path in current.parent.iterdir():
        named = SNAPSHOT_NAME.fullmatch(path.name)
        if named and named["store"] == store_name and path != current:
            others.append((_modified(path), path))
        elif (owner := re.match(r"\.(\d+)-", path.name)) and not _running(int(owner[1])):
            if path.is_dir():
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink(missing_ok=True)
    for _, path in sorted(others, reverse=True)[1:]:
        path.unlink(missing_ok=True)
        shutil.rmtree(answers_folder(path), ignore_errors=True)


def _modified(path: Path) -> int:
    try:
        return path.stat().st_mtime_ns
    except FileNotFoundError:  # removed meanwhile by another process
        return 0


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True


@lru_cache(maxsize=2)
def _postgres_store(url: str, version: int) -> Store:
    con, lock = _postgres_connection(url)
    return Store(
        connection=Connection.made(con),
        dataset=History(url).dataset_info(),
        origin=describe_url(url),
        version=version,
        lock=lock,
    )


@cache
def _postgres_connection(url: str) -> tuple[ibis.BaseBackend, threading.Lock]:
    """One Ibis connection per process and server, shared by the stores of every version, with its lock."""
    import ibis

    # The figures view is the one Ibis defines for DuckDB, compiled for PostgreSQL; every replica (re)defines it
    # the same way, one at a time.
    History(url).create_view(FIGURES_VIEW, ibis.to_sql(with_headline_rank(joined_figures(_Unbound())), "postgres"))
    return ibis.connect(url), threading.RLock()


class _Unbound:
    """Tables by name with their declared schema and no connection: to compile a view for another database."""

    @staticmethod
    def table(name: str) -> ibis.Table:
        import ibis

        return ibis.table(ibis.Schema.from_pyarrow(arrow_schema(name)), name=name)
