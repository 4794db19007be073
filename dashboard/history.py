"""The versioned dataset: every version of every table is kept, and an import or a rollback is one transaction.

The same layout on an embedded DuckDB file and on PostgreSQL:

    versions          one row per version: number, time, who, what (seed, import, rollback), file, checksum, counts
    dataset           one row: the dataset's name, title and whether it is synthetic (written when seeded)
    <table>_history   every row that was ever current, with the version that added it and the one that closed it
    <table>           a view of the rows current now (`removed_in IS NULL`): what the queries read

Nothing is updated in place and nothing is deleted: a changed row is closed and its new content added; a rollback
to N writes a new version whose content equals N's. The current version is the highest number. Writers are
serialised across processes (a file lock beside the DuckDB file; an advisory lock on PostgreSQL), and a write either
commits whole or leaves no trace: a process killed in the middle leaves the previous version current.
"""

from __future__ import annotations

import fcntl
import getpass
import hashlib
import socket
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv

from dashboard.schema import TABLES, arrow_schema, field_names, fields, primary_key
from dashboard.settings import describe_url

SQL_TYPES = {"string": "TEXT", "number": "DOUBLE PRECISION", "integer": "BIGINT", "boolean": "BOOLEAN", "date": "DATE"}
_ADVISORY_LOCK = 5_170_001  # any constant: every writer of one PostgreSQL database takes the same one

Tables = dict[str, pa.Table]


class HistoryError(RuntimeError):
    """The store cannot do what was asked (no such version, an upload that does not validate); the message says why."""


class StoreWriteError(HistoryError):
    """The database failed while writing (disk full, read-only, server gone): the transaction was not committed."""


class ImportRefused(HistoryError):
    def __init__(self, problems: list) -> None:
        self.problems = problems
        super().__init__(f"the upload has {len(problems)} problem(s); nothing was written")


@dataclass(frozen=True)
class DatasetInfo:
    name: str
    title: str
    synthetic: bool


@dataclass(frozen=True)
class Version:
    number: int
    created_at: datetime
    author: str
    action: str  # seed | import | rollback
    file_name: str
    checksum: str
    restores: int | None
    added: int
    changed: int
    removed: int


@dataclass(frozen=True)
class TableChange:
    """The rows of one table that a new version adds, changes and removes, as Arrow tables ordered by key."""

    table: str
    added: pa.Table
    before: pa.Table  # the changed rows as they are now
    after: pa.Table  # the same rows as they will be, in the same order
    removed: pa.Table

    @property
    def counts(self) -> tuple[int, int, int]:
        return self.added.num_rows, self.after.num_rows, self.removed.num_rows

    @property
    def empty(self) -> bool:
        return not any(self.counts)

    def changed(self, limit: int | None = None) -> list[tuple[dict, dict]]:
        """(before, after) pairs of the changed rows, the first `limit` of them."""
        before, after = (rows if limit is None else rows.slice(0, limit) for rows in (self.before, self.after))
        return list(zip(before.to_pylist(), after.to_pylist(), strict=True))


def counts_text(added: int, changed: int, removed: int) -> str:
    """+added ~changed −removed: how a version or a table changes, in rows."""
    return f"+{added} ~{changed} −{removed}"


@dataclass(frozen=True)
class Change:
    """What a new version changes, table by table, compared with the current one."""

    tables: tuple[TableChange, ...]

    @property
    def added(self) -> int:
        return sum(t.counts[0] for t in self.tables)

    @property
    def changed(self) -> int:
        return sum(t.counts[1] for t in self.tables)

    @property
    def removed(self) -> int:
        return sum(t.counts[2] for t in self.tables)

    @property
    def empty(self) -> bool:
        return not (self.added or self.changed or self.removed)


