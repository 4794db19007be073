"""Rebuild the tidy tables in data/ from the reference files (../shared/reference) and the editorial inputs here.

Deterministic: the same inputs give byte-identical CSVs. Run with `make data` or
`python data/build/build.py [REFERENCE_DIR]`. The app never reads the reference folder; it reads what this writes.
"""

from __future__ import annotations

import csv
import re
import sys
import unicodedata
from pathlib import Path

from babel import Locale

from dashboard.derive import derived_columns
from dashboard.schema import csv_cell, field_names

HERE = Path(__file__).resolve().parent
DATA = HERE.parent
DEFAULT_REFERENCE = DATA.parent.parent / "shared" / "reference"

SCOPE_LEVELS = ("group", "sector", "programme", "entity")


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def write_csv(path: Path, fields: list[str], rows: list[dict]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({field: csv_cell(row.get(field)) for field in fields})


def slug(name: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")


def number(text: str) -> float:
    value = float(text)
    return int(value) if value.is_integer() else value


def build_sources(reference: list[dict]) -> list[dict]:
    rows = []
    for src in reference:
        row = {"source_id": src["source_id"], "title": src["title"], "url": src["url"], "published": src["published"]}
        rows.append(row | derived_columns("sources", row))
    return sorted(rows, key=lambda r: r["source_id"])


def build_entities(facts: list[dict], presence: list[dict]) -> list[dict]:
    entities: dict[str, dict] = {}
    for fact in facts:
        entities.setdefault(fact["scope"], {"level": fact["scope_level"], "sector_id": fact["sector"]})
    for place in presence:
        entities.setdefault(place["entity"], {"level": "entity", "sector_id": place["sector"]})
    rows = []
    for name, info in entities.items():
        if info["level"] not in SCOPE_LEVELS:
            raise ValueError(f"scope level {info['level']!r} of {name!r} is not one of {SCOPE_LEVELS}")
        rows.append({"entity_id": slug(name), "name": name, "level": info["level"], "sector_id": info["sector_id"]})
    ids = [r["entity_id"] for r in rows]
    if len(set(ids)) != len(ids):
        raise ValueError("two entity names give the same id")
    return sorted(rows, key=lambda r: r["entity_id"])


def load_note_translations(path: Path) -> dict[str, str]:
    """The editorial French of every note, keyed by the English; a duplicate or an empty French is an error."""
    translations: dict[str, str] = {}
    for row in read_csv(path):
        if row["note_en"] in translations:
            raise ValueError(f"{path.name} translates the note {row['note_en']!r} twice")
        if not row["note_fr"].strip():
            raise ValueError(f"{path.name} has an empty French for the note {row['note_en']!r}")
        translations[row["note_en"]] = row["note_fr"]
    return translations


def check_note_translations(translations: dict[str, str], rows: list[dict]) -> None:
    # A note shown only in English to a French reader is a missing translation, not a fallback: stop the build.
    notes = {r["note"] for r in rows if r["note"]}
    if missing := sorted(notes - set(translations)):
        listed = "\n  ".join(repr(n) for n in missing)
        raise ValueError(f"notes without a French translation in data/build/notes_fr.csv (add a row each):\n  {listed}")
    # One row per note in use: a translation left behind by a changed note would hide that it needs redoing.
    if unused := sorted(set(translations) - notes):
        listed = "\n  ".join(repr(n) for n in unused)
        raise ValueError(f"rows of data/build/notes_fr.csv match no note in the reference (remove them):\n  {listed}")


def french_note(note: str, translations: dict[str, str]) -> str:
    return translations[note] if note else ""


def build_observations(facts: list[dict], notes_fr: dict[str, str]) -> list[dict]:
    rows = []
    for number_in_file, fact in enumerate(facts, start=1):
        row = {
            "observation_id": f"obs-{number_in_file:03d}",
            "indicator_id": fact["metric"],
            "kind": fact["kind"],
            "qualifier": fact["qualifier"],
            "value": number(fact["value"]),
            "unit": fact["unit"],
            "period": fact["period"],
            "scope_level": fact["scope_level"],
            "entity_id": slug(fact["scope"]),
            "sector_id": fact["sector"],
            "country_iso3": fact["country_iso3"],
            "source_id": fact["source_id"],
            "confidence": fact["confidence"],
            "note": fact["note"],
            "note_fr": french_note(fact["note"], notes_fr),
        }
        rows.append(row | derived_columns("observations", row))
    return rows


def build_locations(presence: list[dict], kinds: dict[str, str], notes_fr: dict[str, str]) -> list[dict]:
    if missing := sorted({p["kind"] for p in presence} - set(kinds)):
        raise ValueError(f"kinds of presence without a French label in data/build/presence_kinds.csv: {missing}")
    rows = []
    for number_in_file, place in enumerate(presence, start=1):
        row = {
            "location_id": f"loc-{number_in_file:03d}",
            "entity_id": slug(place["entity"]),
            "sector_id": place["sector"],
            "country_iso3": place["country_iso3"],
            "place": place["place"],
            "lat": number(place["lat"]),
            "lon": number(place["lon"]),
            "precision": place["precision"],
            "kind": place["kind"],
            "kind_fr": kinds[place["kind"]],
            "since": place["since"],
            "until": place["until"],
            "source_id": place["source_id"],
            "confidence": place["confidence"],
            "note": place["note"],
            "note_fr": french_note(place["note"], notes_fr),
        }
        rows.append(row | derived_columns("locations", row))
    return rows


def build_countries(editorial: list[dict], used: set[str]) -> list[dict]:
    english, french = Locale("en"), Locale("fr")
    known = {row["iso3"] for row in editorial}
    if missing := sorted(used - known):
        raise ValueError(f"countries used in the reference but missing from data/build/countries.csv: {missing}")
    rows = []
    for row in editorial:
        rows.append(
            {
                "iso3": row["iso3"],
                "iso2": row["iso2"],
                "name_en": english.territories[row["iso2"]],
                "name_fr": french.territories[row["iso2"]],
                "continent": row["continent"],
                "centroid_lat": number(row["centroid_lat"]),
                "centroid_lon": number(row["centroid_lon"]),
            }
        )
    return sorted(rows, key=lambda r: r["iso3"])


def check_indicators(indicators: list[dict], facts: list[dict]) -> None:
    defined = {row["id"] for row in indicators}
    if missing := sorted({f["metric"] for f in facts} - defined):
        raise ValueError(f"metrics without a row in data/build/indicators.csv: {missing}")


def build(reference_dir: Path = DEFAULT_REFERENCE, out_dir: Path = DATA) -> dict[str, int]:
    facts = read_csv(reference_dir / "public-facts.csv")
    presence = read_csv(reference_dir / "presence.csv")
    reference_sources = read_csv(reference_dir / "sources.csv")
    indicators = read_csv(HERE / "indicators.csv")
    check_indicators(indicators, facts)
    notes_fr = load_note_translations(HERE / "notes_fr.csv")
    check_note_translations(notes_fr, facts + presence)
    used_countries = {r["country_iso3"] for r in facts + presence if r["country_iso3"]}

    tables = {
        "observations": build_observations(facts, notes_fr),
        "indicators": indicators,
        "sectors": read_csv(HERE / "sectors.csv"),
        "entities": build_entities(facts, presence),
        "locations": build_locations(
            presence, {r["kind"]: r["kind_fr"] for r in read_csv(HERE / "presence_kinds.csv")}, notes_fr
        ),
        "countries": build_countries(read_csv(HERE / "countries.csv"), used_countries),
        "sources": build_sources(reference_sources),
    }
    for name, rows in tables.items():
        write_csv(out_dir / f"{name}.csv", field_names(name), rows)  # columns in the datapackage's order
    return {name: len(rows) for name, rows in tables.items()}


if __name__ == "__main__":
    reference = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_REFERENCE
    for table, count in build(reference).items():
        print(f"{table:>14}: {count} rows")
