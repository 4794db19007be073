"""Synthetic demo dataset: data/'s tables plus generated establishments, places and monthly figures, at any size.

Never mixed with the published figures: every observation is generated and cites one synthetic source, and the
datapackage says `"synthetic": true` (the app's banner). The same size and seed give byte-identical files.

Shape: each demo establishment reports its sector's count indicators every month from its opening (or January of
FIRST_YEAR) to December of LAST_YEAR; the group's own figures are computed from theirs. The number of establishments
is what the requested rows need: about 850, the group's size, at a million rows; more above.
"""

from __future__ import annotations

import csv
import io
import json
import os
import time
from dataclasses import dataclass
from numbers import Integral
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from dashboard.derive import DERIVATIONS, derived_columns
from dashboard.files import replace_whole
from dashboard.schema import arrow_schema, csv_cell, fields
from dashboard.settings import BUNDLED_DATA
from dashboard.store import read_table

MIN_ROWS, MAX_ROWS = 10_000, 20_000_000
DEFAULT_SEED = 20261123
CHUNK_ROWS = 1 << 20  # rows generated, then written as one Parquet row group, at a time: memory is bounded at any size

FOUNDED = 1984  # the group's founding year: no establishment is older
FIRST_YEAR, LAST_YEAR = 2011, 2025  # monthly figures from 2011-01 to 2025-12
MONTHS = (LAST_YEAR - FIRST_YEAR + 1) * 12

NAME = "groupe-sos-demo"
SOURCE_ID = "demo-synthetic"
SOURCE_TITLE = "Synthetic demo data: generated figures, not Groupe SOS figures"
HOME = "FRA"  # where most establishments are, as in the group
COPIED = ("sectors", "countries", "indicators")  # copied byte for byte
# The demo never mixes with the real figures: its sources and places are its own; the entities are data/'s (the group
# and its sectors, which the synthetic rows belong to) followed by the synthetic establishments.
EXTENDED = ("entities",)
REPLACED = ("sources", "locations")

# What an establishment reports each month: these, then its sector's. Counts of people (or trees), never a stock of
# buildings or money: those are the group's own figures below.
COMMON_INDICATORS = ("employees", "volunteers", "beneficiaries", "people_accompanied", "people_trained")
SECTOR_INDICATORS = {
    "youth": ("young_people_supported", "children_followed", "people_sensitised"),
    "employment": ("project_holders_supported", "women_supported"),
    "solidarity": ("women_supported", "children_followed", "people_sensitised"),
    "health": ("health_professionals_trained", "people_sensitised", "children_sensitised"),
    "seniors": ("health_professionals_trained", "people_sensitised"),
    "culture": ("people_sensitised", "children_sensitised"),
    "ecological-transition": ("people_sensitised", "children_sensitised", "trees_planted"),
    "international": ("health_professionals_trained", "children_followed", "children_sensitised", "trees_planted"),
    "pulse": ("project_holders_supported", "social_entrepreneurs_supported", "startups_supported"),
}
# An indicator's monthly scale per employee (employees themselves: 1); the group's ~22,000 people and ~2 million
# beneficiaries a year give the order of magnitude.
PER_EMPLOYEE = {
    "employees": 1.0,
    "volunteers": 0.3,
    "beneficiaries": 8.0,
    "people_accompanied": 2.0,
    "people_trained": 0.4,
    "people_sensitised": 4.0,
    "children_sensitised": 3.0,
    "young_people_supported": 2.5,
    "children_followed": 1.5,
    "women_supported": 0.8,
    "health_professionals_trained": 0.3,
    "project_holders_supported": 0.5,
    "social_entrepreneurs_supported": 0.3,
    "startups_supported": 0.1,
    "trees_planted": 300.0,
}
# How far an indicator dips in August and peaks in February: staff barely, volunteers a little, activity more.
SEASONALITY = {"employees": 0.01, "volunteers": 0.08}
ACTIVITY_SEASONALITY = 0.15

