"""An upload's problems: each rule names the sheet, row, column and value, in English and French; the same rows give
the same problems from a workbook and from a CSV; merging adds or replaces rows; junk is reported fast and capped."""

from __future__ import annotations

import string
import subprocess
import sys
import time
from datetime import date

import pytest

from dashboard.i18n import TEXT
from dashboard.schema import TABLES, editable_fields, primary_key
from dashboard.store import read_table
from dashboard.validation import MAX_PROBLEMS, Problem, check, merge, validate
from dashboard.workbook import read_upload
from tests.conftest import DATA, ROOT
from tests.uploads import NEW_FIGURE, NEW_SOURCE, VALID, csv_bytes, xlsx_bytes


@pytest.fixture(scope="module")
def current() -> dict:
    return {name: read_table(DATA, name) for name in TABLES}


def problems_of(current, table: str, *rows: dict, file_format: str = "csv", mode: str = "update") -> list[Problem]:
    if file_format == "csv":
        data, name = csv_bytes(table, list(rows)), f"{table}.csv"
    else:
        data, name = xlsx_bytes({table: list(rows)}), "upload.xlsx"
    _, problems = validate(data, name, current, mode)
    return problems


def where(problem: Problem) -> tuple:
    return problem.sheet, problem.row, problem.column, problem.value, problem.code


# ---- one test per rule: sheet, row, column, value, code ---------------------------------------------------------

CASES = [
    # (table, changes to the valid row, column, value found, code)
    ("observations", {"value": "12 abc"}, "value", "12 abc", "not_a_number"),
    ("observations", {"unit": ""}, "unit", None, "required"),
    ("observations", {"source_id": ""}, "source_id", None, "missing_source"),
    ("observations", {"source_id": "no-such-source"}, "source_id", "no-such-source", "unknown_source"),
    ("observations", {"indicator_id": "staff"}, "indicator_id", "staff", "unknown_indicator"),
    ("observations", {"country_iso3": "ZZZ"}, "country_iso3", "ZZZ", "unknown_country"),
    ("observations", {"sector_id": "sport"}, "sector_id", "sport", "unknown_sector"),
    ("observations", {"entity_id": "groupe-sas"}, "entity_id", "groupe-sas", "unknown_entity"),
    ("observations", {"kind": "actuel"}, "kind", "actuel", "not_allowed"),
    ("observations", {"qualifier": "approximately"}, "qualifier", "approximately", "not_allowed"),
    ("observations", {"observation_id": "OBS-1"}, "observation_id", "OBS-1", "pattern_mismatch"),
    ("observations", {"country_iso3": "fr"}, "country_iso3", "fr", "pattern_mismatch"),  # not also unknown_country
    ("observations", {"value": "-5"}, "value", "-5", "negative_count"),
    ("observations", {"period": "2031"}, "period", "2031", "future_actual"),
    ("observations", {"period": "1850"}, "period", "1850", "year_out_of_range"),
    ("observations", {"period": "sometime in 2020"}, "period", "sometime in 2020", "bad_period"),
    ("observations", {"period": "2024-13"}, "period", "2024-13", "bad_period"),
    ("observations", {"unit": "persons"}, "unit", "persons", "unit_mismatch"),
    ("observations", {"note": "a new caveat"}, "note_fr", None, "missing_french"),
    ("locations", {"lat": "95"}, "lat", "95", "above_maximum"),
    ("locations", {"lon": "-181"}, "lon", "-181", "below_minimum"),
    ("locations", {"since": "since forever"}, "since", "since forever", "bad_period"),
    ("locations", {"precision": "street"}, "precision", "street", "not_allowed"),
    ("indicators", {"decimals": "1.5"}, "decimals", "1.5", "not_an_integer"),
    ("indicators", {"decimals": "-1"}, "decimals", "-1", "below_minimum"),
    ("indicators", {"category": "staff"}, "category", "staff", "not_allowed"),
    ("sources", {"url": "www.groupe-sos.org"}, "url", "www.groupe-sos.org", "not_a_url"),
    ("sources", {"published": "last spring"}, "published", "last spring", "bad_period"),
]


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
@pytest.mark.parametrize(
    ("table", "changes", "column", "value", "code"), CASES, ids=[f"{c[0]}-{c[4]}-{c[2]}" for c in CASES]
)
def test_each_rule_names_the_sheet_row_column_and_value(current, file_format, table, changes, column, value, code):
    problems = problems_of(current, table, VALID[table] | changes, file_format=file_format)
    assert [where(p) for p in problems] == [(table, 2, column, value, code)], [str(p) for p in problems]


