"""Slide images: size, what they carry, French numbers, the toolbar's file name, and that nothing is fetched."""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
import threading
import xml.etree.ElementTree as ET
from dataclasses import replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from PIL import Image

from components import slide_export
from components.charts import growth_figure
from components.slide_export import (
    CHROMIUM,
    PLOTLY_JS,
    SlideExportError,
    fit_lines,
    offline_page,
    slide_figure,
    slide_png,
    slide_svg,
    toolbar_config,
)
from components.slides import Deck, Slide, SourceRef
from dashboard.queries import figures

ROOT = Path(__file__).resolve().parents[2]
SVG = "{http://www.w3.org/2000/svg}"
GROWTH = ["employees", "revenue", "establishments", "beneficiaries"]
WORDS = {
    "en": dict(title="Growth of the group <R&D>", filters="Showing: the whole group, every year.",
               source="Sources: Groupe SOS, Introduction · FSM Capital", date="Exported 23 November 2026",
               dataset="Published figures, each with its source.", alt="Employees rose from 2,700 to 22,000."),
    "fr": dict(title="Croissance du groupe <R&D>", filters="Affichage : tout le groupe, toutes années.",
               source="Sources : Groupe SOS, Introduction · FSM Capital", date="Exporté le 23 novembre 2026",
               dataset="Chiffres publiés, chacun avec sa source.", alt="Les salariés passent de 2 700 à 22 000."),
}  # fmt: skip

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason=f"slide images need Chromium at {CHROMIUM}")


def growth_slide(store, catalog, lang: str) -> tuple[Slide, Deck]:
    """The overview's growth chart, from the project's own query and builder, as a hand-made slide."""
    words = WORDS[lang]
    points = figures(store, indicators=GROWTH, kind="actual")
    points = points[points["scope_level"] == "group"]
    figure = growth_figure(points, catalog, GROWTH, lang, words["title"])
    source = SourceRef("Groupe SOS, Introduction", "https://www.groupe-sos.org/")
    slide = Slide(key="growth", kind="chart", title=words["title"], alt=words["alt"], source_line=words["source"],
                  notes="", figure=figure, sources=(source,))  # fmt: skip
    deck = Deck(title="Groupe SOS", filters_line=words["filters"], date_line=words["date"],
                dataset_line=words["dataset"], lang=lang, slides=(slide,))  # fmt: skip
    return slide, deck


def svg_texts(svg: bytes) -> tuple[ET.Element, str]:
    root = ET.fromstring(svg)
    return root, " ".join(" ".join(element.itertext()) for element in root.iter(f"{SVG}text"))


@pytest.fixture(scope="module")
def english(store, catalog):
    return growth_slide(store, catalog, "en")


@pytest.fixture(scope="module")
def french(store, catalog):
    return growth_slide(store, catalog, "fr")


def test_the_png_is_a_1920_by_1080_slide_with_its_title_drawn_at_the_top(english):
    slide, deck = english
    before = slide.figure.to_json()
    image = Image.open(io.BytesIO(slide_png(slide, deck))).convert("L")
    assert image.size == (1920, 1080)
    title_band = image.crop((0, 0, 1920, 90))
    assert title_band.getextrema()[0] < 60  # near-black title type, not an empty band
    assert slide.figure.to_json() == before  # the page's own chart is left as it was


def test_a_missing_chromium_is_one_plain_error(english, monkeypatch, tmp_path):
    monkeypatch.setattr(slide_export, "CHROMIUM", tmp_path / "chromium")
    with pytest.raises(SlideExportError, match="Chromium.*is missing"):
        slide_png(*english)


def test_the_svg_carries_title_filters_source_date_and_describes_itself(english):
    slide, deck = english
    root, text = svg_texts(slide_svg(slide, deck))
    assert root.get("role") == "img" and root.get("aria-label") == slide.title
    assert [child.tag for child in root[:2]] == [f"{SVG}title", f"{SVG}desc"]
    assert root[0].text == slide.title and root[1].text == slide.alt
    for line in (slide.title, deck.filters_line, slide.source_line, deck.date_line, deck.dataset_line):
        assert line in text  # "<R&D>" in the title comes back as text, not as markup


def test_french_numbers_keep_narrow_spaces_and_english_keeps_commas(store, catalog):
    for lang, thousands in (("fr", "\u202f000"), ("en", ",000")):
        slide, deck = growth_slide(store, catalog, lang)
        slide.figure.update_yaxes(exponentformat="none")  # "20 000" rather than "20k": the separator shows
        assert slide_figure(slide, deck).layout.separators == slide.figure.layout.separators
        _, text = svg_texts(slide_svg(slide, deck))
        assert re.search(rf"\d{thousands}", text), f"{lang}: no {thousands!r} in the tick labels"


def test_a_long_source_line_is_cut_to_two_lines_with_an_ellipsis(english):
    slide, deck = english
    long_line = "Sources: " + " · ".join(f"Annual report of association number {n}" for n in range(40))
    figure = slide_figure(replace(slide, source_line=long_line), deck)
    footer = next(a.text for a in figure.layout.annotations if a.text.startswith("Sources: Annual"))
    lines = footer.split("<br>")
    assert len(lines) == 2 and lines[1].endswith("…")
    assert all(len(line) <= 120 for line in lines)  # 22 px type across the width left of the date


def test_fit_lines_wraps_and_shortens():
    assert fit_lines("one two three", 40, 2) == ["one two three"]
    assert fit_lines("word " * 30, 20, 2)[-1].endswith("…") and len(fit_lines("word " * 30, 20, 2)) == 2


