"""A separate process that imports a file into a store, as `python -m dashboard import` would: for the tests of
crashes (it can stop itself after writing every row and before committing, to be killed there) and of concurrency.

    python tests/import_worker.py URL FILE [--hang-after-write MARKER]
"""

from __future__ import annotations

import argparse
import threading
from pathlib import Path

from dashboard.history import History
from dashboard.workbook import read_upload


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("url")
    parser.add_argument("file", type=Path)
    parser.add_argument("--hang-after-write", type=Path, metavar="MARKER")
    args = parser.parse_args()

    def hang() -> None:
        args.hang_after_write.write_text("rows written, not committed")
        threading.Event().wait()  # until the test kills this process

    upload, problems = read_upload(args.file.read_bytes(), args.file.name)
    assert upload is not None and not problems, problems
    version = History(args.url).import_upload(
        upload, author=f"worker {args.file.stem}", after_write=hang if args.hang_after_write else None
    )
    print(version.number)


if __name__ == "__main__":
    main()
