"""Cold start: from `streamlit run` to the overview fully drawn in Chromium, for a restart, a first start and a bare page.

    .venv/bin/python bench/coldstart.py [--runs 5] [--timeout 120]

Each run starts a new server process on a free port (headless, the flags the browser tests use), polls its health
check, navigates to `/` as soon as it answers, and waits until the page is drawn: the script has finished, no skeleton
is left, six metrics show their values and every Plotly chart (the growth chart) is drawn, and the page's main thread
is then free of long tasks, the time taken at the end of the last one (bench/browser.py's DRAWN and SETTLED, since
session 13; before, the time was taken when drawn). Three variants, alternating from run to run:

- "restart": the dashboard on a store seeded once beforehand (a normal restart: the store, its snapshot and the
  answers kept beside it, dashboard/kept.py, are there from the untimed run);
- "first start": the dashboard on a new, empty store each run, seeded from data/ by the app (a fresh checkout);
- "bare": bench/bare_app.py, a bare Streamlit page of the overview's shape (the framework's floor).

The server process is cold every run; Chromium is not: one browser process is started once and kept, and each run gets
a new context (no HTTP cache, no storage), opened with its blank page before the server starts, so that only the
navigation counts. One untimed run of each variant comes first: it seeds the "restart" store and brings the Python
files into the OS's file cache (what a machine that ran the app once has). Times are wall-clock seconds taken in this
process: process start → health check answered → page drawn; and the CPU time the server process had used by then,
steadier than wall-clock time on a shared machine. The project's bytecode is compiled first, as `make run` does: with
PYTHONDONTWRITEBYTECODE set (the development machine), a server would otherwise compile the project's modules at every
start.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from browser import (
    BARE,
    CHROMIUM,
    CHROMIUM_FLAGS,
    DASHBOARD,
    DRAWN,
    LOCAL,
    _free_port,
    _healthy,
    chromium_installed,
    clean_environment,
    machine,
    new_context,
    server_command,
    settled,
    waiting_for,
)

ROOT = Path(__file__).resolve().parents[1]
DRAWN_OVERVIEW = {"metrics": 6, "charts": 1}  # the six KPI cards and the growth chart, in both apps
HEALTH_POLL = 0.02  # seconds between health checks: the condition is the answer, the interval only its resolution


@dataclass(frozen=True)
class Variant:
    name: str
    start: list[str]  # browser.DASHBOARD or browser.BARE
    fresh_store: bool = False  # a new empty store each run (seeded by the app) instead of the one seeded beforehand
    bare: bool = False


VARIANTS = [
    Variant("restart", DASHBOARD),
    Variant("first start", DASHBOARD, fresh_store=True),
    Variant("bare", BARE, bare=True),
]


def cold_start(browser, variant: Variant, env: dict[str, str], log: Path, timeout: float) -> dict:
    """One run: a new server process, then the overview in a new context. Seconds from process start."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    # The context and its blank page are ready before the server starts: opening them is the browser's cost, not the
    # server's, and the browser is warm by design here.
    context = new_context(browser)
    context.route("**/*", _local_only)
    page = context.new_page()
    with log.open("w") as output:
        started = time.monotonic()
        process = subprocess.Popen(
            server_command(variant.start, port), cwd=ROOT, env={**env, "PYTHONUNBUFFERED": "1"}, stdout=output,
            stderr=subprocess.STDOUT,
        )  # fmt: skip
        try:
            while not _healthy(url):
                if process.poll() is not None or time.monotonic() - started > timeout:
                    raise RuntimeError(f"{variant.name} did not start: {log.read_text()[-2000:]}")
                time.sleep(HEALTH_POLL)
            healthy = time.monotonic() - started
            try:
                page.goto(url, wait_until="commit", timeout=timeout * 1000)
                loaded = page.wait_for_function(DRAWN, arg=DRAWN_OVERVIEW, polling="raf", timeout=timeout * 1000)
                drawn_at, seen = loaded.json_value()["at"], time.monotonic() - started
                # The page's clock says how much later than drawn its main thread came free (SETTLED).
                drawn = seen + (settled(page, drawn_at, 0, timeout * 1000) - drawn_at) / 1000
            except PlaywrightTimeout:
                print(f"{variant.name}: overview not drawn within {timeout:.0f} s; {waiting_for(page, DRAWN_OVERVIEW)}",
                      file=sys.stderr)  # fmt: skip
                drawn = None
            return {"health": healthy, "drawn": drawn, "cpu": _cpu_seconds(process.pid)}
        finally:
            context.close()
            process.terminate()
            process.wait(timeout=20)


