"""Command line: python -m dashboard facts | deck (more subcommands arrive with the data stewards' issue)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from dashboard.export import csv_bytes, facts_export


def _facts(args: argparse.Namespace) -> int:
    from dashboard.queries import facts
    from dashboard.store import current_store

    sys.stdout.buffer.write(csv_bytes(facts_export(facts(current_store())), byte_order_mark=False))
    return 0


def _deck(args: argparse.Namespace) -> int:
    """The PowerPoint deck of a view, as the app's button makes it: for a presenter, or for `make deck-png`."""
    from components.deck import deck_pptx
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
    args.out.write_bytes(deck_pptx(build_deck(store, catalog, filters, args.lang)))
    print(args.out)
    return 0


def _build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m dashboard",
        description="Groupe SOS impact dashboard: data commands. The dataset is data/ unless DASHBOARD_DATA_DIR is set.",
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
    return parser


def main(argv: list[str] | None = None) -> int:
    from dashboard.store import DataFileError

    args = _build_parser().parse_args(argv)
    try:
        return args.run(args)
    except BrokenPipeError:  # `python -m dashboard facts | head` closes the pipe early: not an error
        return 0
    except (DataFileError, OSError, ValueError, KeyError) as error:
        print(f"python -m dashboard {args.command}: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    raise SystemExit(main())
