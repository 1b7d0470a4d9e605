"""The training window's feedback page: the grade of the answer just given, then "Next
scenario" (or "Finish" after the last one) and "End session"."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from ...training.words import _
from .feedback_view import TrainingFeedbackView


class TrainingFeedbackPage(QWidget):
    """The feedback page. The window connects :attr:`next_button` and :attr:`end_button`."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        layout = QVBoxLayout(self)
        self.feedback_view = TrainingFeedbackView()
        layout.addWidget(self.feedback_view, 1)
        row = QHBoxLayout()
        row.addStretch(1)
        self.end_button = QPushButton(_("&End session"))
        self.end_button.setObjectName("end")
        self.next_button = QPushButton(_("&Next scenario"))
        self.next_button.setObjectName("next")
        self.next_button.setDefault(True)
        row.addWidget(self.end_button)
        row.addWidget(self.next_button)
        layout.addLayout(row)

    def show_feedback(self, feedback, *, last: bool) -> None:
        """Show ``feedback`` (a ``training.session.Feedback``); ``last``: it was the session's
        last scenario, so the next step is "Finish"."""
        self.feedback_view.show_feedback(feedback)
        self.next_button.setText(_("&Finish") if last else _("&Next scenario"))
