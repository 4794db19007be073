"""Named questions asked of the store. Each takes the same Filters; none imports Streamlit or builds SQL by hand.

Ibis compiles every expression for the backend in use (DuckDB now, PostgreSQL later). Values from the user arrive
here only after filters.parse_query_params has matched them against the known codes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

import ibis
import pandas as pd

from dashboard.filters import Filters
from dashboard.store import Store
from dashboard.views import FIGURES_VIEW

# Broadest first: a figure for the whole group, then a sector body, a programme, an entity.
SCOPE_ORDER = {"group": 0, "sector": 1, "programme": 2, "entity": 3}

FIGURE_COLUMNS = [
    "observation_id", "indicator_id", "kind", "qualifier", "value", "unit", "period", "period_kind",
    "period_start", "period_end", "period_approximate", "year", "scope_level", "entity_id", "entity_name",
    "sector_id", "country_iso3", "source_id", "source_title", "source_url", "source_published",
    "source_published_date", "own_source", "confidence", "note", "note_fr", "rank_in_period", "values_in_period",
    "sources_disagree",
]  # fmt: skip


def _in_dimensions(table: ibis.Table, filters: Filters) -> ibis.Table:
    """Rows of the selected countries, sectors and entities (figures and places share these columns)."""
    for column, selected in (("country_iso3", filters.countries), ("sector_id", filters.sectors),
                             ("entity_id", filters.entities)):  # fmt: skip
        if selected:
            table = table.filter(table[column].isin(selected))
    return table


def _apply(table: ibis.Table, filters: Filters, *, dimensions: bool = True) -> ibis.Table:
    if dimensions:
        table = _in_dimensions(table, filters)
        if filters.splits:
            # A group-wide figure cannot be split by country, sector or entity: it never counts as a part.
            table = table.filter(table.scope_level != "group")
    if filters.years:
        table = table.filter(table.year.between(*filters.years))
    return table


def figures(
    store: Store,
    filters: Filters = Filters(),
    *,
    indicators: list[str] | None = None,
    entities: list[str] | None = None,
    kind: str | None = None,
    dimensions: bool = True,
) -> pd.DataFrame:
    """Every figure matching the filters, joined with its source and entity, ranked within its period.

    Ranking is done before filtering, so that a figure filtered to one country still knows its rivals.
    `dimensions=False` applies only the year range (to ask what exists group-wide). Results are cached per store
    and question; the caller gets its own copy.
    """
    frozen = (tuple(indicators) if indicators is not None else None, tuple(entities) if entities is not None else None)
    return _figures(store, filters, *frozen, kind, dimensions).copy()


@lru_cache(maxsize=1024)
def _figures(store, filters, indicators, entities, kind, dimensions) -> pd.DataFrame:
    table = _figures_table(store, filters, indicators, entities, kind, dimensions)
    frame = store.execute(table.select(*FIGURE_COLUMNS).order_by("indicator_id", "period_end", "observation_id"))
    return frame.reset_index(drop=True)


def _figures_table(store, filters, indicators=None, entities=None, kind=None, dimensions=True) -> ibis.Table:
    table = store.table(FIGURES_VIEW)
    if indicators is not None:
        table = table.filter(table.indicator_id.isin(indicators))
    if entities is not None:
        table = table.filter(table.entity_id.isin(entities))
    if kind is not None:
        table = table.filter(table.kind == kind)
    return _apply(table, filters, dimensions=dimensions)


def with_rivals(store: Store, rows: pd.DataFrame) -> pd.DataFrame:
    """The rows, plus every figure that competes with one of them (same indicator, kind, scope and period)
    even where the filters hide it: a disagreement is shown whole or not at all."""
    disputed = rows[rows["sources_disagree"]]
    if disputed.empty:
        return rows
    candidates = figures(store, indicators=sorted(disputed["indicator_id"].unique()),
                         entities=sorted(disputed["entity_id"].unique()))  # fmt: skip
    key = ["indicator_id", "kind", "entity_id", "period"]
    wanted = disputed[key].fillna({"period": ""}).drop_duplicates()
    matched = candidates.assign(period=candidates["period"].fillna("")).merge(wanted, on=key)
    matched = matched.assign(period=matched["period"].replace("", None))
    extra = matched[~matched["observation_id"].isin(rows["observation_id"])]
    return pd.concat([rows, extra[rows.columns]], ignore_index=True) if not extra.empty else rows


def facts(store: Store, filters: Filters = Filters()) -> pd.DataFrame:
    """Every observation joined with its source: the `facts` command and the Sources download."""
    frame = figures(store, filters)
    return frame.sort_values("observation_id", kind="stable").reset_index(drop=True)


@dataclass(frozen=True)
class Kpi:
    """A headline figure and what a reader needs to trust it."""

    indicator_id: str
    status: str  # ok | no_data | not_splittable | several_scopes
    headline: dict | None = None
    previous: dict | None = None
    alternatives: pd.DataFrame = field(default_factory=pd.DataFrame)  # other sources for the headline period
    series: pd.DataFrame = field(default_factory=pd.DataFrame)  # chosen figure of each dated period
    scopes: tuple[str, ...] = ()  # entity ids when several scopes match and cannot be added up

    @property
    def disputed(self) -> bool:
        return bool(self.headline and self.headline["sources_disagree"])


def shown_by_period(rows: pd.DataFrame) -> pd.DataFrame:
    """The figure shown (ranked first by the conflict rule) for each dated period of some figures, oldest first."""
    return rows[(rows["rank_in_period"] == 0) & rows["period_end"].notna()].sort_values("period_end")


def _records(frame: pd.DataFrame) -> list[dict]:
    return [{k: (None if pd.isna(v) else v) for k, v in row.items()} for row in frame.to_dict("records")]


def kpi(store: Store, indicator_id: str, filters: Filters = Filters()) -> Kpi:
    """Latest value of an indicator for the view, with its year, source, previous figure and rival sources.

    Which scope stands for the view is decided in the database (a count per scope level), so that only the figures
    of that one scope are fetched: a view of thousands of establishments never brings their rows into memory.
    """
    in_view = _figures_table(store, filters, [indicator_id], kind="actual")
    levels = _scope_levels(store, in_view)
    if levels.empty:
        if filters.splits:
            group_wide = _figures_table(store, filters, [indicator_id], kind="actual", dimensions=False)
            if _scope_levels(store, group_wide)["scope_level"].eq("group").any():
                return Kpi(indicator_id, "not_splittable")
        return Kpi(indicator_id, "no_data")
    if not filters.splits:
        # The whole group is in view: only a group-wide figure may stand for it, never a sector's.
        levels = levels[levels["scope_level"] == "group"]
        if levels.empty:
            return Kpi(indicator_id, "no_data")
    broadest = levels.loc[levels["scope_level"].map(SCOPE_ORDER).idxmin()]
    at_level = in_view.filter(in_view.scope_level == broadest["scope_level"])
    if broadest["entities"] > 1:
        scopes = store.execute(at_level.select("entity_id").distinct().order_by("entity_id"))["entity_id"]
        return Kpi(indicator_id, "several_scopes", scopes=tuple(scopes))
    rows = figures(store, filters, indicators=[indicator_id], entities=[broadest["entity"]], kind="actual")
    rows = rows[rows["scope_level"] == broadest["scope_level"]]
    scopes = (broadest["entity"],)
    # The best-ranked figure of each period among those in view (the overall choice may be hidden by a filter).
    chosen = rows.sort_values(["rank_in_period", "observation_id"]).drop_duplicates(["entity_id", "period"])
    dated = chosen[chosen["period_end"].notna()].sort_values("period_end")
    ordered = dated if not dated.empty else chosen
    headline = _records(ordered.tail(1))[0]
    earlier = dated[dated["period_end"] < headline["period_end"]] if headline["period_end"] else dated.iloc[0:0]
    previous = _records(earlier.tail(1))[0] if not earlier.empty else None
    rivals = with_rivals(store, rows)
    alternatives = rivals[
        (rivals["entity_id"] == headline["entity_id"])
        & (rivals["period"].fillna("") == (headline["period"] or ""))
        & (rivals["observation_id"] != headline["observation_id"])
    ]
    return Kpi(
        indicator_id,
        "ok",
        headline=headline,
        previous=previous,
        alternatives=alternatives.reset_index(drop=True),
        series=dated.reset_index(drop=True),
        scopes=scopes,
    )


def _scope_levels(store: Store, table: ibis.Table) -> pd.DataFrame:
    """Per scope level of some figures: how many entities, and one of them (the only one when there is one)."""
    return store.execute(
        table.group_by("scope_level").aggregate(entities=table.entity_id.nunique(), entity=table.entity_id.min())
    )


@lru_cache(maxsize=256)
def entities_in(store: Store, countries: tuple[str, ...] = (), sectors: tuple[str, ...] = ()) -> frozenset[str]:
    """Entities with a figure or a place in the given countries and sectors (all entities when none is given)."""
    if not countries and not sectors:
        return frozenset(store.execute(store.table("entities").select("entity_id"))["entity_id"])
    scope = Filters(countries=countries, sectors=sectors)
    return frozenset(figures(store, scope)["entity_id"]) | frozenset(locations(store, scope)["entity_id"])


@lru_cache(maxsize=16)
def figure_count(store: Store) -> int:
    return int(store.execute(store.table("observations").count()))


@lru_cache(maxsize=16)
def year_bounds(store: Store) -> tuple[int, int]:
    obs = store.table("observations")
    bounds = store.execute(obs.aggregate(first=obs.year.min(), last=obs.year.max()))
    return int(bounds["first"][0]), int(bounds["last"][0])


def locations(store: Store, filters: Filters = Filters()) -> pd.DataFrame:
    """Places where entities work, with entity, country and source; years keep places present in the range."""
    return _locations(store, filters).copy()


@lru_cache(maxsize=256)
def _locations(store: Store, filters: Filters) -> pd.DataFrame:
    loc, ent, src = store.table("locations"), store.table("entities"), store.table("sources")
    table = loc.join(ent, loc.entity_id == ent.entity_id).join(src, loc.source_id == src.source_id)
    table = table.select(
        *[loc[c] for c in loc.columns], entity_name=ent.name, source_title=src.title, source_url=src.url
    )
    table = _in_dimensions(table, filters)
    if filters.years:
        first, last = filters.years
        table = table.filter(
            table.since_year.isnull() | (table.since_year <= last),
            table.until_date.isnull() | (table.until_date.year() >= first),
        )
    return store.execute(table.order_by("country_iso3", "entity_id", "location_id")).reset_index(drop=True)


def by_sector(store: Store, filters: Filters = Filters()) -> pd.DataFrame:
    """For each sector in the view: published figures, entities and places."""
    found = figures(store, filters)
    places = locations(store, filters)
    figure_counts = (
        found.dropna(subset=["sector_id"])
        .groupby("sector_id")
        .agg(figures=("observation_id", "count"), entities_with_figures=("entity_id", "nunique"))
    )
    place_counts = (
        places.dropna(subset=["sector_id"])
        .groupby("sector_id")
        .agg(places=("location_id", "count"), entities_with_places=("entity_id", "nunique"))
    )
    sectors = store.execute(store.table("sectors").order_by("position"))[["id"]].rename(columns={"id": "sector_id"})
    if filters.sectors:
        sectors = sectors[sectors["sector_id"].isin(filters.sectors)]
    table = sectors.join(figure_counts, on="sector_id").join(place_counts, on="sector_id")
    return table.fillna(0).astype({c: int for c in table.columns if c != "sector_id"}).reset_index(drop=True)


def by_country(store: Store, filters: Filters = Filters()) -> pd.DataFrame:
    """For each country in the view: places, entities, and figures limited to that country."""
    places = locations(store, filters)
    table = places.groupby("country_iso3").agg(places=("location_id", "count"), entities=("entity_id", "nunique"))
    found = figures(store, filters)
    per_country = found.dropna(subset=["country_iso3"]).groupby("country_iso3").size().rename("figures")
    table = table.join(per_country, how="outer").fillna(0).astype(int)
    return table.reset_index().sort_values(["places", "country_iso3"], ascending=[False, True], ignore_index=True)


def sources_for(store: Store, filters: Filters = Filters()) -> pd.DataFrame:
    """The sources behind a view, with how many figures each supports there."""
    found = figures(store, filters)
    counts = found.groupby("source_id").agg(figures=("observation_id", "count"), indicators=("indicator_id", "nunique"))
    sources = store.execute(store.table("sources").order_by("source_id")).set_index("source_id")
    if not filters.is_everything:
        sources = sources[sources.index.isin(counts.index)]
    table = sources.join(counts).fillna({"figures": 0, "indicators": 0})
    table = table.astype({"figures": int, "indicators": int}).reset_index()
    return table.sort_values(["figures", "title"], ascending=[False, True], ignore_index=True)
