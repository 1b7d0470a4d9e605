"""The main window's menus: every action with a keyboard path and a tooltip, plus the small
dialogs they open (keyboard shortcuts, about, the operator's name)."""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QInputDialog, QMessageBox


class DeskMenus(QObject):
    """Builds the menu bar of ``window`` (a :class:`~refund_desk.ui.main_window.MainWindow`)
    and keeps its actions (``import_action``, ``record_action``, ``escape_action``)."""

    def __init__(self, window):
        super().__init__(window)
        self._w = window
        self._build()

    def _action(self, menu, text: str, shortcut, tip: str, slot) -> QAction:
        action = QAction(text, self._w)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
        action.setToolTip(tip)
        action.setStatusTip(tip)
        action.triggered.connect(slot)
        menu.addAction(action)
        return action

    def _build(self) -> None:
        w = self._w
        bar = w.menuBar()
        file_menu = bar.addMenu("&File")
        self.import_action = self._action(
            file_menu,
            "&Import files…",
            "Ctrl+I",
            "Import BSS exports (JSON) or CSV order files into your database.",
            w.choose_import_files,
        )
        self._action(
            file_menu,
            "Import a &folder…",
            "Ctrl+Shift+I",
            "Import every export in a folder (and its subfolders).",
            w.choose_import_folder,
        )
        file_menu.addSeparator()
        self._action(
            file_menu,
            "&Open database…",
            "Ctrl+O",
            "Open another desk database file.",
            w.choose_database,
        )
        self._action(
            file_menu,
            "Show the &demo database",
            None,
            "Open the demo database (made-up data, shown with a banner).",
            w.open_demo,
        )
        file_menu.addSeparator()
        self._action(
            file_menu, "&Quit", QKeySequence.StandardKey.Quit, "Close Refund Desk.", w.close
        )

        work = bar.addMenu("&Work")
        self._action(
            work, "&Find…", "Ctrl+F", "Find an order, instance or account (Ctrl+F).", w.focus_search
        )
        self._action(
            work,
            "&Lookup and quote",
            "Ctrl+1",
            "Show the lookup and quote tab.",
            lambda: w.tabs.setCurrentIndex(0),
        )
        self._action(
            work, "&Cases", "Ctrl+2", "Show the recorded cases.", lambda: w.tabs.setCurrentIndex(1)
        )
        self._action(
            work,
            "Cancellation time to &now",
            "Ctrl+Shift+N",
            "Set the cancellation time to now.",
            w.quote_panel.set_cancel_now,
        )
        self._action(
            work,
            "Edit the &what-if inputs",
            "Ctrl+W",
            "Move to the per-order what-if table (Space toggles, F2 edits).",
            w.focus_whatif,
        )
        self.record_action = self._action(
            work,
            "&Record refund case…",
            "Ctrl+R",
            "Confirm the release with the customer and record the case (Ctrl+R).",
            w.record_case,
        )

        tools = bar.addMenu("&Tools")
        self._action(
            tools,
            "&Training mode…",
            "Ctrl+T",
            "Practise refund cases on a separate training database.",
            w.open_training,
        )
        self._action(
            tools,
            "Team &database…",
            None,
            "Work on the team's shared PostgreSQL database, or on this computer's own.",
            self.open_team_database,
        )
        self._action(
            tools,
            "Your &name…",
            None,
            "Change the name written on tickets and in the audit log.",
            self.change_operator,
        )

        help_menu = bar.addMenu("&Help")
        self._action(
            help_menu,
            "&Keyboard shortcuts",
            "F1",
            "List the keyboard shortcuts.",
            self.show_shortcuts,
        )
        self._action(help_menu, "&About Refund Desk", None, "Version and policy.", self.show_about)
        self.escape_action = QAction(w)
        self.escape_action.setShortcut(QKeySequence(Qt.Key.Key_Escape))
        self.escape_action.triggered.connect(w.message_bar.dismiss)
        w.addAction(self.escape_action)

    def change_operator(self) -> None:
        """Ask for the operator's name again."""
        w = self._w
        text, ok = QInputDialog.getText(
            w,
            "Your name — Refund Desk",
            "Your name, as written on tickets and in the audit log:",
            text=w.session.operator,
        )
        if ok and text.strip():
            w.session.settings.operator_name = text.strip()
            w.show_info(f"Tickets and audit entries now say {text.strip()!r}.")

    def open_team_database(self):
        """Tools ▸ Team database… (``ui/team_database_dialog.py``)."""
        from .team_database_dialog import open_team_database_dialog

        self.team_database_dialog = open_team_database_dialog(self._w)
        return self.team_database_dialog

    def shortcuts_text(self) -> str:
        """Every menu action with its shortcut (Help ▸ Keyboard shortcuts)."""
        lines = []
        for menu_action in self._w.menuBar().actions():
            for action in menu_action.menu().actions():
                if action.isSeparator():
                    continue
                keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
                name = action.text().replace("&", "")
                lines.append(f"{name:<36} {keys or '—'}")
        lines.append(f"{'Dismiss the message':<36} Escape")
        return "\n".join(lines)

    def show_shortcuts(self) -> None:
        """Show the keyboard shortcuts."""
        box = QMessageBox(
            QMessageBox.Icon.Information,
            "Keyboard shortcuts — Refund Desk",
            self.shortcuts_text(),
            QMessageBox.StandardButton.Ok,
            self._w,
        )
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()

    def show_about(self) -> None:
        """Version and policy."""
        from .. import __version__

        QMessageBox.about(
            self._w,
            "About Refund Desk",
            f"Refund Desk {__version__}\nRefund quotes and tickets for IoT Platform "
            "subscription instances (policy iot-platform-refund, docs/RULES.md).",
        )
