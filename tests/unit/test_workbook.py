"""The Excel template and reading an upload: the template round-trips, its example row is refused, Excel cells read
as a CSV would hold them, and hostile files (encrypted, zip bomb, not a workbook, huge) get a message, not a crash."""

from __future__ import annotations

import io
import zipfile
from datetime import datetime

import openpyxl
import pyarrow as pa
import pytest

from dashboard.schema import TABLES, arrow_schema, editable_fields
from dashboard.store import read_table
from dashboard.validation import Problem, validate
from dashboard.workbook import (
    LISTS_SHEET,
    MAX_FILE_BYTES,
    MAX_ROWS,
    README_SHEET,
    excel_text,
    read_upload,
    write_template,
)
from tests.conftest import DATA


@pytest.fixture(scope="module")
def current() -> dict[str, pa.Table]:
    return {name: read_table(DATA, name) for name in TABLES}


@pytest.fixture
def template(tmp_path, current):
    path = tmp_path / "template.xlsx"
    write_template(path, current=current)
    return path


def saved(book: openpyxl.Workbook) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def where(problem: Problem) -> tuple:
    return problem.sheet, problem.row, problem.column, problem.value, problem.code


def one_sheet(table: str, header: list, *rows: list) -> bytes:
    book = openpyxl.Workbook()
    book.active.title = table
    book.active.append(header)
    for row in rows:
        book.active.append(row)
    return saved(book)


FIGURE = ["obs-900", "employees", "actual", None, 23000, "people", "2025", "group", "groupe-sos", None, None,
          "sos-intro", "A", None, None]  # fmt: skip


# ---- the template -----------------------------------------------------------------------------------------------


def test_the_template_has_a_readme_first_then_one_sheet_per_table_and_hidden_lists(template):
    book = openpyxl.load_workbook(template)
    assert book.sheetnames == [README_SHEET, *TABLES, LISTS_SHEET]
    assert book[LISTS_SHEET].sheet_state == "hidden"
    readme = " ".join(str(c.value) for row in book[README_SHEET].iter_rows() for c in row if c.value)
    assert "How to fill this workbook" in readme and "Comment remplir ce classeur" in readme
    assert "observations: period_kind, period_start, period_end, period_approximate, year" in readme


@pytest.mark.parametrize("table", TABLES)
def test_each_sheet_has_the_editable_columns_a_frozen_styled_header_and_one_example(template, table):
    sheet = openpyxl.load_workbook(template)[table]
    assert [c.value for c in sheet[1]] == editable_fields(table)
    assert sheet.freeze_panes == "A2"
    assert all(c.font.bold and c.comment is not None for c in sheet[1])
    assert sheet.max_row == 2
    assert all(c.font.italic and c.font.color.rgb.endswith("7F7F7F") for c in sheet[2])
    assert "Example row" in sheet["A2"].comment.text
    assert all(10 <= sheet.column_dimensions[c.column_letter].width <= 52 for c in sheet[1])


def test_header_comments_say_description_type_unit_required_and_allowed_values(template):
    sheet = openpyxl.load_workbook(template)["observations"]
    comments = {c.value: c.comment.text for c in sheet[1]}
    assert "Type: number" in comments["value"] and "Unit: as in the unit column" in comments["value"]
    assert "Required" in comments["unit"] and "Optional" in comments["note"]
    assert "Allowed: actual, target" in comments["kind"]
    assert "Form: obs-[0-9]{3,}" in comments["observation_id"]
    assert "source_id on the sources sheet" in comments["source_id"]
    assert "period_kind" in comments["period"]  # what is computed from it
    lat = {c.value: c.comment.text for c in openpyxl.load_workbook(template)["locations"][1]}["lat"]
    assert "Between -90 and 90" in lat


def test_allowed_values_and_ids_of_the_current_data_are_dropdown_lists(template, current):
    book = openpyxl.load_workbook(template)
    validations = {str(v.sqref).split(":")[0]: v for v in book["observations"].data_validations.dataValidation}
    kind, source = validations["C2"], validations["L2"]  # kind, source_id
    assert kind.type == "list" and kind.formula1.startswith(f"{LISTS_SHEET}!")
    assert source.type == "list" and source.errorStyle == "warning"  # a new source may be added in the same file
    column = source.formula1.split("!")[1].split(":")[0].replace("$", "")[0]
    listed = [c.value for c in book[LISTS_SHEET][column][1:] if c.value]
    assert listed == sorted(current["sources"]["source_id"].to_pylist())
    lat = {str(v.sqref).split(":")[0]: v for v in book["locations"].data_validations.dataValidation}["F2"]
    assert (lat.type, lat.operator, lat.formula1, lat.formula2) == ("decimal", "between", "-90", "90")


