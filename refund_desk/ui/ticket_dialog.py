"""The ticket draft of a recorded case: read it, copy it to the clipboard, save it as text."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QFontDatabase, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)


class TicketDialog(QDialog):
    """Shows ``ticket_text`` for case ``case_id`` with Copy (Ctrl+Shift+C) and Save (Ctrl+S)."""

    def __init__(
        self,
        ticket_text: str,
        case_id: int | None = None,
        instance_id: str = "",
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self._text = ticket_text
        self._instance_id = instance_id
        self._case_id = case_id
        title = f"Ticket draft — case #{case_id}" if case_id is not None else "Ticket draft"
        self.setWindowTitle(f"{title} — Refund Desk")
        self.resize(820, 640)
        layout = QVBoxLayout(self)
        self.status_label = QLabel(
            "Paste this into the refund ticket. The case and an audit entry are stored."
        )
        self.status_label.setObjectName("ticket_status")
        self.status_label.setWordWrap(True)
        layout.addWidget(self.status_label)
        self.text_edit = QPlainTextEdit(ticket_text)
        self.text_edit.setObjectName("ticket_text")
        self.text_edit.setReadOnly(True)
        self.text_edit.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        layout.addWidget(self.text_edit, 1)
        buttons = QDialogButtonBox()
        self.copy_button = QPushButton("&Copy to clipboard")
        self.copy_button.setShortcut(QKeySequence("Ctrl+Shift+C"))
        self.copy_button.setToolTip("Copy the whole ticket text (Ctrl+Shift+C).")
        self.save_button = QPushButton("&Save as text…")
        self.save_button.setShortcut(QKeySequence.StandardKey.Save)
        self.save_button.setToolTip("Save the ticket as a UTF-8 text file (Ctrl+S).")
        close = buttons.addButton(QDialogButtonBox.StandardButton.Close)
        close.setToolTip("Close (Escape).")
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        self.copy_button.clicked.connect(self.copy)
        self.save_button.clicked.connect(self._save_clicked)
        layout.addWidget(buttons)

    def text(self) -> str:
        """The ticket text shown."""
        return self._text

    def copy(self) -> None:
        """Put the ticket text on the clipboard."""
        QGuiApplication.clipboard().setText(self._text)
        self.status_label.setText("Copied to the clipboard.")

    def default_name(self) -> str:
        """``ticket-case-12-iot-cn-….txt``."""
        case = f"case-{self._case_id}-" if self._case_id is not None else ""
        return f"ticket-{case}{self._instance_id or 'refund'}.txt"

    def save_to(self, path: str | Path) -> Path:
        """Write the ticket text to ``path`` (UTF-8). Raises ``OSError`` when it cannot."""
        target = Path(path)
        target.write_text(self._text, encoding="utf-8")
        self.status_label.setText(f"Saved to {target}.")
        return target

    def _save_clicked(self) -> None:
        from .messages import plain_error

        path, _ = QFileDialog.getSaveFileName(
            self, "Save ticket as text", self.default_name(), "Text files (*.txt)"
        )
        if not path:
            return
        try:
            self.save_to(path)
        except OSError as exc:
            self.status_label.setText(f"Not saved: {plain_error(exc)}")
