"""From the shown quote to a recorded case: confirmation dialog (Enterprise instances), the
service call, the ticket dialog. Nothing is recorded on cancel; one confirmation records one
case (the dialog accepts once and the service checks the confirmation key)."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QDialog, QInputDialog, QWidget

from ..wording import _


class RecordCaseFlow(QObject):
    """Drives one recording at a time for the main window.

    Signals:
        message(str): plain words for the window's message bar: why nothing was recorded.
        note(str): plain words for the message bar that report, not warn (recorded,
            cancelled).
        recorded(object): the :class:`~refund_desk.services.cases.RecordedCase`.
    """

    message = Signal(str)
    note = Signal(str)
    recorded = Signal(object)

    def __init__(self, session, window: QWidget):
        super().__init__(window)
        self._session = session
        self._window = window
        self.dialog = None  # the open ReleaseConfirmDialog, if any
        self.ticket_dialog = None  # the last TicketDialog shown

    def ensure_operator(self) -> str:
        """The operator's name, asked once and kept in the settings ('' if refused)."""
        name = self._session.operator
        if name:
            return name
        from ..services.who import os_user

        text, ok = QInputDialog.getText(
            self._window,
            _("Your name — Refund Desk"),
            _("Your name, as written on tickets and in the audit log (asked once):"),
            text=os_user(),  # the computer's user name: Enter keeps it
        )
        if ok and text.strip():
            self._session.settings.operator_name = text.strip()
        return self._session.operator

    def start(self, quote) -> None:
        """Record a case for ``quote``: checks, then the confirmation dialog (non-blocking)."""
        from ..services.cases import needs_confirmation, why_not_recordable

        if quote is None:
            self.message.emit(
                _(
                    "Nothing recorded: no quote is shown for the inputs on screen (select an "
                    "instance, or correct the cancellation time)."
                )
            )
            return
        reason = why_not_recordable(quote)
        if reason:
            self.message.emit(_("Nothing recorded: {reason}.").format(reason=reason))
            return
        if quote.cancel_at > self._session.clock():
            from .quote_format import china_time

            self.message.emit(
                _(
                    "Nothing recorded: the cancellation time {when} China time is in the future. "
                    "A future time is a what-if; record the case once the instance is cancelled."
                ).format(when=china_time(quote.cancel_at))
            )
            return
        if self.dialog is not None:
            self.dialog.raise_()
            return
        if not self.ensure_operator():
            self.message.emit(_("Nothing recorded: the desk needs your name for the ticket."))
            return
        if not needs_confirmation(quote):
            self._record(quote, None)
            return
        from .confirm_dialog import ReleaseConfirmDialog

        dialog = ReleaseConfirmDialog(quote, self._window)
        self.dialog = dialog
        dialog.finished.connect(lambda code: self._dialog_finished(dialog, quote, code))
        dialog.open()

    def _dialog_finished(self, dialog, quote, code: int) -> None:
        self.dialog = None
        dialog.deleteLater()
        if code != QDialog.DialogCode.Accepted or dialog.confirmation() is None:
            self.note.emit(_("Cancelled: nothing was recorded."))
            return
        self._record(quote, dialog.confirmation())

    def _record(self, quote, confirmation) -> None:
        from ..errors import CaseTransitionError, OpenCaseExistsError
        from ..services.cases import record_case
        from .messages import plain_error
        from .quote_format import cny

        try:
            result = record_case(
                self._session.store,
                quote,
                confirmation,
                operator=self._session.operator,
                now=self._session.clock(),
            )
        except Exception as exc:  # noqa: BLE001 - shown in plain words
            self.message.emit(plain_error(exc))
            if isinstance(exc, OpenCaseExistsError | CaseTransitionError):
                self._session.cases_changed.emit()  # another desk moved first: show its case
            return
        self._session.own_cases.add(result.case_id)
        if result.created:
            self.note.emit(
                _(
                    "Case #{case_id} recorded for {instance_id}: {amount}. The ticket draft is "
                    "open."
                ).format(
                    case_id=result.case_id,
                    instance_id=quote.instance_id,
                    amount=cny(quote.total_refund),
                )
            )
        else:
            self.note.emit(
                _(
                    "Case #{case_id} was already recorded for this confirmation; nothing new was "
                    "recorded."
                ).format(case_id=result.case_id)
            )
        self._session.cases_changed.emit()
        self.recorded.emit(result)
        self.show_ticket(result.case)

    def show_ticket(self, case) -> None:
        """Open the ticket dialog of a case record (non-blocking)."""
        from ..services.case_tickets import case_ticket, ticket_language_for
        from .ticket_dialog import TicketDialog

        store = self._session.store
        instance = store.get_instance(case.instance_id) if store is not None else None
        language = ticket_language_for(
            instance.region if instance is not None else None,
            self._session.settings.ticket_language,
        )

        def render(lang: str) -> str:
            return case_ticket(store, case, lang) or _("(no ticket text stored)")

        dialog = TicketDialog(
            case.ticket_text or _("(no ticket text stored)"),
            case.case_id,
            case.instance_id,
            self._window,
            settings=self._session.settings,
            render=render if store is not None else None,
            language=language,
        )
        if self.ticket_dialog is not None:
            self.ticket_dialog.close()
        self.ticket_dialog = dialog
        dialog.show()
