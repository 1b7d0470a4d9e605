"""The selected instance: its kind, account and all its orders (payment time in China time and
in the operator's local time, payment breakdown, channel and status); or, for an account, its
instances to choose from."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from .records_model import RecordsTableModel

ORDER_COLUMNS = (
    "Order",
    "Type",
    "Status",
    "Paid (China)",
    "Paid (your time)",
    "Usage (China)",
    "List price",
    "Cash",
    "Prepaid card",
    "Voucher",
    "Coupon",
    "Channel",
    "Missing",
)
ORDER_TIPS = (
    "BSS OrderId.",
    "New, Renew or Upgrade.",
    "PaymentStatus: only Paid orders are refunded.",
    "Payment time in China time (UTC+8): the rules are judged on this date.",
    "The same payment time in your computer's time zone.",
    "Usage period in China time.",
    "PretaxGrossAmount, CNY.",
    "Cash paid (PaymentAmount), CNY: refundable.",
    "Prepaid card (DeductedByPrepaidCard), CNY: refundable.",
    "Vouchers (DeductedByCashCoupons), CNY: never refunded.",
    "Coupons (DeductedByCoupons), CNY: never refunded.",
    "BSS TransactionChannel.",
    "Facts not imported yet (DATA-MISSING: never guessed).",
)
INSTANCE_COLUMNS = ("Instance", "Kind", "Orders", "Region")


def _order_cell(rec, col: int) -> str:
    from .quote_format import china_time, local_time, money

    if col == 0:
        return rec.order_id
    if col == 1:
        return rec.order_type or "—"
    if col == 2:
        return rec.payment_status or "—"
    if col == 3:
        return china_time(rec.payment_time)
    if col == 4:
        return local_time(rec.payment_time)
    if col == 5:
        if rec.usage_start is None and rec.usage_end is None:
            return "—"
        return f"{china_time(rec.usage_start)} → {china_time(rec.usage_end)}"
    if col == 6:
        return money(rec.list_price)
    if 7 <= col <= 10:
        return money(getattr(rec, ("cash", "prepaid_card", "voucher", "coupon")[col - 7]))
    if col == 11:
        return rec.channel or "— missing"
    return ", ".join(rec.missing) or "—"


def _instance_cell(rec, col: int) -> str:
    from .quote_format import KIND_WORDS

    if col == 0:
        return rec.instance_id
    if col == 1:
        return KIND_WORDS.get(rec.kind.value, rec.kind.value) if rec.kind else "not known yet"
    if col == 2:
        return str(rec.order_count)
    return rec.region or "—"


class InstancePanel(QWidget):
    """Instance header and its orders table (or an account's instances).

    Signals:
        instance_chosen(str): an instance of the shown account was opened.
    """

    instance_chosen = Signal(str)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        self.header_label = QLabel("No instance selected.")
        self.header_label.setObjectName("instance_header")
        self.header_label.setTextFormat(Qt.TextFormat.RichText)
        self.header_label.setWordWrap(True)
        self.header_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.header_label)
        self.orders_model = RecordsTableModel(
            ORDER_COLUMNS,
            _order_cell,
            tooltips=ORDER_TIPS,
            right_aligned=(6, 7, 8, 9, 10),
            parent=self,
        )
        self.instances_model = RecordsTableModel(INSTANCE_COLUMNS, _instance_cell, parent=self)
        self.view = QTableView()
        self.view.setObjectName("instance_orders")
        self.view.setModel(self.orders_model)
        self.view.verticalHeader().hide()
        self.view.setAlternatingRowColors(True)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setToolTip("All orders of the instance (times in China time and yours).")
        self.view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.view.activated.connect(self._activated)
        layout.addWidget(self.view, 1)

    def clear(self) -> None:
        """Show nothing."""
        self.header_label.setText("No instance selected. Search on the left (Ctrl+F).")
        self.view.setModel(self.orders_model)
        self.orders_model.set_records([])

    def show_instance(self, record, orders: list, total_orders: int) -> None:
        """Show instance ``record`` (:class:`~refund_desk.store.InstanceRecord`) and ``orders``
        (one page of :class:`~refund_desk.store.OrderRecord`, ``total_orders`` in all)."""
        from .quote_format import KIND_WORDS

        kind = (
            KIND_WORDS.get(record.kind.value, record.kind.value)
            if record.kind
            else "kind not known yet"
        )
        account = html.escape(record.account_id or "—")
        if record.account_name:
            account += f" ({html.escape(record.account_name)})"
        shown = "" if len(orders) >= total_orders else f" — showing the newest {len(orders)}"
        self.header_label.setText(
            f"<span style='font-size:large'><b>{html.escape(record.instance_id)}</b></span> "
            f"&nbsp; {html.escape(kind)}<br>Account <b>{account}</b>"
            f" &nbsp;·&nbsp; region {html.escape(record.region or '—')}"
            f" &nbsp;·&nbsp; {total_orders} order{'s' if total_orders != 1 else ''}{shown}"
        )
        self.view.setModel(self.orders_model)
        self.orders_model.set_records(orders)
        self.view.resizeColumnsToContents()

    def show_account(self, account, instances: list) -> None:
        """Show an account (:class:`~refund_desk.store.AccountRecord`) and its instances."""
        name = f" ({html.escape(account.name)})" if account.name else ""
        self.header_label.setText(
            f"<span style='font-size:large'><b>Account {html.escape(account.account_id)}</b>"
            f"</span>{name}<br>{account.instance_count} instance(s), {account.order_count} "
            "order(s). Choose an instance (Enter or double-click)."
        )
        self.view.setModel(self.instances_model)
        self.instances_model.set_records(instances)
        self.view.resizeColumnsToContents()

    def _activated(self, index) -> None:
        if self.view.model() is self.instances_model and index.isValid():
            self.instance_chosen.emit(self.instances_model.record(index.row()).instance_id)
