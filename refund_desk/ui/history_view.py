"""What already happened to the instance (RULES.md §7), in words, first: above the money.

A refund order or a case marked refunded (``HISTORY-REFUNDED``), a release
(``HISTORY-RELEASED``), the open case (``HISTORY-OPEN-CASE``, ``HISTORY-FALLBACK-DONE``) and the
earlier cases. Hidden while the instance has no history. Fed with each quote the panel shows.
"""

from __future__ import annotations

import html

from PySide6.QtWidgets import QLabel, QWidget

_STYLES = {
    "done": "background:#eceff1; color:#263238; border:2px solid #455a64;",
    "open": "background:#fff4e0; color:#5d3a00; border:2px solid #8a4b00;",
    "past": "background:#f5f5f5; color:#333333; border:1px solid #9e9e9e;",
}


def history_lines(q) -> tuple[str, list[str]]:
    """``(style, lines)``: the history of quote ``q`` as sentences (HTML-escaped), most
    important first; ``style`` is ``done`` (refunded or released), ``open`` or ``past``."""
    from .quote_format import china_time, cny

    h = q.history
    lines: list[str] = []
    style = "past"
    if q.outcome.value == "already_refunded":
        style = "done"
        lines.append("<b>ALREADY REFUNDED — no new case, no ticket (HISTORY-REFUNDED)</b>")
        for order in h.refund_orders:
            related = order.related_order_id
            related = f", refunding order {related}" if related else ""
            amount = f", {cny(order.amount)}" if order.amount is not None else ""
            lines.append(
                html.escape(
                    f"Refund order {order.order_id}{related}: made "
                    f"{china_time(order.refunded_at)} China time{amount} (billing data)."
                )
            )
        for case in h.refunded_cases:
            lines.append(
                html.escape(
                    f"Case #{case.case_id} ({cny(case.total_refund)}, recorded by "
                    f"{case.operator}) was marked refunded "
                    f"{china_time(case.changed_at or case.recorded_at)} China time."
                )
            )
    elif q.outcome.value == "released":
        style = "done"
        lines.append("<b>RELEASED — nothing can be refunded, no case (HISTORY-RELEASED)</b>")
        when = f" on {china_time(h.release_time)} China time" if h.release_time else ""
        status = f" (status {h.status})" if h.status else ""
        lines.append(html.escape(f"The billing data says the instance was released{when}{status}."))
    if q.open_case is not None:
        c = q.open_case
        if style != "done":
            style = "open"
        lines.append(
            "<b>"
            + html.escape(
                f"OPEN CASE #{c.case_id} ({c.status}) — recorded by {c.operator} on "
                f"{china_time(c.recorded_at)} China time, {cny(c.total_refund)}"
            )
            + "</b>"
        )
        lines.append(
            "Continue that case in Cases (Ctrl+2); a new case cannot be recorded "
            "(HISTORY-OPEN-CASE). The figures below are a what-if."
        )
        if c.replaces_case_id is not None:
            lines.append(
                html.escape(
                    f"It replaces failed case #{c.replaces_case_id} with the account balance: a "
                    "second replacement cannot be recorded (HISTORY-FALLBACK-DONE)."
                )
            )
    shown = {q.open_case.case_id} if q.open_case else set()
    shown |= {c.case_id for c in h.refunded_cases} if style == "done" else set()
    earlier = [c for c in h.cases if c.case_id not in shown]
    if earlier:
        words = "; ".join(
            f"#{c.case_id} {c.status} ({cny(c.total_refund)}, {c.operator}, "
            f"{china_time(c.recorded_at)})"
            for c in earlier
        )
        lines.append(html.escape(f"Earlier cases of this instance: {words}."))
    return style, lines


class HistoryView(QLabel):
    """The instance's history in a box above the money; hidden when there is none."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("history")
        self.setWordWrap(True)
        self.setTextFormat(self.textFormat().RichText)
        self.setToolTip("What already happened to this instance (RULES.md §7).")
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
