"""Merging an import's files in memory, by order id, against what is stored: each accepted file
applied in the order given (a full order record wins over a bill item's weak facts; otherwise the
last file wins), then checked against the stored rows and the earlier files; a file that
contradicts them is undone alone and rejected, naming both sources (``docs/STORE.md``)."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from typing import Any

from ..errors import ImportRejected
from ..policy.money import from_fen
from ..policy.timeutil import CHINA_TZ
from . import models as m
from .bss import GET_ORDER_DETAIL, QUERY_BILL
from .csvfile import CSV_EXPORT
from .facts import InstanceFacts, OrderFacts, ParsedFile
from .import_report import FileResult, reset_counts
from .import_state import BatchState, Journal

ORDER_FIELDS = tuple(
    c for c in m.ORDER_COLUMNS if c not in ("order_id", "created_at", "updated_at")
)
_BLANK_ORDER = dict.fromkeys(ORDER_FIELDS, None) | {"assumed_tz": False}
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


class BatchMerge:
    """The accepted files of one batch merged in memory, in order, against the ``stored`` state
    (read under the write lock). After :meth:`run`: ``merged`` is the state to write and
    ``audits`` the ``order.update`` entries (``{"entity_id", "detail"}``) of the files kept; each
    file found to contradict is undone alone and its result carries the rejection.

    ``added_earlier``: ids of orders earlier batches of the same import added; a later file's
    facts about them are part of adding them, never counted as an update."""

    def __init__(
        self,
        files: list[tuple[ParsedFile, FileResult]],
        stored: BatchState,
        added_earlier: set[str],
        now: datetime,
    ) -> None:
        self.files = files
        self.stored = stored
        self.merged = stored.copy()
        self.audits: list[dict[str, Any]] = []
        self.now = now
        self._stored_before = set(stored.orders)
        self._added_earlier = added_earlier

    def run(self) -> set[str]:
        """Merge every file of the batch; returns the ids of the orders the batch adds."""
        for index, (parsed, result) in enumerate(self.files):
            journal = Journal(self.merged)
            mark = len(self.audits)
            try:
                touched = self._apply_file(
                    parsed, result, self.merged, journal, self.audits, self.now
                )
                self._check(index, parsed, touched, self.stored, self.merged)
            except ImportRejected as exc:
                journal.undo()
                del self.audits[mark:]
                reset_counts(result)
                result.error = exc
        return set(self.merged.orders) - self._stored_before

    def _apply_file(
        self,
        parsed: ParsedFile,
        result: FileResult,
        merged: BatchState,
        journal: Journal,
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
        facts: OrderFacts, path: str, merged: BatchState, now: datetime
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
        merged: BatchState,
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
        stored: BatchState,
        merged: BatchState,
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

    def _source(self, index: int, order_id: str, column: str, stored: BatchState) -> str:
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
