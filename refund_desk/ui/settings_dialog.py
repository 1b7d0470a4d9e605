"""Tools ▸ Settings…: the window's language and the language tickets open in (issue 13).

The window's language applies at the next start (the dialog says so); the tickets' language
applies to the next ticket opened. Returns nothing: it writes :class:`DeskSettings`."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from .. import wording
from ..wording import _


class SettingsDialog(QDialog):
    """The desk's settings an operator changes: interface language, ticket language.

    Signals:
        saved(str): after OK, the words for the message bar (what changes, and when).
    """

    saved = Signal(str)

    def __init__(self, settings, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("settings_dialog")
        self.setWindowTitle(_("Settings — Refund Desk"))
        self._settings = settings
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.language_box = QComboBox()
        self.language_box.setObjectName("interface_language")
        self.language_box.addItem(_("As the system (first start)"), "")
        for lang in (wording.ZH_CN, wording.EN):
            self.language_box.addItem(wording.LANGUAGE_NAMES[lang], lang)
        self.language_box.setCurrentIndex(max(0, self.language_box.findData(settings.language)))
        self.language_box.setAccessibleName(_("Window language"))
        form.addRow(_("&Window language:"), self.language_box)
        self.ticket_box = QComboBox()
        self.ticket_box.setObjectName("ticket_language_setting")
        self.ticket_box.addItem(_("By the instance's site: Chinese for the China site"), "auto")
        for lang in (wording.ZH_CN, wording.EN):
            self.ticket_box.addItem(wording.LANGUAGE_NAMES[lang], lang)
        self.ticket_box.setCurrentIndex(max(0, self.ticket_box.findData(settings.ticket_language)))
        self.ticket_box.setAccessibleName(_("Tickets open in"))
        form.addRow(_("&Tickets open in:"), self.ticket_box)
        layout.addLayout(form)
        note = QLabel(
            _(
                "The window's language changes at the next start of the desk. Any ticket can "
                "still be shown in either language in its own window (Alt+L)."
            )
        )
        note.setObjectName("settings_note")
        note.setWordWrap(True)
        layout.addWidget(note)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self._save)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(520, self.sizeHint().height())

    def _save(self) -> None:
        old = self._settings.language
        new = self.language_box.currentData()
        self._settings.language = new
        self._settings.ticket_language = self.ticket_box.currentData()
        if new != old:
            self.saved.emit(
                _("Saved. The window will be in {language} from the next start.").format(
                    language=self.language_box.currentText()
                )
            )
        else:
            self.saved.emit(_("Settings saved."))
        self.accept()
