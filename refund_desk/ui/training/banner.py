"""The permanent "TRAINING" banner of the training window (never closable, never hidden)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget

from ...training.words import N_, _

BANNER_TEXT = N_(
    "TRAINING — practice scenarios with made-up customers. Nothing here is a real refund, "
    "and the real desk database is never touched."
)
"""The banner's English text (shown translated)."""


class TrainingBanner(QLabel):
    """A bold white-on-orange strip across the top of every training page."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(_(BANNER_TEXT), parent)
        self.setObjectName("training_banner")
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setWordWrap(True)
        self.setStyleSheet(
            "QLabel#training_banner { background: #e65100; color: white; font-weight: bold;"
            " font-size: 15px; padding: 8px; border-bottom: 3px solid #bf360c; }"
        )
        self.setAccessibleName(_("Training mode banner"))