def test_the_toolbar_saves_a_1920_by_1080_png_named_after_the_slide(english):
    slide, deck = english
    config = toolbar_config(slide, replace(deck, file_stem="groupe-sos-senegal"))
    assert config["displaylogo"] is False
    assert config["toImageButtonOptions"] == {
        "format": "png", "filename": "groupe-sos-senegal-growth", "width": 1920, "height": 1080, "scale": 1
    }  # fmt: skip


# Offline: nothing may come from the internet when an image is drawn


def test_the_page_kaleido_draws_in_loads_only_local_files():
    page = offline_page().generate_index()
    scripts = re.findall(r'<script src="([^"]+)"', page)
    assert PLOTLY_JS.as_uri() in scripts
    assert scripts and all(src.startswith("file://") for src in scripts), scripts
    assert "mathjax" not in page.lower()


class _Recorder(BaseHTTPRequestHandler):
    """A proxy that lets nothing through and notes what was asked of it."""

    def _refuse(self) -> None:
        self.server.asked.append(self.requestline)
        self.send_error(502)

    do_GET = do_POST = do_HEAD = do_CONNECT = _refuse

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def recording_proxy():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    server.asked = []
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server
    server.shutdown()
    server.server_close()


# Both scripts lift the rule that makes no host name resolve (it would block the recorder too), so that every request
# reaches the recorder: what is proved is that the page asks for nothing, not only that asking would fail.
LIFT_NAME_BLOCK = """
import components.slide_export as slide_export
slide_export.QUIET_FLAGS = tuple(f for f in slide_export.QUIET_FLAGS if not f.startswith("--host-resolver-rules"))
"""
# What Debian's Chromium itself calls on start (blocked in use by the name rule); anything else came from the page.
CHROMIUM_OWN_SERVICES = ("google.com", "googleapis.com", "duckduckgo.com")


def page_requests(asked: list[str]) -> list[str]:
    hosts = [(line, urlsplit("//" + line.split()[1].split("//")[-1]).hostname or "") for line in asked]
    return [line for line, host in hosts if not host.endswith(CHROMIUM_OWN_SERVICES)]


EXPORT = (
    LIFT_NAME_BLOCK
    + """
import json, sys
import plotly.io as pio
from components.slide_export import slide_png, slide_svg
from components.slides import Deck, Slide
from choreographer.browsers import Chromium
figure = pio.from_json(open(sys.argv[1]).read())
slide = Slide(key="k", kind="chart", title="t", alt="a", source_line="s", notes="", figure=figure)
deck = Deck(title="d", filters_line="f", date_line="x", dataset_line="y", lang="fr", slides=(slide,))
sizes = [len(slide_png(slide, deck)), len(slide_svg(slide, deck))]
print(json.dumps({"sizes": sizes, "discovered": Chromium.find_browser(skip_local=False)}))
"""
)

# The control: the same Chromium with Kaleido's default page (MathJax from a CDN) is seen asking the proxy for it.
CONTROL = (
    LIFT_NAME_BLOCK
    + """
import asyncio, sys
import kaleido, plotly.io as pio
figure = pio.from_json(open(sys.argv[1]).read())
kopts = {"path": str(slide_export.CHROMIUM), "browser_cls": slide_export.QuietChromium}
asyncio.run(kaleido.calc_fig(figure, kopts=kopts))
"""
)


def _run_behind(proxy, script: str, figure_file: Path, **env_changes: str) -> subprocess.CompletedProcess:
    address = f"http://127.0.0.1:{proxy.server_address[1]}"
    env = {**os.environ, "CHOREO_PROXY_SERVER": address, "HTTP_PROXY": address, "HTTPS_PROXY": address,
           "http_proxy": address, "https_proxy": address, "NO_PROXY": "", "no_proxy": "", **env_changes}  # fmt: skip
    # A CDN load that waited forever would fail the test here instead of hanging it.
    return subprocess.run([sys.executable, "-c", script, str(figure_file)], env=env, cwd=ROOT, capture_output=True,
                          text=True, timeout=90, check=False)  # fmt: skip


def test_drawing_a_slide_asks_nothing_of_the_network_and_uses_debian_chromium(recording_proxy, french, tmp_path):
    figure_file = tmp_path / "figure.json"
    figure_file.write_text(french[0].figure.to_json())
    # A "Kaleido download" that Chrome discovery would pick first, and a BROWSER_PATH that leads nowhere: neither used.
    decoy = tmp_path / "data" / "choreographer" / "deps" / "chrome-linux64" / "chrome"
    decoy.parent.mkdir(parents=True)
    decoy.write_text(f"#!/bin/sh\ntouch {tmp_path / 'decoy-ran'}\nexit 1\n")
    decoy.chmod(0o755)
    done = _run_behind(recording_proxy, EXPORT, figure_file, XDG_DATA_HOME=str(tmp_path / "data"),
                       BROWSER_PATH="/nonexistent/chrome")  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert min(result["sizes"]) > 10_000
    assert result["discovered"] == str(decoy) and not (tmp_path / "decoy-ran").exists()
    assert page_requests(recording_proxy.asked) == []

    control = _run_behind(recording_proxy, CONTROL, figure_file)
    assert control.returncode == 0, control.stderr[-2000:]
    assert any("cdnjs.cloudflare.com" in line for line in page_requests(recording_proxy.asked)), recording_proxy.asked
