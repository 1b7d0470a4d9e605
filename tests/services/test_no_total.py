"""One home for "no total yet" (services.text): whether a quote has a total, which orders block
it and how that is said — the same for a Quote, its dict (also one stored before ``complete``
existed) and training's stated answer, in English and Chinese."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from refund_desk import wording
from refund_desk.policy import (
    CHINA_TZ,
    InstanceInput,
    InstanceKind,
    OrderInput,
    PaymentBreakdown,
    quote,
    quote_to_dict,
)
from refund_desk.services.text import (
    blocked_orders_words,
    blocking_reasons,
    blocking_reasons_words,
    no_total_yet,
)
from refund_desk.wording_phrases import blocking_words

CANCEL = datetime(2024, 3, 9, 9, tzinfo=CHINA_TZ)


def _order(order_id: str, paid: str, end: str, *, channel: str | None = "Alipay") -> OrderInput:
    def utc(text: str) -> datetime:
        return datetime.fromisoformat(text).replace(tzinfo=UTC)

    return OrderInput(
        order_id,
        ("iot-cn-t",),
        payment_time=utc(paid),
        usage_start=utc(paid),
        usage_end=utc(end),
        list_price=Decimal("1464.00"),
        breakdown=PaymentBreakdown(Decimal("1000.00")),
        channel=channel,
    )


def _quote(*orders: OrderInput):
    return quote(InstanceInput("iot-cn-t", InstanceKind.ENTERPRISE, "a", orders), CANCEL)


ONE = _order("1", "2024-01-10T02:00:00", "2025-01-10T02:00:00")
NO_CHANNEL = _order("2", "2024-02-10T02:00:00", "2025-02-10T02:00:00", channel=None)
ALSO_NO_CHANNEL = _order("3", "2024-02-11T02:00:00", "2025-02-11T02:00:00", channel=None)


@dataclass(frozen=True)
class _Stated:
    """Shaped as training's AnsweredQuote: an instance id and a total, nothing else."""

    instance_id: str
    total_refund: Decimal


def test_a_complete_quote_has_its_total_in_every_shape():
    q = _quote(ONE)
    assert q.complete
    for shape in (q, quote_to_dict(q), _Stated("iot-cn-t", Decimal("1.00"))):
        assert not no_total_yet(shape)
        assert blocking_reasons(shape) == ()
        assert blocking_reasons_words(shape) == ()


def test_a_blocked_quote_has_no_total_in_every_shape():
    q = _quote(ONE, NO_CHANNEL, ALSO_NO_CHANNEL)
    assert not q.complete and len(q.blocking) == 2
    data = quote_to_dict(q)
    older = {k: v for k, v in data.items() if k != "complete"}  # stored before ``complete``
    for shape in (q, data, older):
        assert no_total_yet(shape)
        assert blocking_reasons(shape) == q.blocking
        assert blocking_reasons_words(shape) == tuple(blocking_words(r) for r in q.blocking)
        assert blocked_orders_words(shape, "en") == "2 blocked orders"


def test_the_blocked_orders_in_a_language():
    one = _quote(ONE, NO_CHANNEL)
    assert blocked_orders_words(one, "en") == "1 blocked order"
    assert blocked_orders_words(one, "zh_CN") == "1 个受阻订单"
    assert blocking_reasons_words(one, "zh_CN") == tuple(
        blocking_words(r, "zh_CN") for r in one.blocking
    )
    # No language given: the window's.
    wording.set_language("zh_CN")
    try:
        assert blocked_orders_words(one) == "1 个受阻订单"
    finally:
        wording.set_language("en")
    with pytest.raises(ValueError):
        blocked_orders_words(one, "xx")


def test_the_smoke_line_says_it_in_the_window_language():
    from refund_desk.app import smoke_line

    blocked = _quote(ONE, NO_CHANNEL)
    assert smoke_line("u", blocked).endswith("outcome refundable, no total yet (1 blocked order)")
    wording.set_language("zh_CN")
    try:
        assert smoke_line("u", blocked).endswith("outcome refundable, 尚无合计（1 个受阻订单）")
    finally:
        wording.set_language("en")
