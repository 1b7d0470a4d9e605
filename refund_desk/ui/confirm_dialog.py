"""The release confirmation dialog (``WARN-RELEASE-DELETE``, ``WARN-ZERO-REFUND``).

States in plain words that the instance is released at once and all its data permanently
deleted, with no grace period, and the refund itself: the total and each destination (and, when
it applies, that the refund is 0.00, in a red box). Confirm is enabled only when the operator
ticked "the customer was told and agreed" and typed the instance id (the field never shows it).
When the quote still assumes something (``ASSUMED-*`` flags: no invoice, official website; a
time without zone) the operator also ticks, for each, that the customer was asked. Cancel is the
default button; Escape cancels. The dialog returns a value object
(:class:`refund_desk.services.cases.ReleaseConfirmation`) and records nothing itself.
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ..wording import _


class ReleaseConfirmDialog(QDialog):
    """Ask the operator to confirm the customer agreed to the release of ``quote.instance_id``.

    After ``exec()`` returns ``Accepted``, :meth:`confirmation` gives the
    :class:`~refund_desk.services.cases.ReleaseConfirmation`; after a cancel it returns None.
    """

    def __init__(self, quote, parent: QWidget | None = None):
        super().__init__(parent)
        from ..services.cases import ReleaseConfirmation
        from .quote_format import cny

        self._quote = quote
        self._confirmation: ReleaseConfirmation | None = None
        self._accepted_once = False
        self._zero = quote.total_refund == 0
        self.setWindowTitle(
            _("Release {instance_id}? — Refund Desk").format(instance_id=quote.instance_id)
        )
        self.setModal(True)
        self.setMinimumWidth(560)
        layout = QVBoxLayout(self)
        layout.setSpacing(10)

        heading = QLabel(_("The instance will be released immediately and its data deleted"))
        font = QFont(heading.font())
        font.setPointSizeF(font.pointSizeF() * 1.35)
        font.setBold(True)
        heading.setFont(font)
        heading.setWordWrap(True)
        heading.setStyleSheet("color: #b71c1c;")
        layout.addWidget(heading)

        iid = html.escape(quote.instance_id)
        body = _(
            "<p>When the refund is granted, instance <b>{instance_id}</b> is <b>released "
            "immediately</b>.</p>"
            "<p>All its data is <b>permanently deleted</b> and <b>cannot be recovered</b>: "
            "products, devices, rules and stored data.</p>"
            "<p>There is <b>no grace period</b> (unlike expiry, where the instance is kept for 15 "
            "days).</p>"
        ).format(instance_id=iid)
        body += self._refund_html(quote)
        self.body_label = QLabel(body)
        self.body_label.setObjectName("release_text")
        self.body_label.setWordWrap(True)
        self.body_label.setTextFormat(Qt.TextFormat.RichText)
        layout.addWidget(self.body_label)

        self.zero_label = QLabel(
            _(
                "<b>The refund is 0.00.</b> The customer loses the instance and all its data and "
                "gets nothing back (total refund {amount})."
            ).format(amount=cny(quote.total_refund))
        )
        self.zero_label.setObjectName("zero_refund_text")
        self.zero_label.setWordWrap(True)
        self.zero_label.setStyleSheet(
            "QLabel { background: #fdecea; color: #b71c1c; border: 2px solid #b71c1c;"
            " padding: 6px; }"
        )
        self.zero_label.setVisible(self._zero)
        layout.addWidget(self.zero_label)

        self.agree_box = QCheckBox(
            _("&The customer was told this, including that the refund is 0.00, and agreed")
            if self._zero
            else _("&The customer was told this and agreed")
        )
        self.agree_box.setObjectName("agreed")
        self.agree_box.setAccessibleName(_("The customer was told and agreed"))
        self.agree_box.setToolTip(
            _(
                "Tick only after the customer confirmed they understand the release, the "
                "deletion of all data and the refund, and agreed (Alt+T)."
            )
        )
        layout.addWidget(self.agree_box)

        # Each assumption the quote still makes must have been put to the customer.
        from ..services.acknowledgement import asked_words, open_assumptions

        self.asked_boxes: dict[str, QCheckBox] = {}
        for n, flag in enumerate(open_assumptions(getattr(quote, "flags", ()))):
            # A short box and the question in a wrapped line below: a check box never wraps.
            box = QCheckBox(
                (
                    _("&Asked the customer ({flag}):")
                    if n == 0
                    else _("Asked the customer ({flag}):")
                ).format(flag=flag)
            )
            box.setObjectName(f"asked_{flag.lower().replace('-', '_')}")
            box.setAccessibleName(_("The customer was asked ({flag})").format(flag=flag))
            box.setToolTip(
                _(
                    "{flag}: the quote assumes this until you set it. Tick only after asking the "
                    "customer; if the answer differs, cancel and set it in the what-if table."
                ).format(flag=flag)
                + (_(" (Alt+A)") if n == 0 else "")
            )
            words = asked_words(flag, getattr(quote, "orders", ()))
            question = QLabel(_("{sentence}.").format(sentence=f"{words[0].upper()}{words[1:]}"))
            question.setObjectName(f"asked_words_{flag.lower().replace('-', '_')}")
            question.setWordWrap(True)
            question.setIndent(24)
            question.setBuddy(box)
            layout.addWidget(box)
            layout.addWidget(question)
            self.asked_boxes[flag] = box

        # No id in the field or next to it: the operator types it from the customer's request
        # (or the instance named above), as a last check that it is the right instance.
        type_label = QLabel(_("Type the &instance id from the customer's request to confirm:"))
        self.id_edit = QLineEdit()
        self.id_edit.setObjectName("typed_instance_id")
        self.id_edit.setAccessibleName(_("Instance id typed from the customer's request"))
        self.id_edit.setPlaceholderText(_("type the instance id"))
        self.id_edit.setToolTip(
            _("Type the instance id exactly, from the customer's request, as a last check (Alt+I).")
        )
        type_label.setBuddy(self.id_edit)
        layout.addWidget(type_label)
        layout.addWidget(self.id_edit)

        self.buttons = QDialogButtonBox()
        self.confirm_button = QPushButton(_("&Confirm and record case"))
        self.confirm_button.setObjectName("confirm")
        self.confirm_button.setAccessibleName(_("Confirm and record case"))
        self.confirm_button.setToolTip(
            _(
                "Enabled when every box is ticked and the instance id is typed (Alt+C; then also "
                "Enter)."
            )
        )
        self.cancel_button = QPushButton(_("Cancel"))
        self.cancel_button.setObjectName("cancel")
        self.cancel_button.setAccessibleName(_("Cancel"))
        self.cancel_button.setToolTip(_("Close without recording anything (Escape)."))
        self.buttons.addButton(self.confirm_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(self.cancel_button, QDialogButtonBox.ButtonRole.RejectRole)
        self.confirm_button.setAutoDefault(False)
        self.cancel_button.setAutoDefault(True)
        self.cancel_button.setDefault(True)
        self.confirm_button.clicked.connect(self._on_confirm)
        self.cancel_button.clicked.connect(self.reject)
        layout.addWidget(self.buttons)

        self.agree_box.toggled.connect(self._update)
        for box in self.asked_boxes.values():
            box.toggled.connect(self._update)
        self.id_edit.textChanged.connect(self._update)
        self.id_edit.installEventFilter(self)
        self._key = ReleaseConfirmation(quote.instance_id, False, "").key
        self._update()
        self.cancel_button.setFocus()

    @staticmethod
    def _refund_html(quote) -> str:
        """The refund in plain words: total, per destination, what is not refunded."""
        from ..services.text import blocking_reasons_words, no_total_yet
        from .quote_format import cny, destination

        # Training hands a stated answer (instance id and total only): it has its total.
        if no_total_yet(quote):
            return _(
                "<p><b>There is no refund total yet</b>: an order is blocked ({reasons}).</p>"
            ).format(reasons=html.escape("; ".join(blocking_reasons_words(quote))))
        known = ("alipay", "online_banking", "account_balance")
        parts = [
            "<li>"
            + (
                _("<b>{amount}</b> to the {destination}")
                if dest in known
                else _("<b>{amount}</b> to {destination}")
            ).format(amount=cny(amount), destination=html.escape(destination(dest)))
            + "</li>"
            for dest, amount in sorted(getattr(quote, "by_destination", {}).items())
            if amount > 0
        ]
        if parts:
            text = _("<p>The refund: the customer gets back <b>{amount}</b> in all:</p>").format(
                amount=cny(quote.total_refund)
            )
            text += "<ul style='margin-top:0'>" + "".join(parts) + "</ul>"
        else:
            text = _("<p>The refund: the customer gets back <b>{amount}</b> in all.</p>").format(
                amount=cny(quote.total_refund)
            )
        if hasattr(quote, "total_consumed"):
            text += _(
                "<p>Not refunded: consumed {consumed}, vouchers and coupons {not_refundable}.</p>"
            ).format(
                consumed=cny(quote.total_consumed), not_refundable=cny(quote.total_not_refundable)
            )
        return text

    def _ready(self) -> bool:
        return (
            self.agree_box.isChecked()
            and all(box.isChecked() for box in self.asked_boxes.values())
            and self.id_edit.text().strip() == self._quote.instance_id
        )

    def _update(self) -> None:
        ready = self._ready() and not self._accepted_once
        self.confirm_button.setEnabled(ready)
        # Enter confirms only once everything is ticked and the id typed; until then Enter
        # (and Escape) cancel, as before.
        self.confirm_button.setDefault(ready)
        self.cancel_button.setDefault(not ready)

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt's name
        """An Alt+letter that no widget of this dialog has (Alt+A when there is no assumption
        to tick) reaches the instance id field as a plain key press: swallowed, it never types
        its letter there. (A mnemonic that exists is taken as a shortcut before this.)"""
        from PySide6.QtCore import QEvent

        if (
            watched is self.id_edit
            and event.type() == QEvent.Type.KeyPress
            and event.modifiers() & Qt.KeyboardModifier.AltModifier
            and not event.modifiers() & Qt.KeyboardModifier.ControlModifier
            and event.text().isalpha()
        ):
            return True
        return super().eventFilter(watched, event)

    def _on_confirm(self) -> None:
        from ..services.cases import ReleaseConfirmation

        if not self._ready():
            return
        if self._confirmation is None:
            self._confirmation = ReleaseConfirmation(
                instance_id=self._quote.instance_id,
                told_and_agreed=self.agree_box.isChecked(),
                typed_instance_id=self.id_edit.text(),
                zero_refund_told=self._zero,
                key=self._key,
                customer_asked=tuple(
                    flag for flag, box in self.asked_boxes.items() if box.isChecked()
                ),
            )
        self._accepted_once = True
        self.confirm_button.setEnabled(False)
        self.accept()

    def confirmation(self):
        """The confirmation, or None when the dialog was cancelled."""
        return self._confirmation if self.result() == QDialog.DialogCode.Accepted else None
