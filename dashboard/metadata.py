"""The one place that knows what the data means: indicators, sectors, countries, entities, sources, per language."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from dashboard.filters import Choices
from dashboard.kept import kept

if TYPE_CHECKING:
    from dashboard.store import Store

LANGUAGES = ("en", "fr")


@dataclass(frozen=True)
class Indicator:
    id: str
    category: str
    number_kind: str  # count | currency_meur | percent | year | ratio
    labels: dict[str, str]
    units: dict[str, str]
    short_units: dict[str, str]
    decimals: int
    descriptions: dict[str, str]

    def label(self, lang: str) -> str:
        return self.labels[lang]


@dataclass(frozen=True)
class Sector:
    id: str
    labels: dict[str, str]
    colour: str
    position: int

    def label(self, lang: str) -> str:
        return self.labels[lang]


@dataclass(frozen=True)
class Country:
    iso3: str
    names: dict[str, str]
    continent: str
    centroid: tuple[float, float]

    def label(self, lang: str) -> str:
        return self.names[lang]


@dataclass(frozen=True)
class Entity:
    id: str
    name: str
    level: str
    sector_id: str


@dataclass(frozen=True)
class Source:
    id: str
    title: str
    url: str
    published: str
    own_source: bool


@dataclass(frozen=True, eq=False)  # one per store (so per version): hashed by identity, like Store
class Catalog:
    """Everything the pages need to name things, loaded once per dataset."""

    indicators: dict[str, Indicator]
    sectors: dict[str, Sector]
    countries: dict[str, Country]
    entities: dict[str, Entity]
    sources: dict[str, Source]
    synthetic: bool

    def choices(self, first_year: int, last_year: int) -> Choices:
        return Choices(
            countries=frozenset(self.countries),
            sectors=frozenset(self.sectors),
            entities=frozenset(self.entities),
            first_year=first_year,
            last_year=last_year,
        )


def _text(value) -> str:
    """A text cell, empty when null (None, or NaN in pandas' string columns)."""
    return value if isinstance(value, str) else ""


def _by_language(row: dict, stem: str) -> dict[str, str]:
    return {lang: _text(row[f"{stem}_{lang}"]) for lang in LANGUAGES}


@kept(maxsize=4)
def load_catalog(store: Store) -> Catalog:
    """The catalog of one version of the dataset, read from its store once."""

    def rows(table: str) -> list[dict]:
        return store.execute(store.table(table)).to_dict("records")

    indicators = {
        row["id"]: Indicator(
            id=row["id"],
            category=row["category"],
            number_kind=row["number_kind"],
            labels=_by_language(row, "label"),
            units=_by_language(row, "unit"),
            short_units=_by_language(row, "short_unit"),
            decimals=int(row["decimals"]),
            descriptions=_by_language(row, "description"),
        )
        for row in sorted(rows("indicators"), key=lambda r: r["id"])
    }
    sectors = {
        row["id"]: Sector(row["id"], _by_language(row, "label"), row["colour"], int(row["position"]))
        for row in sorted(rows("sectors"), key=lambda r: int(r["position"]))
    }
    countries = {
        row["iso3"]: Country(
            row["iso3"],
            _by_language(row, "name"),
            row["continent"],
            (float(row["centroid_lat"]), float(row["centroid_lon"])),
        )
        for row in sorted(rows("countries"), key=lambda r: r["iso3"])
    }
    entities = {
        row["entity_id"]: Entity(row["entity_id"], row["name"], row["level"], row["sector_id"])
        for row in sorted(rows("entities"), key=lambda r: r["entity_id"])
    }
    sources = {
        row["source_id"]: Source(
            row["source_id"], row["title"], _text(row["url"]), _text(row["published"]), bool(row["own_source"])
        )
        for row in sorted(rows("sources"), key=lambda r: r["source_id"])
    }
    return Catalog(
        indicators=indicators,
        sectors=sectors,
        countries=countries,
        entities=entities,
        sources=sources,
        synthetic=store.dataset.synthetic,
    )
