"""The timeline picture: drawn for every kind of quote, with the marks operators read."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtGui import QColor

from refund_desk.policy import (
    CHINA_TZ,
    InstanceInput,
    InstanceKind,
    quote,
)
from refund_desk.ui import timeline_widget as tw
from tests.helpers.desk_fixtures import order_input as _order


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


def assert_labels_clear(widget) -> None:
    """Every label drawn keeps clear of every vertical line and of every other label."""
    assert widget.drawn_labels, "no label drawn"
    for i, (rect, text) in enumerate(widget.drawn_labels):
        assert rect.left() >= 0 and rect.right() <= widget.width(), text
        for x, top, bottom in widget.drawn_lines:
            crosses = rect.left() < x < rect.right() and top < rect.bottom() and bottom > rect.top()
            assert not crosses, f"{text!r} crosses the line at x={x:.0f}"
        for other, other_text in widget.drawn_labels[i + 1 :]:
            assert not rect.intersects(other), f"{text!r} overlaps {other_text!r}"


def test_labels_never_cross_lines_or_each_other(qtbot):
    # The tester's case: paid 2024-01-10, cancelled 59 days later (the cancellation line sat on
    # "paid 2024-01-10"), the 548-day and 18-month marks one day apart at the right edge.
    widget = tw.TimelineWidget()
    qtbot.addWidget(widget)
    order = _order("241559391310333", "2024-01-10T02:00:00", "2024-01-10T02:00:00",
                   "2025-01-10T02:00:00")  # fmt: skip
    q = quote(
        InstanceInput("iot-cn-t", InstanceKind.ENTERPRISE, "a", (order,)),
        datetime(2024, 3, 9, 9, tzinfo=CHINA_TZ),
    )
    heights = {}
    for width in (900, 620, 440):
        widget.resize(width, 200)
        widget.set_quote(q)
        widget.grab()
        heights[width] = widget.height()
        assert_labels_clear(widget)
        texts = {text for _rect, text in widget.drawn_labels}
        assert "paid 2024-01-10" in texts and "cancel 2024-03-09" in texts, width
        if width >= 620:
            assert not widget.dropped_labels, widget.dropped_labels
            assert {"548 d 2025-07-11", "18 m 2025-07-10"} <= texts
    # A narrow picture wraps its key (never cut at the right edge); two rows fit above the
    # lanes, a third would move them down.
    widget.resize(900, 200)
    assert widget._legend_rows() == 1
    widget.resize(440, 200)
    assert widget._legend_rows() == 2 and heights[440] == heights[900]
    big = widget.font()
    big.setPointSizeF(big.pointSizeF() * 1.8)  # an operator's large system font
    widget.setFont(big)
    widget.set_quote(q)
    widget.grab()
    assert widget._legend_rows() >= 3 and widget.height() > heights[440]
    assert_labels_clear(widget)


def test_many_lanes_keep_labels_apart(qtbot):
    widget = tw.TimelineWidget()
    qtbot.addWidget(widget)
    orders = tuple(
        _order(str(n), f"2022-{n:02d}-01T02:00:00", f"2022-{n:02d}-01T02:00:00",
               f"2022-{n + 1:02d}-01T02:00:00")
        for n in range(1, 8)
    )  # fmt: skip
    q = quote(
        InstanceInput("iot-cn-t", InstanceKind.ENTERPRISE, "a", orders),
        datetime(2023, 8, 1, 12, tzinfo=CHINA_TZ),
    )
    widget.resize(890, 200)
    widget.set_quote(q)
    widget.grab()
    assert_labels_clear(widget)
    assert not widget.dropped_labels, widget.dropped_labels
