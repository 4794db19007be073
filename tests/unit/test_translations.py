"""Every text a reader can meet exists in English and French: interface strings, metadata, notes, kinds of place."""

from __future__ import annotations

import ast
import copy
import csv
import string
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pytest

from components.tables import figures_display
from dashboard.filters import COUNTRY, ENTITY, SECTOR, YEARS
from dashboard.i18n import LANGUAGES, QUALIFIERS, TEXT
from dashboard.queries import figures, locations
from data.build.build import check_note_translations
from tests.conftest import DATA, ROOT

SCANNED = [ROOT / "dashboard", ROOT / "components"]


# ---- interface texts -------------------------------------------------------------------------------------------


def placeholders(text: str) -> set[str]:
    """The {names} a text fills in (str.format's own parser, so "{value:,}" and "{{" are read as format does)."""
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def translation_problems(texts: dict[str, dict[str, str]]) -> list[str]:
    """What is wrong with a table of texts: a language missing or empty, placeholders that differ."""
    problems = []
    for key, versions in texts.items():
        for lang in LANGUAGES:
            if not str(versions.get(lang) or "").strip():
                problems.append(f"{key}: no {lang} text")
        if set(versions) != set(LANGUAGES):
            problems.append(f"{key}: languages {sorted(versions)} instead of {list(LANGUAGES)}")
        found = {lang: placeholders(versions[lang]) for lang in LANGUAGES if versions.get(lang)}
        if len({frozenset(names) for names in found.values()}) > 1:
            problems.append(f"{key}: placeholders differ {found}")
    return problems


def test_every_text_has_both_languages_with_the_same_placeholders():
    assert translation_problems(TEXT) == []
    assert translation_problems(QUALIFIERS) == []


def test_deleting_or_emptying_one_french_text_is_caught():
    key = next(iter(TEXT))
    with_placeholder = next(k for k, v in TEXT.items() if placeholders(v["en"]))
    emptied, deleted, renamed = copy.deepcopy(TEXT), copy.deepcopy(TEXT), copy.deepcopy(TEXT)
    emptied[key]["fr"] = " "
    del deleted[key]["fr"]
    renamed[with_placeholder]["fr"] = renamed[with_placeholder]["fr"].replace("{", "{x")
    already = set(translation_problems(TEXT))  # compared with the real table, whatever state it is in
    assert set(translation_problems(emptied)) - already == {f"{key}: no fr text"}
    assert f"{key}: no fr text" in set(translation_problems(deleted)) - already
    assert any(p.startswith(f"{with_placeholder}: placeholders") for p in set(translation_problems(renamed)) - already)


# ---- keys used in the code -------------------------------------------------------------------------------------


@dataclass
class KeyUses:
    """Keys passed to t() in the code: literal keys, f-string prefixes, and arguments the scan could not follow."""

    keys: dict[str, str] = field(default_factory=dict)  # key -> where first seen
    prefixes: dict[str, str] = field(default_factory=dict)
    unresolved: list[str] = field(default_factory=list)


