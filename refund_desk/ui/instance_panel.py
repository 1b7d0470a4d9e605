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

from ..wording import N_, _, ngettext
from .records_model import RecordsTableModel

# (key, header, tooltip). Breakdown, channel and missing facts come right after the payment
# time, so they are on screen without side scrolling; "your time" and usage come last.
ORDER_FIELDS = (
    ("order", N_("Order"), N_("BSS OrderId.")),
    ("type", N_("Type"), N_("New, Renew or Upgrade.")),
    ("status", N_("Status"), N_("PaymentStatus: only Paid orders are refunded.")),
    (
        "paid_china",
        N_("Paid (China)"),
        N_("Payment time in China time (UTC+8): the rules are judged on this date."),
    ),
    ("cash", N_("Cash"), N_("Cash paid (PaymentAmount), CNY: refundable.")),
    ("prepaid_card", N_("Prepaid"), N_("Prepaid card (DeductedByPrepaidCard), CNY: refundable.")),
    ("voucher", N_("Voucher"), N_("Vouchers (DeductedByCashCoupons), CNY: never refunded.")),
    ("coupon", N_("Coupon"), N_("Coupons (DeductedByCoupons), CNY: never refunded.")),
    ("channel", N_("Channel"), N_("BSS TransactionChannel.")),
    ("missing", N_("Missing"), N_("Facts not imported yet (DATA-MISSING: never guessed).")),
    ("list_price", N_("List price"), N_("PretaxGrossAmount, CNY.")),
    ("usage", N_("Usage (China)"), N_("Usage period in China time.")),
    (
        "paid_local",
        N_("Paid (your time)"),
        N_("The same payment time in your computer's time zone."),
    ),
)
ORDER_COLUMNS = tuple(header for _key, header, _tip in ORDER_FIELDS)
ORDER_TIPS = tuple(tip for _key, _header, tip in ORDER_FIELDS)
ORDER_COLUMN = {key: col for col, (key, _h, _t) in enumerate(ORDER_FIELDS)}
# The store's names of facts not imported yet (OrderRecord.missing), as the window shows them.
MISSING_WORDS = {
    "instance": N_("instance"),
    "payment_time": N_("payment time"),
    "usage_start": N_("usage start"),
    "usage_end": N_("usage end"),
    "list_price": N_("list price"),
    "channel": N_("channel"),
    "breakdown": N_("breakdown"),
}
INSTANCE_COLUMNS = (N_("Instance"), N_("Kind"), N_("Orders"), N_("Region"))


def _order_cell(rec, col: int) -> str:
    from .quote_format import china_time, local_time, money

    key = ORDER_FIELDS[col][0]
    if key == "order":
        return rec.order_id
    if key == "type":
        from ..wording_rules import order_type_words

        return order_type_words(rec.order_type) if rec.order_type else "—"
    if key == "status":
        from ..wording_rules import payment_status_words

        return payment_status_words(rec.payment_status) if rec.payment_status else "—"
    if key == "paid_china":
        return china_time(rec.payment_time)
    if key == "paid_local":
        return local_time(rec.payment_time)
    if key == "usage":
        if rec.usage_start is None and rec.usage_end is None:
            return "—"
        return f"{china_time(rec.usage_start)} → {china_time(rec.usage_end)}"
    if key in ("list_price", "cash", "prepaid_card", "voucher", "coupon"):
        return money(getattr(rec, key))
    if key == "channel":
        return rec.channel or _("— missing")
    return ", ".join(_(MISSING_WORDS.get(name, name)) for name in rec.missing) or "—"


