"""Where the data lives, from the environment or `.streamlit/secrets.toml`: read the same way by the app and the CLI."""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from urllib.parse import urlsplit

from dashboard.audience import AUDIENCES, DEFAULT_SMALL_COUNT, Access

ROOT = Path(__file__).resolve().parent.parent
BUNDLED_DATA = ROOT / "data"
SECRETS = ROOT / ".streamlit" / "secrets.toml"


def data_dir() -> Path:
    """The dataset folder the store is seeded from: DASHBOARD_DATA_DIR when set, otherwise the bundled data/."""
    return Path(os.environ.get("DASHBOARD_DATA_DIR") or BUNDLED_DATA).resolve()


def secrets() -> dict:
    """The secrets file as a mapping ({} when there is none or it cannot be read: the defaults then apply)."""
    try:
        return tomllib.loads(SECRETS.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError):
        return {}


def database_url() -> tuple[str, Path]:
    """The store's URL and the folder that seeds it when it is empty.

    DASHBOARD_DATABASE_URL, else `[database] url` in the secrets file, else a DuckDB file: var/dashboard.duckdb for
    the bundled data, or dashboard.duckdb inside another dataset folder (a demo dataset never shares a store with
    the published figures).
    """
    seed = data_dir()
    url = os.environ.get("DASHBOARD_DATABASE_URL") or secrets().get("database", {}).get("url")
    if not url:
        file = ROOT / "var" / "dashboard.duckdb" if seed == BUNDLED_DATA.resolve() else seed / "dashboard.duckdb"
        url = f"duckdb:///{file}"
    return url, seed


def describe_url(url: str) -> str:
    """A database URL fit for a message or a page: the DuckDB file, or PostgreSQL's host, port and database, never a
    password."""
    if url.startswith("duckdb:///"):
        return f"DuckDB {url.removeprefix('duckdb:///')}"
    parts = urlsplit(url)
    return f"PostgreSQL {parts.hostname}:{parts.port or 5432}{parts.path}"


def configured_access() -> Access:
    """Who this deployment serves: DASHBOARD_AUDIENCE and DASHBOARD_SMALL_COUNT, else `[access] audience` and
    `small_count` in the secrets file, else everything shown (internal). A value that is not understood stops the app
    with a message rather than showing partners what the setting meant to hide."""
    section = secrets().get("access", {})
    audience = os.environ.get("DASHBOARD_AUDIENCE") or section.get("audience") or "internal"
    small_count = os.environ.get("DASHBOARD_SMALL_COUNT") or section.get("small_count") or DEFAULT_SMALL_COUNT
    if audience not in AUDIENCES:
        raise ValueError(f"The audience setting is {str(audience)[:40]!r}: it must be one of {', '.join(AUDIENCES)}.")
    try:
        count = int(str(small_count).strip())
    except ValueError:
        count = 0
    if count < 1:
        raise ValueError(
            f"The small_count setting is {str(small_count)[:40]!r}: it must be a whole number of 1 or more."
        )
    return Access(audience, count)


def internal_users() -> frozenset[str]:
    """E-mail addresses (lower case) that see the internal audience when they log in to a partner deployment:
    `[access] internal_users` in the secrets file."""
    listed = secrets().get("access", {}).get("internal_users", [])
    return frozenset(str(email).strip().lower() for email in listed) if isinstance(listed, list) else frozenset()