# Per sector: share of the establishments, median employees, chance of being in France (otherwise in a country where
# data/ places that sector, or the group's overseas regions). Sectors not listed get the defaults.
SECTOR_SHARE = {"youth": 0.2, "employment": 0.1, "solidarity": 0.2, "health": 0.12, "seniors": 0.2, "culture": 0.04,
                "ecological-transition": 0.04, "international": 0.06, "pulse": 0.04}  # fmt: skip
SECTOR_MEDIAN_EMPLOYEES = {"youth": 12, "employment": 15, "solidarity": 8, "health": 35, "seniors": 25, "culture": 5,
                           "ecological-transition": 4, "international": 6, "pulse": 3}  # fmt: skip
SECTOR_IN_FRANCE = {"international": 0.1, "pulse": 0.5}
DEFAULT_SHARE, DEFAULT_MEDIAN_EMPLOYEES, DEFAULT_IN_FRANCE = 0.02, 10, 0.95

OPEN_BEFORE = 0.7  # establishments already open in January of FIRST_YEAR: the group grows by ~40 % over the years
YEARS_OPEN_BEFORE = 8.0  # how long those had been open, on average (exponential, and never before FOUNDED)
SIZE_SIGMA = 0.8  # lognormal spread of establishment sizes: a few large hospitals, many small services
SERIES_SIGMA = 0.4  # lognormal spread of an indicator's scale between establishments of the same size
GROWTH_MEAN, GROWTH_SD = 0.015, 0.02  # yearly growth of an establishment's activity
EMPLOYEE_NOISE = 0.02
CONFIDENCE_A = 0.9  # share of establishment figures with the schema's first confidence value
JITTER_DEGREES = 0.6  # spread of the places around their country's centroid, so that they do not all overlap

# The group's own figures (the overview's headline KPIs), from its establishments': stocks at each month's end,
# flows per year.
GROUP_MONTHLY = ("employees", "establishments", "countries", "social_enterprises")
GROUP_YEARLY = ("beneficiaries", "revenue")
SOCIAL_ENTERPRISE_SECTORS = ("employment",)  # work-integration enterprises
REVENUE_PER_EMPLOYEE_MEUR = 0.065  # a year's revenue per employee (the group: ~1,400 M EUR for ~22,000 people)
GROUP_NOTE = (
    "Synthetic: computed from the demo establishments' figures.",
    "Synthétique : calculé à partir des chiffres des établissements de démonstration.",
)

BLOCK = 1024  # establishments drawn at a time, until they hold the rows: a larger demo extends a smaller one's list


@dataclass(frozen=True)
class DemoSummary:
    """What write_demo wrote, for the command line."""

    out: Path
    rows: int  # observations, exactly as requested
    entities: int  # in entities.csv: data/'s and the demo establishments
    establishments: int  # demo establishments
    places: int  # in locations.csv: data/'s and one per demo establishment
    first_period: str
    last_period: str
    seconds: float

    def __str__(self) -> str:
        return (
            f"Wrote a synthetic demo dataset to {self.out}: {self.rows:,} observations of {self.establishments:,} "
            f"demo establishments ({self.entities:,} entities, {self.places:,} places), "
            f"{self.first_period} to {self.last_period}, in {self.seconds:.1f} s."
        )


