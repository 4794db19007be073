"""The one place that knows what the data means: indicators, sectors, countries, entities, sources, per language."""

from __future__ import annotations

import csv
import json
import os
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from dashboard.filters import Choices

LANGUAGES = ("en", "fr")
BUNDLED_DATA = Path(__file__).resolve().parent.parent / "data"


def data_dir() -> Path:
    """The dataset in use: DASHBOARD_DATA_DIR when set, otherwise the bundled data/ folder."""
    return Path(os.environ.get("DASHBOARD_DATA_DIR") or BUNDLED_DATA).resolve()


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


@dataclass(frozen=True, eq=False)  # one per dataset folder, loaded once: compared and hashed by identity, like Store
class Catalog:
    """Everything the pages need to name things, loaded once per dataset."""

    directory: Path
    package: dict
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

    def table_schema(self, table: str) -> dict:
        for resource in self.package["resources"]:
            if resource["name"] == table:
                return resource["schema"]
        raise KeyError(f"no table {table!r} in {self.directory / 'datapackage.json'}")


def _rows(directory: Path, table: str) -> list[dict[str, str]]:
    with (directory / f"{table}.csv").open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _by_language(row: dict[str, str], stem: str) -> dict[str, str]:
    return {lang: row[f"{stem}_{lang}"] for lang in LANGUAGES}


def load_catalog(directory: Path | None = None) -> Catalog:
    """The catalog of a dataset (by default the one in use), loaded once per folder."""
    return _load_catalog((directory or data_dir()).resolve())


@cache
def _load_catalog(directory: Path) -> Catalog:
    package = json.loads((directory / "datapackage.json").read_text(encoding="utf-8"))
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
        for row in _rows(directory, "indicators")
    }
    sectors = {
        row["id"]: Sector(row["id"], _by_language(row, "label"), row["colour"], int(row["position"]))
        for row in sorted(_rows(directory, "sectors"), key=lambda r: int(r["position"]))
    }
    countries = {
        row["iso3"]: Country(
            row["iso3"],
            _by_language(row, "name"),
            row["continent"],
            (float(row["centroid_lat"]), float(row["centroid_lon"])),
        )
        for row in _rows(directory, "countries")
    }
    entities = {
        row["entity_id"]: Entity(row["entity_id"], row["name"], row["level"], row["sector_id"])
        for row in _rows(directory, "entities")
    }
    sources = {
        row["source_id"]: Source(
            row["source_id"], row["title"], row["url"], row["published"], row["own_source"] == "true"
        )
        for row in _rows(directory, "sources")
    }
    return Catalog(
        directory=directory,
        package=package,
        indicators=indicators,
        sectors=sectors,
        countries=countries,
        entities=entities,
        sources=sources,
        synthetic=bool(package.get("synthetic", False)),
    )
