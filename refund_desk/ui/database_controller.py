"""Which database the window shows: opening one off the UI thread (the demo database created
when missing), the choices in the File menu, and what the window says about the open one
(status bar, title, the DEMO DATA banner)."""

from __future__ import annotations

from PySide6.QtCore import QObject

from ..wording import N_, _

DEMO_BANNER = N_(
    "DEMO DATA — made-up customers and orders for practice; nothing here is real. "
    "Import your BSS exports (File ▸ Import files…, Ctrl+I) to switch to your own database."
)


class DatabaseController(QObject):
    """Opens and switches the window's database through ``services.opening``.

    Built with the window, before its panels: the first database is opened at the first paint,
    so the worker thread imports SQLAlchemy while the UI thread builds the panels.

    Args:
        window: the :class:`~refund_desk.ui.main_window.MainWindow` (its ``session``,
            ``ui_built``, ``ensure_ui``, ``set_busy``, ``show_progress``, ``show_error`` and,
            once built, ``db_label``, ``banner``, the panels and ``store_ready``).
    """

    def __init__(self, window):
        super().__init__(window)
        self._w = window
        self._session = window.session
        self._opening_text: str | None = None

    def demo_banner(self):
        """The DEMO DATA banner (a hidden ``QLabel`` named ``demo_banner``), shown while the
        demo database is open (:meth:`store_changed`)."""
        from PySide6.QtWidgets import QLabel

        banner = QLabel(_(DEMO_BANNER))
        banner.setObjectName("demo_banner")
        banner.setWordWrap(True)
        banner.setStyleSheet(
            "QLabel#demo_banner { background: #ffd54f; color: #3e2723; font-weight: bold;"
            " border: 1px solid #c79a00; padding: 6px 10px; }"
        )
        banner.setToolTip(_("This database holds demo data only; your imports never go here."))
        banner.hide()
        return banner

    def open_database(self, choice) -> None:
        """Open the database of ``choice`` (a
        :class:`~refund_desk.services.opening.DatabaseChoice`) off the UI thread, creating the
        demo database when it is missing. May be called before the panels are built."""
        from ..services.opening import open_choice

        self._opening_text = (
            _("Creating the demo database…") if choice.create_demo else _("Opening the database…")
        )
        if self._w.ui_built:
            self.show_opening()
        self._session.background.run(
            lambda progress: open_choice(choice, progress),
            on_success=self._opened,
            on_failure=self._open_failed,
            on_progress=self._w.show_progress,
        )

    def show_opening(self) -> None:
        """While a database is being opened: say so in the status bar, with the busy bar (the
        window calls this once its panels are built)."""
        if self._opening_text:
            self._w.db_label.setText(self._opening_text)
            self._w.set_busy(True)

    def _opened(self, store) -> None:
        self._opening_text = None
        self._w.ensure_ui()
        self._w.set_busy(False)
        self._session.set_store(store)

    def _open_failed(self, exc: BaseException) -> None:
        from .messages import plain_error

        self._opening_text = None
        w = self._w
        w.ensure_ui()
        w.set_busy(False)
        w.db_label.setText(_("No database open."))
        w.show_error(
            _("The database could not be opened: {problem}").format(problem=plain_error(exc))
        )

    def store_changed(self, store) -> None:
        """Show ``store`` (or none): panels cleared, status bar, title and the demo banner;
        emits the window's ``store_ready`` for an open store."""
        w = self._w
        w.quote_panel.clear()
        w.instance_panel.clear()
        w.lookup.set_store(store)
        if store is None:
            w.banner.hide()
            w.db_label.setText(_("No database open."))
            return
        demo = store.role == "demo"
        w.banner.setVisible(demo)
        label = (
            _("Demo data")
            if demo
            else (_("Training data") if store.role == "training" else _("Your database"))
        )
        w.db_label.setText(_("{label}: {url}").format(label=label, url=store.url))
        w.setWindowTitle(_("Refund Desk — {label}").format(label=label))
        w.store_ready.emit(store)

    def choose_database(self) -> None:
        """Ask for a database file and open it."""
        from PySide6.QtWidgets import QFileDialog

        from ..services.opening import DatabaseChoice

        path, _filter = QFileDialog.getOpenFileName(
            self._w,
            _("Open a desk database"),
            "",
            _("Desk databases (*.db *.sqlite);;All files (*)"),
        )
        if path:
            self.open_database(DatabaseChoice(target=path, explicit=True))

    def open_demo(self) -> None:
        """Open the demo database (created when missing)."""
        from ..services.opening import choose_database

        self.open_database(choose_database(demo=True))
