"""Malformed exports the parsers reject before any database is touched (store/bss.py,
store/csvfile.py): each rejection names the file, the record and the field."""

from __future__ import annotations

import pytest

from refund_desk.errors import ImportRejected
from refund_desk.store.bss import parse_bss
from refund_desk.store.csvfile import COLUMNS, parse_csv

HEADER = ",".join(COLUMNS)


def _row(**cells):
    return ",".join(cells.get(c, "") for c in COLUMNS)


@pytest.mark.parametrize(
    "data, message, field",
    [
        ({"OrderList": ["an order"]}, "Data.OrderList is not an object", "Data.OrderList"),
        (
            {"Items": {"Item": {"BillingItem": "x"}}},
            "Data.Items.Item is not a list",
            "Data.Items.Item",
        ),
    ],
)
def test_a_bss_export_of_the_wrong_shape_names_the_field(data, message, field):
    with pytest.raises(ImportRejected) as caught:
        parse_bss("export.json", {"Code": "Success", "Data": data})
    error = caught.value
    assert (error.file, error.record, error.field) == ("export.json", None, field)
    assert message in str(error)


@pytest.mark.parametrize(
    "outer, inner, message",
    [
        ("OrderList", "Order", "an order is not a JSON object"),
        ("Items", "Item", "a bill item is not a JSON object"),
        (
            "AccountTransactionsList",
            "AccountTransactionsList",
            "a transaction is not a JSON object",
        ),
    ],
)
def test_a_bss_record_that_is_not_an_object_is_named_by_its_position(outer, inner, message):
    doc = {"Code": "Success", "Data": {outer: {inner: [42]}}}
    with pytest.raises(ImportRejected) as caught:
        parse_bss("export.json", doc)
    error = caught.value
    assert (error.file, error.record) == ("export.json", "#1")
    assert message in str(error)


def test_a_csv_header_with_an_open_quote_is_rejected_at_line_1():
    with pytest.raises(ImportRejected) as caught:
        parse_csv("orders.csv", 'order_id,"instance_ids')
    error = caught.value
    assert (error.file, error.record) == ("orders.csv", "line 1")
    assert "not readable as CSV" in str(error)


def test_blank_csv_rows_are_skipped_and_later_lines_keep_their_numbers():
    text = "\n".join([HEADER, _row(), _row(account_id="2088000000000009", region="cn-shanghai")])
    with pytest.raises(ImportRejected) as caught:
        parse_csv("orders.csv", text + "\n")
    error = caught.value
    assert (error.file, error.record, error.field) == ("orders.csv", "line 3", "region")
    assert "needs an order_id or an instance" in str(error)


def test_a_csv_row_of_spaces_is_not_a_record_even_when_short():
    text = "\n".join([HEADER, " , ", _row(account_id="2088000000000009", account_name="Acme")])
    parsed = parse_csv("orders.csv", text + "\n")
    assert parsed.records == 1
    assert parsed.accounts == {"2088000000000009": "Acme"}


def test_a_csv_instance_declaration_names_exactly_one_instance():
    row = _row(instance_ids="iot-cn-csv00000001;iot-cn-csv00000002", instance_kind="enterprise")
    with pytest.raises(ImportRejected) as caught:
        parse_csv("orders.csv", f"{HEADER}\n{row}\n")
    error = caught.value
    assert (error.file, error.record, error.field) == ("orders.csv", "line 2", "instance_ids")
    assert "names exactly one instance" in str(error)
