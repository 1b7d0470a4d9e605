"""Every error a user can meet on the command line is one plain line and a non-zero exit:
cancellation times the desk cannot quote, and database problems outside an import."""

from __future__ import annotations

import pytest

from refund_desk.cli import main
from refund_desk.demo_data import write_reference_exports


@pytest.fixture
def reference_db(tmp_path):
    exports = tmp_path / "bss"
    write_reference_exports(exports)
    db = tmp_path / "desk.db"
    assert main(["import", "--db", str(db), str(exports)]) == 0
    return db


@pytest.mark.parametrize(
    ("cancel_at", "words"),
    [
        ("2016-12-31T23:59:00+08:00", "no version of iot-platform-refund in force on 2016-12-31"),
        ("0001-01-01T00:00:00+08:00", "from 2017 to 2099"),
        ("9999-12-31T23:00:00+08:00", "after 2099"),
        ("2100-01-01T00:00:00+08:00", "after 2099"),
        ("2099-12-31T16:00:00Z", "after 2099"),  # 2100-01-01 00:00 China time
    ],
)
def test_quote_outside_the_quotable_years_is_one_line(capsys, reference_db, cancel_at, words):
    capsys.readouterr()
    code = main(
        ["quote", "--db", str(reference_db), "iot-cn-2mv7wq9e604", "--cancel-at", cancel_at]
    )
    assert code == 2
    captured = capsys.readouterr()
    (line,) = captured.err.strip().splitlines()
    assert line.startswith("refund-desk quote: --cancel-at: ") and words in line
    assert captured.out == ""


def test_the_last_quotable_day_is_quoted(capsys, reference_db):
    capsys.readouterr()
    args = ["iot-cn-2mv7wq9e604", "--cancel-at", "2099-12-31T23:59:00+08:00", "--format", "json"]
    assert main(["quote", "--db", str(reference_db), *args]) == 0
    assert '"ETA-CALENDAR-ESTIMATE"' in capsys.readouterr().out


def test_import_into_a_database_of_a_newer_desk_is_one_line(capsys, reference_db, tmp_path):
    import sqlite3

    conn = sqlite3.connect(reference_db)
    conn.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    conn.commit()
    conn.close()
    assert main(["import", "--db", str(reference_db), str(tmp_path / "bss")]) == 2
    (line,) = capsys.readouterr().err.strip().splitlines()
    assert "newer Refund Desk" in line
