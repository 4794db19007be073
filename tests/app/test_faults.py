"""Faults the app meets at start or while it runs, through AppTest: a damaged dataset folder, store or snapshot, a
PostgreSQL server that stops and starts again, a disk that fills up under an import from /admin. Each gives a page
that says what is wrong and how to fix it, or that the data is temporarily unavailable; never a traceback, and
nothing is written."""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from dashboard import store as store_module
from dashboard.auth import LOGIN_LIMITER, hash_password
from tests.app.test_pages import APP, texts
from tests.conftest import fill_disk
from tests.postgres_server import PostgresServer
from tests.uploads import many_new_figures

UNAVAILABLE = {"en": "The data is temporarily unavailable", "fr": "Les données sont momentanément indisponibles"}


def digest(folder: Path) -> dict[str, str]:
    if not folder.is_dir():
        return {}
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir()) if p.is_file()}


def run(**query: str | list[str]) -> AppTest:
    app = AppTest.from_file(APP, default_timeout=60)
    for key, value in query.items():
        app.query_params[key] = value
    return app.run()


def tables_in(store_file: Path) -> list[str]:
    """The tables a DuckDB store file holds (none when it was never written)."""
    if not store_file.exists():
        return []
    with duckdb.connect(str(store_file), read_only=True) as con:
        return [name for (name,) in con.execute("SELECT table_name FROM information_schema.tables").fetchall()]


@pytest.fixture
def dataset(dataset_copy, tmp_path, monkeypatch) -> tuple[Path, Path]:
    """A copy of the dataset as DASHBOARD_DATA_DIR and a new DuckDB store of this test's own."""
    data, store_file = dataset_copy, tmp_path / "store" / "dashboard.duckdb"
    monkeypatch.setenv("DASHBOARD_DATA_DIR", str(data))
    monkeypatch.setenv("DASHBOARD_DATABASE_URL", f"duckdb:///{store_file}")
    return data, store_file


# --- the dataset folder the store is seeded from ------------------------------------------------------------------

DATASET_FAULTS = {
    "folder missing": (lambda data: shutil.rmtree(data), "datapackage.json is missing"),
    "csv missing": (lambda data: (data / "sources.csv").unlink(), "sources.csv is missing"),
    "csv bad header": (
        lambda data: (data / "sources.csv").write_text("id,name\nx,y\n"),
        "sources.csv does not match its schema in datapackage.json (Column 'source_id'",
    ),
    "csv binary garbage": (
        lambda data: (data / "observations.csv").write_bytes(bytes(range(256)) * 64),
        "observations.csv does not match its schema in datapackage.json",
    ),
    "datapackage.json missing": (lambda data: (data / "datapackage.json").unlink(), "datapackage.json is missing"),
    "datapackage.json not json": (
        lambda data: (data / "datapackage.json").write_text('{"resources": ['),
        "datapackage.json is not valid JSON",
    ),
    "datapackage.json not a package": (
        lambda data: (data / "datapackage.json").write_text("[]"),
        "datapackage.json is not a data package",
    ),
}


@pytest.mark.parametrize("fault", list(DATASET_FAULTS))
def test_a_damaged_dataset_folder_gives_an_error_page_naming_the_file_and_the_fix(fault, dataset):
    data, store_file = dataset
    damage, said = DATASET_FAULTS[fault]
    damage(data)
    before = digest(data)

    app = run()

    assert not app.exception, [e.value for e in app.exception]
    (error,) = [e.value for e in app.error]
    message = texts(app)
    assert "The dashboard cannot show its data" in error
    assert said in message, message
    assert f"python -m dashboard demo --rows N --out {data}" in message  # how to make the folder again
    assert not app.metric
    assert digest(data) == before and tables_in(store_file) == []  # nothing written, the folder untouched


def test_the_store_is_seeded_once_the_dataset_folder_is_back(dataset):
    data, store_file = dataset
    (data / "observations.csv").rename(data.parent / "observations.csv")
    assert "observations.csv is missing" in texts(run())

    (data.parent / "observations.csv").rename(data / "observations.csv")
    app = run()
    assert not app.exception and not app.error
    assert len(app.metric) == 6 and "observations_history" in tables_in(store_file)


# --- the store file and its snapshots ------------------------------------------------------------------------------


def test_a_store_file_of_garbage_gives_an_error_page_saying_to_restore_it(dataset):
    _, store_file = dataset
    store_file.parent.mkdir()
    store_file.write_bytes(os.urandom(64 * 1024))
    before = store_file.read_bytes()

    app = run()

    assert not app.exception and not app.metric
    message = texts(app)
    assert (
        f"The store DuckDB {store_file} cannot be opened" in message and "not a valid DuckDB database file" in message
    )
    assert f"Restore {store_file} from your latest backup" in message
    assert store_file.read_bytes() == before


