"""Every rejection path names the file, the record and the field, and leaves the database
unchanged: on SQLite byte for byte (an SQL dump and the file bytes), on PostgreSQL every table,
index, trigger and row (the dump of its schema). Each test runs on both backends."""

from __future__ import annotations

import json

import pytest

from refund_desk.errors import ImportRejected
from refund_desk.store import open_store
from refund_desk.store.importer import import_file, import_paths

DETAIL = "orders/GetOrderDetail-241559391310333.json"
BILL = "QueryBill-2024-01.json"
TXNS = "QueryAccountTransactions.json"
OID = "OrderId 241559391310333"
RID = "RecordID 241559391310333"


def _order(doc):
    return doc["Data"]["OrderList"]["Order"][0]


def _item(doc):
    return doc["Data"]["Items"]["Item"][0]


def _txn(doc):
    return doc["Data"]["AccountTransactionsList"]["AccountTransactionsList"][0]


def _drop(key):
    return lambda rec: rec.pop(key)


def _set(key, value):
    return lambda rec: rec.__setitem__(key, value)


# (id, file, record getter, mutation, expected record, expected field, words in the message)
JSON_CASES = [
    ("order-without-OrderId", DETAIL, _order, _drop("OrderId"), "#1", "OrderId", "missing"),
    ("paid-order-without-PaymentTime", DETAIL, _order, _drop("PaymentTime"), OID,
     "PaymentTime", "missing"),
    ("paid-order-with-empty-PaymentTime", DETAIL, _order, _set("PaymentTime", ""), OID,
     "PaymentTime", "empty"),
    ("unparsable-date", DETAIL, _order, _set("PaymentTime", "2024-13-45T00:00:00Z"), OID,
     "PaymentTime", "ISO-8601"),
    ("unparsable-amount", DETAIL, _order, _set("PretaxGrossAmount", "1,464.00"), OID,
     "PretaxGrossAmount", "not an amount"),
    ("amount-finer-than-fen", DETAIL, _order, _set("PretaxGrossAmount", "1464.005"), OID,
     "PretaxGrossAmount", "finer than the fen"),
    ("usage-ends-before-start", DETAIL, _order,
     _set("UsageEndTime", "2023-01-10T02:00:00Z"), OID, "UsageEndTime", "before it starts"),
    ("invalid-currency", DETAIL, _order, _set("Currency", "RMB"), OID, "Currency", "ISO 4217"),
    ("missing-instance-ids", DETAIL, _order, _drop("InstanceIDs"), OID, "InstanceIDs", "missing"),
    ("bad-json-list-of-instances", DETAIL, _order,
     lambda r: r.update(InstanceIds='["iot-a", ', InstanceIDs=None) or r.pop("InstanceIDs"),
     OID, "InstanceIds", "JSON list"),
    ("missing-OrderType", DETAIL, _order, _drop("OrderType"), OID, "OrderType", "missing"),
    ("unknown-OrderType", DETAIL, _order, _set("OrderType", "Convert"), OID, "OrderType",
     "not one of New, Renew, Upgrade"),
    ("unknown-SubscriptionType", DETAIL, _order, _set("SubscriptionType", "Foo"), OID,
     "SubscriptionType", "not one of"),
    ("empty-instance-ids", DETAIL, _order, _set("InstanceIDs", ""), OID, "InstanceIDs",
     "names no instance"),
    ("huge-list-price", DETAIL, _order, _set("PretaxGrossAmount", "9" * 40), OID,
     "PretaxGrossAmount", "too large"),
    ("bill-amount-1e308", BILL, _item, _set("PaymentAmount", 1e308), RID, "PaymentAmount",
     "too large"),
    ("bill-amount-over-int64-fen", BILL, _item, _set("PaymentAmount", 92233720368547758.08),
     RID, "PaymentAmount", "too large"),
    ("bill-without-RecordID", BILL, _item, _drop("RecordID"), "#1", "RecordID", "missing"),
    ("bill-negative-amount", BILL, _item, _set("PaymentAmount", -5.0), RID, "PaymentAmount",
     "negative"),
    ("bill-amount-as-text", BILL, _item, _set("DeductedByCashCoupons", "two hundred"), RID,
     "DeductedByCashCoupons", "not an amount"),
    ("bill-without-voucher-field", BILL, _item, _drop("DeductedByCashCoupons"), RID,
     "DeductedByCashCoupons", "missing"),
    ("bill-invalid-currency", BILL, _item, _set("Currency", "XXQ"), RID, "Currency", "ISO 4217"),
    ("bill-usage-backwards", BILL, _item, _set("UsageStartTime", "2026-01-01T00:00:00Z"), RID,
     "UsageEndTime", "before it starts"),
    ("bill-paid-without-PaymentTime", BILL, _item, _drop("PaymentTime"), RID, "PaymentTime",
     "missing"),
    ("transaction-without-channel", TXNS, _txn, _drop("TransactionChannel"),
     "TransactionNumber TX241559391310333", "TransactionChannel", "missing"),
    ("transaction-bad-time", TXNS, _txn, _set("TransactionTime", "yesterday"),
     "TransactionNumber TX241559391310333", "TransactionTime", "ISO-8601"),
    ("transaction-bad-amount", TXNS, _txn, _set("Amount", "1000.00 CNY"),
     "TransactionNumber TX241559391310333", "Amount", "not an amount"),
]  # fmt: skip


