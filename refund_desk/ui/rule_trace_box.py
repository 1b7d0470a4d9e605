"""The simulator's "Rule trace" section: every rule the quote applied, its id coloured by kind
(warning, flag, advice), the order it concerns and one
:func:`refund_desk.wording_rules.explain` sentence saying why."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QGroupBox, QTextBrowser, QVBoxLayout

from ..wording import _
from .look import fill_section

KIND_COLORS = {"warning": "#b71c1c", "flag": "#8a4b00", "advice": "#0d47a1"}
"""The colour of a rule id in the trace by the rule's kind (others: near black)."""


class RuleTraceBox(QGroupBox):
    """The rule trace of a quote in a titled section. The trace grows to its text: the panel
    around it scrolls, the trace does not.

    Attributes:
        trace_view: the text (object name ``trace``).
    """

    def __init__(self) -> None:
        super().__init__(_("Rule trace"))
        self.trace_view = QTextBrowser()
        self.trace_view.setObjectName("trace")
        self.trace_view.setAccessibleName(_("Rule trace"))
        self.trace_view.setToolTip(_("Every rule applied, with why (rule ids of docs/RULES.md)."))
        self.trace_view.setFrameShape(QFrame.Shape.NoFrame)
        self.trace_view.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        layout = QVBoxLayout()
        layout.addWidget(self.trace_view)
        fill_section(self, layout)

    def clear(self) -> None:
        """Show no trace."""
        self.trace_view.clear()

    def show_quote(self, q) -> None:
        """Show the trace of the quote ``q`` (a :class:`~refund_desk.policy.Quote`), in the
        window's language (rule ids as they are)."""
        from ..policy import RULES
        from ..wording_rules import explain

        rows = []
        for entry in q.trace:
            info = RULES.get(entry.rule_id)
            color = KIND_COLORS.get(info.kind if info else "", "#222")
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
        self.fit()

    def fit(self) -> None:
        """Grow the trace to its text at the current width."""
        doc = self.trace_view.document()
        doc.setTextWidth(max(200, self.trace_view.viewport().width()))
        self.trace_view.setFixedHeight(int(doc.size().height()) + 8)
