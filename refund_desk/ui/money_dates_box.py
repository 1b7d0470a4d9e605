"""The simulator's "Money and dates" section: the refund per destination and in all, what is
consumed and not refundable, the expected dates (``ETA-PROCESS``/``ETA-BANK``), the cancellation
date and the policy version. While the quote has no total yet (an order is blocked,
:func:`refund_desk.services.text.no_total_yet`) the sums are greyed as "known so far", never the
refund, under a note that says so."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGridLayout, QGroupBox, QLabel

from ..wording import _, ngettext
from .look import fill_section


class MoneyDatesBox(QGroupBox):
    """The figures and dates of a quote in a titled section.

    Attributes:
        partial_label: the "no total yet" note (object name ``partial_note``), hidden while the
            quote is complete. totals_label: the sums (``totals``). eta_label: the dates and the
            policy (``eta``).
    """

    def __init__(self) -> None:
        super().__init__(_("Money and dates"))
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
        fill_section(self, grid)

    def clear(self) -> None:
        """Show no figures."""
        self.totals_label.clear()
        self._hide_partial()
        self.eta_label.clear()

    def _hide_partial(self) -> None:
        self.partial_label.hide()
        self.partial_label.clear()

    def show_quote(self, q) -> None:
        """Show the figures and dates of the quote ``q`` (a
        :class:`~refund_desk.policy.Quote`): of a refund, complete or not; otherwise only that
        there is no refund and the policy."""
        from ..services.text import blocked_orders_words, blocking_reasons, no_total_yet
        from .quote_format import iso

        policy = _("Policy {policy} v{version}").format(
            policy=html.escape(q.policy_id), version=q.policy_version
        )
        if q.outcome.value != "refundable":
            self._hide_partial()
            self.totals_label.setText(
                _("No refund: see the advice above.") if q.advice else _("No refund.")
            )
            self.eta_label.setText(policy)
            return
        if no_total_yet(q):
            self.setTitle(_("Money and dates — incomplete, no total yet"))
            self.partial_label.setText(
                ngettext(
                    "<b>No total yet</b> — {blocked} (see BLOCKED above). The figures below "
                    "leave it out: they are <b>not the refund</b>; do not give them to the "
                    "customer as the refund.",
                    "<b>No total yet</b> — {blocked} (see BLOCKED above). The figures below "
                    "leave them out: they are <b>not the refund</b>; do not give them to the "
                    "customer as the refund.",
                    len(blocking_reasons(q)),
                ).format(blocked=blocked_orders_words(q))
            )
            self.partial_label.show()
            self.totals_label.setText(partial_totals_html(q))
        else:
            self.setTitle(_("Money and dates"))
            self._hide_partial()
            self.totals_label.setText(totals_html(q))
        eta = [
            _("Expected processed by <b>{day}</b> (ETA-PROCESS)").format(day=iso(q.processed_by))
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
        eta.append(policy)
        self.eta_label.setText("<br>".join(eta))


def totals_html(q) -> str:
    """Refund per destination and total of a complete quote (bold: the refund), as an HTML
    table; amounts in the window's language (``CNY 764.00`` / ``¥764.00``)."""
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


def partial_totals_html(q) -> str:
    """The sums of a quote without a total yet, as an HTML table: greyed, never bold, every
    line saying it is partial."""
    from ..services.text import blocked_orders_words
    from .quote_format import cny, destination

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
