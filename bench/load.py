"""Load: many sessions at once against the real app, through Streamlit's own websocket protocol, for a while; every
page run's time, every error, and the server's memory.

    .venv/bin/python bench/load.py [--sessions 20] [--seconds 120] [--think 0] [--data-dir DIR] [--commit HEAD]
    .venv/bin/python bench/load.py --self-check

The app is served as `make run` serves it (bench/browser.py's serve(): `streamlit run dashboard/app.py`, headless, on
a free port), with a DuckDB store of its own in a temporary folder seeded from data/, or the store of --data-dir.
Each session is a browser tab as the server sees it: a websocket to /_stcore/stream offering the `streamlit`
subprotocol, BackMsg rerun_script requests (the query string, a page name or a page script hash, widget states, the
context a browser sends, the hashes of the messages it has cached) and ForwardMsg replies (messages the tab has
cached come back as references to their hash, as Streamlit's frontend expects). A tab makes one visit: it opens a
link (a page and its query string, from LINKS in turn), goes to every other page through the navigation (by page
hash, the query string dropped, as a click in the top bar does), changes the Country filter (that multiselect's
widget state, as choosing an option does), and closes; the next visit opens a new tab. By default there is no think
time: a tab asks for its next page as soon as the last one has finished, far harsher than as many people reading
(--think gives each page a reader's pause, 0.5 to 1.5 times that many seconds). --commit serves a copy of a commit
(git archive) instead of the working tree, whose edits under way would otherwise reach the server mid-load.

A run is timed from the request sent to the script_finished that ends it (after any rerun the script asks for). It
fails on: an exception element in a delta (a traceback, or the short box that replaces it), an st.error box,
page_not_found, a page other than the one asked for, a compile error, a reference to a message the tab does not
have, no script_finished within --run-timeout, the connection closing, or a filter change that the address written
back by the app does not show. The server's RSS (VmRSS) and CPU time are
read from /proc every second.

Prints the machine, the runs and the errors (each one listed), p50/p95/max run time per page, per step and overall,
per 30 s window, the RSS at the start, after 30 s, at the end and at its peak, and whether memory was stable (grew
less than 10 % over the last minute). Exits 1 when a run failed. --self-check serves bench/failing_app.py and the app,
sends requests that must fail (and some that must not), and exits 1 unless the driver counted exactly those.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import io
import os
import random
import re
import resource
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import streamlit
from browser import DASHBOARD, machine, serve, store_environment
from coldstart import _cpu_seconds
from streamlit.proto.Alert_pb2 import Alert
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidHandshake

ROOT = Path(__file__).resolve().parents[1]
FAILING = [sys.executable, "-m", "streamlit", "run", str(ROOT / "bench" / "failing_app.py")]
PAGES = ["/", "/sectors", "/international", "/programmes", "/sources"]
# The links visits open, in turn: every page first, with and without filters, in both languages.
LINKS = ["/", "/sectors?sector=health", "/international?country=FRA", "/programmes?lang=fr",
         "/sources?country=SEN&lang=fr", "/?country=FRA&sector=health&lang=fr", "/sectors?years=2015&years=2024",
         "/international", "/programmes?sector=international", "/sources"]  # fmt: skip
COUNTRY = "France"  # the filter change: this option of the Country multiselect (its label in both languages)
# What a browser in Paris tells the server about itself (st.context); the URL is added per request.
TIMEZONE, TIMEZONE_OFFSET, LOCALE = "Europe/Paris", -60, "fr-FR"
# Streamlit's frontend forgets a cached message once its script has finished this many runs without it
# (global.maxCachedMessageAge).
CACHED_MESSAGE_AGE = 2
SAMPLE_EVERY = 1.0  # seconds between readings of the server's memory and CPU
STABLE_GROWTH = 0.10  # memory is stable when the last minute grew less than this
WINDOW = 30  # seconds per line of the timeline
RUN_TIMEOUT = 60.0  # seconds a page run may take before it counts as failed
SLOW_TIMEOUT = 3.0  # the self-check's timeout for failing_app's slow run: shorter than its SLOW_SECONDS
MISSING_PAGE_HASH = "0" * 32  # a page script hash no app has


@dataclass
class Run:
    """One page run as a tab saw it."""

    page: str  # the path asked for
    step: str  # open (a link), navigate (the top bar), filter (the Country multiselect)
    at: float  # seconds since the load started, when asked
    seconds: float | None = None  # request sent -> script_finished; None when it did not finish
    errors: list[str] = field(default_factory=list)
    received: int = 0  # bytes of ForwardMsg
    messages: int = 0
    references: int = 0  # messages sent as a reference to one the tab has cached


@dataclass(frozen=True)
class Sample:
    at: float  # seconds since the load started
    rss_mib: float | None
    cpu_seconds: float | None


class Tab:
    """One browser tab as the server sees it: its websocket, the pages the app declared, the messages it cached, and
    what the app last wrote in its address bar."""

    def __init__(self, socket: ClientConnection, url: str):
        self.socket, self.url = socket, url
        self.pages: dict[str, str] = {}  # path ("/" for the default page) -> page script hash
        self.query = ""  # the query string the app last wrote
        self.page = ""  # the script hash of the page last run
        self.cache: dict[str, tuple[ForwardMsg, int]] = {}  # hash -> message, and the finished run it was last used in
        self.finished = 0  # runs finished, the clock of the cache
        self.country_widget: str | None = None  # the Country multiselect's widget id, once drawn
        self.run_id = ""  # the script run under way, from its new_session
        self.ran = ""  # the script hash of the page it runs, from its navigation message

    def request(self, path: str, *, query: str = "", page_hash: str = "", by_name: bool = False) -> BackMsg:
        """A rerun_script request as Streamlit's frontend builds it: by page name when a link is opened (the tab knows
        no page hash yet), by page hash otherwise."""
        message = BackMsg()
        state = message.rerun_script
        state.query_string = query
        state.page_script_hash = page_hash
        state.page_name = path.strip("/") if by_name else ""
        state.cached_message_hashes.extend(self.cache)
        context = state.context_info
        context.timezone, context.timezone_offset, context.locale = TIMEZONE, TIMEZONE_OFFSET, LOCALE
        context.url, context.color_scheme = self.url + path, "light"
        return message

    def open(self, link: str) -> BackMsg:
        path, _, query = link.partition("?")
        return self.request(path, query=query, by_name=True)

    def navigate(self, path: str) -> BackMsg:
        """A click in the top bar: the page's hash, and no query string (Streamlit drops it on a page change). A tab
        that was never told the pages (its first run failed before the navigation) asks by name, as a reader typing
        the address would."""
        if path not in self.pages:
            return self.request(path, by_name=True)
        return self.request(path, page_hash=self.pages[path])

    def choose_countries(self, path: str, names: list[str]) -> BackMsg:
        """A change of the Country multiselect: its new value, on the page and address the tab shows."""
        message = self.request(path, query=self.query, page_hash=self.page)
        if self.country_widget:
            widget = message.rerun_script.widget_states.widgets.add(id=self.country_widget)
            widget.string_array_value.SetInParent()  # an empty selection is a value too
            widget.string_array_value.data.extend(names)
        return message

    async def run(self, request: BackMsg, page: str, step: str, started: float, timeout: float) -> Run:
        """Send one request and read the replies until the run it started has finished, failed or timed out."""
        run = Run(page, step, time.monotonic() - started)
        if step == "filter" and not self.country_widget:
            run.errors.append("no Country multiselect was drawn")
        sent = time.monotonic()
        deadline = sent + timeout
        self.run_id, self.ran = "", ""
        self.query = request.rerun_script.query_string  # the address asked for, until the app writes another
        try:
            await self.socket.send(request.SerializeToString())
            while True:
                data = await asyncio.wait_for(self.socket.recv(decode=False), timeout=deadline - time.monotonic())
                run.received += len(data)
                run.messages += 1
                if self._receive(data, run):
                    break
            run.seconds = time.monotonic() - sent
            self._check_page(run)
        except TimeoutError:
            run.errors.append(f"no script_finished within {timeout:.0f} s")
        except ConnectionClosed as closed:
            run.errors.append(f"connection closed: {closed}")
        return run

    def _receive(self, data: bytes, run: Run) -> bool:
        """Read one ForwardMsg into the tab and the run; whether it ended the run."""
        message = self._resolve(ForwardMsg.FromString(data), run)
        kind = message.WhichOneof("type") if message else None
        if kind == "new_session":
            self.run_id = message.metadata.run.script_run_id
        elif kind == "navigation":
            self.pages = {("/" + page.url_pathname) if not page.is_default else "/": page.page_script_hash
                          for page in message.navigation.app_pages}  # fmt: skip
            self.ran = message.navigation.page_script_hash
        elif kind == "delta":
            self._check_element(message.delta, run)
        elif kind == "page_info_changed":
            self.query = message.page_info_changed.query_string
        elif kind == "page_not_found":
            run.errors.append(f"page_not_found: {message.page_not_found.page_name!r}")
        elif kind == "session_event" and message.session_event.HasField("script_compilation_exception"):
            run.errors.append(f"compile error: {message.session_event.script_compilation_exception.message[:200]}")
        elif kind == "script_finished":
            return self._finished(message, run)
        return False

    def _resolve(self, message: ForwardMsg, run: Run) -> ForwardMsg | None:
        """The message itself, or the cached one a reference points to; cacheable messages are kept, as the frontend
        keeps them, so that the next requests can say which ones the tab has."""
        if message.WhichOneof("type") == "ref_hash":
            run.references += 1
            cached = self.cache.get(message.ref_hash)
            if cached is None:
                run.errors.append("a reference to a message this tab does not have")
                return None
            message = cached[0]
        if message.metadata.cacheable and message.hash:
            self.cache[message.hash] = (message, self.finished)
        return message

    def _check_element(self, delta, run: Run) -> None:
        """An exception element or an error box is a failure; the Country multiselect is remembered."""
        if delta.WhichOneof("type") != "new_element":
            return
        element = delta.new_element
        kind = element.WhichOneof("type")
        if kind == "exception":
            shown = element.exception
            run.errors.append(f"exception element: {shown.type or '(type hidden)'}: {shown.message[:200]}")
        elif kind == "alert" and element.alert.format == Alert.ERROR:
            run.errors.append(f"st.error box: {element.alert.body[:200]}")
        elif kind == "multiselect" and COUNTRY in element.multiselect.options:
            self.country_widget = element.multiselect.id

    def _finished(self, message: ForwardMsg, run: Run) -> bool:
        """Whether this script_finished ends the run: not when the script stopped early for a rerun it asked for, nor
        when it belongs to another run."""
        if self.run_id and message.metadata.run.script_run_id not in ("", self.run_id):
            return False
        if message.script_finished == ForwardMsg.FINISHED_EARLY_FOR_RERUN:
            return False
        if message.script_finished == ForwardMsg.FINISHED_WITH_COMPILE_ERROR:
            run.errors.append("script_finished: FINISHED_WITH_COMPILE_ERROR")
        self.finished += 1
        self.cache = {h: (m, used) for h, (m, used) in self.cache.items() if self.finished - used <= CACHED_MESSAGE_AGE}
        return True

    def _check_page(self, run: Run) -> None:
        """The page run must be the page asked for (a hash the app does not know silently runs the default page)."""
        self.page = self.ran or self.page
        ran = next((path for path, page_hash in self.pages.items() if page_hash == self.ran), None)
        if self.ran and ran != run.page:
            run.errors.append(f"asked for {run.page}, the server ran {ran or self.ran}")


def _connect(url: str, timeout: float) -> connect:
    """A websocket as Streamlit's frontend opens it: the `streamlit` subprotocol first, then the place of the XSRF
    token (none is needed without a login cookie), the page's origin; no flow control (a browser reads everything),
    no proxy (loopback), no size limit (the server enforces its own)."""
    socket_url = "ws" + url.removeprefix("http") + "/_stcore/stream"
    return connect(socket_url, subprotocols=["streamlit", "PLACEHOLDER_AUTH_TOKEN"], origin=url, proxy=None,
                   max_size=None, max_queue=None, open_timeout=timeout)  # fmt: skip


@dataclass(frozen=True)
class Plan:
    """What every session of one load shares."""

    url: str
    sessions: int
    started: float  # time.monotonic() when the load started
    deadline: float  # no run is asked for after this
    timeout: float = RUN_TIMEOUT  # seconds a run may take
    think: float = 0  # seconds a reader looks at a page before the next click, on average


async def _read(plan: Plan, reader: random.Random) -> None:
    """A reader looking at the page before the next click (0.5 to 1.5 times plan.think): time that passes, not a
    wait for anything."""
    if plan.think:
        await asyncio.sleep(min(plan.think * reader.uniform(0.5, 1.5), max(0.0, plan.deadline - time.monotonic())))


async def visit(plan: Plan, link: str, reader: random.Random) -> list[Run]:
    """One tab: open the link, go to every other page through the navigation, change the Country filter, close. A run
    that did not finish ends the visit (the tab's state is unknown; a reader would reload)."""
    path, _, query = link.partition("?")
    runs: list[Run] = []
    async with _connect(plan.url, plan.timeout) as socket:
        tab = Tab(socket, plan.url)
        last = [page for page in PAGES if page != path][-1]
        steps = [("open", path, lambda: tab.open(link))]
        steps += [("navigate", page, lambda page=page: tab.navigate(page)) for page in PAGES if page != path]
        # Choose France, or clear the Country filter when the link had chosen countries.
        countries = [] if "country=" in query else [COUNTRY]
        steps.append(("filter", last, lambda: tab.choose_countries(last, countries)))
        for step, page, request in steps:
            if time.monotonic() >= plan.deadline:
                break
            run = await tab.run(request(), page, step, plan.started, plan.timeout)
            runs.append(run)
            if run.seconds is None:
                break
            if step == "filter" and ("country=" in tab.query) != bool(countries):
                run.errors.append(f"the Country filter change did not reach the address: ?{tab.query}")
            await _read(plan, reader)
    return runs


async def one_session(plan: Plan, number: int) -> tuple[list[Run], int]:
    """Visits, one after the other, until the time is up; session n opens LINKS[n], LINKS[n + sessions], ..."""
    runs: list[Run] = []
    visits = 0
    reader = random.Random(number)  # the same pauses from one load to the next
    while time.monotonic() < plan.deadline:
        link = LINKS[(number + visits * plan.sessions) % len(LINKS)]
        visits += 1
        try:
            runs += await visit(plan, link, reader)
        except (OSError, InvalidHandshake, TimeoutError) as error:  # the server refused or dropped the tab
            at = time.monotonic() - plan.started
            runs.append(Run(link.partition("?")[0], "open", at, errors=[f"connect: {error!r}"]))
            break  # a server that refuses connections would make this loop spin
    return runs, visits


def _server_pid(url: str) -> int:
    """The serving process: serve() starts it as a child of this process, with the URL's port on its command line."""
    port = str(urlsplit(url).port).encode()
    for process in Path("/proc").iterdir():
        if not process.name.isdigit():
            continue
        try:
            parent = int((process / "stat").read_text().rsplit(")", 1)[1].split()[1])
            arguments = (process / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if parent == os.getpid() and b"--server.port" in arguments and port in arguments:
            return int(process.name)
    raise RuntimeError(f"no server process of this benchmark listens on {url}")


def _rss_mib(pid: int) -> float | None:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    line = next((line for line in status.splitlines() if line.startswith("VmRSS:")), None)
    return int(line.split()[1]) / 1024 if line else None


async def sample_server(pid: int, started: float, stop: asyncio.Event, samples: list[Sample]) -> None:
    """Read the server's RSS and CPU time now, then every SAMPLE_EVERY seconds, and once more when `stop` is set."""
    while True:
        samples.append(Sample(time.monotonic() - started, _rss_mib(pid), _cpu_seconds(pid)))
        if stop.is_set():
            return
        with contextlib.suppress(TimeoutError):  # the sampling period has passed: sample again
            await asyncio.wait_for(stop.wait(), timeout=SAMPLE_EVERY)


async def load(url: str, pid: int, sessions: int, seconds: float, timeout: float, think: float) -> dict:
    """All sessions at once for `seconds` (runs under way then finish), the server sampled throughout."""
    started = time.monotonic()
    plan = Plan(url, sessions, started, started + seconds, timeout, think)
    samples: list[Sample] = []
    stop = asyncio.Event()
    sampler = asyncio.create_task(sample_server(pid, started, stop, samples))
    done = await asyncio.gather(*(one_session(plan, number) for number in range(sessions)))
    elapsed = time.monotonic() - started
    stop.set()
    await sampler
    runs = [run for session_runs, _ in done for run in session_runs]
    return {"runs": runs, "visits": sum(visits for _, visits in done), "samples": samples, "elapsed": elapsed}


def _stats(times: list[float]) -> str:
    if not times:
        return f"{0:>6}{'-':>8}{'-':>8}{'-':>8}"
    p95 = statistics.quantiles(times, n=20, method="inclusive")[-1] if len(times) > 1 else times[0]
    return f"{len(times):>6}{statistics.median(times):>8.2f}{p95:>8.2f}{max(times):>8.2f}"


def run_times(runs: list[Run]) -> str:
    """p50, p95 and max of the finished runs (seconds), per page, per step and overall."""
    lines = [f"{'':<16}{'runs':>6}{'p50':>8}{'p95':>8}{'max':>8}   (seconds, request sent -> script_finished)"]
    finished = [run for run in runs if run.seconds is not None]
    for page in PAGES:
        lines.append(f"{page:<16}" + _stats([run.seconds for run in finished if run.page == page]))
    for step in ("open", "navigate", "filter"):
        lines.append(f"{'step ' + step:<16}" + _stats([run.seconds for run in finished if run.step == step]))
    lines.append(f"{'overall':<16}" + _stats([run.seconds for run in finished]))
    return "\n".join(lines)


def _at(samples: list[Sample], seconds: float) -> Sample:
    """The sample taken nearest to that time."""
    return min(samples, key=lambda sample: abs(sample.at - seconds))


def timeline(runs: list[Run], samples: list[Sample]) -> str:
    """Per WINDOW seconds: runs asked for, their p50 and p95, the server's RSS at the window's end, its CPU use."""
    lines = [f"{'window':<12}{'runs':>6}{'p50':>8}{'p95':>8}{'RSS MiB':>10}{'server CPU':>12}"]
    end = samples[-1].at
    for start in range(0, int(end) - 1, WINDOW):  # a last window shorter than 2 s says nothing
        times = [run.seconds for run in runs if start <= run.at < start + WINDOW and run.seconds is not None]
        first, last = _at(samples, start), _at(samples, min(start + WINDOW, end))
        busy = _share(first, last)
        stats = _stats(times)[:22] if times else f"{0:>6}{'-':>8}{'-':>8}"
        rss = f"{last.rss_mib:>10.0f}" if last.rss_mib else f"{'?':>10}"
        lines.append(f"{f'{start}-{min(start + WINDOW, round(end))} s':<12}{stats}{rss}{busy:>12}")
    return "\n".join(lines)


def _share(first: Sample, last: Sample) -> str:
    """CPU time the server used between two samples, as a share of one CPU."""
    if first.cpu_seconds is None or last.cpu_seconds is None or last.at <= first.at:
        return "?"
    return f"{(last.cpu_seconds - first.cpu_seconds) / (last.at - first.at):.0%}"


def memory(samples: list[Sample]) -> tuple[str, bool]:
    """RSS at the start, after 30 s, at the end and at its peak; stable when the last minute (the second half of a
    shorter load) grew less than STABLE_GROWTH."""
    known = [sample for sample in samples if sample.rss_mib is not None]
    end = known[-1]
    since = _at(known, end.at - 60 if end.at >= 120 else end.at / 2)
    growth = end.rss_mib / since.rss_mib - 1
    stable = growth < STABLE_GROWTH
    at_30 = f"{_at(known, 30).rss_mib:.0f}" if end.at >= 30 else "-"
    line = (f"server RSS (MiB): start {known[0].rss_mib:.0f}, after 30 s {at_30}, end "
            f"{end.rss_mib:.0f}, peak {max(s.rss_mib for s in known):.0f}; from {since.at:.0f} s to the end "
            f"{growth:+.1%}: {'stable' if stable else 'NOT stable'} (< {STABLE_GROWTH:.0%})")  # fmt: skip
    return line, stable


def errors(runs: list[Run]) -> str:
    """Every failed run, grouped by page, step and message."""
    failed = [run for run in runs if run.errors]
    counted = Counter((run.page, run.step, error) for run in failed for error in run.errors)
    lines = [f"errors: {len(failed)} failed runs"]
    lines += [f"  {count} x {page} ({step}): {error[:160]}" for (page, step, error), count in counted.most_common()]
    return "\n".join(lines)


def report(result: dict, sessions: int, seconds: float, think: float) -> tuple[str, bool]:
    """The figures as plain text, and whether memory was stable."""
    runs, samples = result["runs"], result["samples"]
    finished = [run for run in runs if run.seconds is not None]
    megabytes = sum(run.received for run in runs) / 2**20
    memory_line, stable = memory(samples)
    server_cpu = _share(samples[0], samples[-1])
    driver_cpu = resource.getrusage(resource.RUSAGE_SELF)
    lines = [
        f"load: {sessions} sessions for {seconds:.0f} s ({result['elapsed']:.0f} s with the last runs), "
        + (f"{think:g} s on each page between clicks (0.5-1.5x)" if think else "no think time"),
        f"runs: {len(finished)} finished of {len(runs)} asked, in {result['visits']} visits "
        f"({len(finished) / result['elapsed']:.1f} runs/s); {megabytes:.0f} MiB received in "
        f"{sum(run.messages for run in runs)} messages, {sum(run.references for run in runs)} of them references to "
        "messages the tab had cached",
        errors(runs),
        run_times(runs),
        timeline(runs, samples),
        memory_line,
        f"server CPU over the load: {server_cpu} of one CPU; this driver used "
        f"{driver_cpu.ru_utime + driver_cpu.ru_stime:.0f} s of CPU",
    ]
    return "\n".join(lines), stable


def _snapshot(commit: str, into: Path) -> tuple[list[str], dict[str, str], str]:
    """The app as committed at `commit`, copied out with git archive: the command that serves it, the environment
    that makes its packages win over the working tree's (installed with pip install -e), and what it is. Edits under
    way in the working tree would otherwise reach the server in the middle of a load: Streamlit reloads a module that
    changed on disk."""
    revision = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", commit], capture_output=True,
                              text=True, check=True).stdout.strip()  # fmt: skip
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", revision], capture_output=True, check=True).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")
    start = [sys.executable, "-m", "streamlit", "run", str(into / "dashboard" / "app.py")]
    # The server runs in the working tree (serve() sets its cwd, whose .streamlit/config.toml it reads): PYTHONSAFEPATH
    # keeps that folder off sys.path, so that the copy's packages are the ones imported.
    env = {"PYTHONPATH": str(into), "PYTHONSAFEPATH": "1"}
    return start, env, f"dashboard/app.py as committed at {revision}"


