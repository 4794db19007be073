"""The partner audience: internal indicators never leave the store, small counts of people are suppressed with their
complements, whatever asks (queries, exports, deck, command line)."""

from __future__ import annotations

import io
import os
import subprocess
import sys

import pandas as pd
import pytest
from pptx import Presentation

from components.presentation import view_pptx
from components.storyboard import build_deck, headline_kpis
from dashboard.audience import INTERNAL, Access, cells_to_suppress
from dashboard.export import csv_bytes, facts_export
from dashboard.filters import Filters
from dashboard.metadata import load_catalog
from dashboard.queries import count_figures, figure_counts, figures, figures_for_download
from dashboard.settings import configured_access
from dashboard.store import current_store
from tests.conftest import INTERNAL_INDICATORS, ROOT, SMALL_COUNT_FIGURES

PARTNER = Access("partner")


def cells(*rows) -> pd.DataFrame:
    columns = ["observation_id", "indicator_id", "kind", "period", "scope_level", "entity_id", "sector_id", "value"]
    return pd.DataFrame([dict(zip(columns, row, strict=True)) for row in rows])


def figure(key, entity, value, *, period="2024", level="entity", sector="health", indicator="beneficiaries"):
    return (key, indicator, "actual", period, level, entity, sector, value)


def test_a_small_count_is_hidden_with_the_smallest_of_its_siblings():
    rows = cells(figure("a", "x", 4), figure("b", "y", 31), figure("c", "z", 200))
    assert cells_to_suppress(rows, 10) == {"a", "b"}


def test_two_small_counts_among_siblings_need_no_complement():
    rows = cells(figure("a", "x", 4), figure("b", "y", 8), figure("c", "z", 200))
    assert cells_to_suppress(rows, 10) == {"a", "b"}


def test_a_figure_alone_in_its_table_hides_only_itself():
    assert cells_to_suppress(cells(figure("a", "x", 4)), 10) == {"a"}


def test_rival_figures_of_a_hidden_cell_are_hidden_with_it():
    rows = cells(figure("a", "x", 4), figure("a2", "x", 12), figure("b", "y", 50), figure("c", "z", 60))
    assert cells_to_suppress(rows, 10) == {"a", "a2", "b"}


def test_siblings_are_the_same_indicator_period_level_and_sector():
    rows = cells(
        figure("a", "x", 4),
        figure("other-sector", "y", 20, sector="youth"),
        figure("other-year", "z", 20, period="2023"),
        figure("other-indicator", "w", 20, indicator="volunteers"),
    )
    assert cells_to_suppress(rows, 10) == {"a"}


def test_the_threshold_is_the_setting():
    rows = cells(figure("a", "x", 4), figure("b", "y", 31), figure("c", "z", 200))
    assert cells_to_suppress(rows, 5) == {"a", "b"}
    assert cells_to_suppress(rows, 4) == set()


@pytest.fixture
def partner_store(partner_dataset, monkeypatch):
    monkeypatch.setenv("DASHBOARD_DATA_DIR", str(partner_dataset))
    monkeypatch.delenv("DASHBOARD_DATABASE_URL", raising=False)
    return current_store(PARTNER)


def test_partners_get_no_internal_indicator_from_any_question(partner_store):
    internal = set(INTERNAL_INDICATORS)
    every = figures(partner_store, Filters())
    assert not internal & set(every["indicator_id"])
    assert not internal & set(figures_for_download(partner_store)["indicator_id"])
    assert not internal & set(load_catalog(partner_store).indicators)
    assert not internal & set(headline_kpis(partner_store, Filters()))
    assert count_figures(partner_store) == len(every)
    assert figure_counts(partner_store, Filters(), "sector_id")["figures"].sum() == every["sector_id"].notna().sum()
    everyone = figures(partner_store.for_access(INTERNAL), Filters())
    assert internal <= set(everyone["indicator_id"])  # the same store shows them to the internal audience