@pytest.mark.parametrize("table", sorted(VALID))
def test_the_valid_rows_used_by_these_tests_are_valid(current, table):
    assert problems_of(current, table, VALID[table]) == []


def test_a_target_may_be_dated_in_the_future(current):
    assert problems_of(current, "observations", NEW_FIGURE | {"kind": "target", "period": "2030"}) == []


def test_a_negative_value_is_allowed_for_an_indicator_that_is_not_a_count(current):
    change = NEW_FIGURE | {"indicator_id": "revenue", "unit": "M EUR", "value": "-3.5"}
    assert problems_of(current, "observations", change) == []


def test_a_repeated_id_is_reported_on_the_second_row_with_the_first(current):
    problems = problems_of(current, "observations", NEW_FIGURE, NEW_FIGURE | {"value": "23500"})
    assert [where(p) for p in problems] == [("observations", 3, "observation_id", "obs-900", "duplicate")]
    assert problems[0].params == {"first_row": "2"}


def test_a_new_source_on_the_sources_sheet_can_be_cited_in_the_same_file(current):
    figure = NEW_FIGURE | {"source_id": NEW_SOURCE["source_id"]}
    alone = xlsx_bytes({"observations": [figure]})
    together = xlsx_bytes({"sources": [NEW_SOURCE], "observations": [figure]})
    assert [p.code for p in validate(alone, "upload.xlsx", current)[1]] == ["unknown_source"]
    assert validate(together, "upload.xlsx", current)[1] == []


def test_problems_come_in_sheet_row_and_column_order(current):
    data = xlsx_bytes({
        "observations": [NEW_FIGURE | {"value": "x", "kind": "y"}, NEW_FIGURE | {"observation_id": "obs-901"}],
        "sources": [NEW_SOURCE | {"url": "nope"}],
    })  # fmt: skip
    _, problems = validate(data, "upload.xlsx", current)
    assert [(p.sheet, p.row, p.column) for p in problems] == [
        ("sources", 2, "url"), ("observations", 2, "kind"), ("observations", 2, "value"),
    ]  # fmt: skip


def test_the_command_line_wording_of_a_problem():
    problem = Problem("observations", 7, "value", "12 abc", "not_a_number")
    assert str(problem) == (
        'observations row 7, column value: "12 abc" is not a number (expected a number such as 1250 or 12.5)'
    )
    assert problem.message("fr").startswith("observations ligne 7, colonne value : « 12 abc » n'est pas un nombre")


def test_a_long_value_is_shortened_in_the_problem(current):
    (problem,) = problems_of(current, "observations", NEW_FIGURE | {"value": "9" * 30 + " units" + "x" * 100})
    assert problem.code == "not_a_number" and len(problem.value) == 60 and problem.value.endswith("…")


# ---- messages in both languages ---------------------------------------------------------------------------------

CODES = sorted(key.removeprefix("problem_") for key in TEXT if key.startswith("problem_") and "_where_" not in key)


def _sample_params(code: str) -> dict:
    texts = TEXT[f"problem_{code}"].values()
    names = {name for text in texts for _, name, _, _ in string.Formatter().parse(text) if name}
    return {name: "x" for name in names - {"sheet", "row", "column", "value"}}