def _cpu_seconds(pid: int) -> float | None:
    """CPU time the process has used so far (user and system): steadier than wall-clock time on a shared machine."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime and stime, in clock ticks


def _local_only(route) -> None:
    """Every request that would leave this machine is refused (as in bench/browser.py and the browser tests)."""
    if route.request.url.startswith(LOCAL):
        route.continue_()
    else:
        route.abort()


def environment(variant: Variant, scratch: Path, run: str) -> dict[str, str]:
    """The server's environment: the caller's, with the store chosen for the variant (none for the bare page)."""
    clean = clean_environment()
    if variant.bare:
        return clean
    folder = scratch / (f"fresh-{run}" if variant.fresh_store else "restart")
    folder.mkdir(exist_ok=True)
    return {**clean, "DASHBOARD_DATABASE_URL": f"duckdb:///{folder}/dashboard.duckdb"}


def measure(runs: int, timeout: float, scratch: Path, variants: list[Variant] = VARIANTS) -> dict:
    """Seconds of every run of every variant, alternating; after one untimed run of each."""
    from playwright.sync_api import sync_playwright

    times: dict[str, list[dict]] = {variant.name: [] for variant in variants}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS, headless=True)
        for variant in variants:  # untimed: seeds the restart store, warms the file cache and the browser
            log = scratch / "warm-up.log"
            cold_start(browser, variant, environment(variant, scratch, "warm-up"), log, timeout)
        for run in range(runs):
            order = variants[run % len(variants) :] + variants[: run % len(variants)]  # none always goes first
            for variant in order:
                log = scratch / f"{variant.name.replace(' ', '-')}-{run}.log"
                env = environment(variant, scratch, str(run))
                times[variant.name].append(cold_start(browser, variant, env, log, timeout))
        version = browser.version
        browser.close()
    return {"chromium": version, "times": times}


def _stats(values: list[float | None]) -> tuple[str, str]:
    finished = [value for value in values if value is not None]
    if not finished:
        return "timeout", "timeout"
    return f"{statistics.median(finished):.2f}", f"{min(finished):.2f}"


def table(times: dict[str, list[dict]]) -> str:
    """Seconds: median and minimum of process start → drawn, the split at the health check, and the server's CPU."""
    columns = [("start→drawn", "drawn"), ("start→health", "health"), ("health→drawn", "after"), ("server CPU", "cpu")]
    lines = [f"{'variant':<13}" + "".join(f"{title:>14}{'min':>7}" for title, _ in columns) + "   runs (start→drawn)"]
    for name, runs in times.items():
        values = {
            "drawn": [run["drawn"] for run in runs],
            "health": [run["health"] for run in runs],
            "after": [run["drawn"] - run["health"] if run["drawn"] is not None else None for run in runs],
            "cpu": [run["cpu"] for run in runs],
        }
        cells = "".join(f"{_stats(values[key])[0]:>14}{_stats(values[key])[1]:>7}" for _, key in columns)
        every = " ".join(f"{value:.2f}" if value is not None else "timeout" for value in values["drawn"])
        lines.append(f"{name:<13}{cells}   {every}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="timed runs of each variant (default 5)")
    parser.add_argument("--timeout", type=float, default=120, help="seconds to wait for a server or the page")
    args = parser.parse_args(argv)
    if not chromium_installed():
        return 1
    started = time.monotonic()
    subprocess.run([sys.executable, "-m", "compileall", "-q", "dashboard", "components"], cwd=ROOT, check=True)
    with tempfile.TemporaryDirectory(prefix="bench-coldstart-") as scratch:
        result = measure(args.runs, args.timeout, Path(scratch))
    print(machine(result["chromium"]))
    print(
        f"cold start of the overview, bundled data/; {args.runs} runs per variant, alternating, after an untimed run of "
        "each; a new server process every run, one Chromium kept warm (a new context every run); seconds"
    )
    print("the project's bytecode compiled beforehand, as `make run` does")
    print(table(result["times"]))
    print(f"took {time.monotonic() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
