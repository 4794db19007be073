"""A throwaway PostgreSQL server for the tests: Debian's binaries, a temporary data folder, a free port, trust auth.

    server = PostgresServer()
    server.start()                      # initdb on first start, then the server on 127.0.0.1 and a Unix socket
    url = server.create_database()      # postgresql://postgres@127.0.0.1:PORT/test_...
    server.stop(); server.start()       # same folder, same port: committed data survives
    server.close()                      # stop and remove the folder

initdb and postgres refuse to run as root: as root, every server command runs as the `postgres` system user (made by
Debian's package) through runuser, and the folder is handed to it.
"""

from __future__ import annotations

import glob
import os
import pwd
import re
import shutil
import socket
import subprocess
import tempfile
import time
import uuid
from pathlib import Path

import psycopg
from psycopg import sql

SUPERUSER = "postgres"  # the role initdb creates, whoever runs it
SYSTEM_USER = "postgres"  # who runs the server when the tests run as root
DEBIAN_BINARIES = "/usr/lib/postgresql/*/bin"
READY_TIMEOUT = 30.0
# The server is thrown away: durability is not wanted, speed is.
SETTINGS = {
    "listen_addresses": "127.0.0.1",
    "fsync": "off",
    "synchronous_commit": "off",
    "full_page_writes": "off",
}


class PostgresNotAvailable(RuntimeError):
    """PostgreSQL's server programs, or the user to run them as, cannot be found; the message says what to install."""


class PostgresStartError(RuntimeError):
    """The server did not start; the message carries the end of its log."""


def _version_key(bindir: str) -> tuple[int, ...]:
    # /usr/lib/postgresql/15/bin -> (15,): compare versions as numbers, so 9.6 < 10 < 15.
    return tuple(int(part) for part in re.findall(r"\d+", Path(bindir).parent.name))