@pytest.mark.parametrize("code", CODES)
def test_every_problem_has_a_message_in_english_and_in_french(code):
    problem = Problem("observations", 3, "value", "abc", code, _sample_params(code))
    english, french = problem.message("en"), problem.message("fr")
    assert english and french and english != french
    assert "{" not in english + french


def test_an_unknown_code_is_an_error_not_a_silent_message():
    with pytest.raises(KeyError):
        Problem("", None, None, None, "no_such_code").message("en")


def test_counts_in_messages_use_the_languages_separators():
    problem = Problem("", None, None, None, "more_problems", {"count": 12345})
    assert "12,345" in problem.message("en") and "12\u202f345" in problem.message("fr")


# ---- merging ----------------------------------------------------------------------------------------------------


def test_update_replaces_rows_in_place_and_adds_new_ones_at_the_end(current):
    existing = current["observations"].slice(4, 1).to_pylist()[0]
    changed = {k: "" if existing[k] is None else str(existing[k]) for k in editable_fields("observations")}
    changed["value"] = "999"
    upload, problems = read_upload(csv_bytes("observations", [NEW_FIGURE, changed]), "observations.csv")
    assert problems == []
    merged = merge(current, upload, "update")
    observations = merged["observations"]
    assert observations.num_rows == current["observations"].num_rows + 1
    assert (
        observations["value"][4].as_py() == 999
        and observations["observation_id"][4].as_py() == changed["observation_id"]
    )
    assert observations["observation_id"][-1].as_py() == "obs-900"
    assert observations["year"][-1].as_py() == 2025 and observations["period_kind"][-1].as_py() == "year"
    assert merged["sources"] is current["sources"]


def test_replace_replaces_the_tables_given_and_keeps_the_others(current):
    upload, _ = read_upload(csv_bytes("observations", [NEW_FIGURE]), "observations.csv")
    merged = merge(current, upload, "replace")
    assert merged["observations"]["observation_id"].to_pylist() == ["obs-900"]
    assert merged["locations"] is current["locations"]
    assert check(upload, current, "replace") == []


def test_replacing_sources_without_one_still_cited_names_it(current):
    kept = [s for s in current["sources"].to_pylist() if s["source_id"] != "frwiki"]
    rows = [{k: "" if s[k] is None else str(s[k]) for k in editable_fields("sources")} for s in kept]
    problems = validate(csv_bytes("sources", rows), "sources.csv", current, "replace")[1]
    assert [where(p) for p in problems] == [("sources", None, "source_id", "frwiki", "still_referenced")]
    assert problems[0].params["table"] == "observations" and problems[0].params["count"] > 0
    assert validate(csv_bytes("sources", rows), "sources.csv", current, "update")[1] == []


def test_an_unknown_mode_is_refused(current):
    upload, _ = read_upload(csv_bytes("observations", [NEW_FIGURE]), "observations.csv")
    with pytest.raises(ValueError, match="mode"):
        merge(current, upload, "append")


# ---- junk -------------------------------------------------------------------------------------------------------


def test_100000_rows_of_junk_are_reported_in_seconds_and_capped(current):
    names = editable_fields("observations")
    rows = [{name: f"junk{row}" for name in names} for row in range(100_000)]  # 12 MB, under the size limit
    data = csv_bytes("observations", rows)
    started = time.perf_counter()
    upload, problems = validate(data, "observations.csv", current)
    elapsed = time.perf_counter() - started
    assert elapsed < 10, f"{elapsed:.1f} s"  # about 3 s on a slow 2-core machine
    assert len(problems) == MAX_PROBLEMS + 1
    assert problems[-1].code == "more_problems" and problems[-1].params["count"] > 1_000_000
    assert [p.row for p in problems[:-1]] == sorted(p.row for p in problems[:-1])
    assert problems[0].row == 2 and upload.row_numbers["observations"][-1] == 100_001


