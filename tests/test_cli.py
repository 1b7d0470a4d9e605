"""``refund-desk import`` and ``refund-desk quote`` end to end on the reference exports."""

from __future__ import annotations

import json

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


def _quote(capsys, db, *args):
    capsys.readouterr()
    code = main(["quote", "--db", str(db), *args, "--format", "json"])
    out = capsys.readouterr().out
    return code, json.loads(out) if code == 0 else out


@pytest.mark.parametrize(
    ("instance", "cancel_at", "destination", "refund", "processed_by", "credited", "flag"),
    [
        (
            "iot-cn-7pp2mhxqz01",
            "2024-03-09T09:00:00+08:00",
            "alipay",
            "764.00",
            "2024-03-12",
            None,
            None,
        ),
        (
            "iot-cn-0pp1lkd8x02",
            "2025-07-11T09:00:00+08:00",
            "online_banking",
            "308.00",
            "2025-07-15",
            ["2025-07-17", "2025-07-18"],
            "BORDERLINE-WINDOW",
        ),
        (
            "iot-cn-4kd0s8v1q03",
            "2019-06-01T10:00:00+08:00",
            "account_balance",
            "2350.00",
            "2019-06-04",
            None,
            "BORDERLINE-CUTOFF",
        ),
        (
            "iot-cn-2mv7wq9e604",
            "2025-03-01T12:00:00+08:00",
            "account_balance",
            "804.94",
            "2025-03-04",
            None,
            None,
        ),
    ],
)
def test_quote_json_for_the_reference_instances(
    capsys, reference_db, instance, cancel_at, destination, refund, processed_by, credited, flag
):
    code, data = _quote(capsys, reference_db, instance, "--cancel-at", cancel_at)
    assert code == 0
    assert data["outcome"] == "refundable"
    assert data["by_destination"] == {destination: refund}
    assert data["processed_by"] == processed_by
    assert data["credited_between"] == credited
    assert data["warnings"][0] == "WARN-RELEASE-DELETE"
    if flag:
        assert flag in data["flags"]
    assert data["policy"] == "iot-platform-refund" and data["policy_version"] == 1


def test_example_1_voucher_and_what_if_options(capsys, reference_db):
    _, data = _quote(
        capsys, reference_db, "iot-cn-7pp2mhxqz01", "--cancel-at", "2024-03-09T09:00:00+08:00"
    )
    (order,) = data["orders"]
    assert order["not_refundable"] == "200.00" and order["used_days"] == 59
    assert order["route"] == "original_method"
    _, data = _quote(
        capsys,
        reference_db,
        "iot-cn-7pp2mhxqz01",
        "--cancel-at",
        "2024-03-09T09:00:00+08:00",
        "--invoiced",
        "241559391310333",
    )
    assert data["by_destination"] == {"account_balance": "764.00"}
    assert data["advice"] == ["ADVICE-RETURN-INVOICE"]
    _, data = _quote(
        capsys,
        reference_db,
        "iot-cn-7pp2mhxqz01",
        "--cancel-at",
        "2024-03-09T09:00:00+08:00",
        "--original-failed",
        "241559391310333",
        "--discount",
        "241559391310333=0.5",
    )
    assert data["by_destination"] == {"account_balance": "882.00"}  # consumed 236 × 0.5
    assert "ROUTE-FALLBACK" in data["orders"][0]["rules"]


def test_time_without_offset_is_china_time_and_flagged(capsys, reference_db):
    _, data = _quote(capsys, reference_db, "iot-cn-7pp2mhxqz01", "--cancel-at", "2024-03-09 09:00")
    assert data["cancel_at"] == "2024-03-09T09:00:00+08:00"
    assert "ASSUMED-TZ" in data["flags"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["iot-cn-nope", "--cancel-at", "2024-03-09T09:00:00+08:00"], "no instance"),
        (["iot-cn-7pp2mhxqz01", "--cancel-at", "next tuesday"], "--cancel-at"),
        (["iot-cn-7pp2mhxqz01", "--discount", "241559391310333=1.5"], "--discount"),
        (["iot-cn-7pp2mhxqz01", "--discount", "nonsense"], "--discount"),
        (["iot-cn-7pp2mhxqz01", "--policy-version", "9"], "version 9"),
        (["iot-cn-7pp2mhxqz01", "--invoiced", "999999"], "no order 999999"),
        (["iot-cn-7pp2mhxqz01", "--cancel-at", "2024-01-01T00:00:00+08:00"], "first payment"),
    ],
)
def test_errors_exit_non_zero_with_one_line(capsys, reference_db, args, message):
    capsys.readouterr()
    assert main(["quote", "--db", str(reference_db), *args]) == 2
    err = capsys.readouterr().err
    assert message in err and len(err.strip().splitlines()) == 1


def test_quote_on_a_missing_database_is_an_error_not_a_new_file(capsys, tmp_path):
    missing = tmp_path / "nowhere.db"
    assert main(["quote", "--db", str(missing), "iot-cn-7pp2mhxqz01"]) == 2
    assert not missing.exists()
    assert capsys.readouterr().err.startswith("refund-desk quote:")


def test_demo_builds_once_and_says_when_it_keeps_the_existing_one(capsys, tmp_path):
    path = tmp_path / "demo.db"
    assert main(["demo", "--path", str(path)]) == 0
    assert capsys.readouterr().out.startswith("demo database: ")
    assert main(["demo", "--path", str(path)]) == 0
    assert "already exists, kept" in capsys.readouterr().out


def test_import_rejects_a_file_with_the_file_record_and_field_named(capsys, tmp_path):
    exports = tmp_path / "bss"
    write_reference_exports(exports)
    bad = exports / "orders" / "GetOrderDetail-241559391310333.json"
    bad.write_text(bad.read_text().replace('"OrderType": "New"', '"OrderType": "Convert"'))
    db = tmp_path / "desk.db"
    assert main(["import", "--db", str(db), str(bad)]) == 1
    out = capsys.readouterr().out
    assert "GetOrderDetail-241559391310333.json" in out and "OrderType" in out
    assert "files rejected: 1" in out


def test_text_of_a_blocked_quote_never_prints_a_total(capsys, tmp_path):
    exports = tmp_path / "bss"
    write_reference_exports(exports)
    (exports / "QueryAccountTransactions.json").unlink()  # no channel for any order
    db = tmp_path / "desk.db"
    assert main(["import", "--db", str(db), str(exports)]) == 0
    capsys.readouterr()
    args = ["iot-cn-7pp2mhxqz01", "--cancel-at", "2024-03-09T09:00:00+08:00"]
    assert main(["quote", "--db", str(db), *args]) == 0
    out = capsys.readouterr().out
    assert "NO TOTAL YET" in out and "Total refund" not in out and "BLOCKED" in out
    _, data = _quote(capsys, db, *args)
    assert data["complete"] is False and "WARN-ZERO-REFUND" not in data["warnings"]
