"""The embedded store's snapshots: each version served from a DuckDB file of its own, opened read-only, written once,
replaced when a new version is committed, and removed when no longer needed."""

from __future__ import annotations

import os
import subprocess
import sys

import duckdb
import pyarrow as pa
import pytest

import dashboard.store as store_module
from dashboard.history import History, HistoryError
from dashboard.queries import year_bounds
from dashboard.schema import TABLES, primary_key
from dashboard.store import (
    SNAPSHOT_MEMORY,
    SNAPSHOT_NAME,
    SUPERSEDED_MEMORY,
    DataFileError,
    _duckdb_store,
    _ensure_snapshot,
    _in_memory,
    current_store,
    write_snapshot,
)
from dashboard.views import FIGURES_VIEW
from tests.conftest import DATA, ROOT
from tests.uploads import NEW_FIGURE, existing_figure, observations_csv, upload_of


@pytest.fixture
def url(tmp_path, monkeypatch) -> str:
    """The configured store, for this test only: a DuckDB file seeded from data/ on first use."""
    url = f"duckdb:///{tmp_path / 'dashboard.duckdb'}"
    monkeypatch.setenv("DASHBOARD_DATABASE_URL", url)
    monkeypatch.setenv("DASHBOARD_DATA_DIR", str(DATA))
    return url


@pytest.fixture
def snapshots(tmp_path):
    return tmp_path / "snapshots"


def snapshot_files(folder) -> list[str]:
    return sorted(path.name for path in folder.iterdir() if SNAPSHOT_NAME.fullmatch(path.name))


def private_files(folder) -> list[str]:
    return sorted(path.name for path in folder.iterdir() if path.name.startswith("."))


def import_figure(url: str, observation_id: str, value: str = "1") -> int:
    upload = upload_of({**NEW_FIGURE, "observation_id": observation_id, "value": value})
    return History(url).import_upload(upload, author="test").number


def rows(store, name: str) -> pa.Table:
    key = "observation_id" if name == FIGURES_VIEW else primary_key(name)
    with store.lock:
        return store.table(name).to_pyarrow().sort_by(key)


def memory_limit(store) -> str:
    with store.lock:
        return store.con.raw_sql("SELECT current_setting('memory_limit')").fetchone()[0]


def as_duckdb_shows(limit: str) -> str:
    with duckdb.connect(config={"memory_limit": limit}) as con:
        return con.execute("SELECT current_setting('memory_limit')").fetchone()[0]


def test_a_snapshot_holds_what_an_in_memory_copy_of_its_version_holds(url):
    current_store()  # seeds version 1
    History(url).import_upload(upload_of({**existing_figure("obs-005"), "value": "4100"}, NEW_FIGURE), author="test")
    store = current_store()
    number, tables = History(url).tables()
    in_memory = _in_memory(tables, History(url).dataset_info(), "memory", number)

    assert store.version == number == 2
    for name in (*TABLES, FIGURES_VIEW):
        assert store.table(name).columns == in_memory.table(name).columns, name
        assert rows(store, name).equals(rows(in_memory, name)), name
    figures = rows(store, FIGURES_VIEW).to_pylist()
    assert [f["value"] for f in figures if f["observation_id"] == "obs-005"] == [4100]  # not the closed 4000
    assert len(figures) == 132


def test_a_snapshot_is_written_once_per_version_and_reused(url, snapshots):
    first = current_store()
    assert current_store() is first  # the file did not change: nothing is read again
    (name,) = snapshot_files(snapshots)
    written = (snapshots / name).stat()

    _duckdb_store.cache_clear()  # as a new process, or after the stamp changed with no new version, would open it
    again = current_store()
    assert again is not first and again.version == first.version == 1
    assert snapshot_files(snapshots) == [name]
    assert ((snapshots / name).stat().st_ino, (snapshots / name).stat().st_mtime_ns) == (
        written.st_ino, written.st_mtime_ns,
    )  # fmt: skip


