"""Importing files from the window (menu and drag-and-drop), off the UI thread with progress.

While the demo database is shown, an import first switches to the operator's own database: demo
data and real data never mix.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal


class ImportController(QObject):
    """Runs imports for the window.

    Signals:
        progress(int, int, str): files done, total, text.
        finished(object): the ``ImportSummary`` (the store was updated).
        failed(str): plain-words reason nothing was imported.
        busy(bool): an import started / ended.
    """

    progress = Signal(int, int, str)
    finished = Signal(object)
    failed = Signal(str)
    busy = Signal(bool)

    def __init__(self, session, parent: QObject | None = None):
        super().__init__(parent)
        self._session = session
        self._running = False

    @property
    def running(self) -> bool:
        """An import is in progress."""
        return self._running

    def import_paths(self, file_paths: list[str]) -> bool:
        """Start importing ``file_paths`` (files or folders). Returns False when another import
        is still running or nothing was given."""
        from ..services.opening import open_operator_store, run_import

        file_paths = [p for p in file_paths if p]
        if self._running or not file_paths:
            return False
        session = self._session
        actor = session.operator or "operator"
        switch = session.store is None or session.is_demo
        current = session.store
        self._running = True
        self.busy.emit(True)

        def work(progress):
            store = open_operator_store(progress) if switch else current
            try:
                summary = run_import(store, file_paths, actor, progress)
            except BaseException:
                if switch:
                    store.close()
                raise
            return store, summary

        def done(result) -> None:
            store, summary = result
            self._running = False
            self.busy.emit(False)
            if store is not session.store:
                session.set_store(store)
            self.finished.emit(summary)

        def fail(exc: BaseException) -> None:
            from .messages import plain_error

            self._running = False
            self.busy.emit(False)
            from ..wording import _

            self.failed.emit(
                _("Import failed, nothing was imported: {problem}").format(problem=plain_error(exc))
            )

        session.background.run(
            work,
            on_success=done,
            on_failure=fail,
            on_progress=lambda d, t, text: self.progress.emit(d, t, text),
        )
        return True
