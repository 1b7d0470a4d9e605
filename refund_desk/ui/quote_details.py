"""The simulator's details below its fixed header: the alerts and the sections of a quote (money
and dates, per order, what if, timeline, rule trace) in a scroll area, or, while the time typed
has no quote, a page without any figure that says why."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QFrame, QLabel, QScrollArea, QStackedWidget, QVBoxLayout, QWidget

from ..wording import _
from .alerts_box import AlertsBox
from .look import section_box
from .money_dates_box import MoneyDatesBox
from .quote_orders_box import QuoteOrdersBox
from .rule_trace_box import RuleTraceBox
from .timeline_widget import TimelineWidget
from .whatif_box import WhatIfBox


class QuoteDetails(QStackedWidget):
    """The details of the shown quote (object name ``quote_details_stack``).

    Attributes:
        details_scroll: the scrolling page (``quote_scroll``); details: its contents
            (``quote_details``), laid out by ``details_layout`` (it ends with a stretch: other
            panels insert their own section before it). refused_page: the page without figures
            (``no_quote``). alerts, money_box, orders_box, whatif_box, timeline_box (with
            ``timeline``), trace_box: the sections, in that order.
    """

    def __init__(self) -> None:
        super().__init__()
        # Below the panel's fixed header (time, Record, outcome) the details scroll: the Record
        # button and the outcome stay on screen however far the operator scrolls.
        self.details_scroll = QScrollArea()
        self.details_scroll.setObjectName("quote_scroll")
        self.details_scroll.setWidgetResizable(True)
        self.details_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.details = QWidget()
        self.details.setObjectName("quote_details")
        layout = self.details_layout = QVBoxLayout(self.details)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        self.details_scroll.setWidget(self.details)
        # While the time typed has no quote, a page without figures replaces the details. The
        # details keep their layout meanwhile: hiding and showing their sections at every
        # keystroke would lay the whole panel out again each time (about 40 ms).
        self.refused_page = QLabel()
        self.refused_page.setObjectName("no_quote")
        self.refused_page.setWordWrap(True)
        self.refused_page.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.refused_page.setStyleSheet("QLabel#no_quote { color: #b71c1c; padding: 4px 2px; }")
        self.setObjectName("quote_details_stack")
        self.addWidget(self.details_scroll)
        self.addWidget(self.refused_page)

        self.alerts = AlertsBox()
        layout.addWidget(self.alerts)
        self.money_box = MoneyDatesBox()
        layout.addWidget(self.money_box)
        self.orders_box = QuoteOrdersBox()
        layout.addWidget(self.orders_box)
        self.whatif_box = WhatIfBox()
        layout.addWidget(self.whatif_box)
        self.timeline = TimelineWidget()
        timeline_layout = QVBoxLayout()
        timeline_layout.addWidget(self.timeline)
        self.timeline_box = section_box(_("Timeline (China dates)"), timeline_layout)
        layout.addWidget(self.timeline_box)
        self.trace_box = RuleTraceBox()
        layout.addWidget(self.trace_box)
        layout.addStretch(1)

        self._shown = None
        self._later = None
        self._later_timer = QTimer(self)
        self._later_timer.setSingleShot(True)
        self._later_timer.setInterval(0)
        self._later_timer.timeout.connect(self._draw_later)

    def clear(self) -> None:
        """Show no quote: every section empty and hidden (the what-if rows gone too)."""
        self._shown = None
        self.whatif_box.clear()
        self.orders_box.set_quote(None)
        self.alerts.set_quote(None)
        self.timeline.set_quote(None)
        for box in (
            self.money_box,
            self.orders_box,
            self.whatif_box,
            self.timeline_box,
            self.trace_box,
        ):
            box.hide()
        self.setCurrentWidget(self.details_scroll)
        self.money_box.clear()
        self.trace_box.clear()

    def show_quote(self, q) -> None:
        """Show the quote ``q`` (a :class:`~refund_desk.policy.Quote`): the figures of a refund,
        only the alerts and the trace otherwise.

        The timeline and the rule trace, below the figures, are drawn one event later: the UI
        thread never holds the whole quote in one go. Until then they show nothing (never the
        previous quote's); a newer quote or a refused time drops this one's turn."""
        self._shown = q
        refundable = q.outcome.value == "refundable"
        for box in (self.money_box, self.orders_box, self.whatif_box, self.timeline_box):
            box.setVisible(refundable)
        self.trace_box.show()
        self.alerts.set_quote(q)
        self.money_box.show_quote(q)
        self.orders_box.set_quote(q)
        self.timeline.set_quote(None)
        self.trace_box.clear()
        self._later = q
        self._later_timer.start()
        self.setCurrentWidget(self.details_scroll)

    def show_refused(self, why: str) -> None:
        """No quote for the time typed: the page without figures says ``why`` (the sections
        keep their contents, hidden behind it, until the next quote)."""
        self._shown = None
        self.refused_page.setText(
            f"{why[0].upper()}{why[1:]}\n\n"
            + _(
                "No figures while there is no quote for the time typed; the what-if inputs are "
                "kept and come back with the quote."
            )
        )
        self.setCurrentWidget(self.refused_page)

    def _draw_later(self) -> None:
        q, self._later = self._later, None
        if q is None or q is not self._shown:
            return  # a newer quote, or none, is on screen now
        self.timeline.set_quote(q)
        self.trace_box.show_quote(q)
