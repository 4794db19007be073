"""The bundled dataset is the reference, complete and described: every figure, every place, every label."""

from __future__ import annotations

import csv
import filecmp
import json
from pathlib import Path

import pytest
from frictionless import validate

from dashboard.periods import parse_period
from dashboard.store import TABLES, read_table
from data.build.build import build
from tests.conftest import DATA


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_every_reference_figure_is_present_with_the_same_value_period_and_source(reference_dir):
    reference = _rows(reference_dir / "public-facts.csv")
    observations = _rows(DATA / "observations.csv")
    assert len(reference) == len(observations) == 131
    for published, kept in zip(reference, observations, strict=True):
        assert float(kept["value"]) == float(published["value"]), kept["observation_id"]
        for field, reference_field in (("indicator_id", "metric"), ("period", "period"), ("source_id", "source_id"),
                                       ("qualifier", "qualifier"), ("kind", "kind"), ("confidence", "confidence"),
                                       ("country_iso3", "country_iso3"), ("sector_id", "sector"), ("note", "note")):  # fmt: skip
            assert kept[field] == published[reference_field], (kept["observation_id"], field)


def test_every_reference_place_is_present(reference_dir):
    reference = _rows(reference_dir / "presence.csv")
    locations = _rows(DATA / "locations.csv")
    assert len(reference) == len(locations) == 50
    for published, kept in zip(reference, locations, strict=True):
        assert (kept["place"], kept["country_iso3"], kept["source_id"], kept["precision"]) == (
            published["place"], published["country_iso3"], published["source_id"], published["precision"],
        )  # fmt: skip
        assert (float(kept["lat"]), float(kept["lon"])) == (float(published["lat"]), float(published["lon"]))


def test_every_reference_source_is_present(reference_dir):
    assert {r["source_id"] for r in _rows(reference_dir / "sources.csv")} == {
        r["source_id"] for r in _rows(DATA / "sources.csv")
    }


def test_typed_periods_agree_with_their_labels():
    for row in _rows(DATA / "observations.csv"):
        period = parse_period(row["period"])
        assert row["period_kind"] == period.kind
        assert row["period_end"] == (period.end.isoformat() if period.end else "")
        assert row["year"] == (str(period.year) if period.year else "")


def test_the_datapackage_validates_types_constraints_and_foreign_keys():
    report = validate(DATA / "datapackage.json")
    errors = [f"{task.name}: {error.message}" for task in report.tasks for error in task.errors]
    assert report.valid, errors[:10]


def test_a_broken_foreign_key_is_caught(tmp_path):
    for name in [*TABLES, "datapackage.json"]:
        source = DATA / (name if name.endswith(".json") else f"{name}.csv")
        (tmp_path / source.name).write_bytes(source.read_bytes())
    observations = (tmp_path / "observations.csv").read_text(encoding="utf-8")
    (tmp_path / "observations.csv").write_text(
        observations.replace(",sos-intro,", ",no-such-source,", 1), encoding="utf-8"
    )
    report = validate(tmp_path / "datapackage.json")
    assert not report.valid
    assert any("foreign" in error.type for task in report.tasks for error in task.errors)


def test_every_table_and_column_has_metadata():
    package = json.loads((DATA / "datapackage.json").read_text(encoding="utf-8"))
    described = {resource["name"]: resource for resource in package["resources"]}
    assert set(described) == set(TABLES)
    for name, resource in described.items():
        assert resource.get("title") and resource.get("description"), name
        header = next(csv.reader((DATA / resource["path"]).open(encoding="utf-8")))
        fields = resource["schema"]["fields"]
        assert header == [f["name"] for f in fields], name
        for field in fields:
            assert field.get("description") and field.get("type"), f"{name}.{field['name']}"


def test_every_indicator_has_labels_units_and_descriptions_in_both_languages(catalog, store):
    used = set(store.execute(store.table("observations").select("indicator_id").distinct())["indicator_id"])
    assert used <= set(catalog.indicators)
    for indicator in catalog.indicators.values():
        for lang in ("en", "fr"):
            assert indicator.labels[lang] and indicator.units[lang] and indicator.descriptions[lang], indicator.id


def test_every_sector_country_and_entity_is_named(catalog):
    assert list(catalog.sectors) == [
        "youth", "employment", "solidarity", "health", "seniors", "culture", "ecological-transition",
        "international", "pulse",
    ]  # fmt: skip
    for sector in catalog.sectors.values():
        assert sector.labels["en"] and sector.labels["fr"] and sector.colour.startswith("#")
    assert len({s.colour for s in catalog.sectors.values()}) == 9
    for country in catalog.countries.values():
        assert country.names["en"] and country.names["fr"] and country.continent
    assert catalog.countries["XKX"].names["en"] == "Kosovo"
    assert {"GLP", "GUF", "MYT", "REU"} <= set(catalog.countries)


@pytest.mark.parametrize("table", TABLES)
def test_each_table_loads_with_its_declared_types(table):
    loaded = read_table(DATA, table)
    assert loaded.num_rows > 0


def test_rebuilding_from_the_reference_gives_the_same_files(reference_dir, tmp_path):
    (tmp_path / "one").mkdir()
    (tmp_path / "two").mkdir()
    build(reference_dir, tmp_path / "one")
    build(reference_dir, tmp_path / "two")
    for name in TABLES:
        first, second = tmp_path / "one" / f"{name}.csv", tmp_path / "two" / f"{name}.csv"
        assert filecmp.cmp(first, second, shallow=False), f"{name} differs between two builds"
        assert filecmp.cmp(first, DATA / f"{name}.csv", shallow=False), f"data/{name}.csv is not what the build writes"
