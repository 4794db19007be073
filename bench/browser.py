"""Browser side of the benchmark: how long each page of the dashboard takes to be fully drawn in Chromium, and to redraw
after a filter change, next to a bare Streamlit app of the same shape (bench/bare_app.py).

    .venv/bin/python bench/browser.py [--runs 5] [--data-dir DIR] [--timeout 300]

Both apps are served on free ports and driven by one Chromium (Debian's, every non-local request blocked), page by page,
alternating dashboard and bare runs, after one warm-up run of each ("first": the server's caches were cold then; it
also records how many elements each app draws, so that a later run cannot pass half built). Every run opens a fresh
browser context: nothing is cached between runs but what the servers cache (st.cache_data, the store). Times are taken
in the page with performance.now(): "load" from navigation start until every chart is drawn; "filter" from the click
that chooses France in the Country multiselect until the rerun it started has finished and every chart is drawn again.
Drawn means every element showing its content and then the page's main thread free of long tasks (SETTLED): a map
keeps drawing after its canvas appears.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync"]  # fmt: skip
LOCAL = ("http://127.0.0.1", "http://localhost", "ws://127.0.0.1", "data:", "blob:")
PAGES = ["/", "/sectors", "/international", "/programmes", "/sources"]
COUNTRY = "France"  # the filter change, in both apps' Country multiselect
KINDS = ("metrics", "charts", "maps", "tables")

# Notes when the server says a script run has started and when one has finished, in every page of a context
# (add_init_script): each message the app's websocket receives is a ForwardMsg, and its top-level field number says
# which kind (4: new_session, sent as a run starts; 6: script_finished). The script state attribute alone cannot say
# that a rerun has run: a rerun quick enough is handled by the frontend without the attribute ever showing "running",
# and a condition waiting for it waited forever (session 7). A finished run alone cannot say it either: the warm-up's
# first load can send a last script_finished after the click, and the bench then took the page before the rerun for
# the page after it, waited in every later run for as many charts as that page had, and hung (sessions 9 and 10).
COUNT_SCRIPT_RUNS = """(() => {
  const started = (window.benchStartedRuns = []), finished = (window.benchFinishedRuns = []);
  const NEW_SESSION = 4, SCRIPT_FINISHED = 6;
  const kindOf = (bytes) => {
    let at = 0;
    const varint = () => {
      let value = 0, shift = 0, byte;
      do { byte = bytes[at++]; value += (byte & 0x7f) * 2 ** shift; shift += 7; } while (byte & 0x80);
      return value;
    };
    while (at < bytes.length) {
      const key = varint(), field = Math.floor(key / 8), wire = key % 8;
      if (field === NEW_SESSION || field === SCRIPT_FINISHED) return field;
      if (wire === 0) varint();
      else if (wire === 2) { const length = varint(); at += length; }  // not `at += varint()`: that adds to the old `at`
      else if (wire === 1) at += 8;
      else if (wire === 5) at += 4;
      else return null;
    }
    return null;
  };
  // Every long task (50 ms or more of the page's main thread), as [start, end]: see SETTLED.
  const busy = (window.benchLongTasks = []);
  new PerformanceObserver((list) => {
    for (const task of list.getEntries()) busy.push([task.startTime, task.startTime + task.duration]);
  }).observe({type: "longtask"});
  const Native = window.WebSocket;
  window.WebSocket = class extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener("message", (event) => {
        const kind = event.data instanceof ArrayBuffer ? kindOf(new Uint8Array(event.data)) : null;
        if (kind === NEW_SESSION) started.push(performance.now());
        else if (kind === SCRIPT_FINISHED) finished.push(performance.now());
      });
    }
  };
})();"""

# Every element of the page drawn, once the script has run (after a filter change: once the rerun it started has
# finished, by the server's word): no skeleton left (Streamlit shows one while an element's code, Plotly's for
# instance, is still loading and after the script has finished), a value and any sparkline in every metric, Plotly's
# .main-svg in every Plotly chart, deck.gl's canvas grown past the browser's default 300x150 in every map, a canvas in
# every visible table (those in closed expanders are not drawn), and at least as many of each as `want`. UNMET says
# which of these conditions do not hold yet (a step that times out prints them), and the counts; DRAWN the time and
# the counts once none is left.
UNMET = """want => {
  const unmet = [], counts = {};
  const app = document.querySelector("[data-testid='stApp']");
  const state = app?.getAttribute("data-test-script-state");
  if (state !== "notRunning") unmet.push(`script state ${state}`);
  const since = window.benchFilter?.changedAt ?? 0;
  const started = window.benchStartedRuns.find((at) => at >= since);
  if (started === undefined) unmet.push("no script run started since the click");
  else if (!window.benchFinishedRuns.some((at) => at >= started)) unmet.push("the run started has not finished");
  if (document.querySelector("[data-testid='stSkeleton']")) unmet.push("a skeleton");
  // An element of the run before, not yet replaced or removed: between the last message and the frontend's
  // handling of it, the page before the filter could pass for the page after it (session 12).
  if (document.querySelector("[data-stale='true']")) unmet.push("a stale element");
  const all = (testid) => [...document.querySelectorAll(`[data-testid='${testid}']`)];
  const kinds = {
    metrics: [all("stMetric"), (m) => m.querySelector("[data-testid='stMetricValue']")?.textContent.trim()
      && [...m.querySelectorAll("[data-testid='stMetricChart']")].every((c) => c.querySelector("svg, canvas"))],
    charts: [all("stPlotlyChart"), (c) => c.querySelector(".main-svg")],
    maps: [all("stDeckGlJsonChart"), (d) => (d.querySelector("canvas")?.clientHeight ?? 0) > 150],
    tables: [all("stDataFrame").filter((t) => t.checkVisibility()), (t) => t.querySelector("canvas")],
  };
  for (const [kind, [elements, drawn]] of Object.entries(kinds)) {
    const shown = elements.filter(drawn).length;
    if (elements.length < (want[kind] ?? 0)) unmet.push(`${kind}: ${elements.length} of ${want[kind]}`);
    if (shown < elements.length) unmet.push(`${kind}: ${elements.length - shown} not drawn`);
    counts[kind] = elements.length;
  }
  // Not a condition: how many elements the page shows (each one drawn again at every rerun, docs/performance.md).
  counts.elements = all("stElementContainer").filter((e) => e.checkVisibility()).length;
  return {unmet, counts};
}"""
DRAWN = f"""want => {{
  const {{unmet, counts}} = ({UNMET})(want);
  return unmet.length === 0 && {{at: performance.now(), counts}};
}}"""

# Every element present and showing its content is not yet every chart drawn: a map's deck.gl draws after its canvas
# appears, and a new deck (its shaders compiled by software WebGL here) held the main thread 2.0-2.5 s after the
# International page looked drawn (session 12). A step ends when its page is drawn (DRAWN) and the main thread then
# stays free of long tasks for QUIET_MS: at the end of the last long task (or when drawn, if none came after it).
# The same for both apps; the wait adds QUIET_MS to each run, not to its time.
QUIET_MS = 500
SETTLED = """({drawnAt, since, quiet}) => {
  const ends = window.benchLongTasks.map(([, end]) => end).filter((end) => end >= since);
  const settledAt = Math.max(drawnAt, ...ends);
  return performance.now() - settledAt >= quiet ? settledAt : false;
}"""

# Armed just before the click on the option: when the pointer went down.
WATCH_FILTER = """() => {
  const watch = (window.benchFilter = {changedAt: null});
  document.addEventListener("pointerdown", () => { watch.changedAt ??= performance.now(); }, {capture: true});
}"""


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


DASHBOARD = [sys.executable, "-m", "streamlit", "run", str(ROOT / "dashboard" / "app.py")]  # as `make run` does
BARE = [sys.executable, "-m", "streamlit", "run", str(ROOT / "bench" / "bare_app.py")]


def server_command(start: list[str], port: int) -> list[str]:
    """The command that starts an app (DASHBOARD or BARE) on this port, with the flags the browser tests use."""
    return [*start, "--server.port", str(port), "--server.address", "127.0.0.1", "--server.headless", "true"]


@contextmanager
def serve(start: list[str], env: dict[str, str], log: Path) -> Iterator[str]:
    """An app (DASHBOARD or BARE) on a free port with this environment (its output in `log`); its URL once healthy."""
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    with log.open("w") as output:
        process = subprocess.Popen(
            server_command(start, port), cwd=ROOT, env={**env, "PYTHONUNBUFFERED": "1"}, stdout=output,
            stderr=subprocess.STDOUT,
        )  # fmt: skip
        try:
            deadline = time.monotonic() + 60
            while not _healthy(url):
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"{log.stem} app did not start: {log.read_text()[-2000:]}")
                time.sleep(0.2)  # polling interval while the server boots; the condition is the health answer
            yield url
        finally:
            process.terminate()
            process.wait(timeout=20)


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
            return response.read() == b"ok"
    except OSError:
        return False


def new_context(browser):
    """A fresh browser context of the bench's size, whose pages note when script runs start and finish."""
    context = browser.new_context(viewport={"width": 1440, "height": 900}, device_scale_factor=1)
    context.add_init_script(COUNT_SCRIPT_RUNS)
    return context


