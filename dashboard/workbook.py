"""The data stewards' Excel template, and reading what they upload (the template filled in, or one table as CSV).

An upload becomes text first, cell by cell, the way a CSV would hold it, so that a workbook and a CSV of the same
rows are read, typed and checked the same way. Limits are checked before a parser sees the file: size, and for a
workbook the uncompressed size of its parts (a zip bomb is a few kilobytes that unpack to gigabytes).
"""

from __future__ import annotations

import csv
import difflib
import hashlib
import io
import itertools
import math
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import IO

import pyarrow as pa
from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import ERROR_CODES
from openpyxl.comments import Comment
from openpyxl.packaging.custom import StringProperty
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from dashboard.derive import DERIVATIONS
from dashboard.schema import (
    TABLES,
    arrow_schema,
    derived_from,
    editable_fields,
    field_names,
    fields,
    foreign_keys,
    primary_key,
)
from dashboard.validation import Problem, ordered, parse_column, shorten

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024
MAX_ROWS = 100_000  # data rows per sheet
MAX_COLUMNS = 100  # columns read per row: the tables have about 20; a stray cell far right is ignored beyond this
MAX_CSV_CELL = 131_072  # characters in one CSV cell: the csv module's own default; notes are far shorter
README_SHEET = "README"
LISTS_SHEET = "lists"
EXAMPLE_PROPERTY = "template example row of {table}"  # a workbook property: the fingerprint of the example row

_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # password-protected .xlsx, and .xls, are OLE2 compound files
_ZIP = (b"PK\x03\x04", b"PK\x05\x06")
_FORMULA = re.compile(rb"<(?:\w+:)?f[\s>/]")
_ROW = 2  # the example row, under the header

_HEADER_FONT = Font(bold=True, color="FFFFFF")
_HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
_EXAMPLE_FONT = Font(italic=True, color="7F7F7F")
_TEXT_FORMAT = "@"  # Excel keeps what is typed in a text cell: "2024-06" stays a period, not a date


@dataclass(frozen=True)
class Upload:
    """A file a steward uploaded, read: its tables in the dataset's Arrow types (derived columns computed, cells
    that are not of their type null), the row number each row has in the file, and the cells as text."""

    file_name: str
    checksum: str  # sha256 of the file's bytes
    tables: dict[str, pa.Table]
    row_numbers: dict[str, list[int]]
    text: dict[str, pa.Table] = field(default_factory=dict)  # the editable columns as found, for the messages


@dataclass
class _Sheet:
    """A sheet (or a CSV) as text: its header row and its non-blank rows with their row numbers."""

    table: str
    header: list[str | None]
    rows: list[tuple[int, list[str | None]]]
    examples: set[str] = field(default_factory=set)  # fingerprints of the template's example row


# ---- reading ----------------------------------------------------------------------------------------------------


def read_upload(data: bytes, file_name: str) -> tuple[Upload | None, list[Problem]]:
    """Read an .xlsx workbook (one sheet per table) or a .csv of one table. None when the file cannot be read at
    all; otherwise the upload and the problems found while reading (headers, formulas, example rows, limits)."""
    name = Path(file_name or "upload").name
    if not data:
        return None, [_file_problem("empty_file", name)]
    if len(data) > MAX_FILE_BYTES:
        return None, [
            _file_problem("file_too_large", name, size=_megabytes(len(data)), limit=_megabytes(MAX_FILE_BYTES))
        ]
    suffix = Path(name).suffix.lower()
    if data.startswith(_OLE2):
        return None, [_ole2_problem(data, name)]
    if data.startswith(_ZIP):
        sheets, problems = _read_workbook(data, name)
    elif suffix in (".xlsx", ".xlsm", ".xltx", ".xls"):
        return None, [_file_problem("not_a_workbook", name)]
    elif suffix in (".csv", ".txt", ""):
        sheets, problems = _read_csv(data, name)
    else:
        return None, [_file_problem("unsupported_file", name)]
    if sheets is None:
        return None, ordered(problems)
    tables, row_numbers, text = {}, {}, {}
    for sheet in sheets:
        read = _read_table(sheet, problems)
        if read is not None:
            tables[sheet.table], text[sheet.table], row_numbers[sheet.table] = read
    if not tables and not problems:
        problems.append(_file_problem("no_rows", name))
    upload = Upload(name, hashlib.sha256(data).hexdigest(), tables, row_numbers, text)
    return upload, ordered(problems)