def test_the_example_row_is_a_real_row_with_a_new_id(template, current):
    example = [c.value for c in openpyxl.load_workbook(template)["observations"][2]]
    assert example[0] == f"obs-{current['observations'].num_rows + 1:03d}"
    real = [
        r for r in current["observations"].to_pylist() if r["indicator_id"] == example[1] and r["period"] == example[6]
    ]
    assert real, example


def test_the_untouched_template_has_no_rows_to_import(template, current):
    """A sheet holding only its example was not filled in: it is left out, like an empty sheet."""
    upload, problems = validate(template.read_bytes(), template.name, current)
    assert [p.code for p in problems] == ["no_rows"] and not upload.tables
    assert "every sheet is empty or holds only the template's example" in str(problems[0])


def test_an_example_row_left_among_real_rows_is_refused_wherever_it_moved(template, current):
    book = openpyxl.load_workbook(template)
    sources = book["sources"]
    example = [cell.value for cell in sources[2]]
    sources.insert_rows(2, amount=3)
    sources.cell(3, 1).value = "steward-source"  # a real row of the steward's above the example, now row 5
    for position, value in enumerate(example[1:], start=2):
        sources.cell(3, position).value = value
    _, problems = validate(saved(book), "filled.xlsx", current)
    assert [where(p) for p in problems] == [("sources", 5, None, None, "example_row")]
    assert str(problems[0]) == (
        "sources row 5: this row is the template's example: replace it with your own row or delete it."
    )


def test_a_filled_template_round_trips(template, current):
    """A steward's year: the example rows deleted, a new source, and new figures citing it."""
    book = openpyxl.load_workbook(template)
    for table in TABLES:
        book[table].delete_rows(2)
    book["sources"].append(["annual-report-2025", "Groupe SOS, annual report 2025", "https://www.groupe-sos.org/rapport-2025", "2026-06"])  # fmt: skip
    book["observations"].append(FIGURE)
    book["observations"].append(["obs-901", "revenue", "actual", "about", 1500.5, "M EUR", "2025", "group",
                                 "groupe-sos", None, None, "annual-report-2025", "A", "preliminary", "provisoire"])  # fmt: skip
    upload, problems = validate(saved(book), "year-2025.xlsx", current)
    assert problems == []
    assert set(upload.tables) == {"sources", "observations"}
    assert upload.row_numbers == {"sources": [2], "observations": [2, 3]}
    observations = upload.tables["observations"]
    assert observations.schema == arrow_schema("observations")
    assert observations["value"].to_pylist() == [23000.0, 1500.5]
    assert observations["year"].to_pylist() == [2025, 2025] and observations["qualifier"].to_pylist() == [None, "about"]
    assert upload.tables["sources"].to_pylist()[0] | {} == {
        "source_id": "annual-report-2025", "title": "Groupe SOS, annual report 2025",
        "url": "https://www.groupe-sos.org/rapport-2025", "domain": "groupe-sos.org", "published": "2026-06",
        "published_date": datetime(2026, 6, 1).date(), "published_approximate": False, "own_source": True,
    }  # fmt: skip
    assert len(upload.checksum) == 64 and upload.file_name == "year-2025.xlsx"


def test_the_current_data_downloaded_for_editing_checks_clean_and_changes_nothing(tmp_path, current):
    from dashboard.validation import merge

    path = tmp_path / "current.xlsx"
    write_template(path, current=current, rows=current)
    upload, problems = validate(path.read_bytes(), path.name, current)
    assert problems == []
    merged = merge(current, upload, "update")
    for table in TABLES:
        assert merged[table].to_pylist() == current[table].cast(arrow_schema(table)).to_pylist(), table


def test_a_template_without_current_data_has_headers_only(tmp_path):
    path = tmp_path / "bare.xlsx"
    write_template(path)
    book = openpyxl.load_workbook(path)
    assert [book[t].max_row for t in TABLES] == [1] * len(TABLES)


