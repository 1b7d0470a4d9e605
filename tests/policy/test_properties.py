"""Hypothesis properties of the quote engine (RULES.md §4)."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import datetime, timedelta
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from refund_desk.policy import (
    CHINA_TZ,
    InstanceInput,
    InstanceKind,
    OrderInput,
    OrderOptions,
    PaymentBreakdown,
    quote,
)

CHANNELS = ["Alipay", "BankTransfer", "AccountBalance", "CreditCard"]
money = st.integers(min_value=0, max_value=5_000_000).map(lambda fen: Decimal(fen) / 100)
moments = st.datetimes(min_value=datetime(2018, 1, 1), max_value=datetime(2026, 6, 30)).map(
    lambda d: d.replace(tzinfo=CHINA_TZ)
)


@st.composite
def orders(draw, idx: int) -> OrderInput:
    paid = draw(moments)
    start = paid + timedelta(minutes=draw(st.integers(0, 60 * 24 * 400)))
    length = timedelta(minutes=draw(st.integers(60 * 24, 60 * 24 * 1100)))
    return OrderInput(
        order_id=f"O{idx}",
        instance_ids=("iot-cn-prop",),
        order_type=draw(st.sampled_from(["New", "Renew", "Upgrade"])),
        payment_time=paid,
        usage_start=start,
        usage_end=start + length,
        list_price=draw(money),
        breakdown=PaymentBreakdown(draw(money), draw(money), draw(money), draw(money)),
        channel=draw(st.sampled_from(CHANNELS)),
        invoiced=draw(st.none() | st.booleans()),
    )


@st.composite
def instances(draw) -> InstanceInput:
    n = draw(st.integers(1, 3))
    return InstanceInput(
        "iot-cn-prop", InstanceKind.ENTERPRISE, "1", tuple(draw(orders(i)) for i in range(n))
    )


cancel_offsets = st.integers(0, 60 * 24 * 900).map(lambda m: timedelta(minutes=m))


def _first_paid(inst: InstanceInput) -> datetime:
    return min(o.payment_time for o in inst.orders)


@given(instances(), cancel_offsets)
def test_refund_never_exceeds_cash_plus_prepaid_card(inst, offset):
    q = quote(inst, _first_paid(inst) + offset)
    for oq, o in zip(
        q.orders, sorted(inst.orders, key=lambda o: (o.payment_time, o.order_id)), strict=True
    ):
        assert Decimal(0) <= oq.refund <= o.breakdown.cash + o.breakdown.prepaid_card
    assert q.total_refund <= sum(o.breakdown.basis for o in inst.orders)
    assert q.total_refund == sum(q.by_destination.values())


@given(instances(), cancel_offsets, money, money)
def test_vouchers_and_coupons_are_never_refunded(inst, offset, voucher, coupon):
    cancel = _first_paid(inst) + offset
    base = quote(inst, cancel)
    changed = InstanceInput(
        inst.instance_id,
        inst.kind,
        inst.account_id,
        tuple(
            replace(o, breakdown=replace(o.breakdown, voucher=voucher, coupon=coupon))
            for o in inst.orders
        ),
    )
    other = quote(changed, cancel)
    assert [oq.refund for oq in other.orders] == [oq.refund for oq in base.orders]
    included = sum(1 for oq in other.orders if oq.excluded is None)
    assert other.total_not_refundable == (voucher + coupon) * included


@given(instances(), cancel_offsets, cancel_offsets)
def test_a_later_cancellation_never_refunds_more(inst, first, extra):
    # Same orders at both times: from the last payment on (an order paid after a what-if
    # cancellation is left out of that quote, so earlier times can hold fewer orders).
    last_paid = max(o.payment_time for o in inst.orders)
    early = quote(inst, last_paid + first)
    late = quote(inst, last_paid + first + extra)
    assert late.total_refund <= early.total_refund
    for a, b in zip(early.orders, late.orders, strict=True):
        assert b.refund <= a.refund


@given(instances(), cancel_offsets, st.randoms(use_true_random=False))
def test_quote_does_not_depend_on_the_order_of_the_orders(inst, offset, rnd: random.Random):
    shuffled = list(inst.orders)
    rnd.shuffle(shuffled)
    cancel = _first_paid(inst) + offset
    a = quote(inst, cancel)
    b = quote(replace(inst, orders=tuple(shuffled)), cancel)
    assert a == b


@given(instances(), cancel_offsets)
def test_refund_plus_consumed_is_the_basis_when_consumed_fits(inst, offset):
    q = quote(inst, _first_paid(inst) + offset)
    for oq in q.orders:
        if oq.consumed_exact <= oq.basis:
            assert oq.refund + oq.consumed == oq.basis
        else:
            assert oq.refund == Decimal("0.00")


@given(instances(), cancel_offsets, st.decimals(min_value="0.01", max_value="1", places=2))
def test_a_discount_never_lowers_the_refund(inst, offset, factor):
    cancel = _first_paid(inst) + offset
    base = quote(inst, cancel)
    disc = quote(inst, cancel, {o.order_id: OrderOptions(discount=factor) for o in inst.orders})
    assert disc.total_refund >= base.total_refund
