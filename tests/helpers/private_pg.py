"""A private PostgreSQL server the tests (and ``benchmarks/bench_team.py``) may stop and start:
its own cluster in a temporary folder, on a free port, with trust authentication — never the
shared server on 127.0.0.1:5432 that other test runs use.

Needs the server binaries (``initdb``, ``pg_ctl``: Debian's ``postgresql-15`` puts them in
``/usr/lib/postgresql/15/bin``). PostgreSQL refuses to run as root: as root the cluster is
created and run as the ``postgres`` user (``runuser``).
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

MIN_VERSION = 15


def server_bin() -> Path | None:
    """The newest ``/usr/lib/postgresql/<version>/bin`` (version 15 or later) holding
    ``initdb`` and ``pg_ctl``, else ``$PG_BIN``, else None."""
    candidates = []
    if os.environ.get("PG_BIN"):
        candidates.append(Path(os.environ["PG_BIN"]))
    found = []
    for folder in glob.glob("/usr/lib/postgresql/*/bin"):
        try:
            version = int(Path(folder).parent.name)
        except ValueError:
            continue
        if version >= MIN_VERSION:
            found.append((version, Path(folder)))
    candidates += [folder for _v, folder in sorted(found, reverse=True)]
    for folder in candidates:
        if (folder / "initdb").exists() and (folder / "pg_ctl").exists():
            return folder
    return None


def unavailable_reason() -> str | None:
    """Why no private cluster can be made here (None when one can)."""
    if server_bin() is None:
        return (
            "no PostgreSQL server binaries (initdb, pg_ctl) in /usr/lib/postgresql/*/bin or "
            "$PG_BIN: install postgresql-15 to run the offline and restart tests"
        )
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            return "running as root and there is no 'postgres' user to run a private server as"
    return None


def free_port() -> int:
    """A TCP port nobody listens on now (127.0.0.1)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class PrivateCluster:
    """One private server: :meth:`start`, :meth:`stop` (fast shutdown: sessions are cut),
    :meth:`url`, :meth:`close` (stop and delete everything). ``folder`` (default: a new one in
    the system's temporary folder) must be reachable by the server's user: as root, not a
    folder under a private 0700 one such as pytest's ``tmp_path``."""

    def __init__(self, folder: Path | None = None):
        reason = unavailable_reason()
        if reason:
            raise RuntimeError(reason)
        self.bin = server_bin()
        self.folder = Path(folder or tempfile.mkdtemp(prefix="refund-desk-pg-"))
        self.data = self.folder / "data"
        self.sockets = self.folder / "sockets"
        self.log = self.folder / "server.log"
        self.port = free_port()
        self._as_postgres = os.geteuid() == 0
        self.sockets.mkdir(parents=True, exist_ok=True)
        if self._as_postgres:
            user = pwd.getpwnam("postgres")
            for path in (self.folder, self.sockets):
                os.chown(path, user.pw_uid, user.pw_gid)
        self._run(
            "initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8",
            "--locale=C.UTF-8", "--no-sync",
        )  # fmt: skip

    def _run(self, tool: str, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        command = [str(self.bin / tool), *args]
        if self._as_postgres:
            command = ["runuser", "-u", "postgres", "--", *command]
        return subprocess.run(command, capture_output=True, text=True, check=check, timeout=120)

    def start(self) -> None:
        """Start the server and wait until it accepts connections."""
        options = (
            f"-p {self.port} -k {self.sockets} -c listen_addresses=127.0.0.1 -c fsync=off "
            "-c max_connections=100"
        )
        self._run("pg_ctl", "-D", str(self.data), "-o", options, "-l", str(self.log), "-w",
                  "-t", "60", "start")  # fmt: skip

    def stop(self) -> None:
        """Stop the server (``-m fast``: every session is cut, as when a server goes down)."""
        self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "-t", "60", "stop")

    def running(self) -> bool:
        """The server runs."""
        return self._run("pg_ctl", "-D", str(self.data), "status", check=False).returncode == 0

    def url(self, database: str = "postgres") -> str:
        """The SQLAlchemy URL of ``database`` on this server (user ``postgres``)."""
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def create_database(self, name: str) -> str:
        """Create database ``name``; returns its URL."""
        import psycopg

        with psycopg.connect(
            f"postgresql://postgres@127.0.0.1:{self.port}/postgres", autocommit=True
        ) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def close(self) -> None:
        """Stop the server (if running) and delete its folder."""
        try:
            if self.data.exists() and self.running():
                self.stop()
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)
