"""services.tickets: the ticket text carries everything the refund request needs."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from refund_desk.policy import (
    CHINA_TZ,
    InstanceInput,
    InstanceKind,
    OrderInput,
    PaymentBreakdown,
    quote,
    quote_to_dict,
)
from refund_desk.services.tickets import TicketContext, render_ticket


def _utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def example_2_and_unpaid():
    paid = OrderInput(
        "241559391310347",
        ("iot-cn-0pp1lkd8x02",),
        payment_time=_utc("2024-01-10T02:00:00"),
        usage_start=_utc("2024-01-10T02:00:00"),
        usage_end=_utc("2026-01-10T02:00:00"),
        list_price=Decimal("2924.00"),
        breakdown=PaymentBreakdown(Decimal("2500.00")),
        channel="BankTransfer",
    )
    unpaid = OrderInput("241559391310999", ("iot-cn-0pp1lkd8x02",), payment_status="Unpaid")
    instance = InstanceInput(
        "iot-cn-0pp1lkd8x02", InstanceKind.ENTERPRISE, "1498573829450012", (paid, unpaid)
    )
    return quote(instance, datetime(2025, 7, 11, 9, tzinfo=CHINA_TZ))


def test_ticket_has_every_part():
    q = example_2_and_unpaid()
    text = render_ticket(
        quote_to_dict(q),
        TicketContext(
            operator="Ana Li",
            recorded_at=datetime(2025, 7, 11, 1, 30, tzinfo=UTC),
            confirmation="The customer was told and agreed.",
            case_id=7,
        ),
    )
    for expected in (
        "Instance:      iot-cn-0pp1lkd8x02 (Enterprise Edition instance, subscription billing)",
        "Account:       1498573829450012",
        "Cancellation:  2025-07-11 09:00 China time",
        "Desk case:     #7",
        "241559391310347 (New, paid 2024-01-10): refund CNY 308.00 by original method to "
        "online-banking account used for payment; if that fails: Alibaba Cloud account balance",
        "consumed CNY 2,192.00 (548 of 731 days), not refundable CNY 0.00",
        "241559391310999 (New): not included",
        "online-banking account used for payment: CNY 308.00",
        "Total refund: CNY 308.00",
        "Not refundable (vouchers and coupons): CNY 0.00",
        "Processed by 2025-07-15 (ETA-PROCESS)",
        "Credited by the bank between 2025-07-17 and 2025-07-18 (ETA-BANK)",
        "WARN-RELEASE-DELETE — Instance released at once, all data deleted",
        "The customer was told and agreed.",
        "BORDERLINE-WINDOW",
        "Policy:        iot-platform-refund version 1",
        "Operator:      Ana Li",
        "Recorded:      2025-07-11 09:30 China time (2025-07-11 01:30 UTC)",
    ):
        assert expected in text, expected
    rule_line = next(line for line in text.splitlines() if line.startswith("Rule ids:"))
    for rule_id in q.all_ids:
        assert rule_id in rule_line


def test_ticket_is_rendered_from_the_stored_dict_alone():
    q = example_2_and_unpaid()
    data = quote_to_dict(q)
    ctx = TicketContext(operator="Ana", recorded_at=datetime(2025, 7, 11, tzinfo=UTC))
    import json

    assert render_ticket(json.loads(json.dumps(data)), ctx) == render_ticket(data, ctx)


def test_ticket_lists_the_what_if_inputs_the_operator_set_and_leaves_defaults_out():
    """The what-if inputs come back from the case's stored options (``options_from_json``):
    each set answer on a line of its own, the defaults (not asked, discount 1) left out."""
    q = example_2_and_unpaid()
    ctx = TicketContext(
        operator="Ana",
        recorded_at=datetime(2025, 7, 11, tzinfo=UTC),
        options={
            "241559391310347": {
                "invoiced": False,
                "marketplace": True,
                "original_failed": True,
                "discount": "0.85",
            },
            "241559391310999": {
                "invoiced": None,
                "marketplace": None,
                "original_failed": False,
                "discount": "1.00",
            },
        },
    )
    text = render_ticket(quote_to_dict(q), ctx)
    for expected in (
        "[order 241559391310347] invoice issued: no",
        "[order 241559391310347] bought on the cloud marketplace: yes",
        "[order 241559391310347] original-method refund failed: yes (ROUTE-FALLBACK)",
        "[order 241559391310347] discount factor for the used days: 0.85",
    ):
        assert expected in text, expected
    assert "[order 241559391310999]" not in text