def _file_problem(code: str, file_name: str, **params) -> Problem:
    return Problem("", None, None, None, code, {"file": file_name, **params})


def _megabytes(size: int) -> float:
    """A size in MB to one decimal, rounded up: a file just over the limit reads 20.1 MB, not "20 MB; the limit is
    20 MB"."""
    return math.ceil(size * 10 / 1024 / 1024) / 10


def _ole2_problem(data: bytes, name: str) -> Problem:
    """An OLE2 compound file: Excel's encrypted workbook (streams EncryptionInfo, EncryptedPackage) or an .xls."""

    def stream(name: str) -> bytes:  # directory entries hold names in UTF-16
        return name.encode("utf-16-le")

    if stream("EncryptionInfo") in data or stream("EncryptedPackage") in data:
        return _file_problem("encrypted_workbook", name)
    if stream("Workbook") in data or stream("Book") in data:
        return _file_problem("old_excel_format", name)
    return _file_problem("not_a_workbook", name)


def _read_workbook(data: bytes, name: str) -> tuple[list[_Sheet] | None, list[Problem]]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        parts = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        return None, [_file_problem("not_a_workbook", name)]
    # The sizes the archive declares bound what zipfile will ever inflate: check them before any parsing.
    unpacked = sum(part.file_size for part in parts)
    if unpacked > MAX_UNCOMPRESSED_BYTES:
        size, limit = _megabytes(unpacked), _megabytes(MAX_UNCOMPRESSED_BYTES)
        return None, [_file_problem("zip_too_large", name, size=size, limit=limit)]
    if "[Content_Types].xml" not in archive.namelist() or not any(p.filename.startswith("xl/") for p in parts):
        return None, [_file_problem("not_a_workbook", name)]
    try:
        return _read_sheets(data, archive, name)
    except Exception as error:  # any failure of the parser on a hostile file is a message, never a traceback
        return None, [_file_problem("unreadable_workbook", name, reason=shorten(f"{type(error).__name__}: {error}"))]


def _read_sheets(data: bytes, archive: zipfile.ZipFile, name: str) -> tuple[list[_Sheet] | None, list[Problem]]:
    book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        sheets, problems = _table_sheets(book)
    finally:
        book.close()
    if not sheets:
        return None, [*problems, _file_problem("no_tables", name, expected=list(TABLES))]
    if _has_formulas(archive):
        _check_formulas(data, sheets, problems)
    return sheets, problems


def _table_sheets(book) -> tuple[list[_Sheet], list[Problem]]:
    """The sheets named after tables, as text; a problem for each other sheet (README and lists aside)."""
    examples = {prop.name: prop.value for prop in book.custom_doc_props.props}
    problems: list[Problem] = []
    sheets: list[_Sheet] = []
    tables = {table.lower(): table for table in TABLES}
    titles: dict[str, str] = {}  # table -> the sheet it is read from
    for title in book.sheetnames:
        table = tables.get(title.strip().lower())
        if table is None:
            if title.strip().lower() not in (README_SHEET.lower(), LISTS_SHEET.lower()):
                problems.append(Problem("", None, None, shorten(title), "unknown_sheet", {"expected": list(TABLES)}))
            continue
        if table in titles:  # "observations" and "Observations ": reading both would drop one sheet's rows
            problems.append(Problem("", None, None, shorten(title), "duplicate_sheet",
                                    {"first": shorten(titles[table]), "table": table}))  # fmt: skip
            continue
        worksheet = book[title]
        if not hasattr(worksheet, "iter_rows"):  # a chart sheet named like a table
            problems.append(Problem("", None, None, shorten(title), "unknown_sheet", {"expected": list(TABLES)}))
            continue
        titles[table] = title
        worksheet.reset_dimensions()  # a stated size of A1:XFD1048576 would have a million empty rows read
        sheet = _sheet_rows(table, worksheet.iter_rows(max_col=MAX_COLUMNS, values_only=True), problems)
        if sheet is not None:
            sheet.examples = {examples[key]} if (key := EXAMPLE_PROPERTY.format(table=table)) in examples else set()
            sheets.append(sheet)
    return sheets, problems


