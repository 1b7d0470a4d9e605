"""The timeline picture of a quote: one lane per order, drawn with QPainter.

Each lane shows the usage period (the consumed part darker), the payment day, the end of the
548-day window (``DATE-WINDOW``) and of 18 calendar months (``BORDERLINE-WINDOW``); across all
lanes: the cut-off 2019-03-29 (``DATE-CUTOFF``, when in range), the cancellation, the expected
processing date (``ETA-PROCESS``) and the bank-credit window (``ETA-BANK``).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

if TYPE_CHECKING:
    from ..policy import Quote

CUTOFF = date(2019, 3, 29)

C_USAGE = QColor("#9cc3e6")
C_USED = QColor("#2e6da4")
C_PAY = QColor("#6a3d9a")
C_WINDOW = QColor("#c0392b")
C_MONTHS = QColor("#d68910")
C_CANCEL = QColor("#111111")
C_ETA = QColor("#1e8449")
C_CUTOFF = QColor("#7f8c8d")
C_TEXT = QColor("#222222")
C_GRID = QColor("#dddddd")

LANE_H = 54
TOP = 46
LEFT = 150
RIGHT = 24
BOTTOM = 30


def _day(moment: datetime | date | None) -> date | None:
    if moment is None:
        return None
    if isinstance(moment, datetime):
        from ..policy.timeutil import CHINA_TZ

        return moment.astimezone(CHINA_TZ).date()
    return moment


class TimelineWidget(QWidget):
    """Draws the timeline of a :class:`~refund_desk.policy.Quote` (``set_quote``)."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._quote: Quote | None = None
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setMinimumWidth(420)
        self.setToolTip(
            "Timeline of each order (China dates): usage period (dark = consumed), payment, "
            "end of the 548-day window, end of 18 calendar months, cancellation, expected "
            "processing and bank credit."
        )
        self.setAccessibleName("Order timeline")
        self._update_height()

    def set_quote(self, quote: Quote | None) -> None:
        """Show ``quote`` (None clears the picture)."""
        self._quote = quote
        self._update_height()
        self.update()

    def _lanes(self):
        if self._quote is None:
            return []
        return [oq for oq in self._quote.orders if oq.payment_date or oq.usage_start]

    def _update_height(self) -> None:
        lanes = max(1, len(self._lanes()))
        self.setFixedHeight(TOP + lanes * LANE_H + BOTTOM)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt API
        return QSize(760, self.height())

    # -- drawing -----------------------------------------------------------------------------

    def _span(self, lanes) -> tuple[date, date, bool]:
        q = self._quote
        days: list[date] = [q.cancel_date]
        for oq in lanes:
            for d in (
                oq.payment_date,
                _day(oq.usage_start),
                _day(oq.usage_end),
                oq.window_end,
                oq.months_end,
            ):
                if d:
                    days.append(d)
        if q.processed_by:
            days.append(q.processed_by)
        if q.credited_between:
            days.append(q.credited_between[1])
        start, end = min(days), max(days)
        show_cutoff = start - timedelta(days=120) <= CUTOFF <= end
        if show_cutoff:
            start = min(start, CUTOFF)
        pad = max(7, (end - start).days // 30)
        return start - timedelta(days=pad), end + timedelta(days=pad), show_cutoff

    def paintEvent(self, event) -> None:  # noqa: N802 - Qt API
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), QColor("#ffffff"))
        lanes = self._lanes()
        if not lanes:
            painter.setPen(C_TEXT)
            painter.drawText(
                self.rect(), Qt.AlignmentFlag.AlignCenter, "No order with a payment to draw."
            )
            painter.end()
            return
        start, end, show_cutoff = self._span(lanes)
        width = max(10, self.width() - LEFT - RIGHT)
        total = max(1, (end - start).days)

        def x_of(d: date) -> float:
            return LEFT + width * (d - start).days / total

        base = QFont(self.font())
        small = QFont(base)
        small.setPointSizeF(max(7.0, base.pointSizeF() - 1.5))
        bold = QFont(base)
        bold.setBold(True)
        self._draw_legend(painter, small)
        bottom = TOP + len(lanes) * LANE_H
        self._draw_axis(painter, small, start, end, x_of, bottom)
        q = self._quote
        for i, oq in enumerate(lanes):
            self._draw_lane(painter, small, bold, oq, TOP + i * LANE_H, x_of, q.cancel_date)
        # instance-wide markers
        if show_cutoff:
            self._vline(
                painter,
                x_of(CUTOFF),
                TOP - 6,
                bottom,
                C_CUTOFF,
                Qt.PenStyle.DashDotLine,
                "cut-off 2019-03-29",
                small,
                above=True,
            )
        elif CUTOFF < start:
            painter.setFont(small)
            painter.setPen(C_CUTOFF)
            painter.drawText(QPointF(6, bottom + 16), "◀ cut-off 2019-03-29 (earlier)")
        if q.credited_between:
            a, b = q.credited_between
            band = QRectF(x_of(a), TOP - 4, max(3.0, x_of(b) - x_of(a) + 2), bottom - TOP + 4)
            painter.fillRect(band, QColor(30, 132, 73, 50))
        if q.processed_by:
            self._vline(
                painter,
                x_of(q.processed_by),
                TOP - 6,
                bottom,
                C_ETA,
                Qt.PenStyle.SolidLine,
                f"processed by {q.processed_by.isoformat()}",
                small,
                above=False,
                right=True,
            )
        self._vline(
            painter,
            x_of(q.cancel_date),
            TOP - 6,
            bottom,
            C_CANCEL,
            Qt.PenStyle.SolidLine,
            f"cancel {q.cancel_date.isoformat()}",
            small,
            above=True,
            width=2.5,
        )
        painter.end()

    def _draw_legend(self, painter: QPainter, font: QFont) -> None:
        painter.setFont(font)
        items = [
            (C_USED, "consumed", "bar"),
            (C_USAGE, "rest of usage", "bar"),
            (C_PAY, "payment", "dot"),
            (C_WINDOW, "548-day window end", "line"),
            (C_MONTHS, "18 months end", "line"),
            (C_CANCEL, "cancellation", "line"),
            (C_ETA, "processed by / bank credit", "line"),
        ]
        x = 8.0
        metrics = painter.fontMetrics()
        for color, label, shape in items:
            if shape == "bar":
                painter.fillRect(QRectF(x, 7, 16, 9), color)
            elif shape == "dot":
                painter.setBrush(color)
                painter.setPen(Qt.PenStyle.NoPen)
                painter.drawEllipse(QPointF(x + 8, 11.5), 5, 5)
                painter.setBrush(Qt.BrushStyle.NoBrush)
            else:
                painter.setPen(QPen(color, 2))
                painter.drawLine(QPointF(x + 8, 4), QPointF(x + 8, 19))
            painter.setPen(C_TEXT)
            painter.drawText(QPointF(x + 20, 16), label)
            x += 28 + metrics.horizontalAdvance(label)

    def _draw_axis(self, painter, font, start: date, end: date, x_of, bottom: int) -> None:
        painter.setFont(font)
        span = (end - start).days
        step_months = 1 if span <= 400 else 3 if span <= 1200 else 12
        d = date(start.year, start.month, 1)
        while d <= end:
            if d >= start:
                x = x_of(d)
                painter.setPen(QPen(C_GRID, 1))
                painter.drawLine(QPointF(x, TOP), QPointF(x, bottom))
                painter.setPen(C_TEXT)
                label = d.strftime("%Y-%m") if step_months < 12 else str(d.year)
                painter.drawText(QPointF(x + 2, bottom + 16), label)
            month = d.month - 1 + step_months
            d = date(d.year + month // 12, month % 12 + 1, 1)

    def _draw_lane(self, painter, small, bold, oq, y: int, x_of, cancel: date) -> None:
        painter.setFont(bold)
        painter.setPen(C_TEXT)
        painter.drawText(QRectF(6, y + 4, LEFT - 12, 18), Qt.AlignmentFlag.AlignLeft, oq.order_id)
        painter.setFont(small)
        summary = oq.order_type
        if oq.excluded:
            summary += f" · excluded ({oq.excluded.value})"
        elif oq.destination:
            summary += f" · {oq.refund:,.2f}"
        painter.drawText(QRectF(6, y + 22, LEFT - 12, 16), Qt.AlignmentFlag.AlignLeft, summary)
        bar_y = y + 16
        labels: list[tuple[float, str, QColor]] = []
        us, ue = _day(oq.usage_start), _day(oq.usage_end)
        if us and ue:
            painter.fillRect(QRectF(x_of(us), bar_y, max(2.0, x_of(ue) - x_of(us)), 13), C_USAGE)
            used_end = min(max(cancel, us), ue)
            if used_end > us:
                painter.fillRect(QRectF(x_of(us), bar_y, x_of(used_end) - x_of(us), 13), C_USED)
            labels.append((x_of(ue), f"ends {ue.isoformat()}", C_USED))
        for d, color, text in (
            (oq.window_end, C_WINDOW, "548 d"),
            (oq.months_end, C_MONTHS, "18 m"),
        ):
            if d:
                x = x_of(d)
                painter.setPen(QPen(color, 2, Qt.PenStyle.DashLine))
                painter.drawLine(QPointF(x, y + 2), QPointF(x, y + LANE_H - 2))
                labels.append((x, f"{text} {d.isoformat()}", color))
        if oq.payment_date:
            x = x_of(oq.payment_date)
            path = QPainterPath()
            cy = bar_y + 6.5
            path.moveTo(x, cy - 8)
            path.lineTo(x + 7, cy)
            path.lineTo(x, cy + 8)
            path.lineTo(x - 7, cy)
            path.closeSubpath()
            painter.fillPath(path, C_PAY)
            labels.append((x, f"paid {oq.payment_date.isoformat()}", C_PAY))
        self._place_labels(painter, labels, (y + 43, y + 12))

    def _place_labels(self, painter, labels, baselines) -> None:
        """Draw ``(x, text, colour)`` labels on the given text rows without overlaps: each goes
        right of its mark (left of it near the right edge), on the first row where it fits."""
        metrics = painter.fontMetrics()
        used: dict[float, list[tuple[float, float]]] = {b: [] for b in baselines}
        limit = self.width() - 4
        for x, text, color in sorted(labels, key=lambda item: item[0]):
            w = metrics.horizontalAdvance(text)
            left = x + 4 if x + 4 + w <= limit else x - 4 - w
            for baseline in baselines:
                if all(left + w + 6 <= a or left >= b + 6 for a, b in used[baseline]):
                    used[baseline].append((left, left + w))
                    painter.setPen(color)
                    painter.drawText(QPointF(left, baseline), text)
                    break

    def _vline(
        self,
        painter,
        x: float,
        top: float,
        bottom: float,
        color: QColor,
        style,
        label: str,
        font: QFont,
        *,
        above: bool,
        right: bool = False,
        width: float = 1.6,
    ) -> None:
        painter.setPen(QPen(color, width, style))
        painter.drawLine(QPointF(x, top), QPointF(x, bottom))
        painter.setFont(font)
        painter.setPen(color)
        metrics = painter.fontMetrics()
        w = metrics.horizontalAdvance(label)
        tx = x + 4 if right or x + w + 4 < self.width() - 4 else x - w - 4
        ty = top - 2 if above else bottom + 28
        if not above:
            ty = min(ty, self.height() - 2)
        painter.drawText(QPointF(tx, ty), label)
