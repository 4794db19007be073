"""Makes the hostile files of the corpus (tests/hostile/corpus.py says what is wrong with each).

Small files are committed in tests/hostile/files/; `python -m tests.hostile.build` writes them again, byte for byte
(workbooks get fixed timestamps), and a test checks that the committed ones are what this script makes. Big or
random ones (100,000 rows of junk, a zip bomb, an encrypted workbook, a template made from the current data) are
made by `write_generated` into a temporary folder when the tests run, never committed.
"""

from __future__ import annotations

import io
import re
import sys
import zipfile
from collections.abc import Callable
from datetime import datetime, time
from pathlib import Path

import openpyxl
from openpyxl.utils import get_column_letter

from dashboard.schema import editable_fields
from tests.uploads import NEW_FIGURE, NEW_INDICATOR, NEW_PLACE, NEW_SOURCE, csv_bytes, typed_like_excel

FILES = Path(__file__).resolve().parent / "files"
OBSERVATIONS = editable_fields("observations")
_FIXED_TIME = (2025, 1, 1, 0, 0, 0)


# ---- helpers ----------------------------------------------------------------------------------------------------


def figure(number: int = 900, **changes: str) -> dict:
    """A valid new figure (obs-900, obs-901, ...), with some cells changed."""
    return NEW_FIGURE | {"observation_id": f"obs-{number}"} | changes


def observations(*rows: dict) -> bytes:
    return csv_bytes("observations", list(rows))


def raw_csv(header: list[str], *rows: list[str], delimiter: str = ",") -> bytes:
    """A CSV written by hand: rows may be shorter or longer than the header, cells hold anything."""
    lines = [delimiter.join(header), *(delimiter.join(row) for row in rows)]
    return ("\n".join(lines) + "\n").encode()


