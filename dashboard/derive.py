"""Columns computed from others (typed periods, web domains, own sources): shared by the build and by an upload.

Which columns are derived, and from which, is declared in data/datapackage.json (`derivedFrom`); this module says how.
Every function takes the text of one source column (None or "" when empty) and returns the derived columns' values.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import lru_cache
from urllib.parse import urlparse

from dashboard.periods import Period, parse_period

# Web domains that belong to Groupe SOS or one of its entities: a figure read there is "the organisation's own
# source", the second criterion of the conflict rule (see reference README).
OWN_DOMAINS = (
    "groupe-sos.org",
    "sos-group.org",
    "planete-urgence.org",
    "santesud.org",
    "ppi-groupesos.org",
    "assfam.org",
    "afghanistan-libre.org",
    "oribi.org.za",
)


def _period(label: str) -> Period:
    parsed = _parsed(label)
    if isinstance(parsed, str):
        raise ValueError(parsed)
    return parsed


@lru_cache(maxsize=1 << 17)  # more than the rows of an upload, which is read then checked: parsed once
def _parsed(label: str) -> Period | str:
    """The period, or why the label is not one (cached too: a file of junk is parsed once, not twice)."""
    try:
        return parse_period(label)
    except ValueError as error:
        return str(error)


def period_columns(period: str | None) -> dict:
    """observations: what the period label means. Raises ValueError when the label is not understood."""
    parsed = _period(period or "")
    return {
        "period_kind": parsed.kind,
        "period_start": parsed.start,
        "period_end": parsed.end,
        "period_approximate": parsed.approximate,
        "year": parsed.year,
    }


def web_domain(url: str | None) -> str | None:
    return urlparse(url).netloc.removeprefix("www.") or None if url else None


def is_own_domain(domain: str | None) -> bool:
    return bool(domain) and any(domain == own or domain.endswith("." + own) for own in OWN_DOMAINS)


def url_columns(url: str | None) -> dict:
    """sources: the web domain of the address and whether it is the organisation's own."""
    domain = web_domain(url)
    return {"domain": domain, "own_source": is_own_domain(domain)}


def published_columns(published: str | None) -> dict:
    """sources: the publication date as a date (its earliest day) and whether it is approximate."""
    parsed = _period(published or "")
    return {"published_date": parsed.start or parsed.end, "published_approximate": parsed.approximate}


def since_columns(since: str | None) -> dict:
    """locations: the year a presence began."""
    parsed = _period(since or "")
    return {"since_year": parsed.start.year if parsed.start else None}


def until_columns(until: str | None) -> dict:
    """locations: the last day of a presence that ended."""
    return {"until_date": _period(until or "").end}


# table -> source column -> the function computing the columns derived from it.
DERIVATIONS: dict[str, dict[str, Callable[[str | None], dict]]] = {
    "observations": {"period": period_columns},
    "sources": {"url": url_columns, "published": published_columns},
    "locations": {"since": since_columns, "until": until_columns},
}


def derived_columns(table: str, row: Mapping[str, str | None]) -> dict:
    """Every derived column of one row of `table`, from its source columns. Raises ValueError on a bad source."""
    derived: dict = {}
    for source, derive in DERIVATIONS.get(table, {}).items():
        derived.update(derive(row.get(source)))
    return derived
