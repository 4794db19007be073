"""Answers kept beside a version's snapshot, so that a restarted server reads what an earlier process computed
instead of asking the database again: the first page run after a restart is most of a cold start (docs/performance.md,
session 9).

A snapshot never changes once written (dashboard/store.py), so an answer about it stays true for as long as the code
that computed it: answers are kept per snapshot and per fingerprint of this package's code and of the libraries whose
objects they hold. They are only a cache: a file that cannot be written or read is computed again, and the folder goes
with its snapshot.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import shutil
import sys
import threading
from contextlib import suppress
from functools import cache, lru_cache, wraps
from importlib.metadata import version
from pathlib import Path

from dashboard.files import replace_whole

PACKAGE = Path(__file__).resolve().parent
# Disk a snapshot's answers may take; beyond it new answers stay in memory only. Pages ask for what they draw (counts,
# capped tables, the series of a few charts): a view's answers are kilobytes on the bundled data, a few megabytes at
# ten million rows.
MOST_KEPT_BYTES = 256 * 2**20
# Their distributions' versions are read from their metadata, without importing them (Ibis is loaded only for a
# question not kept, dashboard/store.py).
_LIBRARIES = ("pandas", "numpy", "pyarrow", "ibis-framework", "duckdb")


@cache
def code_fingerprint() -> str:
    """Changes with this package's code, Python and the libraries that make the answers (a pickled frame is read back
    by the pandas that wrote it)."""
    digest = hashlib.sha256(sys.version.encode())
    for library in _LIBRARIES:
        digest.update(f"{library} {version(library)}".encode())
    for path in sorted(PACKAGE.rglob("*.py")):
        digest.update(path.relative_to(PACKAGE).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def answers_folder(snapshot: Path) -> Path:
    """Where the answers about a snapshot are kept (removed with it, dashboard/store.py)."""
    return snapshot.with_suffix(".answers")


class Shelf:
    """The answers kept about one snapshot by this code: one pickle file per question, written atomically."""

    def __init__(self, snapshot: Path):
        self.folder = answers_folder(snapshot) / code_fingerprint()
        self._used: int | None = None  # bytes on disk, counted at the first write
        self._lock = threading.Lock()

    def _path(self, key: str) -> Path:
        return self.folder / f"{hashlib.sha256(key.encode()).hexdigest()[:32]}.pickle"

    def get(self, key: str):
        """The kept answer, or KeyError."""
        path = self._path(key)
        try:
            with path.open("rb") as file:
                return pickle.load(file)
        except OSError:  # not kept (or no folder to keep it in)
            raise KeyError(key) from None
        except Exception:  # cut short, or written by other code that somehow has our fingerprint: computed again
            with suppress(OSError):
                path.unlink()
            raise KeyError(key) from None

    def put(self, key: str, answer) -> None:
        """Keep an answer, if there is room; a disk that refuses it (full, read-only) only loses the cache."""
        try:
            data = pickle.dumps(answer, protocol=pickle.HIGHEST_PROTOCOL)
            with self._lock:
                if self._used is None:
                    self._used = self._first_use()
                if self._used + len(data) > MOST_KEPT_BYTES:
                    return
                self._used += len(data)
            replace_whole(self._path(key), data)
        except (OSError, pickle.PicklingError, TypeError, AttributeError):
            pass

    def forget(self) -> None:
        """Remove every kept answer (the server bench measures what the database costs)."""
        with self._lock:
            shutil.rmtree(self.folder, ignore_errors=True)
            self._used = None

    def _first_use(self) -> int:
        """Bytes already kept by this code; answers kept by other code (before an upgrade) are removed."""
        self.folder.mkdir(parents=True, exist_ok=True)
        for other in self.folder.parent.iterdir():
            if other != self.folder:
                shutil.rmtree(other, ignore_errors=True)
        return sum(entry.stat().st_size for entry in os.scandir(self.folder) if entry.is_file())


def kept(maxsize: int):
    """lru_cache(maxsize) for a question whose first argument is a Store, whose answers about a snapshot are also
    kept on disk (Store.shelf), keyed by the question, the store's audience and the other arguments (whose repr must
    say all that matters: tuples, strings, numbers, frozen dataclasses)."""

    def decorate(question):
        name = f"{question.__module__}.{question.__qualname__}"

        @lru_cache(maxsize=maxsize)
        @wraps(question)
        def asked(store, *args):
            shelf = store.shelf
            if shelf is None:
                return question(store, *args)
            key = repr((name, store.access, args))
            try:
                return shelf.get(key)
            except KeyError:
                answer = question(store, *args)
                shelf.put(key, answer)
                return answer

        return asked

    return decorate
