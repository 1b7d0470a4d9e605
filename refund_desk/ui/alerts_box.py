"""Warnings, flags, advice and blocking reasons of a quote, in coloured boxes nobody can miss."""

from __future__ import annotations

import html

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from ..wording import N_, _

STYLES = {
    "blocked": ("#fdecea", "#b71c1c", N_("BLOCKED — NO TOTAL YET, CANNOT BE RECORDED")),
    "warning": ("#fdecea", "#b71c1c", N_("WARNING — TELL THE CUSTOMER")),
    "flag": ("#fff4e0", "#8a4b00", N_("CHECK BEFORE PROMISING")),
    "advice": ("#e8f1fb", "#0d47a1", N_("ADVICE FOR THE CUSTOMER")),
}


def _sentences(quote, rule_id: str) -> list[str]:
    """The explain() sentences of every trace entry of ``rule_id``; orders that get the same
    sentence share one line (``[order 1, order 2] sentence``) so six orders do not repeat it."""
    from ..wording_rules import explain

    orders_by_sentence: dict[str, list[str]] = {}
    for entry in quote.trace:
        if entry.rule_id == rule_id:
            orders = orders_by_sentence.setdefault(explain(entry, policy=quote.policy_version), [])
            if entry.order_id and entry.order_id not in orders:
                orders.append(entry.order_id)
    return [
        (f"[{', '.join(orders)}] " if orders else "") + sentence
        for sentence, orders in orders_by_sentence.items()
    ]


class AlertsBox(QWidget):
    """One coloured box per kind (blocked, warning, flag, advice); hidden when empty."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        self.boxes: dict[str, QLabel] = {}
        for kind, (bg, fg, _border) in STYLES.items():
            label = QLabel()
            label.setObjectName(f"alert_{kind}")
            label.setWordWrap(True)
            label.setTextFormat(label.textFormat().RichText)
            label.setStyleSheet(
                f"QLabel {{ background: {bg}; color: {fg}; border: 2px solid {fg};"
                " border-radius: 4px; padding: 6px 8px; }"
            )
            label.hide()
            layout.addWidget(label)
            self.boxes[kind] = label

    def set_quote(self, quote) -> None:
        """Show the alerts of ``quote`` (None hides all)."""
        groups: dict[str, list[str]] = {k: [] for k in STYLES}
        if quote is not None:
            from ..services.text import blocking_reasons_words
            from .quote_format import title

            groups["blocked"] = [html.escape(words) for words in blocking_reasons_words(quote)]
            for kind, ids in (
                ("warning", quote.warnings),
                ("flag", quote.flags),
                ("advice", quote.advice),
            ):
                for rule_id in ids:
                    heading = title(rule_id, quote.policy_version)
                    sentences = _sentences(quote, rule_id) or [heading]
                    body = "<br>".join(html.escape(s) for s in sentences)
                    groups[kind].append(
                        f"<b>{html.escape(rule_id)}</b> — {html.escape(heading)}<br>{body}"
                    )
        for kind, items in groups.items():
            label = self.boxes[kind]
            if not items:
                label.hide()
                label.clear()
                continue
            heading = html.escape(_(STYLES[kind][2]))
            label.setText(f"<b>{heading}</b><br>" + "<br><br>".join(items))
            label.show()

    def text(self) -> str:
        """The visible alerts as plain text (tests, accessibility)."""
        return "\n".join(b.text() for b in self.boxes.values() if not b.isHidden())
