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

from ...training.words import _, pgettext

RIGHT_BG = QColor("#e8f5e9")
WRONG_BG = QColor("#fdecea")


def _blocking_words(quote) -> str:
    """Why no case may be recorded from ``quote``, in the window's language. The policy core
    states it in English (``quote.blocking``, kept as is in English); in another language it is
    said per order from the trace's ``EXCLUDED`` entries (their order ids and reason codes)."""
    from ...training.words import EN, language

    if language() == EN:
        return "; ".join(quote.blocking)
    reasons = {
        "data_missing": _("order {order}: not imported yet; import it before a ticket"),
        "several_instances": _(
            "order {order} names several instances: escalate, the money cannot be split"
        ),
    }
    lines = [
        reasons[entry.fact("reason")].format(order=entry.order_id)
        for entry in quote.trace
        if entry.rule_id == "EXCLUDED" and entry.fact("reason") in reasons
    ]
    return pgettext("list separator", "; ").join(lines) or "; ".join(quote.blocking)


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
            [_("Field"), _("Mark"), _("Expected (policy core)"), _("Your answer")]
        )
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        # As tall as its seven rows, so the explanations below get the rest of the page.
        self.table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        layout.addWidget(self.table)
        self.explanations = QTextBrowser()
        self.explanations.setObjectName("feedback_explanations")
        layout.addWidget(self.explanations, 1)

    def show_feedback(self, feedback) -> None:
        """Fill the table and the explanations from ``feedback`` (a ``session.Feedback``)."""
        from ...training.grading import field_label
        from ...training.words import format_seconds, language

        g = feedback.grade
        self.summary_label.setText(
            _("{right} of {total} right — {title} ({time})").format(
                right=g.score,
                total=g.total,
                title=html.escape(feedback.scenario.title_in(language()).text),
                time=format_seconds(feedback.result.seconds),
            )
        )
        self.table.setRowCount(len(g.marks))
        for row, mark in enumerate(g.marks):
            cells = [
                field_label(mark.field),
                _("✓ right") if mark.correct else _("✗ wrong"),
                mark.expected,
                mark.given,
            ]
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setBackground(QBrush(RIGHT_BG if mark.correct else WRONG_BG))
                item.setData(Qt.ItemDataRole.UserRole, mark.field)
                self.table.setItem(row, col, item)
        self.table.resizeRowsToContents()
        height = self.table.horizontalHeader().height() + 2 * self.table.frameWidth()
        height += sum(self.table.rowHeight(r) for r in range(self.table.rowCount()))
        self.table.setFixedHeight(height + 2)
        parts = []
        if not g.misses:
            parts.append("<p><b>" + html.escape(_("Every field is right.")) + "</b></p>")
        for mark in g.misses:
            parts.append(
                "<h4>"
                + html.escape(
                    _("{field}: expected {expected}; you answered {given}").format(
                        field=field_label(mark.field), expected=mark.expected, given=mark.given
                    )
                )
                + "</h4>"
            )
            if mark.rule_ids:
                parts.append(
                    "<p>"
                    + html.escape(_("Rules:"))
                    + f" <b>{html.escape(', '.join(mark.rule_ids))}</b></p>"
                )
            items = []
            for rid, order_id, sentence in mark.explanations:
                where = (
                    " " + html.escape(_("[order {order}]").format(order=order_id))
                    if order_id
                    else ""
                )
                colon = html.escape(pgettext("label separator", ": "))
                items.append(
                    f"<li><b>{html.escape(rid)}</b>{where}{colon}{html.escape(sentence)}</li>"
                )
            if not items:
                items.append(
                    "<li>"
                    + html.escape(_("No rule of the quote applies here: nothing was to be given."))
                    + "</li>"
                )
            parts.append("<ul>" + "".join(items) + "</ul>")
        if feedback.case_id is not None:
            parts.append(
                "<p>"
                + html.escape(
                    _(
                        "Practice case #{case} recorded in the training database, with its "
                        "ticket draft, as in real work."
                    ).format(case=feedback.case_id)
                )
                + "</p>"
            )
        elif feedback.case_refused:
            parts.append(
                "<p><b>"
                + html.escape(_("The desk refused to record the case:"))
                + "</b> "
                + html.escape(feedback.case_refused)
                + "</p>"
            )
        if feedback.quote.blocking:
            parts.append(
                "<p><b>"
                + html.escape(_("Blocked:"))
                + "</b> "
                + html.escape(_blocking_words(feedback.quote))
                + "</p>"
            )
        self.explanations.setHtml("".join(parts))

    def explanation_text(self) -> str:
        """The explanations as plain text (what a screen reader or a test reads)."""
        return self.explanations.toPlainText()