def write_demo(out: Path, rows: int, seed: int = DEFAULT_SEED, source: Path = BUNDLED_DATA) -> DemoSummary:
    """Write a synthetic dataset of exactly `rows` observations to the folder `out` (created if needed).

    Raises ValueError, before writing anything, for a size out of range or a folder that holds something other than
    a previous demo: it never overwrites someone's data.
    """
    started = time.perf_counter()
    out, source = Path(out), Path(source)
    _check_request(out, rows, source)
    rows = int(rows)
    reference = _Reference.read(source)
    plan = _plan(reference, rows, seed)
    extended = {"sources": _demo_source(), "entities": plan.entities(), "locations": plan.locations()}
    out.mkdir(parents=True, exist_ok=True)
    # The package first: a run stopped midway leaves a folder recognised as a demo, which the next run overwrites.
    replace_whole(out / "datapackage.json", _package_text(reference.package, rows))
    for name in COPIED:
        replace_whole(out / f"{name}.csv", (source / f"{name}.csv").read_bytes())
    for name, extra in extended.items():
        own = (source / f"{name}.csv").read_bytes()
        kept = own if name in EXTENDED else own[: own.index(b"\n") + 1]  # REPLACED: the header only
        replace_whole(out / f"{name}.csv", _with_rows(kept, extra))
    _write_observations(out / "observations.parquet", plan, seed)
    return DemoSummary(
        out=out,
        rows=rows,
        entities=reference.tables["entities"].num_rows + plan.count,
        establishments=plan.count,
        places=plan.count,
        first_period=plan.labels[0],
        last_period=plan.labels[MONTHS - 1],
        seconds=time.perf_counter() - started,
    )


def is_demo(folder: Path) -> bool:
    """True when the folder holds a dataset whose datapackage.json says it is synthetic."""
    try:
        return json.loads((folder / "datapackage.json").read_text(encoding="utf-8")).get("synthetic") is True
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, AttributeError):
        return False


def _check_request(out: Path, rows: int, source: Path) -> None:
    if isinstance(rows, bool) or not isinstance(rows, Integral) or not MIN_ROWS <= rows <= MAX_ROWS:
        asked = f"{rows:,}" if isinstance(rows, Integral) else repr(rows)
        raise ValueError(f"a demo has between {MIN_ROWS:,} and {MAX_ROWS:,} rows; {asked} were asked for")
    if out.exists() and not out.is_dir():
        raise ValueError(f"{out} is a file, not a folder: give a new or empty folder for the demo")
    if out.resolve() == source.resolve():
        raise ValueError(f"the demo cannot be written over {source}, the dataset it is generated from")
    if out.is_dir() and any(out.iterdir()) and not is_demo(out):
        raise ValueError(
            f'{out} is not empty and holds no demo dataset (no datapackage.json saying "synthetic": true): '
            "give a new or empty folder, or a previous demo's. Nothing was written."
        )


@dataclass(frozen=True)
class _Reference:
    """The dataset the demo extends: its datapackage and the tables the demo builds on."""

    package: dict
    tables: dict[str, pa.Table]

    @classmethod
    def read(cls, folder: Path) -> _Reference:
        package = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
        tables = {name: read_table(folder, name) for name in (*COPIED, *EXTENDED, *REPLACED)}
        if SOURCE_ID in tables["sources"]["source_id"].to_pylist():
            raise ValueError(f"{folder} already has the source {SOURCE_ID}: generate a demo from the published data")
        return cls(package, tables)

    def column(self, table: str, name: str) -> list:
        return self.tables[table][name].to_pylist()


def _allowed(table: str, column: str) -> list[str]:
    """The values the datapackage allows in a column, in its order."""
    (field,) = [f for f in fields(table) if f["name"] == column]
    return field["constraints"]["enum"]


def _require(table: str, column: str, value: str) -> str:
    if value not in _allowed(table, column):
        raise ValueError(f"the demo writes {value!r} in {table}.{column}, which the datapackage no longer allows")
    return value