# ---- cells become text as in a CSV ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "text"),
    [(2024.0, "2024"), (12.5, "12.5"), (2024, "2024"), ("  SEN \n", "SEN"), ("", None), ("   ", None), (None, None),
     (datetime(2024, 6, 30), "2024-06-30"), (True, "true"), (1e15, "1000000000000000"), (1e308, "1e+308")],
)  # fmt: skip
def test_excel_cells_read_as_a_csv_would_hold_them(cell, text):
    assert excel_text(cell) == text


def test_a_workbook_and_a_csv_of_the_same_rows_read_the_same(current):
    rows = [FIGURE, [*FIGURE[:4], "12 abc", *FIGURE[5:]], [*FIGURE[:6], datetime(2031, 1, 1), *FIGURE[7:]]]
    rows[1][0], rows[2][0] = "obs-901", "obs-902"
    workbook = one_sheet("observations", editable_fields("observations"), *rows)
    lines = [",".join(editable_fields("observations"))]
    for row in rows:
        lines.append(",".join("" if v is None else excel_text(v) for v in row))
    csv = ("\n".join(lines) + "\n").encode()
    from_xlsx, from_csv = validate(workbook, "x.xlsx", current), validate(csv, "observations.csv", current)
    assert (
        [where(p) for p in from_xlsx[1]]
        == [where(p) for p in from_csv[1]]
        == [
            ("observations", 3, "value", "12 abc", "not_a_number"),
            ("observations", 4, "period", "2031-01-01", "future_actual"),
        ]
    )
    assert from_xlsx[0].tables["observations"] == from_csv[0].tables["observations"]


def test_blank_rows_are_skipped_and_row_numbers_stay_those_of_the_file(current):
    wrong = ["obs-901", *FIGURE[1:4], "x", *FIGURE[5:]]
    data = one_sheet("observations", editable_fields("observations"), [None] * 3, FIGURE, [], ["  "], wrong)
    upload, problems = validate(data, "x.xlsx", current)
    assert upload.row_numbers["observations"] == [3, 6]
    assert [where(p) for p in problems] == [("observations", 6, "value", "x", "not_a_number")]


def test_a_csv_with_a_byte_order_mark_and_semicolons_is_read(current):
    text = ";".join(editable_fields("observations")) + "\r\n" + ";".join("" if v is None else str(v) for v in FIGURE)
    upload, problems = validate("\ufeff".encode() + text.encode(), "export.csv", current)
    assert problems == [] and upload.tables["observations"]["value"].to_pylist() == [23000]


def test_a_csv_of_the_data_folder_is_read_with_its_derived_columns_recomputed(current):
    upload, problems = read_upload((DATA / "sources.csv").read_bytes(), "sources.csv")
    assert problems == []
    assert upload.tables["sources"] == current["sources"].cast(arrow_schema("sources"))


def test_a_csv_table_is_chosen_by_its_name_when_the_header_is_wrong(current):
    header = [*editable_fields("observations")[:-1], "note_french"]
    data = (",".join(header) + "\n").encode() + b"obs-900\n"
    _, problems = read_upload(data, "observations (1).csv")
    assert [where(p) for p in problems] == [("observations", 1, None, "note_french", "misspelled_column")]


def test_a_csv_whose_table_cannot_be_told_is_refused():
    upload, problems = read_upload(b"name,amount\nx,1\n", "figures.csv")
    assert upload is None and [p.code for p in problems] == ["unknown_table"]


def test_a_formula_is_read_from_its_calculated_value(current):
    data = one_sheet("observations", editable_fields("observations"), [*FIGURE[:4], "=20000+3000", *FIGURE[5:]])
    _, problems = validate(data, "x.xlsx", current)  # openpyxl writes formulas without a calculated value
    assert [where(p) for p in problems] == [("observations", 2, "value", "=20000+3000", "formula_without_value")]
    calculated = _with_cached_value(data, "E2", "23000")
    upload, problems = validate(calculated, "x.xlsx", current)
    assert problems == [] and upload.tables["observations"]["value"].to_pylist() == [23000]


