"""Shared data of the desk tests: the reference database built by the real importer from the
generator's exports (never /work/shared), plus three more instances."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

ACCOUNT_C = "1866000000000042"
OLD_PUBLIC = "iot-cn-oldpublic001"
NO_BILL = "iot-cn-nobill000001"
PARTIAL = "iot-cn-partial000001"
PARTIAL_MISSING = "300000000000199"  # its last order: no transaction imported (channel missing)
OPERATOR = "Test Operator"


def _utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def extra_orders():
    """Two more instances: an old public (pay-as-you-go) one and an Enterprise one whose bill
    was not imported (``DATA-MISSING`` → blocked)."""
    from refund_desk.store.generator import GenOrder

    return [
        GenOrder("300000000000015", (OLD_PUBLIC,), ACCOUNT_C, "New", "PayAsYouGo", "Paid",
                 _utc("2024-02-01T02:00:00"), _utc("2024-02-01T02:00:00"),
                 _utc("2024-02-01T02:00:00"), _utc("2024-03-01T02:00:00"),
                 Decimal("30.00"), Decimal("30.00"), channel="Alipay"),
        GenOrder("300000000000029", (NO_BILL,), ACCOUNT_C, "New", "Subscription", "Paid",
                 _utc("2024-02-01T02:00:00"), _utc("2024-02-01T02:00:00"),
                 _utc("2024-02-01T02:00:00"), _utc("2025-02-01T02:00:00"),
                 Decimal("1000.00"), Decimal("1000.00"), channel="Alipay", in_bill=False),
    ] + partial_orders()  # fmt: skip


def partial_orders():
    """``PARTIAL``: seven orders — five monthly renewals (all consumed by mid-2024), a yearly
    renewal paid by Alipay (partly consumed: a positive refund) and a last renewal whose payment
    channel was never imported (``DATA-MISSING``): a quote with a known part and a blocked one."""
    from refund_desk.store.generator import GenOrder

    orders = []
    for month in range(1, 6):
        start = _utc(f"2024-{month:02d}-01T02:00:00")
        end = _utc(f"2024-{month + 1:02d}-01T02:00:00")
        orders.append(
            GenOrder(
                f"3000000000001{month:02d}",
                (PARTIAL,),
                ACCOUNT_C,
                "New" if month == 1 else "Renew",
                "Subscription",
                "Paid",
                start,
                start,
                start,
                end,
                Decimal("100.00"),
                Decimal("100.00"),
                channel="Alipay",
            )
        )
    orders.append(
        GenOrder(
            "300000000000188",
            (PARTIAL,),
            ACCOUNT_C,
            "Renew",
            "Subscription",
            "Paid",
            _utc("2024-05-25T02:00:00"),
            _utc("2024-05-25T02:00:00"),
            _utc("2024-06-01T02:00:00"),
            _utc("2025-06-01T02:00:00"),
            Decimal("1200.00"),
            Decimal("1200.00"),
            channel="Alipay",
        )
    )
    orders.append(
        GenOrder(
            PARTIAL_MISSING,
            (PARTIAL,),
            ACCOUNT_C,
            "Renew",
            "Subscription",
            "Paid",
            _utc("2024-07-01T02:00:00"),
            _utc("2024-07-01T02:00:00"),
            _utc("2025-06-01T02:00:00"),
            _utc("2026-06-01T02:00:00"),
            Decimal("1200.00"),
            Decimal("1200.00"),
            channel=None,
        )
    )
    return orders


def import_into_new_db(exports: Path, db: Path) -> Path:
    """Import the export files under ``exports`` with the real importer into a new ``db``."""
    from refund_desk.store import open_store
    from refund_desk.store.importer import import_paths

    store = open_store(db)
    try:
        summary = import_paths(store, [exports], actor="tests")
        assert not summary.rejected, summary.format()
    finally:
        store.close()
    return db


def build_reference_db(folder: Path) -> Path:
    """Write the reference exports (and the extra instances) with the generator and import
    them with the real importer into ``folder/reference.db``."""
    from refund_desk.store.generator import write_exports, write_reference_exports

    exports = folder / "exports"
    write_reference_exports(exports / "reference")
    write_exports(extra_orders(), exports / "extra")
    return import_into_new_db(exports, folder / "reference.db")
