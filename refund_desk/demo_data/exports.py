"""Writing generated data as files, as the BSS OpenAPI (2017-12-14) returns them and as operators
save them:

- ``orders/GetOrderDetail-<OrderId>.json`` — one per order;
- ``QueryBill-<YYYY-MM>.json`` — one per billing cycle (China-time month of payment), paginated
  into ``QueryBill-<YYYY-MM>-p<N>.json`` beyond ``page_size`` items;
- ``QueryAccountTransactions.json`` — every payment, paginated into
  ``QueryAccountTransactions-p<N>.json``;

and the desk's CSV template (instance declarations, account names, invoice/marketplace facts).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path

from .bss_docs import (
    available_instances_doc,
    bill_item,
    envelope,
    order_detail_doc,
    refund_order_detail_doc,
    transaction,
)
from .orders import EXPORT_ACCOUNT_NAME, PAGE_SIZE, DemoDataset, GenOrder, reference_orders


def _pages(items: list, page_size: int) -> list[list]:
    return [items[i : i + page_size] for i in range(0, len(items), page_size)] or [[]]


def _dump(path: Path, doc: dict) -> None:
    path.write_text(json.dumps(doc, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def _sort_key(order: GenOrder) -> tuple[str, datetime, str]:
    return (order.account_id, order.payment_time or order.create_time, order.order_id)


def write_exports(
    orders: Iterable[GenOrder], out_dir: str | Path, *, page_size: int = PAGE_SIZE
) -> dict[str, int]:
    """Write the BSS exports of ``orders`` under ``out_dir`` (created).

    Returns:
        ``{"detail_files": n, "bill_files": n, "transaction_files": n, "bill_items": n,
        "transactions": n}``.
    """
    out = Path(out_dir)
    (out / "orders").mkdir(parents=True, exist_ok=True)
    orders = sorted(orders, key=_sort_key)
    counts = dict.fromkeys(
        ("detail_files", "bill_files", "transaction_files", "bill_items", "transactions"), 0
    )
    cycles: dict[str, list[GenOrder]] = {}
    paid_with_channel: list[GenOrder] = []
    for order in orders:
        if order.in_detail:
            _dump(out / "orders" / f"GetOrderDetail-{order.order_id}.json", order_detail_doc(order))
            counts["detail_files"] += 1
        if order.paid and order.in_bill:
            cycles.setdefault(order.billing_cycle, []).append(order)
        if order.paid and order.channel is not None:
            paid_with_channel.append(order)
    for cycle in sorted(cycles):
        items = cycles[cycle]
        owners = {o.account_id for o in items}
        owner = items[0].account_id if len(owners) == 1 else "1000000000000001"
        for number, page in enumerate(_pages(items, page_size), 1):
            key = cycle if number == 1 else f"{cycle}-{number}"
            name = f"QueryBill-{cycle}.json" if number == 1 else f"QueryBill-{cycle}-p{number}.json"
            _dump(
                out / name,
                envelope(
                    key,
                    {
                        "BillingCycle": cycle,
                        "AccountID": owner,
                        "AccountName": EXPORT_ACCOUNT_NAME,
                        "TotalCount": len(items),
                        "PageNum": number,
                        "PageSize": page_size,
                        "Items": {"Item": [bill_item(o) for o in page]},
                    },
                ),
            )
            counts["bill_files"] += 1
            counts["bill_items"] += len(page)
    if paid_with_channel:
        for number, page in enumerate(_pages(paid_with_channel, page_size), 1):
            key = "txns" if number == 1 else f"txns-{number}"
            name = (
                "QueryAccountTransactions.json"
                if number == 1
                else f"QueryAccountTransactions-p{number}.json"
            )
            _dump(
                out / name,
                envelope(
                    key,
                    {
                        "AccountName": EXPORT_ACCOUNT_NAME,
                        "TotalCount": len(paid_with_channel),
                        "PageNum": number,
                        "PageSize": page_size,
                        "AccountTransactionsList": {
                            "AccountTransactionsList": [transaction(o) for o in page]
                        },
                    },
                ),
            )
            counts["transaction_files"] += 1
            counts["transactions"] += len(page)
    return counts


def write_reference_exports(out_dir: str | Path) -> dict[str, int]:
    """Write the reference fixtures (identical to the BSS fixtures the project started from)."""
    return write_exports(reference_orders(), out_dir)


def write_demo_files(data: DemoDataset, out_dir: str | Path) -> list[Path]:
    """Write the demo's BSS exports (``bss/``) and its CSV (``desk-facts.csv``); returns the
    paths to import, in order (the CSV last: its facts complete the BSS orders)."""
    from ..store.csvfile import COLUMNS

    out = Path(out_dir)
    write_exports(data.orders, out / "bss")
    for refund in data.refunds:
        _dump(out / "bss" / "orders" / f"GetOrderDetail-{refund.order_id}.json",
              refund_order_detail_doc(refund))  # fmt: skip
    if data.statuses:
        _dump(out / "bss" / "QueryAvailableInstances.json",
              available_instances_doc(data.statuses, "demo-instances"))  # fmt: skip
    csv_path = out / "desk-facts.csv"
    write_csv(data.csv_rows, csv_path, COLUMNS)
    return [out / "bss", csv_path]


def write_csv(rows: Iterable[dict[str, str]], path: Path, columns: tuple[str, ...]) -> None:
    """Write ``rows`` (dicts of column → text) as a CSV file in the desk's template."""
    import csv

    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(columns), lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({c: row.get(c, "") for c in columns})
