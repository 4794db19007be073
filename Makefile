# Quick start: `make run` (the app at http://localhost:8501) and `make test` (every test).
# Both build their own virtual environment in .venv and install what they need, system packages included.

SHELL := /bin/bash
VENV := .venv
PYTHON := $(VENV)/bin/python
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
CHROMIUM := /usr/bin/chromium
# PostgreSQL's server programs: Debian installs each major version in /usr/lib/postgresql/N/bin; the newest one wins.
POSTGRES_INITDB := $(lastword $(shell ls -d /usr/lib/postgresql/*/bin/initdb 2>/dev/null | sort -V))
# Those programs when installed, otherwise the rule that installs them.
POSTGRES := $(or $(POSTGRES_INITDB),postgresql-server)
REFERENCE ?= ../shared/reference

.PHONY: run test lint bench data geo deck-png clean postgresql-server

# Chromium is needed at run time too: it draws the slide images (PNG, SVG) and the charts in the PowerPoint deck.
# PostgreSQL: the app can serve from a PostgreSQL database; the tests start a throwaway server of their own.
# The project's bytecode is compiled first (quick when up to date): with PYTHONDONTWRITEBYTECODE set, as on the
# development machine, the server would otherwise compile every module at each start (0.1 s of a 5 s cold start).
run: $(VENV)/.installed $(CHROMIUM) $(POSTGRES)
	$(PYTHON) -m compileall -q dashboard components
	$(VENV)/bin/streamlit run dashboard/app.py --server.port 8501 $(ARGS)

test: $(VENV)/.installed-dev $(CHROMIUM) $(POSTGRES)
	$(VENV)/bin/ruff check .
	$(PYTHON) -m pytest

# Performance figures (printed, not asserted): the server side on the bundled data and demos of 10k, 1M and 10M rows,
# the cold start (a new server process to the overview drawn), the browser side against a bare Streamlit page, then
# 20 sessions at once for 2 minutes (bench/load.py, docs/reliability.md).
# Slow (tens of minutes at 10M rows); see docs/performance.md.
BENCH_SIZES ?= 10000 1000000 10000000
bench: $(VENV)/.installed-dev $(CHROMIUM)
	$(PYTHON) bench/server.py --sizes $(BENCH_SIZES)
	$(PYTHON) bench/coldstart.py
	$(PYTHON) bench/browser.py
	$(PYTHON) bench/load.py --self-check
	$(PYTHON) bench/load.py --sessions 20 --seconds 120

lint: $(VENV)/.installed-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

# Rebuild data/ from the reference files (deterministic: a second run leaves no diff).
data: $(VENV)/.installed
	$(PYTHON) data/build/build.py $(REFERENCE)

# Convert Natural Earth country shapes to data/geo/countries.geojson (needs the package registry; run by hand).
geo: $(VENV)/.installed
	$(PYTHON) -m pip install --quiet pyshp==3.1.6
	$(PYTHON) data/build/geo.py

# Look at a deck as pages (not part of `make test`): make deck-png DECK=path/to/file.pptx -> artifacts/deck-png/*.png
deck-png:
	@test -n "$(DECK)" || { echo "usage: make deck-png DECK=path/to/file.pptx"; exit 2; }
	@if ! command -v soffice >/dev/null || ! command -v pdftoppm >/dev/null; then \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends libreoffice-impress poppler-utils; \
	fi
	mkdir -p artifacts/deck-png
	soffice --headless --convert-to pdf --outdir artifacts/deck-png "$(DECK)"
	pdftoppm -png -r 60 "artifacts/deck-png/$(basename $(notdir $(DECK))).pdf" "artifacts/deck-png/$(basename $(notdir $(DECK)))"

$(PYTHON):
	python3 -m venv $(VENV)

$(VENV)/.installed: requirements.txt pyproject.toml | $(PYTHON)
	$(PYTHON) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	$(PYTHON) -m pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed requirements-dev.txt
	$(PYTHON) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

# Browser tests drive Debian's Chromium (Playwright's own browser download does not work offline).
$(CHROMIUM):
	$(SUDO) apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium

# Tests start their own PostgreSQL server (tests/postgres_server.py) with these programs, not the packaged cluster.
postgresql-server:
	$(SUDO) apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends postgresql

clean:
	rm -rf $(VENV) artifacts .pytest_cache .ruff_cache