def _sheet_rows(table: str, rows, problems: list[Problem], text=None) -> _Sheet | None:
    """Header and non-blank rows of a sheet as text; None (and a problem) when it has more than MAX_ROWS rows."""
    text = text or excel_text
    header: list[str | None] = []
    kept: list[tuple[int, list[str | None]]] = []
    for number, values in enumerate(rows, start=1):
        last = len(values)
        while last and values[last - 1] is None:  # a workbook's rows come padded to MAX_COLUMNS
            last -= 1
        cells = [text(value) for value in values[:last]]
        if number == 1:
            header = cells
            continue
        if any(cell is not None for cell in cells):
            if len(kept) == MAX_ROWS:
                problems.append(Problem(table, None, None, None, "too_many_rows", {"limit": MAX_ROWS}))
                return None
            kept.append((number, cells))
    return _Sheet(table, header, kept)


def excel_text(value) -> str | None:
    """A cell as the text a CSV would hold: 2024.0 -> "2024", a date -> "2024-06-30", surrounding spaces removed,
    an empty cell -> None."""
    if value is None:
        return None
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        # 1e308 is integral, but its 309 digits would not say what the steward typed
        return str(int(value)) if value.is_integer() and abs(value) < 1e16 else repr(value)
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat(sep=" ")
    if isinstance(value, date | time):
        return value.isoformat()
    return str(value).strip() or None


def _has_formulas(archive: zipfile.ZipFile) -> bool:
    """Whether any worksheet holds a formula, read in chunks without parsing (most uploads have none)."""
    for part in archive.infolist():
        if part.filename.startswith("xl/worksheets/") and part.filename.endswith(".xml"):
            with archive.open(part) as stream:
                tail = b""
                while chunk := stream.read(1 << 20):
                    if _FORMULA.search(tail + chunk):
                        return True
                    tail = chunk[-16:]
    return False


def _check_formulas(data: bytes, sheets: list[_Sheet], problems: list[Problem]) -> None:
    """A formula that Excel never calculated (a file written by a program) has no value to read: say where."""
    book = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    titles: dict[str, str] = {}
    for title in book.sheetnames:  # the first sheet of a table is the one read (see _table_sheets)
        titles.setdefault(title.strip().lower(), title)
    for sheet in sheets:
        worksheet = book[titles[sheet.table]]
        worksheet.reset_dimensions()
        values = dict(sheet.rows)
        columns = _column_names(sheet)
        found = 0
        for number, row in enumerate(worksheet.iter_rows(max_col=MAX_COLUMNS, values_only=True), start=1):
            for position, formula in enumerate(row):
                if formula is None or not _is_formula(formula):
                    continue
                cells = values.get(number)
                if number > 1 and (cells is None or position >= len(cells) or cells[position] is None):
                    column = columns[position] if position < len(columns) else None
                    problems.append(Problem(sheet.table, number, column, shorten(str(getattr(formula, "text", formula))),
                                            "formula_without_value"))  # fmt: skip
                    found += 1
            if found > 1000:  # enough to show; the cap of listed problems is far lower
                break
    book.close()


def _is_formula(value) -> bool:
    return (isinstance(value, str) and value.startswith("=")) or hasattr(value, "text")


def _column_names(sheet: _Sheet) -> list[str | None]:
    names = {name.lower(): name for name in field_names(sheet.table)}
    return [names.get(cell.lower()) if cell else None for cell in sheet.header]


def _read_csv(data: bytes, name: str) -> tuple[list[_Sheet] | None, list[Problem]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        return None, [_file_problem("not_utf8", name, line=line)]
    if "\x00" in text:
        return None, [_file_problem("not_text", name)]
    first_line = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first_line.count)  # Excel in French saves CSV with semicolons
    problems: list[Problem] = []
    # strict: a stray quote is reported with its line, not read as a cell that swallows the next ones
    records = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    # The csv module's cell limit is process-wide and other libraries raise it: ours while this file is read.
    limit = csv.field_size_limit(MAX_CSV_CELL)
    try:
        header = [excel_text(cell) for cell in next(records, [])]
        table = _csv_table(header, name)
        if table is None:
            return None, [_file_problem("unknown_table", name, tables=list(TABLES))]
        sheet = _sheet_rows(table, itertools.chain([header], records), problems, _csv_text)
    except csv.Error as error:
        return None, [_file_problem("unreadable_csv", name, reason=shorten(f"line {records.line_num}: {error}"))]
    finally:
        csv.field_size_limit(limit)
    return ([sheet] if sheet is not None else []), problems


