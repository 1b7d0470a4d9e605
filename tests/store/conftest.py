"""Store test helpers: the project's own BSS fixtures, a fresh SQLite store per test, dumps."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
from pathlib import Path

import pytest

from refund_desk.store import open_store

FIXTURES = Path(__file__).with_name("fixtures") / "bss"


def dump(db_path: Path) -> str:
    """Every table's schema and rows (``iterdump``), read through a separate connection."""
    conn = sqlite3.connect(db_path)
    try:
        return "\n".join(conn.iterdump())
    finally:
        conn.close()


def file_digest(db_path: Path) -> str:
    """SHA-256 of the database file and its WAL (if any)."""
    digest = hashlib.sha256(db_path.read_bytes())
    wal = Path(str(db_path) + "-wal")
    if wal.exists():
        digest.update(wal.read_bytes())
    return digest.hexdigest()


@pytest.fixture(name="dump")
def dump_fixture():
    """``dump(db_path) -> str``: the database as SQL text (schema and rows)."""
    return dump


@pytest.fixture(name="file_digest")
def file_digest_fixture():
    """``file_digest(db_path) -> str``: SHA-256 of the file and its WAL."""
    return file_digest


@pytest.fixture
def fixtures_dir(tmp_path) -> Path:
    """A writable copy of the project's BSS fixtures (tests/store/fixtures/bss)."""
    target = tmp_path / "bss"
    shutil.copytree(FIXTURES, target)
    return target


@pytest.fixture
def db_path(tmp_path) -> Path:
    return tmp_path / "desk.db"


@pytest.fixture
def store(db_path):
    s = open_store(db_path)
    yield s
    s.close()