def _with_cached_value(data: bytes, cell: str, value: str) -> bytes:
    """The workbook as Excel saves it after calculating: the formula's result stored next to it."""
    source, target = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for part in source.infolist():
            content = source.read(part)
            if part.filename.startswith("xl/worksheets/"):
                content = content.replace(f'<c r="{cell}"><f>'.encode(), f'<c r="{cell}"><v>{value}</v><f>'.encode())
                assert f"<v>{value}</v>".encode() in content
            out.writestr(part, content)
    return target.getvalue()


def test_an_excel_error_is_named(current):
    data = one_sheet("observations", editable_fields("observations"), [*FIGURE[:4], "#DIV/0!", *FIGURE[5:]])
    _, problems = validate(data, "x.xlsx", current)
    assert [where(p) for p in problems] == [("observations", 2, "value", "#DIV/0!", "excel_error")]


# ---- sheets and headers -----------------------------------------------------------------------------------------


def test_an_unknown_sheet_is_named_and_the_others_still_read(current):
    book = openpyxl.load_workbook(io.BytesIO(one_sheet("observations", editable_fields("observations"), FIGURE)))
    book.create_sheet("Feuil1")["A1"] = "notes"
    upload, problems = validate(saved(book), "x.xlsx", current)
    assert [where(p) for p in problems] == [("", None, None, "Feuil1", "unknown_sheet")]
    assert upload.tables["observations"].num_rows == 1


def test_a_workbook_without_any_table_sheet_is_refused():
    upload, problems = read_upload(one_sheet("Sheet1", ["a"], [1]), "x.xlsx")
    assert upload is None
    assert [p.code for p in problems] == ["unknown_sheet", "no_tables"]


def test_missing_misspelled_unknown_and_repeated_headers_are_named():
    header = editable_fields("observations")
    header = [*header[:4], "valeu", *header[5:-1], "comment", "kind"]  # value misspelled, note_fr missing
    upload, problems = read_upload(one_sheet("observations", header, FIGURE), "x.xlsx")
    assert [where(p) for p in problems] == [
        ("observations", None, "note_fr", None, "missing_column"),
        ("observations", 1, None, "valeu", "misspelled_column"),
        ("observations", 1, None, "comment", "unknown_column"),
        ("observations", 1, "kind", "kind", "duplicate_column"),
    ]
    assert problems[1].params == {"suggestion": "value"}
    assert "note_fr" in problems[0].params["expected"]
    assert upload is not None and upload.tables == {}


def test_a_cell_under_no_header_is_named():
    data = one_sheet("observations", [*editable_fields("observations"), None], [*FIGURE, "stray"])
    _, problems = read_upload(data, "x.xlsx")
    assert [where(p) for p in problems] == [("observations", 2, None, "stray", "cell_without_header")]
    assert problems[0].params == {"letter": "P"}


def test_a_csv_cell_beyond_the_header_is_named():
    line = ",".join("" if v is None else str(v) for v in FIGURE)
    data = f"{','.join(editable_fields('observations'))}\n{line}\n{line.replace('obs-900', 'obs-901')},stray\n"
    _, problems = read_upload(data.encode(), "observations.csv")
    assert [where(p) for p in problems] == [("observations", 3, None, "stray", "cell_without_header")]


def test_a_sheet_left_empty_is_ignored_whatever_its_header():
    book = openpyxl.load_workbook(io.BytesIO(one_sheet("observations", editable_fields("observations"), FIGURE)))
    book.create_sheet("sources")["A1"] = "anything"
    upload, problems = read_upload(saved(book), "x.xlsx")
    assert problems == [] and set(upload.tables) == {"observations"}


def test_a_file_with_no_rows_says_so():
    _, problems = read_upload(one_sheet("observations", editable_fields("observations")), "x.xlsx")
    assert [p.code for p in problems] == ["no_rows"]


# ---- hostile and broken files -----------------------------------------------------------------------------------


def test_an_empty_file():
    assert read_upload(b"", "upload.xlsx") == (
        None,
        [Problem("", None, None, None, "empty_file", {"file": "upload.xlsx"})],
    )


@pytest.mark.parametrize("name", ["upload.xlsx", "upload.xls"])
def test_a_file_that_is_not_a_workbook(name):
    upload, problems = read_upload(b"%PDF-1.7 this is a PDF", name)
    assert upload is None and [p.code for p in problems] == ["not_a_workbook"]


