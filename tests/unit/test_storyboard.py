"""The slides of a view, their alt text generated from data, the one-line summary and progress against targets."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from components.alt_text import bars_alt, series_alt
from components.storyboard import (
    MOST_SERIES_CHARTS,
    build_deck,
    fewer_dense,
    first_slide_of_page,
    headline_kpis,
    kpi_summary,
    series_by_section,
    share_out,
    targets_slide,
)
from components.targets import target_progress
from dashboard.filters import Filters
from dashboard.queries import SCOPE_ORDER, figures, repeated_series_in

NNBSP = "\u202f"


@pytest.fixture(scope="module")
def deck_en(store, catalog):
    return build_deck(store, catalog, Filters(), "en", today=date(2026, 11, 23))


@pytest.fixture(scope="module")
def deck_fr(store, catalog):
    return build_deck(store, catalog, Filters(), "fr", today=date(2026, 11, 23))


def test_employees_alt_text_names_both_ends_and_the_disagreements(store, catalog):
    rows = figures(store, indicators=["employees"], kind="actual")
    rows = rows[rows["scope_level"] == "group"]
    assert series_alt(rows, catalog.indicators["employees"], "en") == (
        "Employees rose from 2,700 in 2009 to 22,000 in 2024 (10 published periods). "
        "Sources disagree for 2009, 2014, 2016 and 2020."
    )
    french = series_alt(rows, catalog.indicators["employees"], "fr")
    assert french.startswith(f"Salariés : hausse de 2{NNBSP}700 en 2009 à 22{NNBSP}000 en 2024")


def test_alt_text_gives_no_direction_between_hedged_figures(store, catalog):
    rows = figures(store, indicators=["people_trained"], entities=["planete-urgence"], kind="actual")
    text = series_alt(rows, catalog.indicators["people_trained"], "en")
    assert text.startswith("People trained: more than 5,000 in 2021, 2,908 in 2023")
    assert "fell" not in text and "rose" not in text


def test_bar_alt_text_names_the_largest_bars_and_counts_the_rest():
    names = ["France", "Senegal", "Mali", "Benin", "Togo", "Chad", "Niger"]
    text = bars_alt("Places by country", names, [10, 2, 3, 1, 1, 0, 4], "en")
    assert text == "Places by country: France 10, Niger 4, Mali 3, Senegal 2, Benin 1, and 1 more (6 in all)."
    assert bars_alt("Lieux", ["France"], [0], "fr") == "Lieux : rien à afficher."


def test_the_deck_follows_the_pages_and_every_slide_has_alt_text_sources_and_a_table(deck_en):
    keys = [s.key for s in deck_en.slides]
    assert keys[:5] == ["kpis", "growth", "targets", "sectors", "places"]
    assert all(k.startswith("series-") for k in keys[5:]) and len(keys) > 5
    for slide in deck_en.slides:
        assert slide.alt and slide.source_line.startswith("Sources: ") and not slide.table.empty, slide.key
        assert (slide.figure is not None) == (slide.kind == "chart"), slide.key
        for source in slide.sources:
            assert source.title in slide.notes, (slide.key, source.title)
            if source.url:
                assert source.url in slide.notes


def test_kpi_slide_carries_the_cards_with_their_conflicts(deck_en, deck_fr):
    tiles = {tile.label: tile for tile in deck_en.slides[0].tiles}
    assert tiles["Employees"].value == "22,000" and tiles["Employees"].period == "2024"
    assert tiles["Revenue"].warning == f"Sources disagree: €1.26B · €1.37B · ≈{NNBSP}€1.4B"
    assert tiles["Countries"].value == "50+"
    assert tiles["Social enterprises"].value == "–"
    french = {tile.label: tile for tile in deck_fr.slides[0].tiles}
    assert french["Salariés"].value == f"22{NNBSP}000"
    assert "Employees" in deck_en.slides[0].notes and "People employed" in deck_en.slides[0].notes


def test_summary_line_is_built_from_the_cards(store, catalog):
    summary = kpi_summary(headline_kpis(store, Filters()), catalog, "en", Filters())
    assert summary.startswith("Latest published figures: Employees 22,000 in 2024, as in 2022; ")
    assert "Revenue €1.37B in 2022 (sources disagree)" in summary
    assert "up from 1.7 million in 2019" in summary  # beneficiaries
    french = kpi_summary(headline_kpis(store, Filters()), catalog, "fr", Filters())
    assert french.startswith(f"Derniers chiffres publiés : Salariés 22{NNBSP}000 en 2024, comme en 2022 ; ")


def test_summary_says_why_there_is_nothing_for_a_country(store, catalog):
    senegal = Filters(countries=("SEN",))
    assert "cannot be split by country" in kpi_summary(headline_kpis(store, senegal), catalog, "en", senegal)


def test_targets_say_their_status_in_words(store, catalog):
    found = figures(store)
    progress = {p.indicator_label: p for p in target_progress(found, found, catalog, "en")}
    trees = progress["Trees planted (cumulative)"]
    assert trees.share == pytest.approx(0.8)
    assert "more than 8 million (2006–2019), ≥\u00a080% of the target" in trees.text
    # "more than 8 million" is a lower bound: it cannot show that the target was missed
    assert trees.status.startswith("Status: at least this share was reached; a lower bound cannot tell")
    doubling = progress["Revenue growth target"]
    assert doubling.share is None
    assert doubling.text.startswith("Target: €2.74B by 2025, 2 times the 2022 revenue (€1.37B).")
    assert "No Revenue figure has been published since 2022." in doubling.text
    assert doubling.status == "Status: progress cannot be measured from published figures."


def test_a_target_brings_the_sources_of_every_figure_it_quotes(store, catalog):
    slide = targets_slide(store, catalog, Filters(), "en")
    titles = {source.title for source in slide.sources}
    # the 2022 revenue it doubles, and the two sources that disagree with it
    assert {"Groupe SOS, Our economic model", "FSM Capital (citing Le Monde diplomatique)"} <= titles
    assert len(slide.table) == 6  # two targets, trees 2006-2019, revenue 2022 from three sources
    assert "Revenue (million euros)" in slide.notes


def test_a_years_filter_does_not_hide_the_figures_a_target_is_measured_from(store, catalog):
    slide = targets_slide(store, catalog, Filters(years=(2023, 2025)), "en")
    assert "2 times the 2022 revenue (€1.37B)" in slide.alt
    assert "No figure was published for the base year" not in slide.alt


def test_a_doubling_target_is_measured_once_a_later_figure_exists(store, catalog):
    found = figures(store)
    later = found[(found["indicator_id"] == "revenue") & (found["year"] == 2022) & (found["rank_in_period"] == 0)]
    later = later.assign(
        observation_id="obs-test",
        value=2000.0,
        period="2024",
        year=2024,
        period_end=pd.Timestamp("2024-12-31"),
        sources_disagree=False,
    )
    history = pd.concat([found, later], ignore_index=True)
    doubling = next(
        p for p in target_progress(found, history, catalog, "en") if p.indicator_label == "Revenue growth target"
    )
    assert doubling.share == pytest.approx(2000 / 2740)
    assert "Latest published: €2B (2024), 73% of the target." in doubling.text
    assert doubling.status.startswith("Status: not reached in the latest published figure.")


def test_presenting_from_a_page_opens_on_its_first_slide(deck_en):
    keys = [s.key for s in deck_en.slides]
    assert first_slide_of_page(deck_en, "") == 0
    assert keys[first_slide_of_page(deck_en, "sectors")] == "sectors"
    assert keys[first_slide_of_page(deck_en, "programmes")].startswith("series-")


def test_a_country_view_has_no_group_charts(store, catalog):
    deck = build_deck(store, catalog, Filters(countries=("SEN",)), "fr")
    keys = [s.key for s in deck.slides]
    assert "growth" not in keys and keys[0] == "kpis"
    assert deck.filters_line == "Affichage : Sénégal."


def test_repeated_series_needs_two_dated_periods(store):
    chosen = repeated_series_in(store, Filters(), entities=["planete-urgence"], most=10)
    pairs = set(zip(chosen["indicator_id"], chosen["entity_id"], strict=True))
    assert ("trees_planted", "planete-urgence") in pairs
    assert ("forest_preserved", "planete-urgence") not in pairs
    assert list(chosen["position"]) == list(range(len(chosen))) and set(chosen["total"]) == {len(chosen)}


def test_series_come_broadest_scope_first_then_best_documented_entities(store):
    chosen = repeated_series_in(store, Filters(), most=100)
    breadth = [SCOPE_ORDER[store_scope(store, e)] for e in chosen["entity_id"]]
    assert breadth == sorted(breadth)
    entity_rows = [len(figures(store, entities=[e])) for e in chosen["entity_id"]]
    same_breadth = [(b, -n) for b, n in zip(breadth, entity_rows, strict=True)]
    assert same_breadth == sorted(same_breadth)


def store_scope(store, entity_id: str) -> str:
    return figures(store, entities=[entity_id])["scope_level"].iloc[0]


def test_a_capped_choice_keeps_the_first_and_counts_them_all(store):
    every = repeated_series_in(store, Filters(), most=100)
    first_two = repeated_series_in(store, Filters(), most=2)
    assert len(every) > 2
    assert first_two[["indicator_id", "entity_id"]].equals(every[["indicator_id", "entity_id"]].head(2))
    assert set(first_two["total"]) == {len(every)}


def test_series_per_sector_are_counted_per_sector(store):
    chosen = repeated_series_in(store, Filters(), per="sector_id", most=1)
    assert chosen["sector_id"].is_unique
    international = repeated_series_in(store, Filters(sectors=("international",)), most=100)
    assert chosen.set_index("sector_id").loc["international", "total"] == len(international)


@pytest.mark.parametrize(
    ("wanted", "budget", "given"),
    [
        ([1, 4, 2, 1], 12, [1, 4, 2, 1]),  # enough for every section
        ([4] * 9, 12, [2, 2, 2, 1, 1, 1, 1, 1, 1]),  # one each in turn, early sections first
        ([4, 0, 4], 3, [2, 0, 1]),
        ([], 12, []),
        ([3], 0, [0]),
    ],
)
def test_share_out_gives_in_turn_and_never_more_than_wanted(wanted, budget, given):
    assert share_out(wanted, budget) == given


def series_of(figures: int, name: str) -> pd.DataFrame:
    """A series of this many dated figures, named so that a test can tell which ones were kept."""
    return pd.DataFrame({"name": name, "period_end": pd.date_range("2010-01-31", periods=figures, freq="ME")})


def test_a_page_draws_a_few_dense_series_and_every_yearly_one():
    monthly, yearly = 180, 12
    series = {
        "youth": [series_of(monthly, "y1"), series_of(yearly, "y2"), series_of(monthly, "y3")],
        "health": [series_of(monthly, "h1"), series_of(monthly, "h2")],
        "culture": [series_of(yearly, "c1")],
        "seniors": [series_of(monthly, "s1")],
    }
    kept = fewer_dense(series, 3)
    names = {section: [frame["name"].iloc[0] for frame in frames] for section, frames in kept.items()}
    # Each section's first series in turn, then the seconds: y1, h1, s1 are the three dense ones drawn.
    assert names == {"youth": ["y1", "y2"], "health": ["h1"], "culture": ["c1"], "seniors": ["s1"]}
    assert fewer_dense(series, 10) == series and fewer_dense({}, 3) == {}


def test_a_section_says_how_many_series_it_could_not_draw(store, catalog):
    sections = series_by_section(store, catalog, Filters(), "en", per="sector_id", rivals=False)
    assert sum(len(s.slides) for s in sections.values()) <= MOST_SERIES_CHARTS
    international = sections["international"]
    assert international.total == len(repeated_series_in(store, Filters(sectors=("international",)), most=100))
    assert international.hidden == international.total - len(international.slides)
    for slide in international.slides:
        assert slide.figure.data and slide.key.startswith("series-")


def test_bar_labels_follow_the_reader_locale(catalog):
    from components.charts import sector_bars

    table = pd.DataFrame({"sector_id": ["youth"], "figures": [196920], "places": [1166]})
    english = sector_bars(table, catalog, "en", "t")
    french = sector_bars(table, catalog, "fr", "t")
    assert list(english.data[0].text) == ["196,920"] and list(english.data[1].text) == ["1,166"]
    assert list(french.data[0].text) == [f"196{NNBSP}920"]


@pytest.mark.parametrize(("points", "smaller_than_yearly"), [(10, False), (24, False), (60, True), (180, True)])
def test_dense_series_get_smaller_markers(points, smaller_than_yearly):
    from components.charts import marker_size

    assert (marker_size(points) < marker_size(1)) == smaller_than_yearly
    assert marker_size(180) <= marker_size(60) <= marker_size(24)


def monthly_series(store, months: int) -> pd.DataFrame:
    """`months` monthly figures of one indicator and scope, built on a real row: all confidence A and undisputed
    but the third (confidence B) and the fifth (disputed, with a rival from another source)."""
    template = figures(store, indicators=["employees"], kind="actual").iloc[0]
    ends = pd.date_range("2010-01-31", periods=months, freq="ME")
    rows = pd.DataFrame([template] * months).reset_index(drop=True)
    rows["period_kind"], rows["period_end"], rows["period_start"] = "month", ends, ends - pd.offsets.MonthBegin(1)
    rows["period"] = [end.strftime("%Y-%m") for end in ends]
    rows["value"], rows["rank_in_period"] = range(1000, 1000 + months), 0
    rows["confidence"], rows["sources_disagree"], rows["observation_id"] = "A", False, range(months)
    rows.loc[2, "confidence"] = "B"
    rows.loc[4, "sources_disagree"] = True
    rival = rows.loc[[4]].assign(rank_in_period=1, value=999, observation_id=months, source_title="Another source")
    return pd.concat([rows, rival], ignore_index=True)


def drawn_points(figure) -> list[tuple]:
    """(x, y) of every marker of a figure: what the reader sees as points."""
    return [(x, y) for trace in figure.data if "markers" in trace.mode for x, y in zip(trace.x, trace.y, strict=True)]


@pytest.mark.parametrize("months", [12, 120])
def test_a_dense_series_is_a_line_with_points_only_where_a_reader_must_look(store, catalog, months):
    from components.charts import is_dense, series_figure

    rows = monthly_series(store, months)
    indicator = catalog.indicators["employees"]
    figure = series_figure(rows, indicator, "en", "t", "#0072B2")
    line = figure.data[0]
    points = drawn_points(figure)
    alt = series_alt(rows, indicator, "en")
    if is_dense(len(rows)):
        # The rival, the confidence B figure and the disputed one; every other figure is on the line only.
        assert sorted(y for _, y in points) == [999, 1002, 1004]
        labels = [text for text in line.hovertext if text]
        assert len(labels) == months and "1,000" in labels[0]  # each figure readable on hover, in order
        # What every label of the line shares (its source, its confidence) is written once, in the template.
        source = rows["source_title"].iloc[0]
        assert line.hovertemplate.startswith(f"%{{hovertext}}<br>{source}<br>") and not any(source in t for t in labels)
        assert "hover over it" in alt
        # A figure with no neighbour within a year is on no line: it keeps its point.
        alone = pd.concat([rows, rows.iloc[[0]].assign(period_end=pd.Timestamp("2030-06-30"), value=5000)])
        figure = series_figure(alone, indicator, "en", "t", "#0072B2")
        assert sorted(y for _, y in drawn_points(figure)) == [999, 1002, 1004, 5000]
    else:
        assert len(points) == months + 1 and line.hoverinfo == "skip"
        assert "hover over it" not in alt


def test_a_kpi_of_thousands_of_scopes_counts_them_in_the_reader_locale(catalog):
    from components.storyboard import kpi_missing_text
    from dashboard.queries import Kpi

    scopes = tuple(list(catalog.entities)[:5])
    kpi = Kpi("employees", "several_scopes", scopes=scopes, scope_count=7399)
    assert kpi_missing_text(kpi, catalog, "en", ("country",)).startswith("7,399 separate figures")
    assert "and 7,394 more" in kpi_missing_text(kpi, catalog, "en", ("country",))
    assert kpi_missing_text(kpi, catalog, "fr", ("country",)).startswith(f"7{NNBSP}399 chiffres distincts")


def test_hover_labels_write_what_every_point_shares_once():
    from components.charts import hover_labels

    # Shared lines are written once; a gap stays a gap.
    assert hover_labels(["<b>1</b> · Jan<br>S<br>Conf A", None, "<b>2</b> · Feb<br>S<br>Conf A"]) == {
        "hovertext": ["<b>1</b> · Jan", None, "<b>2</b> · Feb"],
        "hovertemplate": "%{hovertext}<br>S<br>Conf A<extra></extra>",
    }
    # A line that varies goes with each point, in its place.
    assert hover_labels(["<b>1</b><br>S<br>Conf A", None, "<b>2</b><br>S<br>Conf B"]) == {
        "hovertext": ["<b>1</b>", None, "<b>2</b>"],
        "hovertemplate": "%{hovertext}<br>S<br>%{customdata[0]}<extra></extra>",
        "customdata": [["Conf A"], [None], ["Conf B"]],
    }
    # Nothing shared, labels of different lengths, or a source title Plotly would read as a variable: every label
    # whole, as it was.
    for labels in (
        ["<b>1</b><br>S<br>Conf A", "<b>2</b><br>T<br>Conf B"],
        ["<b>1</b><br>S<br>Conf A", "<b>2</b><br>Conf A"],
        ["<b>1</b><br>50%{x}", "<b>2</b><br>50%{x}"],
    ):
        assert hover_labels(labels) == {"hovertext": labels, "hoverinfo": "text"}


def test_a_shown_table_writes_repeated_text_once_and_keeps_empty_cells_plain():
    import pyarrow as pa

    from components.tables import arrow_table

    shown = pd.DataFrame(
        {
            "Source": ["Annual report"] * 4,
            "Scope": ["A", "B", "C", "D"],
            "Sector": ["", "", "", "Health"],
            "Value": [1, 2, 3, 4],
        }
    )
    table = arrow_table(shown)
    assert pa.types.is_dictionary(table.schema.field("Source").type)  # four rows, one value: written once
    assert not pa.types.is_dictionary(table.schema.field("Scope").type)  # every value different
    assert not pa.types.is_dictionary(table.schema.field("Sector").type)  # an empty category reads "None"
    assert table.to_pandas().astype({"Source": str}).equals(shown)  # the same cells
