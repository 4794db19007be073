"""Text from the data, a URL or an upload is never rendered as HTML: every call that renders raw HTML
(`unsafe_allow_html=True`, `st.html`, `components.html`) passes a constant of the code, listed here with why."""

from __future__ import annotations

import ast

from tests.conftest import ROOT

SCANNED = [ROOT / "dashboard", ROOT / "components"]
HTML_CALLS = {"html"}  # st.html(...), st.components.v1.html(...), components.html(...)

# (file, the constant passed): why it is safe
ALLOWED = {
    ("components/presentation.py", "PRESENTATION_CSS"): "a <style> block written in the code: presentation mode's "
    "large type and hidden chrome",
}


def raw_html_calls() -> list[tuple[str, int, ast.expr | None]]:
    """(file, line, what is passed) for every call that renders raw HTML."""
    found = []
    for folder in SCANNED:
        for path in sorted(folder.rglob("*.py")):
            tree = ast.parse(path.read_text(), filename=str(path))
            name = str(path.relative_to(ROOT))
            for node in ast.walk(tree):
                if not isinstance(node, ast.Call):
                    continue
                unsafe = any(
                    k.arg == "unsafe_allow_html" and not (isinstance(k.value, ast.Constant) and k.value.value is False)
                    for k in node.keywords
                )
                html = isinstance(node.func, ast.Attribute) and node.func.attr in HTML_CALLS
                if unsafe or html:
                    found.append((name, node.lineno, node.args[0] if node.args else None))
    return found


def constant_name(path: str, passed: ast.expr | None) -> str | None:
    """The name of a module-level constant (UPPER_CASE) passed, or None when it is anything else."""
    if isinstance(passed, ast.Name) and passed.id.isupper():
        tree = ast.parse((ROOT / path).read_text())
        assigned = {
            target.id
            for node in tree.body
            if isinstance(node, ast.Assign)
            for target in node.targets
            if isinstance(target, ast.Name)
        }
        return passed.id if passed.id in assigned else None
    return None


def test_raw_html_is_only_ever_a_listed_constant():
    unexpected = []
    for path, line, passed in raw_html_calls():
        if (path, constant_name(path, passed)) not in ALLOWED:
            unexpected.append(f"{path}:{line}: {ast.unparse(passed) if passed is not None else '(nothing)'}")
    assert unexpected == [], "raw HTML from something other than a listed constant"


def test_every_listed_constant_is_still_used():
    used = {(path, constant_name(path, passed)) for path, _, passed in raw_html_calls()}
    assert set(ALLOWED) <= used, set(ALLOWED) - used


def test_the_scan_finds_an_unsafe_call_on_data(tmp_path, monkeypatch):
    # The test above would pass on a scan that finds nothing: show it finds the kind of call it forbids.
    module = tmp_path / "dashboard" / "page.py"
    module.parent.mkdir()
    module.write_text("import streamlit as st\nst.markdown(row['note'], unsafe_allow_html=True)\nst.html(title)\n")
    monkeypatch.setitem(globals(), "ROOT", tmp_path)
    monkeypatch.setitem(globals(), "SCANNED", [tmp_path / "dashboard"])
    assert [(path, line) for path, line, _ in raw_html_calls()] == [("dashboard/page.py", 2), ("dashboard/page.py", 3)]
