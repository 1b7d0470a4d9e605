"""The training window's end page: the session's summary, "Back to the scenario list" and
"Trainer's report…"."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from ...training.words import _, ngettext


class TrainingDonePage(QWidget):
    """The end page. The window connects :attr:`again_button` and :attr:`report_button`."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        layout = QVBoxLayout(self)
        self.done_label = QLabel()
        self.done_label.setObjectName("done_summary")
        self.done_label.setWordWrap(True)
        self.done_label.setStyleSheet("font-size: 16px;")
        layout.addWidget(self.done_label)
        row = QHBoxLayout()
        self.again_button = QPushButton(_("Back to the &scenario list"))
        self.again_button.setObjectName("again")
        self.report_button = QPushButton(_("Trainer's &report…"))
        self.report_button.setObjectName("done_report")
        row.addWidget(self.again_button)
        row.addWidget(self.report_button)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addStretch(1)

    def show_summary(self, name: str, feedback: list, results_path: str | Path) -> None:
        """Say how ``name``'s session went: ``feedback`` (the session's
        ``training.session.Feedback`` list) gives the scenarios answered, the fields right of
        all fields graded and the time taken (summed seconds); ``results_path`` is where the
        results were saved."""
        from ...training.words import format_seconds

        right = sum(f.grade.score for f in feedback)
        total = sum(f.grade.total for f in feedback)
        seconds = sum(f.result.seconds for f in feedback)
        self.done_label.setText(
            ngettext(
                "Session of {name} ended: {count} scenario answered, {right} of {total} fields "
                "right, time {time}. Results saved to {path}.",
                "Session of {name} ended: {count} scenarios answered, {right} of {total} fields "
                "right, time {time}. Results saved to {path}.",
                len(feedback),
            ).format(
                name=name,
                count=len(feedback),
                right=right,
                total=total,
                time=format_seconds(seconds),
                path=results_path,
            )
        )