def one_run(browser, url: str, want: dict, timeout_ms: float, blocked: set[str]) -> dict:
    """Open `url` in a fresh context, wait until drawn, choose the country, wait until redrawn: times (None for a step
    that did not finish within the timeout) and counts."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    context = new_context(browser)

    def local_only(route):
        if route.request.url.startswith(LOCAL):
            route.continue_()
        else:
            blocked.add(route.request.url)
            route.abort()

    context.route("**/*", local_only)
    result, step = {"load": None, "filter": None, "counts": {}}, "load"
    page = context.new_page()
    try:
        page.goto(url, wait_until="commit", timeout=timeout_ms)
        loaded = page.wait_for_function(DRAWN, arg=want.get("load", {}), polling="raf", timeout=timeout_ms)
        loaded = loaded.json_value()
        result["load"], result["counts"]["load"] = settled(page, loaded["at"], 0, timeout_ms), loaded["counts"]
        step = "filter"
        country = page.get_by_test_id("stSidebar").get_by_test_id("stMultiSelect").filter(has_text="Country")
        country.locator("input").click(timeout=timeout_ms)
        country.locator("input").press_sequentially(COUNTRY)
        option = page.get_by_role("option", name=COUNTRY, exact=True)
        option.wait_for(timeout=timeout_ms)
        page.evaluate(WATCH_FILTER)
        option.click(timeout=timeout_ms)
        redrawn = page.wait_for_function(DRAWN, arg=want.get("filter", {}), polling="raf", timeout=timeout_ms)
        redrawn = redrawn.json_value()
        clicked = page.evaluate("window.benchFilter.changedAt")
        result["filter"] = settled(page, redrawn["at"], clicked, timeout_ms) - clicked
        result["counts"]["filter"] = redrawn["counts"]
    except PlaywrightTimeout:
        print(f"{url}: {step} not drawn within {timeout_ms / 1000:.0f} s; {waiting_for(page, want.get(step, {}))}",
              file=sys.stderr)  # fmt: skip
    finally:
        context.close()
    return result


def waiting_for(page, want: dict) -> str:
    """What a page that did not get drawn in time was still waiting for (UNMET), for a timeout's message."""
    from playwright.sync_api import Error as PlaywrightError

    try:
        unmet = page.evaluate(UNMET, want)["unmet"] or ["drawn, but the main thread not free"]
    except PlaywrightError as error:  # the page itself gone: say so rather than lose the timeout's report
        unmet = [f"the page could not be read: {error}"]
    return f"waiting for: {'; '.join(unmet)}"


