"""Text from the data goes into Markdown safely: escaped, never as HTML."""

from __future__ import annotations

import re

_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+!|~:$])")


def escape(text: str) -> str:
    """Escape Markdown (and Streamlit's :colour[...] / :material/ directives) in text that comes from data."""
    return _SPECIAL.sub(r"\\\1", str(text))


LINE_BREAK = "  \n"  # Markdown's hard line break: several lines in one element


def warning(text: str) -> str:
    """A disagreement or caveat that must be seen without a click: orange, bold, with a warning sign."""
    return f":orange[:material/warning: **{escape(text)}**]"


def source_link(title: str, url: str | None) -> str:
    """A Markdown link to a source, or its escaped title when it has no address."""
    if url and url.startswith(("https://", "http://")):
        return f"[{escape(title)}]({url.replace(')', '%29').replace(' ', '%20')})"
    return escape(title)
