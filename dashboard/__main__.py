"""Command line: python -m dashboard facts | ... (more subcommands arrive with the data stewards' issue)."""

from __future__ import annotations

import argparse
import sys

from dashboard.export import csv_bytes, facts_export


def _facts(args: argparse.Namespace) -> int:
    from dashboard.queries import facts
    from dashboard.store import open_store

    sys.stdout.buffer.write(csv_bytes(facts_export(facts(open_store())), byte_order_mark=False))
    return 0


def _build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m dashboard",
        description="Groupe SOS impact dashboard: data commands. The dataset is data/ unless DASHBOARD_DATA_DIR is set.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    facts = commands.add_parser("facts", help="every observation joined with its source, as CSV on standard output")
    facts.set_defaults(run=_facts)
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
