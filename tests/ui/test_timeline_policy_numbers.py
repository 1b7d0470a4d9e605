"""The timeline's numbers are the policy definition's the quote was made under (issue 15): a
later version with other numbers shows its own window days, months and cut-off."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from decimal import Decimal

from refund_desk.policy import (
    CHINA_TZ,
    IOT_PLATFORM_REFUND_V1,
    POLICIES,
    InstanceInput,
    InstanceKind,
    OrderInput,
    PaymentBreakdown,
    quote,
)
from refund_desk.ui import timeline_widget as tw

V2 = replace(
    IOT_PLATFORM_REFUND_V1,
    version=2,
    effective_from=date(2030, 1, 1),
    cutoff_date=date(2020, 6, 30),
    window_days=400,
    window_months=13,
)


def test_a_later_version_draws_its_own_numbers(qtbot, monkeypatch):
    monkeypatch.setitem(POLICIES, (V2.policy_id, V2.version), V2)
    widget = tw.TimelineWidget()
    qtbot.addWidget(widget)
    widget.resize(900, 200)
    assert "548-day window" in widget.toolTip()
    paid = datetime(2020, 9, 1, 2, tzinfo=UTC)
    order = OrderInput(
        "1",
        ("iot-cn-t",),
        payment_time=paid,
        usage_start=paid,
        usage_end=datetime(2022, 9, 1, 2, tzinfo=UTC),
        list_price=Decimal("1464.00"),
        breakdown=PaymentBreakdown(Decimal("1000.00")),
        channel="Alipay",
    )
    q = quote(
        InstanceInput("iot-cn-t", InstanceKind.ENTERPRISE, "a", (order,)),
        datetime(2020, 10, 1, 10, tzinfo=CHINA_TZ),
        policy=V2,
    )
    widget.set_quote(q)
    widget.grab()
    labels = [text for _, text in widget.drawn_labels] + widget.dropped_labels
    assert "400 d 2021-10-06" in labels and "13 m 2021-10-01" in labels, labels
    assert "cut-off 2020-06-30" in labels, labels
    assert not any("548" in text or text.startswith("18 m") for text in labels)
    assert "400-day window" in widget.toolTip() and "13 calendar months" in widget.toolTip()
    legend = [words for _, words, _ in tw.legend(V2)]
    assert "400-day window end" in legend and "13 months end" in legend
