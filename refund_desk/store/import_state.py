"""The state an import batch merges into: the stored rows of everything its files touch, read by
key under the write lock (:func:`load_state`), copied for merging, and a :class:`Journal` per
file so that a file found to contradict is undone alone."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Table, select

from . import models as m
from .facts import ParsedFile
from .repository import CHUNK

_ABSENT = object()


@dataclass
class BatchState:
    """Rows of everything a batch touches, by key: as stored, or as merged (a copy).
    ``bills`` is ``{order_id: {sub_order_id: bill record row}}``."""

    orders: dict[str, dict[str, Any]]
    links: dict[str, tuple[str, ...]]
    instances: dict[str, dict[str, Any]]
    accounts: dict[str, dict[str, Any]]
    bills: dict[str, dict[str, dict[str, Any]]]

    def copy(self) -> BatchState:
        """A deep enough copy to merge into (rows copied, the stored ones left as read)."""
        return BatchState(
            {k: dict(v) for k, v in self.orders.items()},
            dict(self.links),
            {k: dict(v) for k, v in self.instances.items()},
            {k: dict(v) for k, v in self.accounts.items()},
            {k: {s: dict(r) for s, r in v.items()} for k, v in self.bills.items()},
        )


class Journal:
    """What one file changed in the merged state, kept at first touch, so that a file found to
    contradict what is stored (or an earlier file) is undone alone."""

    def __init__(self, state: BatchState) -> None:
        self.state = state
        self.saved: dict[tuple[str, str], Any] = {}

    def keep(self, table: str, key: str) -> None:
        """Save the row ``key`` of ``table`` (as it is now) before its first change."""
        mark = (table, key)
        if mark in self.saved:
            return
        current = getattr(self.state, table).get(key, _ABSENT)
        if current is _ABSENT or isinstance(current, tuple):
            self.saved[mark] = current
        elif table == "bills":
            self.saved[mark] = {s: dict(r) for s, r in current.items()}
        else:
            self.saved[mark] = dict(current)

    def undo(self) -> None:
        """Put back every row saved: the file's changes are gone."""
        for (table, key), old in self.saved.items():
            rows = getattr(self.state, table)
            if old is _ABSENT:
                rows.pop(key, None)
            else:
                rows[key] = old


def _rows_by_key(
    conn: Connection, table: Table, key: str, ids: Iterable[str]
) -> dict[str, dict[str, Any]]:
    """``{key value: row as dict}`` for ``ids``, read ``CHUNK`` ids at a time by the key index."""
    column = table.c[key]
    ordered = sorted(ids)
    rows: dict[str, dict[str, Any]] = {}
    for start in range(0, len(ordered), CHUNK):
        for row in conn.execute(select(table).where(column.in_(ordered[start : start + CHUNK]))):
            rows[row._mapping[key]] = dict(row._mapping)
    return rows


def _bills_of(conn: Connection, order_ids: Iterable[str]) -> dict[str, dict[str, dict[str, Any]]]:
    """``{order_id: {sub_order_id: bill record row}}`` for the orders that have records."""
    table = m.bill_records
    ordered = sorted(order_ids)
    bills: dict[str, dict[str, dict[str, Any]]] = {}
    for start in range(0, len(ordered), CHUNK):
        chunk = ordered[start : start + CHUNK]
        for row in conn.execute(select(table).where(table.c.order_id.in_(chunk))):
            record = dict(row._mapping)
            bills.setdefault(record["order_id"], {})[record["sub_order_id"]] = record
    return bills


def load_state(conn: Connection, files: Iterable[ParsedFile]) -> BatchState:
    """The stored rows of every order, instance, account and bill record ``files`` name (and the
    accounts of those stored orders), read on ``conn`` (inside the batch's write transaction)."""
    order_ids: set[str] = set()
    billed: set[str] = set()
    instance_ids: set[str] = set()
    account_ids: set[str] = set()
    for parsed in files:
        for facts in parsed.orders:
            order_ids.add(facts.order_id)
            if facts.bills is not None:
                billed.add(facts.order_id)
            instance_ids.update(facts.instance_ids or ())
            for source in (facts.values, facts.weak):
                if source.get("account_id"):
                    account_ids.add(source["account_id"])
        for decl in parsed.instances:
            instance_ids.add(decl.instance_id)
            if decl.account_id:
                account_ids.add(decl.account_id)
        account_ids.update(parsed.accounts)
    orders = _rows_by_key(conn, m.orders, "order_id", order_ids)
    links = {
        order_id: tuple(json.loads(row["instance_ids_json"]))
        for order_id, row in orders.items()
        if row["instance_ids_json"]
    }
    # accounts already named by stored orders are touched again when those orders change
    account_ids.update(o["account_id"] for o in orders.values() if o["account_id"])
    return BatchState(
        orders,
        links,
        _rows_by_key(conn, m.instances, "instance_id", instance_ids),
        _rows_by_key(conn, m.accounts, "account_id", account_ids),
        _bills_of(conn, billed & orders.keys()),
    )
