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

from sqlalchemy import Connection, Table, select
from sqlalchemy.exc import SQLAlchemyError

from ..errors import DatabaseError, ImportRejected
from ..policy.money import from_fen
from ..policy.timeutil import CHINA_TZ
from ..safetext import one_line
from . import audit_chain
from . import models as m
from .bss import GET_ORDER_DETAIL, QUERY_BILL
from .bulkwrite import insert_rows, update_rows
from .csvfile import CSV_EXPORT
from .db import LOCK_WAIT_S, checkpoint, problem, write_transaction
from .facts import InstanceFacts, OrderFacts, ParsedFile
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
    # enumerated values read in another letter case: {(field, as written, as read): count}
    case_notes: dict[tuple[str, str, str], int] = field(default_factory=dict)
    # set (to the problem, e.g. "the disk is full") when the file was fine but the database
    # failed while writing its batch
    database_failure: str | None = None
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
        """Plain text for people: totals, then one line per rejected file with its reason (files
        not imported because the database failed: one line per problem when more than three
        files were rejected)."""
        from ..wording import _, ngettext

        lines = [
            _("files read: {n}").format(n=self.files_read),
            _("orders added: {n}").format(n=self.added),
            _("orders updated: {n}").format(n=self.updated),
            _("orders unchanged: {n}").format(n=self.unchanged),
        ]
        if self.instances_added or self._total("instances_updated"):
            lines.append(
                _("instances added: {added}, updated: {updated}").format(
                    added=self.instances_added, updated=self._total("instances_updated")
                )
            )
        skipped = self._total("skipped")
        if skipped:
            lines.append(
                _("records without an order fact (recharges, usage bills…): {n}").format(n=skipped)
            )
        cased: dict[tuple[str, str, str], int] = {}
        for result in self.accepted:
            for key, count in result.case_notes.items():
                cased[key] = cased.get(key, 0) + count
        if cased:
            examples = ", ".join(
                _("{field} {written} as {read}").format(
                    field=name, written=repr(one_line(written)), read=repr(read)
                )
                for (name, written, read), _count in sorted(cased.items(), key=lambda kv: -kv[1])[
                    :3
                ]
            )
            lines.append(
                _("values read in another letter case: {n} ({examples})").format(
                    n=sum(cased.values()), examples=examples + (", …" if len(cased) > 3 else "")
                )
            )
        lines.extend(note for f in self.files for note in f.notes)
        lines.append(_("files rejected: {n}").format(n=len(self.rejected)))
        failed: dict[str, list[FileResult]] = {}  # the database failed: one line per reason
        for result in self.rejected:
            if result.database_failure is not None and len(self.rejected) > 3:
                failed.setdefault(result.database_failure, []).append(result)
            else:
                lines.append(_("  REJECTED {problem}").format(problem=result.error))
        for reason, results in failed.items():
            files = f"{one_line(results[0].path)}" + (
                f" … {one_line(results[-1].path)}" if len(results) > 1 else ""
            )
            lines.append(
                ngettext(
                    "  REJECTED {n} file ({files}): not imported, the database failed: {reason}",
                    "  REJECTED {n} files ({files}): not imported, the database failed: {reason}",
                    len(results),
                ).format(n=len(results), files=files, reason=reason)
            )
        return "\n".join(lines)


# --------------------------------------------------------------------------- reading files
def expand_paths(paths: Iterable[str | Path]) -> list[str]:
    """Files as given, folders walked recursively for ``*.json`` and ``*.csv`` (sorted by path).
    A path that does not exist is kept: reading it rejects it with a clear message."""
    result: list[str] = []
    for raw in paths:
        if os.path.isdir(raw):
            found: list[str] = []
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
        doc = load_json(text)
    except json.JSONDecodeError as exc:
        # Some of json's messages end in "at" already ("Invalid control character at").
        what = exc.msg.removesuffix(" at")
        raise ImportRejected(
            path, f"not valid JSON: {what} at line {exc.lineno}, column {exc.colno}"
        ) from None
    except RecursionError:
        raise ImportRejected(path, "not a BSS export: JSON nested too deeply") from None
    return parse_bss(path, doc)


