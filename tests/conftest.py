"""Fixtures shared by every test level: the bundled dataset, its catalog, and the reference it was built from."""

from __future__ import annotations

from pathlib import Path

import pytest

from dashboard.metadata import load_catalog
from dashboard.store import open_store

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
REFERENCE = ROOT.parent / "shared" / "reference"


@pytest.fixture(scope="session")
def store():
    return open_store(DATA)


@pytest.fixture(scope="session")
def catalog():
    return load_catalog(DATA)


@pytest.fixture(scope="session")
def reference_dir() -> Path:
    if not (REFERENCE / "public-facts.csv").exists():
        pytest.fail(f"the reference files are expected at {REFERENCE} (shared/ beside the repository)")
    return REFERENCE
