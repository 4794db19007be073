"""Named questions asked of the store. Each takes the same Filters; none imports Streamlit or builds SQL by hand.

Ibis compiles every expression for the backend in use (DuckDB now, PostgreSQL later). Values from the user arrive
here only after filters.parse_query_params has matched them against the known codes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING

import pandas as pd

from dashboard.filters import Filters
from dashboard.kept import kept
from dashboard.store import Store
from dashboard.views import FIGURES_VIEW

if TYPE_CHECKING:
    import ibis

# Broadest first: a figure for the whole group, then a sector body, a programme, an entity.
SCOPE_ORDER = {"group": 0, "sector": 1, "programme": 2, "entity": 3}
MOST_SCOPES_NAMED = 5  # a KPI that cannot add up several scopes names this many and counts the rest

FIGURE_COLUMNS = [
    "observation_id", "indicator_id", "kind", "qualifier", "value", "unit", "period", "period_kind",
    "period_start", "period_end", "period_approximate", "year", "scope_level", "entity_id", "entity_name",
    "sector_id", "country_iso3", "source_id", "source_title", "source_url", "source_published",
    "source_published_date", "own_source", "confidence", "note", "note_fr", "rank_in_period", "values_in_period",
    "sources_disagree", "suppressed",
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


MOST_ROWS = 100  # rows a table shows on a page: a screenful or two to read; the downloads hold the rest
MOST_DOWNLOAD_ROWS = 100_000  # rows a download holds; the `facts` command writes any number


@dataclass(frozen=True)
class Narrowing:
    """What a question adds to the reader's filters: some indicators, entities, scopes, a kind, a source."""

    indicators: tuple[str, ...] | None = None
    entities: tuple[str, ...] | None = None
    kind: str | None = None
    levels: tuple[str, ...] | None = None  # scope levels
    source: str | None = None
    dimensions: bool = True  # False applies only the year range (to ask what exists group-wide)


def narrowing_of(indicators=None, entities=None, kind=None, levels=None, source=None, dimensions=True) -> Narrowing:
    as_tuple = lambda values: tuple(values) if values is not None else None  # noqa: E731
    return Narrowing(as_tuple(indicators), as_tuple(entities), kind, as_tuple(levels), source, dimensions)


def figures(
    store: Store,
    filters: Filters = Filters(),
    *,
    indicators: list[str] | None = None,
    entities: list[str] | None = None,
    kind: str | None = None,
    levels: list[str] | None = None,
    source: str | None = None,
    dimensions: bool = True,
    limit: int | None = None,
) -> pd.DataFrame:
    """Figures matching the filters, joined with their source and entity, ranked within their period.

    Ranking is done before filtering, so that a figure filtered to one country still knows its rivals. With `limit`,
    the first rows by indicator and date (what a table shows). Results are cached per store and question; the caller
    gets its own copy.
    """
    narrowing = narrowing_of(indicators, entities, kind, levels, source, dimensions)
    return _figures(store, filters, narrowing, limit).copy()


@kept(maxsize=1024)
def _figures(store: Store, filters: Filters, narrowing: Narrowing, limit: int | None) -> pd.DataFrame:
    return _fetch_figures(store, filters, narrowing, limit)


FIGURE_ORDER = ["indicator_id", "period_end", "observation_id"]


def _fetch_figures(store: Store, filters: Filters, narrowing: Narrowing, limit: int | None) -> pd.DataFrame:
    table = _figures_table(store, filters, narrowing).select(*FIGURE_COLUMNS)
    if limit is not None:
        return store.execute(table.order_by(*FIGURE_ORDER).limit(limit)).reset_index(drop=True)
    # Sorted here rather than in SQL: DuckDB then keeps the filter on entities or indicators as a scan filter that
    # skips whole row groups (a 10M-row store: 5 ms instead of 2 s for the series of a few entities).
    return store.execute(table).sort_values(FIGURE_ORDER, kind="stable", na_position="last", ignore_index=True)


def figures_for_download(store: Store, filters: Filters = Filters(), **narrowing) -> pd.DataFrame:
    """The figures a download holds (at most MOST_DOWNLOAD_ROWS), fetched when asked and never kept in a cache."""
    return _fetch_figures(store, filters, narrowing_of(**narrowing), MOST_DOWNLOAD_ROWS)


def count_figures(store: Store, filters: Filters = Filters(), **narrowing) -> int:
    """How many figures match, counted in the database."""
    return _count_figures(store, filters, narrowing_of(**narrowing))


