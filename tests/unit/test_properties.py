"""Property-based tests (hypothesis) of what reads untrusted input: URL parameters to filters, cell text to typed
values, whole uploads to problems. Whatever comes in, they return a result or a list of problems: never an
exception, never a value outside what is allowed."""

from __future__ import annotations

import contextlib
import csv
import io
import re

import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from components.markdown import escape
from dashboard.derive import DERIVATIONS
from dashboard.filters import (
    COUNTRY,
    ENTITY,
    MAX_VALUES_PER_PARAMETER,
    SECTOR,
    YEARS,
    parse_link,
    parse_query_params,
)
from dashboard.i18n import DEFAULT_LANGUAGE, LANGUAGES
from dashboard.schema import TABLES, editable_fields
from dashboard.store import read_table
from dashboard.validation import parse_column, validate
from dashboard.workbook import excel_text, read_upload
from tests.conftest import DATA
from tests.unit.test_filters import CHOICES
from tests.uploads import VALID

# No example database: runs stay independent and write nothing into the checkout.
FAST = settings(max_examples=150, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
SLOW = settings(max_examples=60, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])

PARAMETERS = [COUNTRY, SECTOR, ENTITY, YEARS, "lang", "present", "slide", "other"]

# URL values: text of any kind, plus the values that matter (known ids, years, digits), mixed
values = st.one_of(
    st.text(max_size=30),
    st.sampled_from(["SEN", "fra", " FRA ", "health", "djantoli", "1", "0", "en", "fr", "²", "١٢", ""]),
    st.integers(-(10**30), 10**30).map(str),
    st.text(alphabet="0123456789", min_size=1, max_size=6000),
)
query_params = st.dictionaries(
    st.one_of(st.sampled_from(PARAMETERS), st.text(max_size=10)),
    st.lists(values, max_size=5) | st.lists(st.just("SEN"), min_size=190, max_size=260),
    max_size=6,
)


@FAST
@given(query_params)
def test_any_query_string_parses_to_valid_filters_and_reports_what_it_ignores(params):
    filters, notices = parse_query_params(params, CHOICES)
    assert set(filters.countries) <= CHOICES.countries
    assert set(filters.sectors) <= CHOICES.sectors and set(filters.entities) <= CHOICES.entities
    if filters.years is not None:
        first, last = filters.years
        assert CHOICES.first_year <= first <= last <= CHOICES.last_year
    # every value not kept is reported (blank ones aside), and a parameter repeated too often too
    for name, kept in ((COUNTRY, filters.countries), (SECTOR, filters.sectors), (ENTITY, filters.entities)):
        given_values = params.get(name, [])[:MAX_VALUES_PER_PARAMETER]
        dropped = [v for v in given_values if v.strip() and v.strip().upper() not in kept and v.strip() not in kept]
        reported = [n.value for n in notices if n.parameter == name and n.problem == "unknown_value"]
        assert [v[:80] for v in dropped] == reported
        if len(params.get(name, [])) > MAX_VALUES_PER_PARAMETER:
            assert any(n.problem == "too_many_values" and n.parameter == name for n in notices)
    asked_years = params.get(YEARS, [])
    if asked_years and filters.years is None:
        is_whole_range = [y.strip() for y in asked_years] in (["1984", "2025"], ["2025", "1984"])
        assert is_whole_range or any(n.parameter == YEARS for n in notices)
    # what is kept writes a URL that reads back to the same filters, with nothing to report
    assert parse_query_params(filters.to_query_params(), CHOICES) == (filters, [])


@FAST
@given(query_params)
def test_any_query_string_gives_a_language_a_mode_and_a_slide(params):
    link, notices = parse_link(params, LANGUAGES, DEFAULT_LANGUAGE)
    assert link.lang in LANGUAGES
    assert isinstance(link.present, bool)
    assert link.slide is None or isinstance(link.slide, str) or 0 <= link.slide < 10_000
    assert link.slide is None or link.present
    if params.get("lang") and params["lang"][-1] not in LANGUAGES:
        assert any(n.parameter == "lang" for n in notices)
    if params.get("slide") and params["slide"][0].strip() and not link.present:
        assert any(n.parameter == "slide" for n in notices)
    assert all(len(n.value) <= 80 for n in notices)


