"""The refund simulator: cancellation time and what-if inputs in, the quote out.

Shows the outcome in large type, warnings and flags in boxes nobody can miss, per-order figures,
totals per destination, the expected dates (``ETA-PROCESS``/``ETA-BANK``), the timeline picture and
the rule trace (one :func:`refund_desk.wording_rules.explain` sentence per step). The quote is
recomputed whenever an input changes; the computing itself is :func:`refund_desk.policy.quote`.

This module holds the panel's fixed header (the cancellation time, Record, the outcome, the
instance's history and the notes under Record) and what happens when an input changes. The
details below are :class:`~.quote_details.QuoteDetails` (one widget per section); the field is
:class:`~.cancel_time_edit.CancelTimeEdit`; what Record and its note say is
:func:`~.record_note.record_state`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from PySide6.QtCore import Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from ..wording import _
from .cancel_time_edit import CancelTimeEdit
from .keymap import make_button
from .look import RECORD_BUTTON_STYLE
from .quote_details import QuoteDetails


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
        self.cancel_edit = CancelTimeEdit()
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

        # Below this fixed header the details scroll: the Record button and the outcome stay on
        # screen however far the operator scrolls.
        details = self.details_stack = QuoteDetails()
        outer.addWidget(details, 1)
        self.details_scroll = details.details_scroll
        self.details = details.details
        self.refused_page = details.refused_page
        self.alerts = details.alerts
        self.money_box = details.money_box
        self.partial_label = details.money_box.partial_label
        self.totals_label = details.money_box.totals_label
        self.eta_label = details.money_box.eta_label
        self.orders_box = details.orders_box
        self.orders_model = details.orders_box.orders_model
        self.orders_view = details.orders_box.orders_view
        self.whatif_box = details.whatif_box
        self.whatif_model = details.whatif_box.whatif_model
        self.whatif_view = details.whatif_box.whatif_view
        self.timeline = details.timeline
        self.timeline_box = details.timeline_box
        self.trace_box = details.trace_box
        self.trace_view = details.trace_box.trace_view
        self.whatif_model.options_changed.connect(self.recompute)
        self.whatif_model.input_error.connect(self.error)
        self.whatif_model.input_fixed.connect(self.input_fixed)

        self.cancel_edit.textChanged.connect(self._cancel_changed)

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
        self.whatif_box.set_orders([o.order_id for o in instance.orders], options)
        self.cancel_edit.set_moment(
            cancel_at if cancel_at is not None else self._now_to_the_minute()
        )
        self.recompute()

    def set_cancel_at(self, moment: datetime) -> None:
        """Write the aware ``moment`` into the field (China time) and quote it."""
        self.cancel_edit.set_moment(moment)
        self.recompute()

    def set_cancel_now(self) -> None:
        """Write now (China time, to the minute) into the field and quote it (Now button,
        Ctrl+Shift+N)."""
        self.set_cancel_at(self._now_to_the_minute())

    def _now_to_the_minute(self) -> datetime:
        return self._clock().replace(second=0, microsecond=0)

    def typed_time(self):
        """The field read strictly: a :class:`~refund_desk.policy.TypedTime`.

        Raises:
            refund_desk.policy.TimeError: the text is not a complete, valid time.
        """
        return self.cancel_edit.typed_time(self._clock())

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
        from ..wording_phrases import time_error_words
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
        self.cancel_edit.mark_valid(True)
        try:
            result = quote(self._instance, cancel_at, self.options())
        except (ValueError, UnknownPolicyError) as exc:  # no policy in force: no stale quote
            words = str(exc) if isinstance(exc, UnknownPolicyError) else plain_error(exc)
            self._show_refused(_("Cannot quote this time"), f"{time_error_words(words)}.")
            return
        self.show_quote(result)
        self._quoted_inputs = inputs

    def _show_refused(self, title: str, why: str, *, field_invalid: bool = False) -> None:
        """No quote for the inputs on screen: say so (``title`` in large type, ``why`` below
        it), show no figures (the details give way to a page without any), allow no
        recording. The what-if inputs are kept.

        The large line changes only with the kind of refusal, not at every keystroke: a new
        text there lays the whole panel out again."""
        self._quote = None
        self._quoted_inputs = None
        if field_invalid:
            self.cancel_edit.mark_valid(False)
            # Never empty: the line keeps its height and the panel below does not move.
            self.local_label.setText(_("No time quoted: see why below."))
        self.details_stack.show_refused(why)
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
        from .record_note import elsewhere_html

        self._elsewhere = change
        if change is None:
            self.live_note.clear()
            self.live_note.hide()
        else:
            self.live_note.setText(elsewhere_html(change))
            self.live_note.show()
        if self._quote is not None:
            self._update_record_button(self._quote)

    def clear(self) -> None:
        """Show nothing (no instance selected)."""
        self._set_elsewhere(None)
        self._instance = None
        self._quote = None
        self._quoted_inputs = None
        self.cancel_edit.clear_quietly()
        self.cancel_edit.mark_valid(True)
        self.details_stack.clear()
        self._set_outcome(_("Select an instance to simulate its refund."), "#666")
        self.record_note.clear()
        self.local_label.clear()
        self.record_button.setEnabled(False)
        self.setEnabled(False)
        self.quote_changed.emit(None)

    def show_quote(self, q) -> None:
        """Render the quote ``q`` in every part of the panel.

        While ``q`` has no total yet (an order is blocked: missing breakdown or channel, several
        instances) its sums cover only the other orders: they are shown greyed as "known so far",
        never as the refund, and the blocking reasons come first.
        """
        from ..services.text import blocked_orders_words, no_total_yet
        from ..wording_rules import outcome_words
        from .quote_format import cny

        self._quote = q
        outcome = q.outcome.value
        if no_total_yet(q):
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
        self.details_stack.show_quote(q)
        self._set_outcome(words, color)
        self._update_record_button(q)
        self.quote_changed.emit(q)

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().resizeEvent(event)
        if self._quote is not None:
            self.trace_box.fit()

    def _update_record_button(self, q) -> None:
        from .record_note import record_state

        e = self._elsewhere
        if e is not None and not self._record_block:
            # Once the quote itself knows the case (its history box above), the live box
            # would say it twice: the desk it came from stays in the note under Record.
            self.live_note.setVisible(q.open_case is None or q.open_case.case_id != e.case_id)
        state = record_state(q, block=self._record_block, elsewhere=e, clock=self._clock)
        self.record_button.setEnabled(state.enabled)
        self.record_note.setText(state.note)
