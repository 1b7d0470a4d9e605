"""Bring order data into the store: BSS OpenAPI JSON exports and the desk's CSV template.

Semantics (``docs/STORE.md``):

- **All or nothing per file.** A file is parsed and validated completely before anything is
  written; a bad file is rejected with :class:`~refund_desk.errors.ImportRejected` naming the
  file, the record and the field, and writes nothing. Accepted files are merged in memory in the
  order given and written in one transaction per batch (a database failure rolls the whole batch
  back and reports each of its files as not imported).
- **Merged by order id**, across exports and separate imports, in any order. A full order record
  (``GetOrderDetail``, or a CSV row naming instances) wins over what a ``QueryBill`` item says
  about the same fields; otherwise the last import wins.
- **Idempotent.** Re-importing a file changes nothing (no write at all). A file that changes a
  value already stored updates it; the audit log records the old and new values
  (``order.update``). Facts not known before (a breakdown, a channel) fill the gaps.
- Nothing is guessed: what no file said stays ``NULL`` and shows as missing.
"""

from __future__ import annotations

import gc
import json
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from ..errors import ImportRejected
from ..policy.money import from_fen
from . import audit_chain
from . import models as m
from .facts import InstanceFacts, OrderFacts, ParsedFile
from .fastpath import bulk_insert, bulk_update
from .repository import CHUNK, OrderStore, utcnow

SUFFIXES = (".json", ".csv")
BATCH_ORDERS = 150_000  # order facts merged in memory before a batch is written
ORDER_FIELDS = tuple(
    c for c in m.ORDER_COLUMNS if c not in ("order_id", "created_at", "updated_at")
)
_BLANK_ORDER = dict.fromkeys(ORDER_FIELDS, None) | {"assumed_tz": False}
INSTANCE_FIELDS = ("account_id", "declared_kind", "region", "updated_at")


@dataclass
class FileResult:
    """What importing one file did. ``error`` is set when the file was rejected (then every count
    is 0 and nothing was written)."""

    path: str
    export: str | None = None
    records: int = 0
    skipped: int = 0
    orders_added: int = 0
    orders_updated: int = 0
    orders_unchanged: int = 0
    instances_added: int = 0
    instances_updated: int = 0
    error: ImportRejected | None = None
    notes: list[str] = field(default_factory=list)  # refund orders, statuses (§7)

    @property
    def rejected(self) -> bool:
        return self.error is not None


@dataclass
class ImportSummary:
    """The result of :func:`import_paths`: one :class:`FileResult` per file, in order."""

    files: list[FileResult] = field(default_factory=list)

    @property
    def files_read(self) -> int:
        return len(self.files)

    @property
    def accepted(self) -> list[FileResult]:
        return [f for f in self.files if not f.rejected]

    @property
    def rejected(self) -> list[FileResult]:
        """The rejected files (empty list when every file was imported)."""
        return [f for f in self.files if f.rejected]

    def _total(self, name: str) -> int:
        return sum(getattr(f, name) for f in self.files)

    @property
    def added(self) -> int:
        return self._total("orders_added")

    @property
    def updated(self) -> int:
        return self._total("orders_updated")

    @property
    def unchanged(self) -> int:
        return self._total("orders_unchanged")

    @property
    def instances_added(self) -> int:
        return self._total("instances_added")

    def format(self) -> str:
        """Plain text for people: totals, then one line per rejected file with its reason."""
        lines = [
            f"files read: {self.files_read}",
            f"orders added: {self.added}",
            f"orders updated: {self.updated}",
            f"orders unchanged: {self.unchanged}",
        ]
        if self.instances_added or self._total("instances_updated"):
            lines.append(
                f"instances added: {self.instances_added}, updated: "
                f"{self._total('instances_updated')}"
            )
        skipped = self._total("skipped")
        if skipped:
            lines.append(f"records without an order fact (recharges, usage bills…): {skipped}")
        lines.extend(note for f in self.files for note in f.notes)
        lines.append(f"files rejected: {len(self.rejected)}")
        for result in self.rejected:
            lines.append(f"  REJECTED {result.error}")
        return "\n".join(lines)


