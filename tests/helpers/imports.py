"""Helpers for import tests that need real processes: the desk's command line in a subprocess
(optionally with a file-size limit, i.e. a disk that fills up), a database file made read-only
for real, an import worker for two processes racing through a barrier, and the state of a
database file compared byte for byte."""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path


def run_desk(
    args: Sequence[str],
    *,
    file_size_limit: int | None = None,
    timeout: float = 300,
    env: dict[str, str] | None = None,
) -> subprocess.CompletedProcess:
    """``refund-desk ARGS…`` in a fresh Python process; returns the completed process (text
    stdout/stderr). ``file_size_limit``: bytes any file the process writes may grow to
    (``RLIMIT_FSIZE``, with ``SIGXFSZ`` ignored so a write past it fails as on a full disk)."""

    def limit() -> None:  # runs in the child, before exec
        import resource
        import signal

        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (file_size_limit, file_size_limit))

    return subprocess.run(
        [sys.executable, "-m", "refund_desk.cli", *map(str, args)],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env if env is not None else dict(os.environ),
        preexec_fn=limit if file_size_limit is not None else None,
    )


def db_state(db: Path) -> tuple[str, str]:
    """``(SQL dump, SHA-256 of the file and its WAL)`` of an SQLite database: equal states are
    equal row for row and byte for byte."""
    conn = sqlite3.connect(db)
    try:
        dump = "\n".join(conn.iterdump())
    finally:
        conn.close()
    digest = hashlib.sha256(db.read_bytes())
    wal = Path(str(db) + "-wal")
    if wal.exists():
        digest.update(wal.read_bytes())
    return dump, digest.hexdigest()


@contextmanager
def read_only(*paths: Path) -> Iterator[None]:
    """Make files (and folders) read-only for real while the block runs: ``chmod`` for a normal
    user; for root, whom permissions do not stop, the immutable attribute (``chattr +i``).
    Skips the test when neither is possible here."""
    import pytest

    if os.geteuid() != 0:
        modes = {p: p.stat().st_mode for p in paths}
        for p in paths:
            p.chmod(0o555 if p.is_dir() else 0o444)
        try:
            yield
        finally:
            for p, mode in modes.items():
                p.chmod(mode)
        return
    chattr = shutil.which("chattr")
    if chattr is None:
        pytest.skip("running as root without chattr: cannot make a file read-only for root")
    done = []
    try:
        for p in paths:
            if subprocess.run([chattr, "+i", str(p)], capture_output=True).returncode != 0:
                pytest.skip(f"chattr +i not supported on the file system of {p}")
            done.append(p)
        yield
    finally:
        for p in done:
            subprocess.run([chattr, "-i", str(p)], capture_output=True)


def import_worker(db: str, paths: list[str], actor: str, barrier, waiting, results) -> None:
    """One of two racing processes: open the store, meet the other at ``barrier``, import
    ``paths`` (``waiting`` is set while another writer holds the lock), put
    ``(actor, rejected files, added, updated, summary text)`` on ``results``."""
    from refund_desk.store import open_store
    from refund_desk.store.importer import import_paths

    store = open_store(db, create=False)
    try:
        barrier.wait(timeout=120)
        summary = import_paths(store, paths, actor=actor, waiting=lambda _s: waiting.set())
    finally:
        store.close()
    results.put((actor, len(summary.rejected), summary.added, summary.updated, summary.format()))
