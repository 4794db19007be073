"""Checks an upload cell by cell against data/datapackage.json and the domain's rules, and merges it into the data.

Field checks (type, required, allowed values, pattern, range, uniqueness, web address) are read from the datapackage,
never copied here. Domain rules the schema cannot say: foreign keys resolved against the merged dataset, counts that
cannot be negative, actual figures dated in the future, periods that cannot be read, units that differ from the
indicator's, notes without French. Checks run column by column on Arrow arrays, so 100,000 rows take a second or so;
at most MAX_PROBLEMS problems are listed, then their count.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from dashboard.derive import DERIVATIONS
from dashboard.i18n import format_number, t
from dashboard.schema import (
    ARROW_TYPES,
    TABLES,
    arrow_schema,
    derived_from,
    editable_fields,
    fields,
    foreign_keys,
    primary_key,
)

if TYPE_CHECKING:
    from dashboard.workbook import Upload

Tables = dict[str, pa.Table]

MODES = ("update", "replace")
MAX_PROBLEMS = 200
VALUE_SHOWN = 60  # characters of a value quoted in a message
_CONTROL_PICTURES = {code: 0x2400 + code for code in range(0x20) if chr(code) not in "\t"} | {0x7F: 0x2421}

# What a cell must look like to be read as each datapackage type (the text a CSV holds, as workbook.py makes it).
_NUMBER = r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$"
_INTEGER = r"^[+-]?\d{1,18}$"  # 19 digits and more do not fit in 64 bits
_BOOLEAN = {"true": True, "false": False}
_WEB_ADDRESS = r"^https?://[^\s/?#]+\.[^\s]*$"
TYPE_PROBLEMS = {
    "number": "not_a_number",
    "integer": "not_an_integer",
    "date": "not_a_date",
    "boolean": "not_a_boolean",
}
# The problem a value missing from the table a foreign key points to is, by that table.
UNKNOWN_REFERENCE = {
    "indicators": "unknown_indicator",
    "countries": "unknown_country",
    "sectors": "unknown_sector",
    "entities": "unknown_entity",
    "sources": "unknown_source",
}
SUPPORTED_CONSTRAINTS = {"required", "unique", "enum", "pattern", "minimum", "maximum"}
EXAMPLES_SHOWN = 5


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an upload, where the steward will find it: sheet ("" for the whole file), row as numbered
    in Excel (the header is row 1), column, the value found; `code` names the rule, `params` fill its message."""

    sheet: str
    row: int | None
    column: str | None
    value: str | None
    code: str
    params: dict = field(default_factory=dict)

    def message(self, lang: str = "en") -> str:
        """A full sentence in English or French: where, what was found, what was expected."""
        return self._where(lang) + self.what(lang)

    def what(self, lang: str = "en") -> str:
        """The message without where: what was found and what was expected (for a table that shows where)."""
        values = {name: _shown(value, lang) for name, value in self.params.items()}
        values.update(sheet=self.sheet, row=self.row, column=self.column, value=self.value)
        return self._text(lang, values)

    def __str__(self) -> str:
        return self.message("en")

    def _where(self, lang: str) -> str:
        if not self.sheet:
            return ""
        if self.row is not None and self.column:
            return t("problem_where_cell", lang, sheet=self.sheet, row=self.row, column=self.column)
        if self.row is not None:
            return t("problem_where_row", lang, sheet=self.sheet, row=self.row)
        if self.column:
            return t("problem_where_column", lang, sheet=self.sheet, column=self.column)
        return t("problem_where_sheet", lang, sheet=self.sheet)

    def _text(self, lang: str, values: dict) -> str:
        # Literal keys, so that tests/unit/test_translations.py sees every one of them.
        for key in (
            "problem_empty_file", "problem_file_too_large", "problem_zip_too_large", "problem_not_a_workbook",
            "problem_encrypted_workbook", "problem_old_excel_format", "problem_unreadable_workbook",
            "problem_unsupported_file", "problem_not_utf8", "problem_not_text", "problem_unreadable_csv",
            "problem_unknown_table", "problem_no_tables", "problem_unknown_sheet", "problem_duplicate_sheet",
            "problem_no_rows",
            "problem_too_many_rows", "problem_missing_column", "problem_unknown_column",
            "problem_misspelled_column", "problem_duplicate_column", "problem_cell_without_header",
            "problem_formula_without_value", "problem_excel_error", "problem_example_row", "problem_required",
            "problem_missing_source", "problem_not_a_number", "problem_not_an_integer", "problem_not_a_date",
            "problem_not_a_boolean", "problem_not_allowed", "problem_pattern_mismatch", "problem_below_minimum",
            "problem_above_maximum", "problem_not_a_url", "problem_duplicate", "problem_unknown_indicator",
            "problem_unknown_country", "problem_unknown_sector", "problem_unknown_entity", "problem_unknown_source",
            "problem_still_referenced", "problem_negative_count", "problem_future_actual",
            "problem_year_out_of_range", "problem_bad_period", "problem_unit_mismatch", "problem_missing_french",
            "problem_more_problems",
        ):  # fmt: skip
            if key == "problem_" + self.code:
                return t(key, lang, **values)
        raise KeyError(f"no message for the problem code {self.code!r}")


