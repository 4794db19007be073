"""Programme outcomes, as the Programmes page draws them: a section per entity with several figures (its targets,
where sources disagree with every value and source, its figures), then one table of the other entities' figures.

Computed once per view and language (`programme_page`): a rerun of a view already seen only draws it.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import pyarrow as pa
import streamlit as st

from components.markdown import escape, source_link
from components.storyboard import MOST_ENTITY_SECTIONS, PROGRAMME_LEVELS, per_view, targets_in_view
from components.tables import shown_table
from components.targets import TargetProgress
from dashboard.filters import Filters
from dashboard.i18n import format_value, period_of, t
from dashboard.metadata import Catalog
from dashboard.queries import MOST_ROWS, figure_counts, figures, with_rivals
from dashboard.store import Store


@dataclass(frozen=True)
class EntitySection:
    entity_id: str
    name: str
    sector_label: str  # "" when the entity has no sector
    targets: tuple[TargetProgress, ...]
    conflicts: tuple[str, ...]  # one Markdown callout per period where sources disagree
    rows: pd.DataFrame  # its figures in view, with their rivals: what its downloads hold
    table: pa.Table  # the first MOST_ROWS of them as shown (shown_table)


@dataclass(frozen=True)
class ProgrammePage:
    sections: tuple[EntitySection, ...]
    with_several: int  # entities with several figures: those beyond MOST_ENTITY_SECTIONS have no section
    single: tuple[str, ...]  # entities with one figure, gathered in the last table
    others: pa.Table | None  # the first MOST_ROWS of them, as shown


@per_view
def programme_page(store: Store, catalog: Catalog, filters: Filters, lang: str) -> ProgrammePage | None:
    """What the page shows for a view; None when no programme or entity figure is in view."""
    counts = figure_counts(store, filters, "entity_id", levels=PROGRAMME_LEVELS).set_index("entity_id")["figures"]
    if counts.empty:
        return None
    positions = {sector_id: sector.position for sector_id, sector in catalog.sectors.items()}

    def reading_order(entity_id: str) -> tuple:
        entity = catalog.entities[entity_id]
        return positions.get(entity.sector_id, 99), entity.name.casefold()

    detailed = sorted(counts.index[counts > 1], key=reading_order)
    single = tuple(sorted(counts.index[counts == 1], key=reading_order))
    chosen = detailed[:MOST_ENTITY_SECTIONS]
    # Every rival of a disputed figure is shown with it, even where the filters hide it.
    found = with_rivals(store, figures(store, filters, entities=chosen, levels=PROGRAMME_LEVELS))
    sections = []
    for entity_id in chosen:
        rows = found[found["entity_id"] == entity_id]
        entity = catalog.entities[entity_id]
        sector = catalog.sectors.get(entity.sector_id)
        sections.append(EntitySection(
            entity_id=entity_id,
            name=entity.name,
            sector_label=sector.label(lang) if sector else "",
            targets=tuple(targets_in_view(store, rows, catalog, lang)),
            conflicts=conflict_texts(rows, catalog, lang),
            rows=rows,
            table=shown_table(rows, catalog, lang),
        ))  # fmt: skip
    others = None
    if single:
        listed = list(single[:MOST_ROWS])
        others = shown_table(with_rivals(store, figures(store, filters, entities=listed, levels=PROGRAMME_LEVELS)),
                             catalog, lang)  # fmt: skip
    return ProgrammePage(tuple(sections), len(detailed), single, others)


def conflict_texts(rows: pd.DataFrame, catalog: Catalog, lang: str) -> tuple[str, ...]:
    """One callout per period where sources give different values: every value, with its source."""
    disputed = rows[rows["sources_disagree"]]
    texts = []
    for (indicator_id, _period), group in disputed.groupby(["indicator_id", disputed["period"].fillna("")]):
        indicator = catalog.indicators[indicator_id]
        lines = [
            f"- **{escape(format_value(r['value'], indicator, lang, r['qualifier']))}**: "
            f"{source_link(r['source_title'], r['source_url'])} ({t('col_confidence', lang)} {escape(r['confidence'])})"
            for r in group.sort_values("value").to_dict("records")
        ]
        title = t(
            "conflict_title", lang, indicator=indicator.label(lang), period=period_of(group.iloc[0].to_dict(), lang)
        )
        texts.append(f"**{escape(title)}**\n\n" + "\n".join(lines))
    return tuple(texts)


def conflict_notes(section: EntitySection) -> None:
    for text in section.conflicts:
        st.warning(text, icon=":material/compare_arrows:")