@dataclass(frozen=True)
class _Plan:
    """Everything about the demo but the observations' values: establishments, their series, the period labels."""

    count: int  # demo establishments
    entity_ids: pa.Array  # theirs
    group_id: str
    sector_ids: list[str]
    country_ids: list[str]
    country_names: list[str]
    indicator_ids: list[str]  # the establishments' indicators
    units: list[str]  # their units
    indicator_units: dict[str, str]  # every indicator's unit
    labels: list[str]  # MONTHS month labels, then one label per year
    sector: np.ndarray  # per establishment: index into sector_ids
    country: np.ndarray  # index into country_ids
    opened: np.ndarray  # month opened, counted from January of FIRST_YEAR (negative: before)
    growth: np.ndarray  # yearly growth of its activity
    lat: np.ndarray
    lon: np.ndarray
    series_establishment: np.ndarray  # per series (an establishment's indicator): the establishment
    series_indicator: np.ndarray  # index into indicator_ids
    series_start: np.ndarray  # first month reported
    series_offset: np.ndarray  # its first row among the establishments' rows
    series_scale: np.ndarray  # expected value at month 0, before trend and season
    establishment_rows: int

    def entities(self) -> pa.Table:
        return _table(
            "entities",
            {
                "entity_id": self.entity_ids,
                "name": [f"Demo establishment {n:05d}" for n in range(1, self.count + 1)],
                "level": pa.repeat(_require("entities", "level", "entity"), self.count),
                "sector_id": pa.array(self.sector_ids).take(self.sector),
            },
        )

    def locations(self) -> pa.Table:
        since_years = FIRST_YEAR + np.floor_divide(self.opened, 12)
        since_labels = [str(year) for year in range(since_years.min(), since_years.max() + 1)]
        since = since_years - since_years.min()
        places = pa.array([f"{name} (demo point)" for name in self.country_names]).take(self.country)
        columns = {
            "location_id": [f"loc-demo-{n:05d}" for n in range(1, self.count + 1)],
            "entity_id": self.entity_ids,
            "sector_id": pa.array(self.sector_ids).take(self.sector),
            "country_iso3": pa.array(self.country_ids).take(self.country),
            "place": places,
            "lat": self.lat,
            "lon": self.lon,
            "precision": pa.repeat(_require("locations", "precision", "country"), self.count),
            "kind": pa.repeat("establishment (synthetic)", self.count),
            "kind_fr": pa.repeat("établissement (synthétique)", self.count),
            "since": pa.array(since_labels).take(since),
            "until": pa.nulls(self.count, pa.string()),
            "source_id": pa.repeat(SOURCE_ID, self.count),
            "confidence": pa.repeat(_allowed("locations", "confidence")[0], self.count),
            "note": pa.nulls(self.count, pa.string()),
            "note_fr": pa.nulls(self.count, pa.string()),
        }
        columns |= _derived("locations", "since", since_labels, since)
        columns |= _derived("locations", "until", [None], np.zeros(self.count, dtype=np.int64))
        return _table("locations", columns)


