"""The one filter object every page and query obeys, and its round trip to the URL query string."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

# Parameter names of the URL contract (PRODUCT.md): repeated values for lists, two values for years.
COUNTRY, SECTOR, ENTITY, YEARS = "country", "sector", "entity", "years"
LANGUAGE, PRESENT, SLIDE = "lang", "present", "slide"
MAX_VALUES_PER_PARAMETER = 200
# A deck has a few dozen slides. A longer number is kept as text and reported as a slide the deck does not have:
# int() refuses more than 4,300 digits, and a link is no reason to try.
MAX_SLIDE_DIGITS = 4


@dataclass(frozen=True)
class Filters:
    """What the user asked to see. Empty tuples mean "no restriction"; years None means every year and undated."""

    countries: tuple[str, ...] = ()
    sectors: tuple[str, ...] = ()
    entities: tuple[str, ...] = ()
    years: tuple[int, int] | None = None

    @property
    def splits(self) -> tuple[str, ...]:
        """The dimensions that narrow the view below the whole group (group-wide totals cannot follow them)."""
        active = ((COUNTRY, self.countries), (SECTOR, self.sectors), (ENTITY, self.entities))
        return tuple(name for name, values in active if values)

    @property
    def one_country(self) -> str | None:
        """The country a view is narrowed to, when it is one: it gets a profile, and the map opens on it."""
        return self.countries[0] if len(self.countries) == 1 else None

    @property
    def is_everything(self) -> bool:
        return not self.splits and self.years is None

    def to_query_params(self) -> dict[str, list[str]]:
        params: dict[str, list[str]] = {}
        if self.countries:
            params[COUNTRY] = list(self.countries)
        if self.sectors:
            params[SECTOR] = list(self.sectors)
        if self.entities:
            params[ENTITY] = list(self.entities)
        if self.years:
            params[YEARS] = [str(self.years[0]), str(self.years[1])]
        return params


@dataclass(frozen=True)
class Choices:
    """The values a filter may take, known from the data."""

    countries: frozenset[str]
    sectors: frozenset[str]
    entities: frozenset[str]
    first_year: int
    last_year: int


@dataclass(frozen=True)
class Notice:
    """Something in the URL that was ignored or corrected; the page shows it, translated, and carries on."""

    problem: str  # unknown_value | not_a_year | years_count | years_reversed | years_clamped | too_many_values |
    # unknown_language | present_value | slide_without_present
    parameter: str
    value: str = ""
    detail: tuple = field(default_factory=tuple)


def _known(values: Iterable[str], allowed: frozenset[str], parameter: str, notices: list[Notice], upper=False):
    kept: list[str] = []
    for raw in values:
        value = raw.strip().upper() if upper else raw.strip()
        if not value:
            continue
        if value in allowed:
            if value not in kept:
                kept.append(value)
        else:
            notices.append(Notice("unknown_value", parameter, raw[:80]))
    return tuple(kept)


def _years(values: list[str], choices: Choices, notices: list[Notice]) -> tuple[int, int] | None:
    if not values:
        return None
    if len(values) != 2:
        notices.append(Notice("years_count", YEARS, ", ".join(v[:12] for v in values[:4])))
        return None
    try:
        first, last = (int(v.strip()) for v in values)
    except ValueError:
        notices.append(Notice("not_a_year", YEARS, ", ".join(v[:12] for v in values)))
        return None
    if first > last:
        notices.append(Notice("years_reversed", YEARS, f"{first}, {last}"))
        first, last = last, first
    low, high = choices.first_year, choices.last_year
    clamped = (min(max(first, low), high), min(max(last, low), high))
    if clamped != (first, last):
        notices.append(Notice("years_clamped", YEARS, f"{first}, {last}", (low, high)))
    if clamped == (low, high):
        return None
    return clamped


def parse_query_params(params: Mapping[str, list[str]], choices: Choices) -> tuple[Filters, list[Notice]]:
    """Read filters from URL parameters. Unknown or malformed values are dropped and reported, never raised."""
    notices: list[Notice] = []

    def values(name: str) -> list[str]:
        found = list(params.get(name, []))
        if len(found) > MAX_VALUES_PER_PARAMETER:
            notices.append(Notice("too_many_values", name, str(len(found))))
            found = found[:MAX_VALUES_PER_PARAMETER]
        return found

    filters = Filters(
        countries=_known(values(COUNTRY), choices.countries, COUNTRY, notices, upper=True),
        sectors=_known(values(SECTOR), choices.sectors, SECTOR, notices),
        entities=_known(values(ENTITY), choices.entities, ENTITY, notices),
        years=_years(values(YEARS), choices, notices),
    )
    return filters, notices


@dataclass(frozen=True)
class Link:
    """What a link asks for besides the filters: the language, presentation mode and its slide."""

    lang: str
    present: bool
    slide: int | str | None  # a slide number, or the text asked when it is not one (presentation mode reports it)


def parse_link(params: Mapping[str, list[str]], languages: Sequence[str], default: str) -> tuple[Link, list[Notice]]:
    """Read the language (the last one given), presentation mode and slide (the first) from URL parameters.
    What cannot be used is dropped and reported, never raised."""
    notices: list[Notice] = []
    asked = list(params.get(LANGUAGE, []))
    lang = asked[-1] if asked else default
    if lang not in languages:
        notices.append(Notice("unknown_language", LANGUAGE, lang[:80]))
        lang = default
    present = (list(params.get(PRESENT, [])) or [""])[0].strip()
    if present not in ("", "0", "1"):
        notices.append(Notice("present_value", PRESENT, present[:12]))
    slide: int | str | None = None
    asked_slide = (list(params.get(SLIDE, [])) or [""])[0].strip()
    if asked_slide and present != "1":
        notices.append(Notice("slide_without_present", SLIDE, asked_slide[:12]))
    elif asked_slide:
        # "²" passes isdigit() but not int(): only ASCII digits are a slide number.
        number = asked_slide.isascii() and asked_slide.isdigit() and len(asked_slide) <= MAX_SLIDE_DIGITS
        slide = int(asked_slide) if number else asked_slide[:12]
    return Link(lang, present == "1", slide), notices
