"""The training window's run page: the scenario on the left, the trainee's answer on the right,
and "Submit answer"."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from ...training.words import _
from .answer_form import TrainingAnswerForm
from .scenario_view import TrainingScenarioView


class TrainingRunPage(QWidget):
    """The run page. The window connects :attr:`submit_button` and reads
    :attr:`answer_form`; a wrong or missing answer is said in :attr:`answer_error_label`."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        layout = QVBoxLayout(self)
        self.progress_label = QLabel()
        self.progress_label.setObjectName("progress")
        layout.addWidget(self.progress_label)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        self.scenario_view = TrainingScenarioView()
        splitter.addWidget(self.scenario_view)
        self.answer_form = TrainingAnswerForm()
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.answer_form)
        splitter.addWidget(scroll)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        layout.addWidget(splitter, 1)
        self.answer_error_label = QLabel()
        self.answer_error_label.setObjectName("answer_error")
        self.answer_error_label.setStyleSheet("color: #b71c1c; font-weight: bold;")
        layout.addWidget(self.answer_error_label)
        row = QHBoxLayout()
        row.addStretch(1)
        self.submit_button = QPushButton(_("Submit &answer"))
        self.submit_button.setObjectName("submit")
        row.addWidget(self.submit_button)
        layout.addLayout(row)

    def show_scenario(self, scenario, *, trainee: str, n: int, total: int) -> None:
        """Show ``scenario`` (a ``training.scenario.Scenario``), the ``n``-th of ``total`` (from 1)
        that ``trainee`` answers, with an empty answer whose processing date starts on the
        cancellation day in China time."""
        from ...policy import CHINA_TZ

        self.progress_label.setText(
            _("Trainee {trainee} — scenario {n} of {total}").format(
                trainee=trainee, n=n, total=total
            )
        )
        self.scenario_view.show_scenario(scenario, _("{n} of {total}").format(n=n, total=total))
        self.answer_form.reset(scenario.cancel_at.astimezone(CHINA_TZ).date())
        self.answer_error_label.clear()