def _shown(value, lang: str) -> str:
    """A message parameter as the reader sees it: counts with the language's separators, lists comma-separated."""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int | float):
        return format_number(value, lang, decimals=1)
    if isinstance(value, list | tuple):
        return ", ".join(str(item) for item in value)
    return str(value)


def shorten(value: str | None) -> str | None:
    """A found value fit for a one-line message: one line, control characters made visible ("peo␇ple", which would
    otherwise read "people"), at most VALUE_SHOWN characters."""
    if value is None:
        return None
    one_line = " ".join(value.split()) if "\n" in value or "\r" in value else value
    one_line = one_line.translate(_CONTROL_PICTURES)
    return one_line if len(one_line) <= VALUE_SHOWN else one_line[: VALUE_SHOWN - 1] + "…"


def ordered(problems: list[Problem], limit: int = MAX_PROBLEMS) -> list[Problem]:
    """Problems in reading order (the file first, then sheets in table order, rows, columns), at most `limit`, then
    one problem counting the others (those of any `more_problems` given included)."""
    more = sum(p.params["count"] for p in problems if p.code == "more_problems")
    ranked = sorted((p for p in problems if p.code != "more_problems"), key=_rank)
    more += max(0, len(ranked) - limit)
    listed = ranked[:limit]
    if more:
        listed.append(Problem("", None, None, None, "more_problems", {"count": more}))
    return listed


def _sheet_rank(sheet: str) -> int:
    return TABLES.index(sheet) + 1 if sheet in TABLES else 0


def _column_rank(sheet: str, column: str | None) -> int:
    if column is None or sheet not in TABLES:
        return -1
    names = [f["name"] for f in fields(sheet)]
    return names.index(column) if column in names else len(names)


def _rank(problem: Problem) -> tuple:
    return (_sheet_rank(problem.sheet), problem.row or 0, _column_rank(problem.sheet, problem.column))


# ---- reading typed values from text -----------------------------------------------------------------------------


