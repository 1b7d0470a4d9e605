"""What the panels share: the open store, the background helper and the settings.

Passed to the panels that need it (no global singleton); emits when the store or the cases
change so every panel refreshes itself.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from PySide6.QtCore import QObject, Signal


class DeskSession(QObject):
    """The window's working state.

    Signals:
        store_changed(object): a store was opened (or None while none is open).
        cases_changed: a case was recorded or changed its status (here or on another desk).
        connection_changed(str): the database was lost (the reason in plain words) or is back
            (``""``); see :attr:`offline`.
    """

    store_changed = Signal(object)
    cases_changed = Signal()
    connection_changed = Signal(str)

    def __init__(
        self,
        background,
        settings,
        parent: QObject | None = None,
        *,
        clock: Callable[[], datetime] | None = None,
    ):
        super().__init__(parent)
        self.background = background
        self.settings = settings
        # The desk's clock (aware now): "now" in the cancellation field, the default time, and
        # what "in the future" means when a case is recorded. Tests pass a fixed one.
        self.clock: Callable[[], datetime] = clock or (lambda: datetime.now(UTC))
        self._store = None
        # Why the database cannot be reached ('' while it can): the live feed says so.
        self.offline_reason = ""
        # Cases this window recorded: another desk's open case marks the quote, ours does not.
        self.own_cases: set[int] = set()

    @property
    def offline(self) -> bool:
        """The database cannot be reached now: nothing may be recorded or changed."""
        return bool(self.offline_reason)

    def set_offline(self, reason: str) -> None:
        """The database was lost (``reason``, plain words) or is back (``""``)."""
        reason = reason.strip()
        if reason != self.offline_reason:
            self.offline_reason = reason
            self.connection_changed.emit(reason)

    @property
    def store(self):
        """The open :class:`refund_desk.store.OrderStore`, or None."""
        return self._store

    @property
    def operator(self) -> str:
        """The operator's name: ``--operator`` / ``$REFUND_DESK_OPERATOR``, else the settings
        ('' until asked; ``services.who``)."""
        from ..services.who import operator_override

        return operator_override() or self.settings.operator_name

    @property
    def is_demo(self) -> bool:
        """The open database is the demo database."""
        return self._store is not None and self._store.role == "demo"

    def set_store(self, store) -> None:
        """Use ``store`` from now on; the previous store is closed."""
        old = self._store
        self._store = store
        if old is not None and old is not store:
            old.close()
        self.store_changed.emit(store)

    def close(self) -> None:
        """Close the store (window closing)."""
        if self._store is not None:
            self._store.close()
            self._store = None