@kept(maxsize=1024)
def _count_figures(store: Store, filters: Filters, narrowing: Narrowing) -> int:
    return int(store.execute(_figures_table(store, filters, narrowing).count()))


@lru_cache(maxsize=8)
def _ranked_figures(store: Store) -> ibis.Table:
    """The figures view of a store; looked up once (each lookup asks the database for its columns)."""
    return store.table(FIGURES_VIEW)


def _figures_table(store: Store, filters: Filters, narrowing: Narrowing = Narrowing()) -> ibis.Table:
    table = _ranked_figures(store)
    for column, values in (("indicator_id", narrowing.indicators), ("entity_id", narrowing.entities),
                           ("scope_level", narrowing.levels)):  # fmt: skip
        if values is not None:
            table = table.filter(table[column].isin(values))
    if narrowing.kind is not None:
        table = table.filter(table.kind == narrowing.kind)
    if narrowing.source is not None:
        table = table.filter(table.source_id == narrowing.source)
    return _apply(table, filters, dimensions=narrowing.dimensions)


def figure_counts(store: Store, filters: Filters, by: str, *, levels: list[str] | None = None) -> pd.DataFrame:
    """Per value of a column (sector_id, country_iso3, source_id, entity_id): how many figures match the view.
    Counted in the database; rows where the column is empty are left out."""
    return _figure_counts(store, filters, by, narrowing_of(levels=levels)).copy()


@kept(maxsize=256)
def _figure_counts(store: Store, filters: Filters, by: str, narrowing: Narrowing) -> pd.DataFrame:
    table = _figures_table(store, filters, narrowing)
    table = table.filter(table[by].notnull())
    counts = table.group_by(by).aggregate(figures=table.count())
    return store.execute(counts.order_by(by)).reset_index(drop=True)


def repeated_series_in(
    store: Store,
    filters: Filters,
    *,
    per: str | None = None,
    levels: list[str] | None = None,
    entities: list[str] | None = None,
    most: int,
) -> pd.DataFrame:
    """The series worth a chart: (indicator, entity) pairs published for two dated periods or more, at most `most`
    of them (per value of the column `per` when given), the broadest scope first, then the entities with most
    figures in view, then by id. `total` says how many there are in all (per value of `per`)."""
    return _repeated_series_in(store, filters, per, narrowing_of(levels=levels, entities=entities), most).copy()


@kept(maxsize=256)
def _repeated_series_in(store, filters, per, narrowing, most) -> pd.DataFrame:
    import ibis  # when an expression is built, not when the app starts (dashboard/store.py says why)

    # One pass over the figures: per (section, indicator, entity), the first and last dated period published (two
    # different ones make a series) and the number of figures, summed per entity for its size.
    table = _figures_table(store, filters, narrowing)
    groups = [per] if per else []
    if per:
        table = table.filter(table[per].notnull())
    keys = list(dict.fromkeys([*groups, "indicator_id", "entity_id", "scope_level"]))
    dated = ibis.ifelse((table.kind == "actual") & table.period_end.notnull(), table.period, ibis.null("string"))
    series = table.group_by(keys).aggregate(first=dated.min(), last=dated.max(), figures=table.count())
    series = series.mutate(size=series.figures.sum().over(ibis.window(group_by="entity_id")))
    series = series.filter(series.first != series.last)
    breadth = ibis.cases(*((series.scope_level == level, rank) for level, rank in SCOPE_ORDER.items()), else_=9)
    ranking = ibis.window(
        group_by=groups or None,
        order_by=[breadth.asc(), series.size.desc(), series.entity_id.asc(), series.indicator_id.asc()],
    )
    ranked = series.mutate(
        position=ibis.row_number().over(ranking), total=series.count().over(ibis.window(group_by=groups or None))
    )
    chosen = ranked.filter(ranked.position < most)
    columns = list(dict.fromkeys([*groups, "indicator_id", "entity_id"]))
    return store.execute(chosen.select(*columns, "position", "total").order_by([*groups, "position"]))


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
    scopes: tuple[str, ...] = ()  # entity ids (the first MOST_SCOPES_NAMED) when several scopes cannot be added up
    scope_count: int = 1  # how many scopes match in all

    @property
    def candidates(self) -> pd.DataFrame:
        """The headline figure, then every other source's for its period."""
        return pd.concat([pd.DataFrame([self.headline]), self.alternatives], ignore_index=True)

    @property
    def disputed(self) -> bool:
        return bool(self.headline and self.headline["sources_disagree"])


