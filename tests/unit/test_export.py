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


def test_the_excel_workbook_holds_the_rows_and_describes_them(tmp_path, store):
    import openpyxl

    from dashboard.export import xlsx_bytes
    from dashboard.filters import Filters

    rows = facts_export(facts(store, Filters(sectors=("seniors",))))
    rows.loc[0, "note"] = '=HYPERLINK("http://example.invalid")'
    sources = rows[["source_id", "source_title", "source_url"]].drop_duplicates()
    path = tmp_path / "view.xlsx"
    path.write_bytes(xlsx_bytes(rows, columns={"value": "the value"}, about=[("filters", "Seniors")], sources=sources))
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["data", "about", "sources"]
    data = pd.read_excel(path, sheet_name="data")
    assert len(data) == 4 and set(data["source_id"]) == {"geroscopie-31", "ash-3209"}
    assert book["data"]["V2"].data_type == "s" and book["data"]["V2"].value.startswith("'=")  # text, not a formula
    about = pd.read_excel(path, sheet_name="about")
    assert ["filters", "Seniors"] in about.values.tolist() and ["value", "the value"] in about.values.tolist()
