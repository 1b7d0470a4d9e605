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

from ..wording import N_, _
from .session import DeskSession

DEMO_BANNER = N_(
    "DEMO DATA — made-up customers and orders for practice; nothing here is real. "
    "Import your BSS exports (File ▸ Import files…, Ctrl+I) to switch to your own database."
)
ORDERS_PAGE = 200
DEFAULT_SIZE = (1440, 900)
FRAME_ALLOWANCE = (8, 40)  # side borders; title bar and bottom border (pixels)


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
        self._opening_text: str | None = None
        self._loading_instance: str | None = None
        self.setWindowTitle(_("Refund Desk"))
        if icon is not None and not icon.isNull():
            self.setWindowIcon(icon)
        self.setAcceptDrops(True)
        geometry = session.settings.geometry()
        if geometry is None or not self.restoreGeometry(geometry):
            self._fit_to_screen()
        if deferred:
            placeholder = QLabel(_("Refund Desk — opening…"))
            placeholder.setMargin(24)
            self.setCentralWidget(placeholder)
        else:
            self.ensure_ui()

    def _fit_to_screen(self) -> None:
        """First start: 1440×900, or less on a smaller screen — the whole window, its frame
        and status bar included, inside the screen's free area (without the task bar), centred
        in it."""
        screen = self.screen()
        if screen is None:
            self.resize(*DEFAULT_SIZE)
            return
        free = screen.availableGeometry()
        # Room for the window manager's frame and title bar, which resize() does not include.
        width = min(DEFAULT_SIZE[0], free.width() - 2 * FRAME_ALLOWANCE[0])
        height = min(DEFAULT_SIZE[1], free.height() - FRAME_ALLOWANCE[1])
        self.resize(width, height)
        self.move(
            free.x() + (free.width() - width) // 2,
            free.y() + max(0, (free.height() - height - FRAME_ALLOWANCE[1]) // 2),
        )

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
        if self._opening_text:
            self.db_label.setText(self._opening_text)
            self._busy(True)
        self.ui_ready.emit()

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

        from .import_controller import ImportController
        from .instance_panel import InstancePanel
        from .lookup_panel import LookupPanel
        from .message_bar import MessageBar
        from .quote_panel import QuotePanel
        from .record_flow import RecordCaseFlow

        central = QWidget()
        outer = QVBoxLayout(central)
        outer.setContentsMargins(6, 4, 6, 4)
        outer.setSpacing(4)
        self.banner = QLabel(_(DEMO_BANNER))
        self.banner.setObjectName("demo_banner")
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet(
            "QLabel#demo_banner { background: #ffd54f; color: #3e2723; font-weight: bold;"
            " border: 1px solid #c79a00; padding: 6px 10px; }"
        )
        self.banner.setToolTip(_("This database holds demo data only; your imports never go here."))
        self.banner.hide()
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
        # shown then fits the orders pane to its orders (_fit_orders_pane).
        self.right_split.setSizes([310, 620])
        self._orders_pane_dragged = False
        self._lookup_pane_dragged = False
        self.right_split.splitterMoved.connect(self._orders_pane_moved)
        self.main_split.splitterMoved.connect(self._lookup_pane_moved)
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
        self.record_flow = RecordCaseFlow(self.session, self)
        from .live_bridge import LiveDesk

        self.live = LiveDesk(self)  # other desks' case changes, and offline (docs/TEAM.md)

    def _connect(self) -> None:
        s = self.session
        s.store_changed.connect(self._store_changed)
        s.cases_changed.connect(self._reload_history)
        self.lookup.instance_chosen.connect(self.open_instance)
        self.lookup.account_chosen.connect(self.open_account)
        self.lookup.message.connect(self.show_error)
        self.instance_panel.instance_chosen.connect(self.open_instance)
        self.quote_panel.record_requested.connect(self.record_case)
        self.quote_panel.quote_changed.connect(lambda q: q is not None and self._fit_quote_width())
        self.quote_panel.error.connect(lambda text: self.show_error(text, transient=True))
        self.quote_panel.input_fixed.connect(self._input_fixed)
        self.record_flow.message.connect(self._flow_message)
        self.record_flow.note.connect(self._flow_note)
        self.importer.progress.connect(self.show_progress)
        self.importer.finished.connect(self._import_finished)
        self.importer.failed.connect(self.show_error)
        self.importer.busy.connect(self._busy)

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
        for splitter in (self.main_split, self.right_split):
            saved = settings.splitter(splitter.objectName())
            if saved is not None:
                splitter.restoreState(saved)

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
        for splitter in (self.main_split, self.right_split):
            settings.save_splitter(splitter.objectName(), splitter.saveState())
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

    # -- database ----------------------------------------------------------------------------

    def open_database(self, choice) -> None:
        """Open the database of ``choice`` (a
        :class:`~refund_desk.services.opening.DatabaseChoice`) off the UI thread, creating the
        demo database when it is missing.

        May be called before the panels are built (at the first paint), so the worker thread
        imports SQLAlchemy while the UI thread builds the panels."""
        from ..services.opening import open_choice

        what = (
            _("Creating the demo database…") if choice.create_demo else _("Opening the database…")
        )
        self._opening_text = what
        if self._ui_built:
            self.db_label.setText(what)
            self._busy(True)
        self.session.background.run(
            lambda progress: open_choice(choice, progress),
            on_success=self._opened,
            on_failure=self._open_failed,
            on_progress=self.show_progress,
        )

    def _opened(self, store) -> None:
        self._opening_text = None
        self.ensure_ui()
        self._busy(False)
        self.session.set_store(store)

    def _open_failed(self, exc: BaseException) -> None:
        from .messages import plain_error

        self._opening_text = None
        self.ensure_ui()
        self._busy(False)
        self.db_label.setText(_("No database open."))
        self.show_error(
            _("The database could not be opened: {problem}").format(problem=plain_error(exc))
        )

    def _store_changed(self, store) -> None:
        self.quote_panel.clear()
        self.instance_panel.clear()
        self.lookup.set_store(store)
        if store is None:
            self.banner.hide()
            self.db_label.setText(_("No database open."))
            return
        demo = store.role == "demo"
        self.banner.setVisible(demo)
        label = (
            _("Demo data")
            if demo
            else (_("Training data") if store.role == "training" else _("Your database"))
        )
        self.db_label.setText(_("{label}: {url}").format(label=label, url=store.url))
        self.setWindowTitle(_("Refund Desk — {label}").format(label=label))
        self.store_ready.emit(store)

    def choose_database(self) -> None:
        """Ask for a database file and open it."""
        from PySide6.QtWidgets import QFileDialog

        from ..services.opening import DatabaseChoice

        path, _filter = QFileDialog.getOpenFileName(
            self, _("Open a desk database"), "", _("Desk databases (*.db *.sqlite);;All files (*)")
        )
        if path:
            self.open_database(DatabaseChoice(target=path, explicit=True))

    def open_demo(self) -> None:
        """Open the demo database (created when missing)."""
        from ..services.opening import choose_database

        self.open_database(choose_database(demo=True))

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
        """Load instance ``instance_id`` with its orders and quote it (off the UI thread)."""
        store = self.session.store
        if store is None:
            return
        self._loading_instance = instance_id

        def work():
            from ..errors import UnknownInstanceError

            record = store.get_instance(instance_id)
            if record is None:
                raise UnknownInstanceError(
                    _("No instance {instance_id} in this database.").format(
                        instance_id=repr(instance_id)
                    )
                )
            orders = store.orders_of_instance(instance_id, limit=ORDERS_PAGE)
            total = store.count_orders_of_instance(instance_id)
            try:
                instance = store.instance_input(instance_id)
            except UnknownInstanceError as exc:
                return record, orders, total, None, str(exc)
            return record, orders, total, instance, None

        def done(result) -> None:
            if self._loading_instance != instance_id:
                return  # the operator already moved on
            record, orders, total, instance, problem = result
            self.message_bar.dismiss_transient()
            self.instance_panel.show_instance(record, orders, total)
            self._fit_orders_pane()
            if instance is None:
                self.quote_panel.clear()
                self.show_error(
                    _("Cannot quote: {problem}").format(problem=problem), transient=True
                )
                return
            # The quote in its own event: the UI thread never holds both steps in one go.
            QTimer.singleShot(0, lambda: self._show_quote(instance_id, instance))

        self.session.background.run(work, on_success=done, on_failure=self._load_failed)

    def _show_quote(self, instance_id: str, instance) -> None:
        if self._loading_instance != instance_id:
            return
        self.quote_panel.set_instance(instance)
        self.instance_loaded.emit(instance_id)

    def _reload_history(self) -> None:
        """A case was recorded or changed: quote the shown instance again with its new history
        (RULES.md §7), keeping the cancellation time and what-if inputs."""
        store, panel = self.session.store, self.quote_panel
        shown = panel.instance()
        if store is None or shown is None:
            return
        instance_id, cancel_at, options = shown.instance_id, panel.cancel_at(), panel.options()

        def done(instance) -> None:
            current = panel.instance()
            if current is not None and current.instance_id == instance_id:
                panel.set_instance(instance, options=options, cancel_at=cancel_at)

        self.session.background.run(
            lambda: store.instance_input(instance_id), on_success=done, on_failure=self._load_failed
        )

    def open_account(self, account_id: str) -> None:
        """Show account ``account_id`` and its instances."""
        store = self.session.store
        if store is None:
            return
        self._loading_instance = None

        def work():
            return store.get_account(account_id), store.instances_of_account(account_id, limit=500)

        def done(result) -> None:
            account, instances = result
            if account is None:
                self.show_error(
                    _("No account {account_id} in this database.").format(
                        account_id=repr(account_id)
                    )
                )
                return
            self.message_bar.dismiss_transient()
            self.quote_panel.clear()
            self.instance_panel.show_account(account, instances)
            self._fit_orders_pane()

        self.session.background.run(work, on_success=done, on_failure=self._load_failed)

    def _orders_pane_moved(self, _pos: int, _index: int) -> None:
        self._orders_pane_dragged = True

    def _lookup_pane_moved(self, _pos: int, _index: int) -> None:
        self._lookup_pane_dragged = True

    def _fit_quote_width(self) -> None:
        """Give the quote the width its per-order table needs (every column, the checks
        included, without side scrolling) by narrowing the lookup pane, as far as the lookup
        keeps its ids readable — unless the operator dragged that splitter in this session.
        Fonts differ between desktops; this follows the fonts actually used."""
        if self._lookup_pane_dragged:
            return
        details = self.quote_panel.details
        scroll = self.quote_scroll
        need = details.minimumSizeHint().width() + scroll.verticalScrollBar().sizeHint().width()
        have = scroll.viewport().width() + (
            scroll.verticalScrollBar().width() if scroll.verticalScrollBar().isVisible() else 0
        )
        if need <= have:
            return
        sizes = self.main_split.sizes()
        spare = sizes[0] - self.lookup.comfortable_width()
        give = min(need - have, spare)
        if give > 0:
            self.main_split.setSizes([sizes[0] - give, sizes[1] + give])

    def _fit_orders_pane(self) -> None:
        """Give the orders of the shown instance (up to eight) their room above the quote,
        unless the operator dragged the splitter in this session (their choice then stays)."""
        if self._orders_pane_dragged:
            return
        sizes = self.right_split.sizes()
        total = sum(sizes)
        if total <= 0:
            return
        wanted = max(150, min(self.instance_panel.preferred_height(), total // 2))
        if wanted != sizes[0]:
            self.right_split.setSizes([wanted, total - wanted])

    def _load_failed(self, exc: BaseException) -> None:
        from .messages import plain_error

        self.show_error(plain_error(exc))

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

    # -- import ------------------------------------------------------------------------------

    def choose_import_files(self) -> None:
        """Ask for export files and import them."""
        from PySide6.QtWidgets import QFileDialog

        start = self.session.settings.last_import_dir()
        files, _filter = QFileDialog.getOpenFileNames(
            self,
            _("Import BSS exports or CSV files"),
            start,
            _("Exports (*.json *.csv);;All files (*)"),
        )
        if files:
            self.import_files(files)

    def choose_import_folder(self) -> None:
        """Ask for a folder of exports and import it."""
        from PySide6.QtWidgets import QFileDialog

        folder = QFileDialog.getExistingDirectory(
            self, _("Import a folder of exports"), self.session.settings.last_import_dir()
        )
        if folder:
            self.import_files([folder])

    def import_files(self, file_paths: list[str]) -> None:
        """Import files or folders (switches from the demo database to your own first)."""
        import os

        if self.importer.running:
            self.show_error(_("An import is already running; wait for it to finish."))
            return
        if file_paths:
            first = file_paths[0]
            self.session.settings.set_last_import_dir(
                first if os.path.isdir(first) else os.path.dirname(first)
            )
        if self.session.is_demo:
            self.show_info(
                _(
                    "Switching to your own database for the import: demo data and your data "
                    "never mix."
                )
            )
        self.importer.import_paths(file_paths)

    def _import_finished(self, summary) -> None:
        from PySide6.QtCore import Qt
        from PySide6.QtWidgets import QMessageBox

        text = summary.format()
        kind = "error" if summary.rejected else "info"
        first = text.strip().splitlines()[0] if text.strip() else _("Import finished.")
        self.message_bar.show_message(
            first + (_(" Some files were rejected: see the summary.") if summary.rejected else ""),
            kind,
            transient=False,  # about the import, not an instance: stays until dismissed
        )
        box = QMessageBox(
            QMessageBox.Icon.Warning if summary.rejected else QMessageBox.Icon.Information,
            _("Import summary — Refund Desk"),
            text,
            QMessageBox.StandardButton.Ok,
            self,
        )
        box.setObjectName("import_summary")
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.import_summary_box = box
        box.open()
        if self.lookup.search_edit.text().strip():
            self.lookup.run_search()

    # -- progress and messages ---------------------------------------------------------------

    def _busy(self, busy: bool) -> None:
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
