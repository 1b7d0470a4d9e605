"""Amounts from the exports: the importer's fast path for plain amounts agrees exactly with the
policy's parser (strings and JSON numbers), and everything else is judged by the parser."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from refund_desk.errors import ImportRejected
from refund_desk.policy.money import parse_amount, to_fen
from refund_desk.store.facts import Fields

amounts = st.decimals(min_value=0, max_value=Decimal("9999999999.99"), places=2)


@given(amount=amounts)
def test_plain_amount_strings_and_numbers_read_exactly(amount):
    text = str(amount)
    number = float(text)
    f = Fields("file.json", "OrderId 1", {"s": text, "n": number})
    assert f.fen("s") == to_fen(parse_amount(text)) == int(amount * 100)
    assert f.fen("n") == to_fen(parse_amount(number))


@pytest.mark.parametrize("value", ["-1.00", -0.5, "1.005", 1.005, "NaN", float("inf"), "1,000",
                                   "", True])  # fmt: skip
def test_other_values_are_rejected_with_the_field(value):
    f = Fields("file.json", "OrderId 1", {"Amount": value})
    with pytest.raises(ImportRejected) as caught:
        f.fen("Amount", required=True)
    assert caught.value.field == "Amount" and caught.value.record == "OrderId 1"


@given(fen=st.integers(min_value=0, max_value=10**15))
def test_stored_fen_read_back_as_the_policy_reads_them(fen):
    from refund_desk.policy.money import from_fen
    from refund_desk.store.repository import _money

    value = _money(fen)
    assert value == from_fen(fen) and str(value) == str(from_fen(fen))
