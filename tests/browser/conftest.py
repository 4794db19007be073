"""A real app server and a real Chromium (Debian's, through Playwright) with every non-local request blocked."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
SCREENSHOTS = ROOT / "artifacts" / "screenshots"
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
APP_READY = "[data-testid='stApp'][data-test-script-state='notRunning']"
# Streamlit shows a skeleton where an element's code is still loading, after the script has finished (a page's first
# table or chart): a page is drawn once none is left (the condition bench/browser.py waits for too).
NO_SKELETON = "() => !document.querySelector(\"[data-testid='stSkeleton']\")"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_until_healthy(url: str, process: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the app exited with code {process.returncode}: {process.stdout.read()}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.read() == b"ok":
                    return
        except OSError:
            time.sleep(0.2)  # polling interval while the server boots; the condition is the health answer
    raise TimeoutError(f"the app at {url} did not answer its health check within {timeout} s")


@contextmanager
def serve(*options: str, **env: str) -> Iterator[str]:
    """The app on a free port, with extra `streamlit run` options and environment; its URL once it is healthy."""
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / "dashboard" / "app.py"),
         "--server.port", str(port), "--server.address", "127.0.0.1", "--server.headless", "true", *options],
        cwd=ROOT, env={**os.environ, "PYTHONUNBUFFERED": "1", **env}, stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_healthy(url, process)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=20)


@pytest.fixture(scope="session")
def app_url():
    with serve() as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium is not installed at {CHROMIUM}: run `make test`, which installs Debian's chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS, headless=True)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    """A 1440x900 page that refuses every request not addressed to this machine, and records them."""
    context = browser.new_context(viewport={"width": 1440, "height": 900}, device_scale_factor=1)
    blocked: list[str] = []

    def route(route_request):
        url = route_request.request.url
        if url.startswith(("http://127.0.0.1", "http://localhost", "ws://127.0.0.1", "data:", "blob:")):
            route_request.continue_()
        else:
            blocked.append(url)
            route_request.abort()

    context.route("**/*", route)
    page = context.new_page()
    page.blocked_requests = blocked
    yield page
    context.close()


def open_page(page, url: str, timeout: float = 60_000):
    """Navigate and wait until Streamlit has finished running the script and loading its elements (no sleeps)."""
    page.goto(url)
    page.wait_for_selector(APP_READY, timeout=timeout)
    page.wait_for_function(NO_SKELETON, timeout=timeout)
    return page


def screenshot(page, name: str) -> Path:
    """The whole page: Streamlit scrolls inside its main block, so grow the viewport to fit it first."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    size = page.viewport_size
    height = page.evaluate("document.querySelector(\"[data-testid='stMain']\")?.scrollHeight ?? 0")
    page.set_viewport_size({"width": size["width"], "height": max(size["height"], min(int(height), 12000))})
    page.wait_for_selector(APP_READY)
    page.wait_for_function(NO_SKELETON)
    page.screenshot(path=str(path), full_page=True)
    page.set_viewport_size(size)
    return path
