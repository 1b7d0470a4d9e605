"""What already happened to the instance (RULES.md §7), in words, first: above the money.

A refund order or a case marked refunded (``HISTORY-REFUNDED``), a release
(``HISTORY-RELEASED``), the open case (``HISTORY-OPEN-CASE``, ``HISTORY-FALLBACK-DONE``) and the
earlier cases. Hidden while the instance has no history. Fed with each quote the panel shows.
"""

from __future__ import annotations

import html

from PySide6.QtWidgets import QLabel, QWidget

from ..wording import _

_STYLES = {
    "done": "background:#eceff1; color:#263238; border:2px solid #455a64;",
    "open": "background:#fff4e0; color:#5d3a00; border:2px solid #8a4b00;",
    "past": "background:#f5f5f5; color:#333333; border:1px solid #9e9e9e;",
}


def history_lines(q) -> tuple[str, list[str]]:
    """``(style, lines)``: the history of quote ``q`` as sentences (HTML-escaped), most
    important first; ``style`` is ``done`` (refunded or released), ``open`` or ``past``."""
    from ..wording_rules import case_status_words
    from .quote_format import china_time, cny

    h = q.history
    lines: list[str] = []
    style = "past"
    if q.outcome.value == "already_refunded":
        style = "done"
        lines.append(
            "<b>"
            + html.escape(_("ALREADY REFUNDED — no new case, no ticket (HISTORY-REFUNDED)"))
            + "</b>"
        )
        for order in h.refund_orders:
            related = order.related_order_id
            related = _(", refunding order {order_id}").format(order_id=related) if related else ""
            amount = f", {cny(order.amount)}" if order.amount is not None else ""
            lines.append(
                html.escape(
                    _(
                        "Refund order {order_id}{related}: made {when} China time{amount} "
                        "(billing data)."
                    ).format(
                        order_id=order.order_id,
                        related=related,
                        when=china_time(order.refunded_at),
                        amount=amount,
                    )
                )
            )
        for case in h.refunded_cases:
            lines.append(
                html.escape(
                    _(
                        "Case #{case_id} ({amount}, recorded by {operator}) was marked refunded "
                        "{when} China time."
                    ).format(
                        case_id=case.case_id,
                        amount=cny(case.total_refund),
                        operator=case.operator,
                        when=china_time(case.changed_at or case.recorded_at),
                    )
                )
            )
    elif q.outcome.value == "released":
        style = "done"
        lines.append(
            "<b>"
            + html.escape(_("RELEASED — nothing can be refunded, no case (HISTORY-RELEASED)"))
            + "</b>"
        )
        when = (
            _(" on {when} China time").format(when=china_time(h.release_time))
            if h.release_time
            else ""
        )
        status = _(" (status {status})").format(status=h.status) if h.status else ""
        lines.append(
            html.escape(
                _("The billing data says the instance was released{when}{status}.").format(
                    when=when, status=status
                )
            )
        )
    if q.open_case is not None:
        c = q.open_case
        if style != "done":
            style = "open"
        lines.append(
            "<b>"
            + html.escape(
                _(
                    "OPEN CASE #{case_id} ({status}) — recorded by {operator} on {when} China "
                    "time, {amount}"
                ).format(
                    case_id=c.case_id,
                    status=case_status_words(c.status),
                    operator=c.operator,
                    when=china_time(c.recorded_at),
                    amount=cny(c.total_refund),
                )
            )
            + "</b>"
        )
        lines.append(
            html.escape(
                _(
                    "Continue that case in Cases (Ctrl+2); a new case cannot be recorded "
                    "(HISTORY-OPEN-CASE). The figures below are a what-if."
                )
            )
        )
        if c.replaces_case_id is not None:
            lines.append(
                html.escape(
                    _(
                        "It replaces failed case #{case_id} with the account balance: a second "
                        "replacement cannot be recorded (HISTORY-FALLBACK-DONE)."
                    ).format(case_id=c.replaces_case_id)
                )
            )
    shown = {q.open_case.case_id} if q.open_case else set()
    shown |= {c.case_id for c in h.refunded_cases} if style == "done" else set()
    earlier = [c for c in h.cases if c.case_id not in shown]
    if earlier:
        words = _("; ").join(
            f"#{c.case_id} {case_status_words(c.status)} ({cny(c.total_refund)}, {c.operator}, "
            f"{china_time(c.recorded_at)})"
            for c in earlier
        )
        lines.append(html.escape(_("Earlier cases of this instance: {cases}.").format(cases=words)))
    return style, lines


class HistoryView(QLabel):
    """The instance's history in a box above the money; hidden when there is none."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("history")
        self.setWordWrap(True)
        self.setTextFormat(self.textFormat().RichText)
        self.setToolTip(_("What already happened to this instance (RULES.md §7)."))
        self.hide()

    def set_quote(self, q) -> None:
        """Show the history of quote ``q`` (None, or no history: hidden)."""
        style, lines = ("past", []) if q is None else history_lines(q)
        if not lines:
            self.clear()
            self.hide()
            return
        self.setStyleSheet(
            f"QLabel#history {{ {_STYLES[style]} border-radius: 4px; padding: 6px 8px; }}"
        )
        self.setProperty("kind", style)
        self.setText("<br>".join(lines))
        self.show()
