"""The named questions give the same answers on PostgreSQL as on DuckDB: one query code, compiled by Ibis for both.

Two PostgreSQL stores are checked against the in-memory DuckDB store of data/: the tables written by Ibis with the
figures view from `create_views`, and the versioned store the app opens from a PostgreSQL URL (`current_store`).
"""

from __future__ import annotations

import dataclasses
import threading

import ibis
import pandas as pd
import psycopg
import pytest

from components.storyboard import HEADLINE_KPIS
from dashboard import queries
from dashboard.filters import Filters
from dashboard.schema import TABLES, arrow_schema
from dashboard.store import Connection, current_store, read_table
from dashboard.views import create_views
from tests.conftest import DATA

VIEWS = {
    "everything": Filters(),
    "senegal": Filters(countries=("SEN",)),
    "health": Filters(sectors=("health",)),
    "2015-2024": Filters(years=(2015, 2024)),
}
FRAME_QUESTIONS = [queries.figures, queries.facts, queries.locations, queries.by_sector, queries.by_country,
                   queries.sources_for]  # fmt: skip
# The overview's cards, and figures whose sources disagree three ways (Djantoli) or that exist only for some sectors.
KPI_INDICATORS = [*HEADLINE_KPIS, "children_followed", "care_homes"]
# How each PostgreSQL column type reads back, per declared type (Ibis writes TEXT as VARCHAR, its equal).
PG_TYPES = {"string": {"text", "character varying"}, "double": {"double precision"}, "int64": {"bigint"},
            "bool": {"boolean"}, "date32[day]": {"date"}}  # fmt: skip


@pytest.fixture(scope="module")
def ibis_tables_url(postgres_server) -> str:
    """A database holding data/'s seven tables, written through Ibis, and the figures view from create_views."""
    url = postgres_server.create_database()
    con = ibis.connect(url)
    for name in TABLES:
        con.create_table(name, read_table(DATA, name))
    create_views(con)
    con.disconnect()
    return url


@pytest.fixture(scope="module", params=["ibis_tables", "versioned_store"])
def postgres_store(request, store, postgres_server):
    if request.param == "ibis_tables":
        con = ibis.connect(request.getfixturevalue("ibis_tables_url"))
        # The DuckDB store's description, on the PostgreSQL connection (with a lock of its own).
        yield dataclasses.replace(store, connection=Connection.made(con), lock=threading.Lock())
        con.disconnect()
    else:
        # What the app opens when DASHBOARD_DATABASE_URL names a PostgreSQL database: seeded from data/ on first use.
        with pytest.MonkeyPatch.context() as env:
            env.setenv("DASHBOARD_DATABASE_URL", postgres_server.create_database())
            env.setenv("DASHBOARD_DATA_DIR", str(DATA))
            yield current_store()


def _sorted(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows in one order whatever the database returned (every column as a sort key, nulls last)."""
    if frame.empty:
        return frame.reset_index(drop=True)
    return frame.sort_values(list(frame.columns), kind="stable", na_position="last").reset_index(drop=True)


def assert_same_frame(duckdb: pd.DataFrame, postgres: pd.DataFrame) -> None:
    # Same columns, dtypes and values: dates stay datetime64 and booleans bool on both, so no normalising is needed.
    pd.testing.assert_frame_equal(_sorted(postgres), _sorted(duckdb), check_exact=True)


def test_tables_written_through_ibis_keep_their_declared_types(ibis_tables_url):
    con = ibis.connect(ibis_tables_url)
    with psycopg.connect(ibis_tables_url) as pg:
        for name in TABLES:
            declared = arrow_schema(name)
            assert con.table(name).schema() == ibis.Schema.from_pyarrow(declared), name
            stored = dict(pg.execute(
                "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = %s", [name]
            ).fetchall())  # fmt: skip
            wrong = {c: stored[c] for c in declared.names if stored[c] not in PG_TYPES[str(declared.field(c).type)]}
            assert not wrong, name
    con.disconnect()


def test_the_versioned_store_is_on_postgresql(postgres_store):
    assert postgres_store.con.name == "postgres"


@pytest.mark.parametrize("view", VIEWS, ids=str)
@pytest.mark.parametrize("question", FRAME_QUESTIONS, ids=lambda q: q.__name__)
def test_a_question_gives_the_same_frame(store, postgres_store, question, view):
    assert_same_frame(question(store, VIEWS[view]), question(postgres_store, VIEWS[view]))


@pytest.mark.parametrize("question", [queries.figures, queries.locations], ids=lambda q: q.__name__)
def test_rows_come_back_in_the_same_order(store, postgres_store, question):
    # Both order by identifiers; the test server sorts text in the C locale, like DuckDB.
    pd.testing.assert_frame_equal(question(postgres_store), question(store))


@pytest.mark.parametrize("view", VIEWS, ids=str)
def test_every_kpi_is_the_same(store, postgres_store, view):
    for indicator_id in KPI_INDICATORS:
        on_duckdb, on_postgres = (queries.kpi(s, indicator_id, VIEWS[view]) for s in (store, postgres_store))
        assert (on_postgres.status, on_postgres.headline, on_postgres.previous, on_postgres.scopes) == (
            on_duckdb.status, on_duckdb.headline, on_duckdb.previous, on_duckdb.scopes
        ), indicator_id  # fmt: skip
        assert_same_frame(on_duckdb.alternatives, on_postgres.alternatives)
        assert_same_frame(on_duckdb.series, on_postgres.series)


@pytest.mark.parametrize("view", VIEWS, ids=str)
def test_rivals_and_entities_are_the_same(store, postgres_store, view):
    filters = VIEWS[view]
    assert_same_frame(
        queries.with_rivals(store, queries.figures(store, filters)),
        queries.with_rivals(postgres_store, queries.figures(postgres_store, filters)),
    )
    assert queries.entities_in(postgres_store, filters.countries, filters.sectors) == queries.entities_in(
        store, filters.countries, filters.sectors
    )


def test_counts_and_year_bounds_are_the_same(store, postgres_store):
    assert queries.figure_count(postgres_store) == queries.figure_count(store) == 131
    assert queries.year_bounds(postgres_store) == queries.year_bounds(store)
