"""The main window's menus, built from the command registry (:mod:`refund_desk.ui.keymap`):
every action with its keys and a tooltip, plus the small dialogs they open (keyboard shortcuts,
about, the operator's name, the log folder)."""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QInputDialog, QMessageBox

from ..wording import _
from .keymap import COMMANDS, MENUS, make_action, shortcuts_html, shortcuts_text


def _menu_titles() -> dict[str, str]:
    return {"File": _("&File"), "Work": _("&Work"), "Tools": _("&Tools"), "Help": _("&Help")}


class DeskMenus(QObject):
    """Builds the menu bar of ``window`` (a :class:`~refund_desk.ui.main_window.MainWindow`)
    from the command registry (:mod:`refund_desk.ui.keymap`) and keeps its actions by command
    key (``actions["record"]``; also ``import_action``, ``record_action``,
    ``escape_action``)."""

    def __init__(self, window):
        super().__init__(window)
        self._w = window
        self.actions: dict[str, QAction] = {}
        self.shortcuts_dialog = None
        self._build()

    def _slots(self) -> dict:
        w = self._w
        return {
            "import_files": w.imports.choose_files,
            "import_folder": w.imports.choose_folder,
            "open_database": w.database.choose_database,
            "open_demo": w.database.open_demo,
            "quit": w.close,
            "find": w.focus_search,
            "lookup_tab": lambda: w.tabs.setCurrentIndex(0),
            # Also when the tab is shown already: the list on its newest case, every time.
            "cases_tab": lambda: (w.tabs.setCurrentIndex(1), w.cases_panel.focus_list()),
            "cancel_now": w.cancel_now,
            "whatif": w.focus_whatif,
            "record": w.record_case,
            "training": w.open_training,
            "team_database": self.open_team_database,
            "operator_name": self.change_operator,
            "settings": self.open_settings,
            "shortcuts": self.show_shortcuts,
            "open_log_folder": self.open_log_folder,
            "about": self.show_about,
            "dismiss_message": w.message_bar.dismiss,
        }

    def _build(self) -> None:
        w = self._w
        slots = self._slots()
        menus = {}
        titles = _menu_titles()
        for name in MENUS:
            menus[name] = w.menuBar().addMenu(titles[name])
        for cmd in COMMANDS:
            if cmd.kind != "action":
                continue
            action = make_action(cmd.key, w, slots[cmd.key])
            self.actions[cmd.key] = action
            menu = menus.get(cmd.place)
            if menu is None:
                w.addAction(action)  # window-wide, no menu item (Escape)
                continue
            if cmd.separator_before:
                menu.addSeparator()
            menu.addAction(action)
        self.import_action = self.actions["import_files"]
        self.record_action = self.actions["record"]
        self.escape_action = self.actions["dismiss_message"]

    def change_operator(self) -> None:
        """Ask for the operator's name again."""
        w = self._w
        text, ok = QInputDialog.getText(
            w,
            _("Your name — Refund Desk"),
            _("Your name, as written on tickets and in the audit log:"),
            text=w.session.operator,
        )
        if ok and text.strip():
            w.session.settings.operator_name = text.strip()
            w.show_info(
                _("Tickets and audit entries now say {name}.").format(name=repr(text.strip()))
            )

    def open_settings(self):
        """Tools ▸ Settings… (``ui/settings_dialog.py``): the languages."""
        from .settings_dialog import SettingsDialog

        dialog = SettingsDialog(self._w.session.settings, self._w)
        dialog.saved.connect(self._w.show_info)
        self.settings_dialog = dialog
        dialog.open()
        return dialog

    def open_team_database(self):
        """Tools ▸ Team database… (``ui/team_database_dialog.py``)."""
        from .team_database_dialog import open_team_database_dialog

        self.team_database_dialog = open_team_database_dialog(self._w)
        return self.team_database_dialog

    def shortcuts_text(self) -> str:
        """Every command and its keys (Help ▸ Keyboard shortcuts), as plain text."""
        return shortcuts_text()

    def show_shortcuts(self) -> None:
        """Show every command and its keys, from the registry that defines them (F1)."""
        from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout

        if self.shortcuts_dialog is not None:
            self.shortcuts_dialog.raise_()
            self.shortcuts_dialog.activateWindow()
            return
        dialog = QDialog(self._w)
        dialog.setObjectName("shortcuts_dialog")
        dialog.setWindowTitle(_("Keyboard shortcuts — Refund Desk"))
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        layout = QVBoxLayout(dialog)
        browser = QTextBrowser()
        browser.setObjectName("shortcuts_text")
        browser.setAccessibleName(_("Keyboard shortcuts"))
        browser.setHtml(shortcuts_html())
        layout.addWidget(browser)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(dialog.reject)
        layout.addWidget(buttons)
        # As tall as the list, within the screen's free area (the list scrolls beyond it).
        screen = self._w.screen().availableGeometry()
        browser.document().setTextWidth(560)
        wanted = int(browser.document().size().height()) + 90
        dialog.resize(620, max(300, min(wanted, screen.height() - 80)))
        dialog.destroyed.connect(lambda *_: setattr(self, "shortcuts_dialog", None))
        self.shortcuts_dialog = dialog
        dialog.open()

    def open_log_folder(self) -> None:
        """Show the folder of the desk's log file in the file manager, and say where it is."""
        from PySide6.QtCore import QUrl
        from PySide6.QtGui import QDesktopServices

        from ..logfile import log_file

        path = log_file()
        self._w.show_info(
            _("The desk's log file is {path} — attach it to a support request.").format(path=path),
            transient=False,
        )
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(path.parent)))

    def show_about(self) -> None:
        """Version and policy."""
        from .. import __version__

        QMessageBox.about(
            self._w,
            _("About Refund Desk"),
            _(
                "Refund Desk {version}\nRefund quotes and tickets for IoT Platform "
                "subscription instances (policy iot-platform-refund, docs/RULES.md)."
            ).format(version=__version__),
        )
