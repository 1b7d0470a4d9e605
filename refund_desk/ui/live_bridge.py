"""The team, live, in the window: the change feed of :mod:`refund_desk.services.live` handed to
the UI thread, and what the window does with it (docs/TEAM.md#live).

- :class:`LiveBridge` is the thread-safe door: the feed's callbacks run on its worker thread
  and only emit Qt signals, which Qt queues to the window's thread.
- :class:`LiveDesk` follows the session's store (a feed per open store), and for each change
  another desk made: marks the shown quote at once when its instance just got an open case
  (``HISTORY-OPEN-CASE``, Record off), then reloads the Cases tab and the shown instance's
  history once per burst. When the database is lost it shows the offline bar, keeps the quote
  on screen and turns recording and status changes off until the feed is back.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QLabel, QWidget

OFFLINE_STYLE = (
    "QLabel#offline_bar { background:#37474f; color:#ffffff; font-weight:bold;"
    " border:1px solid #263238; border-radius:3px; padding:6px 10px; }"
)
RELOAD_DELAY_MS = 150  # changes heard within this time are reloaded together


class LiveBridge(QObject):
    """Signals a worker thread may emit; received on the thread this object lives on.

    Signals:
        changed(object): a :class:`~refund_desk.services.live.CaseChange`.
        state(bool, str): online (True, "") or offline (False, the reason in plain words).
    """

    changed = Signal(object)
    state = Signal(bool, str)

    def on_change(self, change) -> None:
        """The feed's ``on_change`` callback (any thread)."""
        self.changed.emit(change)

    def on_state(self, online: bool, reason: str) -> None:
        """The feed's ``on_state`` callback (any thread)."""
        self.state.emit(online, reason)


def offline_words(reason: str) -> str:
    """The offline bar's sentence for a lost database (``reason``: the driver's, plain)."""
    return (
        "OFFLINE — the team database cannot be reached"
        + (f": {reason}" if reason else "")
        + ". What is on screen stays; nothing can be recorded or changed until the connection "
        "is back. The desk reconnects by itself."
    )


class OfflineBar(QLabel):
    """The bar above the tabs while the database cannot be reached; hidden otherwise."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("offline_bar")
        self.setWordWrap(True)
        self.setStyleSheet(OFFLINE_STYLE)
        self.setAccessibleName("Offline")
        self.hide()

    def set_reason(self, reason: str) -> None:
        """Show the bar for ``reason`` ('' hides it)."""
        if reason:
            self.setText(offline_words(reason))
            self.show()
        else:
            self.clear()
            self.hide()


class LiveDesk(QObject):
    """Keeps the window live for the session's store (see the module docstring).

    Args:
        window: the :class:`~refund_desk.ui.main_window.MainWindow` (its ``session``,
            ``quote_panel``, ``offline_bar``, ``show_info``).
        poll_s: the SQLite polling period (tests shorten it).
    """

    def __init__(self, window, *, poll_s: float | None = None):
        super().__init__(window)
        self._w = window
        self._session = window.session
        self._poll_s = poll_s
        self.feed = None
        self.bridge = LiveBridge(self)
        self.bridge.changed.connect(self._changed)
        self.bridge.state.connect(self._state)
        self._reload = QTimer(self)
        self._reload.setSingleShot(True)
        self._reload.setInterval(RELOAD_DELAY_MS)
        self._reload.timeout.connect(self._session.cases_changed.emit)
        self.heard: list = []  # every change heard, newest last (the last 200)
        self._session.store_changed.connect(self._follow)
        self._session.connection_changed.connect(self._connection_changed)

    def _follow(self, store) -> None:
        self.stop()
        self._session.set_offline("")
        if store is None or store.role == "training":
            return
        from ..services.live import POLL_S, ChangeFeed

        target = store.engine.url.render_as_string(hide_password=False)
        self.feed = ChangeFeed(
            target,
            on_change=self.bridge.on_change,
            on_state=self.bridge.on_state,
            poll_s=self._poll_s or POLL_S,
        ).start()

    def stop(self) -> None:
        """Stop listening (window closing, another store)."""
        feed, self.feed = self.feed, None
        if feed is not None:
            feed.stop(timeout=2.0)

    def _state(self, online: bool, reason: str) -> None:
        if online:
            was = self._session.offline
            self._session.set_offline("")
            if was:
                self._w.show_info("Back online: the cases and the shown quote were reloaded.")
        else:
            self._session.set_offline(reason or "no answer")

    def _connection_changed(self, reason: str) -> None:
        self._w.offline_bar.set_reason(reason)
        self._w.quote_panel.set_record_block(
            "Offline: recording is off until the team database is back (see the bar above)."
            if reason
            else None
        )

    def _changed(self, change) -> None:
        self.heard = [*self.heard[-199:], change]
        if not change.resync and change.case_id not in self._session.own_cases:
            self._w.quote_panel.case_changed_elsewhere(change)
        if not self._reload.isActive():
            self._reload.start()
