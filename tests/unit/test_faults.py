"""Faults under the command line and the store: a damaged dataset folder, store or snapshot; a disk that is full or
read-only during an import (a real tmpfs, mounted as root); a PostgreSQL server that stops and starts again. Each
ends in one clear line and exit code 1 (never a traceback), and the previous version stays current and readable."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest

from dashboard import store as store_module
from dashboard.history import History, content_checksum
from dashboard.store import DataFileError, StoreUnavailable, current_store, read_folder
from tests.conftest import ROOT, fill_disk
from tests.uploads import many_new_figures


def dashboard(*args: str, url: str, data: Path | None = None) -> subprocess.CompletedProcess:
    """`python -m dashboard …` on the store at `url` (seeded from `data` when given)."""
    env = {**os.environ, "DASHBOARD_DATABASE_URL": url}
    if data is not None:
        env["DASHBOARD_DATA_DIR"] = str(data)
    result = subprocess.run(
        [sys.executable, "-m", "dashboard", *args], cwd=ROOT, capture_output=True, text=True, timeout=120, env=env
    )
    assert "Traceback" not in result.stderr, result.stderr
    return result


def big_upload(folder: Path, rows: int = 1000) -> Path:
    path = folder / "big.csv"
    path.write_bytes(many_new_figures(rows))
    return path


def current_content(url: str) -> tuple[int, str]:
    """The current version's number and the checksum of its rows."""
    number, tables = History(url).tables()
    return number, content_checksum(tables)


# --- the dataset folder, the store file, the snapshots --------------------------------------------------------------


@pytest.mark.parametrize(
    ("damage", "said"),
    [
        (lambda data: (data / "entities.csv").unlink(), "entities.csv is missing."),
        (lambda data: (data / "datapackage.json").write_text("{"), "datapackage.json is not valid JSON"),
    ],
    ids=["csv missing", "datapackage.json not json"],
)
def test_a_damaged_dataset_folder_is_one_line_naming_the_file_and_the_fix(damage, said, dataset_copy, tmp_path):
    data = dataset_copy
    damage(data)
    result = dashboard("facts", url=f"duckdb:///{tmp_path / 'store.duckdb'}", data=data)
    assert result.returncode == 1 and not result.stdout
    assert said in result.stderr and "python -m dashboard demo --rows N --out" in result.stderr


def test_the_bundled_dataset_is_said_to_be_rebuilt_with_make_data(dataset_copy, monkeypatch):
    data = dataset_copy
    (data / "observations.csv").write_bytes(b"\x00\xff" * 1000)
    monkeypatch.setattr(store_module, "BUNDLED_DATA", data)  # as if it were data/ itself
    with pytest.raises(DataFileError, match=r"observations\.csv does not match .* `make data`.*git checkout -- data/"):
        read_folder(data)


def test_a_corrupt_store_file_is_one_line_saying_to_restore_it(tmp_path):
    store_file = tmp_path / "store.duckdb"
    store_file.write_bytes(b"not a database" * 1000)
    result = dashboard("versions", url=f"duckdb:///{store_file}")
    assert result.returncode == 1
    assert "not a valid DuckDB database file" in result.stderr
    assert f"Restore {store_file} from your latest backup" in result.stderr


def test_a_corrupt_snapshot_is_written_again_by_the_next_process(tmp_path):
    url = f"duckdb:///{tmp_path / 'store.duckdb'}"
    assert dashboard("facts", url=url).stdout.count("\n") == 132  # a header and 131 figures, from the snapshot
    (snapshot,) = (tmp_path / "snapshots").glob("store-v1-*.duckdb")
    snapshot.write_bytes(b"\x00" * snapshot.stat().st_size)

    result = dashboard("facts", url=url)
    assert result.returncode == 0 and result.stdout.count("\n") == 132


# --- a full or read-only disk during an import ------------------------------------------------------------------


def test_an_import_on_a_full_disk_fails_cleanly_and_the_previous_version_stays_current(small_disk, tmp_path):
    url = f"duckdb:///{small_disk / 'dashboard.duckdb'}"
    versions, content = dashboard("versions", url=url).stdout, current_content(url)
    upload = big_upload(tmp_path)
    filler = fill_disk(small_disk)

    result = dashboard("import", str(upload), url=url)

    assert result.returncode == 1, result.stderr
    assert "No space left on device" in result.stderr
    assert "Nothing was written: the previous version is still the current one." in result.stderr
    assert dashboard("versions", url=url).stdout == versions
    assert current_content(url) == content

    filler.unlink()  # space again: the same import goes through, on a store the failure left whole
    assert dashboard("import", str(upload), url=url).returncode == 0
    assert dashboard("versions", url=url).stdout.splitlines()[2].startswith("*  2 ")


def test_an_import_on_a_read_only_disk_fails_cleanly_and_the_previous_version_stays_current(small_disk, tmp_path):
    url = f"duckdb:///{small_disk / 'dashboard.duckdb'}"
    versions, content = dashboard("versions", url=url).stdout, current_content(url)
    upload = big_upload(tmp_path, rows=10)
    subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], check=True)
    try:
        result = dashboard("import", str(upload), url=url)
    finally:
        subprocess.run(["mount", "-o", "remount,rw", str(small_disk)], check=True)

    assert result.returncode == 1, result.stderr
    assert "Read-only file system" in result.stderr and f"The folder {small_disk} must be writable" in result.stderr
    assert dashboard("versions", url=url).stdout == versions
    assert current_content(url) == content


# --- PostgreSQL stopped and started again -----------------------------------------------------------------------


@pytest.fixture
def pg_url(stoppable_postgres, monkeypatch) -> str:
    stoppable_postgres.start()  # a no-op unless a test failed while it was stopped
    url = stoppable_postgres.create_database()
    monkeypatch.setenv("DASHBOARD_DATABASE_URL", url)
    return url


def count(store) -> int:
    return int(store.execute(store.table("observations").count()))


def test_a_connection_the_server_closed_is_opened_again_and_a_stopped_server_is_unavailable(stoppable_postgres, pg_url):
    store = current_store()
    assert count(store) == 131

    stoppable_postgres.stop()
    stoppable_postgres.start()  # the store's connection died with the old server process
    assert count(store) == 131

    stoppable_postgres.stop()
    with pytest.raises(StoreUnavailable, match="does not answer"):
        count(store)
    with pytest.raises(StoreUnavailable, match="does not answer"):
        current_store()

    stoppable_postgres.start()
    assert current_store() is store and count(store) == 131


def test_the_commands_say_a_stopped_server_does_not_answer(stoppable_postgres, pg_url, tmp_path):
    assert dashboard("versions", url=pg_url).returncode == 0
    upload = big_upload(tmp_path, rows=10)
    stoppable_postgres.stop()
    result = dashboard("import", str(upload), url=pg_url)
    assert result.returncode == 1 and "does not answer" in result.stderr and "Connection refused" in result.stderr
    stoppable_postgres.start()
    assert dashboard("versions", url=pg_url).stdout.count("\n") == 3  # a title, a header and version 1


def test_a_query_cancelled_by_a_timeout_is_not_an_unavailable_server(stoppable_postgres, pg_url):
    with psycopg.connect(pg_url) as con, pytest.raises(psycopg.errors.QueryCanceled) as cancelled:
        con.execute("SET statement_timeout = 1")
        con.execute("SELECT pg_sleep(1)")
    assert not store_module._unreachable(cancelled.value)