def parse_column(field_type: str, text: pa.Array) -> tuple[pa.Array, np.ndarray]:
    """The values of a text column in the datapackage type, and a mask of the cells that are not of that type
    (those become null). Empty cells are null in the text and stay null."""
    arrow_type = ARROW_TYPES[field_type]
    if field_type == "string":
        return text, np.zeros(len(text), dtype=bool)
    if field_type in ("number", "integer"):
        ok = _fill(pc.match_substring_regex(text, _NUMBER if field_type == "number" else _INTEGER))
        unsigned = pc.replace_substring_regex(text, r"^\+", "")  # Arrow reads "-3" but not "+3"
        values = pc.cast(pc.if_else(ok, unsigned, pa.scalar(None, pa.string())), arrow_type)
        if field_type == "number":  # "1e400" is written like a number but is not one
            ok = pc.and_(ok, _fill(pc.is_finite(values)))
            values = pc.if_else(ok, values, pa.scalar(None, arrow_type))
    else:
        parse = _parse_date if field_type == "date" else _BOOLEAN.get
        lookup = {}
        for item in pc.unique(text).to_pylist():
            if item is not None:
                lookup[item] = parse(item.lower() if field_type == "boolean" else item)
        values = pa.array([lookup.get(item) if item is not None else None for item in text.to_pylist()], arrow_type)
        ok = pc.is_valid(values)
    bad = pc.and_(pc.is_valid(text), pc.invert(ok))
    return values, _mask(bad)


def _parse_date(text: str) -> date | None:
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def _fill(array) -> pa.Array:
    return pc.fill_null(array, False)


def _mask(array) -> np.ndarray:
    if isinstance(array, pa.ChunkedArray):
        array = array.combine_chunks()
    return np.asarray(_fill(array).to_numpy(zero_copy_only=False), dtype=bool)


# ---- merging ----------------------------------------------------------------------------------------------------


def merge(current: Tables, upload: Upload, mode: str = "update") -> Tables:
    """The dataset the upload would make. update: each row replaces the current row with the same primary key, in
    its place, or is added at the end; replace: each table of the upload replaces that table. Other tables stay."""
    if mode not in MODES:
        raise ValueError(f"mode {mode!r} is not one of {', '.join(MODES)}")
    merged = dict(current)
    for name, rows in upload.tables.items():
        schema = arrow_schema(name)
        rows = rows.select(schema.names).cast(schema)
        if mode == "replace" or name not in current:
            merged[name] = rows
            continue
        before = current[name].select(schema.names).cast(schema)
        key = primary_key(name)
        position = {}
        for index, value in enumerate(rows[key].to_pylist()):
            position.setdefault(value, index)
        offset = before.num_rows
        taken = [offset + position[k] if k in position else i for i, k in enumerate(before[key].to_pylist())]
        replaced = set(before[key].to_pylist())
        taken += [offset + i for i, k in enumerate(rows[key].to_pylist()) if k not in replaced and position[k] == i]
        merged[name] = pa.concat_tables([before, rows]).take(pa.array(taken, pa.int64()))
    return merged


# ---- checking ---------------------------------------------------------------------------------------------------


@dataclass
class _Batch:
    """Cells of one column that break one rule: row indexes in the upload's table, and how to word each."""

    table: str
    column: str | None
    code: str
    rows: np.ndarray
    params: Callable[[int], dict] | dict