def shown_by_period(rows: pd.DataFrame) -> pd.DataFrame:
    """The figure shown (ranked first by the conflict rule) for each dated period of some figures, oldest first."""
    return rows[(rows["rank_in_period"] == 0) & rows["period_end"].notna()].sort_values("period_end")


def _records(frame: pd.DataFrame) -> list[dict]:
    return [{k: (None if pd.isna(v) else v) for k, v in row.items()} for row in frame.to_dict("records")]


def kpi(store: Store, indicator_id: str, filters: Filters = Filters()) -> Kpi:
    """Latest value of an indicator for the view, with its year, source, previous figure and rival sources."""
    return kpis(store, [indicator_id], filters)[indicator_id]


def kpis(store: Store, indicator_ids: list[str], filters: Filters = Filters()) -> dict[str, Kpi]:
    """The KPI of each indicator for the view, in the order asked.

    Which scope stands for the view is decided in the database (a count per indicator and scope level), so that
    only the figures of those scopes are fetched, in one query: a view of thousands of establishments never brings
    their rows into memory, and six cards cost two or three queries, not eighteen. Cached per store, indicators and
    view; callers share the result and must not change it.
    """
    return _kpis(store, tuple(indicator_ids), filters)


@kept(maxsize=512)
def _kpis(store: Store, indicator_ids: tuple[str, ...], filters: Filters) -> dict[str, Kpi]:
    in_view = _figures_table(store, filters, Narrowing(indicators=indicator_ids, kind="actual"))
    levels = _scope_levels(store, in_view)
    missing = tuple(i for i in indicator_ids if not levels["indicator_id"].eq(i).any())
    group_wide = set()
    if missing and filters.splits:
        everywhere = _figures_table(store, filters, Narrowing(indicators=missing, kind="actual", dimensions=False))
        levels_everywhere = _scope_levels(store, everywhere)
        group_wide = set(levels_everywhere.loc[levels_everywhere["scope_level"] == "group", "indicator_id"])
    found, scopes = {}, {}
    for indicator_id in indicator_ids:
        candidates = levels[levels["indicator_id"] == indicator_id]
        if not filters.splits:
            # The whole group is in view: only a group-wide figure may stand for it, never a sector's.
            candidates = candidates[candidates["scope_level"] == "group"]
        if candidates.empty:
            found[indicator_id] = Kpi(indicator_id, "not_splittable" if indicator_id in group_wide else "no_data")
            continue
        broadest = candidates.loc[candidates["scope_level"].map(SCOPE_ORDER).idxmin()]
        if broadest["entities"] > 1:
            at_level = in_view.filter(
                in_view.indicator_id == indicator_id, in_view.scope_level == broadest["scope_level"]
            )
            named = at_level.select("entity_id").distinct().order_by("entity_id").limit(MOST_SCOPES_NAMED)
            found[indicator_id] = Kpi(indicator_id, "several_scopes", scopes=tuple(store.execute(named)["entity_id"]),
                                      scope_count=int(broadest["entities"]))  # fmt: skip
            continue
        scopes[indicator_id] = (broadest["scope_level"], broadest["entity"])
    if scopes:
        entities = sorted({entity for _, entity in scopes.values()})
        rows = figures(store, filters, indicators=sorted(scopes), entities=entities, kind="actual")
        rivals = with_rivals(store, rows)
        for indicator_id, (level, entity) in scopes.items():
            mine = rows[(rows["indicator_id"] == indicator_id) & (rows["entity_id"] == entity)]
            found[indicator_id] = _headline_kpi(indicator_id, mine[mine["scope_level"] == level], rivals)
    return {indicator_id: found[indicator_id] for indicator_id in indicator_ids}


def _headline_kpi(indicator_id: str, rows: pd.DataFrame, rivals: pd.DataFrame) -> Kpi:
    """The KPI from the figures of its one scope: the latest dated figure, the one before, and its rivals."""
    # The best-ranked figure of each period among those in view (the overall choice may be hidden by a filter).
    chosen = rows.sort_values(["rank_in_period", "observation_id"]).drop_duplicates(["entity_id", "period"])
    dated = chosen[chosen["period_end"].notna()].sort_values("period_end")
    ordered = dated if not dated.empty else chosen
    headline = _records(ordered.tail(1))[0]
    earlier = dated[dated["period_end"] < headline["period_end"]] if headline["period_end"] else dated.iloc[0:0]
    previous = _records(earlier.tail(1))[0] if not earlier.empty else None
    alternatives = rivals[
        (rivals["indicator_id"] == indicator_id)
        & (rivals["entity_id"] == headline["entity_id"])
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
        scopes=(headline["entity_id"],),
    )


