"""The refund simulator: cancellation time and what-if inputs in, the quote out.

Shows the outcome in large type, warnings and flags in boxes nobody can miss, per-order figures,
totals per destination, the expected dates (``ETA-PROCESS``/``ETA-BANK``), the timeline picture and
the rule trace (one :func:`refund_desk.wording_rules.explain` sentence per step). The quote is
recomputed whenever an input changes; the computing itself is :func:`refund_desk.policy.quote`.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from datetime import UTC, datetime

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QScrollArea,
    QStackedWidget,
    QTableView,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from ..wording import _, ngettext
from .alerts_box import AlertsBox
from .keymap import make_button
from .look import RECORD_BUTTON_STYLE, section_box
from .quote_orders_model import QuoteOrdersModel
from .timeline_widget import TimelineWidget
from .whatif_model import WhatIfModel


def _widest_chunk(view: QTableView, column: int) -> int:
    """The widest piece of text of ``column`` a wrapped line cannot break (words, and the parts
    of a flag id after each hyphen), with the cell margins."""
    import math

    from PySide6.QtGui import QFontMetricsF

    model = view.model()
    # Fractional advances rounded up, plus a pixel: a whole-pixel measure can fall short by a
    # fraction, enough for Qt to elide "balance" to "balan…".
    metrics = QFontMetricsF(view.font())
    widest = 0.0
    for row in range(model.rowCount()):
        text = model.data(model.index(row, column)) or ""
        for word in text.split():
            for piece in word.replace("-", "- ").split():
                widest = max(widest, metrics.horizontalAdvance(piece))
    return (
        math.ceil(widest)
        + 1
        + 2 * (view.style().pixelMetric(view.style().PixelMetric.PM_FocusFrameHMargin) + 1)
    )


def _fit_table(view: QTableView, wrapped: tuple[int, ...] = ()) -> None:
    """Size a short table to its rows (no inner scroll bar for a handful of orders). It is never
    narrower than its columns need with the last one wrapped: in a narrow window the panel
    scrolls sideways rather than squeezing the last column (the checks) to nothing.

    ``wrapped`` columns (words such as "original method", "account balance") are as wide as
    their widest word and wrap onto a second line: the table then fits a 1366-pixel screen with
    the desktop's larger fonts too."""
    header = view.horizontalHeader()
    model = view.model()
    if model is not None and model.rowCount() and view.wordWrap():
        last = model.columnCount() - 1
        for c in wrapped:
            header.setSectionResizeMode(c, QHeaderView.ResizeMode.Interactive)
            words = (model.headerData(c, Qt.Orientation.Horizontal) or "").split()
            title = max((header.fontMetrics().horizontalAdvance(w) for w in words), default=0)
            header.resizeSection(c, max(_widest_chunk(view, c), title + 12))
        needed = sum(
            header.sectionSize(c)
            if c in wrapped
            else max(header.sectionSizeHint(c), view.sizeHintForColumn(c))
            for c in range(last)
        ) + max(header.sectionSizeHint(last), _widest_chunk(view, last))
        view.setMinimumWidth(needed + 2 * view.frameWidth())
    else:
        view.setMinimumWidth(0)
    view.resizeRowsToContents()
    rows = model.rowCount() if model else 0
    height = max(header.height(), header.sizeHint().height()) + 2 * view.frameWidth() + 2
    if view.horizontalScrollBar().isVisible() or header.length() > view.viewport().width():
        height += view.horizontalScrollBar().sizeHint().height()
    for r in range(rows):
        height += view.rowHeight(r)
    view.setFixedHeight(max(height, header.sizeHint().height() + 30))


# Route, Destination and Fallback of the per-order table wrap at spaces (see _fit_table).
ORDERS_WRAPPED = (2, 3, 4)