@dataclass
class _Findings:
    upload: Upload
    batches: list[_Batch] = field(default_factory=list)
    single: list[Problem] = field(default_factory=list)

    def add(self, table: str, column: str, code: str, mask_or_rows: np.ndarray, params=None) -> None:
        """Cells breaking a rule: a mask over the table's rows, or their indexes; params a dict or a function of the
        row index (for a message naming, say, the row a value is repeated from)."""
        rows = np.flatnonzero(mask_or_rows) if mask_or_rows.dtype == bool else mask_or_rows
        if len(rows):
            self.batches.append(_Batch(table, column, code, rows, params or {}))

    def problems(self) -> list[Problem]:
        """One problem per cell (the first rule it breaks, in the order checked), in reading order, capped."""
        if not self.batches:
            return ordered(self.single)
        names = {table: [f["name"] for f in fields(table)] for table in TABLES}
        sheet, row, column, batch, index = [], [], [], [], []
        for number, found in enumerate(self.batches):
            size = len(found.rows)
            sheet.append(np.full(size, _sheet_rank(found.table)))
            row.append(np.asarray(self.upload.row_numbers[found.table], dtype=np.int64)[found.rows])
            column.append(np.full(size, names[found.table].index(found.column) if found.column else -1))
            batch.append(np.full(size, number))
            index.append(found.rows)
        sheet, row, column, batch, index = (np.concatenate(parts) for parts in (sheet, row, column, batch, index))
        order = np.lexsort((batch, column, row, sheet))
        sheet, row, column, batch, index = (parts[order] for parts in (sheet, row, column, batch, index))
        first_of_cell = np.ones(len(order), dtype=bool)
        first_of_cell[1:] = (sheet[1:] != sheet[:-1]) | (row[1:] != row[:-1]) | (column[1:] != column[:-1])
        found = list(zip(batch[first_of_cell], index[first_of_cell], row[first_of_cell], strict=True))
        listed = [self._problem(item) for item in found[:MAX_PROBLEMS]]
        if len(found) > len(listed):
            listed.append(Problem("", None, None, None, "more_problems", {"count": len(found) - len(listed)}))
        return ordered(listed + self.single)

    def _problem(self, item: tuple) -> Problem:
        number, index, row = (int(part) for part in item)
        batch = self.batches[number]
        params = batch.params(index) if callable(batch.params) else batch.params
        value = _text_table(self.upload, batch.table)[batch.column][index].as_py()
        return Problem(batch.table, row, batch.column, shorten(value), batch.code, dict(params))


def check(upload: Upload, current: Tables, mode: str = "update") -> list[Problem]:
    """Every problem of the dataset the upload would make (see merge), reported at the upload's sheets and rows."""
    merged = merge(current, upload, mode)
    findings = _Findings(upload)
    for table in TABLES:
        if table not in upload.tables:
            continue
        text = _text_table(upload, table)
        typed = upload.tables[table]
        _field_checks(findings, table, text, typed, current)
        _period_checks(findings, table, text, typed)
        _reference_checks(findings, table, typed, merged)
        if table == "observations":
            _figure_checks(findings, typed, current, merged)
        _french_checks(findings, table, text)
    if mode == "replace":
        _removed_but_used(findings, current, merged, upload)
    return findings.problems()


def validate(data: bytes, file_name: str, current: Tables, mode: str = "update") -> tuple[Upload | None, list[Problem]]:
    """Read a file (see workbook.read_upload) and check it against the current data: the upload and every problem."""
    from dashboard.workbook import read_upload

    if mode not in MODES:
        raise ValueError(f"mode {mode!r} is not one of {', '.join(MODES)}")
    upload, problems = read_upload(data, file_name)
    if upload is None:
        return None, problems
    found_in_cells = {(p.sheet, p.row, p.column) for p in problems if p.row is not None and p.column}
    checked = [p for p in check(upload, current, mode) if (p.sheet, p.row, p.column) not in found_in_cells]
    return upload, ordered(problems + checked)


def _text_table(upload: Upload, table: str) -> pa.Table:
    """The upload's cells as text; for an Upload made without them, its typed values written as text."""
    if table in upload.text:
        return upload.text[table]
    typed = upload.tables[table]
    return pa.table({name: pc.cast(typed[name], pa.string()) for name in editable_fields(table)})


