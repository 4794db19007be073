import csv
import io
import subprocess
import sys

from tests.conftest import ROOT


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "dashboard", *args], cwd=ROOT, capture_output=True, text=True, timeout=120
    )


def test_help_lists_the_subcommands():
    result = _run("--help")
    assert result.returncode == 0
    assert "facts" in result.stdout


def test_facts_prints_all_131_figures_with_their_sources():
    result = _run("facts")
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) == 131
    assert all(row["source_title"] and row["confidence"] in {"A", "B"} for row in rows)
    revenue_2022 = sorted(float(r["value"]) for r in rows if r["indicator_id"] == "revenue" and r["period"] == "2022")
    assert revenue_2022 == [1260, 1370, 1400]


def test_an_unknown_subcommand_is_a_usage_error_not_a_traceback():
    result = _run("frobnicate")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr and "invalid choice" in result.stderr


def test_a_missing_dataset_is_a_clear_message_not_a_traceback(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "dashboard", "facts"],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
        env={**__import__("os").environ, "DASHBOARD_DATA_DIR": str(tmp_path / "nowhere"),
             "DASHBOARD_DATABASE_URL": f"duckdb:///{tmp_path / 'new.duckdb'}"},
    )  # fmt: skip
    assert result.returncode == 1
    assert "Traceback" not in result.stderr and "nowhere" in result.stderr


def test_deck_writes_a_french_powerpoint_of_a_filtered_view(tmp_path):
    from pptx import Presentation

    out = tmp_path / "senegal.pptx"
    result = _run("deck", "--out", str(out), "--lang", "fr", "--country", "SEN")
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    deck = Presentation(str(out))
    titles = [slide.shapes.title.text for slide in deck.slides]
    assert titles[:2] == ["Groupe SOS : indicateurs d'impact", "Chiffres clés"]
    assert "Croissance du groupe" not in " ".join(titles)  # group totals are not split by country
    assert any(
        "Affichage : Sénégal." in shape.text_frame.text for shape in deck.slides[0].shapes if shape.has_text_frame
    )


def test_deck_refuses_an_unknown_country_and_writes_nothing(tmp_path):
    out = tmp_path / "nope.pptx"
    result = _run("deck", "--out", str(out), "--country", "ZZZ")
    assert result.returncode == 1 and "ZZZ" in result.stderr and "Traceback" not in result.stderr
    assert not out.exists()
