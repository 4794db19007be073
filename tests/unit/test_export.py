import pandas as pd

from dashboard.export import csv_bytes, facts_export, neutralise_formulas
from dashboard.queries import facts


def test_cells_a_spreadsheet_would_run_are_neutralised():
    frame = pd.DataFrame(
        {"text": ["=1+1", "+33", "-x", "@SUM(A1)", "\tx", "\rx", "plain"], "n": [-1, 2, 3, 4, 5, 6, 7]}
    )
    safe = neutralise_formulas(frame)
    assert safe["text"].tolist() == ["'=1+1", "'+33", "'-x", "'@SUM(A1)", "'\tx", "'\rx", "plain"]
    assert safe["n"].tolist() == [-1, 2, 3, 4, 5, 6, 7]  # numbers are numbers, not formulas


def test_csv_opens_in_excel_with_accents_and_keeps_integers(store):
    data = csv_bytes(facts_export(facts(store)))
    assert data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8-sig")
    assert "Planète Urgence" in text
    assert ",2200,people,2009," in text
