"""Writing an import: the accepted files are gathered into batches; each batch reads the stored
state of everything it touches under the write lock, is merged in memory
(:class:`~.import_merge.BatchMerge`) and written at once, with its audit entries, in one write
transaction: a database failure rolls the whole batch back and reports each of its files as not
imported. Nothing is ever half-imported."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy import Connection
from sqlalchemy.exc import SQLAlchemyError

from ..errors import DatabaseError, ImportRejected
from . import audit_chain
from . import models as m
from .bulkwrite import insert_rows, update_rows
from .db import problem, write_transaction
from .facts import ParsedFile
from .import_merge import BILL_AMOUNTS, ORDER_FIELDS, BatchMerge
from .import_report import FileResult, reset_counts
from .import_state import BatchState, load_state
from .repository import CHUNK, OrderStore, utcnow

INSTANCE_FIELDS = ("account_id", "declared_kind", "region", "updated_at")


class Batch:
    """Accepted files merged in memory against the stored state, then written at once, all in
    one write transaction (the stored state is read under the write lock)."""

    def __init__(
        self,
        store: OrderStore,
        actor: str,
        waiting: Callable[[float], None] | None,
        wait_s: float,
    ) -> None:
        self.store = store
        self.actor = actor
        self.waiting = waiting
        self.wait_s = wait_s
        self.files: list[tuple[ParsedFile, FileResult]] = []
        self.n_orders = 0
        # Orders this import added to the database (earlier batches): a later file's facts about
        # an order the same import added are part of adding it, never counted as an update.
        self._added_earlier: set[str] = set()
        self._new_in_batch: set[str] = set()

    def add(self, parsed: ParsedFile, result: FileResult) -> None:
        """Take an accepted file into the batch (written by the next :meth:`write`)."""
        self.files.append((parsed, result))
        self.n_orders += len(parsed.orders) + len(parsed.instances)

    def write(self) -> None:
        """Merge and write the batch in one write transaction; on a database error every file
        of the batch is reported as not imported (nothing of it was written)."""
        if not self.files:
            return
        try:
            with write_transaction(
                self.store.engine, on_wait=self.waiting, wait_s=self.wait_s
            ) as conn:
                self._merge_and_write(conn)
            self._added_earlier |= self._new_in_batch
        except (SQLAlchemyError, DatabaseError) as exc:
            reason = str(exc) if isinstance(exc, DatabaseError) else problem(exc)
            for parsed, result in self.files:
                if result.error is None:
                    reset_counts(result)
                    result.database_failure = reason
                    result.error = ImportRejected(
                        parsed.path, f"not imported, the database failed: {reason}"
                    )
        self.files = []
        self.n_orders = 0

    def _merge_and_write(self, conn: Connection) -> None:
        now = utcnow()
        stored = load_state(conn, [parsed for parsed, _ in self.files])
        merge = BatchMerge(self.files, stored, self._added_earlier, now)
        self._new_in_batch = merge.run()
        self._flush(conn, now, stored, merge.merged, merge.audits)

    def _flush(
        self,
        conn: Connection,
        now: datetime,
        stored: BatchState,
        merged: BatchState,
        audits: list[dict[str, Any]],
    ) -> None:
        stored_orders, stored_links = stored.orders, stored.links
        stored_instances, stored_accounts = stored.instances, stored.accounts
        orders, links = merged.orders, merged.links
        instances, accounts = merged.instances, merged.accounts
        new_accounts = [a for k, a in accounts.items() if k not in stored_accounts]
        changed_accounts = [
            {"b_account_id": k, "name": a["name"], "updated_at": now}
            for k, a in accounts.items()
            if k in stored_accounts and a["name"] != stored_accounts[k]["name"]
        ]
        new_instances = [i for k, i in instances.items() if k not in stored_instances]
        changed_instances = [
            {
                "b_instance_id": k,
                "account_id": i["account_id"],
                "declared_kind": i["declared_kind"],
                "region": i["region"],
                "updated_at": now,
            }
            for k, i in instances.items()
            if k in stored_instances
            and any(
                i[c] != stored_instances[k][c] for c in ("account_id", "declared_kind", "region")
            )
        ]
        new_orders = [o for k, o in orders.items() if k not in stored_orders]
        changed_orders = [
            {"b_order_id": k, **{c: o[c] for c in ORDER_FIELDS}, "updated_at": o["updated_at"]}
            for k, o in orders.items()
            if k in stored_orders and any(o[c] != stored_orders[k][c] for c in ORDER_FIELDS)
        ]
        relinked = [k for k, v in links.items() if stored_links.get(k, ()) != v]
        new_bills, changed_bills = [], []
        for order_id, records in merged.bills.items():
            before = stored.bills.get(order_id, {})
            for sub, record in records.items():
                old = before.get(sub)
                if old is None:
                    new_bills.append(record)
                elif any(old[c] != record[c] for c in (*BILL_AMOUNTS, "source")):
                    changed_bills.append({"b_order_id": order_id, "b_sub_order_id": sub, **record})

        insert_rows(conn, m.accounts, new_accounts)
        update_rows(conn, m.accounts, ("account_id",), ("name", "updated_at"), changed_accounts)
        insert_rows(conn, m.instances, new_instances)
        update_rows(conn, m.instances, ("instance_id",), INSTANCE_FIELDS, changed_instances)
        insert_rows(conn, m.orders, new_orders)
        update_rows(conn, m.orders, ("order_id",), (*ORDER_FIELDS, "updated_at"), changed_orders)
        if relinked:
            stale = [k for k in relinked if k in stored_links]
            for start in range(0, len(stale), CHUNK):
                conn.execute(
                    m.order_instances.delete().where(
                        m.order_instances.c.order_id.in_(stale[start : start + CHUNK])
                    )
                )
            rows = [
                {"order_id": k, "instance_id": iid, "position": pos}
                for k in relinked
                for pos, iid in enumerate(links[k])
            ]
            insert_rows(conn, m.order_instances, rows)
        insert_rows(conn, m.bill_records, new_bills)
        update_rows(
            conn,
            m.bill_records,
            ("order_id", "sub_order_id"),
            (*BILL_AMOUNTS, "source", "updated_at"),
            changed_bills,
        )
        from .history_exports import write_history

        accepted = [(p, r) for p, r in self.files if r.error is None]
        history_written, notes = write_history(conn, [p for p, _ in accepted], now)
        if accepted:
            accepted[0][1].notes.extend(notes)
        entries = []
        for audit in audits:
            entries.append(
                {
                    "at": now,
                    "actor": self.actor,
                    "action": "order.update",
                    "entity": "order",
                    "entity_id": audit["entity_id"],
                    "policy_id": None,
                    "policy_version": None,
                    "detail_json": json.dumps(audit["detail"], sort_keys=True, ensure_ascii=False),
                }
            )
        wrote = (
            history_written
            or new_accounts
            or changed_accounts
            or new_instances
            or changed_instances
            or new_orders
            or changed_orders
            or relinked
            or new_bills
            or changed_bills
        )
        if wrote:
            results = [r for _, r in self.files if r.error is None]
            files = [r.path for r in results]
            summary = {
                "files": len(files),
                "file_names": files[:20],
                "orders_added": sum(r.orders_added for r in results),
                "orders_updated": sum(r.orders_updated for r in results),
                "orders_unchanged": sum(r.orders_unchanged for r in results),
                "instances_added": sum(r.instances_added for r in results),
            }
            entries.append(
                {
                    "at": now,
                    "actor": self.actor,
                    "action": "import",
                    "entity": "import",
                    "entity_id": None,
                    "policy_id": None,
                    "policy_version": None,
                    "detail_json": json.dumps(summary, sort_keys=True, ensure_ascii=False),
                }
            )
        if entries:
            host = self.store.desk_host  # the desk that imported (schema 0007)
            # hash-chained, serialised with case writes
            audit_chain.append(conn, [dict(entry, host=host) for entry in entries])