def settled(page, drawn_at: float, since: float, timeout_ms: float) -> float:
    """When the page, drawn at `drawn_at`, finished its last long task that ended after `since` (see SETTLED)."""
    arg = {"drawnAt": drawn_at, "since": since, "quiet": QUIET_MS}
    return page.wait_for_function(SETTLED, arg=arg, polling=100, timeout=timeout_ms).json_value()


def measure(real_url: str, bare_url: str, *, runs: int = 5, timeout: float = 300, pages=PAGES) -> dict:
    """Times in ms of every page of both apps (already served at these URLs): one row per page and step."""
    from playwright.sync_api import sync_playwright

    apps = {"real": real_url, "bare": bare_url}
    blocked: set[str] = set()
    rows = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS, headless=True)
        for path in pages:
            first = {name: one_run(browser, url + path, {}, timeout * 1000, blocked) for name, url in apps.items()}
            times = {name: [] for name in apps}
            for run in range(runs):
                order = list(apps) if run % 2 == 0 else list(reversed(apps))  # neither app always goes first
                for name in order:
                    want = first[name]["counts"]
                    times[name].append(one_run(browser, apps[name] + path, want, timeout * 1000, blocked))
            for step in ("load", "filter"):
                rows.append({
                    "page": path,
                    "step": step,
                    **{name: [run[step] for run in times[name]] for name in apps},
                    "first": {name: first[name][step] for name in apps},
                    "drawn": {name: first[name]["counts"].get(step) for name in apps},
                })  # fmt: skip
        version = browser.version
        browser.close()
    return {"chromium": version, "rows": rows, "blocked": sorted(blocked)}


