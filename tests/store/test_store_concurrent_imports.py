"""Two desks importing into one database at the same moment lose nothing.

Two real processes meet at a barrier and import conflicting facts about the same orders (each
its own cash figure), facts the other does not touch (invoiced / marketplace), new orders of
their own and one new account both create. The test process holds the write lock until both
are waiting for it, so their read-merge-writes always contend; then it lets go. Several rounds,
on each backend (SQLite: ``BEGIN IMMEDIATE``; PostgreSQL: the advisory transaction lock).
Afterwards every fact of both files is there (the conflicting one is one of the two values, and
the audit log's last word on it is the stored value), nothing was rejected, and no write failed.
"""

from __future__ import annotations

import json
import multiprocessing
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal

from sqlalchemy import create_engine, text

from refund_desk.demo_data import bulk_orders, write_exports
from refund_desk.store import open_store
from refund_desk.store.db import PG_WRITE_LOCK
from refund_desk.store.importer import import_paths
from tests.helpers.imports import import_worker

N_ORDERS = 1500
ROUNDS = 3
COLUMNS = "order_id,instance_ids,account_id,order_type,payment_status,currency,payment_time,"
COLUMNS += "list_price,cash,invoiced,marketplace"


def _facts_file(path, orders, side: str, round_no: int) -> dict[str, tuple[int, bool]]:
    """A CSV saying, for every order, its cash (this side's own value) and invoiced (side A) or
    marketplace (side B); plus 50 new orders of this side and 10 orders of a new account shared
    by both sides. Returns ``{order_id: (cash fen, flag)}`` for the existing orders."""
    said = {}
    lines = [COLUMNS]
    share = Decimal("0.5") if side == "A" else Decimal("0.6")
    for i, o in enumerate(orders):
        cash = (o.list_price * share).quantize(Decimal("0.01")) - round_no
        flag = (i + round_no) % 2 == 0
        said[o.order_id] = (int(cash * 100), flag)
        yes = "yes" if flag else "no"
        cells = ["", yes] if side == "B" else [yes, ""]
        lines.append(f"{o.order_id},,,,,,,,{cash},{cells[0]},{cells[1]}")
    base = 800000000000000 + round_no * 10000 + (0 if side == "A" else 5000)
    shared = f"55500000000000{round_no}"
    for i in range(60):
        account = shared if i < 10 else f"5{base + i // 10}"
        oid = base + i * 2 + (1 if i < 10 and side == "B" else 0)
        lines.append(
            f"{oid},iot-cn-r{round_no}{side.lower()}{i:04d},{account},New,Paid,CNY,"
            f"2024-05-01 10:00,1200.00,1000.00,,"
        )
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return said


@contextmanager
def write_lock_held(db) -> Iterator[None]:
    """The database's write lock, taken the way another desk's import takes it."""
    if db.backend == "sqlite":
        holder = sqlite3.connect(db.target, isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")
        try:
            yield
        finally:
            holder.execute("ROLLBACK")
            holder.close()
        return
    engine = create_engine(db.target)
    with engine.connect() as conn:
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": PG_WRITE_LOCK})
        try:
            yield
        finally:
            conn.rollback()
    engine.dispose()


def test_two_processes_importing_conflicting_facts_lose_nothing(tmp_path, db):
    exports = tmp_path / "exports"
    orders = list(bulk_orders(N_ORDERS, seed=7))
    write_exports(orders, exports)
    store = open_store(db.target)
    assert not import_paths(store, [exports], actor="setup").rejected
    store.close()
    context = multiprocessing.get_context("spawn")
    expected_orders = N_ORDERS
    for round_no in range(1, ROUNDS + 1):
        said_a = _facts_file(tmp_path / f"a{round_no}.csv", orders, "A", round_no)
        said_b = _facts_file(tmp_path / f"b{round_no}.csv", orders, "B", round_no)
        lock = write_lock_held(db)
        lock.__enter__()  # both importers will find the lock taken
        barrier = context.Barrier(2)
        waiting = {"A": context.Event(), "B": context.Event()}
        results = context.Queue()
        workers = [
            context.Process(
                target=import_worker,
                args=(
                    db.target,
                    [str(tmp_path / f"{s.lower()}{round_no}.csv")],
                    s,
                    barrier,
                    waiting[s],
                    results,
                ),
            )  # fmt: skip
            for s in ("A", "B")
        ]
        for w in workers:
            w.start()
        try:
            _until_both_wait(waiting, workers)
        finally:
            lock.__exit__(None, None, None)
        outcome = {}
        for _ in workers:
            actor, rejected, added, updated, text = results.get(timeout=180)
            outcome[actor] = (rejected, added, updated, text)
        for w in workers:
            w.join(60)
            assert w.exitcode == 0
        for rejected, added, updated, text in outcome.values():
            assert rejected == 0, text
            assert (added, updated) == (60, N_ORDERS), text
        expected_orders += 120  # 50 + 50 own orders, 10 + 10 of the shared account
        _check_round(db, said_a, said_b, expected_orders, round_no)


def _until_both_wait(waiting, workers) -> None:
    """Block until both importers report waiting for the lock (fail at once if one died)."""
    deadline = time.monotonic() + 180  # a guard against hanging, not a measurement
    while not all(event.is_set() for event in waiting.values()):
        dead = [w.exitcode for w in workers if w.exitcode is not None]
        assert not dead, f"an importer ended before waiting for the lock: {dead}"
        assert time.monotonic() < deadline, "both importers must wait for the lock"
        time.sleep(0.05)


def _check_round(db, said_a, said_b, expected_orders, round_no) -> None:
    store = open_store(db.target, create=False)
    try:
        with store.engine.connect() as conn:
            rows = {
                oid: (cash, invoiced, marketplace)
                for oid, cash, invoiced, marketplace in conn.execute(
                    text("SELECT order_id, cash_fen, invoiced, marketplace FROM orders")
                )
            }
            shared = f"55500000000000{round_no}"
            accounts = conn.execute(
                text("SELECT count(*) FROM accounts WHERE account_id = :a"), {"a": shared}
            ).scalar()
            of_shared = conn.execute(
                text("SELECT count(*) FROM orders WHERE account_id = :a"), {"a": shared}
            ).scalar()
            updates = conn.execute(
                text(
                    "SELECT entity_id, detail_json FROM audit_log "
                    "WHERE action = 'order.update' ORDER BY entry_id"
                )
            ).all()
    finally:
        store.close()
    assert len(rows) == expected_orders
    assert (accounts, of_shared) == (1, 20)
    last_cash: dict[str, str] = {}
    for entity_id, detail in updates:
        changes = json.loads(detail)["changes"]
        if "cash_fen" in changes:
            last_cash[entity_id] = changes["cash_fen"][1]
    for oid, (cash_a, invoiced) in said_a.items():
        cash_b, marketplace = said_b[oid]
        cash, stored_invoiced, stored_marketplace = rows[oid]
        assert cash in (cash_a, cash_b), oid
        assert bool(stored_invoiced) is invoiced, oid  # A's fact survived B's import
        assert bool(stored_marketplace) is marketplace, oid  # and B's survived A's
        assert Decimal(last_cash[oid]) * 100 == cash, oid  # the audit log agrees with the row