def _csv_text(cell: str) -> str | None:
    return cell.strip() or None


def _csv_table(header: list[str | None], file_name: str) -> str | None:
    """The table a CSV holds: the one whose columns the header has, else the one the file is named after, else the
    one sharing most columns with the header (its problems then name the columns that differ)."""
    names = {cell.lower() for cell in header if cell}
    by_header = [t for t in TABLES if set(editable_fields(t)) <= names <= set(field_names(t))]
    if len(by_header) == 1:
        return by_header[0]
    stem = Path(file_name).stem.lower()
    by_name = [t for t in TABLES if t in stem]
    if len(by_name) == 1:
        return by_name[0]
    overlap = {t: len(names & set(field_names(t))) for t in TABLES}
    best = max(TABLES, key=overlap.get)
    return best if overlap[best] >= 2 else None


def _read_table(sheet: _Sheet, problems: list[Problem]) -> tuple[pa.Table, pa.Table, list[int]] | None:
    """A sheet's rows as the table's Arrow columns; None when a column is missing (every row would be wrong)."""
    if not sheet.rows:  # a sheet left empty changes nothing, whatever its header
        return None
    table = sheet.table
    columns = _map_header(sheet, problems)
    if columns is None:
        return None
    width = len(sheet.header)
    numbers = [number for number, _ in sheet.rows]
    padded = (
        cells[:width] if len(cells) >= width else cells + [None] * (width - len(cells)) for _, cells in sheet.rows
    )
    by_position = list(zip(*padded, strict=True))
    text = pa.table({name: pa.array(by_position[columns[name]], pa.string()) for name in editable_fields(table)})
    examples = _example_rows(sheet, text)
    if len(examples) == len(numbers):  # nothing but the template's untouched example: a sheet not filled in
        return None
    problems.extend(Problem(table, numbers[index], None, None, "example_row") for index in examples)
    _find_excel_errors(sheet, text, numbers, problems)
    return _typed(table, text), text, numbers


def _map_header(sheet: _Sheet, problems: list[Problem]) -> dict[str, int] | None:
    """Column name -> position in the row, reporting unknown, misspelled, repeated and missing headers."""
    table = sheet.table
    editable = editable_fields(table)
    known = {name.lower(): name for name in field_names(table)}
    derived = set(derived_from(table))
    columns: dict[str, int] = {}
    unknown: list[str] = []
    widest = max(len(cells) for _, cells in sheet.rows)
    for position, cell in enumerate(sheet.header + [None] * (widest - len(sheet.header))):
        if cell is None:
            _cells_without_header(sheet, position, problems)
            continue
        name = known.get(cell.lower())
        if name is None:
            unknown.append(cell)
        elif name in columns:
            problems.append(Problem(table, 1, name, shorten(cell), "duplicate_column"))
        elif name not in derived:  # a derived column (a CSV of data/ has them) is computed again, not read
            columns[name] = position
    missing = [name for name in editable if name not in columns]
    unexplained = list(missing)
    for cell in unknown:
        guess = difflib.get_close_matches(cell.lower(), unexplained, n=1, cutoff=0.6)
        if guess:  # "valeu" for "value": one problem, not an unknown column and a missing one
            problems.append(Problem(table, 1, None, shorten(cell), "misspelled_column", {"suggestion": guess[0]}))
            unexplained.remove(guess[0])
        else:
            problems.append(Problem(table, 1, None, shorten(cell), "unknown_column", {"expected": editable}))
    for name in unexplained:
        problems.append(Problem(table, None, name, None, "missing_column", {"expected": editable}))
    return None if missing else columns


def _cells_without_header(sheet: _Sheet, position: int, problems: list[Problem]) -> None:
    for number, cells in sheet.rows:
        if position < len(cells) and cells[position] is not None:
            letter = get_column_letter(position + 1)
            problems.append(Problem(sheet.table, number, None, shorten(cells[position]), "cell_without_header",
                                    {"letter": letter}))  # fmt: skip
            return


def _example_rows(sheet: _Sheet, text: pa.Table) -> list[int]:
    """The positions of the rows that are the template's example row, unchanged."""
    if not sheet.examples:
        return []
    rows = zip(*(text[name].to_pylist() for name in text.column_names), strict=True)
    return [index for index, row in enumerate(rows) if fingerprint(row) in sheet.examples]