def _field_checks(findings: _Findings, table: str, text: pa.Table, typed: pa.Table, current: Tables) -> None:
    keys = {primary_key(table)}
    references_sources = {column for column, resource, _ in foreign_keys(table) if resource == "sources"}
    row_numbers = findings.upload.row_numbers[table]
    for spec in fields(table):
        name = spec["name"]
        if name not in text.column_names:
            continue
        cells = text[name].combine_chunks()
        constraints = spec.get("constraints", {})
        values, not_of_type = parse_column(spec["type"], cells)
        if spec["type"] in TYPE_PROBLEMS:
            findings.add(table, name, TYPE_PROBLEMS[spec["type"]], not_of_type)
        present = pc.is_valid(values)
        if constraints.get("required"):
            code = "missing_source" if name in references_sources else "required"
            findings.add(table, name, code, _mask(pc.is_null(cells)))
        if enum := constraints.get("enum"):
            allowed = [item for item in enum if item != ""]
            outside = pc.and_(present, pc.invert(pc.is_in(values, value_set=pa.array(allowed, values.type))))
            findings.add(table, name, "not_allowed", _mask(outside), {"allowed": allowed})
        if pattern := constraints.get("pattern"):
            unlike = pc.and_(present, pc.invert(_fill(pc.match_substring_regex(cells, f"^(?:{pattern})$"))))
            example = _example(current, table, name, pattern)
            findings.add(table, name, "pattern_mismatch", _mask(unlike), {"pattern": pattern, "example": example})
        for bound, code, compare in (("minimum", "below_minimum", pc.less), ("maximum", "above_maximum", pc.greater)):
            if bound in constraints:
                limit = constraints[bound]
                findings.add(table, name, code, _mask(compare(values, limit)), {bound: _number_text(limit)})
        if spec.get("format") == "uri":
            unlike = pc.and_(present, pc.invert(_fill(pc.match_substring_regex(cells, _WEB_ADDRESS))))
            findings.add(table, name, "not_a_url", _mask(unlike))
        if constraints.get("unique") or name in keys:
            rows, first = _repeated(values.to_pylist())
            findings.add(
                table, name, "duplicate", rows, lambda i, first=first: {"first_row": str(row_numbers[first[i]])}
            )


def _repeated(values: list) -> tuple[np.ndarray, dict[int, int]]:
    """Indexes of the values already seen higher up, and for each the index where it was first seen."""
    seen: dict = {}
    first: dict[int, int] = {}
    for index, value in enumerate(values):
        if value is None:
            continue
        if value in seen:
            first[index] = seen[value]
        else:
            seen[value] = index
    return np.fromiter(first, dtype=np.int64, count=len(first)), first


def _example(current: Tables, table: str, column: str, pattern: str) -> str:
    """A value of the current data that has the expected form, to show next to the pattern."""
    if table in current and column in current[table].column_names:
        for value in current[table][column].to_pylist():
            if value is not None and re.fullmatch(pattern, str(value)):
                return str(value)
    return pattern


def _number_text(value) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def _period_checks(findings: _Findings, table: str, text: pa.Table, typed: pa.Table) -> None:
    """Source columns of derived ones (periods, publication dates, since/until) that cannot be read, and derived
    values outside their declared range (a period in a year before 1900 or after 2100)."""
    for source, derive in DERIVATIONS.get(table, {}).items():
        if source not in text.column_names:
            continue
        cells = text[source].combine_chunks()
        unreadable = []
        for value in pc.unique(cells).to_pylist():
            try:
                derive(value)
            except ValueError:
                unreadable.append(value)
        if unreadable:
            findings.add(table, source, "bad_period", _mask(pc.is_in(cells, value_set=pa.array(unreadable))))
    # Only the year carries a range today; the rule reads it from the datapackage like any other constraint.
    for name, source in derived_from(table).items():
        constraints = next(f for f in fields(table) if f["name"] == name).get("constraints", {})
        if "minimum" not in constraints and "maximum" not in constraints:
            continue
        values = typed[name]
        low, high = constraints.get("minimum", -np.inf), constraints.get("maximum", np.inf)
        outside = pc.or_(pc.less(values, low), pc.greater(values, high))
        params = {"field": name, "minimum": _number_text(low), "maximum": _number_text(high)}
        findings.add(
            table, source, "year_out_of_range", _mask(outside),
            lambda i, values=values, params=params: params | {"year": str(values[i].as_py())},
        )  # fmt: skip


