"""Composition root of the window: QApplication, settings, the background helper, the main
window, and the smoke modes.

Start-up order matters: the window is shown and painted first; SQLAlchemy, Alembic, the holiday
calendar and the store are imported afterwards, on a worker thread (they cost more than the
window itself). ``--smoke-first-paint`` exits as soon as the window has painted once; ``--smoke``
paints, opens the database (the demo database, created when missing, unless ``--db`` says
otherwise), searches, quotes one instance through the real store and policy core, and exits 0.
"""

from __future__ import annotations

import sys
from pathlib import Path

SMOKE_TIMEOUT_MS = 180_000
SMOKE_TERMS = ("iot-cn-", "iot", "1", "2", "3", "4", "5", "6", "7", "8", "9", "0")


def resource_dir() -> Path:
    """The ``resources`` folder: next to the package in a checkout, or inside a bundle."""
    base = Path(getattr(sys, "_MEIPASS", Path(__file__).resolve().parent.parent))
    return base / "resources"


def _load_icon():
    from PySide6.QtGui import QIcon

    icons = resource_dir() / "icons"
    icon = QIcon()
    for name in ("refund-desk.svg", "refund-desk.png"):
        if (icons / name).exists():
            icon.addFile(str(icons / name))
    for size in (16, 32, 48, 64, 128, 256):
        candidate = icons / f"refund-desk-{size}.png"
        if candidate.exists():
            icon.addFile(str(candidate))
    return icon


def build_window(
    args=None,
    *,
    settings=None,
    synchronous: bool = False,
    deferred: bool = False,
    clock=None,
):
    """Create the session and the main window (the QApplication must exist).

    Args:
        args: parsed ``refund-desk`` arguments (``db``, ``demo``…); only used to decide nothing
            here — see :func:`run_gui`.
        settings: a :class:`~refund_desk.ui.settings.DeskSettings` (tests inject one on a
            temporary file); default the user's settings.
        synchronous: run background work in the calling thread (tests).
        deferred: paint a light frame first and build the panels after the first paint.
        clock: ``clock() -> aware datetime``, the desk's now (tests pass a fixed one).
    Returns:
        The :class:`~refund_desk.ui.main_window.MainWindow`.
    """
    from .ui.background import Background
    from .ui.main_window import MainWindow
    from .ui.session import DeskSession
    from .ui.settings import DeskSettings

    settings = settings or DeskSettings()
    background = Background(synchronous=synchronous)
    session = DeskSession(background, settings, clock=clock)
    window = MainWindow(session, _load_icon(), deferred=deferred)
    background.setParent(window)
    session.setParent(window)
    return window


def smoke_line(url: str, q) -> str:
    """The one line ``--smoke`` prints for the quote ``q`` it checked: neutral words (a health
    check, not a refund), and never a partial sum as a total."""
    from .policy import format_cny
    from .services.text import blocked_orders_words, no_total_yet
    from .wording import _

    if q.outcome.value != "refundable":
        figure = "no refund case"
    elif no_total_yet(q):
        figure = _("no total yet ({blocked})").format(blocked=blocked_orders_words(q))
    else:
        figure = f"total CNY {format_cny(q.total_refund)}"
    return (
        f"refund-desk --smoke: OK: {url}; quoted instance {q.instance_id}: "
        f"outcome {q.outcome.value.replace('_', ' ')}, {figure}"
    )


