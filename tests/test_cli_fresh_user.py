"""What a fresh user met on the command line, run as they ran it: the installed ``refund-desk``
in a subprocess, on a database built by a real import. A fresh import counts its orders as
added; ``--cancel-at now`` is read; a reader that stops early (``| head``) ends the command
quietly; a JSON error says "at" once; a usage error ends on its own clear line."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from refund_desk.demo_data import write_reference_exports
from refund_desk.policy import CHINA_TZ

EX1 = "iot-cn-7pp2mhxqz01"


def desk(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """``refund-desk ARGS`` as a user types it (the venv's entry point), stdout/stderr text."""
    return subprocess.run(
        [sys.executable, "-m", "refund_desk.cli", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONUNBUFFERED": ""},
        cwd=cwd,
    )


@pytest.fixture(scope="module")
def imported(tmp_path_factory) -> tuple[Path, subprocess.CompletedProcess]:
    folder = tmp_path_factory.mktemp("cli-fresh")
    write_reference_exports(folder / "bss")
    db = folder / "desk.db"
    return db, desk("import", "--db", str(db), str(folder / "bss"))


def test_a_fresh_import_counts_its_orders_as_added_not_updated(imported):
    db, run = imported
    assert run.returncode == 0, run.stderr
    # Ten files say things about five orders: each order is added once; the files that
    # complete it (bill, transactions) are part of adding it.
    assert run.stdout.splitlines()[:4] == [
        "files read: 10",
        "orders added: 5",
        "orders updated: 0",
        "orders unchanged: 0",
    ]


def test_cancel_at_now_is_read_as_china_time_now(imported):
    db, _ = imported
    before = datetime.now(CHINA_TZ).replace(microsecond=0)
    run = desk("quote", "--db", str(db), EX1, "--cancel-at", "now", "--format", "json")
    after = datetime.now(CHINA_TZ)
    assert run.returncode == 0, run.stderr
    quoted = json.loads(run.stdout)
    cancel_at = datetime.fromisoformat(quoted["cancel_at"])
    assert cancel_at.utcoffset() == timedelta(hours=8)
    assert before <= cancel_at <= after and cancel_at.microsecond == 0
    assert "ASSUMED-TZ" not in run.stdout  # "now" is a moment, not a time without its zone


def test_a_reader_that_stops_early_ends_the_command_quietly(imported):
    """``refund-desk quote … | head -1``: the reader closes the pipe before the desk writes."""
    db, _ = imported
    process = subprocess.Popen(
        [sys.executable, "-m", "refund_desk.cli", "quote", "--db", str(db), EX1,
         "--cancel-at", "2024-03-09 09:00"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )  # fmt: skip
    process.stdout.close()  # like head after its line: gone before the desk has written
    err = process.stderr.read().decode()
    code = process.wait(timeout=120)
    assert err == ""  # no traceback, no "Broken pipe"
    assert code == 141  # 128 + SIGPIPE, what a shell reports for a writer cut off


def test_head_through_a_shell_prints_the_first_line_and_nothing_else(imported, tmp_path):
    db, _ = imported
    run = subprocess.run(
        f'"{sys.executable}" -m refund_desk.cli quote --db "{db}" {EX1} '
        '--cancel-at "2024-03-09 09:00" | head -1',
        shell=True,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.stdout == f"Instance {EX1} (enterprise), account 1498573829450012\n"
    assert run.stderr == ""


def test_a_json_error_says_at_once(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_bytes(b'{"Data": "tab\x01"}')
    run = desk("import", "--db", str(tmp_path / "desk.db"), str(bad))
    assert run.returncode == 1
    assert (
        f"REJECTED {bad}: not valid JSON: Invalid control character at line 1, column 14"
        in run.stdout
    )
    assert "at at" not in run.stdout


def test_a_usage_error_keeps_the_usage_and_ends_on_a_clear_line():
    run = desk("quote")
    assert run.returncode == 2 and run.stdout == ""
    lines = run.stderr.splitlines()
    assert lines[0].startswith("usage: refund-desk quote [-h]")
    assert lines[-3:] == [
        "",
        "refund-desk quote: error: the following arguments are required: instance_id",
        "(see: refund-desk quote --help)",
    ]
