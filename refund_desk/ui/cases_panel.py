"""Recorded refund cases with their status (drafted, submitted, refunded, failed with reason);
open a case's ticket, move its status, or mark its original-method refund as failed, which
recomputes it with the fallback (``ROUTE-FALLBACK``)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ..wording import N_, _, ngettext
from .keymap import make_button
from .records_model import RecordsTableModel

COLUMNS = (
    N_("Case"),
    N_("Instance"),
    N_("Account"),
    N_("Status"),
    N_("Reason"),
    N_("Total refund"),
    N_("To"),
    N_("Operator"),
    N_("Recorded (China)"),
)
TOOLTIPS = (
    N_("The desk's case number."),
    N_("The instance refunded."),
    N_("The customer's account."),
    N_(
        "drafted → submitted → refunded, or failed (with the reason); refunded and failed are "
        "final."
    ),
    N_("Why the status last changed."),
    N_("Total refund in CNY."),
    N_("Refund per destination."),
    N_("Who recorded the case."),
    N_("When it was recorded, China time."),
)
PAGE = 500


def _cell(case, col: int) -> str:
    from .quote_format import china_time, money

    if col == 0:
        return f"#{case.case_id}"
    if col == 1:
        return case.instance_id
    if col == 2:
        return case.account_id or "—"
    if col == 3:
        from ..wording_rules import case_status_words

        return case_status_words(case.status)
    if col == 4:
        return case.status_reason or ""
    if col == 5:
        return money(case.total_refund)
    if col == 6:
        from decimal import Decimal

        from .quote_format import short_destination

        parts = case.quote.get("by_destination", {}) if case.quote else {}
        return (
            ", ".join(
                f"{short_destination(dest)} {money(Decimal(amount))}"
                for dest, amount in parts.items()
            )
            or "—"
        )
    if col == 7:
        return case.actor
    return china_time(case.created_at)


class CasesPanel(QWidget):
    """The list of cases and the actions on the selected one.

    Signals:
        message(str): a result in plain words for the window's message bar.
        error(str): a refusal or failure in plain words.
        show_ticket(object): open the ticket dialog of a case record.
    """

    message = Signal(str)
    error = Signal(str)
    show_ticket = Signal(object)

    def __init__(self, session, parent: QWidget | None = None):
        super().__init__(parent)
        self._session = session
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        self.count_label = QLabel()
        self.count_label.setObjectName("cases_count")
        layout.addWidget(self.count_label)
        self.model = RecordsTableModel(
            [_(c) for c in COLUMNS],
            _cell,
            tooltips=[_(t) for t in TOOLTIPS],
            right_aligned=(5,),
            parent=self,
            row_tooltip=lambda c: c.confirmation_text or None,
        )
        self.view = QTableView()
        self.view.setObjectName("cases")
        self.view.setAccessibleName(_("Recorded cases"))
        self.view.setModel(self.model)
        self.view.verticalHeader().hide()
        self.view.setAlternatingRowColors(True)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.view.horizontalHeader().setStretchLastSection(True)
        self.view.setToolTip(_("Recorded cases, newest first. Enter opens the ticket."))
        self.view.activated.connect(lambda _i: self.open_ticket())
        layout.addWidget(self.view, 1)

        row = QHBoxLayout()
        # From the command registry (keymap): text, Alt letter, tooltip, object name. The
        # slots take no argument: a button's ``checked`` flag is never taken for a reason.
        self.ticket_button = make_button("case_ticket", self.open_ticket)
        self.submitted_button = make_button("case_submitted", lambda: self.mark("submitted"))
        self.refunded_button = make_button("case_refunded", lambda: self.mark("refunded"))
        self.failed_button = make_button("case_failed", lambda: self.mark("failed"))
        self.fallback_button = make_button("case_original_failed", self.original_failed)
        self.refresh_button = make_button("case_refresh", self.refresh)
        for button in (
            self.ticket_button,
            self.submitted_button,
            self.refunded_button,
            self.failed_button,
            self.fallback_button,
        ):
            row.addWidget(button)
        row.addStretch(1)
        row.addWidget(self.refresh_button)
        layout.addLayout(row)
        self.view.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        session.store_changed.connect(lambda _s: self.refresh())
        session.cases_changed.connect(self.refresh)
        self._update_buttons()

    def focus_list(self) -> None:
        """Keys go to the list, with the newest case selected when none is (Ctrl+2): Enter
        then opens its ticket and the buttons act on it."""
        self.view.setFocus(Qt.FocusReason.ShortcutFocusReason)
        if self.selected() is None and self.model.rowCount():
            self.view.selectRow(0)

    def selected(self):
        """The selected case record, or None."""
        index = self.view.currentIndex()
        rows = self.view.selectionModel().selectedRows()
        if not rows or not index.isValid():
            return None
        return self.model.record(rows[0].row())

    def select_case(self, case_id: int) -> bool:
        """Select the case ``case_id`` in the list; False when it is not shown."""
        for row, case in enumerate(self.model.records()):
            if case.case_id == case_id:
                self.view.selectRow(row)
                return True
        return False

    def refresh(self) -> None:
        """Reload the newest cases from the store."""
        store = self._session.store
        selected = self.selected()
        if store is None:
            self.model.set_records([])
            self.count_label.setText(_("No database open."))
            self._update_buttons()
            return
        cases = store.list_cases(limit=PAGE)
        total = store.count_cases()
        self.model.set_records(cases)
        more = _(" (showing the newest {n})").format(n=PAGE) if total > PAGE else ""
        self.count_label.setText(
            ngettext("{n} recorded case{more}.", "{n} recorded cases{more}.", total).format(
                n=total, more=more
            )
        )
        if selected is not None:
            self.select_case(selected.case_id)
        self._update_buttons()

    def _update_buttons(self) -> None:
        from ..services.cases import FAILED, REFUNDED, SUBMITTED, allowed_statuses, fallback_orders

        case = self.selected()
        allowed = allowed_statuses(case.status) if case is not None else ()
        self.ticket_button.setEnabled(case is not None)
        self.submitted_button.setEnabled(SUBMITTED in allowed)
        self.refunded_button.setEnabled(REFUNDED in allowed)
        self.failed_button.setEnabled(FAILED in allowed)
        self.fallback_button.setEnabled(FAILED in allowed and bool(fallback_orders(case.quote)))

    def open_ticket(self) -> None:
        """Open the ticket of the selected case."""
        case = self.selected()
        if case is not None:
            self.show_ticket.emit(case)

    def _ask_reason(self, title: str, label: str) -> str | None:
        text, ok = QInputDialog.getText(self, title, label)
        return text.strip() if ok and text.strip() else None

    def mark(self, status: str, reason: str | None = None) -> None:
        """Move the selected case to ``status`` (asks the reason for ``failed``)."""
        from ..services.cases import set_status
        from .messages import plain_error

        case = self.selected()
        if case is None:
            return
        if status == "failed" and reason is None:
            reason = self._ask_reason(
                _("Case #{case_id} failed").format(case_id=case.case_id), _("Why did it fail?")
            )
            if reason is None:
                return
        try:
            set_status(
                self._session.store,
                case.case_id,
                status,
                operator=self._session.operator,
                reason=reason,
            )
        except Exception as exc:  # noqa: BLE001 - shown in plain words
            self.error.emit(plain_error(exc))
            return
        from ..wording_rules import case_status_words

        self.message.emit(
            _("Case #{case_id} is now {status}.").format(
                case_id=case.case_id, status=case_status_words(status)
            )
        )
        self._session.cases_changed.emit()

    def original_failed(self, reason: str | None = None) -> None:
        """Mark the selected case's original-method refund as failed and record the recomputed
        case (asks the reason when not given)."""
        from ..services.cases import recompute_original_failed
        from .messages import plain_error
        from .quote_format import cny

        case = self.selected()
        if case is None:
            return
        if reason is None:
            reason = self._ask_reason(
                _("Original-method refund of case #{case_id} failed").format(case_id=case.case_id),
                _("What did billing say (reason)?"),
            )
            if reason is None:
                return
        try:
            new = recompute_original_failed(
                self._session.store,
                case.case_id,
                operator=self._session.operator,
                reason=reason,
            )
        except Exception as exc:  # noqa: BLE001 - shown in plain words
            self.error.emit(plain_error(exc))
            return
        self.message.emit(
            _(
                "Case #{case_id} marked failed. New case #{new_case_id}: {amount} to the account "
                "balance (ROUTE-FALLBACK)."
            ).format(
                case_id=case.case_id, new_case_id=new.case_id, amount=cny(new.case.total_refund)
            )
        )
        self._session.cases_changed.emit()
        self.select_case(new.case_id)
        self.show_ticket.emit(new.case)