def diff(current: Tables, candidate: Tables) -> Change:
    """Rows added, changed and removed, by primary key, in table order and then key order: joins run in DuckDB, so
    that comparing a version of ten million rows with the next takes seconds, not a row-by-row walk in Python."""
    import duckdb

    changes = []
    with duckdb.connect() as con:
        for name in TABLES:
            schema, key = arrow_schema(name), f'"{primary_key(name)}"'
            con.register("now", current[name])
            con.register("next", candidate[name])
            differs = " OR ".join(f'n."{c}" IS DISTINCT FROM x."{c}"' for c in schema.names)

            def rows(sql: str, schema: pa.Schema = schema) -> pa.Table:
                return con.sql(sql).to_arrow_table().cast(schema)

            changes.append(
                TableChange(
                    table=name,
                    added=rows(f"SELECT x.* FROM next x ANTI JOIN now n ON x.{key} = n.{key} ORDER BY x.{key}"),
                    before=rows(f"SELECT n.* FROM now n JOIN next x ON x.{key} = n.{key} WHERE {differs} "
                                f"ORDER BY n.{key}"),
                    after=rows(f"SELECT x.* FROM now n JOIN next x ON x.{key} = n.{key} WHERE {differs} "
                               f"ORDER BY x.{key}"),
                    removed=rows(f"SELECT n.* FROM now n ANTI JOIN next x ON x.{key} = n.{key} ORDER BY n.{key}"),
                )
            )  # fmt: skip
            con.unregister("now")
            con.unregister("next")
    return Change(tuple(changes))


class _Digest:
    """A file-like sink that only hashes what is written to it."""

    closed = False

    def __init__(self) -> None:
        self.hash = hashlib.sha256()

    def write(self, data) -> int:
        self.hash.update(data)
        return len(data)

    def flush(self) -> None:
        pass


def content_checksum(tables: Tables) -> str:
    """sha256 of a dataset's content, independent of row order: each table sorted by key and written as CSV (with
    the schema's types), so two versions with equal content share it."""
    digest = _Digest()
    for name in TABLES:
        digest.write(f"{name}\n".encode())
        pacsv.write_csv(tables[name].cast(arrow_schema(name)).sort_by(primary_key(name)), digest)
    return digest.hash.hexdigest()


def default_author() -> str:
    """Who runs a command-line import: the system user on this host."""
    return f"{getpass.getuser()}@{socket.gethostname()}"


# --- the two databases: how to connect, lock and bulk-insert; the SQL itself is shared -------------------------


class _DuckDBFile:
    placeholder = "?"

    def __init__(self, path: Path) -> None:
        self.path = path
        self.lock_path = path.with_name(path.name + ".lock")

    @contextmanager
    def connection(self, write: bool):
        import duckdb

        self.path.parent.mkdir(parents=True, exist_ok=True)
        # DuckDB lets one process write a file and refuses every other process meanwhile: a shared lock for readers
        # and an exclusive one for writers make the others wait their turn instead of failing.
        with self.lock_path.open("a") as lock_file:
            fcntl.flock(lock_file, fcntl.LOCK_EX if write else fcntl.LOCK_SH)
            read_only = not write and self.path.exists()
            con = duckdb.connect(str(self.path), read_only=read_only)
            try:
                yield con
            finally:
                con.close()

    @property
    def errors(self) -> tuple[type[Exception], ...]:
        import duckdb

        return duckdb.Error, OSError

    @staticmethod
    @contextmanager
    def transaction(con):
        con.execute("BEGIN TRANSACTION")
        try:
            yield
        except BaseException:
            con.execute("ROLLBACK")
            raise
        con.execute("COMMIT")

    @staticmethod
    def insert(con, table: str, columns: list[str], rows: pa.Table) -> None:
        con.register("incoming_rows", rows)
        try:
            names = ", ".join(f'"{c}"' for c in columns)
            con.execute(f"INSERT INTO {table} ({names}) SELECT {names} FROM incoming_rows")
        finally:
            con.unregister("incoming_rows")

    @staticmethod
    def fetch_arrow(con, sql: str, params: list) -> pa.Table:
        return con.sql(sql, params=params).to_arrow_table()

    @staticmethod
    def rows(con, sql: str, params: list | None = None) -> list[tuple]:
        # fetchall() drains the result: a connection with a half-read result refuses any other statement.
        return con.execute(sql, params or []).fetchall()

    @staticmethod
    def close_rows(con, table: str, key: str, keys: list, number: int) -> None:
        con.register("closed_keys", pa.table({"key": keys}))
        try:
            con.execute(
                f'UPDATE {table} SET removed_in = ? WHERE removed_in IS NULL AND "{key}" IN (SELECT key FROM closed_keys)',
                [number],
            )
        finally:
            con.unregister("closed_keys")

    def stamp(self) -> tuple:
        """Changes whenever a write commits (file and write-ahead log): a cheap test before re-reading."""
        wal = self.path.with_name(self.path.name + ".wal")
        return tuple((p.stat().st_mtime_ns, p.stat().st_size) if p.exists() else None for p in (self.path, wal))


