"""Progress against stated targets, in words: how far the latest published figure is, and whether it was reached."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from components.slides import SourceRef
from dashboard.i18n import format_hedged, format_rivals, format_share, format_value, period_of, t
from dashboard.metadata import Catalog
from dashboard.queries import shown_by_period

# Targets stated as a multiple of another indicator in the first year of their period ("double activity by 2025":
# 2 x the 2022 revenue). The data says "times the 2022 revenue" in words; this says which indicator that is.
RELATIVE_TARGETS = {"revenue_growth_target": "revenue"}
ABOUT_MARGIN = 0.05  # "about" a value within 5 % of the target cannot say which side of it the truth is


@dataclass(frozen=True)
class TargetProgress:
    entity_name: str
    indicator_label: str
    text: str  # the target, and the latest comparable figure with its share of the target
    status: str  # the status in words
    share: float | None  # None when no comparable figure was published
    source: SourceRef  # the target's own source
    rows: pd.DataFrame  # the target and every figure the text quotes (base, its rivals, latest), for their sources


def _chosen(figures: pd.DataFrame, indicator_id: str, entity_id: str) -> pd.DataFrame:
    """The figure shown for each dated period of an indicator and scope, oldest first."""
    return shown_by_period(
        figures[
            (figures["indicator_id"] == indicator_id)
            & (figures["entity_id"] == entity_id)
            & (figures["kind"] == "actual")
        ]
    )


def _status(share: float, latest: dict, target: dict, lang: str) -> str:
    """Reached or not, unless the figure's hedge leaves it open: "more than 8 million" cannot show a miss."""
    hedge = latest["qualifier"]
    if hedge == "more than" and share < 1:
        words = [t("target_status_lower_bound", lang)]
    elif hedge == "about" and abs(share - 1) < ABOUT_MARGIN:
        words = [t("target_status_too_close", lang)]
    else:
        words = [t("target_status_reached" if share >= 1 else "target_status_not_reached", lang)]
    if latest["period_end"] < target["period_end"]:
        words.append(t("target_no_figure_at_date", lang))
    return " ".join(words)


def _rivals(history: pd.DataFrame, row: dict) -> pd.DataFrame:
    """A figure and the others published for the same indicator, scope, kind and period."""
    return history[
        (history["indicator_id"] == row["indicator_id"])
        & (history["entity_id"] == row["entity_id"])
        & (history["kind"] == row["kind"])
        & (history["period"].fillna("") == (row["period"] or ""))
    ]


def _absolute(target: dict, history: pd.DataFrame, catalog: Catalog, lang: str) -> tuple[str, str, float | None, list]:
    indicator = catalog.indicators[target["indicator_id"]]
    target_text = format_value(target["value"], indicator, lang, compact=True)
    target_period = str(target["period_end"].year)
    actuals = _chosen(history, target["indicator_id"], target["entity_id"])
    if actuals.empty:
        no_actual = t("target_no_actual", lang, target=target_text, target_period=target_period)
        return no_actual, t("target_status_unmeasured", lang), None, []
    latest = actuals.iloc[-1].to_dict()
    share = latest["value"] / target["value"]
    text = t(
        "target_progress",
        lang,
        target=target_text,
        target_period=target_period,
        actual=format_hedged(latest["value"], indicator, lang, latest["qualifier"]),
        actual_period=period_of(latest, lang),
        share=format_share(share, lang, at_least=latest["qualifier"] == "more than"),
    )
    return text, _status(share, latest, target, lang), share, [_rivals(history, latest)]


def _relative(target: dict, history: pd.DataFrame, catalog: Catalog, lang: str) -> tuple[str, str, float | None, list]:
    """A target that multiplies a base year's figure: compare the base's later figures with the multiple."""
    base_id = RELATIVE_TARGETS[target["indicator_id"]]
    base_indicator = catalog.indicators[base_id]
    base_year = target["period_start"].year
    series = _chosen(history, base_id, target["entity_id"])
    in_base_year = series[series["year"] == base_year]
    if in_base_year.empty:
        text = t(
            "target_relative_no_base",
            lang,
            ratio=format_value(target["value"], catalog.indicators[target["indicator_id"]], lang),
            target_period=str(target["period_end"].year),
        )
        return text, t("target_status_unmeasured", lang), None, []
    base = in_base_year.iloc[-1].to_dict()
    goal = base["value"] * target["value"]
    text = t(
        "target_relative",
        lang,
        target=format_value(goal, base_indicator, lang, compact=True),
        target_period=str(target["period_end"].year),
        ratio=format_value(target["value"], catalog.indicators[target["indicator_id"]], lang),
        base=format_value(base["value"], base_indicator, lang, base["qualifier"], compact=True),
    )
    rivals = _rivals(history, base)
    if base["sources_disagree"]:
        text += " " + t("target_base_disputed", lang, values=format_rivals(rivals, base_indicator, lang))
    later = series[series["year"] > base_year]
    if later.empty:
        text += " " + t("target_nothing_since", lang, indicator=base_indicator.label(lang), period=str(base_year))
        return text, t("target_status_unmeasured", lang), None, [rivals]
    latest = later.iloc[-1].to_dict()
    share = latest["value"] / goal
    text += " " + t(
        "target_latest",
        lang,
        actual=format_hedged(latest["value"], base_indicator, lang, latest["qualifier"]),
        actual_period=period_of(latest, lang),
        share=format_share(share, lang, at_least=latest["qualifier"] == "more than"),
    )
    return text, _status(share, latest, target, lang), share, [rivals, _rivals(history, latest)]


def target_progress(targets: pd.DataFrame, history: pd.DataFrame, catalog: Catalog, lang: str) -> list[TargetProgress]:
    """Every stated target among `targets`, against the latest comparable figure in `history` (all the figures of
    the targets' scopes, whatever the years in view: a 2025 target is measured from its 2022 base)."""
    progress = []
    for target in targets[targets["kind"] == "target"].sort_values("observation_id").to_dict("records"):
        if target["period_end"] is None or pd.isna(target["period_end"]):
            continue  # a target without a date cannot be measured against anything
        measure = _relative if target["indicator_id"] in RELATIVE_TARGETS else _absolute
        text, status, share, quoted = measure(target, history, catalog, lang)
        rows = pd.concat([history[history["observation_id"] == target["observation_id"]], *quoted])
        progress.append(
            TargetProgress(
                entity_name=target["entity_name"],
                indicator_label=catalog.indicators[target["indicator_id"]].label(lang),
                text=text,
                status=status,
                share=share,
                source=SourceRef(target["source_title"], target["source_url"]),
                rows=rows.drop_duplicates("observation_id").reset_index(drop=True),
            )
        )
    return progress