def _find_excel_errors(sheet: _Sheet, text: pa.Table, numbers: list[int], problems: list[Problem]) -> None:
    """#N/A, #DIV/0! and the like are Excel's errors, not values (also in a CSV Excel saved): say so and read none."""
    import pyarrow.compute as pc

    errors = pa.array(ERROR_CODES)
    for name in text.column_names:
        for index in pc.indices_nonzero(pc.fill_null(pc.is_in(text[name], value_set=errors), False)).to_pylist():
            problems.append(Problem(sheet.table, numbers[index], name, text[name][index].as_py(), "excel_error"))


def fingerprint(cells) -> str:
    """sha256 of a row's editable cells as text: how the template's example row is recognised."""
    return hashlib.sha256("\x1f".join(cell or "" for cell in cells).encode()).hexdigest()


def _typed(table: str, text: pa.Table) -> pa.Table:
    """The text columns in their Arrow types, with the derived columns computed (null where a source is unreadable
    or an Excel error)."""
    import pyarrow.compute as pc

    specs = {f["name"]: f for f in fields(table)}
    columns: dict[str, pa.Array] = {}
    errors = pa.array(ERROR_CODES)
    for name in text.column_names:
        cells = text[name].combine_chunks()
        cells = pc.if_else(pc.fill_null(pc.is_in(cells, value_set=errors), False), pa.scalar(None, pa.string()), cells)
        columns[name], _ = parse_column(specs[name]["type"], cells)
    schema = arrow_schema(table)
    for source, derive in DERIVATIONS.get(table, {}).items():
        distinct = pc.unique(columns[source])
        unreadable = dict.fromkeys(derive(None))  # every derived column null
        results = []
        for value in distinct.to_pylist():
            try:
                results.append(derive(value))
            except ValueError:
                results.append(unreadable)
        where = pc.index_in(columns[source], value_set=distinct, skip_nulls=False)
        for name in unreadable:
            columns[name] = pa.array([result[name] for result in results], schema.field(name).type).take(where)
    return pa.table([columns[name] for name in schema.names], schema=schema)


# ---- writing the template ---------------------------------------------------------------------------------------


def write_template(
    target: str | Path | IO[bytes],
    current: dict[str, pa.Table] | None = None,
    rows: dict[str, pa.Table] | None = None,
) -> None:
    """The workbook stewards fill in: a README sheet (English and French), one sheet per table with the editable
    columns (a comment on each header says what goes there; drop-down lists for allowed values and for ids of the
    current data), and a hidden sheet of those lists. Without `rows`, each sheet has one example row taken from the
    current data, in grey italics, that an upload must not keep; with `rows`, those rows (the current data, to edit)."""
    book = Workbook()
    readme = book.active
    readme.title = README_SHEET
    lists = _Lists(book.create_sheet(LISTS_SHEET))
    for table in TABLES:
        sheet = book.create_sheet(table)
        names = editable_fields(table)
        _write_header(sheet, table, names)
        if rows is not None:
            written = _written_rows(rows.get(table), names)
            for values in written:
                sheet.append(values)
        else:
            example = _example_row(table, current)
            written = [example] if example else []
            if example:
                sheet.append(example)
                for cell in sheet[_ROW]:
                    cell.font = _EXAMPLE_FONT
                sheet.cell(_ROW, 1).comment = _comment(
                    "Example row, taken from the current data: replace it with your rows or delete it. A sheet with "
                    "only this row is left out; among your rows it is refused.\n\nLigne d'exemple, tirée des "
                    "données actuelles : remplacez-la par vos lignes ou supprimez-la. Une feuille qui n'a que cette "
                    "ligne est ignorée ; parmi vos lignes, elle est refusée."
                )
                book.custom_doc_props.append(
                    StringProperty(
                        name=EXAMPLE_PROPERTY.format(table=table), value=fingerprint(map(excel_text, example))
                    )
                )
        _format_columns(sheet, table, names, written)
        _add_validations(sheet, table, names, current, lists)
    lists.sheet.sheet_state = "hidden"
    book.move_sheet(LISTS_SHEET, offset=len(TABLES))
    _write_readme(readme, example_rows=rows is None)
    book.save(target)