def _plan(reference: _Reference, rows: int, seed: int) -> _Plan:
    sector_ids = reference.column("sectors", "id")
    country_ids = reference.column("countries", "iso3")
    if HOME not in country_ids:
        raise ValueError(f"{HOME} is not among the countries: the demo places most establishments there")
    levels = dict(zip(reference.column("entities", "entity_id"), reference.column("entities", "level"), strict=True))
    groups = [entity_id for entity_id, level in levels.items() if level == "group"]
    if len(groups) != 1:
        raise ValueError(
            f"the demo needs exactly one entity of level 'group' to attach the group's figures to: {groups}"
        )
    indicator_units = dict(
        zip(reference.column("indicators", "id"), reference.column("indicators", "unit_en"), strict=True)
    )
    kinds = dict(zip(reference.column("indicators", "id"), reference.column("indicators", "number_kind"), strict=True))
    per_sector = [(*COMMON_INDICATORS, *SECTOR_INDICATORS.get(s, ())) for s in sector_ids]
    indicator_ids = list(dict.fromkeys(i for chosen in per_sector for i in chosen))
    missing = [i for i in (*indicator_ids, *GROUP_MONTHLY, *GROUP_YEARLY) if i not in indicator_units]
    if missing:
        raise ValueError(f"the demo reports indicators that {len(indicator_units)} indicators lack: {missing}")
    not_counts = [i for i in indicator_ids if kinds[i] != "count"]
    if not_counts:
        raise ValueError(f"the demo's establishment indicators must be counts: {not_counts}")

    # Per sector, the indices of its indicators, padded with -1: an establishment's series are its sector's row.
    width = max(len(chosen) for chosen in per_sector)
    menu = np.full((len(sector_ids), width), -1, dtype=np.int64)
    for row, chosen in enumerate(per_sector):
        menu[row, : len(chosen)] = [indicator_ids.index(i) for i in chosen]
    per_establishment = (menu >= 0).sum(axis=1)

    attributes, series_noise = (np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(2))
    wanted = rows - len(GROUP_MONTHLY) * MONTHS - len(GROUP_YEARLY) * (MONTHS // 12)
    drawn = _Establishments.draw(attributes, reference, sector_ids, country_ids, per_establishment, wanted)
    reported = per_establishment[drawn.sector] * (MONTHS - np.maximum(drawn.opened, 0))
    count = int(np.searchsorted(np.cumsum(reported), wanted)) + 1
    sector, opened = drawn.sector[:count], drawn.opened[:count]

    table = menu[sector]
    series_establishment, column = np.nonzero(table >= 0)  # row-major: each establishment's series together
    series_indicator = table[series_establishment, column]
    series_start = np.maximum(opened, 0)[series_establishment]
    # The last establishment started reporting late, by just enough rows for the total to be exactly `rows`.
    excess = int(reported[:count].sum()) - wanted
    last = np.flatnonzero(series_establishment == count - 1)
    late = excess // len(last) + (np.arange(len(last)) < excess % len(last))
    series_start[last] += late
    length = MONTHS - series_start
    keep = length > 0
    series_establishment, series_indicator = series_establishment[keep], series_indicator[keep]
    series_start, length = series_start[keep], length[keep]

    factor = series_noise.lognormal(0.0, SERIES_SIGMA, len(series_start))
    factor[series_indicator == indicator_ids.index("employees")] = 1.0  # employees are the establishment's size
    per_employee = np.array([PER_EMPLOYEE.get(i, 1.0) for i in indicator_ids])
    labels = [f"{FIRST_YEAR + m // 12}-{m % 12 + 1:02d}" for m in range(MONTHS)]
    labels += [str(year) for year in range(FIRST_YEAR, LAST_YEAR + 1)]
    return _Plan(
        count=count,
        entity_ids=pa.array([f"demo-establishment-{n:05d}" for n in range(1, count + 1)]),
        group_id=groups[0],
        sector_ids=sector_ids,
        country_ids=country_ids,
        country_names=reference.column("countries", "name_en"),
        indicator_ids=indicator_ids,
        units=[indicator_units[i] for i in indicator_ids],
        indicator_units=indicator_units,
        labels=labels,
        sector=sector,
        country=drawn.country[:count],
        opened=opened,
        growth=drawn.growth[:count],
        lat=drawn.lat[:count],
        lon=drawn.lon[:count],
        series_establishment=series_establishment,
        series_indicator=series_indicator,
        series_start=series_start,
        series_offset=np.concatenate(([0], np.cumsum(length)[:-1])),
        series_scale=drawn.size[series_establishment] * per_employee[series_indicator] * factor,
        establishment_rows=wanted,
    )


@dataclass(frozen=True)
class _Establishments:
    """Demo establishments drawn BLOCK at a time, with what each one's figures and place follow from."""

    sector: np.ndarray
    country: np.ndarray
    opened: np.ndarray
    size: np.ndarray  # employees in January of FIRST_YEAR, before trend and season
    growth: np.ndarray
    lat: np.ndarray
    lon: np.ndarray

    @classmethod
    def draw(cls, rng, reference, sector_ids, country_ids, per_establishment, wanted: int) -> _Establishments:
        share = np.array([SECTOR_SHARE.get(s, DEFAULT_SHARE) for s in sector_ids])
        median = np.array([SECTOR_MEDIAN_EMPLOYEES.get(s, DEFAULT_MEDIAN_EMPLOYEES) for s in sector_ids])
        abroad = _abroad(reference, sector_ids, country_ids)
        centroids = np.array([reference.column("countries", c) for c in ("centroid_lat", "centroid_lon")]).T
        blocks, total = [], 0
        while total < wanted:
            sector = rng.choice(len(sector_ids), size=BLOCK, p=share / share.sum())
            before = rng.random(BLOCK) < OPEN_BEFORE
            since = (
                FIRST_YEAR
                - 1
                - np.minimum(rng.exponential(YEARS_OPEN_BEFORE, BLOCK).astype(np.int64), FIRST_YEAR - 1 - FOUNDED)
            )
            opened = np.where(before, (since - FIRST_YEAR) * 12 + rng.integers(0, 12, BLOCK),
                              rng.integers(0, MONTHS - 11, BLOCK))  # fmt: skip
            country = np.full(BLOCK, country_ids.index(HOME))
            in_france = rng.random(BLOCK)
            for index, sector_id in enumerate(sector_ids):
                away = (sector == index) & (in_france >= SECTOR_IN_FRANCE.get(sector_id, DEFAULT_IN_FRANCE))
                country[away] = rng.choice(abroad[index], size=int(away.sum()))
            point = centroids[country] + rng.normal(0.0, JITTER_DEGREES, (BLOCK, 2))
            block = cls(
                sector=sector,
                country=country,
                opened=opened,
                size=rng.lognormal(np.log(median[sector]), SIZE_SIGMA),
                growth=rng.normal(GROWTH_MEAN, GROWTH_SD, BLOCK),
                lat=np.round(np.clip(point[:, 0], -90, 90), 4),
                lon=np.round(np.clip(point[:, 1], -180, 180), 4),
            )
            blocks.append(block)
            total += int((per_establishment[sector] * (MONTHS - np.maximum(opened, 0))).sum())
        return cls(*(np.concatenate([getattr(b, f) for b in blocks]) for f in cls.__dataclass_fields__))


def _abroad(reference: _Reference, sector_ids: list[str], country_ids: list[str]) -> list[np.ndarray]:
    """Per sector, the countries outside France where data/ places it; else where it places the group itself (its
    overseas regions); else every other country."""
    places = list(zip(reference.column("locations", "sector_id"), reference.column("locations", "country_iso3"),
                      strict=True))  # fmt: skip
    everywhere = [c for c in country_ids if c != HOME]
    group_wide = sorted({c for s, c in places if s is None and c != HOME}) or everywhere
    pools = []
    for sector_id in sector_ids:
        pool = sorted({c for s, c in places if s == sector_id and c != HOME}) or group_wide
        pools.append(np.array([country_ids.index(c) for c in pool]))
    return pools


def _write_observations(path: Path, plan: _Plan, seed: int) -> None:
    """The establishments' rows CHUNK_ROWS at a time, then the group's rows computed from them, in one Parquet file."""
    values_rng = np.random.default_rng(np.random.SeedSequence(seed).spawn(3)[2])
    schema = arrow_schema("observations")
    totals = {i: np.zeros(MONTHS) for i in ("employees", "beneficiaries")}
    partial = path.with_name(f".{path.name}.partial")
    try:
        with pq.ParquetWriter(partial, schema, compression="zstd") as writer:
            for first in range(0, plan.establishment_rows, CHUNK_ROWS):
                last = min(first + CHUNK_ROWS, plan.establishment_rows)
                table = _establishment_rows(plan, first, last, values_rng, totals)
                if last == plan.establishment_rows:
                    table = pa.concat_tables([table, _group_rows(plan, totals, last)])
                writer.write_table(table, row_group_size=table.num_rows)
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)


