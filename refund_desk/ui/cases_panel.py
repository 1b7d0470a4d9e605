"""Recorded refund cases with their status (drafted, submitted, refunded, failed with reason);
open a case's ticket, move its status, or mark its original-method refund as failed, which
recomputes it with the fallback (``ROUTE-FALLBACK``)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ..wording import N_, _, ngettext
from ..wording_rules import case_status_words
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
    N_("Desk"),
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
    N_("The desk (computer) it was recorded on."),
    N_("When it was recorded, China time."),
)
ANYONE = N_("Everyone")
ANY_STATUS = N_("Any status")
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
    if col == 8:
        return case.host or "—"
    return china_time(case.created_at)


class CasesPanel(QWidget):
    """The list of cases and the actions on the selected one.

    Signals:
        message(str): a result in plain words for the window's message bar.
        error(str): a refusal or failure in plain words.
        show_ticket(object): open the ticket dialog of a case record.
        tampered(): a case was refused because its row no longer matches its audit trail
            (check the whole chain again: the red bar).
    """

    message = Signal(str)
    error = Signal(str)
    show_ticket = Signal(object)
    tampered = Signal()

    def __init__(self, session, parent: QWidget | None = None):
        super().__init__(parent)
        self._session = session
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        # The whole team's cases; narrowed by operator and status (Alt+P, Alt+U).
        filters = QHBoxLayout()
        self.operator_filter = QComboBox()
        self.operator_filter.setObjectName("cases_operator_filter")
        self.operator_filter.setAccessibleName(_("Show the cases of"))
        self.operator_filter.setToolTip(_("Show the cases one operator recorded, or everyone's."))
        self.operator_filter.addItem(_(ANYONE), None)
        self.status_filter = QComboBox()
        self.status_filter.setObjectName("cases_status_filter")
        self.status_filter.setAccessibleName(_("Show the cases in status"))
        self.status_filter.setToolTip(_("Show only the cases in one status."))
        self.status_filter.addItem(_(ANY_STATUS), None)
        for status in ("drafted", "submitted", "refunded", "failed", "duplicate"):
            self.status_filter.addItem(case_status_words(status), status)
        for text, box in (
            (_("O&perator:"), self.operator_filter),
            (_("Stat&us:"), self.status_filter),
        ):
            box.view().setObjectName(f"{box.objectName()}_list")  # the drop-down list
            box.view().setAccessibleName(box.accessibleName())
            label = QLabel(text)
            label.setBuddy(box)
            filters.addWidget(label)
            filters.addWidget(box)
        self.count_label = QLabel()
        self.count_label.setObjectName("cases_count")
        filters.addSpacing(12)
        filters.addWidget(self.count_label, 1)
        layout.addLayout(filters)
        self.operator_filter.activated.connect(lambda _i: self.refresh())
        self.status_filter.activated.connect(lambda _i: self.refresh())
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
        session.connection_changed.connect(lambda _r: self._update_buttons())
        self._update_buttons()

    def focus_list(self) -> None:
        """Keys go to the list, on the newest case (Ctrl+2): Enter then opens its ticket and
        the buttons act on it."""
        self.view.setFocus(Qt.FocusReason.ShortcutFocusReason)
        if self.model.rowCount():
            self.view.selectRow(0)
            self.view.scrollToTop()

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
        try:
            self._fill_operators(store.case_operators())
            operator, status = self.operator_filter.currentData(), self.status_filter.currentData()
            cases = store.list_cases(limit=PAGE, operator=operator, status=status)
            total = store.count_cases(operator=operator, status=status)
        except Exception as exc:  # noqa: BLE001 - the database is gone: keep the list shown
            from .messages import plain_error

            self.count_label.setText(f"Cannot reload the cases: {plain_error(exc)}")
            self._update_buttons()
            return
        self.model.set_records(cases)
        more = _(" (showing the newest {n})").format(n=PAGE) if total > PAGE else ""
        narrowed = [
            w
            for w in (status, _("by {operator}").format(operator=operator) if operator else None)
            if w
        ]
        which = (
            _(" ({narrowed})").format(narrowed=", ".join(narrowed))
            if narrowed
            else _(", the whole team's")
        )
        self.count_label.setText(
            ngettext(
                "{n} recorded case{which}{more}.", "{n} recorded cases{which}{more}.", total
            ).format(n=total, which=which, more=more)
        )
        if selected is not None:
            self.select_case(selected.case_id)
        self._update_buttons()

    def _fill_operators(self, operators: list[str]) -> None:
        """The operator filter lists every operator with a case (the chosen one kept)."""
        chosen = self.operator_filter.currentData()
        have = [self.operator_filter.itemData(i) for i in range(1, self.operator_filter.count())]
        wanted = sorted(set(operators) | ({chosen} if chosen else set()))
        if have == wanted:
            return
        self.operator_filter.blockSignals(True)
        self.operator_filter.clear()
        self.operator_filter.addItem(_(ANYONE), None)
        for name in wanted:
            self.operator_filter.addItem(name, name)
        self.operator_filter.setCurrentIndex(max(0, self.operator_filter.findData(chosen)))
        self.operator_filter.blockSignals(False)

    def set_filters(self, *, operator: str | None = None, status: str | None = None) -> None:
        """Show the cases of ``operator`` (None: everyone) in ``status`` (None: any)."""
        if operator is not None and self.operator_filter.findData(operator) < 0:
            self.operator_filter.addItem(operator, operator)
        self.operator_filter.setCurrentIndex(max(0, self.operator_filter.findData(operator)))
        self.status_filter.setCurrentIndex(max(0, self.status_filter.findData(status)))
        self.refresh()

    def _refused_offline(self) -> bool:
        if not self._session.offline:
            return False
        self.error.emit(
            "Nothing was changed: the desk is offline (see the bar above). Try again once it "
            "is back online."
        )
        return True

    def _update_buttons(self) -> None:
        from ..services.cases import FAILED, REFUNDED, SUBMITTED, allowed_statuses
        from ..services.fallback import fallback_orders

        case = self.selected()
        allowed = allowed_statuses(case.status) if case is not None else ()
        if self._session.offline:
            allowed = ()  # nothing changes while the database cannot be reached
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
        if ok and not text.strip():  # OK on an empty reason: refused, in words
            self.error.emit(f"{title}: nothing was changed. A reason is needed; try again.")
        return text.strip() if ok and text.strip() else None

    def _sure_refunded(self, case) -> bool:
        """Refunded is final: Yes/No, No the default."""
        from PySide6.QtWidgets import QMessageBox

        from .quote_format import cny

        answer = QMessageBox.question(
            self,
            f"Case #{case.case_id} refunded?",
            f"Mark case #{case.case_id} ({cny(case.total_refund)}) refunded? The refund arrived. "
            "This is final: the case cannot be changed afterwards.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes

    def mark(self, status: str, reason: str | None = None) -> None:
        """Move the selected case to ``status`` (asks the reason for ``failed``)."""
        from ..services.cases import set_status
        from .messages import plain_error

        if self._refused_offline():
            return
        case = self.selected()
        if case is None:
            return
        if status == "failed" and reason is None:
            reason = self._ask_reason(
                _("Case #{case_id} failed").format(case_id=case.case_id), _("Why did it fail?")
            )
            if reason is None:
                return
        if status == "refunded" and not self._sure_refunded(case):
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
            self._tampered(exc)
            return
        from ..wording_rules import case_status_words

        self.message.emit(
            _("Case #{case_id} is now {status}.").format(
                case_id=case.case_id, status=case_status_words(status)
            )
        )
        self._session.cases_changed.emit()

    def _tampered(self, exc: Exception) -> None:
        from ..errors import CaseTamperedError

        if isinstance(exc, CaseTamperedError):
            self.tampered.emit()

    def original_failed(self, reason: str | None = None) -> None:
        """Mark the selected case's original-method refund as failed and record the recomputed
        case (asks the reason when not given)."""
        from ..services.fallback import recompute_original_failed
        from .messages import plain_error
        from .quote_format import cny

        if self._refused_offline():
            return
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
            self._tampered(exc)
            return
        self._session.own_cases.add(new.case_id)
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
