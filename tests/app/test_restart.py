"""A restarted server draws the overview from the answers kept beside its snapshot, without loading Ibis: its SQL
compiler and DuckDB backend are 0.4 s of server CPU that the cold start would otherwise pay (docs/performance.md,
session 14). Each run is a new Python process, as a restart is."""

from __future__ import annotations

import os
import subprocess
import sys

from tests.conftest import ROOT

FIRST_RUN = """
import sys
from streamlit.testing.v1 import AppTest

app = AppTest.from_file(sys.argv[1], default_timeout=120).run()
assert not app.exception, [e.value for e in app.exception]
assert len(app.metric) == 6, len(app.metric)
print("ibis loaded" if "ibis" in sys.modules else "ibis not loaded")
"""


def first_run_of_a_new_process(store_url: str) -> str:
    env = {**os.environ, "DASHBOARD_DATABASE_URL": store_url}
    env.pop("DASHBOARD_DATA_DIR", None)
    done = subprocess.run(
        [sys.executable, "-c", FIRST_RUN, str(ROOT / "dashboard" / "app.py")],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout.strip().splitlines()[-1]


def test_a_restart_draws_the_overview_without_loading_ibis(tmp_path):
    store_url = f"duckdb:///{tmp_path / 'dashboard.duckdb'}"
    # The first start seeds the store and asks the database: Ibis builds the questions.
    assert first_run_of_a_new_process(store_url) == "ibis loaded"
    assert first_run_of_a_new_process(store_url) == "ibis not loaded"