def _establishment_rows(plan: _Plan, first: int, last: int, rng: np.random.Generator, totals: dict) -> pa.Table:
    row = np.arange(first, last)
    series = np.searchsorted(plan.series_offset, row, side="right") - 1
    month = plan.series_start[series] + (row - plan.series_offset[series])
    establishment = plan.series_establishment[series]
    indicator = plan.series_indicator[series]
    amplitude = np.array([SEASONALITY.get(i, ACTIVITY_SEASONALITY) for i in plan.indicator_ids])[indicator]
    season = 1.0 - amplitude * np.cos(2 * np.pi * (month % 12 - 7) / 12)  # lowest in August
    expected = plan.series_scale[series] * np.exp(plan.growth[establishment] * month / 12) * season
    counted = rng.poisson(expected).astype(np.float64)
    staff = np.maximum(1.0, np.rint(expected * (1 + EMPLOYEE_NOISE * rng.standard_normal(len(row)))))
    value = np.where(indicator == plan.indicator_ids.index("employees"), staff, counted)
    for indicator_id, total in totals.items():
        mine = indicator == plan.indicator_ids.index(indicator_id)
        total += np.bincount(month[mine], weights=value[mine], minlength=MONTHS)
    confidence = _allowed("observations", "confidence")
    graded = np.where(rng.random(len(row)) < CONFIDENCE_A, 0, min(1, len(confidence) - 1))
    sector_id = pa.array(plan.sector_ids).take(plan.sector[establishment])
    return _observations(
        first,
        last,
        {
            "indicator_id": pa.array(plan.indicator_ids).take(indicator),
            "value": value,
            "unit": pa.array(plan.units).take(indicator),
            "scope_level": pa.repeat(_require("observations", "scope_level", "entity"), len(row)),
            "entity_id": plan.entity_ids.take(establishment),
            "sector_id": sector_id,
            "country_iso3": pa.array(plan.country_ids).take(plan.country[establishment]),
            "confidence": pa.array(confidence).take(graded),
            "note": pa.nulls(len(row), pa.string()),
            "note_fr": pa.nulls(len(row), pa.string()),
        },
        period=month,
        labels=plan.labels,
    )


