"""The ticket draft of a recorded case: read it, copy it to the clipboard, save it as text.

Saving opens a file dialog window-modally (``open()``, not a blocking ``exec()``) in the folder
where the last ticket was saved, else the operator's Documents folder — never the desk's working
directory. On a desktop the platform's own dialog may be used; where there is none (offscreen,
or Qt told not to) it is Qt's dialog, whose file name field is ``fileNameEdit``."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QStandardPaths, Qt
from PySide6.QtGui import QFontDatabase, QGuiApplication
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from .. import wording
from ..wording import _
from .keymap import make_button


class TicketDialog(QDialog):
    """Shows ``ticket_text`` for case ``case_id`` with Copy (Ctrl+Shift+C) and Save (Ctrl+S).

    With ``render`` (``render(lang) -> text``) the ticket's language is chosen above the text
    (Alt+L: 简体中文 or English, whatever the window's language), starting in ``language``;
    Copy and Save take the text shown."""

    def __init__(
        self,
        ticket_text: str,
        case_id: int | None = None,
        instance_id: str = "",
        parent: QWidget | None = None,
        *,
        settings=None,
        render: Callable[[str], str] | None = None,
        language: str = wording.EN,
    ):
        super().__init__(parent)
        self.setObjectName("ticket_dialog")
        self._settings = settings
        self.save_dialog: QFileDialog | None = None
        self._text = ticket_text
        self._instance_id = instance_id
        self._case_id = case_id
        self._render = render
        title = (
            _("Ticket draft — case #{case_id}").format(case_id=case_id)
            if case_id is not None
            else _("Ticket draft")
        )
        self.setWindowTitle(_("{title} — Refund Desk").format(title=title))
        self.resize(820, 640)
        layout = QVBoxLayout(self)
        self.status_label = QLabel(
            _("Paste this into the refund ticket. The case and an audit entry are stored.")
        )
        self.status_label.setObjectName("ticket_status")
        self.status_label.setWordWrap(True)
        layout.addWidget(self.status_label)
        self.language_box = QComboBox()
        self.language_box.setObjectName("ticket_language")
        for lang in (wording.ZH_CN, wording.EN):
            self.language_box.addItem(wording.LANGUAGE_NAMES[lang], lang)
        self.language_box.setAccessibleName(_("Ticket language"))
        self.language_box.setToolTip(
            _(
                "The language of the ticket, whatever the window's: Chinese for the Chinese "
                "ticket system (the default for an instance on the China site), or English."
            )
        )
        language_label = QLabel(_("Ticket &language:"))
        language_label.setBuddy(self.language_box)
        row = QHBoxLayout()
        row.addWidget(language_label)
        row.addWidget(self.language_box)
        row.addStretch(1)
        if render is not None:
            layout.addLayout(row)
        else:
            language_label.hide()
            self.language_box.hide()
        self.text_edit = QPlainTextEdit(ticket_text)
        self.text_edit.setObjectName("ticket_text")
        self.text_edit.setAccessibleName(_("Ticket text"))
        self.text_edit.setReadOnly(True)
        self.text_edit.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        layout.addWidget(self.text_edit, 1)
        buttons = QDialogButtonBox()
        self.copy_button = make_button("ticket_copy", self.copy)
        self.save_button = make_button("ticket_save", self.choose_file)
        close = buttons.addButton(QDialogButtonBox.StandardButton.Close)
        close.setObjectName("ticket_close")
        close.setAccessibleName(_("Close"))
        close.setToolTip(_("Close (Escape)."))
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.set_language(language)
        self.language_box.currentIndexChanged.connect(
            lambda _i: self.set_language(self.language_box.currentData())
        )

    def language(self) -> str:
        """The language of the ticket shown (``"zh_CN"`` or ``"en"``)."""
        return self.language_box.currentData()

    def set_language(self, lang: str) -> None:
        """Show the ticket in ``lang`` (re-drafted by ``render``; nothing else changes)."""
        index = self.language_box.findData(lang)
        if index >= 0 and index != self.language_box.currentIndex():
            self.language_box.setCurrentIndex(index)  # comes back here through the signal
            return
        if self._render is not None:
            self._text = self._render(lang)
            self.text_edit.setPlainText(self._text)

    def text(self) -> str:
        """The ticket text shown."""
        return self._text

    def copy(self) -> None:
        """Put the ticket text on the clipboard."""
        QGuiApplication.clipboard().setText(self._text)
        self.status_label.setText(_("Copied to the clipboard."))

    def default_name(self) -> str:
        """``ticket-case-12-iot-cn-….txt``."""
        case = f"case-{self._case_id}-" if self._case_id is not None else ""
        return f"ticket-{case}{self._instance_id or 'refund'}.txt"

    def save_to(self, path: str | Path) -> Path:
        """Write the ticket text to ``path`` (UTF-8). Raises ``OSError`` when it cannot."""
        target = Path(path)
        target.write_text(self._text, encoding="utf-8")
        self.status_label.setText(_("Saved to {path}.").format(path=target))
        return target

    def start_folder(self) -> str:
        """Where the save dialog opens: the folder of the last saved ticket, else Documents,
        else the home folder."""
        last = self._settings.last_ticket_dir() if self._settings is not None else ""
        if last and Path(last).is_dir():
            return last
        documents = QStandardPaths.writableLocation(
            QStandardPaths.StandardLocation.DocumentsLocation
        )
        if documents and Path(documents).is_dir():
            return documents
        return str(Path.home())

    def choose_file(self) -> None:
        """Ask where to save the ticket (window-modal; the save happens when a file is
        chosen)."""
        if self.save_dialog is not None:
            self.save_dialog.raise_()
            return
        dialog = QFileDialog(
            self,
            _("Save ticket as text — Refund Desk"),
            str(Path(self.start_folder()) / self.default_name()),
            _("Text files (*.txt);;All files (*)"),
        )
        dialog.setObjectName("save_ticket_dialog")
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setFileMode(QFileDialog.FileMode.AnyFile)
        dialog.setDefaultSuffix("txt")
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.fileSelected.connect(self._save_chosen)
        dialog.finished.connect(lambda _code: setattr(self, "save_dialog", None))
        self.save_dialog = dialog
        dialog.open()

    def _save_chosen(self, path: str) -> None:
        from .messages import plain_error

        if not path:
            return
        try:
            saved = self.save_to(path)
        except OSError as exc:
            self.status_label.setText(_("Not saved: {reason}").format(reason=plain_error(exc)))
            return
        if self._settings is not None:
            self._settings.set_last_ticket_dir(str(saved.parent))
