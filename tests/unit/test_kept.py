"""Answers kept beside a snapshot (dashboard/kept.py): a restarted server reads them instead of asking the database,
each audience and question has its own, and a file that is damaged, unwritable or from other code is never used."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd
import pytest

from components.storyboard import HEADLINE_KPIS
from dashboard import kept as kept_module
from dashboard import queries
from dashboard.audience import INTERNAL, Access
from dashboard.filters import Filters
from dashboard.kept import Shelf, answers_folder, kept
from dashboard.metadata import load_catalog
from dashboard.store import current_store


@dataclass(eq=False)
class Store:
    """What a kept question needs of a store: a shelf and an audience."""

    shelf: Shelf | None
    access: Access = INTERNAL
    asked: list = field(default_factory=list)  # what the "database" was asked


@kept(maxsize=8)
def sizes_of(store: Store, filters: Filters) -> pd.DataFrame:
    store.asked.append(filters)
    return pd.DataFrame({"audience": [store.access.audience], "countries": [len(filters.countries)]})


@pytest.fixture
def store(tmp_path) -> Store:
    sizes_of.cache_clear()
    return Store(Shelf(tmp_path / "dashboard-v1-000000000000.duckdb"))


def restart(store: Store) -> Store:
    """The same store as a new process sees it: nothing in memory."""
    sizes_of.cache_clear()
    return Store(Shelf(store.shelf.folder.parent.with_suffix(".duckdb")), store.access)


def test_a_restarted_server_reads_the_answer_instead_of_asking_again(store):
    france = Filters(countries=("FRA",))
    first = sizes_of(store, france)
    again = restart(store)
    pd.testing.assert_frame_equal(sizes_of(again, france), first)
    assert store.asked == [france] and again.asked == []
    sizes_of(again, Filters())  # another question is asked
    assert again.asked == [Filters()]


def test_each_audience_has_its_own_answers(store):
    partner = Store(store.shelf, Access("partner"))
    assert sizes_of(store, Filters())["audience"][0] == "internal"
    assert sizes_of(partner, Filters())["audience"][0] == "partner"
    assert sizes_of(restart(partner), Filters())["audience"][0] == "partner"


def test_a_damaged_answer_is_computed_again(store):
    sizes_of(store, Filters())
    for path in store.shelf.folder.iterdir():
        path.write_bytes(b"not a pickle")
    again = restart(store)
    assert sizes_of(again, Filters())["countries"][0] == 0
    assert again.asked == [Filters()]
    assert restart(again).asked == [] and sizes_of(restart(again), Filters())["countries"][0] == 0


def test_a_disk_that_refuses_answers_only_loses_the_cache(tmp_path):
    snapshot = tmp_path / "dashboard-v1-000000000000.duckdb"
    answers_folder(snapshot).write_text("a file where the folder should be")
    sizes_of.cache_clear()
    store = Store(Shelf(snapshot))
    assert sizes_of(store, Filters())["countries"][0] == 0
    assert sizes_of(restart(store), Filters())["countries"][0] == 0  # asked again: nothing was kept


def test_answers_kept_by_other_code_are_neither_read_nor_left_behind(store, monkeypatch):
    sizes_of(store, Filters())
    before = store.shelf.folder
    monkeypatch.setattr(kept_module, "code_fingerprint", lambda: "other-code")
    upgraded = restart(store)
    sizes_of(upgraded, Filters())
    assert upgraded.asked == [Filters()]
    assert upgraded.shelf.folder.name == "other-code" and not before.exists()


def test_answers_beyond_the_disk_budget_stay_in_memory(store, monkeypatch):
    sizes_of(store, Filters())
    monkeypatch.setattr(kept_module, "MOST_KEPT_BYTES", sum(p.stat().st_size for p in store.shelf.folder.iterdir()))
    france = Filters(countries=("FRA",))
    sizes_of(store, france)
    again = restart(store)
    sizes_of(again, Filters())
    sizes_of(again, france)
    assert again.asked == [france]


def test_the_overview_after_a_restart_asks_the_store_nothing(monkeypatch):
    store = current_store()
    assert store.shelf is not None  # the tests' store is an embedded DuckDB file: it has snapshots
    asked = {"kpis": queries.kpis(store, HEADLINE_KPIS), "catalog": load_catalog(store)}
    queries._kpis.cache_clear()
    load_catalog.cache_clear()

    def no_database(*args):
        raise AssertionError("the store was asked")

    monkeypatch.setattr(store, "execute", no_database)
    again = queries.kpis(store, HEADLINE_KPIS)
    assert [kpi.headline for kpi in again.values()] == [kpi.headline for kpi in asked["kpis"].values()]
    assert load_catalog(store).indicators == asked["catalog"].indicators
