"""Command line: python -m dashboard facts | deck | template | validate | import | versions | rollback | demo |
hash-password."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from dashboard.export import csv_bytes, facts_export
from dashboard.history import counts_text, default_author


def _facts(args: argparse.Namespace) -> int:
    from dashboard.queries import facts
    from dashboard.store import current_store

    sys.stdout.buffer.write(csv_bytes(facts_export(facts(current_store())), byte_order_mark=False))
    return 0


def _deck(args: argparse.Namespace) -> int:
    """The PowerPoint deck of a view, as the app's button makes it: for a presenter, or for `make deck-png`."""
    from components.deck import deck_pptx
    from components.slide_export import close_renderer
    from components.storyboard import build_deck
    from dashboard.filters import parse_query_params
    from dashboard.metadata import load_catalog
    from dashboard.queries import year_bounds
    from dashboard.store import current_store

    store = current_store()
    catalog = load_catalog(store)
    params = {"country": args.country, "sector": args.sector, "years": args.years or []}
    filters, notices = parse_query_params(params, catalog.choices(*year_bounds(store)))
    if notices:
        print(f"python -m dashboard deck: {', '.join(f'{n.parameter} {n.value!r} ({n.problem})' for n in notices)}",
              file=sys.stderr)  # fmt: skip
        return 1
    try:
        args.out.write_bytes(deck_pptx(build_deck(store, catalog, filters, args.lang)))
    finally:
        close_renderer()  # now, not at exit, where its temporary folder could be removed while Chromium still writes
    print(args.out)
    return 0


def _template(args: argparse.Namespace) -> int:
    from dashboard.store import current_history
    from dashboard.workbook import write_template

    _, current = current_history().tables()
    write_template(args.file, current=current, rows=current if args.with_data else None)
    print(args.file)
    return 0


def _checked(args: argparse.Namespace, command: str):
    """The upload in `args.file` checked against the current version; its problems printed. (upload, change) or None."""
    from dashboard.store import current_history

    upload, change, problems = current_history().preview(args.file.read_bytes(), args.file.name, args.mode)
    for problem in problems:
        print(problem)
    if problems or upload is None:
        listed = sum(1 for p in problems if p.code != "more_problems")
        more = sum(p.params["count"] for p in problems if p.code == "more_problems")
        print(f"{args.file.name}: {listed + more} problem(s); fix them and {command} again (nothing was imported).")
        return None
    return upload, change


def _counts(change) -> str:
    return counts_text(change.added, change.changed, change.removed)


def _validate(args: argparse.Namespace) -> int:
    """Each problem on its own line on standard output, then a count; or what importing the file would change."""
    checked = _checked(args, "validate")
    if checked is None:
        return 1
    upload, change = checked
    rows = sum(table.num_rows for table in upload.tables.values())
    tables = "; ".join(f"{c.table} {counts_text(*c.counts)}" for c in change.tables if not c.empty) or "nothing changes"
    print(f"{args.file.name} is valid ({args.mode}, {rows} row(s)): importing it would add {change.added}, change "
          f"{change.changed} and remove {change.removed} row(s) ({tables}).")  # fmt: skip
    return 0


def _import(args: argparse.Namespace) -> int:
    """Validate, then write a new version in one transaction; the check is made again under the writers' lock."""
    from dashboard.history import ImportRefused
    from dashboard.store import current_history

    checked = _checked(args, "import")
    if checked is None:
        return 1
    upload, change = checked
    if change.empty:
        print(f"{args.file.name} is valid and changes nothing: no new version.")
        return 0
    try:
        version = current_history().import_upload(upload, author=args.by, mode=args.mode)
    except ImportRefused as refused:  # the data changed between the check and the write
        for problem in refused.problems:
            print(problem)
        print(f"{args.file.name}: the data changed meanwhile and the file now has {len(refused.problems)} "
              "problem(s); nothing was imported.")  # fmt: skip
        return 1
    print(f"Imported {args.file.name} as version {version.number} by {version.author}: {_counts(version)} rows.")
    return 0


