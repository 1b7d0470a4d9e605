"""Store test helpers: the project's own BSS fixtures, a fresh store per test on each backend,
dumps."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from refund_desk.store import open_store
from tests.helpers.databases import sqlite_digest, sqlite_dump

FIXTURES = Path(__file__).with_name("fixtures") / "bss"


@pytest.fixture(name="dump")
def dump_fixture():
    """``dump(db_path) -> str``: an SQLite database as SQL text (schema and rows)."""
    return sqlite_dump


@pytest.fixture(name="file_digest")
def file_digest_fixture():
    """``file_digest(db_path) -> str``: SHA-256 of an SQLite file and its WAL."""
    return sqlite_digest


@pytest.fixture
def fixtures_dir(tmp_path) -> Path:
    """A writable copy of the project's BSS fixtures (tests/store/fixtures/bss)."""
    target = tmp_path / "bss"
    shutil.copytree(FIXTURES, target)
    return target


@pytest.fixture
def db_path(tmp_path) -> Path:
    """An SQLite file for the tests that inspect SQLite itself (``sqlite_only``)."""
    return tmp_path / "desk.db"


@pytest.fixture
def store(db):
    """An open store on an empty database of the test's backend (``db``)."""
    s = open_store(db.target)
    yield s
    s.close()