@pytest.mark.parametrize("in_a_process", [False, True], ids=["small store, here", "large store, own process"])
def test_a_new_version_gets_a_new_snapshot_and_the_app_sees_it(url, snapshots, monkeypatch, in_a_process):
    if in_a_process:
        monkeypatch.setattr(store_module, "SMALL_STORE_BYTES", 0)
    before = current_store()
    assert import_figure(url, "obs-901") == 2
    after = current_store()

    assert (before.version, after.version) == (1, 2)
    assert after.execute(after.table("observations").count()) == 132
    assert after.execute(after.table(FIGURES_VIEW).count()) == 132
    assert [SNAPSHOT_NAME.fullmatch(n)["version"] for n in snapshot_files(snapshots)] == ["1", "2"]
    # A page run that started on the previous version finishes on it, with little memory left to it.
    assert before.execute(before.table("observations").count()) == 131
    assert memory_limit(before) == as_duckdb_shows(SUPERSEDED_MEMORY) != memory_limit(after)
    assert memory_limit(after) == as_duckdb_shows(SNAPSHOT_MEMORY)


def test_the_store_cannot_be_written(url):
    store = current_store()
    for statement in ("DELETE FROM observations", "CREATE TABLE scratch AS SELECT 1 AS x"):
        with pytest.raises(duckdb.Error, match="read-only"), store.lock:
            store.con.raw_sql(statement)
    assert store.execute(store.table("observations").count()) == 131


def test_an_import_from_another_process_succeeds_while_the_app_reads(url, tmp_path):
    store = current_store()
    file = tmp_path / "figure.csv"
    file.write_bytes(observations_csv({**NEW_FIGURE, "observation_id": "obs-902"}))
    worker = [sys.executable, str(ROOT / "tests" / "import_worker.py"), url, str(file)]
    done = subprocess.run(worker, cwd=ROOT, capture_output=True, text=True, timeout=120,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})  # fmt: skip

    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "2"
    assert store.execute(store.table("observations").count()) == 131  # still open, still its version
    assert current_store().version == 2


def test_only_the_current_and_the_previous_snapshots_are_kept(url, snapshots):
    current_store()
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    left_by_a_killed_write = snapshots / f".{gone.stdout.strip()}-dashboard-v9-000000000000.duckdb"
    left_by_a_killed_write.write_bytes(b"half a file")
    in_use = snapshots / f".{os.getpid()}-dashboard-v1-000000000000.duckdb.spill"
    in_use.mkdir()
    year_bounds(current_store())  # an answer kept beside the snapshot (dashboard/kept.py)
    for number, observation_id in enumerate(("obs-903", "obs-904", "obs-905"), start=2):
        assert import_figure(url, observation_id) == number
        year_bounds(current_store())

    assert [SNAPSHOT_NAME.fullmatch(n)["version"] for n in snapshot_files(snapshots)] == ["3", "4"]
    assert sorted(path.name for path in snapshots.glob("*.answers")) == [
        name.replace(".duckdb", ".answers") for name in snapshot_files(snapshots)
    ]  # the answers go with their snapshot
    assert not left_by_a_killed_write.exists()
    assert in_use.exists()  # this process is alive: it may still be using it


def test_two_processes_opening_the_same_new_version_share_one_valid_snapshot(url, snapshots):
    current_store()
    assert import_figure(url, "obs-906") == 2
    ask = (
        "from dashboard.store import current_store; s = current_store(); "
        "print(s.version, s.table('figures_ranked').count().execute())"
    )
    command = [sys.executable, "-c", ask]
    processes = [subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                 for _ in range(2)]  # fmt: skip
    answers = [process.communicate(timeout=120) for process in processes]

    assert [process.returncode for process in processes] == [0, 0], [err for _, err in answers]
    assert [out.strip() for out, _ in answers] == ["2 132", "2 132"]
    assert [SNAPSHOT_NAME.fullmatch(n)["version"] for n in snapshot_files(snapshots)] == ["1", "2"]
    assert private_files(snapshots) == []  # no half-written file, no spill folder left behind


@pytest.mark.parametrize("in_a_process", [False, True], ids=["small store, here", "large store, own process"])
def test_a_snapshot_that_cannot_be_written_leaves_nothing_and_says_why(url, snapshots, monkeypatch, in_a_process):
    current_store()
    if in_a_process:
        monkeypatch.setattr(store_module, "SMALL_STORE_BYTES", 0)
    path = snapshots / "dashboard-v9-000000000000.duckdb"
    with pytest.raises(HistoryError, match="no version 9"):
        write_snapshot(url, 9, path)
    with pytest.raises(DataFileError, match="no version 9"):
        _ensure_snapshot(url, 9, path)
    assert not path.exists() and private_files(snapshots) == []