def _prepared(db, fixtures_dir):
    s = open_store(db.target)
    assert not import_paths(s, [fixtures_dir], actor="setup").rejected
    s.close()
    return db.dump(), db.digest()


def _import_and_check(db, path, before) -> ImportRejected:
    s = open_store(db.target)
    summary = import_paths(s, [path], actor="test")
    s.close()
    assert len(summary.rejected) == 1
    assert summary.added == summary.updated == summary.unchanged == 0
    assert db.dump() == before[0]
    assert db.digest() == before[1]
    return summary.rejected[0].error


@pytest.mark.parametrize(
    ("name", "file", "get", "mutate", "record", "field", "words"),
    JSON_CASES,
    ids=[c[0] for c in JSON_CASES],
)
def test_bad_record_rejects_the_file_and_changes_nothing(
    db, fixtures_dir, name, file, get, mutate, record, field, words
):
    before = _prepared(db, fixtures_dir)
    path = fixtures_dir / file
    doc = json.loads(path.read_text())
    # make the file also say something new, so a partial write would show
    if file == DETAIL:
        _order(doc)["Region"] = "cn-beijing"
    mutate(get(doc))
    path.write_text(json.dumps(doc, indent=2))
    error = _import_and_check(db, path, before)
    assert error.file == str(path)
    assert error.record == record
    assert error.field == field
    assert words in str(error)
    assert str(path) in str(error) and field in str(error)


@pytest.mark.parametrize("value", ["NaN", "Infinity", "-Infinity"])
def test_non_finite_amounts_are_rejected(db, fixtures_dir, value):
    before = _prepared(db, fixtures_dir)
    path = fixtures_dir / BILL
    text = path.read_text().replace('"PaymentAmount": 1000.0', f'"PaymentAmount": {value}', 1)
    assert value in text
    path.write_text(text)
    error = _import_and_check(db, path, before)
    assert error.field == "PaymentAmount" and error.record == RID


WHOLE_FILE_CASES = [
    ("not-json", b"{\"Code\": \"Success\", ", "not valid JSON"),
    ("json-but-a-list", b"[1, 2, 3]", "not a BSS OpenAPI response"),
    ("unknown-export", json.dumps({"Code": "Success", "Success": True,
                                   "Data": {"Instances": []}}).encode(), "not one of the known"),
    ("api-error-response", json.dumps({"Code": "InvalidAccountStatus.NotEnoughBalance",
                                       "Message": "Your account does not have enough balance.",
                                       "RequestId": "X", "Success": False}).encode(),
     "API error response"),
    ("success-false", json.dumps({"Code": "Success", "Success": False, "Data": {}}).encode(),
     "API error response"),
    ("not-utf8", "{\"Data\": \"\u4e2d\"}".encode("gb18030"), "not UTF-8"),
    ("empty-file", b"", "not JSON"),
]  # fmt: skip