def machine(chromium: str) -> str:
    cpuinfo = Path("/proc/cpuinfo").read_text()
    model = next((line.split(":", 1)[1].strip() for line in cpuinfo.splitlines() if line.startswith("model name")), "?")
    memory_kb = next(
        int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines() if "MemTotal" in line
    )
    return f"machine: {os.cpu_count()} CPUs ({model}), {memory_kb / 2**20:.1f} GiB RAM, Chromium {chromium}"


def _median(times: list) -> float | None:
    finished = [t for t in times if t is not None]
    return statistics.median(finished) if finished else None


def _ms(value: float | None, width: int) -> str:
    return f"{value:>{width}.0f}" if value is not None else f"{'timeout':>{width}}"


def _drawn(counts: dict | None) -> str:
    return "/".join(str(counts[kind]) for kind in (*KINDS, "elements")) if counts else "?"


def table(result: dict) -> str:
    """The measurements as plain text: one line per page and step, medians, minimums, the ratio of the medians and
    their difference in ms (a ratio of two quick steps moves with the noise of either: the difference says what the
    dashboard adds)."""
    header = (f"{'page':<15}{'step':<8}{'real median':>12}{'min':>8}{'bare median':>13}{'min':>8}{'real/bare':>11}"
              f"{'+ms':>7}{'first real':>12}{'bare':>8}   drawn real | bare (metrics/charts/maps/tables/elements)")  # fmt: skip
    lines = [header]
    for row in result["rows"]:
        real, bare = _median(row["real"]), _median(row["bare"])
        both = real is not None and bare is not None
        ratio = f"{real / bare:>11.2f}" if both else f"{'-':>11}"
        added = f"{real - bare:>+7.0f}" if both else f"{'-':>7}"
        real_min, bare_min = (min((t for t in row[app] if t is not None), default=None) for app in ("real", "bare"))
        lines.append(
            f"{row['page']:<15}{row['step']:<8}{_ms(real, 12)}{_ms(real_min, 8)}{_ms(bare, 13)}{_ms(bare_min, 8)}"
            f"{ratio}{added}{_ms(row['first']['real'], 12)}{_ms(row['first']['bare'], 8)}"
            f"   {_drawn(row['drawn']['real'])} | {_drawn(row['drawn']['bare'])}"
        )
    if result["blocked"]:
        lines.append(f"requests blocked (they tried to leave this machine): {', '.join(result['blocked'])}")
    return "\n".join(lines)


def clean_environment() -> dict[str, str]:
    """This process's environment without a store of its own: what a bench server starts from."""
    return {k: v for k, v in os.environ.items() if k not in ("DASHBOARD_DATA_DIR", "DASHBOARD_DATABASE_URL")}


def store_environment(data_dir: Path | None, scratch: str) -> tuple[dict[str, str], str]:
    """The dashboard's environment and what it serves: the demo folder's own store (dashboard.duckdb inside it,
    reused from run to run), or a store of its own in `scratch` seeded from data/ (the developer's var/ is left
    alone)."""
    if data_dir:
        return {**clean_environment(), "DASHBOARD_DATA_DIR": str(data_dir.resolve())}, str(data_dir)
    store = f"duckdb:///{scratch}/dashboard.duckdb"
    return {
        **clean_environment(),
        "DASHBOARD_DATABASE_URL": store,
    }, "bundled data/ (a DuckDB store in a temporary folder)"


def chromium_installed() -> bool:
    """Whether Debian's Chromium is there; if not, say how to get it."""
    if Path(CHROMIUM).exists():
        return True
    print(f"Chromium is not installed at {CHROMIUM}: run `make test`, which installs Debian's chromium")
    return False


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="timed runs of each app per page (default 5)")
    parser.add_argument("--data-dir", type=Path, help="serve the dashboard on this dataset (python -m dashboard demo)")
    parser.add_argument("--timeout", type=float, default=300, help="seconds to wait for any page to be drawn")
    parser.add_argument("--pages", nargs="*", choices=PAGES, default=PAGES, help="measure only these pages")
    args = parser.parse_args(argv)
    if not chromium_installed():
        return 1
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="bench-browser-") as scratch:
        real_env, data = store_environment(args.data_dir, scratch)
        with (
            serve(DASHBOARD, real_env, Path(scratch) / "real.log") as real_url,
            serve(BARE, clean_environment(), Path(scratch) / "bare.log") as bare_url,
        ):
            result = measure(real_url, bare_url, runs=args.runs, timeout=args.timeout, pages=args.pages)
    print(machine(result["chromium"]))
    print(
        f"data: {data}; {args.runs} timed runs per app and page, alternating, after a warm-up run of each; times in ms"
    )
    print(table(result))
    print(f"took {time.monotonic() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
