"""Fixtures shared by every test level: the bundled dataset, its catalog, and the reference it was built from."""

from __future__ import annotations

import os
from pathlib import Path

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