def _scope_levels(store: Store, table: ibis.Table) -> pd.DataFrame:
    """Per indicator and scope level of some figures: how many entities, and one of them (the only one when there
    is one)."""
    return store.execute(
        table.group_by("indicator_id", "scope_level").aggregate(
            entities=table.entity_id.nunique(), entity=table.entity_id.min()
        )
    )


@kept(maxsize=256)
def entities_in(store: Store, countries: tuple[str, ...] = (), sectors: tuple[str, ...] = ()) -> frozenset[str]:
    """Entities with a figure or a place in the given countries and sectors (all entities when none is given)."""
    if not countries and not sectors:
        return frozenset(store.execute(store.table("entities").select("entity_id"))["entity_id"])
    scope = Filters(countries=countries, sectors=sectors)
    with_figures = _figures_table(store, scope).select("entity_id").distinct()
    return frozenset(store.execute(with_figures)["entity_id"]) | frozenset(locations(store, scope)["entity_id"])


@kept(maxsize=16)
def figure_count(store: Store) -> int:
    return int(store.execute(store.table("observations").count()))


@kept(maxsize=16)
def year_bounds(store: Store) -> tuple[int, int]:
    obs = store.table("observations")
    bounds = store.execute(obs.aggregate(first=obs.year.min(), last=obs.year.max()))
    return int(bounds["first"][0]), int(bounds["last"][0])


def locations(store: Store, filters: Filters = Filters()) -> pd.DataFrame:
    """Places where entities work, with entity, country and source; years keep places present in the range."""
    return _locations(store, filters).copy()


@kept(maxsize=256)
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
    return _by_sector(store, filters).copy()


# The three questions below are asked at every rerun of their page; each reads a table of the store (a round trip
# to the database, 5-25 ms) besides answers already kept, so they are kept as well.
@kept(maxsize=256)
def _by_sector(store: Store, filters: Filters) -> pd.DataFrame:
    figure_table = figure_counts(store, filters, "sector_id").set_index("sector_id")
    places = locations(store, filters)
    place_counts = (
        places.dropna(subset=["sector_id"])
        .groupby("sector_id")
        .agg(places=("location_id", "count"), entities_with_places=("entity_id", "nunique"))
    )
    sectors = store.execute(store.table("sectors").order_by("position"))[["id"]].rename(columns={"id": "sector_id"})
    if filters.sectors:
        sectors = sectors[sectors["sector_id"].isin(filters.sectors)]
    table = sectors.join(figure_table, on="sector_id").join(place_counts, on="sector_id")
    return table.fillna(0).astype({c: int for c in table.columns if c != "sector_id"}).reset_index(drop=True)


def by_country(store: Store, filters: Filters = Filters()) -> pd.DataFrame:
    """For each country in the view: places, entities, and figures limited to that country."""
    return _by_country(store, filters).copy()


@kept(maxsize=256)
def _by_country(store: Store, filters: Filters) -> pd.DataFrame:
    places = locations(store, filters)
    table = places.groupby("country_iso3").agg(places=("location_id", "count"), entities=("entity_id", "nunique"))
    per_country = figure_counts(store, filters, "country_iso3").set_index("country_iso3")["figures"]
    table = table.join(per_country, how="outer").fillna(0).astype(int)
    return table.reset_index().sort_values(["places", "country_iso3"], ascending=[False, True], ignore_index=True)


def sources_for(store: Store, filters: Filters = Filters()) -> pd.DataFrame:
    """The sources behind a view, with how many figures each supports there."""
    return _sources_for(store, filters).copy()


@kept(maxsize=256)
def _sources_for(store: Store, filters: Filters) -> pd.DataFrame:
    counts = figure_counts(store, filters, "source_id").set_index("source_id")
    sources = store.execute(store.table("sources").order_by("source_id")).set_index("source_id")
    if not filters.is_everything:
        sources = sources[sources.index.isin(counts.index)]
    table = sources.join(counts).fillna({"figures": 0}).astype({"figures": int}).reset_index()
    return table.sort_values(["figures", "title"], ascending=[False, True], ignore_index=True)


def view_sources(store: Store, filters: Filters = Filters()) -> pd.DataFrame:
    """The distinct sources (title, address) of the figures and places of a view."""
    found = _figures_table(store, filters).select("source_title", "source_url").distinct()
    places = locations(store, filters)[["source_title", "source_url"]]
    both = pd.concat([store.execute(found), places], ignore_index=True)
    return both.drop_duplicates("source_title").sort_values("source_title", ignore_index=True)