@pytest.mark.parametrize(("name", "content", "words"), WHOLE_FILE_CASES,
                         ids=[c[0] for c in WHOLE_FILE_CASES])  # fmt: skip
def test_malformed_files_are_rejected_whole(db, fixtures_dir, tmp_path, name, content, words):
    before = _prepared(db, fixtures_dir)
    path = tmp_path / f"{name}.json"
    path.write_bytes(content)
    error = _import_and_check(db, path, before)
    assert words in error.reason and error.file == str(path)


def test_missing_path_is_rejected(db, fixtures_dir, tmp_path):
    before = _prepared(db, fixtures_dir)
    error = _import_and_check(db, tmp_path / "nowhere.json", before)
    assert "no such file" in str(error)


def test_a_bad_record_after_good_ones_rejects_the_good_ones_too(db, fixtures_dir):
    before = _prepared(db, fixtures_dir)
    path = fixtures_dir / DETAIL
    doc = json.loads(path.read_text())
    good = dict(_order(doc), OrderId="241559391319998")
    bad = dict(_order(doc), OrderId="241559391319996", PaymentTime="not a time")
    doc["Data"]["OrderList"]["Order"] = [good, bad]
    path.write_text(json.dumps(doc))
    error = _import_and_check(db, path, before)
    assert error.record == "OrderId 241559391319996" and error.field == "PaymentTime"
    s = open_store(db.target)
    assert s.get_order("241559391319998") is None
    s.close()


def test_good_files_next_to_a_bad_one_are_imported(store, fixtures_dir, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("[]")
    summary = import_paths(store, [bad, fixtures_dir], actor="test")
    assert [r.rejected for r in summary.files][:2] == [True, False]
    assert summary.added == 5 and len(summary.rejected) == 1


def test_import_file_raises_the_rejection(store, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("nope")
    with pytest.raises(ImportRejected, match="bad.json"):
        import_file(store, bad, actor="test")
    assert store.counts()["orders"] == 0 and store.counts()["audit"] == 0


def test_rejection_into_an_empty_database_writes_nothing(db, tmp_path):
    open_store(db.target).close()
    before = db.dump(), db.digest()
    bad = tmp_path / "bad.json"
    bad.write_text('{"Code": "Success", "Success": true, "Data": {"OrderList": {"Order": [{}]}}}')
    error = _import_and_check(db, bad, before)
    assert error.field == "OrderId"


def test_a_database_failure_rolls_the_batch_back_and_reports_every_file(
    db, fixtures_dir, tmp_path, monkeypatch
):
    from sqlalchemy.exc import OperationalError

    import refund_desk.store.importer as importer

    s = open_store(db.target)
    import_paths(s, [fixtures_dir / "QueryBill-2024-01.json"], actor="setup")
    s.close()
    before = db.dump(), db.digest()
    real_insert = importer.bulk_insert
    calls = []

    def failing_insert(conn, table, rows):
        calls.append(table.name)
        if table.name == "orders":
            raise OperationalError("INSERT", {}, Exception("database or disk is full"))
        return real_insert(conn, table, rows)

    monkeypatch.setattr(importer, "bulk_insert", failing_insert)
    s = open_store(db.target)
    summary = import_paths(s, [fixtures_dir], actor="test")
    s.close()
    assert "accounts" in calls or "instances" in calls  # something was written before the failure
    assert len(summary.rejected) == summary.files_read == 10
    assert all("disk is full" in str(r.error) for r in summary.rejected)
    assert summary.added == summary.updated == 0
    assert (db.dump(), db.digest()) == before