def _instance_cell(rec, col: int) -> str:
    from ..wording_rules import kind_words

    if col == 0:
        return rec.instance_id
    if col == 1:
        return kind_words(rec.kind.value) if rec.kind else _("not known yet")
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
        self.header_label = QLabel(_("No instance selected."))
        self.header_label.setObjectName("instance_header")
        self.header_label.setTextFormat(Qt.TextFormat.RichText)
        self.header_label.setWordWrap(True)
        self.header_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.header_label)
        self.orders_model = RecordsTableModel(
            [_(c) for c in ORDER_COLUMNS],
            _order_cell,
            tooltips=[_(t) for t in ORDER_TIPS],
            right_aligned=tuple(
                ORDER_COLUMN[k] for k in ("cash", "prepaid_card", "voucher", "coupon", "list_price")
            ),
            parent=self,
        )
        self.instances_model = RecordsTableModel(
            [_(c) for c in INSTANCE_COLUMNS], _instance_cell, parent=self
        )
        self.view = QTableView()
        self.view.setObjectName("instance_orders")
        self.view.setAccessibleName(_("Orders of the instance"))
        self.view.setModel(self.orders_model)
        self.view.verticalHeader().hide()
        # Compact rows: an instance with seven or eight orders shows them all by default.
        self.view.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.view.setWordWrap(False)
        self.view.setAlternatingRowColors(True)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setToolTip(_("All orders of the instance (times in China time and yours)."))
        self.view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.view.activated.connect(self._activated)
        layout.addWidget(self.view, 1)

    def clear(self) -> None:
        """Show nothing."""
        self.header_label.setText(_("No instance selected. Search on the left (Ctrl+F)."))
        self.view.setModel(self.orders_model)
        self.orders_model.set_records([])

    def show_instance(self, record, orders: list, total_orders: int) -> None:
        """Show instance ``record`` (:class:`~refund_desk.store.InstanceRecord`) and ``orders``
        (one page of :class:`~refund_desk.store.OrderRecord`, ``total_orders`` in all)."""
        from ..wording_rules import kind_words

        kind = kind_words(record.kind.value) if record.kind else _("kind not known yet")
        account = html.escape(record.account_id or "—")
        if record.account_name:
            account += _(" ({name})").format(name=html.escape(record.account_name))
        shown = (
            ""
            if len(orders) >= total_orders
            else _(" — showing the newest {n}").format(n=len(orders))
        )
        orders_words = ngettext("{n} order", "{n} orders", total_orders).format(n=total_orders)
        self.header_label.setText(
            f"<span style='font-size:large'><b>{html.escape(record.instance_id)}</b></span> "
            f"&nbsp; {html.escape(kind)}<br>"
            + _("Account <b>{account}</b>").format(account=account)
            + " &nbsp;·&nbsp; "
            + _("region {region}").format(region=html.escape(record.region or "—"))
            + f" &nbsp;·&nbsp; {html.escape(orders_words)}{html.escape(shown)}"
        )
        self.view.setModel(self.orders_model)
        self.orders_model.set_records(orders)
        self.view.resizeColumnsToContents()

    def show_account(self, account, instances: list) -> None:
        """Show an account (:class:`~refund_desk.store.AccountRecord`) and its instances."""
        name = _(" ({name})").format(name=html.escape(account.name)) if account.name else ""
        self.header_label.setText(
            "<span style='font-size:large'><b>"
            + _("Account {account_id}").format(account_id=html.escape(account.account_id))
            + f"</b></span>{name}<br>"
            + html.escape(
                _(
                    "{instances} instance(s), {orders} order(s). Choose an instance (Enter or "
                    "double-click)."
                ).format(instances=account.instance_count, orders=account.order_count)
            )
        )
        self.view.setModel(self.instances_model)
        self.instances_model.set_records(instances)
        self.view.resizeColumnsToContents()

    def preferred_height(self, max_rows: int = 8) -> int:
        """The height that shows the header and up to ``max_rows`` rows of the table (with its
        horizontal scroll bar) without an inner vertical scroll bar."""
        model = self.view.model()
        rows = min(max(model.rowCount() if model else 0, 1), max_rows)
        margins = self.layout().contentsMargins()
        header = self.view.horizontalHeader()
        height = (
            margins.top()
            + margins.bottom()
            + self.layout().spacing()
            + self.header_label.heightForWidth(max(200, self.width() - 12))
            + max(header.height(), header.sizeHint().height())
            + rows * self.view.verticalHeader().defaultSectionSize()
            + self.view.horizontalScrollBar().sizeHint().height()
            + 2 * self.view.frameWidth()
            + 4
        )
        return height

    def _activated(self, index) -> None:
        if self.view.model() is self.instances_model and index.isValid():
            self.instance_chosen.emit(self.instances_model.record(index.row()).instance_id)
