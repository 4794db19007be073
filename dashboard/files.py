"""Writing a file whole or not at all: a reader sees the previous version or the new one, never half of one."""

from __future__ import annotations

import os
import threading
from pathlib import Path


def replace_whole(path: Path, data: bytes) -> None:
    """Write `data` to `path` under a name of this writer's own (process and thread: two writers of the same file
    never share a half-written one), then rename it into place; nothing is left behind when writing fails."""
    partial = path.with_name(f".{os.getpid()}-{threading.get_ident()}-{path.name}.partial")
    try:
        partial.write_bytes(data)
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)