def load_json(text: str) -> Any:
    """Decode a JSON export keeping every number as its literal text (``"1464.0"``, ``"1e3"``,
    ``"NaN"``): amounts are then judged by the one amount grammar whichever way they were
    written, and no number is converted on the way (a float would round ``1.23457E+11``, an int
    of 5,000 digits would exceed Python's conversion limit).

    Raises:
        json.JSONDecodeError: not JSON. RecursionError: nested too deeply.
    """
    return json.loads(text, parse_float=str, parse_int=str, parse_constant=str)


# --------------------------------------------------------------------------- merging
BREAKDOWN = ("cash_fen", "voucher_fen", "coupon_fen", "prepaid_card_fen")
BILL_AMOUNTS = (*BREAKDOWN, "list_price_fen")
# How each export names the order columns a conflict can be about.
EXPORT_FIELDS = {
    GET_ORDER_DETAIL: {
        "usage_start": "UsageStartTime",
        "usage_end": "UsageEndTime",
        "list_price_fen": "PretaxGrossAmount",
    },
    QUERY_BILL: {
        "usage_start": "UsageStartTime",
        "usage_end": "UsageEndTime",
        "list_price_fen": "PretaxGrossAmount",
        "cash_fen": "PaymentAmount",
    },
    CSV_EXPORT: {
        "usage_start": "usage_start",
        "usage_end": "usage_end",
        "list_price_fen": "list_price",
        "cash_fen": "cash",
    },
}
_ABSENT = object()


def _display(name: str, value: Any) -> Any:
    if value is None:
        return None
    if name.endswith("_fen"):
        return str(from_fen(value))
    if isinstance(value, datetime):
        return value.isoformat()
    return value


def _china(moment: datetime) -> str:
    return moment.astimezone(CHINA_TZ).strftime("%Y-%m-%d %H:%M China time")


@dataclass
class _State:
    """Rows of everything a batch touches, by key: as stored, or as merged (a copy).
    ``bills`` is ``{order_id: {sub_order_id: bill record row}}``."""

    orders: dict[str, dict[str, Any]]
    links: dict[str, tuple[str, ...]]
    instances: dict[str, dict[str, Any]]
    accounts: dict[str, dict[str, Any]]
    bills: dict[str, dict[str, dict[str, Any]]]

    def copy(self) -> _State:
        return _State(
            {k: dict(v) for k, v in self.orders.items()},
            dict(self.links),
            {k: dict(v) for k, v in self.instances.items()},
            {k: dict(v) for k, v in self.accounts.items()},
            {k: {s: dict(r) for s, r in v.items()} for k, v in self.bills.items()},
        )


class _Journal:
    """What one file changed in the merged state, kept at first touch, so that a file found to
    contradict what is stored (or an earlier file) is undone alone."""

    def __init__(self, state: _State):
        self.state = state
        self.saved: dict[tuple[str, str], Any] = {}

    def keep(self, table: str, key: str) -> None:
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