def test_a_store_that_cannot_be_read_gives_an_error_page_saying_so(dataset):
    _, store_file = dataset
    store_file.mkdir(parents=True)  # as root, chmod cannot make a file unreadable: a folder where the file should be

    app = run()

    assert not app.exception and not app.metric
    message = texts(app)
    assert f"The store DuckDB {store_file} cannot be opened" in message and "Is a directory" in message
    assert store_file.is_dir() and not any(store_file.iterdir())


@pytest.mark.parametrize("damage", ["garbage", "cut short"])
def test_a_damaged_snapshot_is_written_again_and_the_page_is_served(damage, dataset):
    _, store_file = dataset
    assert len(run().metric) == 6
    (snapshot,) = (store_file.parent / "snapshots").glob("dashboard-v1-*.duckdb")
    size = snapshot.stat().st_size
    if damage == "garbage":
        snapshot.write_bytes(os.urandom(size))
    else:
        snapshot.write_bytes(snapshot.read_bytes()[: size // 2])  # DuckDB would only fail on a query reaching the end
    store_module._duckdb_store.cache_clear()  # the snapshot is opened again, as by a new app process

    app = run()

    assert not app.exception and not app.error
    assert len(app.metric) == 6
    assert snapshot.stat().st_size == size  # whole again: the page's figures were read from it


# --- PostgreSQL stopped while the app runs -----------------------------------------------------------------------


@pytest.fixture
def on_postgres(stoppable_postgres, monkeypatch) -> PostgresServer:
    stoppable_postgres.start()  # a no-op unless a test failed while it was stopped
    monkeypatch.setenv("DASHBOARD_DATABASE_URL", stoppable_postgres.create_database())
    return stoppable_postgres


def assert_unavailable(app: AppTest, lang: str = "en") -> None:
    assert not app.exception, [e.value for e in app.exception]
    assert not app.error and not app.metric
    (warning,) = [w.value for w in app.warning]
    assert UNAVAILABLE[lang] in warning


def test_pages_say_the_data_is_unavailable_while_postgresql_is_stopped_and_come_back_when_it_starts(on_postgres):
    app = run()
    assert len(app.metric) == 6

    on_postgres.stop()
    app.run()
    assert_unavailable(app)
    app.run()  # asking again while it is still stopped changes nothing
    assert_unavailable(app)

    on_postgres.start()  # same folder and port: the app's connection to it was closed by the stop
    app.run()
    assert not app.exception and not app.warning and len(app.metric) == 6
    app.multiselect(key="country").set_value(["SEN"]).run()  # new questions, on a connection opened again
    assert not app.exception and not [w for w in app.warning if UNAVAILABLE["en"] in w.value]
    assert "Senegal" in texts(app)


def test_a_server_stopped_before_the_first_page_gives_the_same_page_in_french(on_postgres):
    on_postgres.stop()  # the store was never opened: not even created yet
    app = run(lang="fr")
    assert_unavailable(app, "fr")

    on_postgres.start()
    app.run()
    assert not app.exception and len(app.metric) == 6 and app.title[0].value == "Le Groupe SOS en un coup d'œil"


def test_a_wrong_database_name_is_an_error_to_fix_not_a_wait(on_postgres, monkeypatch):
    monkeypatch.setenv("DASHBOARD_DATABASE_URL", on_postgres.url("no_such_database"))
    app = run()
    assert not app.exception and not app.warning
    message = texts(app)
    assert 'database "no_such_database" does not exist' in message and "Check the URL" in message


# --- a disk that fills up under an import from /admin ------------------------------------------------------------

PASSWORD = "correct horse battery staple"


def test_an_import_on_a_full_disk_fails_cleanly_and_the_previous_version_stays_served(small_disk, monkeypatch):
    monkeypatch.setenv("DASHBOARD_DATABASE_URL", f"duckdb:///{small_disk / 'dashboard.duckdb'}")
    LOGIN_LIMITER.reset()
    app = AppTest.from_file(APP, default_timeout=60)
    app.secrets["admin"] = {"users": {"alice": hash_password(PASSWORD)}}
    app.run()
    assert len(app.metric) == 6  # version 1 served, its snapshot written
    app.switch_page("app_pages/admin.py").run()
    app.text_input(key="login-username").input("alice")
    app.text_input(key="login-password").input(PASSWORD)
    app.button(key="login-submit").click().run()
    app.get("file_uploader")[0].upload("big.csv", many_new_figures(1000), "text/csv").run()
    assert not app.exception, [e.value for e in app.exception]

    fill_disk(small_disk)
    next(b for b in app.button if b.label == "Import as version 2").click().run()

    assert not app.exception, [e.value for e in app.exception]
    (error,) = [e.value for e in app.error]
    assert "No space left on device" in error and "Nothing was written" in error
    versions = next(frame.value for frame in app.dataframe if "Version" in frame.value.columns)["Version"]
    assert list(versions) == ["1 · current"]
    app.switch_page("app_pages/overview.py").run()
    assert not app.exception and not app.error and len(app.metric) == 6
    assert "Employees" in texts(app)