# --------------------------------------------------------------------------- reading files
def expand_paths(paths: Iterable[str | Path]) -> list[str]:
    """Files as given, folders walked recursively for ``*.json`` and ``*.csv`` (sorted by path).
    A path that does not exist is kept: reading it rejects it with a clear message."""
    result: list[str] = []
    for raw in paths:
        if os.path.isdir(raw):
            found = []
            for folder, _dirs, names in os.walk(raw):
                found.extend(
                    os.path.join(folder, name) for name in names if name.lower().endswith(SUFFIXES)
                )
            result.extend(sorted(found))
        else:
            result.append(str(raw))
    return result


def parse_path(path: str) -> ParsedFile:
    """Read and fully validate one file (no database access).

    Raises:
        ImportRejected: unreadable, not JSON/CSV, not a known export, or a bad record.
    """
    from .bss import parse_bss
    from .csvfile import parse_csv

    try:
        with open(path, "rb") as handle:
            raw = handle.read()
    except FileNotFoundError:
        raise ImportRejected(path, "no such file") from None
    except IsADirectoryError:
        raise ImportRejected(path, "is a folder") from None
    except OSError as exc:
        raise ImportRejected(path, f"cannot read: {exc.strerror or exc}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportRejected(path, f"not UTF-8 text (byte {exc.start})") from None
    is_csv = path.lower().endswith(".csv")
    if is_csv:
        return parse_csv(path, text)
    stripped = text.lstrip()
    if not stripped.startswith(("{", "[")):
        if not path.lower().endswith(".json") and "," in stripped.split("\n", 1)[0]:
            return parse_csv(path, text)
        raise ImportRejected(path, "not JSON (a BSS export) nor a CSV file (.csv)")
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ImportRejected(path, f"not valid JSON: {exc.msg} at line {exc.lineno}") from None
    return parse_bss(path, doc)


# --------------------------------------------------------------------------- merging
def _display(name: str, value: Any) -> Any:
    if value is None:
        return None
    if name.endswith("_fen"):
        return str(from_fen(value))
    if isinstance(value, datetime):
        return value.isoformat()
    return value


@dataclass
class _State:
    """Rows of everything a batch touches, by key: as stored, or as merged (a copy)."""

    orders: dict[str, dict[str, Any]]
    links: dict[str, tuple[str, ...]]
    instances: dict[str, dict[str, Any]]
    accounts: dict[str, dict[str, Any]]

    def copy(self) -> _State:
        return _State(
            {k: dict(v) for k, v in self.orders.items()},
            dict(self.links),
            {k: dict(v) for k, v in self.instances.items()},
            {k: dict(v) for k, v in self.accounts.items()},
        )


def _rows_by_key(conn, table, key: str, ids: Iterable[str]) -> dict[str, dict[str, Any]]:
    """``{key value: row as dict}`` for ``ids``, read ``CHUNK`` ids at a time by the key index."""
    column = table.c[key]
    ordered = sorted(ids)
    rows: dict[str, dict[str, Any]] = {}
    for start in range(0, len(ordered), CHUNK):
        for row in conn.execute(select(table).where(column.in_(ordered[start : start + CHUNK]))):
            rows[row._mapping[key]] = dict(row._mapping)
    return rows


class _Batch:
    """Accepted files merged in memory against the stored state, then written at once."""

    def __init__(self, store: OrderStore, actor: str):
        self.store = store
        self.actor = actor
        self.files: list[tuple[ParsedFile, FileResult]] = []
        self.n_orders = 0

    def add(self, parsed: ParsedFile, result: FileResult) -> None:
        self.files.append((parsed, result))
        self.n_orders += len(parsed.orders) + len(parsed.instances)

    # -- loading the stored state of everything the batch touches
    def _load(self, conn) -> _State:
        order_ids: set[str] = set()
        instance_ids: set[str] = set()
        account_ids: set[str] = set()
        for parsed, _ in self.files:
            for facts in parsed.orders:
                order_ids.add(facts.order_id)
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
        return _State(
            orders,
            links,
            _rows_by_key(conn, m.instances, "instance_id", instance_ids),
            _rows_by_key(conn, m.accounts, "account_id", account_ids),
        )

    def write(self) -> None:
        """Merge and write the batch in one transaction; on a database error every file of the
        batch is reported as not imported (nothing of it was written)."""
        if not self.files:
            return
        try:
            with self.store.engine.begin() as conn:
                self._merge_and_write(conn)
        except SQLAlchemyError as exc:
            reason = getattr(exc, "orig", None) or exc
            for parsed, result in self.files:
                result.orders_added = result.orders_updated = result.orders_unchanged = 0
                result.instances_added = result.instances_updated = 0
                result.error = ImportRejected(
                    parsed.path, f"database error, not imported: {reason}"
                )
        self.files = []
        self.n_orders = 0

    def _merge_and_write(self, conn) -> None:
        now = utcnow()
        stored = self._load(conn)
        merged = stored.copy()
        orders, links = merged.orders, merged.links
        instances, accounts = merged.instances, merged.accounts
        audits: list[dict[str, Any]] = []

        def touch_account(account_id: str | None, name: str | None = None) -> None:
            if not account_id:
                return
            acc = accounts.get(account_id)
            if acc is None:
                accounts[account_id] = {
                    "account_id": account_id,
                    "name": name,
                    "created_at": now,
                    "updated_at": now,
                }
            elif name is not None and acc["name"] != name:
                acc["name"] = name

        def touch_instance(instance_id: str, result: FileResult, **values: Any) -> None:
            inst = instances.get(instance_id)
            if inst is None:
                inst = instances[instance_id] = {
                    "instance_id": instance_id,
                    "account_id": None,
                    "declared_kind": None,
                    "region": None,
                    "created_at": now,
                    "updated_at": now,
                }
                result.instances_added += 1
            for key, value in values.items():
                if value is not None and inst[key] != value:
                    inst[key] = value

        for parsed, result in self.files:
            for name_id, name in parsed.accounts.items():
                touch_account(name_id, name)
            for decl in parsed.instances:
                self._declare(decl, result, instances, touch_instance, touch_account)
            for facts in parsed.orders:
                self._apply(
                    facts,
                    parsed.path,
                    result,
                    orders,
                    links,
                    touch_instance,
                    touch_account,
                    audits,
                    now,
                )

        self._flush(conn, now, stored, merged, audits)

    @staticmethod
    def _declare(decl: InstanceFacts, result, instances, touch_instance, touch_account) -> None:
        touch_account(decl.account_id)
        before = dict(instances.get(decl.instance_id) or {})
        touch_instance(
            decl.instance_id,
            result,
            account_id=decl.account_id,
            declared_kind=decl.declared_kind,
            region=decl.region,
        )
        after = instances[decl.instance_id]
        if before and any(before[k] != after[k] for k in ("account_id", "declared_kind", "region")):
            result.instances_updated += 1

    @staticmethod
    def _apply(
        facts: OrderFacts, path, result, orders, links, touch_instance, touch_account, audits, now
    ) -> None:
        oid = facts.order_id
        current = orders.get(oid)
        is_new = current is None
        changes: dict[str, tuple[Any, Any]] = {}
        if is_new:
            current = dict(_BLANK_ORDER, order_id=oid, created_at=now, updated_at=now)
            current.update(facts.values)
            if current["detail_source"] is None:
                current.update(facts.weak)
            elif current["account_id"] is None and "account_id" in facts.weak:
                current["account_id"] = facts.weak["account_id"]
        else:

            def put(name: str, value: Any) -> None:
                old = current[name]
                if old != value:
                    changes[name] = (old, value)
                    current[name] = value

            for name, value in facts.values.items():
                put(name, value)
            if current["detail_source"] is None:
                for name, value in facts.weak.items():
                    put(name, value)
            elif current["account_id"] is None and "account_id" in facts.weak:
                put("account_id", facts.weak["account_id"])
        if facts.instance_ids is not None:
            new_links = facts.instance_ids
            ids_json = json.dumps(list(new_links))
            if is_new:
                current["instance_ids_json"] = ids_json
            elif current["instance_ids_json"] != ids_json:
                changes["instance_ids_json"] = (current["instance_ids_json"], ids_json)
                current["instance_ids_json"] = ids_json
            if links.get(oid, ()) != new_links:
                links[oid] = new_links
            for instance_id in new_links:
                touch_instance(
                    instance_id,
                    result,
                    account_id=current["account_id"],
                    region=current["region"],
                    declared_kind=facts.declared_kind,
                )
        touch_account(current["account_id"])
        if is_new:
            orders[oid] = current
            result.orders_added += 1
        elif changes:
            current["updated_at"] = now
            result.orders_updated += 1
            overwritten = {
                name: [_display(name, old), _display(name, new)]
                for name, (old, new) in changes.items()
                if old is not None and name != "detail_source"
            }
            if "instance_ids_json" in overwritten:
                overwritten["instance_ids"] = [
                    json.loads(v) for v in overwritten.pop("instance_ids_json")
                ]
            if overwritten:
                audits.append(
                    {
                        "entity_id": oid,
                        "detail": {"file": path, "record": facts.record, "changes": overwritten},
                    }
                )
        else:
            result.orders_unchanged += 1

    def _flush(self, conn, now, stored: _State, merged: _State, audits) -> None:
        stored_orders, stored_links = stored.orders, stored.links
        stored_instances, stored_accounts = stored.instances, stored.accounts
        orders, links = merged.orders, merged.links
        instances, accounts = merged.instances, merged.accounts
        new_accounts = [a for k, a in accounts.items() if k not in stored_accounts]
        changed_accounts = [
            {"b_key": k, "name": a["name"], "updated_at": now}
            for k, a in accounts.items()
            if k in stored_accounts and a["name"] != stored_accounts[k]["name"]
        ]
        new_instances = [i for k, i in instances.items() if k not in stored_instances]
        changed_instances = [
            {
                "b_key": k,
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
            {"b_key": k, **{c: o[c] for c in ORDER_FIELDS}, "updated_at": o["updated_at"]}
            for k, o in orders.items()
            if k in stored_orders and any(o[c] != stored_orders[k][c] for c in ORDER_FIELDS)
        ]
        relinked = [k for k, v in links.items() if stored_links.get(k, ()) != v]

        if new_accounts:
            bulk_insert(conn, m.accounts, new_accounts)
        if changed_accounts:
            bulk_update(conn, m.accounts, "account_id", ("name", "updated_at"), changed_accounts)
        if new_instances:
            bulk_insert(conn, m.instances, new_instances)
        if changed_instances:
            bulk_update(conn, m.instances, "instance_id", INSTANCE_FIELDS, changed_instances)
        if new_orders:
            bulk_insert(conn, m.orders, new_orders)
        if changed_orders:
            bulk_update(conn, m.orders, "order_id", (*ORDER_FIELDS, "updated_at"), changed_orders)
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
            if rows:
                bulk_insert(conn, m.order_instances, rows)
        from .history_exports import write_history

        history_written, notes = write_history(conn, [p for p, _ in self.files], now)
        if self.files:
            self.files[0][1].notes.extend(notes)
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
        )
        if wrote:
            results = [r for _, r in self.files]
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
            audit_chain.append(conn, entries)  # hash-chained, serialised with case writes


def import_paths(
    store: OrderStore,
    paths: Iterable[str | Path],
    *,
    actor: str,
    progress: Callable[[int, int], None] | None = None,
) -> ImportSummary:
    """Import BSS JSON exports and CSV files (files, or folders walked recursively).

    Args:
        store: the open store. paths: files and folders, imported in the order given (folder
            contents sorted by path). actor: who imports (audit log).
        progress: called as ``progress(files_done, files_total)`` after each file is read.
    Returns:
        :class:`ImportSummary` — ``.format()`` for people, ``.rejected`` the rejected files.
        Never raises for a bad file: each rejection is in its :class:`FileResult` (``.error``,
        an :class:`~refund_desk.errors.ImportRejected` naming file, record and field).
    """
    files = expand_paths(paths)
    summary = ImportSummary()
    batch = _Batch(store, actor)
    # A big import keeps ~10^5 live objects per batch and creates no reference cycles: the cyclic
    # garbage collector would rescan them over and over (about 15% of the time). Paused while
    # importing, restored after.
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        _import_files(files, summary, batch, progress)
    finally:
        if gc_was_enabled:
            gc.enable()
    if summary.added or summary.updated:
        from .db import checkpoint

        if summary.added + summary.updated > 10_000:
            checkpoint(store.engine)
    return summary


def _import_files(files, summary, batch, progress) -> None:
    for done, path in enumerate(files, 1):
        result = FileResult(path=path)
        summary.files.append(result)
        try:
            parsed = parse_path(path)
        except ImportRejected as exc:
            result.error = exc
        else:
            result.export = parsed.export
            result.records = parsed.records
            result.skipped = parsed.skipped
            batch.add(parsed, result)
            if batch.n_orders >= BATCH_ORDERS:
                batch.write()
        if progress is not None:
            progress(done, len(files))
    batch.write()


def import_file(store: OrderStore, path: str | Path, *, actor: str) -> FileResult:
    """Import one file; raises :class:`ImportRejected` when it is rejected (nothing written)."""
    result = import_paths(store, [path], actor=actor).files[0]
    if result.error is not None:
        raise result.error
    return result