class _Batch:
    """Accepted files merged in memory against the stored state, then written at once, all in
    one write transaction (the stored state is read under the write lock)."""

    def __init__(
        self,
        store: OrderStore,
        actor: str,
        waiting: Callable[[float], None] | None,
        wait_s: float,
    ):
        self.store = store
        self.actor = actor
        self.waiting = waiting
        self.wait_s = wait_s
        self.files: list[tuple[ParsedFile, FileResult]] = []
        self.n_orders = 0
        # Orders this import added to the database (earlier batches) and the ids stored before
        # the batch being merged: a later file's facts about an order the same import added
        # are part of adding it, never counted as an update.
        self._added_earlier: set[str] = set()
        self._stored_before: set[str] = set()
        self._new_in_batch: set[str] = set()

    def add(self, parsed: ParsedFile, result: FileResult) -> None:
        self.files.append((parsed, result))
        self.n_orders += len(parsed.orders) + len(parsed.instances)

    # -- loading the stored state of everything the batch touches
    def _load(self, conn: Connection) -> _State:
        order_ids: set[str] = set()
        billed: set[str] = set()
        instance_ids: set[str] = set()
        account_ids: set[str] = set()
        for parsed, _ in self.files:
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
        return _State(
            orders,
            links,
            _rows_by_key(conn, m.instances, "instance_id", instance_ids),
            _rows_by_key(conn, m.accounts, "account_id", account_ids),
            _bills_of(conn, billed & orders.keys()),
        )

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
                    _reset(result)
                    result.database_failure = reason
                    result.error = ImportRejected(
                        parsed.path, f"not imported, the database failed: {reason}"
                    )
        self.files = []
        self.n_orders = 0

    def _merge_and_write(self, conn: Connection) -> None:
        now = utcnow()
        stored = self._load(conn)
        self._stored_before = set(stored.orders)
        merged = stored.copy()
        audits: list[dict[str, Any]] = []
        for index, (parsed, result) in enumerate(self.files):
            journal = _Journal(merged)
            mark = len(audits)
            try:
                touched = self._apply_file(parsed, result, merged, journal, audits, now)
                self._check(index, parsed, touched, stored, merged)
            except ImportRejected as exc:
                journal.undo()
                del audits[mark:]
                _reset(result)
                result.error = exc
        self._new_in_batch = set(merged.orders) - self._stored_before
        self._flush(conn, now, stored, merged, audits)

    def _apply_file(
        self,
        parsed: ParsedFile,
        result: FileResult,
        merged: _State,
        journal: _Journal,
        audits: list[dict[str, Any]],
        now: datetime,
    ) -> list[OrderFacts]:
        instances, accounts = merged.instances, merged.accounts

        def touch_account(account_id: str | None, name: str | None = None) -> None:
            if not account_id:
                return
            journal.keep("accounts", account_id)
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
            journal.keep("instances", instance_id)
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

        for name_id, name in parsed.accounts.items():
            touch_account(name_id, name)
        for decl in parsed.instances:
            self._declare(decl, result, instances, touch_instance, touch_account)
        touched: list[OrderFacts] = []
        for facts in parsed.orders:
            journal.keep("orders", facts.order_id)
            journal.keep("links", facts.order_id)
            if facts.bills is not None:
                journal.keep("bills", facts.order_id)
            self._apply(
                facts,
                parsed.path,
                result,
                merged,
                touch_instance,
                touch_account,
                audits,
                now,
            )
            touched.append(facts)
        return touched

    @staticmethod
    def _declare(
        decl: InstanceFacts,
        result: FileResult,
        instances: dict[str, dict[str, Any]],
        touch_instance: Callable[..., None],
        touch_account: Callable[..., None],
    ) -> None:
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
    def _bill_totals(
        facts: OrderFacts, path: str, merged: _State, now: datetime
    ) -> dict[str, int] | None:
        """Merge the file's bill records of the order into its stored ones; when any record is
        new or different, the order's breakdown (and, for the weak facts, its list price) is the
        sum of all its records. ``None`` when no record changed."""
        records = merged.bills.get(facts.order_id)
        if records is None:
            records = merged.bills[facts.order_id] = {}
        changed = False
        for sub, amounts in (facts.bills or {}).items():
            old = records.get(sub)
            if old is not None and all(old[c] == amounts[c] for c in BILL_AMOUNTS):
                continue
            records[sub] = {
                "order_id": facts.order_id,
                "sub_order_id": sub,
                **amounts,
                "source": path,
                "created_at": old["created_at"] if old is not None else now,
                "updated_at": now,
            }
            changed = True
        if not changed:
            return None
        return {c: sum(r[c] for r in records.values()) for c in BILL_AMOUNTS}

    def _apply(
        self,
        facts: OrderFacts,
        path: str,
        result: FileResult,
        merged: _State,
        touch_instance: Callable[..., None],
        touch_account: Callable[..., None],
        audits: list[dict[str, Any]],
        now: datetime,
    ) -> None:
        orders, links = merged.orders, merged.links
        oid = facts.order_id
        values, weak = facts.values, facts.weak
        if facts.bills is not None:
            totals = self._bill_totals(facts, path, merged, now)
            if totals is not None:
                values = {**values, **{c: totals[c] for c in BREAKDOWN}}
                weak = {**weak, "list_price_fen": totals["list_price_fen"]}
        found = orders.get(oid)
        is_new = found is None
        changes: dict[str, tuple[Any, Any]] = {}
        current = (
            dict(_BLANK_ORDER, order_id=oid, created_at=now, updated_at=now)
            if found is None
            else found
        )
        if is_new:
            current.update(values)
            if current["detail_source"] is None:
                current.update(weak)
            elif current["account_id"] is None and "account_id" in weak:
                current["account_id"] = weak["account_id"]
        else:

            def put(name: str, value: Any) -> None:
                old = current[name]
                if old != value:
                    changes[name] = (old, value)
                    current[name] = value

            for name, value in values.items():
                put(name, value)
            if current["detail_source"] is None:
                for name, value in weak.items():
                    put(name, value)
            elif current["account_id"] is None and "account_id" in weak:
                put("account_id", weak["account_id"])
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
        # Added by an earlier file of this import: this file completes the new order.
        adding = not is_new and (oid not in self._stored_before or oid in self._added_earlier)
        if is_new:
            orders[oid] = current
            result.orders_added += 1
        elif changes:
            current["updated_at"] = now
            result.orders_updated += 0 if adding else 1
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
        elif not adding:
            result.orders_unchanged += 1

    # -- facts that contradict each other across files
    def _check(
        self,
        index: int,
        parsed: ParsedFile,
        touched: list[OrderFacts],
        stored: _State,
        merged: _State,
    ) -> None:
        """Reject the file (naming both sources) when, merged with what is stored and what the
        earlier files of the batch said, an order it touched has a usage end before its usage
        start, or a payment breakdown larger than its list price (``AMOUNT-BASIS``: the
        refundable basis can never exceed what the order cost)."""
        for facts in touched:
            row = merged.orders[facts.order_id]
            start, end = row["usage_start"], row["usage_end"]
            if start is not None and end is not None and end < start:
                mine = "usage_end" if self._said(facts, "usage_end") else "usage_start"
                other = "usage_start" if mine == "usage_end" else "usage_end"
                raise ImportRejected(
                    parsed.path,
                    f"the usage would end ({_china(end)}) before it starts ({_china(start)}): "
                    f"this file's {self._field(parsed, mine)} contradicts the "
                    f"{other.replace('_', ' ')} from "
                    f"{self._source(index, facts.order_id, other, stored)}",
                    record=facts.record,
                    field=self._field(parsed, mine),
                )
            parts = [row[c] for c in BREAKDOWN]
            price = row["list_price_fen"]
            if price is None or any(p is None for p in parts) or sum(parts) <= price:
                continue
            if self._said(facts, "cash_fen"):
                mine, other, what = "cash_fen", "list_price_fen", "the list price"
            else:
                mine, other, what = "list_price_fen", "cash_fen", "the payment breakdown"
            raise ImportRejected(
                parsed.path,
                f"order {facts.order_id}: the payment breakdown ({from_fen(sum(parts)):,.2f}: "
                "cash + prepaid card + vouchers + coupons) would exceed the list price "
                f"({from_fen(price):,.2f}); this file's {self._field(parsed, mine)} contradicts "
                f"{what} from {self._source(index, facts.order_id, other, stored)}",
                record=facts.record,
                field=self._field(parsed, mine),
            )

    @staticmethod
    def _said(facts: OrderFacts, column: str) -> bool:
        if column == "cash_fen" and facts.bills is not None:
            return True
        return column in facts.values or column in facts.weak

    @staticmethod
    def _field(parsed: ParsedFile, column: str) -> str:
        return EXPORT_FIELDS.get(parsed.export, {}).get(column, column)

    def _source(self, index: int, order_id: str, column: str, stored: _State) -> str:
        """Where the merged value of ``column`` of ``order_id`` came from: the latest earlier
        file of this import that said it, else the database."""
        for parsed, _ in reversed(self.files[:index]):
            for facts in parsed.orders:
                if facts.order_id == order_id and self._said(facts, column):
                    return f"{parsed.path} ({facts.record})"
        if column == "cash_fen":
            sources = {r["source"] for r in stored.bills.get(order_id, {}).values()}
            if sources:
                return "the database (imported from " + ", ".join(sorted(sources)[:2]) + ")"
        row = stored.orders.get(order_id)
        origin = f", {row['detail_source']}" if row and row["detail_source"] else ""
        return f"the database (an earlier import{origin})"

    def _flush(
        self,
        conn: Connection,
        now: datetime,
        stored: _State,
        merged: _State,
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


def _reset(result: FileResult) -> None:
    result.orders_added = result.orders_updated = result.orders_unchanged = 0
    result.instances_added = result.instances_updated = 0


def import_paths(
    store: OrderStore,
    paths: Iterable[str | Path],
    *,
    actor: str,
    progress: Callable[[int, int], None] | None = None,
    waiting: Callable[[float], None] | None = None,
    wait_s: float = LOCK_WAIT_S,
) -> ImportSummary:
    """Import BSS JSON exports and CSV files (files, or folders walked recursively).

    Args:
        store: the open store. paths: files and folders, imported in the order given (folder
            contents sorted by path). actor: who imports (audit log).
        progress: called as ``progress(files_done, files_total)`` after each file is read.
        waiting: called with the seconds waited so far while another desk's import holds the
            database's write lock (about once a second; a progress report, not an error).
        wait_s: how long to wait for that lock before the batch's files are reported as not
            imported (default :data:`~.db.LOCK_WAIT_S`, 10 minutes).
    Returns:
        :class:`ImportSummary` — ``.format()`` for people, ``.rejected`` the rejected files.
        Never raises for a bad file or a database failure: each rejection is in its
        :class:`FileResult` (``.error``, an :class:`~refund_desk.errors.ImportRejected` naming
        file, record and field, or the database problem in one plain line).
    """
    files = expand_paths(paths)
    summary = ImportSummary()
    batch = _Batch(store, actor, waiting, wait_s)
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
    if summary.added + summary.updated > 10_000:
        try:
            checkpoint(store.engine)
        except SQLAlchemyError:
            pass  # only an optimisation: SQLite checkpoints on its own later
    return summary


def _import_files(
    files: list[str],
    summary: ImportSummary,
    batch: _Batch,
    progress: Callable[[int, int], None] | None,
) -> None:
    for done, path in enumerate(files, 1):
        result = FileResult(path=path)
        summary.files.append(result)
        try:
            parsed = parse_path(path)
        except ImportRejected as exc:
            result.error = exc
        except (RecursionError, MemoryError):
            result.error = ImportRejected(path, "too deeply nested or too large to read")
        except Exception as exc:  # noqa: BLE001 - one odd file must not stop the others
            result.error = ImportRejected(
                path,
                f"could not be read ({type(exc).__name__}); nothing was imported from it. "
                "Please report this file to the desk's maintainers",
            )
        else:
            result.export = parsed.export
            result.records = parsed.records
            result.skipped = parsed.skipped
            result.case_notes = parsed.case_notes
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
