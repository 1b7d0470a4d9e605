"""Check the audit log's hash chain in the background whenever a database is opened; a red bar
stays at the top of the window while it is broken (``refund-desk audit verify`` says the
same)."""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QLabel

from ..wording import _, ngettext
from ..wording_phrases import audit_problem_words


class AuditCheck(QObject):
    """Owns the red bar (``banner``, hidden while the chain is intact or unchecked).

    Args:
        session: the :class:`~refund_desk.ui.session.DeskSession` (its background helper runs
            the check; its ``store_changed`` starts it).
    """

    def __init__(self, session, parent: QObject | None = None):
        super().__init__(parent)
        self._session = session
        self._checking = None
        self.report = None
        self.banner = QLabel()
        self.banner.setObjectName("audit_banner")
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet(
            "QLabel#audit_banner { background: #b71c1c; color: white; font-weight: bold;"
            " border: 1px solid #7f0000; padding: 6px 10px; }"
        )
        self.banner.setToolTip(
            _("The audit log does not match the cases: the database was changed outside the desk.")
        )
        self.banner.hide()
        session.store_changed.connect(self.check)

    def check(self, store) -> None:
        """Verify ``store``'s chain off the UI thread (None: hide the bar)."""
        self.banner.hide()
        self.report = None
        self._checking = store
        if store is None:
            return
        self._session.background.run(
            store.verify_audit,
            on_success=lambda report: self._checked(store, report),
            on_failure=lambda _exc: None,  # a database that cannot be read says so elsewhere
        )

    def _checked(self, store, report) -> None:
        if store is not self._checking:
            return  # another database was opened meanwhile
        self.report = report
        if report.intact:
            self.banner.hide()
            return
        more = len(report.problems) - 1
        self.banner.setText(
            _("AUDIT LOG BROKEN — this database was changed outside the desk: {problem}").format(
                problem=audit_problem_words(report.first.sentence())
            )
            + (
                ngettext(" ({n} more problem).", " ({n} more problems).", more).format(n=more)
                if more
                else _(".")
            )
            + _(" Tell your supervisor before recording anything (refund-desk audit verify).")
        )
        self.banner.show()