def _group_rows(plan: _Plan, totals: dict, first: int) -> pa.Table:
    """The group's headline figures: stocks at each month's end, and flows per year, from its establishments'."""
    months = np.arange(MONTHS)

    def open_in(opened: np.ndarray) -> np.ndarray:
        return np.searchsorted(np.sort(opened), months, side="right").astype(np.float64)

    first_open = np.full(len(plan.country_ids), MONTHS)
    np.minimum.at(first_open, plan.country, plan.opened)
    social = np.isin(plan.sector, [plan.sector_ids.index(s) for s in SOCIAL_ENTERPRISE_SECTORS if s in plan.sector_ids])
    monthly = {
        "employees": totals["employees"],
        "establishments": open_in(plan.opened),
        "countries": open_in(first_open[first_open < MONTHS]),
        "social_enterprises": open_in(plan.opened[social]),
    }
    years = MONTHS // 12
    yearly = {
        "beneficiaries": totals["beneficiaries"].reshape(years, 12).sum(axis=1),
        "revenue": np.round(totals["employees"].reshape(years, 12).mean(axis=1) * REVENUE_PER_EMPLOYEE_MEUR, 1),
    }
    ids = [i for i in GROUP_MONTHLY for _ in months] + [i for i in GROUP_YEARLY for _ in range(years)]
    period = np.concatenate(
        [np.tile(months, len(GROUP_MONTHLY)), np.tile(MONTHS + np.arange(years), len(GROUP_YEARLY))]
    )
    count = len(ids)
    return _observations(
        first,
        first + count,
        {
            "indicator_id": ids,
            "value": np.concatenate([monthly[i] for i in GROUP_MONTHLY] + [yearly[i] for i in GROUP_YEARLY]),
            "unit": [plan.indicator_units[i] for i in ids],
            "scope_level": pa.repeat(_require("observations", "scope_level", "group"), count),
            "entity_id": pa.repeat(plan.group_id, count),
            "sector_id": pa.nulls(count, pa.string()),
            "country_iso3": pa.nulls(count, pa.string()),
            "confidence": pa.repeat(_allowed("observations", "confidence")[0], count),
            "note": pa.repeat(GROUP_NOTE[0], count),
            "note_fr": pa.repeat(GROUP_NOTE[1], count),
        },
        period=period,
        labels=plan.labels,
    )


