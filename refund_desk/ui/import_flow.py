"""The window's side of importing: choosing files or a folder, the word that an import from
the demo database switches to the operator's own one, and the summary when it ends. The import
itself runs in :class:`~refund_desk.ui.import_controller.ImportController`."""

from __future__ import annotations

import os

from PySide6.QtCore import QObject

from ..wording import _


class ImportFlow(QObject):
    """Starts imports from the menus and drops, and reports them.

    Args:
        window: the :class:`~refund_desk.ui.main_window.MainWindow` (its ``session``,
            ``importer``, ``message_bar``, ``lookup``, ``show_info`` and ``show_error``).

    Attributes:
        summary_box: the last import summary dialog shown (None before the first).
    """

    def __init__(self, window):
        super().__init__(window)
        self._w = window
        self._session = window.session
        self.summary_box = None

    def choose_files(self) -> None:
        """Ask for export files and import them."""
        from PySide6.QtWidgets import QFileDialog

        start = self._session.settings.last_import_dir()
        files, _filter = QFileDialog.getOpenFileNames(
            self._w,
            _("Import BSS exports or CSV files"),
            start,
            _("Exports (*.json *.csv);;All files (*)"),
        )
        if files:
            self.import_files(files)

    def choose_folder(self) -> None:
        """Ask for a folder of exports and import it."""
        from PySide6.QtWidgets import QFileDialog

        folder = QFileDialog.getExistingDirectory(
            self._w, _("Import a folder of exports"), self._session.settings.last_import_dir()
        )
        if folder:
            self.import_files([folder])

    def import_files(self, file_paths: list[str]) -> None:
        """Import files or folders (switches from the demo database to your own first)."""
        w = self._w
        if w.importer.running:
            w.show_error(_("An import is already running; wait for it to finish."))
            return
        if file_paths:
            first = file_paths[0]
            self._session.settings.set_last_import_dir(
                first if os.path.isdir(first) else os.path.dirname(first)
            )
        if self._session.is_demo:
            w.show_info(
                _(
                    "Switching to your own database for the import: demo data and your data "
                    "never mix."
                )
            )
        w.importer.import_paths(file_paths)

    def finished(self, summary) -> None:
        """An import ended: its first line in the message bar (until dismissed), the whole
        summary in a dialog, and the search run again over the new data."""
        from PySide6.QtCore import Qt
        from PySide6.QtWidgets import QMessageBox

        w = self._w
        text = summary.format()
        kind = "error" if summary.rejected else "info"
        first = text.strip().splitlines()[0] if text.strip() else _("Import finished.")
        w.message_bar.show_message(
            first + (_(" Some files were rejected: see the summary.") if summary.rejected else ""),
            kind,
            transient=False,  # about the import, not an instance: stays until dismissed
        )
        box = QMessageBox(
            QMessageBox.Icon.Warning if summary.rejected else QMessageBox.Icon.Information,
            _("Import summary — Refund Desk"),
            text,
            QMessageBox.StandardButton.Ok,
            w,
        )
        box.setObjectName("import_summary")
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.summary_box = box
        box.open()
        if w.lookup.search_edit.text().strip():
            w.lookup.run_search()