# ---- cells and uploads -----------------------------------------------------------------------------------------

cell_text = st.one_of(
    st.none(),
    st.text(max_size=20),
    st.sampled_from(["1e308", "-1e308", "1e400", "nan", "inf", "-0", "+.5", "1_000", "0x10", "2024-02-30", "1.0"]),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.integers(-(10**25), 10**25).map(str),
)


@FAST
@pytest.mark.parametrize("field_type", ["string", "number", "integer", "date", "boolean"])
@given(texts=st.lists(cell_text, max_size=20))
def test_a_column_of_any_text_reads_as_values_or_is_marked_not_of_its_type(field_type, texts):
    values, not_of_type = parse_column(field_type, pa.array(texts, pa.string()))
    assert len(values) == len(texts) == len(not_of_type)
    for text, value, bad in zip(texts, values.to_pylist(), not_of_type.tolist(), strict=True):
        if text is None:
            assert value is None and not bad
        else:
            assert (value is None) == bad  # a cell is either read or reported
        if field_type == "number" and value is not None:
            assert value == value and abs(value) != float("inf")  # never NaN, never infinite


@FAST
@given(st.one_of(st.none(), st.text(), st.booleans(), st.integers(), st.floats(), st.datetimes(), st.dates()))
def test_any_excel_cell_reads_as_text(value):
    text = excel_text(value)
    assert text is None or (isinstance(text, str) and text == text.strip() and len(text) < 400)


@FAST
@given(st.text(max_size=40))
def test_a_period_of_any_text_is_read_or_refused_with_a_value_error(text):
    for derivations in DERIVATIONS.values():
        for derive in derivations.values():
            with contextlib.suppress(ValueError):
                derive(text)


@pytest.fixture(scope="module")
def current() -> dict:
    return {name: read_table(DATA, name) for name in TABLES}


def rows_for(table: str):
    """Rows of a table: each cell the valid row's, or any text, or empty."""
    valid = VALID[table]
    cell = {name: st.one_of(st.just(valid[name]), cell_text.map(lambda t: t or "")) for name in editable_fields(table)}
    return st.lists(st.fixed_dictionaries(cell), min_size=1, max_size=8)


def quoted_csv(table: str, rows: list[dict]) -> bytes:
    """Every cell quoted, so that a line break in a cell stays in its cell and the file has exactly these rows."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=editable_fields(table), quoting=csv.QUOTE_ALL, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode()


@SLOW
@pytest.mark.parametrize("table", sorted(VALID))
@given(data=st.data())
def test_any_rows_validate_or_give_problems_each_in_a_row_and_column_of_the_file(current, table, data):
    rows = data.draw(rows_for(table))
    upload, problems = validate(quoted_csv(table, rows), f"{table}.csv", current)
    for problem in problems:
        assert problem.message("en") and problem.message("fr")
        if problem.row is not None:
            assert problem.sheet == table and 1 <= problem.row <= len(rows) + 1
        if problem.column is not None:
            assert problem.column in editable_fields(table)
    if upload is not None and not problems:
        assert upload.tables[table].num_rows == len(rows)


@SLOW
@given(data=st.binary(max_size=3000), suffix=st.sampled_from([".csv", ".xlsx", ".xls", ".txt", "", ".pdf"]))
def test_any_bytes_are_read_or_refused_with_a_problem(data, suffix):
    upload, problems = read_upload(data, f"upload{suffix}")
    assert upload is not None or problems
    assert all(problem.message("en") and problem.message("fr") for problem in problems)


@FAST
@given(st.text())
def test_escaped_text_reads_back_and_opens_no_markdown_or_html(text):
    escaped = escape(text)
    assert re.sub(r"\\(.)", r"\1", escaped, flags=re.DOTALL) == text
    assert not re.search(r"(?<!\\)(?:\\\\)*[<>\[\]`*_]", escaped.replace("\\\\", ""))