class _PostgreSQL:
    placeholder = "%s"

    def __init__(self, url: str) -> None:
        self.url = url

    @contextmanager
    def connection(self, write: bool):
        import psycopg

        with psycopg.connect(self.url, connect_timeout=10) as con:
            if not write:
                con.read_only = True
            yield con

    @property
    def errors(self) -> tuple[type[Exception], ...]:
        import psycopg

        return psycopg.Error, OSError

    @staticmethod
    @contextmanager
    def transaction(con):
        with con.transaction():
            con.execute("SELECT pg_advisory_xact_lock(%s)", [_ADVISORY_LOCK])  # writers wait for each other
            yield

    @staticmethod
    def insert(con, table: str, columns: list[str], rows: pa.Table) -> None:
        names = ", ".join(f'"{c}"' for c in columns)
        with con.cursor().copy(f"COPY {table} ({names}) FROM STDIN") as copy:
            for row in rows.select(columns).to_pylist():
                copy.write_row([row[c] for c in columns])

    @staticmethod
    def fetch_arrow(con, sql: str, params: list) -> pa.Table:
        cursor = con.execute(sql, params)
        names = [d.name for d in cursor.description]
        return pa.Table.from_pylist([dict(zip(names, row, strict=True)) for row in cursor.fetchall()])

    @staticmethod
    def rows(con, sql: str, params: list | None = None) -> list[tuple]:
        return con.execute(sql, params or []).fetchall()

    @staticmethod
    def close_rows(con, table: str, key: str, keys: list, number: int) -> None:
        con.execute(
            f'UPDATE {table} SET removed_in = %s WHERE removed_in IS NULL AND "{key}" = ANY(%s)', [number, keys]
        )

    def stamp(self) -> None:
        return None


def _database(url: str):
    if url.startswith(("postgresql://", "postgres://")):
        return _PostgreSQL(url)
    if url.startswith("duckdb:///"):
        return _DuckDBFile(Path(url.removeprefix("duckdb:///")).expanduser().resolve())
    raise HistoryError(f"unknown database URL {url!r}: expected duckdb:///path/to/file.duckdb or postgresql://…")


def _rows_in_version(name: str) -> str:
    """The rows of table `name` that a version holds, the version's number bound twice (%s, %s): every row added by
    it or before and not removed by then. The one rule of what a version is."""
    columns = ", ".join(f'"{c}"' for c in field_names(name))
    return f"SELECT {columns} FROM {name}_history WHERE added_in <= %s AND (removed_in IS NULL OR removed_in > %s)"


