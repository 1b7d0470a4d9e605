"""The command line on either backend: ``import``, ``quote`` and ``migrate`` with ``--db`` or
``REFUND_DESK_DB`` naming a file or a server URL, and a refused server in one line."""

from __future__ import annotations

import json

import pytest

from refund_desk.cli import main
from refund_desk.demo_data import write_reference_exports
from refund_desk.store.schema import HEAD_REVISION


def test_import_quote_and_migrate_by_db(db, tmp_path, capsys):
    exports = tmp_path / "bss"
    write_reference_exports(exports)
    assert main(["migrate", "--db", db.target]) == 0
    assert f"schema {HEAD_REVISION}, role operator" in capsys.readouterr().out
    assert main(["import", "--db", db.target, str(exports)]) == 0
    assert "orders added: 5" in capsys.readouterr().out
    code = main(["quote", "--db", db.target, "iot-cn-7pp2mhxqz01", "--cancel-at",
                 "2024-03-09T09:00:00+08:00", "--format", "json"])  # fmt: skip
    assert code == 0
    quote = json.loads(capsys.readouterr().out)
    assert quote["by_destination"] == {"alipay": "764.00"}
    assert quote["processed_by"] == "2024-03-12"


def test_refund_desk_db_names_the_database(db, tmp_path, capsys, monkeypatch):
    exports = tmp_path / "bss"
    write_reference_exports(exports)
    monkeypatch.setenv("REFUND_DESK_DB", db.target)
    assert main(["import", str(exports)]) == 0
    capsys.readouterr()
    code = main(["quote", "iot-cn-2mv7wq9e604", "--cancel-at", "2025-03-01T12:00+08:00",
                 "--format", "json"])  # fmt: skip
    assert code == 0
    assert json.loads(capsys.readouterr().out)["by_destination"] == {"account_balance": "804.94"}


@pytest.mark.parametrize("command", ["quote", "import", "migrate"])
def test_a_server_that_does_not_answer_is_one_line_without_the_password(command, capsys):
    url = "postgresql+psycopg://ana:pw-never-shown-7@127.0.0.1:1/refund_desk"
    args = {"quote": ["iot-cn-7pp2mhxqz01"], "import": ["nothing.json"], "migrate": []}[command]
    assert main([command, "--db", url, *args]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "pw-never-shown-7" not in err
    assert err.startswith(f"refund-desk {command}: cannot open postgresql+psycopg://ana:***@")
    assert "Connection refused" in err
