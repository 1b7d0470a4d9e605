"""The desk's main window: lookup, instance, simulator and cases, composed from one class per
panel. It wires signals and opens the database after the first paint; the work itself is in the
panels, the services and the background helper.

Start-up: with ``deferred=True`` the window first shows a light frame (title, "Opening…"), paints
it, and builds the panels right after the first paint (their modules and Qt enum types cost more
than a bare window); then the store is opened off the UI thread.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

# Only what the first paint needs: the ``Qt`` namespace alone costs 15-30 ms of enum set-up, so
# it and the other widgets are imported in the methods that run after the first paint.
from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QLabel, QMainWindow

if TYPE_CHECKING:
    from PySide6.QtGui import QIcon

from ..wording import _
from .database_controller import DatabaseController
from .desk_layout import fit_to_screen
from .session import DeskSession


class MainWindow(QMainWindow):
    """The Refund Desk window.

    Args:
        session: the shared :class:`~refund_desk.ui.session.DeskSession`.
        icon: the window icon (None: none).

    Signals:
        first_painted: the window has painted once.
        ui_ready: the panels are built (the store is opened after this).
        store_ready(object): a store was opened and is shown.
        instance_loaded(str): an instance is shown with its quote.
        busy(bool): background work started / ended.
    """

    first_painted = Signal()
    ui_ready = Signal()
    store_ready = Signal(object)
    instance_loaded = Signal(str)

    def __init__(self, session: DeskSession, icon: QIcon | None = None, *, deferred: bool = False):
        super().__init__()
        self.session = session
        self._painted = False
        self._ui_built = False
        self.database = DatabaseController(self)  # opens the first store before the panels exist
        self.setWindowTitle(_("Refund Desk"))
        if icon is not None and not icon.isNull():
            self.setWindowIcon(icon)
        self.setAcceptDrops(True)
        geometry = session.settings.geometry()
        if geometry is None or not self.restoreGeometry(geometry):
            fit_to_screen(self)
        if deferred:
            placeholder = QLabel(_("Refund Desk — opening…"))
            placeholder.setMargin(24)
            self.setCentralWidget(placeholder)
        else:
            self.ensure_ui()

    def ensure_ui(self) -> None:
        """Build the panels, menus and connections (once); emits ``ui_ready``."""
        if self._ui_built:
            return
        self._ui_built = True
        from .desk_menus import DeskMenus

        self._build_widgets()
        self.menus = DeskMenus(self)
        self._connect()
        self._restore_state()
        self.database.show_opening()
        self.ui_ready.emit()

    @property
    def ui_built(self) -> bool:
        """The panels, menus and connections are built (:meth:`ensure_ui` ran)."""
        return self._ui_built

    # -- construction ------------------------------------------------------------------------

    def _build_widgets(self) -> None:
        from PySide6.QtCore import Qt
        from PySide6.QtWidgets import (
            QProgressBar,
            QSplitter,
            QTabWidget,
            QVBoxLayout,
            QWidget,
        )

        from .desk_layout import PaneFitter
        from .import_controller import ImportController
        from .import_flow import ImportFlow
        from .instance_loader import InstanceLoader
        from .instance_panel import InstancePanel
        from .lookup_panel import LookupPanel
        from .message_bar import MessageBar
        from .quote_panel import QuotePanel
        from .record_flow import RecordCaseFlow

        central = QWidget()
        outer = QVBoxLayout(central)
        outer.setContentsMargins(6, 4, 6, 4)
        outer.setSpacing(4)
        self.banner = self.database.demo_banner()
        outer.addWidget(self.banner)
        from .audit_check import AuditCheck

        self.audit_check = AuditCheck(self.session, self)
        outer.addWidget(self.audit_check.banner)
        self.message_bar = MessageBar()
        outer.addWidget(self.message_bar)
        from .live_bridge import OfflineBar

        self.offline_bar = OfflineBar()
        outer.addWidget(self.offline_bar)

        self.tabs = QTabWidget()
        self.tabs.setObjectName("tabs")
        self.lookup = LookupPanel(self.session.background)
        self.instance_panel = InstancePanel()
        self.instance_panel.clear()
        self.quote_panel = QuotePanel(clock=self.session.clock)
        # The quote panel keeps its header (time, Record, outcome) fixed and scrolls the rest.
        self.quote_scroll = self.quote_panel.details_scroll
        self.right_split = QSplitter(Qt.Orientation.Vertical)
        self.right_split.setObjectName("right_split")
        self.right_split.addWidget(self.instance_panel)
        self.right_split.addWidget(self.quote_panel)
        self.right_split.setStretchFactor(0, 0)  # the quote pane takes (and gives) the slack
        self.right_split.setStretchFactor(1, 3)
        self.main_split = QSplitter(Qt.Orientation.Horizontal)
        self.main_split.setObjectName("main_split")
        self.main_split.addWidget(self.lookup)
        self.main_split.addWidget(self.right_split)
        self.main_split.setStretchFactor(0, 1)
        self.main_split.setStretchFactor(1, 3)
        self.main_split.setSizes([450, 990])
        # Room for about eight orders above the quote (the quote panel scrolls); each instance
        # shown then fits the orders pane to its orders (PaneFitter.fit_orders_pane).
        self.right_split.setSizes([310, 620])
        self.panes = PaneFitter(self)
        self.tabs.addTab(self.main_split, _("&Lookup and quote"))
        # The Cases tab is built when first shown (or asked for): start-up never pays for it.
        self._cases_page = QWidget()
        self._cases_page.setObjectName("cases_page")
        QVBoxLayout(self._cases_page).setContentsMargins(0, 0, 0, 0)
        self._cases_panel = None
        self.tabs.addTab(self._cases_page, _("C&ases"))
        self.tabs.currentChanged.connect(self._tab_shown)
        self.tabs.setTabToolTip(0, _("Find an instance and simulate its refund (Ctrl+1)."))
        self.tabs.setTabToolTip(1, _("Recorded refund cases and their status (Ctrl+2)."))
        outer.addWidget(self.tabs, 1)
        self.setCentralWidget(central)

        self.db_label = QLabel(_("Opening the database…"))
        self.db_label.setObjectName("db_label")
        self.progress = QProgressBar()
        self.progress.setObjectName("progress")
        self.progress.setMaximumWidth(260)
        self.progress.setTextVisible(True)
        self.progress.hide()
        self.progress_label = QLabel()
        self.statusBar().addWidget(self.db_label, 1)
        self.statusBar().addPermanentWidget(self.progress_label)
        self.statusBar().addPermanentWidget(self.progress)

        self.importer = ImportController(self.session, self)
        self.imports = ImportFlow(self)
        self.record_flow = RecordCaseFlow(self.session, self)
        self.loader = InstanceLoader(self)
        from .live_bridge import LiveDesk

        self.live = LiveDesk(self)  # other desks' case changes, and offline (docs/TEAM.md)

    def _connect(self) -> None:
        s = self.session
        s.store_changed.connect(self.database.store_changed)
        s.cases_changed.connect(self.loader.reload_history)
        self.lookup.instance_chosen.connect(self.loader.open_instance)
        self.lookup.account_chosen.connect(self.loader.open_account)
        self.lookup.message.connect(self.show_error)
        self.instance_panel.instance_chosen.connect(self.loader.open_instance)
        self.quote_panel.record_requested.connect(self.record_case)
        self.quote_panel.quote_changed.connect(
            lambda q: q is not None and self.panes.fit_quote_width()
        )
        self.quote_panel.error.connect(lambda text: self.show_error(text, transient=True))
        self.quote_panel.input_fixed.connect(self._input_fixed)
        self.record_flow.message.connect(self._flow_message)
        self.record_flow.note.connect(self._flow_note)
        self.importer.progress.connect(self.show_progress)
        self.importer.finished.connect(self.imports.finished)
        self.importer.failed.connect(self.show_error)
        self.importer.busy.connect(self.set_busy)

    @property
    def cases_panel(self):
        """The Cases tab's :class:`~refund_desk.ui.cases_panel.CasesPanel`, built (and filled
        from the open store) the first time the tab is shown or the panel is asked for."""
        if self._cases_panel is None:
            from .cases_panel import CasesPanel

            panel = CasesPanel(self.session)
            panel.message.connect(self.show_info)
            panel.error.connect(self.show_error)
            panel.show_ticket.connect(self.record_flow.show_ticket)
            panel.tampered.connect(lambda: self.audit_check.check(self.session.store))
            self._cases_page.layout().addWidget(panel)
            panel.show()  # a child added to a shown page would otherwise appear an event later
            self._cases_panel = panel
            if self.session.store is not None:
                panel.refresh()
        return self._cases_panel

    def _tab_shown(self, index: int) -> None:
        if self.tabs.widget(index) is self._cases_page:
            self.cases_panel.focus_list()  # built on first show

    def _restore_state(self) -> None:
        settings = self.session.settings
        state = settings.window_state()
        if state is not None:
            self.restoreState(state)
        self.panes.restore(settings)

    # -- events ------------------------------------------------------------------------------

    def paintEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().paintEvent(event)
        if not self._painted:
            self._painted = True
            QTimer.singleShot(0, self._after_first_paint)

    def _after_first_paint(self) -> None:
        self.first_painted.emit()
        # A separate event: a smoke run that exits on first paint never builds the panels.
        QTimer.singleShot(0, self.ensure_ui)

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt API
        if not self._ui_built:
            super().closeEvent(event)
            return
        self.live.stop()
        settings = self.session.settings
        settings.save_window(self.saveGeometry(), self.saveState())
        self.panes.save(settings)
        settings.sync()
        super().closeEvent(event)

    def dragEnterEvent(self, event) -> None:  # noqa: N802 - Qt API
        if event.mimeData().hasUrls() and any(u.isLocalFile() for u in event.mimeData().urls()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event) -> None:  # noqa: N802 - Qt API
        files = [u.toLocalFile() for u in event.mimeData().urls() if u.isLocalFile()]
        if files:
            self.ensure_ui()
            event.acceptProposedAction()
            self.import_files(files)

    # -- database (ui/database_controller.py) ------------------------------------------------

    def open_database(self, choice) -> None:
        """Open the database of ``choice`` (a
        :class:`~refund_desk.services.opening.DatabaseChoice`) off the UI thread
        (:meth:`~refund_desk.ui.database_controller.DatabaseController.open_database`)."""
        self.database.open_database(choice)

    # -- lookup and quote --------------------------------------------------------------------

    def focus_search(self) -> None:
        """Ctrl+F: show the lookup tab and select the search text."""
        self.tabs.setCurrentIndex(0)
        self.lookup.focus_search()

    def cancel_now(self) -> None:
        """Ctrl+Shift+N: the cancellation time of the shown instance to now."""
        self.tabs.setCurrentIndex(0)
        if self.quote_panel.instance() is not None:
            self.quote_panel.set_cancel_now()

    def focus_whatif(self) -> None:
        """Move the keyboard focus to the what-if table."""
        self.tabs.setCurrentIndex(0)
        view = self.quote_panel.whatif_view
        view.setFocus()
        if view.model().rowCount() and not view.currentIndex().isValid():
            view.setCurrentIndex(view.model().index(0, 1))

    def open_instance(self, instance_id: str) -> None:
        """Load instance ``instance_id`` with its orders and quote it (off the UI thread;
        :class:`~refund_desk.ui.instance_loader.InstanceLoader`)."""
        self.loader.open_instance(instance_id)

    def open_account(self, account_id: str) -> None:
        """Show account ``account_id`` and its instances."""
        self.loader.open_account(account_id)

    def record_case(self) -> None:
        """Ctrl+R: record a refund case for the shown quote (confirmation first)."""
        if self.session.store is None:
            return
        if self.session.offline:
            self.show_error(
                "Nothing recorded: the desk is offline (see the bar above). The quote stays on "
                "screen; record it once the desk is back online.",
                transient=True,
            )
            return
        self.record_flow.start(self.quote_panel.quote())

    def _flow_message(self, text: str) -> None:
        # About the shown instance: gone when the operator moves to another one.
        self.message_bar.show_message(text, "error", transient=True)

    def _flow_note(self, text: str) -> None:
        self.message_bar.show_message(text, "info", transient=True)

    # -- import (ui/import_flow.py) -----------------------------------------------------------

    def import_files(self, file_paths: list[str]) -> None:
        """Import files or folders (switches from the demo database to your own first)."""
        self.imports.import_files(file_paths)

    def _import_finished(self, summary) -> None:
        self.imports.finished(summary)

    @property
    def import_summary_box(self):
        """The last import summary dialog shown (None before the first)."""
        return self.imports.summary_box

    # -- progress and messages ---------------------------------------------------------------

    def set_busy(self, busy: bool) -> None:
        """Show (``True``) or hide the status bar's busy bar and its text."""
        if busy:
            self.progress.setRange(0, 0)
            self.progress.show()
        else:
            self.progress.hide()
            self.progress_label.clear()

    def show_progress(self, done: int, total: int, text: str) -> None:
        """Show background progress in the status bar (``total`` 0: unknown)."""
        self.ensure_ui()
        self.progress.show()
        if total > 0:
            self.progress.setRange(0, total)
            self.progress.setValue(done)
        else:
            self.progress.setRange(0, 0)
        self.progress_label.setText(text)

    def _input_fixed(self) -> None:
        """A corrected discount factor takes its error bar away (another error stays)."""
        if self.message_bar.text().startswith("Discount factor"):
            self.message_bar.dismiss()

    def show_error(self, text: str, *, transient: bool = False) -> None:
        """Show an error in plain words at the top of the window (``transient``: about the shown
        instance, cleared when another one is shown)."""
        self.ensure_ui()
        self.message_bar.show_message(text, "error", transient=transient)

    def show_info(self, text: str, *, transient: bool = True) -> None:
        """Show a result at the top of the window (cleared when another instance is shown)."""
        self.ensure_ui()
        self.message_bar.show_message(text, "info", transient=transient)

    # -- tools -------------------------------------------------------------------------------

    def open_training(self) -> None:
        """Open training mode (``refund_desk.ui.training.entry.open_training``). Always shipped:
        a failure to import it is a bug and is raised as one, never shown as "not available"."""
        from .training import entry  # imported on first use: not on the start-up path

        try:
            entry.open_training(self)
        except ImportError:
            raise  # a bug in what always ships, not something to put in words for the operator
        except Exception as exc:  # noqa: BLE001 - shown in plain words
            from .messages import plain_error

            self.show_error(
                _("Training mode could not start: {problem}").format(problem=plain_error(exc))
            )
