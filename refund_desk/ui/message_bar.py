"""A message strip at the top of the window: errors and results in plain words, never a
traceback. Stays until dismissed (Escape or the ✕) or replaced; a transient message (a result or
an error about the shown instance) also goes when another instance or account is shown."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QToolButton, QWidget

from ..wording import _

_STYLES = {
    "error": "background:#fdecea; color:#8e1010; border:1px solid #d32f2f;",
    "info": "background:#e8f5e9; color:#1b5e20; border:1px solid #66bb6a;",
}


class MessageBar(QFrame):
    """Shows one message at a time (``show_message``); hidden when empty."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("message_bar")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 4, 4)
        self.label = QLabel()
        self.label.setObjectName("message_text")
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        close = QToolButton()
        close.setObjectName("dismiss_message_button")
        close.setAccessibleName(_("Dismiss the message"))
        close.setText("✕")
        close.setToolTip(_("Dismiss this message."))
        close.setAutoRaise(True)
        close.clicked.connect(self.dismiss)
        self._transient = False
        layout.addWidget(self.label, 1)
        layout.addWidget(close)
        self.hide()

    def show_message(
        self, text: str, kind: str = "error", *, transient: bool | None = None
    ) -> None:
        """Show ``text``; ``kind`` is ``"error"`` or ``"info"``.

        Args:
            transient: cleared by :meth:`dismiss_transient` (when the operator moves to another
                instance). Default: True for ``"info"``, False for ``"error"``.
        """
        self._transient = kind == "info" if transient is None else transient
        self.setStyleSheet(
            f"QFrame#message_bar {{ {_STYLES.get(kind, _STYLES['info'])} border-radius: 3px; }}"
        )
        self.label.setStyleSheet("border: none; background: transparent;")
        self.label.setText(text)
        self.setProperty("kind", kind)
        self.show()

    def text(self) -> str:
        """The message shown ('' when hidden)."""
        return self.label.text() if self.isVisible() or not self.isHidden() else ""

    def is_transient(self) -> bool:
        """The shown message goes when another instance is shown."""
        return self._transient

    def dismiss(self) -> None:
        """Hide the message."""
        self.label.clear()
        self._transient = False
        self.hide()

    def dismiss_transient(self) -> None:
        """Hide the message if it is transient (about the instance that was shown)."""
        if self._transient and not self.isHidden():
            self.dismiss()
