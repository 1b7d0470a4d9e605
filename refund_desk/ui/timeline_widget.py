"""The timeline picture of a quote: one lane per order, drawn with QPainter.

Each lane shows the usage period (the consumed part darker), the payment day, the end of the
548-day window (``DATE-WINDOW``) and of 18 calendar months (``BORDERLINE-WINDOW``); across all
lanes: the cut-off 2019-03-29 (``DATE-CUTOFF``, when in range), the cancellation, the expected
processing date (``ETA-PROCESS``) and the bank-credit window (``ETA-BANK``). The numbers (548,
18, the cut-off) are the quote's policy definition's; the words are in the window's language.

Labels never cross a line nor each other: every vertical line is drawn first, then each label
goes on the first free spot of its rows (above the bar, then two rows below it; the top row and
the row under the axis for the instance-wide marks), right of its mark, left of it, or past the
nearest lines (:class:`LabelPlacer`).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from ..policy.definition import (
    IOT_PLATFORM_REFUND_V1,
    PolicyDefinition,
    UnknownPolicyError,
    get_policy,
)
from ..wording import N_, _

if TYPE_CHECKING:
    from ..policy import Quote


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

LANE_H = 62
LEGEND_ROW = 17
LEGEND = (
    (C_USED, N_("consumed"), "bar"),
    (C_USAGE, N_("rest of usage"), "bar"),
    (C_PAY, N_("payment"), "dot"),
    (C_WINDOW, N_("{window_days}-day window end"), "line"),
    (C_MONTHS, N_("{window_months} months end"), "line"),
    (C_CANCEL, N_("cancellation"), "line"),
    (C_ETA, N_("processed by / bank credit"), "line"),
)


def _policy_of(quote: Quote | None) -> PolicyDefinition:
    """The definition ``quote`` was made under; version 1 before any quote, or for a version
    this desk does not know."""
    if quote is None:
        return IOT_PLATFORM_REFUND_V1
    try:
        return get_policy(quote.policy_version, quote.policy_id)
    except UnknownPolicyError:
        return IOT_PLATFORM_REFUND_V1


def legend(policy: PolicyDefinition) -> tuple:
    """The key's ``(color, words, shape)`` items in the window's language, with ``policy``'s
    numbers (``548-day window end``)."""
    numbers = {"window_days": policy.window_days, "window_months": policy.window_months}
    return tuple((color, _(words).format(**numbers), shape) for color, words, shape in LEGEND)


def _day_words(day: date) -> str:
    from .quote_format import iso

    return iso(day)


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


class LabelPlacer:
    """Finds room for text labels among vertical lines and other labels.

    ``lines`` are ``(x, top, bottom)`` segments no label may cross; each placed label is kept so
    later ones avoid it. Coordinates are widget pixels; a label is a box ``[left, right] ×
    [baseline - ascent, baseline + descent]``.
    """

    GAP = 4  # between a label and a line or another label

    def __init__(self, metrics, x_min: float, x_max: float):
        self._metrics = metrics
        self._x_min = x_min
        self._x_max = x_max
        self.lines: list[tuple[float, float, float]] = []
        self.placed: list[QRectF] = []

    def add_line(self, x: float, top: float, bottom: float) -> None:
        self.lines.append((x, top, bottom))

    def box(self, left: float, baseline: float, text: str) -> QRectF:
        m = self._metrics
        return QRectF(
            left, baseline - m.ascent(), m.horizontalAdvance(text), m.ascent() + m.descent()
        )

    def free(self, rect: QRectF) -> bool:
        """``rect`` is inside the bounds and clear of every line and placed label."""
        if rect.left() < self._x_min or rect.right() > self._x_max:
            return False
        g = self.GAP
        for x, top, bottom in self.lines:
            if (
                rect.left() - g < x < rect.right() + g
                and top < rect.bottom()
                and bottom > rect.top()
            ):
                return False
        grown = rect.adjusted(-g, 0, g, 0)
        return not any(grown.intersects(other) for other in self.placed)

    ROW_COST = 36  # a label one row further from its preferred row may sit this much farther

    def place(self, x: float, text: str, baselines) -> QRectF | None:
        """The box for ``text`` of the mark at ``x``: on one of ``baselines`` (preferred first),
        right or left of the mark, else next to the nearest line or label, whichever free spot
        is closest to the mark (a later row costs ``ROW_COST`` pixels of distance)."""
        w = self._metrics.horizontalAdvance(text)
        g = self.GAP
        lefts = {x + g, x - g - w}
        for lx, _t, _b in self.lines:
            lefts.update((lx + g + 0.5, lx - g - w - 0.5))
        for r in self.placed:
            lefts.update((r.right() + g + 0.5, r.left() - g - w - 0.5))

        def distance(left: float) -> float:
            if left >= x + g:
                return left - (x + g)
            if left + w <= x - g:
                return (x - g) - (left + w)
            return 1e6  # would cover its own mark

        best: tuple[float, QRectF] | None = None
        for row, baseline in enumerate(baselines):
            for left in lefts:
                cost = distance(left) + row * self.ROW_COST
                if cost >= 1e6 or (best is not None and cost >= best[0]):
                    continue
                rect = self.box(left, baseline, text)
                if self.free(rect):
                    best = (cost, rect)
        if best is None:
            return None
        self.placed.append(best[1])
        return best[1]


class TimelineWidget(QWidget):
    """Draws the timeline of a :class:`~refund_desk.policy.Quote` (``set_quote``)."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._quote: Quote | None = None
        # What the last paint drew (tests and accessibility): labels with their boxes, the
        # labels left out for want of room, and the vertical lines as (x, top, bottom).
        self.drawn_labels: list[tuple[QRectF, str]] = []
        self.dropped_labels: list[str] = []
        self.drawn_lines: list[tuple[float, float, float]] = []
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setMinimumWidth(420)
        self._set_tool_tip()
        self.setAccessibleName(_("Order timeline"))
        self._update_height()

    def set_quote(self, quote: Quote | None) -> None:
        """Show ``quote`` (None clears the picture)."""
        self._quote = quote
        self._set_tool_tip()
        self._update_height()
        self.update()

    def _set_tool_tip(self) -> None:
        """The tool tip with the numbers of the quote's policy definition."""
        policy = _policy_of(self._quote)
        self.setToolTip(
            _(
                "Timeline of each order (China dates): usage period (dark = consumed), payment, "
                "end of the {window_days}-day window, end of {window_months} calendar months, "
                "cancellation, expected processing and bank credit."
            ).format(window_days=policy.window_days, window_months=policy.window_months)
        )

    def _lanes(self):
        if self._quote is None:
            return []
        return [oq for oq in self._quote.orders if oq.payment_date or oq.usage_start]

    def _legend_row_height(self) -> float:
        return max(LEGEND_ROW, QFontMetricsF(self._small_font()).height() + 3)

    def _legend_rows(self) -> int:
        """How many rows the key needs at the current width (it wraps when narrow)."""
        metrics = QFontMetricsF(self._small_font())
        rows, x = 1, 8.0
        for _color, label, _shape in legend(_policy_of(self._quote)):
            w = 20 + metrics.horizontalAdvance(label)
            if x > 8 and x + w > self.width() - 4:
                rows, x = rows + 1, 8.0
            x += w + 8
        return rows

    def _top(self) -> int:
        """Where the first lane starts: ``TOP`` holds two rows of the key; more push it down."""
        used = self._legend_rows() * self._legend_row_height()
        return TOP + max(0, int(used + 0.5) - 2 * LEGEND_ROW)

    def _small_font(self) -> QFont:
        small = QFont(self.font())
        small.setPointSizeF(max(7.0, self.font().pointSizeF() - 1.5))
        return small

    def _update_height(self) -> None:
        lanes = max(1, len(self._lanes()))
        height = self._top() + lanes * LANE_H + BOTTOM
        if height != self.height() or self.minimumHeight() != height:
            self.setFixedHeight(height)

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self._update_height()

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
        cutoff = _policy_of(q).cutoff_date
        show_cutoff = start - timedelta(days=120) <= cutoff <= end
        if show_cutoff:
            start = min(start, cutoff)
        pad = max(7, (end - start).days // 30)
        return start - timedelta(days=pad), end + timedelta(days=pad), show_cutoff

    def paintEvent(self, event) -> None:  # noqa: N802 - Qt API
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), QColor("#ffffff"))
        self.drawn_labels, self.dropped_labels, self.drawn_lines = [], [], []
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
        small = self._small_font()
        bold = QFont(base)
        bold.setBold(True)
        painter.setFont(small)
        placer = LabelPlacer(painter.fontMetrics(), LEFT - 6, self.width() - 4)
        self._draw_legend(painter, small, placer)
        top = self._top()
        bottom = top + len(lanes) * LANE_H
        self._draw_axis(painter, small, start, end, x_of, top, bottom)
        q = self._quote
        painter.setFont(small)
        labels: list[tuple[float, str, QColor, tuple[float, ...]]] = []
        # instance-wide lines first: lane labels must keep clear of them
        above, below = top - 8, bottom + 29
        cutoff = _policy_of(q).cutoff_date
        cutoff_words = _day_words(cutoff)
        if show_cutoff:
            self._vline(
                painter, placer, x_of(cutoff), top - 6, bottom, C_CUTOFF, Qt.PenStyle.DashDotLine
            )
            labels.append(
                (
                    x_of(cutoff),
                    _("cut-off {day}").format(day=cutoff_words),
                    C_CUTOFF,
                    (above, below),
                )
            )
        elif cutoff < start:
            painter.setPen(C_CUTOFF)
            painter.drawText(
                QPointF(6, bottom + 16), _("◀ cut-off {day} (earlier)").format(day=cutoff_words)
            )
        if q.credited_between:
            a, b = q.credited_between
            band = QRectF(x_of(a), top - 4, max(3.0, x_of(b) - x_of(a) + 2), bottom - top + 4)
            painter.fillRect(band, QColor(30, 132, 73, 50))
        if q.processed_by:
            x = x_of(q.processed_by)
            self._vline(painter, placer, x, top - 6, bottom, C_ETA, Qt.PenStyle.SolidLine)
            labels.append(
                (
                    x,
                    _("processed by {day}").format(day=_day_words(q.processed_by)),
                    C_ETA,
                    (below, above),
                )
            )
        x = x_of(q.cancel_date)
        self._vline(painter, placer, x, top - 6, bottom, C_CANCEL, Qt.PenStyle.SolidLine, 2.5)
        labels.append(
            (x, _("cancel {day}").format(day=_day_words(q.cancel_date)), C_CANCEL, (above, below))
        )
        for i, oq in enumerate(lanes):
            lane_labels = self._draw_lane(
                painter, small, bold, oq, top + i * LANE_H, x_of, q.cancel_date, placer
            )
            labels += sorted(lane_labels, key=lambda item: item[0])
        painter.setFont(small)
        self.drawn_lines = list(placer.lines)
        for x, text, color, baselines in labels:  # instance-wide first, then lane by lane
            rect = placer.place(x, text, baselines)
            if rect is None:
                self.dropped_labels.append(text)  # no room: the tables and the trace say it
                continue
            self.drawn_labels.append((QRectF(rect), text))
            painter.fillRect(rect.adjusted(-1, 0, 1, 0), QColor(255, 255, 255, 200))
            painter.setPen(color)
            painter.drawText(
                QPointF(rect.left(), rect.top() + painter.fontMetrics().ascent()), text
            )
        painter.end()

    def _draw_legend(self, painter: QPainter, font: QFont, placer: LabelPlacer) -> None:
        """The key, on as many rows as the width needs (a narrow picture wraps it); its boxes
        are kept clear of the labels placed later."""
        painter.setFont(font)
        items = legend(_policy_of(self._quote))
        x, y = 8.0, 0.0
        row_h = self._legend_row_height()
        metrics = painter.fontMetrics()
        for color, label, shape in items:
            w = 20 + metrics.horizontalAdvance(label)
            if x > 8 and x + w > self.width() - 4:
                x, y = 8.0, y + row_h  # wrap to the next row
            if shape == "bar":
                painter.fillRect(QRectF(x, y + 7, 16, 9), color)
            elif shape == "dot":
                painter.setBrush(color)
                painter.setPen(Qt.PenStyle.NoPen)
                painter.drawEllipse(QPointF(x + 8, y + 11.5), 5, 5)
                painter.setBrush(Qt.BrushStyle.NoBrush)
            else:
                painter.setPen(QPen(color, 2))
                painter.drawLine(QPointF(x + 8, y + 4), QPointF(x + 8, y + 19))
            painter.setPen(C_TEXT)
            painter.drawText(QPointF(x + 20, y + 16), label)
            placer.placed.append(QRectF(x, y + 3, w, 17))
            x += w + 8

    def _draw_axis(
        self, painter, font, start: date, end: date, x_of, top: int, bottom: int
    ) -> None:
        painter.setFont(font)
        span = (end - start).days
        step_months = 1 if span <= 400 else 3 if span <= 1200 else 12
        d = date(start.year, start.month, 1)
        metrics = painter.fontMetrics()
        last_right = float("-inf")
        while d <= end:
            if d >= start:
                x = x_of(d)
                painter.setPen(QPen(C_GRID, 1))
                painter.drawLine(QPointF(x, top), QPointF(x, bottom))
                label = d.strftime("%Y-%m") if step_months < 12 else str(d.year)
                if x + 2 >= last_right + 8:  # a narrow picture skips labels, never piles them
                    painter.setPen(C_TEXT)
                    painter.drawText(QPointF(x + 2, bottom + 16), label)
                    last_right = x + 2 + metrics.horizontalAdvance(label)
            month = d.month - 1 + step_months
            d = date(d.year + month // 12, month % 12 + 1, 1)

    def _draw_lane(self, painter, small, bold, oq, y: int, x_of, cancel: date, placer):
        """Draw the lane of order ``oq`` at ``y``; returns its labels to place afterwards."""
        painter.setFont(bold)
        painter.setPen(C_TEXT)
        painter.drawText(QRectF(6, y + 4, LEFT - 12, 18), Qt.AlignmentFlag.AlignLeft, oq.order_id)
        painter.setFont(small)
        from ..wording_rules import order_type_words

        summary = order_type_words(oq.order_type)
        if oq.excluded:
            blocked = oq.excluded.value in ("data_missing", "several_instances")
            summary += _(" · blocked") if blocked else _(" · left out")
        elif oq.destination:
            summary += f" · {oq.refund:,.2f}"
        summary = painter.fontMetrics().elidedText(summary, Qt.TextElideMode.ElideRight, LEFT - 12)
        painter.drawText(QRectF(6, y + 22, LEFT - 12, 16), Qt.AlignmentFlag.AlignLeft, summary)
        bar_y = y + 16
        rows = (y + 12, y + 43, y + 57)
        labels: list[tuple[float, str, QColor, tuple[float, ...]]] = []
        # the bar itself is no place for text
        placer.placed.append(QRectF(LEFT, bar_y, self.width(), 13))
        us, ue = _day(oq.usage_start), _day(oq.usage_end)
        if us and ue:
            painter.fillRect(QRectF(x_of(us), bar_y, max(2.0, x_of(ue) - x_of(us)), 13), C_USAGE)
            used_end = min(max(cancel, us), ue)
            if used_end > us:
                painter.fillRect(QRectF(x_of(us), bar_y, x_of(used_end) - x_of(us), 13), C_USED)
            labels.append((x_of(ue), _("ends {day}").format(day=_day_words(ue)), C_USED, rows))
        policy = _policy_of(self._quote)
        for d, color, text in (
            (oq.window_end, C_WINDOW, _("{n} d").format(n=policy.window_days)),
            (oq.months_end, C_MONTHS, _("{n} m").format(n=policy.window_months)),
        ):
            if d:
                x = x_of(d)
                painter.setPen(QPen(color, 2, Qt.PenStyle.DashLine))
                painter.drawLine(QPointF(x, y + 2), QPointF(x, y + LANE_H - 2))
                placer.add_line(x, y + 2, y + LANE_H - 2)
                labels.append((x, f"{text} {_day_words(d)}", color, rows))
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
            labels.append(
                (
                    x,
                    _("paid {day}").format(day=_day_words(oq.payment_date)),
                    C_PAY,
                    rows[1:] + rows[:1],
                )
            )
        return labels

    @staticmethod
    def _vline(
        painter,
        placer,
        x: float,
        top: float,
        bottom: float,
        color: QColor,
        style,
        width: float = 1.6,
    ) -> None:
        painter.setPen(QPen(color, width, style))
        painter.drawLine(QPointF(x, top), QPointF(x, bottom))
        placer.add_line(x, top, bottom)