def _log_errors(log: Path) -> str:
    """The exceptions the server logged, counted, and the project's lines their tracebacks went through."""
    text = re.sub(r"\x1b\[[0-9;]*m", "", log.read_text(errors="replace"))  # Streamlit logs them in colour
    raised = Counter(re.findall(r"^(?:\w+\.)*\w+(?:Error|Exception)\b.*$", text, re.MULTILINE))
    through = Counter(re.findall(r"/((?:dashboard|components)/[\w/]+\.py:\d+ in \S+)", text))
    lines = [f"  {count} x {line.strip()}" for line, count in raised.most_common()]
    lines += [f"  {count} x through {line}" for line, count in through.most_common(8)]
    return "\n".join(lines)


def _app(commit: str | None, scratch: str) -> tuple[list[str], dict[str, str], str]:
    """The command that serves the app, what it adds to the environment, and what it is."""
    if commit:
        return _snapshot(commit, Path(scratch) / "app")
    return DASHBOARD, {}, "dashboard/app.py of the working tree"


def run_load(args: argparse.Namespace) -> int:
    busy_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="bench-load-") as scratch:
        env, data = store_environment(args.data_dir, scratch)
        start, more, app = _app(args.commit, scratch)
        log = args.log or Path(scratch) / "app.log"
        with serve(start, {**env, **more}, log) as url:
            pid = _server_pid(url)
            result = asyncio.run(load(url, pid, args.sessions, args.seconds, args.run_timeout, args.think))
        failed = any(run.errors for run in result["runs"])
        server_log = _log_errors(log) if failed else ""
    print(machine("-").removesuffix(", Chromium -"))
    print(f"load average (1 min, the machine is shared): {busy_before:.1f} before, {os.getloadavg()[0]:.1f} after")
    print(f"app: {app}, Streamlit {streamlit.__version__}, on {data}, served at {url} (loopback)")
    text, _ = report(result, args.sessions, args.seconds, args.think)
    print(text)
    if failed:
        print(f"the server's log ({args.log or 'not kept: --log FILE keeps it'}):\n{server_log}")
    return 1 if failed else 0