class KeyScanner:
    """Finds what reaches the first argument of t(...) by reading the source (ast, not imports or execution).

    Follows string literals, `a if c else b`, f-strings (their literal prefix), local names bound by assignment or
    by a for loop / comprehension over literal tuples, and function parameters (through every call site).
    """

    def __init__(self, sources: dict[str, str]):
        self.trees = {name: ast.parse(text, filename=name) for name, text in sources.items()}
        self.parents = {
            name: {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
            for name, tree in self.trees.items()
        }
        self.uses = KeyUses()
        self.following: set[tuple[str, ast.AST, str]] = set()

    def scan(self) -> KeyUses:
        for module, tree in self.trees.items():
            if not self._uses_translations(tree):
                continue
            for node in ast.walk(tree):
                if isinstance(node, ast.Call) and self._is_t(node.func) and node.args:
                    self._resolve(module, node.args[0], depth=0)
        return self.uses

    @staticmethod
    def _uses_translations(tree: ast.Module) -> bool:
        imported = any(isinstance(n, ast.ImportFrom) and n.module == "dashboard.i18n" and
                       any(a.name == "t" for a in n.names) for n in ast.walk(tree))  # fmt: skip
        defined = any(isinstance(n, ast.FunctionDef) and n.name == "t" for n in tree.body)
        return imported or defined

    @staticmethod
    def _is_t(func: ast.expr) -> bool:
        return (isinstance(func, ast.Name) and func.id == "t") or (isinstance(func, ast.Attribute) and func.attr == "t")

    def _where(self, module: str, node: ast.AST) -> str:
        return f"{module}:{getattr(node, 'lineno', '?')}"

    def _resolve(self, module: str, expr: ast.expr, depth: int) -> None:
        where = self._where(module, expr)
        if _is_text(expr):
            self.uses.keys.setdefault(expr.value, where)
        elif isinstance(expr, ast.IfExp):
            self._resolve(module, expr.body, depth)
            self._resolve(module, expr.orelse, depth)
        elif isinstance(expr, ast.JoinedStr) and expr.values and isinstance(expr.values[0], ast.Constant):
            self.uses.prefixes.setdefault(expr.values[0].value, where)
        elif isinstance(expr, ast.BinOp) and isinstance(expr.op, ast.Add) and _is_text(expr.left):
            self.uses.prefixes.setdefault(expr.left.value, where)  # "precision_" + row["precision"]
        elif isinstance(expr, ast.Name) and depth < 5:
            scope = self._scope(module, expr)
            if (module, scope, expr.id) in self.following:
                return  # `key = "a" if c else key`: the name's other bindings are being followed already
            self.following.add((module, scope, expr.id))
            bound = self._bindings(module, expr)
            if not bound:
                self.uses.unresolved.append(f"{where}: t({expr.id}, ...)")
            for source_module, value in bound:
                self._resolve(source_module, value, depth + 1)
            self.following.discard((module, scope, expr.id))
        else:
            self.uses.unresolved.append(f"{where}: t({ast.unparse(expr)}, ...)")

    def _scope(self, module: str, node: ast.AST) -> ast.AST:
        parents = self.parents[module]
        while node in parents and not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            node = parents[node]
        return node

    def _bindings(self, module: str, name: ast.Name) -> list[tuple[str, ast.expr]]:
        """Expressions the name may hold where it is read: its assignments, loop items, or call-site arguments."""
        scope = self._scope(module, name)
        found: list[tuple[str, ast.expr]] = []
        for node in ast.walk(scope):
            if isinstance(node, ast.Assign):
                for target in node.targets:
                    found += [(module, v) for v in _unpack(target, node.value, name.id)]
            elif isinstance(node, (ast.For, ast.comprehension)) and isinstance(node.iter, (ast.Tuple, ast.List)):
                for item in node.iter.elts:
                    found += [(module, v) for v in _unpack(node.target, item, name.id)]
        if not found and isinstance(scope, (ast.FunctionDef, ast.AsyncFunctionDef)):
            found = self._call_site_arguments(scope, name.id)
        return found

    def _call_site_arguments(self, function: ast.FunctionDef, parameter: str) -> list[tuple[str, ast.expr]]:
        names = [a.arg for a in function.args.posonlyargs + function.args.args]
        if parameter not in names + [a.arg for a in function.args.kwonlyargs]:
            return []
        position = names.index(parameter) if parameter in names else None
        found = []
        for module, tree in self.trees.items():
            for call in ast.walk(tree):
                if not isinstance(call, ast.Call) or _called_name(call) != function.name:
                    continue
                found += [(module, k.value) for k in call.keywords if k.arg == parameter]
                if position is not None and position < len(call.args):
                    found.append((module, call.args[position]))
        return found


def _called_name(call: ast.Call) -> str | None:
    return getattr(call.func, "id", None) or getattr(call.func, "attr", None)


def _is_text(expr: ast.expr) -> bool:
    return isinstance(expr, ast.Constant) and isinstance(expr.value, str)


def _unpack(target: ast.expr, value: ast.expr, name: str) -> list[ast.expr]:
    if isinstance(target, ast.Name):
        return [value] if target.id == name else []
    sequences = (ast.Tuple, ast.List)
    if isinstance(target, sequences) and isinstance(value, sequences) and len(target.elts) == len(value.elts):
        return [v for part, item in zip(target.elts, value.elts, strict=True) for v in _unpack(part, item, name)]
    return []


def _project_sources() -> dict[str, str]:
    files = sorted(path for folder in SCANNED for path in folder.rglob("*.py"))
    return {str(path.relative_to(ROOT)): path.read_text(encoding="utf-8") for path in files}


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def expected_suffixes() -> dict[str, set[str]]:
    """What each f-string key prefix is completed with, known from the data and the code that makes the values."""
    notice_problems = set()
    for tree in KeyScanner(_project_sources()).trees.values():
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "Notice" and node.args:
                first = node.args[0]
                if isinstance(first, ast.Constant) and isinstance(first.value, str):
                    notice_problems.add(first.value)
    return {
        "precision_": {row["precision"] for row in _rows(DATA / "locations.csv")},
        "dimension_": {COUNTRY, SECTOR, ENTITY},
        "parameter_": {COUNTRY, SECTOR, ENTITY, YEARS},
        "notice_": notice_problems,
    }


@pytest.fixture(scope="module")
def key_uses() -> KeyUses:
    return KeyScanner(_project_sources()).scan()


def test_the_scan_finds_the_keys_the_pages_use(key_uses):
    # A scan that finds nothing would pass everything: check it sees keys of each shape it claims to follow.
    assert {"col_note", "page_overview"} <= set(key_uses.keys)  # literals
    assert {"dataset_real", "dataset_synthetic"} <= set(key_uses.keys)  # both sides of `a if c else b`
    assert {"precision_", "notice_"} <= set(key_uses.prefixes)  # f-strings


def test_every_key_used_in_the_code_has_a_text(key_uses):
    missing = {key: where for key, where in key_uses.keys.items() if key not in TEXT}
    assert not missing, f"t() keys without a text in dashboard/i18n.py: {missing}"


def test_every_key_argument_can_be_followed(key_uses):
    # A key the scan cannot follow could be missing unnoticed: pass t() a literal, or a name bound to literals.
    assert not key_uses.unresolved, key_uses.unresolved


def test_every_built_key_has_a_text(key_uses):
    expected = expected_suffixes()
    for prefix, where in key_uses.prefixes.items():
        assert any(key.startswith(prefix) for key in TEXT), f"no text starts with {prefix!r} ({where})"
        missing = sorted(prefix + suffix for suffix in expected.get(prefix, ()) if prefix + suffix not in TEXT)
        assert not missing, f"keys built at {where} without a text: {missing}"


def test_a_missing_key_in_the_code_is_caught():
    code = """
from dashboard.i18n import t

def header(view, title_key):
    return t(title_key, view.lang)

def page(view, lang, flag):
    header(view, "no_such_title")
    label = "no_such_label" if flag else "page_overview"
    label = "no_such_other_label" if flag else label
    for name, key in (("a", "no_such_loop_key"),):
        t(key, lang)
    return t(label, lang) + t(f"no_such_prefix_{flag}", lang) + t("other_prefix_" + flag, lang) + t(compute(), lang)
"""
    uses = KeyScanner({"example.py": code}).scan()
    assert {"no_such_title", "no_such_label", "no_such_other_label", "page_overview", "no_such_loop_key"} <= set(
        uses.keys
    )
    assert {"no_such_prefix_", "other_prefix_"} <= set(uses.prefixes)
    assert uses.unresolved == ["example.py:13: t(compute(), ...)"]


# ---- the data's own texts --------------------------------------------------------------------------------------


def test_every_indicator_is_labelled_united_and_described_in_both_languages(catalog):
    for indicator in catalog.indicators.values():
        for lang in LANGUAGES:
            assert indicator.labels[lang].strip(), (indicator.id, "label", lang)
            assert indicator.units[lang].strip(), (indicator.id, "unit", lang)
            assert indicator.descriptions[lang].strip(), (indicator.id, "description", lang)
        short = [indicator.short_units[lang].strip() for lang in LANGUAGES]
        assert all(short) or not any(short), (indicator.id, "short unit in one language only", short)


def test_every_sector_and_country_is_named_in_both_languages(catalog):
    for sector in catalog.sectors.values():
        assert all(sector.labels[lang].strip() for lang in LANGUAGES), sector.id
    for country in catalog.countries.values():
        assert all(country.names[lang].strip() for lang in LANGUAGES), country.iso3


def _missing_french(frame: pd.DataFrame, english: str, french: str, id_column: str) -> list[str]:
    has_english = frame[english].fillna("").str.strip() != ""
    has_french = frame[french].fillna("").str.strip() != ""
    return frame.loc[has_english & ~has_french, id_column].tolist()


def test_every_note_reaches_the_pages_in_french(store):
    # Read through the queries the pages use, so that a column dropped on the way is caught too.
    assert _missing_french(figures(store), "note", "note_fr", "observation_id") == []
    assert _missing_french(locations(store), "note", "note_fr", "location_id") == []


def test_every_kind_of_place_is_named_in_french(store):
    places = locations(store)
    assert _missing_french(places, "kind", "kind_fr", "location_id") == []
    assert places["kind_fr"].notna().all()


def test_the_figures_table_shows_the_note_in_the_readers_language(store, catalog):
    noted = figures(store)
    noted = noted[noted["observation_id"] == "obs-002"]
    assert figures_display(noted, catalog, "en").iloc[0, -1] == "conflicts with 2,700 (novethic-2013)"
    assert figures_display(noted, catalog, "fr").iloc[0, -1] == "diverge de 2\u202f700 (novethic-2013)"


def test_a_note_without_french_stops_the_build_and_names_the_note():
    rows = [{"note": "page undated"}, {"note": "a new caveat"}, {"note": ""}]
    with pytest.raises(ValueError, match="'a new caveat'"):
        check_note_translations({"page undated": "page non datée"}, rows)
    check_note_translations({"page undated": "page non datée", "a new caveat": "une nouvelle réserve"}, rows)
