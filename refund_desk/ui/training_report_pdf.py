"""The trainer's report as a printable PDF (Qt's own ``QPdfWriter``), one page per trainee: the
overall score and time, a bar chart of scores by rule id drawn with ``QPainter``, and the table
of scenarios."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QMarginsF, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QPageLayout, QPageSize, QPainter, QPdfWriter, QPen

RESOLUTION = 300  # dots per inch of the PDF's coordinate system
BAR_GOOD = QColor("#2e7d32")
BAR_MID = QColor("#f9a825")
BAR_BAD = QColor("#c62828")
BAR_TRACK = QColor("#eeeeee")


def _bar_colour(percent: float) -> QColor:
    if percent >= 80:
        return BAR_GOOD
    if percent >= 50:
        return BAR_MID
    return BAR_BAD


def _font(size_pt: float, bold: bool = False) -> QFont:
    font = QFont("Sans Serif")
    font.setPointSizeF(size_pt)
    font.setBold(bold)
    return font


TABLE_COLUMNS = (0.0, 0.42, 0.55, 0.66, 0.78)
TABLE_HEADS = ("Scenario", "Score", "Attempts", "Time", "Missed")


def _table_head(painter: QPainter, page: QRectF, dpi: int, top: float) -> float:
    """Draw the scenario table's column heads at ``top``; returns the first row's top."""
    painter.setFont(_font(8, True))
    for x, head in zip(TABLE_COLUMNS, TABLE_HEADS, strict=True):
        painter.drawText(
            QRectF(page.left() + page.width() * x, top, page.width() * 0.4, dpi * 0.2),
            Qt.AlignmentFlag.AlignLeft,
            head,
        )
    painter.setFont(_font(8))
    return top + dpi * 0.22


def draw_rule_chart(
    painter: QPainter, rect: QRectF, by_rule: dict, *, dpi: int = RESOLUTION
) -> None:
    """Draw a horizontal bar chart of scores by rule id into ``rect``.

    Args:
        painter: an active painter. rect: the area (device units). by_rule: rule id →
            :class:`~refund_desk.training.report.Score`. dpi: device resolution (line widths).
    Each bar is the percent right (0–100), labelled with the rule id on the left and
    ``right/total`` on the right; gridlines every 25 %.
    """
    rows = list(by_rule.items())
    if not rows:
        painter.setFont(_font(10))
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, "No answers yet.")
        return
    label_w = rect.width() * 0.30
    value_w = rect.width() * 0.12
    chart_left = rect.left() + label_w
    chart_w = rect.width() - label_w - value_w
    axis_h = dpi * 0.25
    row_h = (rect.height() - axis_h) / len(rows)
    bar_h = row_h * 0.7
    thin = QPen(QColor("#bdbdbd"))
    thin.setWidthF(dpi / 150)
    painter.setFont(_font(7))
    for pct in (0, 25, 50, 75, 100):
        x = chart_left + chart_w * pct / 100
        painter.setPen(thin)
        painter.drawLine(QPointF(x, rect.top()), QPointF(x, rect.bottom() - axis_h))
        painter.setPen(QColor("#424242"))
        painter.drawText(
            QRectF(x - dpi * 0.3, rect.bottom() - axis_h, dpi * 0.6, axis_h),
            Qt.AlignmentFlag.AlignCenter,
            f"{pct} %",
        )
    painter.setFont(_font(min(9.0, max(5.5, row_h / dpi * 72 * 0.55))))
    for i, (rid, score) in enumerate(rows):
        top = rect.top() + i * row_h
        painter.setPen(QColor("#212121"))
        painter.drawText(
            QRectF(rect.left(), top, label_w - dpi * 0.05, row_h),
            Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
            rid,
        )
        width = chart_w * score.percent / 100
        track = QRectF(chart_left, top + (row_h - bar_h) / 2, chart_w, bar_h)
        painter.fillRect(track, BAR_TRACK)  # a 0 % row still shows where its bar would be
        bar = QRectF(chart_left, top + (row_h - bar_h) / 2, max(width, dpi / 100), bar_h)
        painter.fillRect(bar, _bar_colour(score.percent))
        painter.drawText(
            QRectF(chart_left + chart_w + dpi * 0.05, top, value_w, row_h),
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            f"{score.right}/{score.total}",
        )


def write_report_pdf(report, path: str | Path) -> Path:
    """Write ``report`` (a :class:`~refund_desk.training.report.TrainingReport`) to an A4 PDF.

    One page per trainee (a single page saying so when there is no result). Returns the path.
    Raises ``OSError`` when the file cannot be written.
    """
    from ..training.report import format_seconds

    path = Path(path)
    writer = QPdfWriter(str(path))
    writer.setResolution(RESOLUTION)
    writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    writer.setPageMargins(QMarginsF(15, 15, 15, 15), QPageLayout.Unit.Millimeter)
    writer.setTitle("Refund Desk — trainer's report")
    writer.setCreator("Refund Desk")
    painter = QPainter()
    if not painter.begin(writer):
        raise OSError(f"cannot write the PDF {path}")
    try:
        page = QRectF(0, 0, writer.width(), writer.height())
        dpi = RESOLUTION
        stamp = report.generated_at.strftime("%Y-%m-%d %H:%M %Z").strip()
        trainees = report.trainees or (None,)
        for n, t in enumerate(trainees):
            if n:
                writer.newPage()
            y = page.top()
            painter.setPen(QColor("#e65100"))
            painter.setFont(_font(9, True))
            painter.drawText(
                QRectF(page.left(), y, page.width(), dpi * 0.2),
                Qt.AlignmentFlag.AlignLeft,
                "TRAINING — trainer's report",
            )
            painter.setPen(QColor("#616161"))
            painter.setFont(_font(8))
            painter.drawText(
                QRectF(page.left(), y, page.width(), dpi * 0.2),
                Qt.AlignmentFlag.AlignRight,
                f"Generated {stamp}",
            )
            y += dpi * 0.3
            painter.setPen(QColor("#212121"))
            if t is None:
                painter.setFont(_font(16, True))
                painter.drawText(
                    QRectF(page.left(), y, page.width(), dpi * 0.5),
                    Qt.AlignmentFlag.AlignLeft,
                    "No training results yet.",
                )
                continue
            painter.setFont(_font(18, True))
            painter.drawText(
                QRectF(page.left(), y, page.width(), dpi * 0.4),
                Qt.AlignmentFlag.AlignLeft,
                t.trainee,
            )
            y += dpi * 0.45
            painter.setFont(_font(10))
            answered = sum(s.attempts for s in t.by_scenario)
            painter.drawText(
                QRectF(page.left(), y, page.width(), dpi * 0.25),
                Qt.AlignmentFlag.AlignLeft,
                f"Score {t.overall.right} of {t.overall.total} fields "
                f"({t.overall.percent:.0f} %) over {answered} answer(s) to "
                f"{len(t.by_scenario)} scenario(s); time taken {format_seconds(t.seconds)}.",
            )
            y += dpi * 0.35
            painter.setFont(_font(12, True))
            painter.drawText(
                QRectF(page.left(), y, page.width(), dpi * 0.3),
                Qt.AlignmentFlag.AlignLeft,
                "Score by rule",
            )
            y += dpi * 0.3
            painter.setFont(_font(8))
            painter.setPen(QColor("#616161"))
            painter.drawText(
                QRectF(page.left(), y, page.width(), dpi * 0.2),
                Qt.AlignmentFlag.AlignLeft,
                "Share of the answered fields each rule bears on that were right "
                "(green 80 % and up, amber 50–79 %, red under 50 %).",
            )
            painter.setPen(QColor("#212121"))
            y += dpi * 0.25
            chart_h = min(page.height() * 0.45, dpi * 0.2 * (len(t.by_rule) + 2))
            draw_rule_chart(
                painter, QRectF(page.left(), y, page.width(), chart_h), t.by_rule, dpi=dpi
            )
            y += chart_h + dpi * 0.2
            painter.setFont(_font(12, True))
            painter.setPen(QColor("#212121"))
            painter.drawText(
                QRectF(page.left(), y, page.width(), dpi * 0.3),
                Qt.AlignmentFlag.AlignLeft,
                "Scenarios",
            )
            y += dpi * 0.35
            cols = TABLE_COLUMNS
            y = _table_head(painter, page, dpi, y)
            line_h = dpi * 0.18
            for line in t.by_scenario:
                if y + line_h > page.bottom():
                    writer.newPage()
                    painter.setFont(_font(10, True))
                    painter.drawText(
                        QRectF(page.left(), page.top(), page.width(), dpi * 0.3),
                        Qt.AlignmentFlag.AlignLeft,
                        f"{t.trainee} — scenarios (continued)",
                    )
                    y = _table_head(painter, page, dpi, page.top() + dpi * 0.35)
                cells = (
                    line.scenario_id,
                    f"{line.score.right}/{line.score.total} ({line.score.percent:.0f} %)",
                    str(line.attempts),
                    format_seconds(line.seconds),
                    ", ".join(line.missed_fields) or "—",
                )
                widths = (0.41, 0.13, 0.1, 0.12, 0.22)
                for x, w, text in zip(cols, widths, cells, strict=True):
                    painter.drawText(
                        QRectF(page.left() + page.width() * x, y, page.width() * w, line_h),
                        Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                        painter.fontMetrics().elidedText(
                            text, Qt.TextElideMode.ElideRight, int(page.width() * w)
                        ),
                    )
                y += line_h
    finally:
        painter.end()
    return path
