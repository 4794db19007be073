"""What an audience may see: partners never see internal indicators, and counts of people below a threshold are
suppressed for them, with complementary suppression. Applied where every question to the store passes (Store.table),
so that no page, download, deck or command can go round it.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:
    import ibis

    from dashboard.store import Store

AUDIENCES = ("internal", "partner")
DEFAULT_SMALL_COUNT = 10
# Units that count people (observations carry their unit): below the threshold, a figure could point at persons.
PEOPLE_UNITS = ("people", "people per year", "children", "patients per year")
# Tables and views that hold figures or indicators; the others (sectors, countries, sources, entities, locations)
# describe the group, not its indicators.
FIGURE_TABLES = ("observations", "figures_ranked")


@dataclass(frozen=True)
class Access:
    """Who the pages are for: `internal` sees everything; `partner` sees public indicators only, with counts of
    people below `small_count` suppressed."""

    audience: str = "internal"
    small_count: int = DEFAULT_SMALL_COUNT

    def __post_init__(self) -> None:
        if self.audience not in AUDIENCES:
            raise ValueError(f"audience must be one of {', '.join(AUDIENCES)}, not {self.audience!r}")
        if isinstance(self.small_count, bool) or not isinstance(self.small_count, int) or self.small_count < 1:
            raise ValueError(f"small_count must be a whole number of 1 or more, not {self.small_count!r}")

    @property
    def partner(self) -> bool:
        return self.audience == "partner"


INTERNAL = Access()


def visible(name: str, table: ibis.Table, store: Store) -> ibis.Table:
    """`table` (store table or view `name`) as the store's audience may see it."""
    import ibis  # when an expression is built, not when the app starts (dashboard/store.py says why)

    access = store.access
    if name == "indicators" and access.partner and "visibility" in table.columns:
        return table.filter(_public(table))
    if name not in FIGURE_TABLES:
        return table
    if not access.partner:
        return table.mutate(suppressed=ibis.literal(False))
    internal = internal_indicators(store)
    shown = table.filter(~table.indicator_id.isin(internal)) if internal else table
    hidden = suppressed_figures(store)
    if not hidden:
        return shown.mutate(suppressed=ibis.literal(False))
    is_hidden = shown.observation_id.isin(hidden)
    notes = {  # a note can say the number ("7 entrepreneurs")
        column: ibis.ifelse(is_hidden, ibis.null(), shown[column]).cast("string")
        for column in ("note", "note_fr")
        if column in shown.columns
    }
    return shown.mutate(
        value=ibis.ifelse(is_hidden, ibis.null(), shown.value).cast(shown.value.type()), **notes, suppressed=is_hidden
    )


def _public(indicators: ibis.Table):
    return indicators.visibility.fill_null("public") == "public"


@lru_cache(maxsize=16)
def internal_indicators(store: Store) -> tuple[str, ...]:
    """Ids of the indicators marked internal in the store's version (asked once per store, like every query)."""
    indicators = store.base_table("indicators")
    if "visibility" not in indicators.columns:  # a store written before visibility existed: every indicator public
        return ()
    internal = indicators.filter(~_public(indicators)).select("id")
    return tuple(sorted(store.execute(internal)["id"]))


@lru_cache(maxsize=16)
def suppressed_figures(store: Store) -> tuple[str, ...]:
    """Observation ids whose value the partner audience must not see (asked once per store, like every query)."""
    figures = store.base_table("observations")
    internal = internal_indicators(store)
    people = figures.filter(figures.unit.isin(PEOPLE_UNITS), figures.value.notnull())
    if internal:
        people = people.filter(~people.indicator_id.isin(internal))
    columns = ["observation_id", "indicator_id", "kind", "period", "scope_level", "entity_id", "sector_id", "value"]
    rows = store.execute(people.select(*columns))
    return tuple(sorted(cells_to_suppress(rows, store.access.small_count)))


CELL = ["indicator_id", "kind", "period", "scope_level", "entity_id"]
# Cells that add up to a total a reader may know (the group's, a sector's): the same indicator, kind and period, at
# the same level, within the same sector (sectors themselves add up to the group).
SIBLINGS = ["indicator_id", "kind", "period", "scope_level", "parent"]


def cells_to_suppress(rows: pd.DataFrame, small_count: int) -> set[str]:
    """Observation ids to hide: every figure of a cell where any source gives fewer than `small_count` people
    (primary), and, where that leaves a single hidden cell among siblings, the smallest other sibling too
    (complementary), so that no hidden cell is a total minus the visible ones.

    A cell is one indicator, kind, period and scope: its rival figures from several sources are hidden together,
    since one of them would give the other away.
    """
    if rows.empty:
        return set()
    rows = rows.assign(
        period=rows["period"].fillna(""),
        parent=rows["sector_id"].where(rows["scope_level"].isin(["entity", "programme"]), "").fillna(""),
    )
    cells = rows.groupby(CELL + ["parent"], dropna=False, as_index=False).agg(smallest=("value", "min"))
    cells["hidden"] = cells["smallest"] < small_count
    hidden_cells = cells[cells["hidden"]]
    if hidden_cells.empty:
        return set()
    per_table = cells.groupby(SIBLINGS, dropna=False)["hidden"].transform("sum")
    alone = cells[(per_table == 1) & ~cells["hidden"]]
    # The smallest visible sibling of a table with one hidden cell: the least information given up.
    complement = alone.sort_values("smallest").drop_duplicates(SIBLINGS)
    chosen = pd.concat([hidden_cells, complement])[CELL + ["parent"]]
    return set(rows.merge(chosen, on=CELL + ["parent"])["observation_id"])