class QuotePanel(QWidget):
    """The simulator for one instance.

    Signals:
        record_requested: the operator asked to record a refund case for the shown quote.
        quote_changed(object): a new quote (or None) is shown.
        error(str): an input could not be used (plain words).
    """

    record_requested = Signal()
    quote_changed = Signal(object)
    error = Signal(str)
    input_fixed = Signal()  # a corrected what-if input: its error no longer holds

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        clock: Callable[[], datetime] | None = None,
    ):
        super().__init__(parent)
        self._instance = None
        self._quote = None
        self._quoted_inputs: tuple | None = None
        self._clock = clock or (lambda: datetime.now(UTC))
        # Why Record is off whatever the quote says (the database is offline), or None.
        self._record_block: str | None = None
        # Another desk's open case of the shown instance, heard from the live feed
        # (services.live.CaseChange), until the instance changes or that case closes.
        self._elsewhere = None
        self._build()
        self.clear()

    # -- construction ------------------------------------------------------------------------

    def _build(self) -> None:
        outer = QVBoxLayout(self)
        outer.setContentsMargins(6, 6, 6, 6)
        outer.setSpacing(8)

        row = QHBoxLayout()
        cancel_label = QLabel(_("&Cancellation (China time):"))
        # A plain line edit read strictly (policy.parse_typed_time): what the operator types is
        # what is quoted. A QDateTimeEdit rewrites partly typed sections, drops the year on
        # select-all and changes the time on arrow keys and the mouse wheel (issue 12).
        self.cancel_edit = QLineEdit()
        self.cancel_edit.setObjectName("cancel_at")
        self.cancel_edit.setAccessibleName(_("Cancellation time, China time"))
        self.cancel_edit.setPlaceholderText(_("2024-12-31 01:00 or now"))
        self.cancel_edit.setToolTip(
            _(
                "When the instance is cancelled, in China time (UTC+8): the rules are judged on "
                "China dates (TIME-ZONE). Type 2024-12-31 01:00, with seconds (01:00:30) or an "
                "offset (+08:00, Z), or now. Default: now. Alt+C"
            )
        )
        self.cancel_edit.setMinimumWidth(
            self.cancel_edit.fontMetrics().horizontalAdvance("2024-12-31 01:00:00 +08:00") + 16
        )
        cancel_label.setBuddy(self.cancel_edit)
        self.now_button = make_button("cancel_now_button", self.set_cancel_now)
        self.local_label = QLabel()
        self.local_label.setObjectName("cancel_local")
        self.local_label.setWordWrap(True)
        self.local_label.setToolTip(
            _("The time quoted, in China time and in your computer's time.")
        )
        row.addWidget(cancel_label)
        row.addWidget(self.cancel_edit)
        row.addWidget(self.now_button)
        row.addStretch(1)
        self.record_button = make_button("record_case", self.record_requested.emit)
        self.record_button.setStyleSheet(RECORD_BUTTON_STYLE)
        row.addWidget(self.record_button)
        outer.addLayout(row)
        # The time quoted, on its own line: in China time and in the operator's own time.
        self.local_label.setStyleSheet("color: #444;")
        outer.addWidget(self.local_label)

        self.outcome_label = QLabel()
        self.outcome_label.setObjectName("outcome")
        big = QFont(self.font())
        big.setPointSizeF(big.pointSizeF() * 1.9)
        big.setBold(True)
        self.outcome_label.setFont(big)
        self.outcome_label.setWordWrap(True)
        outer.addWidget(self.outcome_label)
        # RULES.md §7: what already happened to the instance, in words, before anything else.
        from .history_view import HistoryView

        self.history_view = HistoryView()
        self.quote_changed.connect(self.history_view.set_quote)
        outer.addWidget(self.history_view)
        # HISTORY-OPEN-CASE heard live: another desk just recorded a case of this instance.
        self.live_note = QLabel()
        self.live_note.setObjectName("live_note")
        self.live_note.setWordWrap(True)
        self.live_note.setStyleSheet(
            "QLabel#live_note { background:#fff4e0; color:#5d3a00; border:2px solid #8a4b00;"
            " border-radius: 4px; padding: 6px 8px; }"
        )
        self.live_note.hide()
        outer.addWidget(self.live_note)
        self.record_note = QLabel()
        self.record_note.setObjectName("record_note")
        self.record_note.setWordWrap(True)
        outer.addWidget(self.record_note)

        # Below this fixed header (time, Record, outcome) the details scroll: the Record button
        # and the outcome stay on screen however far the operator scrolls. Other panels may add
        # their own section to ``details_layout`` (it ends with a stretch: insert before it).
        self.details_scroll = QScrollArea()
        self.details_scroll.setObjectName("quote_scroll")
        self.details_scroll.setWidgetResizable(True)
        self.details_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.details = QWidget()
        self.details.setObjectName("quote_details")
        header = outer
        outer = self.details_layout = QVBoxLayout(self.details)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(8)
        self.details_scroll.setWidget(self.details)
        # While the time typed has no quote, a page without figures replaces the details. The
        # details keep their layout meanwhile: hiding and showing their sections at every
        # keystroke would lay the whole panel out again each time (about 40 ms).
        self.refused_page = QLabel()
        self.refused_page.setObjectName("no_quote")
        self.refused_page.setWordWrap(True)
        self.refused_page.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.refused_page.setStyleSheet("QLabel#no_quote { color: #b71c1c; padding: 4px 2px; }")
        self.details_stack = QStackedWidget()
        self.details_stack.setObjectName("quote_details_stack")
        self.details_stack.addWidget(self.details_scroll)
        self.details_stack.addWidget(self.refused_page)
        header.addWidget(self.details_stack, 1)

        self.alerts = AlertsBox()
        outer.addWidget(self.alerts)

        grid = QGridLayout()
        self.partial_label = QLabel()
        self.partial_label.setObjectName("partial_note")
        self.partial_label.setWordWrap(True)
        self.partial_label.setTextFormat(Qt.TextFormat.RichText)
        self.partial_label.setStyleSheet(
            "QLabel { background: #fff4e0; color: #8a4b00; border: 1px solid #8a4b00;"
            " border-radius: 3px; padding: 4px 6px; }"
        )
        self.partial_label.hide()
        grid.addWidget(self.partial_label, 0, 0, 1, 2)
        self.totals_label = QLabel()
        self.totals_label.setObjectName("totals")
        self.totals_label.setTextFormat(Qt.TextFormat.RichText)
        self.totals_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.eta_label = QLabel()
        self.eta_label.setObjectName("eta")
        self.eta_label.setTextFormat(Qt.TextFormat.RichText)
        self.eta_label.setWordWrap(True)
        grid.addWidget(self.totals_label, 1, 0, Qt.AlignmentFlag.AlignTop)
        grid.addWidget(self.eta_label, 1, 1, Qt.AlignmentFlag.AlignTop)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        self.money_box = section_box(_("Money and dates"), grid)
        outer.addWidget(self.money_box)

        self.orders_model = QuoteOrdersModel(self)
        self.orders_view = QTableView()
        self.orders_view.setObjectName("quote_orders")
        self.orders_view.setAccessibleName(_("Refund per order"))
        self.orders_view.setModel(self.orders_model)
        self._setup_table(self.orders_view)
        # Checks hold one flag per line (and why an order is left out): rows grow, never elide;
        # when the columns change width (window resized) the rows are measured again.
        self.orders_view.setWordWrap(True)
        self._refit_timer = QTimer(self)
        self._refit_timer.setSingleShot(True)
        self._refit_timer.setInterval(0)
        self._refit_timer.timeout.connect(lambda: _fit_table(self.orders_view, ORDERS_WRAPPED))
        self.orders_view.horizontalHeader().sectionResized.connect(
            lambda *_: self._refit_timer.start()
        )
        self.orders_view.setToolTip(
            _(
                "Per order: route, destination and amounts (CNY). Hover Checks for what each flag "
                "means for the order."
            )
        )
        orders_layout = QVBoxLayout()
        orders_layout.addWidget(self.orders_view)
        self.orders_box = section_box(_("Per order"), orders_layout)
        outer.addWidget(self.orders_box)

        self.whatif_model = WhatIfModel(self)
        self.whatif_model.options_changed.connect(self.recompute)
        self.whatif_model.input_error.connect(self.error)
        self.whatif_model.input_fixed.connect(self.input_fixed)
        self.whatif_view = QTableView()
        self.whatif_view.setObjectName("whatif")
        self.whatif_view.setAccessibleName(_("What-if inputs per order"))
        self.whatif_view.setModel(self.whatif_model)
        self._setup_table(self.whatif_view)
        self.whatif_view.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.SelectedClicked
        )
        self.whatif_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.whatif_view.setToolTip(
            _("What-if inputs per order. Space toggles a tick; F2 edits the discount factor.")
        )
        whatif_layout = QVBoxLayout()
        whatif_layout.addWidget(self.whatif_view)
        self.whatif_box = section_box(_("What if (per order)"), whatif_layout)
        outer.addWidget(self.whatif_box)

        self.timeline = TimelineWidget()
        timeline_layout = QVBoxLayout()
        timeline_layout.addWidget(self.timeline)
        self.timeline_box = section_box(_("Timeline (China dates)"), timeline_layout)
        outer.addWidget(self.timeline_box)

        self.trace_view = QTextBrowser()
        self.trace_view.setObjectName("trace")
        self.trace_view.setAccessibleName(_("Rule trace"))
        self.trace_view.setToolTip(_("Every rule applied, with why (rule ids of docs/RULES.md)."))
        self.trace_view.setFrameShape(QFrame.Shape.NoFrame)
        self.trace_view.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        trace_layout = QVBoxLayout()
        trace_layout.addWidget(self.trace_view)
        self.trace_box = section_box(_("Rule trace"), trace_layout)
        outer.addWidget(self.trace_box)
        outer.addStretch(1)

        self.cancel_edit.textChanged.connect(self._cancel_changed)
        self._later = None
        self._later_timer = QTimer(self)
        self._later_timer.setSingleShot(True)
        self._later_timer.setInterval(0)
        self._later_timer.timeout.connect(self._draw_later)

    @staticmethod
    def _setup_table(view: QTableView) -> None:
        view.verticalHeader().hide()
        view.setAlternatingRowColors(True)
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        view.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        view.setWordWrap(False)
        view.setTextElideMode(Qt.TextElideMode.ElideRight)
        header = view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        if view.model() is not None and view.model().columnCount() > 0:
            # The last column (checks, discount) takes the rest and elides: no side scrolling.
            header.setSectionResizeMode(
                view.model().columnCount() - 1, QHeaderView.ResizeMode.Stretch
            )

    # -- inputs ------------------------------------------------------------------------------

    def set_instance(
        self, instance, *, options: dict | None = None, cancel_at: datetime | None = None
    ) -> None:
        """Simulate ``instance`` (an :class:`~refund_desk.policy.InstanceInput`).

        Args:
            options: preset what-if inputs ``{order_id: OrderOptions}``.
            cancel_at: aware cancellation time; default now (to the minute).
        """
        if self._elsewhere is not None and self._elsewhere.instance_id != instance.instance_id:
            self._set_elsewhere(None)
        self._instance = instance
        self.setEnabled(True)
        self.whatif_model.set_orders([o.order_id for o in instance.orders], options)
        _fit_table(self.whatif_view)
        self._set_text(cancel_at if cancel_at is not None else self._now_to_the_minute())
        self.recompute()

    def set_cancel_at(self, moment: datetime) -> None:
        """Write the aware ``moment`` into the field (China time) and quote it."""
        self._set_text(moment)
        self.recompute()

    def set_cancel_now(self) -> None:
        """Write now (China time, to the minute) into the field and quote it (Now button,
        Ctrl+Shift+N)."""
        self.set_cancel_at(self._now_to_the_minute())

    def _now_to_the_minute(self) -> datetime:
        return self._clock().replace(second=0, microsecond=0)

    def _set_text(self, moment: datetime) -> None:
        from ..policy import format_typed_time

        # Programmatic: one recompute by the caller, not one per signal.
        self.cancel_edit.blockSignals(True)
        self.cancel_edit.setText(format_typed_time(moment))
        self.cancel_edit.blockSignals(False)

    def typed_time(self):
        """The field read strictly: a :class:`~refund_desk.policy.TypedTime`.

        Raises:
            refund_desk.policy.TimeError: the text is not a complete, valid time.
        """
        from ..policy import parse_typed_time

        return parse_typed_time(self.cancel_edit.text(), now=self._clock())

    def cancel_at(self) -> datetime | None:
        """The cancellation time in the field (aware), or None while the text is not a valid
        time."""
        from ..policy import TimeError

        try:
            return self.typed_time().moment
        except TimeError:
            return None

    def options(self) -> dict:
        """The what-if inputs ``{order_id: OrderOptions}``."""
        return self.whatif_model.options()

    def instance(self):
        """The simulated :class:`~refund_desk.policy.InstanceInput`, or None."""
        return self._instance

    def _inputs(self) -> tuple:
        """What is on screen: the instance, the field's text and the what-if inputs."""
        instance_id = self._instance.instance_id if self._instance is not None else None
        return (instance_id, self.cancel_edit.text(), tuple(sorted(self.options().items())))

    def quote(self):
        """The shown :class:`~refund_desk.policy.Quote` — only while it belongs to exactly the
        inputs on screen (instance, time text, what-if inputs); otherwise None."""
        if self._quote is None or self._quoted_inputs != self._inputs():
            return None
        return self._quote

    def _cancel_changed(self, _text: str) -> None:
        self.recompute()

    # -- output ------------------------------------------------------------------------------

    def recompute(self) -> None:
        """Quote the instance again with the inputs on screen and show it; while the time is
        not valid, or the policy refuses it, show why and no figures.

        Quoting runs here, on the UI thread, in the same event as the change: the policy core
        is pure and quotes an instance in well under a millisecond, so no quote computed for
        older inputs can ever arrive after newer ones (a background quote would need dropping
        stale results; benchmarks/bench_keyboard.py measures the longest UI-thread block)."""
        if self._instance is None:
            return
        from ..policy import TimeError, UnknownPolicyError, format_typed_time, quote
        from ..wording_rules import time_error_words
        from .messages import plain_error
        from .quote_format import local_time

        inputs = self._inputs()
        try:
            typed = self.typed_time()
        except TimeError as exc:
            self._show_refused(
                _("Not a valid cancellation time"), time_error_words(str(exc)), field_invalid=True
            )
            return
        cancel_at = typed.moment
        said = _("now: ") if typed.is_now else ""
        self.local_label.setText(
            said
            + _("{china} China time = {local} your time").format(
                china=format_typed_time(cancel_at), local=local_time(cancel_at)
            )
        )
        self._mark_field(valid=True)
        try:
            result = quote(self._instance, cancel_at, self.options())
        except (ValueError, UnknownPolicyError) as exc:  # no policy in force: no stale quote
            words = str(exc) if isinstance(exc, UnknownPolicyError) else plain_error(exc)
            self._show_refused(_("Cannot quote this time"), f"{time_error_words(words)}.")
            return
        self.show_quote(result)
        self._quoted_inputs = inputs

    def _mark_field(self, *, valid: bool) -> None:
        if self.cancel_edit.property("invalid") == (not valid):
            return
        self.cancel_edit.setProperty("invalid", not valid)
        self.cancel_edit.setStyleSheet(
            "" if valid else "QLineEdit#cancel_at { border: 2px solid #b71c1c; }"
        )

    def _show_refused(self, title: str, why: str, *, field_invalid: bool = False) -> None:
        """No quote for the inputs on screen: say so (``title`` in large type, ``why`` below
        it), show no figures (the details give way to a page without any), allow no
        recording. The what-if inputs are kept.

        The large line changes only with the kind of refusal, not at every keystroke: a new
        text there lays the whole panel out again."""
        self._quote = None
        self._quoted_inputs = None
        if field_invalid:
            self._mark_field(valid=False)
            # Never empty: the line keeps its height and the panel below does not move.
            self.local_label.setText(_("No time quoted: see why below."))
        self.refused_page.setText(
            f"{why[0].upper()}{why[1:]}\n\n"
            + _(
                "No figures while there is no quote for the time typed; the what-if inputs are "
                "kept and come back with the quote."
            )
        )
        self.details_stack.setCurrentWidget(self.refused_page)
        self._set_outcome(title, "#b71c1c")
        self.record_button.setEnabled(False)
        self.record_note.setText(
            _("No quote, so nothing can be recorded: correct the cancellation time (Alt+C).")
        )
        self.quote_changed.emit(None)

    def _set_outcome(self, words: str, color: str) -> None:
        self.outcome_label.setText(words)
        if self.outcome_label.property("color") != color:  # a style sheet costs a re-polish
            self.outcome_label.setProperty("color", color)
            self.outcome_label.setStyleSheet(f"color: {color};")

    # -- the team, live ----------------------------------------------------------------------

    def set_record_block(self, reason: str | None) -> None:
        """Keep Record off, whatever the quote, saying ``reason`` under it (e.g. the database is
        offline); ``None`` lifts it. The quote stays on screen."""
        self._record_block = reason or None
        if self._quote is not None:
            self._update_record_button(self._quote)
        elif reason:
            self.record_button.setEnabled(False)

    def case_changed_elsewhere(self, change) -> bool:
        """Another desk changed a case (:class:`refund_desk.services.live.CaseChange`). When it
        is an open case of the shown instance, mark the quote at once (``HISTORY-OPEN-CASE``)
        and turn Record off; when the marked case closed, lift the mark (the re-quote that
        follows says what happened). Returns True when the shown quote was marked."""
        shown = self._instance
        if shown is None or change.instance_id != shown.instance_id:
            return False
        if change.is_open:
            known = self._quote.open_case if self._quote is not None else None
            if known is not None and known.case_id == change.case_id:
                return False  # the quote on screen already shows this case
            self._set_elsewhere(change)
            return True
        if self._elsewhere is not None and self._elsewhere.case_id == change.case_id:
            self._set_elsewhere(None)
        return False

    def marked_elsewhere(self):
        """The other desk's open case the quote is marked with (a ``CaseChange``), or None."""
        return self._elsewhere

    def _set_elsewhere(self, change) -> None:
        from .quote_format import china_time

        self._elsewhere = change
        if change is None:
            self.live_note.clear()
            self.live_note.hide()
        else:
            when = f", {china_time(change.at)} China time" if change.at else ""
            desk = f" on desk {change.host}" if change.host else ""
            self.live_note.setText(
                "<b>"
                + html.escape(
                    f"JUST RECORDED ON ANOTHER DESK — case #{change.case_id} ({change.status}) "
                    f"by {change.operator or 'another operator'}{desk}{when}."
                )
                + "</b><br>"
                + html.escape(
                    f"Instance {change.instance_id} now has an open case (HISTORY-OPEN-CASE): a "
                    "new case cannot be recorded here. Continue that case in Cases (Ctrl+2)."
                )
            )
            self.live_note.show()
        if self._quote is not None:
            self._update_record_button(self._quote)

    def clear(self) -> None:
        """Show nothing (no instance selected)."""
        self._set_elsewhere(None)
        self._instance = None
        self._quote = None
        self._quoted_inputs = None
        self.cancel_edit.blockSignals(True)
        self.cancel_edit.clear()
        self.cancel_edit.blockSignals(False)
        self._mark_field(valid=True)
        self.whatif_model.set_orders([])
        self.orders_model.set_quote(None)
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
        self.details_stack.setCurrentWidget(self.details_scroll)
        self._set_outcome(_("Select an instance to simulate its refund."), "#666")
        self.record_note.clear()
        self.totals_label.clear()
        self.partial_label.hide()
        self.partial_label.clear()
        self.eta_label.clear()
        self.trace_view.clear()
        self.local_label.clear()
        self.record_button.setEnabled(False)
        self.setEnabled(False)
        self.quote_changed.emit(None)

    def show_quote(self, q) -> None:
        """Render the quote ``q`` in every part of the panel.

        While ``q`` is not complete (an order is blocked: missing breakdown or channel, several
        instances) its sums cover only the other orders: they are shown greyed as "known so far",
        never as the refund, and the blocking reasons come first.
        """
        from ..wording_rules import outcome_words
        from .quote_format import blocked_orders_words, cny, iso

        self._quote = q
        outcome = q.outcome.value
        complete = q.complete
        if outcome == "refundable" and not complete:
            words = _("{outcome} — no total yet: {blocked}").format(
                outcome=outcome_words(outcome), blocked=blocked_orders_words(q)
            )
            color = "#8a4b00"
        elif outcome == "refundable":
            words = _("{outcome}: {amount}").format(
                outcome=outcome_words(outcome), amount=cny(q.total_refund)
            )
            color = "#b71c1c" if q.total_refund == 0 else "#1b5e20"
        else:
            words = outcome_words(outcome)
            color = "#37474f"
        refundable = outcome == "refundable"
        for box in (self.money_box, self.orders_box, self.whatif_box, self.timeline_box):
            box.setVisible(refundable)
        self.trace_box.show()
        self._set_outcome(words, color)
        self.alerts.set_quote(q)

        if outcome == "refundable":
            self.money_box.setTitle(
                _("Money and dates")
                if complete
                else _("Money and dates — incomplete, no total yet")
            )
            if complete:
                self.partial_label.hide()
                self.partial_label.clear()
                self.totals_label.setText(self._totals_html(q))
            else:
                self.partial_label.setText(
                    ngettext(
                        "<b>No total yet</b> — {blocked} (see BLOCKED above). The figures below "
                        "leave it out: they are <b>not the refund</b>; do not give them to the "
                        "customer as the refund.",
                        "<b>No total yet</b> — {blocked} (see BLOCKED above). The figures below "
                        "leave them out: they are <b>not the refund</b>; do not give them to the "
                        "customer as the refund.",
                        len(q.blocking),
                    ).format(blocked=blocked_orders_words(q))
                )
                self.partial_label.show()
                self.totals_label.setText(self._partial_totals_html(q))
            eta = [
                _("Expected processed by <b>{day}</b> (ETA-PROCESS)").format(
                    day=iso(q.processed_by)
                )
            ]
            if q.credited_between:
                a, b = q.credited_between
                eta.append(
                    _(
                        "Expected credited by the bank between <b>{start}</b> and <b>{end}</b> "
                        "(ETA-BANK)"
                    ).format(start=iso(a), end=iso(b))
                )
            eta.append(_("Cancellation date (China): {day}").format(day=iso(q.cancel_date)))
            eta.append(
                _("Policy {policy} v{version}").format(
                    policy=html.escape(q.policy_id), version=q.policy_version
                )
            )
            self.eta_label.setText("<br>".join(eta))
        else:
            self.partial_label.hide()
            self.partial_label.clear()
            self.totals_label.setText(
                _("No refund: see the advice above.") if q.advice else _("No refund.")
            )
            self.eta_label.setText(
                _("Policy {policy} v{version}").format(
                    policy=html.escape(q.policy_id), version=q.policy_version
                )
            )

        self.orders_model.set_quote(q)
        _fit_table(self.orders_view, ORDERS_WRAPPED)
        # The timeline and the rule trace, below the figures, are drawn one event later: the
        # UI thread never holds the whole quote in one go. Until then they show nothing (never
        # the previous quote's); a newer quote or a refused time drops this one's turn.
        self.timeline.set_quote(None)
        self.trace_view.clear()
        self._later = q
        self._later_timer.start()
        self._update_record_button(q)
        self.details_stack.setCurrentWidget(self.details_scroll)
        self.quote_changed.emit(q)

    def _draw_later(self) -> None:
        q, self._later = self._later, None
        if q is None or q is not self._quote:
            return  # a newer quote, or none, is on screen now
        self.timeline.set_quote(q)
        self._show_trace(q)

    @staticmethod
    def _totals_html(q) -> str:
        """Refund per destination and total of a complete quote (bold: the refund)."""
        from .quote_format import cny, destination

        rows = [
            "<tr><td>"
            + html.escape(_("To {destination}").format(destination=destination(dest)))
            + f"</td><td align='right'><b>{cny(amount)}</b></td></tr>"
            for dest, amount in sorted(q.by_destination.items())
        ]
        rows.append(
            "<tr><td><b>"
            + html.escape(_("Total refund"))
            + f"</b></td><td align='right'><b>{cny(q.total_refund)}</b></td></tr>"
        )
        rows.append(
            "<tr><td>"
            + html.escape(_("Consumed"))
            + f"</td><td align='right'>{cny(q.total_consumed)}</td></tr>"
        )
        rows.append(
            "<tr><td>"
            + html.escape(_("Not refundable (vouchers, coupons)"))
            + f"</td><td align='right'>{cny(q.total_not_refundable)}</td></tr>"
        )
        return "<table cellspacing='4'>" + "".join(rows) + "</table>"

    @staticmethod
    def _partial_totals_html(q) -> str:
        """The sums of an incomplete quote: greyed, never bold, every line saying it is partial."""
        from .quote_format import blocked_orders_words, cny, destination

        grey = "color:#777777"
        known = _("Known so far, without {blocked}:").format(blocked=blocked_orders_words(q))
        rows = [f"<tr><td colspan='2' style='{grey}'><i>{html.escape(known)}</i></td></tr>"]

        def row(words: str, amount) -> str:
            return (
                f"<tr><td style='{grey}'>&nbsp;&nbsp;{html.escape(words)}</td>"
                f"<td align='right' style='{grey}'>{cny(amount)}</td></tr>"
            )

        rows += [
            row(_("so far to {destination}").format(destination=destination(dest)), amount)
            for dest, amount in sorted(q.by_destination.items())
        ]
        rows.append(row(_("partial sum (not the refund)"), q.total_refund))
        rows.append(row(_("consumed so far"), q.total_consumed))
        rows.append(row(_("not refundable so far (vouchers, coupons)"), q.total_not_refundable))
        return "<table cellspacing='4'>" + "".join(rows) + "</table>"

    def _show_trace(self, q) -> None:
        from ..policy import RULES
        from ..wording_rules import explain

        colors = {"warning": "#b71c1c", "flag": "#8a4b00", "advice": "#0d47a1"}
        rows = []
        for entry in q.trace:
            info = RULES.get(entry.rule_id)
            color = colors.get(info.kind if info else "", "#222")
            where = (
                f" <span style='color:#555'>[{html.escape(entry.order_id)}]</span>"
                if entry.order_id
                else ""
            )
            rows.append(
                f"<tr><td style='white-space:nowrap; padding-right:8px'>"
                f"<b style='color:{color}'>{html.escape(entry.rule_id)}</b>{where}</td>"
                f"<td>{html.escape(explain(entry, policy=q.policy_version))}</td></tr>"
            )
        self.trace_view.setHtml("<table cellspacing='2'>" + "".join(rows) + "</table>")
        self._fit_trace()

    def _fit_trace(self) -> None:
        """Grow the trace to its text: the panel scrolls, the trace does not."""
        doc = self.trace_view.document()
        doc.setTextWidth(max(200, self.trace_view.viewport().width()))
        self.trace_view.setFixedHeight(int(doc.size().height()) + 8)

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().resizeEvent(event)
        if self._quote is not None:
            self._fit_trace()

    def _update_record_button(self, q) -> None:
        from .quote_format import blocked_orders_words

        outcome = q.outcome.value
        if self._record_block:
            self.record_button.setEnabled(False)
            self.record_note.setText(self._record_block)
            return
        if self._elsewhere is not None:
            e = self._elsewhere
            # Once the quote itself knows the case (its history box above), the live box
            # would say it twice: the desk it came from stays in this line.
            self.live_note.setVisible(q.open_case is None or q.open_case.case_id != e.case_id)
            self.record_button.setEnabled(False)
            desk = f" on desk {e.host}" if e.host else " on another desk"
            self.record_note.setText(
                f"Cannot be recorded: case #{e.case_id} was just recorded{desk} by "
                f"{e.operator or 'another operator'} (see above); continue it in Cases (Ctrl+2)."
            )
            return
        if q.history_blocking and outcome == "refundable":
            self.record_button.setEnabled(False)
            self.record_note.setText(
                _(
                    "Cannot be recorded: case #{case_id} is open for this instance (see above); "
                    "continue it in Cases (Ctrl+2)."
                ).format(case_id=q.open_case.case_id)
            )
            return
        if outcome != "refundable":
            self.record_button.setEnabled(False)
            # The note sits between the outcome (above) and the advice box (below it).
            self.record_note.setText(
                _(
                    "No refund case and no ticket for this instance: give the customer the "
                    "outcome above and the advice below."
                )
                if q.advice
                else _(
                    "No refund case and no ticket for this instance: give the customer the "
                    "outcome above."
                )
            )
            return
        if q.blocking:
            self.record_button.setEnabled(False)
            self.record_note.setText(
                ngettext(
                    "Cannot be recorded, and there is no total to give the customer, until the "
                    "{blocked} is resolved: see BLOCKED below.",
                    "Cannot be recorded, and there is no total to give the customer, until the "
                    "{blocked} are resolved: see BLOCKED below.",
                    len(q.blocking),
                ).format(blocked=blocked_orders_words(q))
            )
            return
        if q.cancel_at > self._clock():
            self.record_button.setEnabled(False)
            self.record_note.setText(
                _(
                    "What-if only: this cancellation time is in the future. A case is recorded for "
                    "a cancellation that has happened — type the actual time (or now) to record it."
                )
            )
            return
        self.record_button.setEnabled(True)
        self.record_note.setText(
            _(
                "Recording asks you to confirm that the customer was told about the release and "
                "agreed (Ctrl+R)."
            )
        )