def _write_header(sheet, table: str, names: list[str]) -> None:
    sheet.append(names)
    specs = {f["name"]: f for f in fields(table)}
    for position, name in enumerate(names, start=1):
        cell = sheet.cell(1, position)
        cell.font, cell.fill = _HEADER_FONT, _HEADER_FILL
        cell.alignment = Alignment(vertical="center")
        cell.comment = _comment(field_help(table, specs[name]))
    sheet.freeze_panes = "A2"


def field_help(table: str, spec: dict) -> str:
    """What a column holds, in a few lines: description, type, unit, required, allowed values, form, range, ids."""
    constraints = spec.get("constraints", {})
    lines = [spec["name"], spec.get("description", ""), f"Type: {spec['type']}"]
    if "unit" in spec:
        lines.append(f"Unit: {spec['unit']}")
    required = constraints.get("required") or spec["name"] == primary_key(table)
    lines.append("Required" if required else "Optional (may be empty)")
    if constraints.get("unique") or spec["name"] == primary_key(table):
        lines.append("Unique: an id already in the data replaces that row; a new id adds a row.")
    if enum := [item for item in constraints.get("enum", []) if item]:
        lines.append("Allowed: " + ", ".join(enum))
    if "pattern" in constraints:
        lines.append(f"Form: {constraints['pattern']}")
    if "minimum" in constraints or "maximum" in constraints:
        lines.append(f"Between {constraints.get('minimum', '-∞')} and {constraints.get('maximum', '∞')}")
    if spec.get("format") == "uri":
        lines.append("A web address starting with https://")
    for column, resource, referenced in foreign_keys(table):
        if column == spec["name"]:
            lines.append(f"Must be a {referenced} on the {resource} sheet or in the current data (drop-down list).")
    if spec["name"] in {source for source in derived_from(table).values()}:
        computed = [name for name, source in derived_from(table).items() if source == spec["name"]]
        lines.append("Computed from it on import: " + ", ".join(computed))
    return "\n".join(line for line in lines if line)