class _Smoke:
    """``--smoke``: after the store is open, search, open the first instance found, check that
    its quote came through the real store and policy core, print one line and exit 0 (1 on any
    error or after a timeout). One instance only: the smoke run is also a start-up benchmark."""

    def __init__(self, app, window):
        self.app = app
        self.window = window
        self.terms = list(SMOKE_TERMS)
        self.searched = False
        window.ui_ready.connect(self._ui_ready)
        from PySide6.QtCore import QTimer

        QTimer.singleShot(SMOKE_TIMEOUT_MS, lambda: self._fail("timed out"))
        self._original_error = window.show_error
        window.show_error = self._error

    def _ui_ready(self) -> None:
        self.window.store_ready.connect(self._store_ready)
        self.window.lookup.model.search_done.connect(self._search_done)
        self.window.instance_loaded.connect(self._instance_loaded)

    def _error(self, text: str, **kwargs) -> None:
        self._original_error(text, **kwargs)
        self._fail(text)

    def _fail(self, why: str) -> None:
        print(f"refund-desk --smoke: FAILED: {why}", file=sys.stderr)
        self.app.exit(1)

    def _store_ready(self, _store) -> None:
        self._next_term()

    def _next_term(self) -> None:
        if not self.terms:
            self._fail("no instance found by any search")
            return
        term = self.terms.pop(0)
        self.window.lookup.search_edit.setText(term)
        self.window.lookup.run_search()

    def _search_done(self, term: str, count: int, _more: bool) -> None:
        if not term or self.searched:
            return  # an empty search, or a later page of the one already used
        model = self.window.lookup.model
        for row in range(model.rowCount()):
            hit = model.hit(row)
            if hit.kind in ("instance", "order") and hit.instance_ids:
                self.searched = True
                self.window.lookup.view.selectRow(row)
                return
        self._next_term()

    def _instance_loaded(self, instance_id: str) -> None:
        q = self.window.quote_panel.quote()
        if q is None or q.instance_id != instance_id:
            self._fail(f"no quote shown for {instance_id}")
            return
        print(smoke_line(self.window.session.store.url, q))
        self.app.exit(0)


def run_gui(args) -> int:
    """Run the window. Returns the process exit code.

    Args:
        args: ``refund-desk`` arguments: ``db`` (path or URL, wins), ``demo`` (open the demo
            database), ``training`` (open training mode once the window is up), ``smoke``,
            ``smoke_first_paint``.
    """
    from .logfile import setup_logging

    setup_logging()  # tracebacks and database details go to the log file, never the screen
    from PySide6.QtCore import QCoreApplication
    from PySide6.QtWidgets import QApplication

    from .services.opening import choose_database
    from .ui.settings import APPLICATION, ORGANIZATION

    QCoreApplication.setOrganizationName(ORGANIZATION)
    QCoreApplication.setApplicationName(APPLICATION)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    from .ui.language import apply_cjk_fallback, install_language, start_language
    from .ui.settings import DeskSettings
    from .wording import _

    settings = DeskSettings()
    install_language(app, start_language(getattr(args, "lang", None), settings.language))
    apply_cjk_fallback(app)
    app.setApplicationDisplayName(_("Refund Desk"))
    window = build_window(args, settings=settings, deferred=True)
    smoke_first_paint = getattr(args, "smoke_first_paint", False)
    smoke = getattr(args, "smoke", False)
    if smoke_first_paint:
        window.first_painted.connect(lambda: app.exit(0))
    else:
        try:
            choice = choose_database(
                getattr(args, "db", None),
                demo=getattr(args, "demo", False),
                team_url=window.session.settings.team_database_url,
            )
        except Exception as exc:  # noqa: BLE001 - shown in plain words
            from .ui.messages import plain_error

            window.show_error(f"No database could be chosen: {plain_error(exc)}")
        else:
            # Open the store at the first paint: the worker imports SQLAlchemy while the UI
            # thread builds the panels.
            window.first_painted.connect(lambda: window.open_database(choice))
        if smoke:
            window._smoke = _Smoke(app, window)
        elif getattr(args, "training", False):
            opened = []

            def training_once(_store) -> None:
                if not opened:
                    opened.append(True)
                    window.open_training()

            window.store_ready.connect(training_once)
    window.show()
    code = app.exec()
    # Work still running when the window closes (an import, the demo database being built)
    # finishes first: the process never ends in the middle of it.
    window.session.background.wait_idle(-1)
    if not smoke_first_paint:
        window.close()
    window.session.close()
    # Qt's own teardown runs here, before Python's: it hands what the desk put on the clipboard
    # (a copied ticket) to the system, which on Windows, macOS and X11 happens only then.
    app.shutdown()
    return code
