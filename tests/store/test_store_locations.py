"""Where the database is: in-memory and malformed locations, 0-byte and foreign files are refused
with one plain line (no URL repeated, nothing created in the current folder); a new database
appears whole or not at all."""

from __future__ import annotations

import os

import pytest

from refund_desk.cli import main
from refund_desk.demo_data import write_reference_exports
from refund_desk.errors import DatabaseError
from refund_desk.store import open_store
from refund_desk.store.db import to_url

pytestmark = pytest.mark.sqlite_only  # file paths and SQLite URLs


@pytest.fixture
def in_empty_folder(tmp_path, monkeypatch):
    folder = tmp_path / "cwd"
    folder.mkdir()
    monkeypatch.chdir(folder)
    return folder


@pytest.mark.parametrize(
    ("location", "words"),
    [
        ("sqlite://", "in-memory"),
        ("sqlite:///:memory:", "in-memory"),
        ("sqlite:///file::memory:?cache=shared", "in-memory"),
        ("sqlite:/x", "neither a file path nor a database URL"),
        ("::::", "neither a file path nor a database URL"),
        ("%s", "holds '%'"),
        ("desk-%Y.db", "holds '%'"),
        ("postgresql:desk", "neither a file path nor a database URL"),
        ("nosuchdialect://user:secret@host/db", "cannot use"),
        ("desk\n.db", "control character"),
        ("   ", "no database given"),
    ],
)
def test_bad_locations_are_refused_in_one_line_creating_nothing(
    capsys, in_empty_folder, tmp_path, monkeypatch, location, words
):
    exports = tmp_path / "bss"
    write_reference_exports(exports)
    monkeypatch.setenv("REFUND_DESK_DB", location)
    assert main(["import", str(exports)]) == 2
    captured = capsys.readouterr()
    (line,) = captured.err.strip().splitlines()
    assert line.startswith("refund-desk import: ") and words in line, line
    assert "secret" not in line and captured.out == ""
    assert list(in_empty_folder.iterdir()) == []


def test_windows_drive_paths_are_paths():
    assert to_url("C:\\desks\\desk.db").startswith("sqlite:///")
    assert to_url("C:/desks/desk.db").startswith("sqlite:///")


def test_a_zero_byte_file_is_refused_and_kept(capsys, tmp_path):
    empty = tmp_path / "desk.db"
    empty.write_bytes(b"")
    exports = tmp_path / "bss"
    write_reference_exports(exports)
    assert main(["import", "--db", str(empty), str(exports)]) == 2
    (line,) = capsys.readouterr().err.strip().splitlines()
    assert "empty file (0 bytes), not a Refund Desk database" in line
    assert empty.read_bytes() == b""


@pytest.mark.parametrize(
    "content",
    [b"these are not the tables you are looking for\n" * 200, os.urandom(8192)],
    ids=["text", "random"],
)
def test_a_foreign_file_is_refused_and_kept(capsys, tmp_path, content):
    foreign = tmp_path / "notes.db"
    foreign.write_bytes(content)
    assert main(["quote", "--db", str(foreign), "iot-cn-7pp2mhxqz01"]) == 2
    (line,) = capsys.readouterr().err.strip().splitlines()
    assert "not a database" in line and "Traceback" not in line
    assert foreign.read_bytes() == content


def test_a_new_database_appears_whole_with_its_role(tmp_path):
    path = tmp_path / "new" / "desk.db"
    store = open_store(path, role="training")
    try:
        assert store.role == "training" and store.get_meta("created_at")
    finally:
        store.close()
    assert sorted(p.name for p in path.parent.iterdir()) == ["desk.db"]  # no temporary left


def test_creation_never_replaces_a_database_made_meanwhile(tmp_path, monkeypatch):
    """Two desks creating the same new file: the second keeps the first one's database."""
    import refund_desk.store as store_module

    path = tmp_path / "desk.db"
    real = store_module._create_sqlite

    def racing(file, role, display):
        real(file, "demo", display)  # another desk wins the race…
        real(file, role, display)  # …then this one finishes its own

    monkeypatch.setattr(store_module, "_create_sqlite", racing)
    store = open_store(path, role="operator")
    try:
        assert store.role == "demo"
    finally:
        store.close()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["desk.db"]


def test_opening_without_create_names_the_missing_file(tmp_path):
    with pytest.raises(DatabaseError, match="no database at"):
        open_store(tmp_path / "none.db", create=False)
