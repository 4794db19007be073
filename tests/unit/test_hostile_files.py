"""Every hostile file of the corpus (tests/hostile/corpus.py) through the path the /admin page and the command line
share: refused with a message naming the file, row, column and value, in English and French; the store's versions
and rows unchanged by `import` in either mode; never a traceback. Text that is valid but holds SQL or HTML is stored
as text."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from contextlib import redirect_stderr, redirect_stdout

import pytest

from dashboard.__main__ import main
from dashboard.history import History, content_checksum
from tests.conftest import ROOT
from tests.hostile.build import COMMITTED, FILES, GENERATED
from tests.hostile.corpus import FILES as CASES
from tests.hostile.corpus import URLS
from tests.uploads import NEW_FIGURE, observations_csv


@pytest.fixture(scope="module")
def hostile_store(tmp_path_factory) -> str:
    """A DuckDB store of this module's own (seeded from data/ on first use), named by the environment as the app and
    the command line find it."""
    url = f"duckdb:///{tmp_path_factory.mktemp('hostile-store') / 'store.duckdb'}"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DASHBOARD_DATABASE_URL", url)
        yield url


@pytest.fixture(scope="module")
def state_before(hostile_store) -> tuple:
    cli("versions")  # seeds the store
    return state_of(hostile_store)


@pytest.fixture(autouse=True)
def keep_excepthook(monkeypatch):
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # main() sets its own


def state_of(url: str) -> tuple:
    """Every version (number, checksum, counts) and the content of the current one."""
    history = History(url)
    versions = [(v.number, v.action, v.checksum, v.added, v.changed, v.removed) for v in history.versions()]
    return versions, content_checksum(history.tables()[1])


def cli(*args: str) -> tuple[int, str]:
    """`python -m dashboard ...` in this process: its exit code and everything it printed."""
    out = io.StringIO()
    with redirect_stdout(out), redirect_stderr(out):
        code = main(list(args))
    return code, out.getvalue()


# ---- the corpus itself ------------------------------------------------------------------------------------------


def test_the_corpus_has_sixty_cases_or_more_each_with_a_file():
    assert len(CASES) + len(URLS) >= 60
    names = [case.file for case in CASES]
    assert len(names) == len(set(names))
    assert set(names) == set(COMMITTED) | set(GENERATED)
    assert all(case.wrong and case.codes and case.says for case in CASES)


def test_the_committed_files_are_what_the_builder_makes_and_small():
    assert sorted(path.name for path in FILES.iterdir()) == sorted(COMMITTED)
    for name, make in COMMITTED.items():
        data = (FILES / name).read_bytes()
        assert len(data) < 200_000, name
        assert data == make(), (
            f"{name} differs from what tests/hostile/build.py makes: run python -m tests.hostile.build"
        )


# ---- each file: refused, named, nothing changed -----------------------------------------------------------------


@pytest.mark.parametrize("case", CASES, ids=[case.file for case in CASES])
def test_a_hostile_file_is_refused_with_a_message_and_changes_nothing(case, hostile_files, hostile_store, state_before):
    path = hostile_files[case.file]
    _, change, problems = History(hostile_store).preview(path.read_bytes(), path.name)  # what /admin shows
    codes = {problem.code for problem in problems}
    assert set(case.codes) <= codes, [str(p) for p in problems]
    assert change.empty
    for problem in problems:
        assert problem.message("en") and problem.message("fr") and problem.message("en") != problem.message("fr")

    for mode in ("update", "replace"):
        code, output = cli("import", str(path), "--mode", mode, "--by", "mallory")
        assert code == 1, output
        assert "Traceback" not in output and "unexpected" not in output, output
        assert output.rstrip().endswith("(nothing was imported)."), output
        if mode == "update":
            missing = [fragment for fragment in case.says if fragment not in output]
            assert not missing, output
    assert state_of(hostile_store) == state_before, f"{case.file} changed the store"


SAMPLE = ["zip-bomb.xlsx", "billion-laughs.xlsx", "picture.csv", "observations-1e308.csv"]


@pytest.mark.parametrize("name", SAMPLE)
def test_validate_in_a_real_process_prints_the_problems_and_no_traceback(name, hostile_files, hostile_store):
    case = next(case for case in CASES if case.file == name)
    result = subprocess.run(
        [sys.executable, "-m", "dashboard", "validate", str(hostile_files[name])], cwd=ROOT, capture_output=True,
        text=True, timeout=120, env={**os.environ, "DASHBOARD_DATABASE_URL": hostile_store},
    )  # fmt: skip
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    assert all(fragment in result.stdout for fragment in case.says), result.stdout


def test_an_external_entity_never_reads_the_file_it_names(hostile_files, hostile_store):
    _, output = cli("validate", str(hostile_files["external-entity.xlsx"]))
    assert "root:" not in output and "/bin/" not in output


# ---- valid text that looks like code is data -------------------------------------------------------------------

SQL = "'); DROP TABLE observations_history; DELETE FROM versions; --"
HTML = "<script>alert('x')</script><img src=x onerror=alert(1)>"


def test_sql_and_html_in_text_fields_are_stored_as_text(tmp_path, monkeypatch):
    url = f"duckdb:///{tmp_path / 'store.duckdb'}"
    monkeypatch.setenv("DASHBOARD_DATABASE_URL", url)
    upload = tmp_path / "observations.csv"
    upload.write_bytes(observations_csv(NEW_FIGURE | {"note": SQL, "note_fr": HTML}))
    code, output = cli("import", str(upload), "--by", "alice")
    assert code == 0, output
    versions, _ = state_of(url)
    assert [number for number, *_ in versions] == [2, 1]
    _, tables = History(url).tables()
    (row,) = [r for r in tables["observations"].to_pylist() if r["observation_id"] == NEW_FIGURE["observation_id"]]
    assert (row["note"], row["note_fr"]) == (SQL, HTML)
    assert tables["observations"].num_rows > 100  # the table is still there, with every row