# ---- command line -----------------------------------------------------------------------------------------------


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "dashboard", *args], cwd=ROOT, capture_output=True, text=True, timeout=120
    )


def test_validate_prints_one_problem_per_line_and_exits_1(tmp_path):
    path = tmp_path / "observations.csv"
    path.write_bytes(
        csv_bytes("observations", [NEW_FIGURE, NEW_FIGURE | {"observation_id": "obs-901", "value": "12 abc"}])
    )
    result = _run("validate", str(path))
    assert result.returncode == 1, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == (
        'observations row 3, column value: "12 abc" is not a number (expected a number such as 1250 or 12.5)'
    )
    assert lines[-1].startswith("observations.csv: 1 problem(s)")
    assert "Traceback" not in result.stderr


def test_validate_says_what_a_valid_file_holds_and_exits_0(tmp_path):
    path = tmp_path / "upload.csv"
    path.write_bytes(csv_bytes("observations", [NEW_FIGURE]))
    result = _run("validate", str(path), "--mode", "update")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == (
        "upload.csv is valid (update, 1 row(s)): importing it would add 1, change 0 and remove 0 row(s) "
        "(observations +1 ~0 −0).\n"
    )


@pytest.mark.parametrize(
    "content", [b"", b"\x00\x01junk" * 100, b"PK\x03\x04 not really a zip", "é".encode("latin-1")],
    ids=["empty", "binary", "broken zip", "latin-1"],
)  # fmt: skip
@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_validate_never_prints_a_traceback(tmp_path, content, suffix):
    path = tmp_path / f"upload{suffix}"
    path.write_bytes(content)
    result = _run("validate", str(path))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr + result.stdout
    assert "upload" in result.stdout


def test_validate_a_missing_file_is_a_message(tmp_path):
    result = _run("validate", str(tmp_path / "nowhere.xlsx"))
    assert result.returncode == 1 and "nowhere.xlsx" in result.stderr and "Traceback" not in result.stderr


def test_today_is_what_the_future_rule_compares_with(current):
    next_year = str(date.today().year + 1)
    problems = problems_of(current, "observations", NEW_FIGURE | {"period": next_year})
    assert [p.code for p in problems] == ["future_actual"]
    assert problems[0].params == {"today": date.today().isoformat()}


def test_every_table_can_be_checked(current):
    # A download of the current data, as CSV per table, checks clean: the rules accept the real dataset.
    for table in TABLES:
        rows = [
            {k: "" if r[k] is None else _text(r[k]) for k in editable_fields(table)} for r in current[table].to_pylist()
        ]
        assert validate(csv_bytes(table, rows), f"{table}.csv", current)[1] == [], table
        assert primary_key(table) in editable_fields(table)


def _text(value) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


@pytest.mark.parametrize(
    ("field_type", "texts", "values", "bad"),
    [
        ("date", ["2024-06-30", "2024-02-30", "30/06/2024", None], [date(2024, 6, 30), None, None, None],
         [False, True, True, False]),
        ("boolean", ["true", "FALSE", "yes", None], [True, False, None, None], [False, False, True, False]),
        ("integer", ["2024", "+3", "1.0", "9" * 19], [2024, 3, None, None], [False, False, True, True]),
        ("number", ["1250", "12.5", "1e3", "1,5", "1e400", "nan"], [1250, 12.5, 1000, None, None, None],
         [False, False, False, True, True, True]),
    ],
)  # fmt: skip
def test_text_is_read_in_each_datapackage_type(field_type, texts, values, bad):
    # No editable column is a date or a boolean today; the datapackage may declare one tomorrow.
    import pyarrow as pa

    from dashboard.validation import TYPE_PROBLEMS, parse_column

    parsed, not_of_type = parse_column(field_type, pa.array(texts, pa.string()))
    assert parsed.to_pylist() == values and not_of_type.tolist() == bad
    assert Problem("sources", 2, "x", texts[1], TYPE_PROBLEMS[field_type]).message("fr")
