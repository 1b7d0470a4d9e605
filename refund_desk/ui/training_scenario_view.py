"""Shows one training scenario: the customer's request, the instance, its orders and the
cancellation time, with the what-if facts the operator would set in the simulator."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..wording_rules import kind_words

ORDER_COLUMNS = (
    ("Order", "order_id"),
    ("Type", "order_type"),
    ("Status", "payment_status"),
    ("Currency", "currency"),
    ("Paid (as exported)", "payment_time"),
    ("Usage start", "usage_start"),
    ("Usage end", "usage_end"),
    ("List price", "list_price"),
    ("Cash", "cash"),
    ("Prepaid card", "prepaid_card"),
    ("Voucher", "voucher"),
    ("Coupon", "coupon"),
    ("Channel", "channel"),
    ("Invoice", "invoiced"),
    ("Marketplace", "marketplace"),
    ("Instances", "instance_ids"),
)


def _cell(order, key: str) -> str:
    raw = dict(order.raw_times)
    if key in raw:
        return raw[key] or "not imported"
    value = getattr(order, key)
    if key == "cash" and value is None:
        return "not imported"
    if key == "channel" and value is None:
        return "not imported"
    if key == "instance_ids":
        return "; ".join(value) if value else "this instance"
    if key in ("invoiced", "marketplace"):
        return "not known" if value is None else ("yes" if value else "no")
    if value is None:
        return "—"
    return str(value)


class TrainingScenarioView(QWidget):
    """Read-only view of a :class:`~refund_desk.training.pack.Scenario` (no answer in it)."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.title_label = QLabel()
        self.title_label.setObjectName("scenario_title")
        self.title_label.setStyleSheet("font-size: 16px; font-weight: bold;")
        self.title_label.setWordWrap(True)
        layout.addWidget(self.title_label)
        self.request_label = QLabel()
        self.request_label.setObjectName("scenario_request")
        self.request_label.setWordWrap(True)
        self.request_label.setTextFormat(Qt.TextFormat.RichText)
        self.request_label.setStyleSheet(
            "QLabel { background: #f5f5f5; border-left: 4px solid #607d8b; padding: 8px; }"
        )
        layout.addWidget(self.request_label)
        self.facts_label = QLabel()
        self.facts_label.setObjectName("scenario_facts")
        self.facts_label.setWordWrap(True)
        self.facts_label.setTextFormat(Qt.TextFormat.RichText)
        self.facts_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.facts_label)
        # One column per order, one row per field: fits the narrow pane beside the answer form.
        self.orders_table = QTableWidget(len(ORDER_COLUMNS), 0)
        self.orders_table.setObjectName("scenario_orders")
        self.orders_table.setVerticalHeaderLabels([c[0] for c in ORDER_COLUMNS])
        self.orders_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.orders_table.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents
        )
        layout.addWidget(self.orders_table, 1)

    def show_scenario(self, scenario, position: str = "") -> None:
        """Fill the view with ``scenario``; ``position`` like ``'3 of 30'`` goes in the title."""
        stars = "★" * scenario.difficulty + "☆" * (5 - scenario.difficulty)
        prefix = f"Scenario {position} — " if position else ""
        self.title_label.setText(f"{prefix}{scenario.title}   {stars}")
        self.request_label.setText(f"<i>“{html.escape(scenario.request)}”</i>")
        cancel = scenario.cancel_at_text or scenario.cancel_at.isoformat()
        facts = [
            f"<b>Instance</b> {html.escape(scenario.instance_id)} — "
            f"{kind_words(scenario.kind.value)}",
            f"<b>Account</b> {html.escape(scenario.account_id or '—')}",
            f"<b>Cancellation</b> {html.escape(cancel)}",
        ]
        for order_id, opt in scenario.options.items():
            said = []
            if opt.invoiced is not None:
                said.append("an invoice was issued" if opt.invoiced else "no invoice was issued")
            if opt.marketplace is not None:
                said.append(
                    "bought on the cloud marketplace"
                    if opt.marketplace
                    else "bought on the website"
                )
            if opt.original_failed:
                said.append("the original-method refund failed")
            if opt.discount != 1:
                said.append(f"discount factor {opt.discount} applies to the used duration")
            if said:
                facts.append(f"<b>Order {html.escape(order_id)}</b>: " + "; ".join(said))
        if not scenario.orders and scenario.kind.value != "enterprise":
            facts.append("No subscription orders.")
        self.facts_label.setText("<br>".join(facts))
        table = self.orders_table
        table.setColumnCount(len(scenario.orders))
        table.setHorizontalHeaderLabels([f"Order {n + 1}" for n in range(len(scenario.orders))])
        for col, order in enumerate(scenario.orders):
            for row, (_, key) in enumerate(ORDER_COLUMNS):
                item = QTableWidgetItem(_cell(order, key))
                if key in ("list_price", "cash", "prepaid_card", "voucher", "coupon"):
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                table.setItem(row, col, item)
