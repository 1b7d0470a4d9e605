"""The release confirmation step of a training answer.

Uses the desk's own :class:`refund_desk.ui.confirm_dialog.ReleaseConfirmDialog` (the dialog an
operator sees in real work), fed with the trainee's own answer rather than the core's quote so
it gives nothing away. If the desk's dialog cannot be loaded, a small dialog with the same
objects (``agreed`` box, ``typed_instance_id`` edit, ``confirm``/``cancel`` buttons) stands in.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)


@dataclass(frozen=True, slots=True)
class AnsweredQuote:
    """The trainee's stated quote, shaped as the confirmation dialog reads a quote."""

    instance_id: str
    total_refund: Decimal


class FallbackReleaseConfirmDialog(QDialog):
    """Stand-in with the desk dialog's behaviour: Confirm needs the box ticked and the instance
    id typed; Cancel is the default."""

    def __init__(self, quote, parent: QWidget | None = None):
        from ..policy import TraceEntry, explain

        super().__init__(parent)
        self._quote = quote
        self.setWindowTitle(f"Release {quote.instance_id}? — Training")
        layout = QVBoxLayout(self)
        text = QLabel(explain(TraceEntry("WARN-RELEASE-DELETE")))
        text.setObjectName("release_text")
        text.setWordWrap(True)
        text.setStyleSheet("color: #b71c1c; font-weight: bold;")
        layout.addWidget(text)
        if quote.total_refund == 0:
            zero = QLabel(explain(TraceEntry("WARN-ZERO-REFUND")))
            zero.setObjectName("zero_refund_text")
            zero.setWordWrap(True)
            layout.addWidget(zero)
        self.agree_box = QCheckBox("The customer was told this and agreed")
        self.agree_box.setObjectName("agreed")
        layout.addWidget(self.agree_box)
        layout.addWidget(QLabel("Type the instance id from the customer's request to confirm:"))
        self.id_edit = QLineEdit()
        self.id_edit.setObjectName("typed_instance_id")
        self.id_edit.setPlaceholderText("type the instance id")
        layout.addWidget(self.id_edit)
        buttons = QDialogButtonBox()
        self.confirm_button = QPushButton("Confirm and record case")
        self.confirm_button.setObjectName("confirm")
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setObjectName("cancel")
        self.cancel_button.setDefault(True)
        buttons.addButton(self.confirm_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.cancel_button, QDialogButtonBox.ButtonRole.RejectRole)
        self.confirm_button.clicked.connect(self.accept)
        self.cancel_button.clicked.connect(self.reject)
        layout.addWidget(buttons)
        self.agree_box.toggled.connect(self._update)
        self.id_edit.textChanged.connect(self._update)
        self._update()

    def _update(self) -> None:
        self.confirm_button.setEnabled(
            self.agree_box.isChecked() and self.id_edit.text().strip() == self._quote.instance_id
        )


def make_confirm_dialog(instance_id: str, total_refund: Decimal | None, parent=None) -> QDialog:
    """The release confirmation dialog for a trainee's answer (desk dialog when available).

    Args:
        instance_id: the scenario's instance. total_refund: the trainee's stated total (CNY;
            ``None`` → 0.00, so the zero-refund text shows).
    Returns:
        A modal, not yet shown ``QDialog``; ``accepted``/``rejected`` say what the trainee did.
    """
    stated = AnsweredQuote(
        instance_id, total_refund if total_refund is not None else Decimal("0.00")
    )
    try:
        from .confirm_dialog import ReleaseConfirmDialog

        dialog = ReleaseConfirmDialog(stated, parent)
    except (ImportError, AttributeError, TypeError):  # desk dialog missing or changed shape
        dialog = FallbackReleaseConfirmDialog(stated, parent)
    dialog.setWindowTitle(f"TRAINING — {dialog.windowTitle()}")
    dialog.setModal(True)
    return dialog


def confirmation_of(dialog: QDialog):
    """The :class:`~refund_desk.services.cases.ReleaseConfirmation` an accepted dialog gives
    (the desk dialog's own; built from the stand-in's boxes), or ``None``."""
    getter = getattr(dialog, "confirmation", None)
    if callable(getter):
        return getter()
    if isinstance(dialog, FallbackReleaseConfirmDialog) and dialog.result() == QDialog.Accepted:
        try:
            from ..services.cases import ReleaseConfirmation
        except ImportError:
            return None
        return ReleaseConfirmation(
            instance_id=dialog._quote.instance_id,
            told_and_agreed=dialog.agree_box.isChecked(),
            typed_instance_id=dialog.id_edit.text(),
            zero_refund_told=dialog._quote.total_refund == 0,
        )
    return None
