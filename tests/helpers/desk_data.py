"""The keyboard-path database: the reference exports, the desk tests' extra instances, and one
instance whose refund route changes with the cancellation date (issue 12's example), with
account names (Chinese and Latin) from a CSV file — all through the real importer.

``LATE``: one new order paid 2023-06-20 10:00 China time by Alipay, cash 7,409.85 plus a coupon
of 3,535.15, usage 2023-06-20 10:00 → 2026-06-20 10:00 (1,096 days), list price 10,945.00
(RULES.md §3–4):

- cancelled 2024-12-12 03:10 China time: day 541 after payment, inside the 548-day window →
  ``ROUTE-ORIGINAL`` to that Alipay account; used_days 541 → consumed 5,402.59580… → refund
  2,007.25 (rounded down);
- cancelled 2024-12-31 01:00: day 560, past the window → ``ROUTE-LATE`` to the account balance;
  used_days 560 → consumed 5,592.33576… → refund 1,817.51.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

LATE = "iot-cn-latewindow01"
LATE_ORDER = "300000000000301"
LATE_ACCOUNT = "1866000000000099"
LATE_ACCOUNT_NAME = "杭州云智科技有限公司"
EX1 = "iot-cn-7pp2mhxqz01"
EX1_ORDER = "241559391310333"
EX1_ACCOUNT = "1498573829450012"
EX1_ACCOUNT_NAME = "Harbor Light Sensors Co."
ACCOUNT_NAMES = {LATE_ACCOUNT: LATE_ACCOUNT_NAME, EX1_ACCOUNT: EX1_ACCOUNT_NAME}


def _utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def late_orders():
    """The one order of ``LATE`` (see the module docstring)."""
    from refund_desk.demo_data import GenOrder

    paid = _utc("2023-06-20T02:00:00")
    return [
        GenOrder(
            LATE_ORDER,
            (LATE,),
            LATE_ACCOUNT,
            "New",
            "Subscription",
            "Paid",
            paid,
            paid,
            paid,
            _utc("2026-06-20T02:00:00"),
            Decimal("10945.00"),
            Decimal("7409.85"),
            coupon=Decimal("3535.15"),
            channel="Alipay",
        )
    ]


def build_keyboard_db(folder: Path) -> Path:
    """Write the exports with the generator and import them with the real importer into
    ``folder/keyboard.db``; returns its path."""
    from refund_desk.demo_data import write_exports, write_reference_exports
    from tests.helpers.desk_fixtures import extra_orders, import_into_new_db

    exports = folder / "exports"
    write_reference_exports(exports / "reference")
    write_exports(extra_orders() + late_orders(), exports / "extra")
    names = exports / "names.csv"
    names.write_text(
        "order_id,account_id,account_name\n"
        + "".join(f",{acc},{name}\n" for acc, name in ACCOUNT_NAMES.items()),
        encoding="utf-8",
    )
    return import_into_new_db(exports, folder / "keyboard.db")
