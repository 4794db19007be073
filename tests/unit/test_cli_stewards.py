"""The data stewards' commands end to end, as a steward types them: template, validate, import, versions, rollback;
on a DuckDB file and on a real PostgreSQL server. Exit codes: 0 done, 1 refused with a message, never a traceback."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys

import pytest
from openpyxl import load_workbook

from tests.conftest import ROOT
from tests.uploads import NEW_FIGURE, NEW_SOURCE, existing_figure, observations_csv, typed_like_excel


@pytest.fixture
def run(store_url):
    """`python -m dashboard …` against a store of its own."""

    def run(*args: str) -> subprocess.CompletedProcess:
        result = subprocess.run(
            [sys.executable, "-m", "dashboard", *args], cwd=ROOT, capture_output=True, text=True, timeout=180,
            env={**os.environ, "DASHBOARD_DATABASE_URL": store_url},
        )  # fmt: skip
        assert "Traceback" not in result.stderr, result.stderr
        return result

    return run


def figures_of(run) -> dict[str, str]:
    result = run("facts")
    assert result.returncode == 0, result.stderr
    return {row["observation_id"]: row["value"] for row in csv.DictReader(io.StringIO(result.stdout))}


def version_lines(run) -> list[list[str]]:
    result = run("versions")
    assert result.returncode == 0, result.stderr
    return [line.removeprefix("*").split() for line in result.stdout.splitlines()[2:]]


def result_line(run, index: int) -> str:
    return run("versions").stdout.splitlines()[2 + index]


def test_the_template_validates_and_filled_with_the_data_changes_nothing(run, tmp_path):
    template, filled = tmp_path / "template.xlsx", tmp_path / "current.xlsx"
    assert run("template", str(template)).returncode == 0
    assert run("template", str(filled), "--with-data").returncode == 0
    assert {"observations", "indicators", "countries"} <= set(load_workbook(template, read_only=True).sheetnames)
    result = run("validate", str(filled))
    assert result.returncode == 0, result.stdout
    assert "would add 0, change 0 and remove 0 row(s)" in result.stdout


def test_validate_lists_each_problem_with_its_place_and_exits_1(run, tmp_path):
    file = tmp_path / "observations.csv"
    file.write_bytes(observations_csv({**NEW_FIGURE, "value": "-5"}, {**NEW_FIGURE, "country_iso3": "XXX"}))
    result = run("validate", str(file))
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert any(line.startswith("observations row 2, column value:") and "-5" in line for line in lines), lines
    assert any(line.startswith("observations row 3, column observation_id:") for line in lines), lines  # duplicate
    assert any(line.startswith("observations row 3, column country_iso3:") and "XXX" in line for line in lines), lines
    assert lines[-1].startswith("observations.csv: ") and "nothing was imported" in lines[-1]


def test_import_versions_and_rollback(run, tmp_path):
    file = tmp_path / "figures-2025.csv"
    file.write_bytes(observations_csv(NEW_FIGURE, {**existing_figure("obs-005"), "value": "4100"}))
    before = figures_of(run)
    assert "obs-900" not in before

    imported = run("import", str(file), "--by", "alice")
    assert imported.returncode == 0, imported.stdout + imported.stderr
    assert imported.stdout.strip() == "Imported figures-2025.csv as version 2 by alice: +1 ~1 −0 rows."
    after = figures_of(run)
    assert after["obs-900"] == "23000" and after["obs-005"] == "4100" and len(after) == len(before) + 1

    again = run("import", str(file))
    assert again.returncode == 0 and "changes nothing" in again.stdout
    newest, seed = version_lines(run)
    assert result_line(run, 0).startswith("*  2 ") and not result_line(run, 1).startswith("*")  # current marked
    assert newest[0] == "2" and newest[3:6] == ["alice", "import", "figures-2025.csv"]
    assert newest[-3:] == ["+1", "~1", "−0"] and len(newest[6]) == 12  # checksum, shortened
    assert seed[0] == "1" and seed[3:6] == ["seed", "seed", "data/"]  # seeded from the bundled folder

    rolled = run("rollback", "1", "--by", "bob")
    assert rolled.returncode == 0, rolled.stderr
    assert rolled.stdout.strip() == "Version 3 by bob restores version 1: +0 ~1 −1 rows."
    assert figures_of(run) == before
    assert [line[0] for line in version_lines(run)] == ["3", "2", "1"]  # nothing deleted: 2 can be restored


def test_refusals_are_messages_and_write_nothing(run, tmp_path):
    not_a_workbook = tmp_path / "figures.xlsx"
    not_a_workbook.write_bytes(b"this is not a workbook")
    bad = run("import", str(not_a_workbook))
    assert bad.returncode == 1 and "figures.xlsx" in bad.stdout
    missing = run("import", str(tmp_path / "nowhere.xlsx"))
    assert missing.returncode == 1 and "nowhere.xlsx" in missing.stderr
    current = run("rollback", "1")
    assert current.returncode == 1 and "already the current version" in current.stderr
    unknown = run("rollback", "9")
    assert unknown.returncode == 1 and "no version 9" in unknown.stderr
    assert [line[0] for line in version_lines(run)] == ["1"]


def fill(sheet, rows: list[dict]) -> None:
    """Type rows into a template sheet under its header, in place of the example row."""
    header = [cell.value for cell in sheet[1]]
    sheet.delete_rows(2, sheet.max_row)
    for row in rows:
        sheet.append([typed_like_excel(row.get(name, "")) for name in header])


def test_a_new_year_typed_into_the_template_is_checked_fixed_and_imported(run, tmp_path):
    template = tmp_path / "figures-2025.xlsx"
    assert run("template", str(template)).returncode == 0
    figures = [
        {**NEW_FIGURE, "source_id": NEW_SOURCE["source_id"]},
        {**NEW_FIGURE, "observation_id": "obs-901", "indicator_id": "revenue", "unit": "M EUR", "value": "n/a"},
        {**NEW_FIGURE, "observation_id": "obs-902", "country_iso3": "FRX", "value": "9000"},
    ]
    book = load_workbook(template)
    fill(book["sources"], [NEW_SOURCE])
    fill(book["observations"], figures)
    book.save(template)  # the other sheets keep only their example row: they are left out

    checked = run("validate", str(template))
    assert checked.returncode == 1
    lines = checked.stdout.splitlines()
    assert len(lines) == 3, lines  # two problems, then the count
    assert lines[0].startswith('observations row 3, column value: "n/a" is not a number')
    assert lines[1].startswith('observations row 4, column country_iso3: "FRX" is not a known country code')
    assert [line[0] for line in version_lines(run)] == ["1"]

    figures[1]["value"], figures[2]["country_iso3"] = "1450", "FRA"
    book = load_workbook(template)
    fill(book["observations"], figures)
    book.save(template)
    imported = run("import", str(template), "--by", "alice")
    assert imported.returncode == 0, imported.stdout
    assert "as version 2 by alice: +4 ~0 −0 rows" in imported.stdout  # three figures and their source
    after = figures_of(run)
    assert (after["obs-900"], after["obs-901"], after["obs-902"]) == ("23000", "1450", "9000")
