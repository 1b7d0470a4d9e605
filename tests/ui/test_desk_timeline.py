"""The timeline picture: drawn for every kind of quote, with the marks operators read."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from PySide6.QtGui import QColor

from refund_desk.policy import (
    CHINA_TZ,
    InstanceInput,
    InstanceKind,
    OrderInput,
    PaymentBreakdown,
    quote,
)
from refund_desk.ui import timeline_widget as tw


def _order(order_id, paid, start, end, channel="Alipay"):
    utc = lambda text: datetime.fromisoformat(text).replace(tzinfo=UTC)  # noqa: E731
    return OrderInput(
        order_id,
        ("iot-cn-t",),
        payment_time=utc(paid),
        usage_start=utc(start),
        usage_end=utc(end),
        list_price=Decimal("1464.00"),
        breakdown=PaymentBreakdown(Decimal("1000.00")),
        channel=channel,
    )


def colours(widget) -> set[str]:
    image = widget.grab().toImage()
    return {
        image.pixelColor(x, y).name()
        for x in range(0, image.width(), 2)
        for y in range(0, image.height(), 2)
    }


def test_lanes_and_marks_are_drawn(qtbot):
    widget = tw.TimelineWidget()
    qtbot.addWidget(widget)
    widget.resize(900, 200)
    orders = (
        _order("1", "2019-03-28T17:30:00", "2019-03-28T17:30:00", "2020-03-28T17:30:00"),
        _order(
            "2",
            "2020-03-20T02:00:00",
            "2020-03-28T17:30:00",
            "2021-03-28T17:30:00",
            channel="BankTransfer",
        ),
    )
    q = quote(
        InstanceInput("iot-cn-t", InstanceKind.ENTERPRISE, "a", orders),
        datetime(2019, 6, 1, 10, tzinfo=CHINA_TZ),
    )
    widget.set_quote(q)
    assert widget.height() == tw.TOP + 2 * tw.LANE_H + tw.BOTTOM
    seen = colours(widget)
    for colour in (tw.C_USED, tw.C_USAGE, tw.C_PAY, tw.C_WINDOW, tw.C_CANCEL, tw.C_ETA):
        assert QColor(colour).name() in seen, QColor(colour).name()


def test_empty_and_cleared(qtbot):
    widget = tw.TimelineWidget()
    qtbot.addWidget(widget)
    widget.set_quote(None)
    assert widget.height() == tw.TOP + tw.LANE_H + tw.BOTTOM
    assert not widget.grab().isNull()