def _versions(args: argparse.Namespace) -> int:
    """One line per version, newest first: number, time (UTC), who, what, file, checksum, rows +added ~changed −removed."""
    from dashboard.store import current_history

    history = current_history()
    versions = history.versions()
    print(f"{history}: {len(versions)} version(s); the current one is marked *")
    header = ("", "version", "time (UTC)", "by", "action", "file", "checksum", "rows")
    lines = [header] + [
        ("*" if v is versions[0] else "", str(v.number), v.created_at.strftime("%Y-%m-%d %H:%M:%S"), v.author,
         v.action if v.restores is None else f"rollback to {v.restores}", v.file_name, v.checksum[:12], _counts(v))
        for v in versions
    ]  # fmt: skip
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    for line in lines:
        print("  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True)).rstrip())
    return 0


def _rollback(args: argparse.Namespace) -> int:
    from dashboard.store import current_history

    version = current_history().rollback(args.version, author=args.by)
    print(f"Version {version.number} by {version.author} restores version {args.version}: {_counts(version)} rows.")
    return 0


def _demo(args: argparse.Namespace) -> int:
    from dashboard.demo import write_demo

    print(write_demo(args.out, args.rows) if args.seed is None else write_demo(args.out, args.rows, seed=args.seed))
    # A store seeded from the previous demo in this folder would go on serving it: it goes with the data it held.
    stale = [args.out / f"dashboard.duckdb{suffix}" for suffix in ("", ".wal")]
    if any(path.exists() for path in stale):
        for path in stale:
            path.unlink(missing_ok=True)
        print(
            f"Removed the store of the previous demo ({args.out / 'dashboard.duckdb'}): the next start seeds a new one."
        )
    print(f"Serve it with: DASHBOARD_DATA_DIR={args.out} make run")
    return 0


def _hash_password(args: argparse.Namespace) -> int:
    from dashboard.auth import prompt_and_hash

    print(prompt_and_hash())
    return 0


def _build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m dashboard",
        description="Groupe SOS impact dashboard: data commands. They read and write the store the app serves: "
        "DASHBOARD_DATABASE_URL, else [database] url in .streamlit/secrets.toml, else var/dashboard.duckdb (seeded "
        "from data/, or from DASHBOARD_DATA_DIR).",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    facts = commands.add_parser("facts", help="every observation joined with its source, as CSV on standard output")
    facts.set_defaults(run=_facts)
    deck = commands.add_parser("deck", help="the PowerPoint deck of a view (title slide, KPIs, charts, notes)")
    deck.add_argument("--out", type=Path, required=True, help="the .pptx file to write")
    deck.add_argument("--lang", choices=["en", "fr"], default="en")
    deck.add_argument("--country", action="append", default=[], help="ISO 3166-1 alpha-3 code; repeatable")
    deck.add_argument("--sector", action="append", default=[], help="sector id; repeatable")
    deck.add_argument("--years", nargs=2, metavar=("FROM", "TO"), help="first and last year")
    deck.set_defaults(run=_deck)
    template = commands.add_parser(
        "template", help="the Excel template for data stewards: a README, one sheet per table, an example row each"
    )
    template.add_argument("file", type=Path, help="the .xlsx file to write")
    template.add_argument("--with-data", action="store_true", help="the current rows instead of an example row")
    template.set_defaults(run=_template)
    validate = commands.add_parser(
        "validate", help="check a filled template (.xlsx) or one table (.csv): exit 0 when valid, 1 with its problems"
    )
    validate.add_argument("file", type=Path, help="the .xlsx or .csv file to check")
    validate.set_defaults(run=_validate)
    imported = commands.add_parser(
        "import", help="validate a file, then write it as a new version in one transaction (exit 1 and nothing "
        "written when it has any problem)",
    )  # fmt: skip
    imported.add_argument("file", type=Path, help="the .xlsx or .csv file to import")
    imported.set_defaults(run=_import)
    versions = commands.add_parser("versions", help="every version of the data, newest first")
    versions.set_defaults(run=_versions)
    rollback = commands.add_parser(
        "rollback", help="make version N current again (written as a new version; nothing is deleted)"
    )
    rollback.add_argument("version", type=int, metavar="N", help="the version to restore")
    rollback.set_defaults(run=_rollback)
    for command in (imported, rollback):
        command.add_argument("--by", default=default_author(), help="who is writing (default: %(default)s)")
    for command in (validate, imported):
        command.add_argument(
            "--mode", choices=["update", "replace"], default="update",
            help="update: rows add to or replace rows with the same id (default); replace: each table given "
            "replaces the current one",
        )  # fmt: skip
    demo = commands.add_parser(
        "demo", help="write a synthetic dataset (same tables as data/, observations as Parquet) of any size"
    )
    demo.add_argument("--rows", type=int, required=True, help="observations, from 10000 to 20000000")
    demo.add_argument("--out", type=Path, required=True, help="the folder to write (a new one, or a previous demo)")
    demo.add_argument("--seed", type=int, help="the same seed writes the same files (default: a fixed one)")
    demo.set_defaults(run=_demo)
    password = commands.add_parser(
        "hash-password", help="ask for a password twice and print its hash for [admin.users] in secrets.toml"
    )
    password.set_defaults(run=_hash_password)
    return parser


def _one_line(kind: type[BaseException], error: BaseException, _traceback) -> None:
    print(f"python -m dashboard: {kind.__name__}: {error}", file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    from dashboard.history import HistoryError
    from dashboard.store import DataFileError

    args = _build_parser().parse_args(argv)
    sys.excepthook = _one_line  # also for what fails after main() returns (clean-ups at exit)
    try:
        return args.run(args)
    except BrokenPipeError:  # `python -m dashboard facts | head` closes the pipe early: not an error
        return 0
    except KeyboardInterrupt:
        return 130
    except (DataFileError, HistoryError, OSError, ValueError, KeyError) as error:
        print(f"python -m dashboard {args.command}: {error}", file=sys.stderr)
        return 1
    except Exception as error:  # a bug, or a database failing: one line, never a traceback
        print(f"python -m dashboard {args.command}: unexpected {type(error).__name__}: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