def _reference_checks(findings: _Findings, table: str, typed: pa.Table, merged: Tables) -> None:
    """Foreign keys resolved against the dataset the upload would make: a new source may sit on the sources sheet."""
    for column, resource, referenced in foreign_keys(table):
        known = pc.unique(merged[resource][referenced].drop_null())
        values = typed[column]
        unknown = pc.and_(pc.is_valid(values), pc.invert(pc.is_in(values, value_set=known)))
        examples = sorted(known.to_pylist())[:EXAMPLES_SHOWN] if resource != "sectors" else known.to_pylist()
        findings.add(table, column, UNKNOWN_REFERENCE[resource], _mask(unknown), {"examples": examples})


def _figure_checks(findings: _Findings, typed: pa.Table, current: Tables, merged: Tables) -> None:
    """Rules on figures: counts are not negative, actual figures are not dated after today, units are the ones the
    indicator already uses."""
    indicators = merged["indicators"]
    number_kind = dict(zip(indicators["id"].to_pylist(), indicators["number_kind"].to_pylist(), strict=True))
    indicator_ids = typed["indicator_id"].to_pylist()
    is_count = pa.array([number_kind.get(i) == "count" for i in indicator_ids], pa.bool_())
    negative = pc.and_(is_count, _fill(pc.less(typed["value"], 0)))
    findings.add("observations", "value", "negative_count", _mask(negative), lambda i: {"indicator": indicator_ids[i]})

    today = date.today()
    starts = pc.coalesce(typed["period_start"], typed["period_end"])
    future = pc.and_(_fill(pc.equal(typed["kind"], "actual")), _fill(pc.greater(starts, pa.scalar(today))))
    findings.add("observations", "period", "future_actual", _mask(future), {"today": today.isoformat()})

    units: dict[str, set[str]] = defaultdict(set)
    before = current["observations"]
    for indicator, unit in zip(before["indicator_id"].to_pylist(), before["unit"].to_pylist(), strict=True):
        if unit is not None:
            units[indicator].add(unit)
    uploaded_units = typed["unit"].to_pylist()
    other_unit = np.array(
        [bool(units.get(i)) and u is not None and u not in units[i] for i, u in zip(indicator_ids, uploaded_units, strict=True)],
        dtype=bool,
    )  # fmt: skip
    findings.add(
        "observations", "unit", "unit_mismatch", other_unit,
        lambda i: {"indicator": indicator_ids[i], "expected": sorted(units[indicator_ids[i]])},
    )  # fmt: skip


def _french_checks(findings: _Findings, table: str, text: pa.Table) -> None:
    """A text with an optional French column (note, note_fr) needs the French when it is given."""
    names = {f["name"]: f for f in fields(table)}
    for name, spec in names.items():
        english = name.removesuffix("_fr")
        if name == english or english not in names or spec.get("constraints", {}).get("required"):
            continue
        if name in text.column_names and english in text.column_names:
            missing = pc.and_(pc.is_valid(text[english]), pc.is_null(text[name]))
            findings.add(table, name, "missing_french", _mask(missing), {"english": english})


def _removed_but_used(findings: _Findings, current: Tables, merged: Tables, upload: Upload) -> None:
    """Replacing a table can remove a row that tables left as they are still point to (a source still cited)."""
    for table in TABLES:
        if table in upload.tables:
            continue
        key = primary_key(table)
        for column, resource, referenced in foreign_keys(table):
            if resource not in upload.tables:
                continue
            removed = set(current[resource][referenced].to_pylist()) - set(merged[resource][referenced].to_pylist())
            uses: dict[str, list[str]] = defaultdict(list)
            for row_key, value in zip(merged[table][key].to_pylist(), merged[table][column].to_pylist(), strict=True):
                if value in removed:
                    uses[value].append(row_key)
            for value, rows in sorted(uses.items()):
                findings.single.append(
                    Problem(
                        resource,
                        None,
                        referenced,
                        shorten(value),
                        "still_referenced",
                        {"table": table, "count": len(rows), "examples": rows[:3]},
                    )  # fmt: skip
                )