def _deterministic(data: bytes) -> bytes:
    """A workbook with the same bytes whenever it is written: fixed zip timestamps and document dates."""
    source, target = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for part in source.infolist():
            content = source.read(part)
            if part.filename == "docProps/core.xml":
                content = re.sub(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", b"2025-01-01T00:00:00Z", content)
            archive.writestr(zipfile.ZipInfo(part.filename, date_time=_FIXED_TIME), content, zipfile.ZIP_DEFLATED)
    return target.getvalue()


def workbook(sheets: dict[str, list[list]], edit: Callable | None = None) -> bytes:
    """A workbook of sheets given as rows of cell values (the first row is the header)."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    if edit:
        edit(book)
    buffer = io.BytesIO()
    book.save(buffer)
    return _deterministic(buffer.getvalue())


def figures_sheet(*rows: dict) -> list[list]:
    return [OBSERVATIONS] + [[typed_like_excel(row[name]) for name in OBSERVATIONS] for row in rows]


def figures_workbook(*rows: dict, edit: Callable | None = None) -> bytes:
    return workbook({"observations": figures_sheet(*rows)}, edit)


def cell_of(book, row: int, column: str):
    """A cell of the observations sheet by row number and column name."""
    return book["observations"].cell(row, OBSERVATIONS.index(column) + 1)


def patched(data: bytes, part: str, change: Callable[[bytes], bytes]) -> bytes:
    """A workbook with one of its parts rewritten (a program's output, or an attack, rather than Excel's)."""
    source, target = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            content = source.read(info)
            archive.writestr(zipfile.ZipInfo(info.filename, date_time=_FIXED_TIME),
                             change(content) if info.filename == part else content, zipfile.ZIP_DEFLATED)  # fmt: skip
    return target.getvalue()


def _with_doctype(doctype: bytes, inline_string: bytes, entity: bytes) -> Callable[[bytes], bytes]:
    def change(xml: bytes) -> bytes:
        body = xml.split(b"?>", 1)[1] if xml.startswith(b"<?xml") else xml
        return b'<?xml version="1.0"?>' + doctype + body.replace(inline_string, entity, 1)

    return change


_LAUGHS = (
    b'<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + b"".join(
        b'<!ENTITY lol%d "%s">' % (level, (b"&lol%d;" % (level - 1) if level > 1 else b"&lol;") * 10)
        for level in range(1, 10)
    )
    + b"]>"
)
_SHEET = "xl/worksheets/sheet1.xml"


# ---- the committed files ----------------------------------------------------------------------------------------


def _merged_sources(book) -> None:
    letter = get_column_letter(OBSERVATIONS.index("source_id") + 1)
    book["observations"].merge_cells(f"{letter}2:{letter}4")


def _date_and_time_cells(book) -> None:
    cell_of(book, 2, "value").value = datetime(2024, 6, 30)
    cell_of(book, 3, "period").value = time(12, 30)


def _formulas(book) -> None:
    cell_of(book, 2, "value").value = "=1/0"
    cell_of(book, 3, "source_id").value = '=HYPERLINK("https://example.org","sos-intro")'


def _excel_errors(book) -> None:
    cell_of(book, 2, "value").value = "#DIV/0!"
    cell_of(book, 3, "value").value = "#N/A"


def _boolean_value(book) -> None:
    cell_of(book, 2, "value").value = True


def _merged_header(book) -> None:
    book["observations"].merge_cells("A1:C1")


def _not_an_ole2_workbook() -> bytes:
    # The start of an OLE2 compound file and the directory entry of its "Workbook" stream, as Excel 97-2003 writes.
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504) + "Workbook".encode("utf-16-le") + bytes(1000)


def _plain_zip() -> bytes:
    target = io.BytesIO()
    with zipfile.ZipFile(target, "w") as archive:
        archive.writestr(zipfile.ZipInfo("hello.txt", date_time=_FIXED_TIME), "hello")
    return target.getvalue()


def _three_figures() -> list[dict]:
    return [figure(900), figure(901), figure(902)]


INDICATOR_HEADER = editable_fields("indicators")
LOCATION_HEADER = editable_fields("locations")


def _committed() -> dict[str, Callable[[], bytes]]:
    """Each committed file and how it is made."""
    valid = observations(figure())
    base = figures_workbook(*_three_figures())
    note = figure(note="Café crème")
    return {
        # encodings, byte order marks, binary data
        "observations-latin1.csv": lambda: observations(note).decode().encode("latin-1"),
        "observations-utf16.csv": lambda: valid.decode().encode("utf-16"),
        "observations-cp1252-quotes.csv": lambda: observations(figure(note="“quoted”")).decode().encode("cp1252"),
        "observations-double-bom.csv": lambda: b"\xef\xbb\xbf\xef\xbb\xbf" + valid,
        "observations-bom-and-bad-value.csv": lambda: b"\xef\xbb\xbf" + observations(figure(value="12 abc")),
        "observations-nul-bytes.csv": lambda: valid.replace(b"obs-900", b"obs-9\x0000"),
        "picture.csv": lambda: b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4,
        "empty.csv": lambda: b"",
        "observations-header-only.csv": lambda: observations(),
        "blank.csv": lambda: b"   \n\n ,  , \n\t\n",
        "people.csv": lambda: raw_csv(["name", "age", "email"], ["Alice", "42", "alice@example.org"]),
        "observations.json.csv": lambda: b'{"observation_id": "obs-900", "value": 23000}\n',
        # columns
        "observations-missing-columns.csv": lambda: raw_csv(
            [c for c in OBSERVATIONS if c not in ("value", "unit")],
            [figure()[c] for c in OBSERVATIONS if c not in ("value", "unit")],
        ),
        "observations-extra-column.csv": lambda: raw_csv(
            [*OBSERVATIONS, "comment"], [*(figure()[c] for c in OBSERVATIONS), "checked by Bob"]
        ),
        "observations-duplicate-column.csv": lambda: raw_csv(
            [*OBSERVATIONS, "value"], [*(figure()[c] for c in OBSERVATIONS), "24000"]
        ),
        "observations-misspelled-column.csv": lambda: raw_csv(
            [("valeu" if c == "value" else c) for c in OBSERVATIONS], [figure()[c] for c in OBSERVATIONS]
        ),
        "observations-cell-beyond-header.csv": lambda: raw_csv(
            OBSERVATIONS, [*(figure()[c] for c in OBSERVATIONS), "stray"]
        ),
        "observations-short-row.csv": lambda: raw_csv(OBSERVATIONS, [figure()[c] for c in OBSERVATIONS[:4]]),
        # keys
        "observations-duplicate-keys.csv": lambda: observations(figure(), figure(value="24000")),
        "observations-stray-quote.csv": lambda: valid + b'obs-901,employees,actual,,"23 000" people,people\n',
        # numbers
        "observations-french-decimals.csv": lambda: (
            observations(figure(value="12,5")).replace(b",", b";").replace(b"12;5", b"12,5")
        ),
        "observations-thousands-separators.csv": lambda: observations(
            figure(900, value="22 000"), figure(901, value="22\u00a0000"), figure(902, value="1_000")
        ),
        "observations-1e308.csv": lambda: observations(figure(900, value="1e308"), figure(901, value="-1e308")),
        "observations-1e400.csv": lambda: observations(figure(value="1e400")),
        "observations-nan.csv": lambda: observations(figure(900, value="NaN"), figure(901, value="nan")),
        "observations-infinity.csv": lambda: observations(figure(900, value="inf"), figure(901, value="-Infinity")),
        "observations-not-quite-numbers.csv": lambda: observations(
            figure(900, value="0x1F"), figure(901, value="١٢٣"), figure(902, value="12 abc")
        ),
        "observations-negative-count.csv": lambda: observations(figure(value="-5")),
        "indicators-huge-integer.csv": lambda: csv_bytes(
            "indicators", [NEW_INDICATOR | {"decimals": "99999999999999999999"}]
        ),
        "locations-nan-coordinates.csv": lambda: csv_bytes(
            "locations",
            [NEW_PLACE | {"lat": "nan", "lon": "inf"}, NEW_PLACE | {"location_id": "loc-901", "lat": "95"}],
        ),
        # dates and periods
        "observations-dates-as-text.csv": lambda: observations(
            figure(900, period="30/06/2024"), figure(901, period="June 2024"), figure(902, period="2024-02-30")
        ),
        "observations-date-as-value.csv": lambda: observations(figure(value="2024-06-30")),
        "observations-absurd-periods.csv": lambda: observations(
            figure(900, period="1850"), figure(901, period="2021-2012"), figure(902, period="99999999")
        ),
        "observations-future-actual.csv": lambda: observations(figure(period="2099")),
        "sources-bad-dates-and-urls.csv": lambda: csv_bytes(
            "sources",
            [
                NEW_SOURCE | {"published": "last spring"},
                NEW_SOURCE | {"source_id": "annual-report-2026", "url": "javascript:alert(1)"},
            ],
        ),  # fmt: skip
        # SQL, HTML, formulas and control characters in text
        "observations-sql-in-ids.csv": lambda: observations(
            figure(900, source_id="x'); DELETE FROM versions; --"),
            figure(observation_id="obs-1'; DROP TABLE observations; --"),
        ),
        "observations-html-in-ids.csv": lambda: observations(
            figure(900, country_iso3="<script>alert(1)</script>"),
            figure(901, entity_id="<img src=x onerror=alert(1)>"),
        ),
        "observations-html-note-without-french.csv": lambda: observations(
            figure(note="<script>alert('note')</script>")
        ),
        "observations-formula-injection.csv": lambda: observations(
            figure(900, value='=HYPERLINK("https://evil.example","23000")'), figure(901, value="+cmd|'/C calc'!A0")
        ),
        "observations-control-characters.csv": lambda: observations(
            figure(observation_id="obs-9\n01"), figure(902, unit="peo\x07ple")
        ),
        "observations-long-value.csv": lambda: observations(figure(source_id="x" * 10_000)),
        # not a CSV, not a workbook
        "report.pdf": lambda: b"%PDF-1.7\n% a PDF, not a table\n",
        "not-a-workbook.xlsx": lambda: b"observation_id,value\nobs-900,23000\n",
        "zip-not-a-workbook.xlsx": _plain_zip,
        "truncated.xlsx": lambda: base[: len(base) // 2],
        "old-excel.xls": _not_an_ole2_workbook,
        # workbooks
        "broken-sheet-xml.xlsx": lambda: patched(base, _SHEET, lambda xml: xml[: len(xml) // 2]),
        "billion-laughs.xlsx": lambda: patched(
            base, _SHEET, _with_doctype(_LAUGHS, b"<t>obs-900</t>", b"<t>&lol9;</t>")
        ),  # fmt: skip
        "external-entity.xlsx": lambda: patched(
            base,
            _SHEET,
            _with_doctype(
                b'<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>', b"<t>obs-900</t>", b"<t>&xxe;</t>"
            ),
        ),  # fmt: skip
        "nan-in-xml.xlsx": lambda: patched(
            base, _SHEET, lambda xml: re.sub(rb'(<c r="E2"[^>]*>)<v>[^<]*</v>', rb"\1<v>NaN</v>", xml)
        ),
        "merged-cells.xlsx": lambda: figures_workbook(*_three_figures(), edit=_merged_sources),
        "merged-header.xlsx": lambda: figures_workbook(*_three_figures(), edit=_merged_header),
        "formulas-never-calculated.xlsx": lambda: figures_workbook(*_three_figures(), edit=_formulas),
        "excel-errors.xlsx": lambda: figures_workbook(*_three_figures(), edit=_excel_errors),
        "date-and-time-cells.xlsx": lambda: figures_workbook(*_three_figures(), edit=_date_and_time_cells),
        "boolean-value.xlsx": lambda: figures_workbook(figure(), edit=_boolean_value),
        "1e308.xlsx": lambda: figures_workbook(figure(value="1e308")),
        "empty-sheets.xlsx": lambda: workbook({"observations": [], "sources": []}),
        "header-only-sheets.xlsx": lambda: workbook({"observations": [OBSERVATIONS], "sources": [["source_id"]]}),
        "no-table-sheets.xlsx": lambda: workbook({"Sheet1": [["name", "age"], ["Alice", 42]]}),
        "two-sheets-one-table.xlsx": lambda: workbook(
            {"observations": figures_sheet(figure(900)), "Observations ": figures_sheet(figure(901))}
        ),
        "script-sheet-name.xlsx": lambda: workbook(
            {"observations": figures_sheet(figure(value="lots")), "<img src=x onerror=alert(1)>": [["a"], ["b"]]}
        ),
    }


COMMITTED = _committed()


# ---- the generated files ----------------------------------------------------------------------------------------


def _junk_rows(count: int) -> bytes:
    rows = "".join(",".join(f"junk{row}" for _ in OBSERVATIONS) + "\n" for row in range(count))
    return (",".join(OBSERVATIONS) + "\n" + rows).encode()


def _too_many_rows() -> bytes:
    valid = ",".join(figure()[c] for c in OBSERVATIONS)
    return (",".join(OBSERVATIONS) + "\n" + (valid + "\n") * 100_001).encode()


def _too_large() -> bytes:
    from dashboard.workbook import MAX_FILE_BYTES

    return observations(figure(note="x" * 100_000, note_fr="y" * 100_000)) * (MAX_FILE_BYTES // 200_000 + 1)


def _zip_bomb() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("xl/worksheets/sheet1.xml", "w") as part:
            zeros = bytes(1 << 20)
            for _ in range(256):  # 256 MiB of zeros in a quarter of a megabyte
                part.write(zeros)
    return buffer.getvalue()


def _encrypted() -> bytes:
    from msoffcrypto.format.ooxml import OOXMLFile

    encrypted = io.BytesIO()
    OOXMLFile(io.BytesIO(figures_workbook(figure()))).encrypt("secret", encrypted)
    return encrypted.getvalue()


def _long_field() -> bytes:
    return observations(figure(source_id="x" * 200_000))


def _current_data() -> dict:
    from dashboard.store import read_folder
    from tests.conftest import DATA

    tables, _ = read_folder(DATA)
    return tables


def _template(with_figure: bool) -> bytes:
    from dashboard.workbook import write_template

    buffer = io.BytesIO()
    write_template(buffer, current=_current_data())
    if not with_figure:
        return buffer.getvalue()
    book = openpyxl.load_workbook(io.BytesIO(buffer.getvalue()))
    row = figure(950)
    book["observations"].append([typed_like_excel(row[name]) for name in OBSERVATIONS])
    again = io.BytesIO()
    book.save(again)
    return again.getvalue()


GENERATED: dict[str, Callable[[], bytes]] = {
    "observations-100000-rows-of-junk.csv": lambda: _junk_rows(100_000),
    "observations-100001-rows.csv": _too_many_rows,
    "observations-over-20-mb.csv": _too_large,
    "zip-bomb.xlsx": _zip_bomb,
    "password-protected.xlsx": _encrypted,
    "observations-200000-character-cell.csv": _long_field,
    "template-untouched.xlsx": lambda: _template(with_figure=False),
    "template-example-row-kept.xlsx": lambda: _template(with_figure=True),
}


def write_generated(folder: Path) -> dict[str, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = {}
    for name, make in GENERATED.items():
        paths[name] = folder / name
        paths[name].write_bytes(make())
    return paths


def write_committed(folder: Path = FILES) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, make in COMMITTED.items():
        (folder / name).write_bytes(make())


if __name__ == "__main__":
    write_committed(Path(sys.argv[1]) if len(sys.argv) > 1 else FILES)
    print(f"{len(COMMITTED)} files written to {FILES}")
