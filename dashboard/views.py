"""Views the store defines once when it opens: every figure joined with its source and entity, and ranked.

Queries then filter one view instead of rebuilding the joins and the window functions on every call.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import ibis

FIGURES_VIEW = "figures_ranked"


def with_headline_rank(figures: ibis.Table) -> ibis.Table:
    """The conflict rule of the reference README, in one place.

    Figures of the same indicator, kind, scope and period compete. The one ranked 0 is shown where a single value
    is needed: confidence A before B, then the organisation's own source, then the most recent publication (then
    the observation id, so the choice is stable). The others stay, with `sources_disagree` true when any value or
    qualifier of the group differs; nothing is averaged.
    """
    import ibis  # when an expression is built, not when the app starts (dashboard/store.py says why)

    group = [figures.indicator_id, figures.kind, figures.entity_id, figures.period]
    ranking = ibis.window(
        group_by=group,
        order_by=[
            figures.confidence.asc(),
            figures.own_source.desc(),
            figures.source_published_date.desc(nulls_first=False),
            figures.observation_id.asc(),
        ],
    )
    whole_group = ibis.window(group_by=group)
    # "50" and "more than 50" are different statements: a figure is its value together with its qualifier.
    qualifier = figures.qualifier.fill_null("")
    return figures.mutate(
        rank_in_period=ibis.row_number().over(ranking),
        values_in_period=figures.observation_id.count().over(whole_group),
        sources_disagree=(figures.value.max().over(whole_group) != figures.value.min().over(whole_group))
        | (qualifier.max().over(whole_group) != qualifier.min().over(whole_group)),
    )


def joined_figures(con: ibis.BaseBackend) -> ibis.Table:
    """Every observation with its source's title, address, date and ownership, and its entity's name."""
    obs, src, ent = con.table("observations"), con.table("sources"), con.table("entities")
    joined = obs.join(src, obs.source_id == src.source_id).join(ent, obs.entity_id == ent.entity_id)
    return joined.select(
        *[obs[c] for c in obs.columns],
        entity_name=ent.name,
        source_title=src.title,
        source_url=src.url,
        source_published=src.published,
        source_published_date=src.published_date,
        own_source=src.own_source,
    )


def create_views(con: ibis.BaseBackend, *, materialise: bool = False) -> None:
    """The ranked figures as a view; or, for a store that never changes (one version in memory), as a table computed
    once, so that each query filters rows instead of joining and ranking them all again."""
    ranked = with_headline_rank(joined_figures(con))
    if materialise:
        con.create_table(FIGURES_VIEW, ranked, overwrite=True)
    else:
        con.create_view(FIGURES_VIEW, ranked, overwrite=True)
