"""The what-if options' JSON has one home (``policy.serialize``), both ways: the full shape a
case stores and the sparse shape a training pack writes."""

from __future__ import annotations

from decimal import Decimal

from refund_desk.policy import OrderOptions
from refund_desk.policy.serialize import (
    options_from_json,
    options_to_json,
    order_options_to_json,
)

OPTIONS = {
    "O2": OrderOptions(original_failed=True),
    "O1": OrderOptions(invoiced=True, marketplace=False, discount=Decimal("0.85")),
}


def test_a_case_stores_every_key_in_order_id_order_and_reads_it_back():
    data = options_to_json(OPTIONS)
    assert list(data) == ["O1", "O2"]
    assert data["O1"] == {
        "invoiced": True,
        "marketplace": False,
        "original_failed": False,
        "discount": "0.85",
    }
    assert data["O2"] == {
        "invoiced": None,
        "marketplace": None,
        "original_failed": True,
        "discount": "1",
    }
    assert options_from_json(data) == OPTIONS
    assert options_to_json(None) == {} and options_from_json(None) == {}


def test_missing_keys_take_their_defaults():
    assert options_from_json({"O1": {}}) == {"O1": OrderOptions()}


def test_a_pack_writes_only_what_differs_from_the_defaults():
    assert order_options_to_json(OrderOptions(), sparse=True) == {}
    assert order_options_to_json(OPTIONS["O1"], sparse=True) == {
        "invoiced": True,
        "marketplace": False,
        "discount": "0.85",
    }
    assert order_options_to_json(OPTIONS["O2"], sparse=True) == {"original_failed": True}