# --self-check: a scenario sends its requests to the app at a URL and returns the run whose errors are compared.
Scenario = Callable[[str], Awaitable[Run]]


def _open(link: str, timeout: float = RUN_TIMEOUT) -> Scenario:
    """A new tab opens the link."""

    async def scenario(url: str) -> Run:
        async with _connect(url, timeout) as socket:
            tab = Tab(socket, url)
            return await tab.run(tab.open(link), link.partition("?")[0], "open", time.monotonic(), timeout)

    return scenario


def _missing_page(path: str) -> Scenario:
    """A new tab opens the default page, then asks for `path` by a page hash the app does not have."""

    async def scenario(url: str) -> Run:
        async with _connect(url, RUN_TIMEOUT) as socket:
            tab = Tab(socket, url)
            await tab.run(tab.open("/"), "/", "open", time.monotonic(), RUN_TIMEOUT)
            request = tab.request(path, page_hash=MISSING_PAGE_HASH)
            return await tab.run(request, path, "navigate", time.monotonic(), RUN_TIMEOUT)

    return scenario


def _visit(link: str) -> Scenario:
    """A whole visit, as the load makes it, its runs folded into one."""

    async def scenario(url: str) -> Run:
        runs = await visit(Plan(url, 1, time.monotonic(), time.monotonic() + 600), link, random.Random(0))
        steps = " ".join(f"{run.step} {run.page}" for run in runs)
        return Run(link, steps, 0, sum(run.seconds or 0 for run in runs), [e for run in runs for e in run.errors])

    return scenario


