import csv
import io
import subprocess
import sys

from tests.conftest import ROOT


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "dashboard", *args], cwd=ROOT, capture_output=True, text=True, timeout=120
    )


def test_help_lists_the_subcommands():
    result = _run("--help")
    assert result.returncode == 0
    assert "facts" in result.stdout


def test_facts_prints_all_131_figures_with_their_sources():
    result = _run("facts")
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) == 131
    assert all(row["source_title"] and row["confidence"] in {"A", "B"} for row in rows)
    revenue_2022 = sorted(float(r["value"]) for r in rows if r["indicator_id"] == "revenue" and r["period"] == "2022")
    assert revenue_2022 == [1260, 1370, 1400]


def test_an_unknown_subcommand_is_a_usage_error_not_a_traceback():
    result = _run("frobnicate")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr and "invalid choice" in result.stderr


def test_a_missing_dataset_is_a_clear_message_not_a_traceback(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "dashboard", "facts"],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
        env={**__import__("os").environ, "DASHBOARD_DATA_DIR": str(tmp_path / "nowhere")},
    )  # fmt: skip
    assert result.returncode == 1
    assert "Traceback" not in result.stderr and "nowhere" in result.stderr