def _comment(text: str) -> Comment:
    comment = Comment(text, "Groupe SOS dashboard")
    comment.width, comment.height = 320, 40 + 15 * (text.count("\n") + len(text) // 50)
    return comment


def cell_value(value):
    """A value as written in a cell: integral numbers as integers, so that 2024 is not shown 2024.0."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _written_rows(table: pa.Table | None, names: list[str]) -> list[list]:
    if table is None:
        return []
    columns = [table[name].to_pylist() for name in names]
    return [[cell_value(value) for value in row] for row in zip(*columns, strict=True)]


def _example_row(table: str, current: dict[str, pa.Table] | None) -> list | None:
    """A real row of the current data: the last of those filling every required column and the columns periods and
    dates are read from, with a new id where ids are numbered (obs-132), so that keeping it unchanged would add a
    figure, not edit one."""
    if not current or table not in current or current[table].num_rows == 0:
        return None
    names = editable_fields(table)
    specs = {f["name"]: f for f in fields(table)}
    shown = [i for i, name in enumerate(names) if specs[name].get("constraints", {}).get("required")
             or name in derived_from(table).values()]  # fmt: skip
    candidates = _written_rows(current[table], names)
    filled = [sum(row[i] not in (None, "") for i in shown) for row in candidates]
    row = list(candidates[max(range(len(candidates)), key=lambda i: (filled[i], i))])
    key = names.index(primary_key(table))
    row[key] = _next_id(current[table][primary_key(table)].to_pylist()) or row[key]
    return row


def _next_id(keys: list) -> str | None:
    """The id after the last, when ids are a common prefix and a number (obs-131 -> obs-132)."""
    parts = [re.fullmatch(r"(.*?)(\d+)", str(key)) for key in keys if key is not None]
    if not parts or not all(parts) or len({p[1] for p in parts}) != 1:
        return None
    width = max(len(p[2]) for p in parts)
    return f"{parts[0][1]}{max(int(p[2]) for p in parts) + 1:0{width}d}"


def _format_columns(sheet, table: str, names: list[str], written: list[list]) -> None:
    specs = {f["name"]: f for f in fields(table)}
    for position, name in enumerate(names, start=1):
        letter = get_column_letter(position)
        sample = [len(str(row[position - 1])) for row in written[:200] if row[position - 1] is not None]
        sheet.column_dimensions[letter].width = min(50, max(10, len(name) + 4, *sample, 0) + 2)
        if specs[name]["type"] == "string":
            sheet.column_dimensions[letter].number_format = _TEXT_FORMAT
            for (cell,) in sheet.iter_rows(min_row=2, min_col=position, max_col=position):
                cell.number_format = _TEXT_FORMAT


class _Lists:
    """The hidden sheet of drop-down lists: one column per list, each written once and referred to by range."""

    def __init__(self, sheet) -> None:
        self.sheet = sheet
        self.ranges: dict[tuple, str] = {}

    def range_of(self, key: tuple, values: list[str]) -> str:
        if key not in self.ranges:
            column = len(self.ranges) + 1
            letter = get_column_letter(column)
            self.sheet.cell(1, column, ".".join(key))
            for row, value in enumerate(values, start=2):
                self.sheet.cell(row, column, value)
            self.ranges[key] = f"{LISTS_SHEET}!${letter}$2:${letter}${len(values) + 1}"
        return self.ranges[key]


def _add_validations(sheet, table: str, names: list[str], current, lists: _Lists) -> None:
    """Drop-down lists for allowed values (strict) and for ids of the current data (a warning only: a new source
    can be added on its own sheet in the same file); ranges for bounded numbers."""
    specs = {f["name"]: f for f in fields(table)}
    references = {column: (resource, referenced) for column, resource, referenced in foreign_keys(table)}
    for position, name in enumerate(names, start=1):
        letter = get_column_letter(position)
        spec, constraints = specs[name], specs[name].get("constraints", {})
        validation = None
        if enum := [str(item) for item in constraints.get("enum", []) if item != ""]:
            validation = DataValidation(type="list", formula1=lists.range_of((table, name), enum), allow_blank=True)
            validation.error = f"{name}: one of {', '.join(enum)}"
        elif name in references and current and references[name][0] in current:
            resource, referenced = references[name]
            ids = sorted({str(v) for v in current[resource][referenced].to_pylist() if v is not None})
            if ids:
                validation = DataValidation(type="list", formula1=lists.range_of((resource, referenced), ids),
                                            allow_blank=True, errorStyle="warning")  # fmt: skip
                validation.error = f"Not an {referenced} of the current {resource}: add it on the {resource} sheet."
        elif spec["type"] in ("number", "integer") and ("minimum" in constraints or "maximum" in constraints):
            low, high = constraints.get("minimum"), constraints.get("maximum")
            operator = (
                "between"
                if low is not None and high is not None
                else ("greaterThanOrEqual" if low is not None else "lessThanOrEqual")
            )
            first = low if low is not None else high
            validation = DataValidation(type="decimal" if spec["type"] == "number" else "whole", operator=operator,
                                        formula1=str(first), formula2=str(high) if operator == "between" else None,
                                        allow_blank=True)  # fmt: skip
            validation.error = (
                f"{name}: between {low if low is not None else '-∞'} and {high if high is not None else '∞'}"
            )
        if validation is not None:
            validation.errorTitle = name
            validation.showErrorMessage = True
            validation.add(f"{letter}2:{letter}1048576")
            sheet.add_data_validation(validation)


# (English, French) paragraphs; the one about the example row is left out of a workbook of current data.
_README = [
    (
        "Each sheet is one table of the dataset. Keep the sheet names and the column names of row 1 as they are. "
        "Point at a column name to read what goes there: its type, unit, whether it is required, and the allowed "
        "values (also listed under 'Columns' below).",
        "Chaque feuille est une table du jeu de données. Gardez les noms des feuilles et les noms de colonnes de la "
        "ligne 1 tels quels. Survolez un nom de colonne pour lire ce qu'elle contient : son type, son unité, si elle "
        "est obligatoire et les valeurs permises (aussi listées sous « Columns » ci-dessous).",
    ),
    (
        "Row 2 of each sheet (grey italics) is an example taken from the current data: replace it with your rows "
        "or delete it. A sheet left with only its example is left out; an example among your rows is refused.",
        "La ligne 2 de chaque feuille (en italique gris) est un exemple tiré des données actuelles : remplacez-la "
        "par vos lignes ou supprimez-la. Une feuille qui n'a que son exemple est ignorée ; un exemple parmi vos "
        "lignes est refusé.",
    ),
    (
        "Fill only the sheets you change and leave the others empty. A row whose id (first column) is already in "
        "the data replaces that row; a new id adds a row. Importing in 'replace' mode replaces each table you fill "
        "instead.",
        "Ne remplissez que les feuilles que vous modifiez et laissez les autres vides. Une ligne dont l'identifiant "
        "(première colonne) existe déjà remplace cette ligne ; un nouvel identifiant ajoute une ligne. Une "
        "importation en mode « remplacer » remplace plutôt chaque table remplie.",
    ),
    (
        "Every figure needs a source: pick the id of a source of the current data from the drop-down list, or add "
        "the new source on the sources sheet of the same file.",
        "Chaque chiffre a besoin d'une source : choisissez l'identifiant d'une source des données actuelles dans la "
        "liste déroulante, ou ajoutez la nouvelle source dans la feuille sources du même fichier.",
    ),
    (
        "Write periods as published: 2024, 2024-06, 2024-06-30, 2012-2021, about 2015, to 2030. Numbers without "
        "thousands separators or units: 1250 or 12.5. A note needs its French in note_fr.",
        "Écrivez les périodes comme publiées : 2024, 2024-06, 2024-06-30, 2012-2021, about 2015, to 2030. Les "
        "nombres sans séparateur de milliers ni unité, avec un point décimal : 1250 ou 12.5. Une note a besoin de "
        "sa traduction dans note_fr.",
    ),
    (
        "Some columns are computed on import and are not in the sheets: {computed}.",
        "Certaines colonnes sont calculées à l'importation et ne figurent pas dans les feuilles : {computed}.",
    ),
    (
        "Check the file before importing it: upload it on the /admin page, or run "
        "`python -m dashboard validate FILE`. Every problem is listed with its sheet, row and column, and nothing "
        "changes until the file is valid.",
        "Vérifiez le fichier avant de l'importer : déposez-le sur la page /admin, ou lancez "
        "`python -m dashboard validate FICHIER`. Chaque problème est indiqué avec sa feuille, sa ligne et sa "
        "colonne, et rien ne change tant que le fichier n'est pas valide.",
    ),
]
_EXAMPLE_PARAGRAPH = 1
_COLUMN_HEADINGS = ["Sheet", "Column", "Type", "Required", "Unit", "Allowed", "Description"]


def _write_readme(sheet, example_rows: bool) -> None:
    computed = "; ".join(f"{table}: {', '.join(names)}" for table in TABLES if (names := list(derived_from(table))))
    paragraphs = [p for number, p in enumerate(_README) if example_rows or number != _EXAMPLE_PARAGRAPH]
    widths = [16, 22, 10, 10, 14, 30, 90]
    for position, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(position)].width = width
    sheet.cell(1, 1, "Groupe SOS impact data / Données d'impact du Groupe SOS").font = Font(bold=True, size=14)
    row = 3
    for language, title in enumerate(("How to fill this workbook", "Comment remplir ce classeur")):
        sheet.cell(row, 1, title).font = Font(bold=True, size=12)
        row += 1
        for number, paragraph in enumerate(paragraphs, start=1):
            text = f"{number}. {paragraph[language].format(computed=computed)}"
            cell = sheet.cell(row, 1, text)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=len(widths))
            sheet.row_dimensions[row].height = 15 * (1 + len(text) // 160)
            row += 1
        row += 1
    sheet.cell(row, 1, "Columns / Colonnes").font = Font(bold=True, size=12)
    row += 1
    for position, heading in enumerate(_COLUMN_HEADINGS, start=1):
        cell = sheet.cell(row, position, heading)
        cell.font, cell.fill = _HEADER_FONT, _HEADER_FILL
    for table in TABLES:
        specs = {f["name"]: f for f in fields(table)}
        for name in editable_fields(table):
            spec, constraints = specs[name], specs[name].get("constraints", {})
            allowed = ", ".join(item for item in constraints.get("enum", []) if item) or constraints.get("pattern", "")
            required = constraints.get("required") or name == primary_key(table)
            values = [table, name, spec["type"], "yes" if required else "", spec.get("unit", ""), allowed,
                      spec.get("description", "")]  # fmt: skip
            row += 1
            for position, value in enumerate(values, start=1):
                sheet.cell(row, position, value).alignment = Alignment(wrap_text=True, vertical="top")