FAILING_CHECKS = [
    ("clean run", _open("/"), ""),
    ("uncaught exception", _open("/?fail=raise"), "exception element"),
    ("st.error box", _open("/?fail=error"), "st.error box"),
    ("run longer than the timeout", _open("/?fail=slow", SLOW_TIMEOUT), "no script_finished"),
    ("unknown page path", _open("/nope"), "page_not_found"),
    ("unknown page hash", _missing_page("/other"), "the server ran /"),
]
APP_CHECKS = [
    ("overview", _open("/"), ""),
    ("unknown country: a notice, not an error", _open("/?country=XXX"), ""),
    ("unknown page path", _open("/nope"), "page_not_found"),
    ("unknown page hash", _missing_page("/sectors"), "the server ran /"),
    ("a whole visit", _visit("/international?country=FRA"), ""),
]


def self_check(commit: str | None) -> int:
    """Serve bench/failing_app.py and the app, send each check's request, compare what was counted with what must be."""
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-load-check-") as scratch:
        env, _ = store_environment(None, scratch)
        start, more, _ = _app(commit, scratch)
        apps = (("failing_app", FAILING, env, FAILING_CHECKS), ("dashboard", start, {**env, **more}, APP_CHECKS))
        for name, start, env, checks in apps:
            with serve(start, env, Path(scratch) / f"{name}.log") as url:
                for label, scenario, expected in checks:
                    run = asyncio.run(scenario(url))
                    counted = "; ".join(error[:80] for error in run.errors)
                    ok = (not run.errors) if not expected else any(expected in error for error in run.errors)
                    rows.append((name, label, expected or "no error", counted or "no error", ok))
    for app, label, expected, counted, ok in rows:
        print(f"{'ok  ' if ok else 'FAIL'} {app:<12}{label:<42} expected: {expected:<22} counted: {counted}")
    wrong = sum(not row[-1] for row in rows)
    print(f"self-check: {len(rows) - wrong} of {len(rows)} counted as expected" + (f", {wrong} NOT" if wrong else ""))
    return 1 if wrong else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=20, help="tabs open at once (default 20)")
    parser.add_argument("--seconds", type=float, default=120, help="how long new runs are asked for (default 120)")
    parser.add_argument("--data-dir", type=Path, help="serve the app on this dataset (python -m dashboard demo)")
    parser.add_argument("--run-timeout", type=float, default=RUN_TIMEOUT, help="seconds a run may take (default 60)")
    parser.add_argument("--think", type=float, default=0, help="seconds a reader spends on a page (default 0)")
    parser.add_argument(
        "--commit", help="serve the app as committed at this revision (e.g. HEAD), not the working tree"
    )
    parser.add_argument(
        "--log", type=Path, help="keep the server's output in this file (its tail is printed on errors)"
    )
    parser.add_argument("--self-check", action="store_true", help="check that the driver counts every failure")
    args = parser.parse_args(argv)
    if args.self_check:
        return self_check(args.commit)
    return run_load(args)


if __name__ == "__main__":
    sys.exit(main())
