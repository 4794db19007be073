"""Fixtures shared by every test level: the bundled dataset, its catalog, and the reference it was built from."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pandas as pd
import pytest

from dashboard.metadata import load_catalog
from dashboard.store import open_store

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
REFERENCE = ROOT.parent / "shared" / "reference"


@pytest.fixture(scope="session", autouse=True)
def session_database(tmp_path_factory):
    """Every test that opens the configured store (AppTest pages, the CLI, the app server) gets one DuckDB file of
    its own for the session, seeded from data/, never the developer's var/dashboard.duckdb."""
    url = f"duckdb:///{tmp_path_factory.mktemp('store') / 'dashboard.duckdb'}"
    previous = os.environ.get("DASHBOARD_DATABASE_URL")
    os.environ["DASHBOARD_DATABASE_URL"] = url
    yield url
    if previous is None:
        del os.environ["DASHBOARD_DATABASE_URL"]
    else:
        os.environ["DASHBOARD_DATABASE_URL"] = previous


@pytest.fixture(scope="session")
def store():
    return open_store(DATA)


@pytest.fixture(scope="session")
def catalog():
    return load_catalog(open_store(DATA))


@pytest.fixture(scope="session")
def reference_dir() -> Path:
    if not (REFERENCE / "public-facts.csv").exists():
        pytest.fail(f"the reference files are expected at {REFERENCE} (shared/ beside the repository)")
    return REFERENCE


@pytest.fixture(scope="session")
def postgres_server():
    """A real PostgreSQL server (Debian's), started once per test session in a temporary folder and removed after."""
    from tests.postgres_server import PostgresServer

    server = PostgresServer()
    server.start()
    yield server
    server.close()


@pytest.fixture
def postgres_url(postgres_server) -> str:
    """The URL of a fresh, empty database on the session's server, dropped after the test."""
    postgres_server.start()  # a no-op unless an earlier test left the server stopped
    url = postgres_server.create_database()
    yield url
    if postgres_server.running:
        postgres_server.drop_database(url.rsplit("/", 1)[1])


@pytest.fixture(params=["duckdb", "postgres"])
def store_url(request, tmp_path) -> str:
    """An empty store of each kind: a DuckDB file in the test's folder, then a fresh PostgreSQL database."""
    if request.param == "duckdb":
        return f"duckdb:///{tmp_path / 'store.duckdb'}"
    return request.getfixturevalue("postgres_url")


@pytest.fixture(scope="session")
def hostile_files(tmp_path_factory) -> dict[str, Path]:
    """Every file of the hostile corpus by name: the committed ones, and the big or random ones made now."""
    from tests.hostile.build import COMMITTED, FILES, write_generated

    return {name: FILES / name for name in COMMITTED} | write_generated(tmp_path_factory.mktemp("hostile"))


# --- faults (tests/*/test_faults.py) ----------------------------------------------------------------------------


@pytest.fixture
def dataset_copy(tmp_path) -> Path:
    """The bundled dataset's tables and datapackage.json, copied: faults are made to the copy, never to data/."""
    folder = tmp_path / "data"
    folder.mkdir()
    for path in [*DATA.glob("*.csv"), DATA / "datapackage.json"]:
        shutil.copy(path, folder / path.name)
    return folder


@pytest.fixture
def small_disk(tmp_path):
    """A 16 MB tmpfs of its own: a real file system that fills up and can be made read-only (mounting needs root)."""
    if os.geteuid() != 0:
        pytest.skip("mounting a small file system needs root")
    disk = tmp_path / "disk"
    disk.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=16m", "tmpfs", str(disk)], check=True)
    yield disk
    subprocess.run(["umount", "--lazy", str(disk)], check=True)  # lazily: an app's caches may keep a snapshot open


def fill_disk(disk: Path, leave: int = 64 * 1024) -> Path:
    """Take all of a disk's space but `leave` bytes with one file, allocated for real (not sparse)."""
    filler = disk / "filler"
    stats = os.statvfs(disk)
    with filler.open("wb") as out:
        os.posix_fallocate(out.fileno(), 0, stats.f_bavail * stats.f_frsize - leave)
    return filler


@pytest.fixture(scope="module")
def stoppable_postgres():
    """A PostgreSQL server of the module's own, to stop and start: stopping the session's one would close the
    connections other modules keep."""
    from tests.postgres_server import PostgresServer

    server = PostgresServer()
    server.start()
    yield server
    server.close()


# The partner audience's test dataset: the bundled tables with three indicators made internal (one of them a headline
# KPI) and, in one table of siblings, a count of fewer than ten people next to a larger one.
INTERNAL_INDICATORS = {
    "net_result": ("Net result", "Résultat net"),
    "hospital_patients": ("Hospital patients", "Patients hospitaliers"),
    "employees": ("Employees", "Salariés"),
}
SMALL_COUNT_FIGURES = {"obs-small-1": ("djantoli", 4), "obs-small-2": ("play-international", 31)}


@pytest.fixture
def partner_dataset(dataset_copy) -> Path:
    """dataset_copy with INTERNAL_INDICATORS internal and SMALL_COUNT_FIGURES added (people trained in 2024 by two
    entities of the same sector)."""
    indicators = pd.read_csv(dataset_copy / "indicators.csv", dtype=str, keep_default_na=False)
    indicators.loc[indicators["id"].isin(INTERNAL_INDICATORS), "visibility"] = "internal"
    indicators.to_csv(dataset_copy / "indicators.csv", index=False)
    observations = pd.read_csv(dataset_copy / "observations.csv", dtype=str, keep_default_na=False)
    template = observations[observations["observation_id"] == "obs-095"].iloc[0]  # people trained, Planète Urgence
    added = [
        template.to_dict() | {"observation_id": key, "entity_id": entity, "value": str(value), "period": "2024",
                              "period_start": "2024-01-01", "period_end": "2024-12-31", "year": "2024",
                              "note": f"{value} people trained", "note_fr": f"{value} personnes formées"}
        for key, (entity, value) in SMALL_COUNT_FIGURES.items()
    ]  # fmt: skip
    pd.concat([observations, pd.DataFrame(added)]).to_csv(dataset_copy / "observations.csv", index=False)
    return dataset_copy
