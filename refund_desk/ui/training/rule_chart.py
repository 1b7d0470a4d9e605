"""On-screen bar chart of a trainee's scores by rule id (the same drawing as the PDF's)."""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QWidget


class TrainingRuleChart(QWidget):
    """Draws :func:`~refund_desk.ui.training.report_pdf.draw_rule_chart` for ``by_rule``
    (rule id → :class:`~refund_desk.training.report.Score`)."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("report_chart")
        self.by_rule: dict = {}

    def set_scores(self, by_rule: dict) -> None:
        """Show ``by_rule`` and repaint."""
        self.by_rule = dict(by_rule)
        self.updateGeometry()
        self.update()

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt API
        return QSize(640, max(160, 22 * len(self.by_rule) + 40))

    def paintEvent(self, event) -> None:  # noqa: N802 - Qt API
        from .report_pdf import draw_rule_chart

        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        rect = QRectF(self.rect()).adjusted(8, 8, -8, -8)
        draw_rule_chart(painter, rect, self.by_rule, dpi=self.logicalDpiX())
        painter.end()