def test_a_zip_that_is_not_a_workbook():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "hello")
    assert [p.code for p in read_upload(buffer.getvalue(), "upload.xlsx")[1]] == ["not_a_workbook"]


def test_a_broken_workbook_is_unreadable_not_a_crash():
    data = one_sheet("observations", editable_fields("observations"), FIGURE)
    source, target = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(target, "w") as out:
        for part in source.infolist():
            content = source.read(part)
            out.writestr(part, content[: len(content) // 2] if part.filename == "xl/workbook.xml" else content)
    upload, problems = read_upload(target.getvalue(), "upload.xlsx")
    assert upload is None and [p.code for p in problems] == ["unreadable_workbook"]


def test_another_kind_of_file_is_refused():
    upload, problems = read_upload(b"\x89PNG\r\n", "chart.png")
    assert upload is None and [p.code for p in problems] == ["unsupported_file"]


def test_a_password_protected_workbook():
    """Encrypted with msoffcrypto-tool, as Excel does it (an OLE2 file with an EncryptionInfo stream)."""
    from msoffcrypto.format.ooxml import OOXMLFile

    encrypted = io.BytesIO()
    OOXMLFile(io.BytesIO(one_sheet("observations", editable_fields("observations"), FIGURE))).encrypt(
        "secret", encrypted
    )
    upload, problems = read_upload(encrypted.getvalue(), "protected.xlsx")
    assert upload is None and [p.code for p in problems] == ["encrypted_workbook"]
    assert "password" in str(problems[0]) and "mot de passe" in problems[0].message("fr")


def test_an_old_xls_workbook():
    # The start of an OLE2 compound file and the directory entry of its "Workbook" stream, as Excel 97-2003 writes.
    crafted = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504) + "Workbook".encode("utf-16-le") + bytes(1000)
    upload, problems = read_upload(crafted, "old.xls")
    assert upload is None and [p.code for p in problems] == ["old_excel_format"]


def test_a_zip_bomb_renamed_xlsx_is_refused_before_it_is_unpacked():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("xl/worksheets/sheet1.xml", "w") as part:
            zeros = bytes(1 << 20)
            for _ in range(210):
                part.write(zeros)
    assert len(buffer.getvalue()) < 1 << 20
    upload, problems = read_upload(buffer.getvalue(), "bomb.xlsx")
    assert upload is None and [p.code for p in problems] == ["zip_too_large"]
    assert problems[0].params["size"] == 210.1  # 210 MiB of zeros and a few bytes, rounded up


def test_a_file_over_the_size_limit():
    upload, problems = read_upload(b"x" * (MAX_FILE_BYTES + 1), "huge.csv")
    assert upload is None and [p.code for p in problems] == ["file_too_large"]
    # rounded up: "20 MB; the limit is 20 MB" would not say what is wrong
    assert str(problems[0]) == "The file huge.csv is 20.1 MB; the limit is 20 MB. Split it into several files."


def test_a_sheet_over_the_row_limit():
    header = ",".join(editable_fields("sectors"))
    rows = "".join(f"s{i},S,S,#AA4499,{i}\n" for i in range(MAX_ROWS + 1))
    upload, problems = read_upload(f"{header}\n{rows}".encode(), "sectors.csv")
    assert [where(p) for p in problems] == [("sectors", None, None, None, "too_many_rows")]
    assert "100,000" in str(problems[0])
    assert upload.tables == {}


def test_a_csv_that_is_not_utf8_names_the_line():
    data = "id,label_en\nyouth,Jeunesse\nseniors,Aînés\n".encode("latin-1")
    upload, problems = read_upload(data, "sectors.csv")
    assert upload is None and where(problems[0])[4] == "not_utf8" and problems[0].params["line"] == 3


def test_binary_data_named_csv_is_refused():
    upload, problems = read_upload(b"id\x00label\n", "sectors.csv")
    assert upload is None and [p.code for p in problems] == ["not_text"]


def test_a_csv_with_a_stray_quote_is_refused_with_its_line():
    data = ",".join(editable_fields("sectors")).encode() + b'\nyouth,Youth,"Jeunesse" (fr),#AA4499,1\n'
    upload, problems = read_upload(data, "sectors.csv")
    assert upload is None and [p.code for p in problems] == ["unreadable_csv"]
    assert "(line 2: ',' expected after" in str(problems[0])