def find_bindir() -> Path:
    """The newest of Debian's PostgreSQL server versions (/usr/lib/postgresql/N/bin), else the one on PATH."""
    candidates = [d for d in glob.glob(DEBIAN_BINARIES) if os.access(Path(d, "initdb"), os.X_OK)]
    if candidates:
        return Path(max(candidates, key=_version_key))
    on_path = shutil.which("initdb")
    if on_path and shutil.which("pg_ctl", path=str(Path(on_path).parent)):
        return Path(on_path).parent
    raise PostgresNotAvailable(
        f"PostgreSQL's server programs (initdb, pg_ctl, postgres) were not found in {DEBIAN_BINARIES} nor on PATH. "
        "Install Debian's `postgresql` package (`make test` does it: apt-get install postgresql)."
    )


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class PostgresServer:
    """One PostgreSQL server in its own temporary folder, started and stopped on demand, removed by close()."""

    def __init__(self, bindir: Path | None = None):
        self.bindir = bindir or find_bindir()
        for program in ("initdb", "pg_ctl", "postgres"):
            if not os.access(self.bindir / program, os.X_OK):
                raise PostgresNotAvailable(
                    f"{self.bindir / program} is missing: install Debian's `postgresql` package."
                )
        self.as_root = os.geteuid() == 0
        if self.as_root:
            if shutil.which("runuser") is None:
                raise PostgresNotAvailable("running as root needs `runuser` (util-linux) to start PostgreSQL as a user")
            try:
                pwd.getpwnam(SYSTEM_USER)
            except KeyError as error:
                raise PostgresNotAvailable(
                    f"running as root needs the `{SYSTEM_USER}` system user, which Debian's `postgresql` package "
                    "creates: install it (apt-get install postgresql)."
                ) from error
        self.folder: Path | None = None
        self.port: int | None = None
        self.process: subprocess.Popen | None = None

    # -- paths and addresses ------------------------------------------------------------------------------------

    @property
    def data_dir(self) -> Path:
        return self._folder() / "data"

    @property
    def socket_dir(self) -> Path:
        return self._folder()  # short path: a Unix socket's path is limited to 107 bytes

    @property
    def log_file(self) -> Path:
        return self._folder() / "server.log"

    def url(self, dbname: str = "postgres") -> str:
        if self.port is None:
            raise RuntimeError("the server has not been started")
        return f"postgresql://{SUPERUSER}@127.0.0.1:{self.port}/{dbname}"

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def _folder(self) -> Path:
        if self.folder is None:
            raise RuntimeError("the server has no folder yet: call start()")
        return self.folder

    # -- life cycle ---------------------------------------------------------------------------------------------

    def start(self) -> None:
        """Start the server (running initdb the first time); again after stop(), on the same folder and port."""
        if self.running:
            return
        if self.folder is None:
            self._init()
        if self.port is not None:
            self._launch(self.port)  # a restart keeps its address, so URLs handed out stay valid
            return
        for attempt in range(3):
            try:
                self._launch(_free_port())
                return
            except PostgresStartError as error:
                # Another process may take the port between probing and binding it: try another one.
                if "already in use" not in str(error) or attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def stop(self) -> None:
        """Fast shutdown (`pg_ctl stop -m fast`): open sessions are ended, committed data stays in the folder."""
        if not self.running:
            return
        self._run("pg_ctl", "stop", "-D", str(self.data_dir), "-m", "fast", "-w", "-t", "30")
        self.process.wait(timeout=30)
        self.process = None

    def close(self) -> None:
        """Stop the server and remove its folder."""
        try:
            self.stop()
        finally:
            if self.process is not None and self.process.poll() is None:
                self.process.kill()  # pg_ctl failed: do not leave a server behind
                self.process.wait(timeout=10)
            if self.folder is not None:
                shutil.rmtree(self.folder, ignore_errors=True)
                self.folder = None

    def __enter__(self) -> PostgresServer:
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- databases ----------------------------------------------------------------------------------------------

    def connect(self, dbname: str = "postgres", **kwargs) -> psycopg.Connection:
        return psycopg.connect(self.url(dbname), **kwargs)

    def create_database(self, name: str | None = None) -> str:
        """Create a fresh, empty database (a unique name unless one is given) and return its URL."""
        name = name or f"test_{uuid.uuid4().hex[:12]}"
        with self.connect(autocommit=True) as con:
            con.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        return self.url(name)

    def drop_database(self, name: str) -> None:
        """Drop a database, ending any session still open on it."""
        with self.connect(autocommit=True) as con:
            con.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))

    # -- internals ----------------------------------------------------------------------------------------------

    def _command(self, program: str, *args: str) -> list[str]:
        command = [str(self.bindir / program), *args]
        return ["runuser", "-u", SYSTEM_USER, "--", *command] if self.as_root else command

    def _run(self, program: str, *args: str) -> None:
        result = subprocess.run(
            self._command(program, *args), cwd=self._folder(), capture_output=True, text=True, check=False
        )
        if result.returncode != 0:
            raise PostgresStartError(
                f"{program} {' '.join(args)} failed with code {result.returncode}:\n{result.stdout}{result.stderr}"
            )

    def _init(self) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="pg-"))
        if self.as_root:
            shutil.chown(self.folder, user=SYSTEM_USER, group=SYSTEM_USER)
        try:
            # The C locale: the same text order on every machine (and the byte order DuckDB sorts by).
            self._run("initdb", "-D", str(self.data_dir), "--username", SUPERUSER, "--auth", "trust",
                      "--encoding", "UTF8", "--no-locale", "--no-sync")  # fmt: skip
        except BaseException:
            shutil.rmtree(self.folder, ignore_errors=True)
            self.folder = None
            raise

    def _launch(self, port: int) -> None:
        settings = {**SETTINGS, "port": str(port), "unix_socket_directories": str(self.socket_dir)}
        options = [arg for key, value in settings.items() for arg in ("-c", f"{key}={value}")]
        with open(self.log_file, "ab") as log:
            self.process = subprocess.Popen(
                self._command("postgres", "-D", str(self.data_dir), *options),
                cwd=self._folder(), stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            )  # fmt: skip
        self.port = port
        try:
            self._wait_until_ready()
        except BaseException:
            if self.process.poll() is None:
                self.process.kill()
                self.process.wait(timeout=10)
            self.process = None
            raise

    def _wait_until_ready(self) -> None:
        """Poll a real connection until the server accepts one (or has exited, or the time is up)."""
        deadline = time.monotonic() + READY_TIMEOUT
        while True:
            if self.process.poll() is not None:
                raise PostgresStartError(
                    f"PostgreSQL exited with code {self.process.returncode} on start:\n{self._log_tail()}"
                )
            try:
                with psycopg.connect(self.url(), connect_timeout=2):
                    return
            except psycopg.OperationalError as error:
                if time.monotonic() > deadline:
                    raise PostgresStartError(
                        f"PostgreSQL did not accept connections within {READY_TIMEOUT} s ({error}):\n{self._log_tail()}"
                    ) from error
            time.sleep(0.02)  # polling interval; the condition is an accepted connection

    def _log_tail(self, lines: int = 20) -> str:
        try:
            return "\n".join(self.log_file.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no server log)"
