"""The hostile-input corpus: every bad file and URL the tests feed the app, what is wrong with it, and what the
message must name. Product rule: any malformed file, value or URL gives a clear message naming what is wrong (row,
column, value) and changes nothing; no traceback ever reaches a user.

Files are made by tests/hostile/build.py: the small ones are committed in tests/hostile/files/, the big or random
ones are generated when the tests run. tests/unit/test_hostile_files.py runs each file through the command line
(validate, then import in both modes) against a store of its own; tests/app/test_hostile_urls.py opens the app
with each URL.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class FileCase:
    file: str  # in tests/hostile/files/, or made by build.GENERATED
    wrong: str  # what is wrong with it, in a few words
    codes: tuple[str, ...]  # problem codes that must be among those reported
    says: tuple[str, ...]  # fragments the command's output must contain: the file, row, column, value named


@dataclass(frozen=True)
class UrlCase:
    name: str
    params: dict[str, list[str]]
    wrong: str
    notice: str | None  # a fragment of the visible notice; None when Streamlit or the page drops it silently
    page: str | None = None  # a page to switch to after the first run (app_pages/...), or None for the overview
    kept: dict[str, list[str]] = field(default_factory=dict)  # the filters the page must still apply


def _row(row: int, column: str, value: str | None = None, table: str = "observations") -> str:
    return f"{table} row {row}, column {column}: " + (f'"{value}"' if value is not None else "")


FILES = [
    # ---- encodings, byte order marks, binary ----
    FileCase("observations-latin1.csv", "saved in Latin-1 (é in a note), not UTF-8", ("not_utf8",),
             ("observations-latin1.csv is not UTF-8", "line 2")),
    FileCase("observations-utf16.csv", "saved as UTF-16 with its byte order mark", ("not_utf8",),
             ("is not UTF-8", "line 1")),
    FileCase("observations-cp1252-quotes.csv", "Windows-1252 curly quotes in a note", ("not_utf8",),
             ("is not UTF-8", "line 2")),
    FileCase("observations-double-bom.csv", "two UTF-8 byte order marks: the first header reads \\ufeffobservation_id",
             ("misspelled_column",), ("observations row 1:", "did you mean observation_id?")),
    FileCase("observations-bom-and-bad-value.csv", "a byte order mark (read) and a value that is not a number",
             ("not_a_number",), (_row(2, "value", "12 abc"),)),
    FileCase("observations-nul-bytes.csv", "a NUL byte inside an id", ("not_text",), ("binary data",)),
    FileCase("picture.csv", "a PNG image named .csv", ("not_utf8",), ("picture.csv is not UTF-8",)),
    FileCase("empty.csv", "zero bytes", ("empty_file",), ("empty.csv is empty",)),
    FileCase("observations-header-only.csv", "a header and no rows", ("no_rows",), ("has no rows to import",)),
    FileCase("blank.csv", "blank lines, spaces, tabs and commas", ("unknown_table",), ("blank.csv", "cannot be told")),
    FileCase("people.csv", "a CSV of some other table (name, age, email)", ("unknown_table",),
             ("people.csv", "cannot be told")),
    FileCase("observations.json.csv", "JSON named like a CSV of observations", ("no_rows",),
             ("has no rows to import",)),
    # ---- columns ----
    FileCase("observations-missing-columns.csv", "no value and no unit column", ("missing_column",),
             ("observations, column value: this column is missing", "observations, column unit:")),
    FileCase("observations-extra-column.csv", "an extra column, comment", ("unknown_column",),
             ('observations row 1: "comment" is not a column',)),
    FileCase("observations-duplicate-column.csv", "value twice in the header", ("duplicate_column",),
             ("observations row 1, column value: the column appears twice",)),
    FileCase("observations-misspelled-column.csv", "valeu for value", ("misspelled_column",),
             ('"valeu"', "did you mean value?")),
    FileCase("observations-cell-beyond-header.csv", "a cell right of the last named column", ("cell_without_header",),
             ('observations row 2: "stray" is in column P',)),
    FileCase("observations-short-row.csv", "a row of 4 cells under 15 columns", ("required",),
             (_row(2, "value") + "the cell is empty",)),
    # ---- keys ----
    FileCase("observations-duplicate-keys.csv", "obs-900 on two rows", ("duplicate",),
             (_row(3, "observation_id", "obs-900") + " is already on row 2",)),
    FileCase("observations-stray-quote.csv", "a quote in the middle of a cell", ("unreadable_csv",),
             ("cannot be read (line 3",)),
    # ---- numbers ----
    FileCase("observations-french-decimals.csv", "semicolons and a decimal comma", ("not_a_number",),
             (_row(2, "value", "12,5"),)),
    FileCase("observations-thousands-separators.csv", "22 000 with a space, a no-break space, 1_000",
             ("not_a_number",), (_row(2, "value", "22 000"), _row(4, "value", "1_000"))),
    FileCase("observations-1e308.csv", "1e308 and -1e308: numbers, but absurd", ("above_maximum", "below_minimum"),
             (_row(2, "value") + "1e308 is above the maximum", _row(3, "value") + "-1e308 is below the minimum")),
    FileCase("observations-1e400.csv", "1e400: beyond a double", ("not_a_number",), (_row(2, "value", "1e400"),)),
    FileCase("observations-nan.csv", "NaN and nan", ("not_a_number",),
             (_row(2, "value", "NaN"), _row(3, "value", "nan"))),
    FileCase("observations-infinity.csv", "inf and -Infinity", ("not_a_number",),
             (_row(2, "value", "inf"), _row(3, "value", "-Infinity"))),
    FileCase("observations-not-quite-numbers.csv", "0x1F, Arabic-Indic digits, 12 abc", ("not_a_number",),
             (_row(2, "value", "0x1F"), _row(3, "value", "١٢٣"), _row(4, "value", "12 abc"))),
    FileCase("observations-negative-count.csv", "-5 employees", ("negative_count",),
             (_row(2, "value") + "-5 is negative",)),
    FileCase("indicators-huge-integer.csv", "20 digits of decimals", ("not_an_integer",),
             (_row(2, "decimals", "99999999999999999999", "indicators"),)),
    FileCase("locations-nan-coordinates.csv", "lat nan, lon inf, lat 95", ("not_a_number", "above_maximum"),
             (_row(2, "lat", "nan", "locations"), _row(2, "lon", "inf", "locations"),
              _row(3, "lat", None, "locations") + "95 is above the maximum")),
    # ---- dates and periods ----
    FileCase("observations-dates-as-text.csv", "30/06/2024, June 2024, 2024-02-30", ("bad_period",),
             (_row(2, "period", "30/06/2024"), _row(3, "period", "June 2024"), _row(4, "period", "2024-02-30"))),
    FileCase("observations-date-as-value.csv", "a date where the value goes", ("not_a_number",),
             (_row(2, "value", "2024-06-30"),)),
    FileCase("observations-absurd-periods.csv", "1850, a reversed range, 99999999", ("year_out_of_range", "bad_period"),
             (_row(2, "period", "1850"), _row(3, "period", "2021-2012"), _row(4, "period", "99999999"))),
    FileCase("observations-future-actual.csv", "an actual figure for 2099", ("future_actual",),
             (_row(2, "period", "2099") + " is after today",)),
    FileCase("sources-bad-dates-and-urls.csv", "a publication date in words, a javascript: address",
             ("bad_period", "not_a_url"),
             (_row(2, "published", "last spring", "sources"), _row(3, "url", "javascript:alert(1)", "sources"))),
    # ---- SQL, HTML, formulas, control characters, long text ----
    FileCase("observations-sql-in-ids.csv", "SQL in a source id and in an observation id",
             ("unknown_source", "pattern_mismatch"),
             (_row(2, "source_id", "x'); DELETE FROM versions; --"),
              _row(3, "observation_id", "obs-1'; DROP TABLE observations; --"))),
    FileCase("observations-html-in-ids.csv", "script and img tags in a country code and an entity id",
             ("pattern_mismatch", "unknown_entity"),
             (_row(2, "country_iso3", "<script>alert(1)</script>"),
              _row(3, "entity_id", "<img src=x onerror=alert(1)>"))),
    FileCase("observations-html-note-without-french.csv", "a script tag in a note with no French",
             ("missing_french",), (_row(2, "note_fr") + "the cell is empty, but note is filled",)),
    FileCase("observations-formula-injection.csv", "spreadsheet formulas (=HYPERLINK, +cmd) as values",
             ("not_a_number",), (_row(2, "value", '=HYPERLINK("https://evil.example","23000")'),
                                 _row(3, "value", "+cmd|'/C calc'!A0"))),
    FileCase("observations-control-characters.csv", "a newline inside an id, a BEL inside a unit",
             ("pattern_mismatch", "unit_mismatch"),
             (_row(2, "observation_id", "obs-9 01"), _row(3, "unit", "peo␇ple"))),
    FileCase("observations-long-value.csv", "a source id of 10,000 characters", ("unknown_source",),
             (_row(2, "source_id", "x" * 59 + "…"),)),
    FileCase("observations-200000-character-cell.csv", "one cell of 200,000 characters", ("unreadable_csv",),
             ("cannot be read (line 2: field larger than field limit",)),
    # ---- not a CSV, not a workbook ----
    FileCase("report.pdf", "a PDF", ("unsupported_file",), ("report.pdf is neither an Excel workbook",)),
    FileCase("not-a-workbook.xlsx", "CSV text named .xlsx", ("not_a_workbook",),
             ("not-a-workbook.xlsx is not an Excel workbook",)),
    FileCase("zip-not-a-workbook.xlsx", "a zip of a text file, named .xlsx", ("not_a_workbook",),
             ("zip-not-a-workbook.xlsx is not an Excel workbook",)),
    FileCase("truncated.xlsx", "the first half of a workbook", ("not_a_workbook",),
             ("truncated.xlsx is not an Excel workbook",)),
    FileCase("old-excel.xls", "an Excel 97-2003 workbook", ("old_excel_format",), ("old-excel.xls is an old Excel",)),
    FileCase("password-protected.xlsx", "encrypted with a password", ("encrypted_workbook",),
             ("password-protected.xlsx is protected by a password",)),
    FileCase("zip-bomb.xlsx", "256 MiB of zeros in a 250 KB file named .xlsx", ("zip_too_large",),
             ("zip-bomb.xlsx would take 256.1 MB once unpacked", "zip bomb")),
    # ---- broken or malicious workbook parts ----
    FileCase("broken-sheet-xml.xlsx", "a sheet's XML cut in half", ("unreadable_workbook",),
             ("broken-sheet-xml.xlsx cannot be read",)),
    FileCase("billion-laughs.xlsx", "XML entities that expand to 10^9 'lol's", ("unreadable_workbook",),
             ("billion-laughs.xlsx cannot be read",)),
    FileCase("external-entity.xlsx", "an XML entity reading file:///etc/passwd", ("unreadable_workbook",),
             ("external-entity.xlsx cannot be read",)),
    FileCase("nan-in-xml.xlsx", "NaN written as a cell's number by a program", ("unreadable_workbook",),
             ("nan-in-xml.xlsx cannot be read",)),
    # ---- workbooks as people fill them ----
    FileCase("merged-cells.xlsx", "one source merged over three rows", ("missing_source",),
             (_row(3, "source_id") + "no source", _row(4, "source_id") + "no source")),
    FileCase("merged-header.xlsx", "the first three header cells merged", ("missing_column", "cell_without_header"),
             ("observations, column indicator_id: this column is missing",)),
    FileCase("formulas-never-calculated.xlsx", "formulas a program wrote, with no value", ("formula_without_value",),
             (_row(2, "value") + "the formula =1/0 has no calculated value",)),
    FileCase("excel-errors.xlsx", "#DIV/0! and #N/A", ("excel_error",),
             (_row(2, "value", "#DIV/0!"), _row(3, "value", "#N/A"))),
    FileCase("date-and-time-cells.xlsx", "a date cell as a value, a time cell as a period",
             ("not_a_number", "bad_period"), (_row(2, "value", "2024-06-30"), _row(3, "period", "12:30:00"))),
    FileCase("boolean-value.xlsx", "TRUE as a value", ("not_a_number",), (_row(2, "value", "true"),)),
    FileCase("1e308.xlsx", "1e308 typed as a number", ("above_maximum",),
             (_row(2, "value") + "1e+308 is above the maximum",)),
    FileCase("empty-sheets.xlsx", "table sheets with nothing on them", ("no_rows",), ("has no rows to import",)),
    FileCase("header-only-sheets.xlsx", "headers and no rows", ("no_rows",), ("has no rows to import",)),
    FileCase("no-table-sheets.xlsx", "one sheet, Sheet1", ("unknown_sheet", "no_tables"),
             ('The sheet "Sheet1" is not a table', "has no sheet named after a table")),
    FileCase("two-sheets-one-table.xlsx", "observations and 'Observations ': one table on two sheets",
             ("duplicate_sheet",), ('The sheets "observations" and "Observations " are both the observations table',)),
    FileCase("script-sheet-name.xlsx", "a sheet named <img src=x onerror=alert(1)>, and a bad value",
             ("unknown_sheet", "not_a_number"),
             ('The sheet "<img src=x onerror=alert(1)>" is not a table', _row(2, "value", "lots"))),
    FileCase("template-untouched.xlsx", "the template as downloaded, example rows untouched", ("no_rows",),
             ("has no rows to import",)),
    FileCase("template-example-row-kept.xlsx", "the template's example row left above a real row", ("example_row",),
             ("observations row 2: this row is the template's example",)),
    # ---- size ----
    FileCase("observations-100000-rows-of-junk.csv", "100,000 rows of junk (15 MB)",
             ("pattern_mismatch", "unknown_indicator", "more_problems"),
             (_row(2, "observation_id", "junk0"), "more problem")),
    FileCase("observations-100001-rows.csv", "one row more than the limit", ("too_many_rows",),
             ("more than 100,000 rows",)),
    FileCase("observations-over-20-mb.csv", "just over the 20 MB limit", ("file_too_large",),
             ("observations-over-20-mb.csv is 20.1 MB; the limit is 20 MB",)),
]  # fmt: skip

MANY = 5000

URLS = [
    UrlCase("unknown-country", {"country": ["ZZZ"]}, "a country code that does not exist", "ZZZ"),
    UrlCase("unknown-and-known-country", {"country": ["ZZZ", "SEN"]}, "one bad code among good ones", "ZZZ",
            kept={"country": ["SEN"]}),
    UrlCase("lowercase-country", {"country": ["sen"]}, "a lowercase code (read as SEN)", None,
            kept={"country": ["SEN"]}),
    UrlCase("alpha2-country", {"country": ["SN"]}, "an ISO alpha-2 code", "SN"),
    UrlCase("unknown-sector", {"sector": ["nope"]}, "a sector id that does not exist", "nope"),
    UrlCase("unknown-entity", {"entity": ["no-such-entity"]}, "an entity id that does not exist", "no-such-entity"),
    UrlCase("reversed-years", {"years": ["2024", "2009"]}, "from after to", "2024, 2009",
            kept={"years": ["2009", "2024"]}),
    UrlCase("absurd-years", {"years": ["1000", "9999"]}, "years far beyond the data", "1000, 9999"),
    UrlCase("negative-years", {"years": ["-5", "-1"]}, "years before year 0", "-5, -1"),
    UrlCase("huge-years", {"years": ["-99999999999999999999999", "1"]}, "a 23-digit year", "-99999999999999999999999"),
    UrlCase("thousands-of-digits-year", {"years": ["9" * 5000, "2020"]}, "a year of 5,000 digits", "999999999999"),
    UrlCase("years-not-numbers", {"years": ["abc", "2020"]}, "a year that is not a number", "abc"),
    UrlCase("years-nan-inf", {"years": ["nan", "inf"]}, "nan and inf", "nan, inf"),
    UrlCase("one-year", {"years": ["2020"]}, "one year instead of two", "2020"),
    UrlCase("three-years", {"years": ["2010", "2015", "2020"]}, "three years instead of two", "2010, 2015, 2020"),
    UrlCase("unknown-language", {"lang": ["de"]}, "a language the app does not have", "de"),
    UrlCase("script-language", {"lang": ["<script>alert(1)</script>"]}, "a script tag as the language",
            "<script>alert(1)</script>"),
    UrlCase("script-country", {"country": ["<script>alert(document.cookie)</script>"]}, "a script tag as a country",
            "<script>alert(document.cookie)</script>"),
    UrlCase("img-entity", {"entity": ["<img src=x onerror=alert(1)>"]}, "an img tag as an entity",
            "<img src=x onerror=alert(1)>"),
    UrlCase("markdown-sector", {"sector": [":red[boom] **bold** [link](javascript:alert(1))"]},
            "Markdown and a Streamlit colour directive as a sector", ":red[boom] **bold** [link](javascript:alert(1))"),
    UrlCase("sql-country", {"country": ["SEN' OR '1'='1"]}, "SQL as a country", "SEN' OR '1'='1"),
    UrlCase("sql-years", {"years": ["2020; DROP TABLE versions", "2024"]}, "SQL as a year", "2020; DROP T"),
    UrlCase("nul-country", {"country": ["SEN\x00"]}, "a NUL byte after a code", "SEN"),
    UrlCase("long-sector", {"sector": ["a" * 100_000]}, "a value of 100,000 characters", "a" * 80),
    UrlCase("repeated-country", {"country": ["ZZZ"] * 500}, "a parameter repeated 500 times", "500"),
    UrlCase("thousands-repeated", {"country": ["SEN"] * MANY}, "a parameter repeated 5,000 times: Streamlit drops "
            "a query string of more than 1,000 parameters before the app sees it", None),
    UrlCase("thousands-of-names", {f"p{i}": ["x"] for i in range(999)}, "999 unknown parameters (ignored)", None),
    UrlCase("present-yes", {"present": ["yes"]}, "present=yes instead of 1", "yes"),
    UrlCase("slide-without-present", {"slide": ["3"]}, "a slide without presentation mode", "3"),
    UrlCase("slide-beyond-deck", {"present": ["1"], "slide": ["999"]}, "a slide the deck does not have", "999"),
    UrlCase("slide-thousands-of-digits", {"present": ["1"], "slide": ["9" * 5000]}, "a slide number of 5,000 digits",
            "999999999999"),
    UrlCase("slide-not-a-number", {"present": ["1"], "slide": ["²"]}, "a superscript two as a slide", "²"),
    UrlCase("unknown-country-on-international", {"country": ["ZZZ"]}, "an unknown code on /international", "ZZZ",
            page="app_pages/international.py"),
    UrlCase("absurd-years-on-admin", {"years": ["3000", "1"], "country": ["ZZZ"]}, "bad filters on /admin",
            "ZZZ", page="app_pages/admin.py"),
]  # fmt: skip
