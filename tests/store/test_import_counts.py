"""The import summary counts orders as a person reads them: a fresh import of files that each say
something about the same orders (order detail, bill, transactions) adds each order once and
updates none, in one batch or across several. On SQLite and PostgreSQL (the ``db`` fixture)."""

from __future__ import annotations

import pytest

from refund_desk.demo_data import write_reference_exports
from refund_desk.store import importer, open_store
from refund_desk.store.importer import import_paths


@pytest.fixture(scope="module")
def exports(tmp_path_factory):
    folder = tmp_path_factory.mktemp("counts") / "bss"
    write_reference_exports(folder)
    return folder


@pytest.mark.parametrize("batch_orders", [importer.BATCH_ORDERS, 1], ids=["one-batch", "per-file"])
def test_a_fresh_import_adds_each_order_once(db, exports, monkeypatch, batch_orders):
    monkeypatch.setattr(importer, "BATCH_ORDERS", batch_orders)  # 1: a batch written per file
    store = open_store(db.target)
    try:
        summary = import_paths(store, [exports], actor="tests")
        assert not summary.rejected, summary.format()
        assert (summary.added, summary.updated, summary.unchanged) == (5, 0, 0)
        assert summary.format().splitlines()[1:4] == [
            "orders added: 5",
            "orders updated: 0",
            "orders unchanged: 0",
        ]
        # The audit log's import entries say the same.
        added = [
            e.detail["orders_added"] for e in store.audit_entries(entity="import", action="import")
        ]
        updated = [
            e.detail["orders_updated"]
            for e in store.audit_entries(entity="import", action="import")
        ]
        assert sum(added) == 5 and sum(updated) == 0
    finally:
        store.close()
