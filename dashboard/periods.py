"""Typed periods: the reference's period labels ("2021-12", "2012-2021", "about 2015") become dates once."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from typing import Literal

PeriodKind = Literal["day", "month", "year", "range", "undated"]

_SEASONS = ("winter", "spring", "summer", "autumn")


@dataclass(frozen=True)
class Period:
    """A period as published: its label, its kind, first and last day, and whether the source hedged it."""

    label: str
    kind: PeriodKind
    start: date | None
    end: date | None
    approximate: bool = False

    @property
    def year(self) -> int | None:
        """The year a figure belongs to: the year its period ends (a 2012-2021 total belongs to 2021)."""
        return self.end.year if self.end else None


def parse_period(label: str) -> Period:
    """Parse a reference period label. Raises ValueError naming the label when it is not understood."""
    text = (label or "").strip()
    if not text:
        return Period(label="", kind="undated", start=None, end=None)
    lowered = text.lower()
    for prefix in ("about ", "undated (about "):
        if lowered.startswith(prefix):
            inner = parse_period(text[len(prefix) :].rstrip(")"))
            return Period(text, inner.kind, inner.start, inner.end, approximate=True)
    season = lowered.split(" ", 1)
    if len(season) == 2 and season[0] in _SEASONS:
        inner = parse_period(season[1])
        return Period(text, inner.kind, inner.start, inner.end, approximate=True)
    if m := re.fullmatch(r"to (\d{4})", lowered):
        year = int(m[1])
        return Period(text, "range", None, date(year, 12, 31))
    if m := re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", text):
        day = date(int(m[1]), int(m[2]), int(m[3]))
        return Period(text, "day", day, day)
    if m := re.fullmatch(r"(\d{4})-(\d{2})", text):
        year, month = int(m[1]), int(m[2])
        if not 1 <= month <= 12:
            raise ValueError(f"period {label!r}: month {month} is not between 1 and 12")
        last = calendar.monthrange(year, month)[1]
        return Period(text, "month", date(year, month, 1), date(year, month, last))
    if m := re.fullmatch(r"(\d{4})-(\d{4})", text):
        first, last = int(m[1]), int(m[2])
        if last < first:
            raise ValueError(f"period {label!r}: the range ends before it starts")
        return Period(text, "range", date(first, 1, 1), date(last, 12, 31))
    if re.fullmatch(r"\d{4}", text):
        year = int(text)
        return Period(text, "year", date(year, 1, 1), date(year, 12, 31))
    raise ValueError(f"period {label!r} is not a year, a month, a day or a range such as 2012-2021")