def test_partners_see_small_counts_hidden_with_their_complement_and_notes(partner_store):
    shown = figures(partner_store, Filters()).set_index("observation_id")
    for key in SMALL_COUNT_FIGURES:
        assert shown.loc[key, "suppressed"] and pd.isna(shown.loc[key, "value"]) and pd.isna(shown.loc[key, "note"])
    assert shown.loc["obs-123", "suppressed"]  # the bundled data's own 7 entrepreneurs
    assert not shown.drop(index=[*SMALL_COUNT_FIGURES, "obs-123"])["suppressed"].any()
    exported = pd.read_csv(io.BytesIO(csv_bytes(facts_export(figures_for_download(partner_store)))), dtype=str,
                           keep_default_na=False).set_index("observation_id")  # fmt: skip
    hidden = exported.loc[list(SMALL_COUNT_FIGURES)]
    assert set(hidden["value"]) == set(hidden["note"]) == set(hidden["note_fr"]) == {""}


def test_the_deck_shows_partners_no_internal_indicator(partner_store):
    catalog = load_catalog(partner_store)
    deck = build_deck(partner_store, catalog, Filters(), "fr")
    pptx = Presentation(io.BytesIO(view_pptx(partner_store, catalog, Filters(), "fr")))
    text = "\n".join(
        shape.text_frame.text for slide in pptx.slides for shape in slide.shapes if shape.has_text_frame
    ) + "\n".join(slide.notes_slide.notes_text_frame.text for slide in pptx.slides if slide.has_notes_slide)
    tables = pd.concat([slide.table for slide in deck.slides], ignore_index=True).to_csv()
    for indicator_id, labels in INTERNAL_INDICATORS.items():
        for said in (indicator_id, *labels):
            assert said not in text and said not in tables, said


def test_the_facts_command_follows_the_audience(partner_dataset):
    env = {**os.environ, "DASHBOARD_DATA_DIR": str(partner_dataset), "DASHBOARD_AUDIENCE": "partner"}
    env.pop("DASHBOARD_DATABASE_URL", None)
    run = subprocess.run([sys.executable, "-m", "dashboard", "facts"], cwd=ROOT, env=env, capture_output=True,
                         text=True, timeout=120)  # fmt: skip
    assert run.returncode == 0, run.stderr
    facts = pd.read_csv(io.StringIO(run.stdout), dtype=str, keep_default_na=False)
    assert not set(INTERNAL_INDICATORS) & set(facts["indicator_id"])
    hidden = facts[facts["observation_id"].isin(SMALL_COUNT_FIGURES)]
    assert len(hidden) == 2 and set(hidden["value"]) == {""} and set(hidden["suppressed"]) == {"True"}
    env["DASHBOARD_AUDIENCE"] = "internal"
    everything = subprocess.run([sys.executable, "-m", "dashboard", "facts"], cwd=ROOT, env=env, capture_output=True,
                                text=True, timeout=120)  # fmt: skip
    assert set(INTERNAL_INDICATORS) <= set(pd.read_csv(io.StringIO(everything.stdout))["indicator_id"])


@pytest.mark.parametrize(
    ("variables", "message"),
    [
        ({"DASHBOARD_AUDIENCE": "partners"}, "audience setting is 'partners'"),
        ({"DASHBOARD_SMALL_COUNT": "ten"}, "small_count setting is 'ten'"),
        ({"DASHBOARD_SMALL_COUNT": "0"}, "small_count setting is '0'"),
    ],
)
def test_a_setting_that_is_not_understood_is_refused(monkeypatch, variables, message):
    for name, value in variables.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(ValueError, match=message):
        configured_access()


def test_by_default_everything_is_shown_and_the_threshold_is_ten(monkeypatch):
    monkeypatch.delenv("DASHBOARD_AUDIENCE", raising=False)
    monkeypatch.delenv("DASHBOARD_SMALL_COUNT", raising=False)
    assert configured_access() in (INTERNAL, Access("internal", 10))
    monkeypatch.setenv("DASHBOARD_AUDIENCE", "partner")
    assert configured_access() == Access("partner", 10)
