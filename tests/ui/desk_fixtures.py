"""Shared data of the desk tests: the reference database built by the real importer from the
generator's exports (never /work/shared), plus two more instances."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

ACCOUNT_C = "1866000000000042"
OLD_PUBLIC = "iot-cn-oldpublic001"
NO_BILL = "iot-cn-nobill000001"
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
    ]  # fmt: skip


def build_reference_db(folder: Path) -> Path:
    """Write the reference exports (and the extra instances) with the generator and import
    them with the real importer into ``folder/reference.db``."""
    from refund_desk.store import open_store
    from refund_desk.store.generator import write_exports, write_reference_exports
    from refund_desk.store.importer import import_paths

    exports = folder / "exports"
    write_reference_exports(exports / "reference")
    write_exports(extra_orders(), exports / "extra")
    db = folder / "reference.db"
    store = open_store(db)
    try:
        summary = import_paths(store, [exports], actor="tests")
        assert not summary.rejected, summary.format()
    finally:
        store.close()
    return db
