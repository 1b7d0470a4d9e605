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

from ...training.words import N_, _, kind_words, language, pgettext

ORDER_COLUMNS = (
    (N_("Order"), "order_id"),
    (N_("Type"), "order_type"),
    (N_("Status"), "payment_status"),
    (N_("Currency"), "currency"),
    (N_("Paid (as exported)"), "payment_time"),
    (N_("Usage start"), "usage_start"),
    (N_("Usage end"), "usage_end"),
    (N_("List price"), "list_price"),
    (N_("Cash"), "cash"),
    (N_("Prepaid card"), "prepaid_card"),
    (N_("Voucher"), "voucher"),
    (N_("Coupon"), "coupon"),
    (N_("Channel"), "channel"),
    (N_("Invoice"), "invoiced"),
    (N_("Marketplace"), "marketplace"),
    (N_("Instances"), "instance_ids"),
)
"""(English row heading, scenario order field); the headings are shown translated."""

# BSS codes as exported (order type, payment status) are shown with their words.
_CODE_WORDS = {
    "New": N_("New"),
    "Renew": N_("Renew"),
    "Upgrade": N_("Upgrade"),
    "Paid": N_("Paid"),
    "Unpaid": N_("Unpaid"),
}

# "This scenario has no text in the window's language": the note under the request.
_FALLBACK_NOTES = {
    "en": N_("This scenario has no English text; shown in Chinese."),
    "zh_CN": N_("This scenario has no Chinese text; shown in English."),
}


def _cell(order, key: str) -> str:
    raw = dict(order.raw_times)
    if key in raw:
        return raw[key] or _("not imported")
    value = getattr(order, key)
    if key == "cash" and value is None:
        return _("not imported")
    if key == "channel" and value is None:
        return _("not imported")
    if key == "instance_ids":
        return "; ".join(value) if value else _("this instance")
    if key in ("invoiced", "marketplace"):
        return _("not known") if value is None else (_("yes") if value else _("no"))
    if key in ("order_type", "payment_status") and value in _CODE_WORDS:
        words = _(_CODE_WORDS[value])
        return value if words == value else f"{words} ({value})"
    if value is None:
        return "—"
    return str(value)


class TrainingScenarioView(QWidget):
    """Read-only view of a :class:`~refund_desk.training.scenario.Scenario` (no answer in it)."""

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
        self.language_note = QLabel()
        self.language_note.setObjectName("scenario_language_note")
        self.language_note.setWordWrap(True)
        self.language_note.setStyleSheet("color: #8d4b00;")
        self.language_note.hide()
        layout.addWidget(self.language_note)
        self.facts_label = QLabel()
        self.facts_label.setObjectName("scenario_facts")
        self.facts_label.setWordWrap(True)
        self.facts_label.setTextFormat(Qt.TextFormat.RichText)
        self.facts_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.facts_label)
        # One column per order, one row per field: fits the narrow pane beside the answer form.
        self.orders_table = QTableWidget(len(ORDER_COLUMNS), 0)
        self.orders_table.setObjectName("scenario_orders")
        self.orders_table.setVerticalHeaderLabels([_(c[0]) for c in ORDER_COLUMNS])
        self.orders_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.orders_table.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents
        )
        layout.addWidget(self.orders_table, 1)
        # Takes the room when the table is hidden (no orders), so the texts stay at the top.
        layout.addStretch(0)

    def show_scenario(self, scenario, position: str = "", lang: str | None = None) -> None:
        """Fill the view with ``scenario``; ``position`` like ``'3 of 30'`` goes in the title.

        The title and the customer's request are shown in ``lang`` (default the interface
        language); when the pack has no text in it, the other language's text is shown with a
        note saying so."""
        lang = language(lang)
        stars = "★" * scenario.difficulty + "☆" * (5 - scenario.difficulty)
        title = scenario.title_in(lang).text
        if position:
            heading = _("Scenario {position} — {title}").format(position=position, title=title)
        else:
            heading = title
        self.title_label.setText(f"{heading}   {stars}")
        request = scenario.request_in(lang)
        quoted = f"“{html.escape(request.text)}”"
        # Italics for English only: slanted Chinese characters are a poor synthetic oblique.
        self.request_label.setText(f"<i>{quoted}</i>" if request.language == "en" else quoted)
        self.language_note.setText(_(_FALLBACK_NOTES[lang]) if request.fallback else "")
        self.language_note.setVisible(request.fallback)
        cancel = scenario.cancel_at_text or scenario.cancel_at.isoformat()
        facts = [
            _("<b>Instance</b> {instance} — {kind}").format(
                instance=html.escape(scenario.instance_id),
                kind=html.escape(kind_words(scenario.kind.value, lang)),
            ),
            _("<b>Account</b> {account}").format(account=html.escape(scenario.account_id or "—")),
            _("<b>Cancellation</b> {time}").format(time=html.escape(cancel)),
        ]
        for order_id, opt in scenario.options.items():
            said = []
            if opt.invoiced is not None:
                said.append(
                    _("an invoice was issued") if opt.invoiced else _("no invoice was issued")
                )
            if opt.marketplace is not None:
                said.append(
                    _("bought on the cloud marketplace")
                    if opt.marketplace
                    else _("bought on the website")
                )
            if opt.original_failed:
                said.append(_("the original-method refund failed"))
            if opt.discount != 1:
                said.append(
                    _("discount factor {factor} applies to the used duration").format(
                        factor=opt.discount
                    )
                )
            if said:
                facts.append(
                    _("<b>Order {order}</b>: {facts}").format(
                        order=html.escape(order_id),
                        facts=html.escape(pgettext("list separator", "; ").join(said)),
                    )
                )
        if not scenario.orders and scenario.kind.value != "enterprise":
            facts.append(_("No subscription orders."))
        self.facts_label.setText("<br>".join(facts))
        table = self.orders_table
        table.setVisible(bool(scenario.orders))  # no orders: no empty grid under the facts
        table.setColumnCount(len(scenario.orders))
        table.setHorizontalHeaderLabels(
            [_("Order {n}").format(n=n + 1) for n in range(len(scenario.orders))]
        )
        for col, order in enumerate(scenario.orders):
            for row, (_heading, key) in enumerate(ORDER_COLUMNS):
                item = QTableWidgetItem(_cell(order, key))
                if key in ("list_price", "cash", "prepaid_card", "voucher", "coupon"):
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                table.setItem(row, col, item)
