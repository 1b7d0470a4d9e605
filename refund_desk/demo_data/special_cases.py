"""The demo's special instances, on an account of their own: the RULES.md boundary cases (the
cut-off day, day 548/549, China dates), the special shapes (voucher-only, credit card, invoiced,
marketplace, USD, missing breakdown or channel, a pending renewal, an order naming two
instances, an order from CSV), a scenario for each kind, a refunded and a released instance
(RULES.md §7), and the invoice/marketplace facts as CSV rows."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from decimal import Decimal
from typing import Any

from .orders import TWO, DemoDataset, GenOrder, GenRefund, Scenario, china, utc
from .random_orders import Ids, add_months


def add_special_instances(data: DemoDataset, ids: Ids, first_random: int) -> None:
    """Add the special instances, their scenarios and the CSV fact rows to ``data``.

    Args:
        data: the demo data so far (reference and generated accounts), extended in place.
        ids: the seeded id source the generated accounts used (the ids continue its sequence).
        first_random: index in ``data.orders`` of the first generated (non-reference) order.
    """
    # The boundary cases and special shapes, on instances of their own.
    special_account = ids.account()
    data.csv_rows.append(
        {"account_id": special_account, "account_name": "Clear Sky Test Bench Co., Ltd."}
    )

    def special(
        note: str,
        paid_utc: str,
        months: int,
        cash: str,
        *,
        cancel: str,
        channel: str | None = "Alipay",
        **extra: Any,
    ) -> str:
        instance_id = ids.instance()
        paid = utc(paid_utc)
        end = add_months(paid, months)
        list_price = Decimal(cash) * Decimal("1.2")
        order = GenOrder(ids.order(), (instance_id,), special_account, "New", "Subscription",
                         "Paid", paid, paid, paid, end, list_price.quantize(TWO), Decimal(cash),
                         channel=channel)  # fmt: skip
        data.orders.append(replace(order, **extra))
        data.scenarios.append(Scenario(instance_id, china(cancel), note))
        return instance_id

    special(
        "paid 2019-03-28 23:59 China time: before the cut-off (ROUTE-LATE)",
        "2019-03-28T15:59:00Z",
        12,
        "1200.00",
        cancel="2019-05-10T10:00",
    )
    special(
        "paid 2019-03-29 00:00 China time: on the cut-off day (BORDERLINE-CUTOFF)",
        "2019-03-28T16:00:00Z",
        12,
        "1200.00",
        cancel="2019-05-10T10:00",
    )
    special(
        "paid 2019-03-29 23:59 China time: on the cut-off day (BORDERLINE-CUTOFF)",
        "2019-03-29T15:59:00Z",
        12,
        "1200.00",
        cancel="2019-05-10T10:00",
    )
    special(
        "paid 2019-03-30 00:00 China time: after the cut-off (ROUTE-ORIGINAL)",
        "2019-03-29T16:00:00Z",
        12,
        "1200.00",
        cancel="2019-05-10T10:00",
    )
    window = special(
        "36-month order: cancelled on day 548 (inside the window)",
        "2023-06-01T02:00:00Z",
        36,
        "5400.00",
        cancel="2024-11-30T10:00",
        channel="BankTransfer",
    )
    data.scenarios.append(
        Scenario(
            window,
            china("2024-12-01T10:00"),
            "same order cancelled on day 549: ROUTE-LATE with BORDERLINE-WINDOW",
        )
    )
    special(
        "paid 2024-03-01 00:30 China time (2024-02-29 16:30 UTC): dates are China dates",
        "2024-02-29T16:30:00Z",
        12,
        "2400.00",
        cancel="2024-04-01T09:00",
    )
    special(
        "paid entirely with a voucher: WARN-ZERO-REFUND",
        "2024-05-06T03:00:00Z",
        12,
        "0.00",
        cancel="2024-06-01T10:00",
        voucher=Decimal("1800.00"),
        list_price=Decimal("2160.00"),  # the voucher paid for something: never over its price
        channel="AccountBalance",
    )
    special(
        "paid by credit card: CHANNEL-UNLISTED",
        "2024-08-08T08:00:00Z",
        12,
        "960.00",
        cancel="2024-10-01T10:00",
        channel="CreditCard",
    )
    special(
        "invoice issued: ROUTE-INVOICED to account balance",
        "2024-04-02T06:00:00Z",
        12,
        "3000.00",
        cancel="2024-09-02T10:00",
        invoiced=True,
        marketplace=False,
    )
    special(
        "bought on the marketplace with an invoice: still ROUTE-ORIGINAL",
        "2024-04-03T06:00:00Z",
        12,
        "3000.00",
        cancel="2024-09-02T10:00",
        invoiced=True,
        marketplace=True,
    )
    special(
        "paid in USD: excluded (OTHER_CURRENCY)",
        "2024-07-01T01:00:00Z",
        12,
        "700.00",
        cancel="2024-09-01T10:00",
        currency="USD",
        channel="CreditCard",
    )
    special(
        "breakdown not imported: DATA-MISSING, blocked",
        "2024-09-09T09:00:00Z",
        12,
        "1500.00",
        cancel="2024-10-09T10:00",
        in_bill=False,
    )
    special(
        "channel not imported: DATA-MISSING, blocked",
        "2024-09-10T09:00:00Z",
        12,
        "1500.00",
        cancel="2024-10-09T10:00",
        channel=None,
    )

    # A renewal paid ahead and not started at the cancellation (AMOUNT-PENDING-RENEWAL).
    pending = special(
        "renewal paid ahead, not started: refunded whole",
        "2024-01-15T02:00:00Z",
        12,
        "3600.00",
        cancel="2025-01-10T10:00",
    )
    first = data.orders[-1]
    assert first.usage_end is not None
    renew_paid = first.usage_end - timedelta(days=10)
    data.orders.append(
        GenOrder(ids.order(), (pending,), special_account, "Renew", "Subscription", "Paid",
                 renew_paid, renew_paid, first.usage_end, add_months(first.usage_end, 12),
                 Decimal("4320.00"), Decimal("3600.00"), channel="Alipay")
    )  # fmt: skip

    # One order naming two instances (excluded: the money cannot be split).
    twin_a, twin_b = ids.instance(), ids.instance()
    paid = utc("2024-02-20T02:00:00Z")
    for instance_id in (twin_a, twin_b):
        data.orders.append(
            GenOrder(ids.order(), (instance_id,), special_account, "New", "Subscription", "Paid",
                     paid, paid, paid, add_months(paid, 12), Decimal("1200.00"),
                     Decimal("1000.00"), channel="Alipay")
        )  # fmt: skip
    data.orders.append(
        GenOrder(ids.order(), (twin_a, twin_b), special_account, "Upgrade", "Subscription",
                 "Paid", paid + timedelta(days=30), paid + timedelta(days=30),
                 paid + timedelta(days=30), add_months(paid, 12), Decimal("800.00"),
                 Decimal("800.00"), channel="Alipay", ids_field="InstanceIds")
    )  # fmt: skip
    data.scenarios.append(
        Scenario(twin_a, china("2024-06-01T10:00"), "an order naming two instances: blocked")
    )

    # An order recorded outside BSS (CSV, times without offset: ASSUMED-TZ).
    offline = ids.instance()
    offline_order = ids.order()
    data.csv_rows.append(
        {"order_id": offline_order, "instance_ids": offline, "account_id": special_account,
         "instance_kind": "enterprise", "order_type": "New", "payment_status": "Paid",
         "currency": "CNY", "payment_time": "2024-06-18 10:00", "usage_start": "2024-06-18 10:00",
         "usage_end": "2025-06-18 10:00", "list_price": "3650.00", "cash": "3000.00",
         "channel": "OfflineRemittance", "invoiced": "no", "marketplace": "no"}
    )  # fmt: skip
    data.scenarios.append(
        Scenario(offline, china("2024-08-01T10:00"), "order from CSV, times read as China time")
    )

    # A scenario for each kind and one ordinary enterprise instance per currency.
    firsts = {}
    for order in data.orders[first_random:]:
        key = (order.subscription_type, order.currency)
        if order.paid and order.in_detail and key not in firsts and len(order.instance_ids) == 1:
            firsts[key] = order
    for (sub_type, currency), order in sorted(firsts.items()):
        moment = order.usage_start or order.create_time
        data.scenarios.append(
            Scenario(order.instance_ids[0], moment + timedelta(days=40, hours=2),
                     f"ordinary {sub_type} instance ({currency})")
        )  # fmt: skip
    for row in data.csv_rows:
        if row.get("instance_kind") == "new_public":
            data.scenarios.append(
                Scenario(row["instance_ids"], china("2025-01-15T10:00"), "new public instance")
            )
            break

    # RULES.md §7: an instance refunded (a refund order) and one released (QueryAvailableInstances).
    quoted = {sc.instance_id for sc in data.scenarios}
    plain = [
        o
        for o in data.orders[first_random:]
        if o.paid and o.in_detail and o.in_bill and o.currency == "CNY"
        and o.subscription_type == "Subscription" and len(o.instance_ids) == 1
        and o.instance_ids[0] not in quoted and o.usage_start is not None
        and sum(1 for x in data.orders if o.instance_ids[0] in x.instance_ids) == 1
    ]  # fmt: skip
    if len(plain) >= 2:
        refunded, released = plain[0], plain[1]
        assert refunded.usage_start is not None and released.usage_start is not None
        when = refunded.usage_start + timedelta(days=60)
        data.refunds.append(
            GenRefund(ids.order(), refunded.order_id, refunded.instance_ids[0],
                      refunded.account_id, when, refunded.cash)
        )  # fmt: skip
        data.scenarios.append(
            Scenario(refunded.instance_ids[0], when + timedelta(days=30),
                     "already refunded: a refund order (HISTORY-REFUNDED)")
        )  # fmt: skip
        gone = released.usage_end or released.usage_start + timedelta(days=365)
        data.statuses.append(
            (released.instance_ids[0], released.account_id, "Released", gone + timedelta(days=15))
        )
        data.scenarios.append(
            Scenario(released.instance_ids[0], gone + timedelta(days=20),
                     "released (HISTORY-RELEASED)")
        )  # fmt: skip

    # Invoice / marketplace facts the API lacks → CSV supplement rows.
    for order in data.orders:
        if order.invoiced is not None or order.marketplace is not None:
            row = {"order_id": order.order_id}
            if order.invoiced is not None:
                row["invoiced"] = "yes" if order.invoiced else "no"
            if order.marketplace is not None:
                row["marketplace"] = "yes" if order.marketplace else "no"
            data.csv_rows.append(row)
