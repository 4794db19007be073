"""Server side of `make bench`: how long the data layer and each page's script take, and how much memory the server
holds, on the bundled data and on synthetic demos of growing size.

    .venv/bin/python bench/server.py [--sizes 10000 1000000 10000000] [--runs 5]

Each dataset is measured in a process of its own (so that its peak RSS is the serving process's), with a store of its
own in a temporary folder, seeded first by another process. Demos are written once to var/bench/demo-<rows>/ and
reused. Every timing is a median of `--runs` runs. Queries run with every cache emptied first, the answers kept on
disk included (what a new filter costs). Page runs are AppTest runs of the real app: cold (caches emptied), warm (the
same view again), and for France cold (a view no one asked for yet) and cached (France again: what any later reader of
that view waits for).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

PAGES = ["app_pages/overview.py", "app_pages/sectors.py", "app_pages/international.py", "app_pages/programmes.py",
         "app_pages/sources.py"]  # fmt: skip
FILTER_CHANGE = {"country": "FRA"}  # what "a filter change" is here: the view of one country


def _queries(store, catalog):
    """The questions the pages ask, each with the filters a reader starts with and after choosing a country."""
    from components.storyboard import HEADLINE_KPIS
    from dashboard import queries
    from dashboard.filters import Filters

    france = Filters(countries=("FRA",))
    return {
        "kpis (six cards)": lambda: queries.kpis(store, HEADLINE_KPIS),
        "kpis (six cards) · France": lambda: queries.kpis(store, HEADLINE_KPIS, france),
        "count figures · France": lambda: queries.count_figures(store, france),
        "first rows of a table · France": lambda: queries.figures(store, france, limit=queries.MOST_ROWS),
        "series per sector · France": lambda: queries.repeated_series_in(store, france, per="sector_id", most=4),
        "by_sector · France": lambda: queries.by_sector(store, france),
        "by_country": lambda: queries.by_country(store),
        "locations · France": lambda: queries.locations(store, france),
        "sources_for · France": lambda: queries.sources_for(store, france),
        "entities_in · France": lambda: queries.entities_in(store, ("FRA",)),
    }


def _forget_cached_results() -> None:
    """Empty every cache of the data layer and of the pages, as a new filter or a new version finds them."""
    import functools

    import streamlit as st

    from components import storyboard
    from dashboard import queries
    from dashboard.store import current_store

    for module in (queries, storyboard):
        for value in vars(module).values():
            if isinstance(value, functools._lru_cache_wrapper):
                value.cache_clear()
    st.cache_data.clear()
    if shelf := current_store().shelf:  # the answers a restarted server would read (dashboard/kept.py)
        shelf.forget()


def _median(run, runs: int, before=None) -> float:
    times = []
    for _ in range(runs):
        if before:
            before()
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


TIMED_OUT = float("inf")  # a page run that did not finish within --page-timeout


def measure_one(runs: int, page_timeout: float) -> dict:
    """In this process, against the store the environment names: open it, ask each question, run each page."""
    from streamlit.testing.v1 import AppTest

    from dashboard.metadata import load_catalog
    from dashboard.store import current_store

    started = time.perf_counter()
    store = current_store()
    catalog = load_catalog(store)
    opened = time.perf_counter() - started
    results = {"open store (snapshot written if new)": opened}
    for name, question in _queries(store, catalog).items():
        results[f"query {name}"] = _median(question, runs, before=_forget_cached_results)

    def page_run(page: str, **query: str):
        app = AppTest.from_file(str(ROOT / "dashboard" / "app.py"), default_timeout=page_timeout)
        for key, value in query.items():
            app.query_params[key] = value
        app.run()
        if page != PAGES[0]:
            app.switch_page(page).run()
        if app.exception:
            raise RuntimeError(f"{page}: {app.exception[0].value}")

    def timed(run, before=None) -> float:
        try:
            return _median(run, runs, before)
        except RuntimeError as error:  # AppTest's timeout
            if "timed out" not in str(error).lower():
                raise
            return TIMED_OUT

    for page in PAGES:
        label = page.removeprefix("app_pages/").removesuffix(".py")
        results[f"page {label} · cold"] = timed(lambda p=page: page_run(p), _forget_cached_results)
        results[f"page {label} · warm"] = timed(lambda p=page: page_run(p))
        results[f"page {label} · France, cold"] = timed(lambda p=page: page_run(p, **FILTER_CHANGE),
                                                        _forget_cached_results)  # fmt: skip
        results[f"page {label} · France, cached"] = timed(lambda p=page: page_run(p, **FILTER_CHANGE))
    results["peak RSS (MiB)"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return results


def _dataset(rows: int | None) -> Path:
    if rows is None:
        return ROOT / "data"
    folder = ROOT / "var" / "bench" / f"demo-{rows}"
    if not (folder / "observations.parquet").exists():
        from dashboard.demo import write_demo

        print(write_demo(folder, rows), file=sys.stderr)
    return folder


def _measure_in_a_process(rows: int | None, runs: int, page_timeout: float) -> dict:
    folder = _dataset(rows)
    with tempfile.TemporaryDirectory() as scratch:
        env = {**os.environ, "DASHBOARD_DATA_DIR": str(folder),
               "DASHBOARD_DATABASE_URL": f"duckdb:///{Path(scratch) / 'bench.duckdb'}"}  # fmt: skip
        # The store is seeded by a process of its own (as the first `make run` or a command would), so that the
        # peak RSS measured below is the serving process's.
        started = time.perf_counter()
        seeded = subprocess.run([sys.executable, "-m", "dashboard", "versions"], env=env, cwd=ROOT,
                                capture_output=True, text=True)  # fmt: skip
        seeding = time.perf_counter() - started
        if seeded.returncode:
            raise SystemExit(f"seeding a store from {folder} failed:\n{seeded.stderr[-3000:]}")
        command = [sys.executable, __file__, "--one", "--runs", str(runs), "--page-timeout", str(page_timeout)]
        done = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"measuring {folder} failed:\n{done.stderr[-3000:]}")
    return {"seed the store (own process)": seeding, **json.loads(done.stdout.strip().splitlines()[-1])}


def _table(columns: dict[str, dict]) -> str:
    names = list(next(iter(columns.values())))
    width = max(len(n) for n in names)
    lines = [f"{'':{width}}  " + "  ".join(f"{c:>12}" for c in columns)]
    for name in names:
        cells = []
        for results in columns.values():
            value = results.get(name)
            unit = "" if "MiB" in name else " s"
            if value is None:
                cells.append(f"{'–':>12}")
            elif value == TIMED_OUT:
                cells.append(f"{'timed out':>12}")
            else:
                cells.append(f"{value:>10.3f}{unit}")
        lines.append(f"{name:{width}}  " + "  ".join(cells))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[10_000, 1_000_000, 10_000_000])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--page-timeout", type=float, default=120, help="seconds a page run may take (default 120)")
    parser.add_argument("--one", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.one:
        print(json.dumps(measure_one(args.runs, args.page_timeout)))
        return 0
    columns = {}
    for rows in [None, *args.sizes]:
        label = "bundled" if rows is None else f"{rows:,} rows"
        started = time.perf_counter()
        columns[label] = _measure_in_a_process(rows, args.runs, args.page_timeout)
        print(f"measured {label} in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    print(_table(columns))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
