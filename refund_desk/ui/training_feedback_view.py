"""The grade of one answer: a row per field (right/wrong, the core's answer, the trainee's), and
for each miss the rule ids and the sentences the simulator uses."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

RIGHT_BG = QColor("#e8f5e9")
WRONG_BG = QColor("#fdecea")


class TrainingFeedbackView(QWidget):
    """Shows a :class:`~refund_desk.training.session.Feedback`."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.summary_label = QLabel()
        self.summary_label.setObjectName("feedback_summary")
        self.summary_label.setStyleSheet("font-size: 16px; font-weight: bold;")
        layout.addWidget(self.summary_label)
        self.table = QTableWidget(0, 4)
        self.table.setObjectName("feedback_table")
        self.table.setHorizontalHeaderLabels(
            ["Field", "Mark", "Expected (policy core)", "Your answer"]
        )
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        layout.addWidget(self.table, 1)
        self.explanations = QTextBrowser()
        self.explanations.setObjectName("feedback_explanations")
        layout.addWidget(self.explanations, 1)

    def show_feedback(self, feedback) -> None:
        """Fill the table and the explanations from ``feedback`` (a ``session.Feedback``)."""
        from ..training.grading import FIELD_LABELS
        from ..training.report import format_seconds

        g = feedback.grade
        self.summary_label.setText(
            f"{g.score} of {g.total} right — {html.escape(feedback.scenario.title)} "
            f"({format_seconds(feedback.result.seconds)})"
        )
        self.table.setRowCount(len(g.marks))
        for row, mark in enumerate(g.marks):
            cells = [
                FIELD_LABELS[mark.field],
                "✓ right" if mark.correct else "✗ wrong",
                mark.expected,
                mark.given,
            ]
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setBackground(QBrush(RIGHT_BG if mark.correct else WRONG_BG))
                item.setData(Qt.ItemDataRole.UserRole, mark.field)
                self.table.setItem(row, col, item)
        self.table.resizeRowsToContents()
        parts = []
        if not g.misses:
            parts.append("<p><b>Every field is right.</b></p>")
        for mark in g.misses:
            parts.append(
                f"<h4>{html.escape(FIELD_LABELS[mark.field])}: expected "
                f"{html.escape(mark.expected)}; you answered {html.escape(mark.given)}</h4>"
            )
            if mark.rule_ids:
                parts.append(f"<p>Rules: <b>{html.escape(', '.join(mark.rule_ids))}</b></p>")
            items = []
            for rid, order_id, sentence in mark.explanations:
                where = f" [order {html.escape(order_id)}]" if order_id else ""
                items.append(f"<li><b>{html.escape(rid)}</b>{where}: {html.escape(sentence)}</li>")
            if not items:
                items.append("<li>No rule of the quote applies here: nothing was to be given.</li>")
            parts.append("<ul>" + "".join(items) + "</ul>")
        if feedback.case_id is not None:
            parts.append(
                f"<p>Practice case #{feedback.case_id} recorded in the training database, with "
                "its ticket draft, as in real work.</p>"
            )
        elif feedback.case_refused:
            parts.append(
                "<p><b>The desk refused to record the case:</b> "
                + html.escape(feedback.case_refused)
                + "</p>"
            )
        if feedback.quote.blocking:
            parts.append(
                "<p><b>Blocked:</b> " + html.escape("; ".join(feedback.quote.blocking)) + "</p>"
            )
        self.explanations.setHtml("".join(parts))

    def explanation_text(self) -> str:
        """The explanations as plain text (what a screen reader or a test reads)."""
        return self.explanations.toPlainText()
