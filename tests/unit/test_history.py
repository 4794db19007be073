"""The versioned store, on an embedded DuckDB file and on a real PostgreSQL server: versions, atomicity, rollback,
crashes and concurrent imports."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

from dashboard.history import History, HistoryError, ImportRefused, content_checksum
from dashboard.store import read_folder
from tests.conftest import DATA, ROOT
from tests.uploads import NEW_FIGURE, existing_figure, observations_csv, upload_of

WORKER = ROOT / "tests" / "import_worker.py"


@pytest.fixture
def url(store_url):
    return store_url


@pytest.fixture
def history(url):
    store = History(url)
    assert store.initialise(lambda: (*read_folder(DATA), "data"))
    return store


def values(history: History, observation_id: str, version: int | None = None) -> list[float]:
    _, tables = history.tables(version)
    return [r["value"] for r in tables["observations"].to_pylist() if r["observation_id"] == observation_id]


def test_a_new_store_is_seeded_with_the_bundled_data_as_version_1(history):
    number, tables = history.tables()
    seed, info = read_folder(DATA)
    assert number == 1
    assert content_checksum(tables) == content_checksum(seed)
    assert tables["observations"].num_rows == 131
    (version,) = history.versions()
    assert (version.number, version.action, version.added) == (1, "seed", sum(t.num_rows for t in seed.values()))
    assert history.dataset_info() == info


def test_initialising_again_does_not_seed_again(history):
    assert not history.initialise(lambda: pytest.fail("seeded twice"))
    assert len(history.versions()) == 1


def test_a_restart_only_reads_a_store_already_seeded(history, url, monkeypatch):
    monkeypatch.setattr(History, "_writing", lambda self: pytest.fail("a store already seeded was written at start"))
    assert not History(url).initialise(lambda: pytest.fail("seeded twice"))


def test_an_import_writes_a_new_version_and_keeps_the_previous_one(history):
    upload = upload_of(NEW_FIGURE, name="figures-2025.csv")
    version = history.import_upload(upload, author="alice")
    assert (version.number, version.author, version.file_name, version.checksum) == (
        2, "alice", "figures-2025.csv", upload.checksum,
    )  # fmt: skip
    assert (version.added, version.changed, version.removed) == (1, 0, 0)
    assert values(history, "obs-900") == [23000]
    assert values(history, "obs-900", version=1) == []
    assert [v.number for v in history.versions()] == [2, 1]


def test_a_changed_row_is_counted_as_changed_and_its_old_value_stays_in_history(history):
    corrected = {**existing_figure("obs-005"), "value": "4100"}
    version = history.import_upload(upload_of(corrected), author="alice")
    assert (version.added, version.changed, version.removed) == (0, 1, 0)
    assert values(history, "obs-005") == [4100]
    assert values(history, "obs-005", version=1) == [4000]


def test_replace_mode_removes_rows_absent_from_the_sheet_and_history_keeps_them(history):
    version = history.import_upload(upload_of(existing_figure("obs-005")), author="alice", mode="replace")
    assert (version.added, version.changed, version.removed) == (0, 0, 130)
    _, tables = history.tables()
    assert tables["observations"].num_rows == 1
    assert history.tables(1)[1]["observations"].num_rows == 131


def test_rollback_makes_an_earlier_content_current_as_a_new_version(history):
    history.import_upload(upload_of(NEW_FIGURE), author="alice")
    history.import_upload(upload_of({**existing_figure("obs-005"), "value": "4100"}), author="bob")
    restored = history.rollback(1, author="carol")
    assert (restored.number, restored.action, restored.restores, restored.author) == (4, "rollback", 1, "carol")
    assert (restored.added, restored.changed, restored.removed) == (0, 1, 1)
    assert content_checksum(history.tables()[1]) == content_checksum(history.tables(1)[1])
    again = history.rollback(3, author="carol")
    assert values(history, "obs-900") == [23000] and values(history, "obs-005") == [4100]
    assert again.number == 5


def test_rolling_back_to_the_current_or_a_missing_version_is_refused(history):
    with pytest.raises(HistoryError, match="already the current"):
        history.rollback(1, author="alice")
    with pytest.raises(HistoryError, match="no version 7"):
        history.rollback(7, author="alice")
    assert len(history.versions()) == 1


def test_an_upload_that_does_not_validate_writes_nothing(history):
    unknown = {**NEW_FIGURE, "indicator_id": "happiness"}
    with pytest.raises(ImportRefused) as refused:
        history.import_upload(upload_of(unknown), author="alice")
    assert refused.value.problems[0].column == "indicator_id"
    assert len(history.versions()) == 1 and values(history, "obs-900") == []


def test_preview_names_the_change_and_writes_nothing(history):
    upload, change, problems = history.preview(
        observations_csv(NEW_FIGURE, {**existing_figure("obs-005"), "value": "4100"}), "observations.csv"
    )
    assert upload is not None and not problems
    assert (change.added, change.changed, change.removed) == (1, 1, 0)
    observations = next(t for t in change.tables if t.table == "observations")
    ((before, after),) = observations.changed()
    assert before["value"] == 4000 and after["value"] == 4100
    assert len(history.versions()) == 1


def test_preview_lists_the_problems_of_the_cells_and_of_the_rows_together(history):
    not_a_number = {**NEW_FIGURE, "value": "lots"}
    unknown = {**NEW_FIGURE, "observation_id": "obs-901", "country_iso3": "XXX"}
    _, change, problems = history.preview(observations_csv(not_a_number, unknown), "observations.csv")
    assert change.empty
    assert {(p.row, p.column) for p in problems} >= {(2, "value"), (3, "country_iso3")}
    assert len(history.versions()) == 1


def _worker(url: str, file, *extra: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, str(WORKER), url, str(file), *extra], cwd=ROOT, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)},
    )  # fmt: skip


def _wait_for(path, process: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not path.exists():
        if process.poll() is not None:
            pytest.fail(f"the import stopped before writing its rows: {process.stderr.read()}")
        if time.monotonic() > deadline:
            pytest.fail("the import did not reach the end of its writes")
        time.sleep(0.05)  # polling interval; the condition is the marker file


def test_an_import_killed_before_it_commits_leaves_the_previous_version_current(history, url, tmp_path):
    big = [{**NEW_FIGURE, "observation_id": f"obs-{9000 + i}", "value": str(i)} for i in range(2000)]
    file = tmp_path / "big.csv"
    file.write_bytes(observations_csv(*big))
    marker = tmp_path / "written"
    process = _worker(url, file, "--hang-after-write", str(marker))
    _wait_for(marker, process)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()

    reopened = History(url)  # as the app or the next command would, after the crash
    number, tables = reopened.tables()
    assert number == 1 and tables["observations"].num_rows == 131
    assert [v.number for v in reopened.versions()] == [1]
    assert reopened.import_upload(upload_of(NEW_FIGURE), author="alice").number == 2  # and the store still writes


def test_concurrent_imports_are_serialised_and_none_is_lost_or_mixed(history, url, tmp_path):
    files = []
    for i in range(4):
        file = tmp_path / f"import-{i}.csv"
        file.write_bytes(observations_csv({**NEW_FIGURE, "observation_id": f"obs-{950 + i}", "value": str(i)}))
        files.append(file)
    processes = [_worker(url, file) for file in files]
    for process in processes:
        assert process.wait(timeout=120) == 0, process.stderr.read()

    versions = history.versions()
    assert [v.number for v in versions] == [5, 4, 3, 2, 1]
    assert all((v.added, v.changed, v.removed) == (1, 0, 0) for v in versions[:4])
    assert sorted(v.file_name for v in versions[:4]) == [f.name for f in files]
    for version in versions[:4]:  # each version is its predecessor plus exactly its own row
        _, before = history.tables(version.number - 1)
        _, after = history.tables(version.number)
        new = {r["observation_id"] for r in after["observations"].to_pylist()} - {
            r["observation_id"] for r in before["observations"].to_pylist()
        }
        assert len(new) == 1 and version.file_name == f"import-{int(new.pop()[-1])}.csv"


def test_a_store_made_before_a_column_existed_gains_it_empty_and_keeps_its_versions(history, url):
    with history._writing() as con:  # the store as written before indicators.visibility existed
        con.execute("DROP VIEW indicators")
        con.execute("ALTER TABLE indicators_history DROP COLUMN visibility")
    versions = [v.number for v in history.versions()]
    assert not History(url).initialise(lambda: pytest.fail("seeded again"))
    _, tables = History(url).tables()
    assert set(tables["indicators"].column("visibility").to_pylist()) == {None}  # read as public
    assert [v.number for v in History(url).versions()] == versions