def _literal(value: str | bool) -> str:
    """A setting or a path as a DuckDB literal."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return "'" + value.replace("'", "''") + "'"


class History:
    """The versioned store at a URL: duckdb:///path/file.duckdb or postgresql://user@host:port/database."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.db = _database(url)

    @property
    def is_postgres(self) -> bool:
        return isinstance(self.db, _PostgreSQL)

    def __str__(self) -> str:
        return describe_url(self.url)

    def _sql(self, sql: str) -> str:
        return sql.replace("%s", self.db.placeholder)

    @contextmanager
    def _writing(self) -> Iterator:
        try:
            with self.db.connection(write=True) as con, self.db.transaction(con):
                yield con
        except HistoryError:
            raise
        except self.db.errors as error:  # the disk is full or read-only, the server went away: nothing committed
            raise StoreWriteError(
                f"{self} could not be written ({error}). Nothing was written: the previous version is still the "
                "current one."
            ) from error

    # --- creating and seeding ---

    def initialise(self, seed: Callable[[], tuple[Tables, DatasetInfo, str]]) -> bool:
        """Create the tables and write version 1 from `seed()` when the store is empty. True when it seeded.

        A store already seeded whose tables and views have the columns datapackage.json declares is only read: a
        write transaction at every start was most of the time a restarted server took to open its store (0.2-0.4 s,
        docs/performance.md, session 14)."""
        if self._ready():
            return False
        with self._writing() as con:
            con.execute(
                "CREATE TABLE IF NOT EXISTS versions (version INTEGER PRIMARY KEY, created_at TEXT NOT NULL, "
                "author TEXT NOT NULL, action TEXT NOT NULL, file_name TEXT NOT NULL, checksum TEXT NOT NULL, "
                "restores INTEGER, rows_added INTEGER NOT NULL, rows_changed INTEGER NOT NULL, "
                "rows_removed INTEGER NOT NULL)"
            )
            con.execute(
                "CREATE TABLE IF NOT EXISTS dataset (name TEXT NOT NULL, title TEXT NOT NULL, synthetic BOOLEAN NOT NULL)"
            )
            for name in TABLES:
                columns = ", ".join(f'"{f["name"]}" {SQL_TYPES[f["type"]]}' for f in fields(name))
                con.execute(
                    f"CREATE TABLE IF NOT EXISTS {name}_history ({columns}, added_in INTEGER NOT NULL, removed_in INTEGER)"
                )
                self._add_new_columns(con, name)
                selected = ", ".join(f'"{c}"' for c in field_names(name))
                con.execute(
                    f"CREATE OR REPLACE VIEW {name} AS SELECT {selected} FROM {name}_history WHERE removed_in IS NULL"
                )
            if self.db.rows(con, "SELECT count(*) FROM versions")[0][0]:
                return False
            tables, info, origin = seed()
            con.execute(self._sql("INSERT INTO dataset VALUES (%s, %s, %s)"), [info.name, info.title, info.synthetic])
            empty = {name: arrow_schema(name).empty_table() for name in TABLES}
            self._write_version(con, 1, empty, tables, "seed", origin, content_checksum(tables), None, "seed")
            return True

    def _ready(self) -> bool:
        """Seeded, with every column of datapackage.json in each table's history and, in order, in its view."""
        try:
            with self.db.connection(write=False) as con:
                if not self.db.rows(con, "SELECT count(*) FROM versions")[0][0]:
                    return False
                listed = self.db.rows(
                    con,
                    "SELECT table_name, column_name FROM information_schema.columns "
                    "WHERE table_schema = current_schema() ORDER BY table_name, ordinal_position",
                )
        except self.db.errors:  # no store yet (no versions table), or none that answers: the writing path says why
            return False
        columns: dict[str, list[str]] = {}
        for table, column in listed:
            columns.setdefault(table, []).append(column)
        return all(
            columns.get(name) == field_names(name) and set(field_names(name)) <= set(columns.get(f"{name}_history", ()))
            for name in TABLES
        )

    def _add_new_columns(self, con, name: str) -> None:
        """Columns datapackage.json gained since the store was created (indicators.visibility, for one), added
        empty: earlier versions stay as they were written, and readers give an empty cell its default."""
        known = {
            row[0]
            for row in self.db.rows(
                con,
                self._sql(
                    "SELECT column_name FROM information_schema.columns "
                    "WHERE table_name = %s AND table_schema = current_schema()"
                ),
                [f"{name}_history"],
            )
        }
        for field in fields(name):
            if field["name"] not in known:
                con.execute(f'ALTER TABLE {name}_history ADD COLUMN "{field["name"]}" {SQL_TYPES[field["type"]]}')

    def create_view(self, name: str, sql: str) -> None:
        """(Re)define a view computed from the current tables (compiled by Ibis, never from user input)."""
        with self._writing() as con:
            con.execute(f"CREATE OR REPLACE VIEW {name} AS {sql}")

    # --- reading ---

    def current_version(self) -> int:
        with self.db.connection(write=False) as con:
            return self._current(con)

    def _current(self, con) -> int:
        [(number,)] = self.db.rows(con, "SELECT max(version) FROM versions")
        if number is None:
            raise HistoryError("the store has no version yet")
        return number

    def dataset_info(self) -> DatasetInfo:
        with self.db.connection(write=False) as con:
            [(name, title, synthetic)] = self.db.rows(con, "SELECT name, title, synthetic FROM dataset")
        return DatasetInfo(name, title, bool(synthetic))

    def versions(self) -> list[Version]:
        with self.db.connection(write=False) as con:
            rows = self.db.rows(
                con,
                "SELECT version, created_at, author, action, file_name, checksum, restores, rows_added, rows_changed, "
                "rows_removed FROM versions ORDER BY version DESC",
            )
        return [Version(r[0], datetime.fromisoformat(r[1]), *r[2:]) for r in rows]

    def tables(self, version: int | None = None) -> tuple[int, Tables]:
        """The content of a version (by default the current one), read in one consistent snapshot."""
        with self.db.connection(write=False) as con:
            return self._tables(con, version)

    def _number(self, con, version: int | None) -> int:
        """`version`, or the current one when it is None; a version that does not exist is refused."""
        current = self._current(con)
        number = current if version is None else version
        if not 1 <= number <= current:
            raise HistoryError(f"there is no version {number}: versions go from 1 to {current}")
        return number

    def _tables(self, con, version: int | None) -> tuple[int, Tables]:
        number = self._number(con, version)
        tables = {}
        for name in TABLES:
            schema = arrow_schema(name)
            sql = self._sql(f'{_rows_in_version(name)} ORDER BY "{primary_key(name)}"')
            fetched = self.db.fetch_arrow(con, sql, [number, number])
            tables[name] = fetched.cast(schema) if fetched.num_rows else schema.empty_table()
        return number, tables

    def copy_version(self, number: int, target: Path, settings: dict[str, str | bool]) -> None:
        """Write version `number`'s tables into a new DuckDB file `target` (embedded store only), in one consistent
        read and inside DuckDB: ten million rows never pass through Python. `settings` (memory_limit, ...) apply to
        the reading connection."""
        if not isinstance(self.db, _DuckDBFile):
            raise HistoryError("only an embedded DuckDB store is copied to a file")
        with self.db.connection(write=False) as con:
            for name, value in settings.items():
                con.execute(f"SET {name} = {_literal(value)}")
            self._number(con, number)
            # The reading connection is read-only (writers wait on the lock meanwhile); the copy is attached for writing.
            con.execute(f"ATTACH {_literal(str(target))} AS version_copy (READ_WRITE)")
            try:
                for name in TABLES:
                    copy = self._sql(f"CREATE TABLE version_copy.{name} AS {_rows_in_version(name)}")
                    con.execute(copy, [number, number])
            finally:
                con.execute("DETACH version_copy")

    def stamp(self):
        """A value that changes when a version is committed, when that is cheap to know (DuckDB); else None."""
        return self.db.stamp()

    # --- writing ---

    def preview(self, data: bytes, file_name: str, mode: str = "update") -> tuple[object, Change, list]:
        """Read a file and check it against the current version: (the upload, what importing it would change, every
        problem). Nothing is written; with any problem the change is empty."""
        from dashboard import validation

        _, current = self.tables()
        upload, problems = validation.validate(data, file_name, current, mode)
        if upload is None or problems:
            return upload, Change(()), problems
        return upload, diff(current, validation.merge(current, upload, mode)), []

    def import_upload(
        self, upload, author: str, mode: str = "update", *, after_write: Callable | None = None
    ) -> Version:
        """Write the upload as a new version, validated against the current version at the moment it commits.

        `after_write` runs once every row is written and before the commit: the crash tests stop the process there.
        """
        from dashboard import validation

        with self._writing() as con:
            number, current = self._tables(con, None)
            problems = validation.check(upload, current, mode)
            if problems:
                raise ImportRefused(problems)
            candidate = validation.merge(current, upload, mode)
            version = self._write_version(
                con, number + 1, current, candidate, author, upload.file_name, upload.checksum, None, "import"
            )
            if after_write:
                after_write()
            return version

    def rollback(self, number: int, author: str) -> Version:
        """Make version `number`'s content current again, as a new version that says which one it restores."""
        with self._writing() as con:
            current_number, current = self._tables(con, None)
            if number == current_number:
                raise HistoryError(f"version {number} is already the current version")
            _, target = self._tables(con, number)
            return self._write_version(
                con, current_number + 1, current, target, author, f"version {number}", content_checksum(target),
                number, "rollback",
            )  # fmt: skip

    def _write_version(
        self, con, number: int, current: Tables, candidate: Tables, author: str, file_name: str, checksum: str,
        restores: int | None, action: str,
    ) -> Version:  # fmt: skip
        change = diff(current, candidate)
        for table in change.tables:
            key = primary_key(table.table)
            closed = table.removed[key].to_pylist() + table.after[key].to_pylist()
            if closed:
                self.db.close_rows(con, f"{table.table}_history", key, closed, number)
            opened = pa.concat_tables([table.added, table.after])
            if opened.num_rows:
                opened = opened.append_column("added_in", pa.array(np.full(opened.num_rows, number, np.int32)))
                self.db.insert(con, f"{table.table}_history", opened.column_names, opened)
        created = datetime.now(UTC).replace(microsecond=0)
        con.execute(
            self._sql("INSERT INTO versions VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)"),
            [number, created.isoformat(), author, action, file_name, checksum, restores,
             change.added, change.changed, change.removed],
        )  # fmt: skip
        return Version(number, created, author, action, file_name, checksum, restores, change.added, change.changed,
                       change.removed)  # fmt: skip
