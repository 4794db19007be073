"""Alt text for charts, generated from the data they draw: what a reader who cannot see the chart needs to know."""

from __future__ import annotations

import pandas as pd

from components.charts import is_dense
from dashboard.i18n import format_hedged, format_number, join_words, period_of, t
from dashboard.metadata import Indicator
from dashboard.queries import shown_by_period

MOST_NAMED = 5  # bar charts name their largest bars, then say how many more there are


def series_alt(rows: pd.DataFrame, indicator: Indicator, lang: str) -> str:
    """ "Employees rose from 2,700 in 2009 to 22,000 in 2024 (12 published years; sources disagree for 2009)."

    Uses the figure shown for each period (rank 0), as the line does; the hedges of the sources stay.
    """
    label = indicator.label(lang)
    chosen = shown_by_period(rows)
    if chosen.empty:
        return t("alt_no_dated_figure", lang, indicator=label)
    records = chosen.to_dict("records")
    first, last = records[0], records[-1]
    last_value = format_hedged(last["value"], indicator, lang, last["qualifier"])
    if len(records) == 1:
        text = t("alt_single", lang, indicator=label, value=last_value, period=period_of(last, lang))
    else:
        hedged = {first["qualifier"], last["qualifier"]} & {"more than", "about"}
        if hedged or last["value"] == first["value"]:
            verb = "alt_went"  # a hedged figure gives no direction: name both ends and let the reader compare
        else:
            verb = "alt_rose" if last["value"] > first["value"] else "alt_fell"
        text = t(
            verb,
            lang,
            indicator=label,
            first=format_hedged(first["value"], indicator, lang, first["qualifier"]),
            first_period=period_of(first, lang),
            last=last_value,
            last_period=period_of(last, lang),
            count=len(records),
        )
        # The two ends can hide the story: name a highest or lowest figure that falls in between.
        ends = (first["value"], last["value"])
        for key, pick, beyond in (("alt_peak", max, max(ends)), ("alt_low", min, min(ends))):
            extreme = pick(records[1:-1] or [first], key=lambda r: r["value"])
            if pick(extreme["value"], beyond) != beyond:  # strictly beyond both ends
                value = format_hedged(extreme["value"], indicator, lang, extreme["qualifier"])
                text += " " + t(key, lang, value=value, period=period_of(extreme, lang))
    disputed = rows[rows["sources_disagree"] & rows["period_end"].notna()].sort_values("period_end")
    periods = list(dict.fromkeys(period_of(r, lang) for r in disputed.to_dict("records")))
    if periods:
        text += " " + t("alt_disagree", lang, periods=join_words(periods, lang))
    if is_dense(int(rows["period_end"].notna().sum())):  # how add_series draws it
        text += " " + t("alt_dense", lang)
    return text


def bars_alt(title: str, names: list[str], values: list[float], lang: str) -> str:
    """ "Places by country: France 12, Senegal 4, Morocco 3, Tunisia 2, Mali 2, and 24 more (29 in all)."."""
    pairs = sorted(((n, v) for n, v in zip(names, values, strict=True) if v), key=lambda pair: -pair[1])
    if not pairs:  # empty bars say nothing worth reading out
        return t("alt_bars_empty", lang, title=title)
    named = ", ".join(f"{name} {format_number(value, lang)}" for name, value in pairs[:MOST_NAMED])
    rest = len(pairs) - MOST_NAMED
    more = t("alt_bars_more", lang, count=rest, total=len(pairs)) if rest > 0 else ""
    return t("alt_bars", lang, title=title, items=named, more=more)
