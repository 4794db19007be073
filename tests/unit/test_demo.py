"""The synthetic demo dataset: every table of data/, typed and constrained as declared, exactly the size asked for,
the same bytes for the same seed, and never mistaken for the published figures."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

from components.storyboard import HEADLINE_KPIS
from dashboard import demo
from dashboard.derive import derived_columns, period_columns
from dashboard.schema import TABLES, arrow_schema, foreign_keys, primary_key
from dashboard.store import read_table
from tests.conftest import DATA

ROWS = 10_000


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("demo") / "demo"
    demo.write_demo(folder, ROWS)
    return folder


@pytest.fixture(scope="module")
def tables(demo_dir) -> dict[str, pa.Table]:
    return _tables(demo_dir)


@pytest.fixture(scope="module")
def package(demo_dir) -> dict:
    return json.loads((demo_dir / "datapackage.json").read_text(encoding="utf-8"))


def _tables(folder: Path) -> dict[str, pa.Table]:
    """Every table of a dataset folder: the observations' Parquet file with pyarrow, the CSVs as the store reads them."""
    return {
        name: pq.read_table(folder / "observations.parquet") if name == "observations" else read_table(folder, name)
        for name in TABLES
    }


def _files(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


def _synthetic(table: pa.Table, column: str = "source_id") -> pa.Table:
    return table.filter(pc.equal(table[column], demo.SOURCE_ID))


def test_every_table_is_there_with_its_declared_columns_and_types(demo_dir, tables, package):
    for name in TABLES:
        assert tables[name].schema.equals(arrow_schema(name), check_metadata=False), name
    assert tables["observations"].num_rows == ROWS
    paths = {resource["name"]: resource["path"] for resource in package["resources"]}
    assert set(paths) == set(TABLES)
    assert paths["observations"] == "observations.parquet"
    assert all((demo_dir / path).is_file() for path in paths.values())


def test_primary_keys_are_unique_and_every_foreign_key_resolves_within_the_demo(tables):
    for name in TABLES:
        key = tables[name][primary_key(name)]
        assert key.null_count == 0 and pc.count_distinct(key).as_py() == len(key), name
        for column, referenced, referenced_column in foreign_keys(name):
            values = pc.drop_null(tables[name][column])
            known = tables[referenced][referenced_column].combine_chunks()
            assert pc.all(pc.is_in(values, value_set=known)).as_py() is not False, (name, column)


def test_the_datapackage_constraints_hold_in_every_table(tables, package):
    for resource in package["resources"]:
        table = tables[resource["name"]]
        for field in resource["schema"]["fields"]:
            column, rules = table[field["name"]], field.get("constraints", {})
            where = (resource["name"], field["name"])
            values = pc.drop_null(column)
            if rules.get("required"):
                assert column.null_count == 0, where
            if rules.get("unique"):
                assert pc.count_distinct(values).as_py() == len(values), where
            if "enum" in rules:
                assert pc.all(pc.is_in(values, value_set=pa.array(rules["enum"]))).as_py() is not False, where
            if "pattern" in rules:
                matches = pc.match_substring_regex(values, f"^(?:{rules['pattern']})$")
                assert pc.all(matches).as_py() is not False, where
            if "minimum" in rules:
                assert pc.min(values).as_py() >= rules["minimum"], where
            if "maximum" in rules:
                assert pc.max(values).as_py() <= rules["maximum"], where


@pytest.mark.parametrize("rows", [12_345, 50_000])
def test_exactly_the_rows_asked_for(rows, tmp_path):
    summary = demo.write_demo(tmp_path / "demo", rows)
    assert pq.ParquetFile(tmp_path / "demo" / "observations.parquet").metadata.num_rows == summary.rows == rows
    assert f"{rows:,} observations" in str(summary) and "2011-01 to 2025-12" in str(summary)


def test_derived_period_columns_are_what_derive_computes(tables):
    observations = tables["observations"]
    sample = np.random.default_rng(0).choice(observations.num_rows, size=500, replace=False)
    for row in observations.take(sample).to_pylist():
        assert {name: row[name] for name in period_columns(row["period"])} == period_columns(row["period"]), row


def test_derived_columns_of_the_synthetic_source_and_places_are_what_derive_computes(tables):
    for name in ("sources", "locations"):
        for row in _synthetic(tables[name]).to_pylist():
            derived = derived_columns(name, row)
            assert {column: row[column] for column in derived} == derived, row


def test_the_same_seed_gives_the_same_bytes(demo_dir, tmp_path):
    demo.write_demo(tmp_path / "again", ROWS)
    assert _files(tmp_path / "again") == _files(demo_dir)


def test_another_seed_gives_other_rows(tables, tmp_path):
    demo.write_demo(tmp_path / "other", ROWS, seed=demo.DEFAULT_SEED + 1)
    other = pq.read_table(tmp_path / "other" / "observations.parquet")
    assert not other["value"].equals(tables["observations"]["value"])


def test_a_previous_demo_is_overwritten(demo_dir, tmp_path):
    folder = tmp_path / "demo"
    demo.write_demo(folder, 50_000, seed=7)
    demo.write_demo(folder, ROWS)
    assert _files(folder) == _files(demo_dir)


def test_the_dataset_says_it_is_synthetic(package):
    assert package["synthetic"] is True
    assert package["name"] == "groupe-sos-demo"
    assert "synthetic" in package["title"].lower() and f"{ROWS:,}" in package["title"]
    assert demo.is_demo(DATA) is False


def test_every_observation_cites_the_synthetic_source_and_it_is_no_real_one(tables):
    published_sources = read_table(DATA, "sources")["source_id"].to_pylist()
    assert demo.SOURCE_ID not in published_sources
    assert pc.unique(tables["observations"]["source_id"]).to_pylist() == [demo.SOURCE_ID]
    (source,) = _synthetic(tables["sources"]).to_pylist()
    assert "synthetic" in source["title"].lower() and "not Groupe SOS" in source["title"]
    assert source["url"] is None or "example.org" in source["url"]
    assert source["own_source"] is False


def test_the_structure_is_data_s_and_every_source_and_place_is_synthetic(demo_dir, tables):
    """The demo never mixes with the real figures: no real source, no real place; data/'s entities come first."""
    for name in ("sectors", "countries", "indicators"):
        assert (demo_dir / f"{name}.csv").read_bytes() == (DATA / f"{name}.csv").read_bytes()
    published = read_table(DATA, "entities")
    assert tables["entities"].slice(0, published.num_rows).equals(published)
    assert tables["sources"]["source_id"].to_pylist() == [demo.SOURCE_ID]
    assert set(tables["locations"]["source_id"].to_pylist()) == {demo.SOURCE_ID}
    entities = tables["entities"].slice(read_table(DATA, "entities").num_rows)
    assert all(e.startswith("demo-establishment-") for e in entities["entity_id"].to_pylist())
    assert all(n.startswith("Demo establishment ") for n in entities["name"].to_pylist())
    assert set(entities["level"].to_pylist()) == {"entity"}
    places = _synthetic(tables["locations"])
    assert places["entity_id"].to_pylist() == entities["entity_id"].to_pylist()
    assert set(places["precision"].to_pylist()) == {"country"}


def test_most_places_are_in_france_near_their_country_centroid(tmp_path):
    demo.write_demo(tmp_path / "demo", 50_000)
    tables = _tables(tmp_path / "demo")
    places = _synthetic(tables["locations"]).to_pandas()
    centroids = tables["countries"].to_pandas().set_index("iso3")
    assert (places["country_iso3"] == "FRA").mean() > 0.6
    nearby = places.join(centroids, on="country_iso3")
    assert ((nearby["lat"] - nearby["centroid_lat"]).abs() < 5).all()
    assert ((nearby["lon"] - nearby["centroid_lon"]).abs() < 5).all()


def test_establishments_report_monthly_figures_of_their_own_sector_and_country(tables):
    observations = tables["observations"].to_pandas()
    mine = observations[observations["scope_level"] == "entity"]
    assert set(mine["period_kind"]) == {"month"} and set(mine["kind"]) == {"actual"}
    assert mine["period"].max() == "2025-12"
    places = _synthetic(tables["locations"]).to_pandas().set_index("entity_id")
    home = places.loc[mine["entity_id"], ["sector_id", "country_iso3"]].to_numpy()
    assert (home == mine[["sector_id", "country_iso3"]].to_numpy()).all()


def test_the_group_has_every_headline_kpi_up_to_the_last_year(tables):
    observations = tables["observations"].to_pandas()
    group = observations[observations["scope_level"] == "group"]
    assert set(group["entity_id"]) == {"groupe-sos"} and group["sector_id"].isna().all()
    for indicator_id in HEADLINE_KPIS:
        assert (group.loc[group["indicator_id"] == indicator_id, "year"] == 2025).any(), indicator_id


def test_the_group_figures_add_up_its_establishments_across_row_groups(monkeypatch, tmp_path):
    monkeypatch.setattr(demo, "CHUNK_ROWS", 3_000)
    demo.write_demo(tmp_path / "demo", ROWS)
    assert pq.ParquetFile(tmp_path / "demo" / "observations.parquet").metadata.num_row_groups == 4
    observations = pq.read_table(tmp_path / "demo" / "observations.parquet").to_pandas()
    employees = observations[observations["indicator_id"] == "employees"]
    by_scope = employees.groupby(["scope_level", "period"])["value"].sum()
    assert (by_scope["group"] == by_scope["entity"].reindex(by_scope["group"].index, fill_value=0)).all()
    counted = observations[(observations["indicator_id"] == "establishments") & (observations["period"] == "2025-12")]
    assert counted["value"].item() == employees.loc[employees["scope_level"] == "entity", "entity_id"].nunique()


@pytest.mark.parametrize("rows", [9_999, 20_000_001, 0, -5, 12_000.0, "50000"])
def test_a_size_out_of_range_is_refused_and_nothing_written(rows, tmp_path):
    with pytest.raises(ValueError, match="between 10,000 and 20,000,000"):
        demo.write_demo(tmp_path / "demo", rows)
    assert not (tmp_path / "demo").exists()


def test_a_folder_holding_something_else_is_refused_and_left_alone(tmp_path):
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    (tmp_path / "datapackage.json").write_text('{"name": "theirs"}', encoding="utf-8")
    before = _files(tmp_path)
    with pytest.raises(ValueError, match="not empty and holds no demo dataset"):
        demo.write_demo(tmp_path, ROWS)
    assert _files(tmp_path) == before


def test_a_file_or_the_source_folder_itself_is_refused(tmp_path):
    (tmp_path / "file").write_text("mine", encoding="utf-8")
    with pytest.raises(ValueError, match="not a folder"):
        demo.write_demo(tmp_path / "file", ROWS)
    with pytest.raises(ValueError, match="over"):
        demo.write_demo(DATA, ROWS)


def test_the_demo_command_writes_a_dataset_the_other_commands_serve(tmp_path):
    """`demo` then DASHBOARD_DATA_DIR: the CLI (like the app) seeds a store of its own from the demo folder."""
    import os
    import subprocess
    import sys

    from tests.conftest import ROOT

    def run(*args: str, **env: str) -> subprocess.CompletedProcess:
        environment = {key: value for key, value in os.environ.items() if key != "DASHBOARD_DATABASE_URL"}
        return subprocess.run([sys.executable, "-m", "dashboard", *args], cwd=ROOT, capture_output=True, text=True,
                              timeout=300, env=environment | env)  # fmt: skip

    out = tmp_path / "demo"
    written = run("demo", "--rows", "10000", "--out", str(out))
    assert written.returncode == 0, written.stderr
    assert "10,000 observations" in written.stdout and f"DASHBOARD_DATA_DIR={out}" in written.stdout
    facts = run("facts", DASHBOARD_DATA_DIR=str(out))
    assert facts.returncode == 0, facts.stderr
    assert len(facts.stdout.splitlines()) == 10_001 and "Synthetic demo data" in facts.stdout
    assert (out / "dashboard.duckdb").exists()  # the demo's own store, beside it
    again = run("demo", "--rows", "20000", "--out", str(out))
    assert again.returncode == 0 and "Removed the store of the previous demo" in again.stdout
    assert len(run("facts", DASHBOARD_DATA_DIR=str(out)).stdout.splitlines()) == 20_001  # not the old store's rows
    refused = run("demo", "--rows", "5", "--out", str(tmp_path / "tiny"))
    assert refused.returncode == 1 and "Traceback" not in refused.stderr and not (tmp_path / "tiny").exists()