def _observations(first: int, last: int, columns: dict, period: np.ndarray, labels: list[str]) -> pa.Table:
    """Rows first..last of the observations: the given columns, the ones every demo row shares, the derived ones."""
    count = last - first
    numbers = pc.cast(pa.array(np.arange(first + 1, last + 1)), pa.string())
    columns = columns | {
        "observation_id": pc.binary_join_element_wise("obs-", pc.utf8_lpad(numbers, width=8, padding="0"), ""),
        "kind": pa.repeat(_require("observations", "kind", "actual"), count),
        "qualifier": pa.nulls(count, pa.string()),
        "period": pa.array(labels).take(period),
        "source_id": pa.repeat(SOURCE_ID, count),
    }
    return _table("observations", columns | _derived("observations", "period", labels, period))


def _derived(table: str, column: str, labels: list[str | None], index: np.ndarray) -> dict[str, pa.Array]:
    """The columns dashboard/derive.py computes from `column`, once per distinct label, then spread over the rows."""
    derived = [DERIVATIONS[table][column](label) for label in labels]
    schema = arrow_schema(table)
    return {name: pa.array([d[name] for d in derived], schema.field(name).type).take(index) for name in derived[0]}


def _table(name: str, columns: dict) -> pa.Table:
    """The columns in the datapackage's order and types; a column the schema has and the demo lacks is an error."""
    schema = arrow_schema(name)
    arrays = [c.cast(f.type) if isinstance(c := columns[f.name], pa.Array) else pa.array(c, f.type) for f in schema]
    return pa.table(arrays, schema=schema)


def _demo_source() -> pa.Table:
    row = {"source_id": SOURCE_ID, "title": SOURCE_TITLE, "url": None, "published": None}
    return _table("sources", {name: [value] for name, value in (row | derived_columns("sources", row)).items()})


def _package_text(package: dict, rows: int) -> bytes:
    resources = []
    for resource in package["resources"]:
        if resource["name"] == "observations":
            resource = {k: v for k, v in resource.items() if k != "encoding"} | {
                "description": "Generated figures of the demo establishments and of the group, monthly and yearly: "
                "synthetic, not Groupe SOS figures.",
                "path": "observations.parquet",
                "format": "parquet",
                "mediatype": "application/vnd.apache.parquet",
            }
        resources.append(resource)
    demo = {
        "name": NAME,
        "title": f"Synthetic demo data ({rows:,} observations): generated figures, not Groupe SOS figures",
        "description": "Written by dashboard/demo.py: data/'s sectors, countries, indicators, sources, entities and "
        "places, plus generated establishments, their places and every observation. No figure is Groupe SOS's.",
        "synthetic": True,
    }
    rest = {k: v for k, v in package.items() if k not in {*demo, "resources"}}
    return (json.dumps(demo | rest | {"resources": resources}, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def _with_rows(csv_bytes: bytes, extra: pa.Table) -> bytes:
    """A CSV file's bytes with more rows after its own, written as data/build writes them."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    for row in extra.to_pylist():
        writer.writerow([csv_cell(value) for value in row.values()])
    text = buffer.getvalue().encode("utf-8")
    return csv_bytes + text if csv_bytes.endswith(b"\n") else csv_bytes + b"\n" + text
