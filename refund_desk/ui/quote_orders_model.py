"""The per-order figures of a quote (a thin read-only Qt model over ``Quote.orders``)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from ..wording import N_, _
from .table_model import ColumnsTableModel

COLUMNS = (
    N_("Order"),
    N_("Type"),
    N_("Route"),
    N_("Destination"),
    N_("Fallback"),
    N_("Refund"),
    N_("Consumed"),
    N_("Not\nrefundable"),
    N_("Days\nused"),
    N_("Checks"),
)
TOOLTIPS = (
    N_("The order id."),
    N_("BSS OrderType: New, Renew, Upgrade."),
    N_("ROUTE-*: original method or account balance."),
    N_("Where this order's refund goes."),
    N_("Where it goes if the original-method refund fails (ROUTE-FALLBACK)."),
    N_("Refund of this order in CNY, rounded down to the fen (AMOUNT-ROUNDING)."),
    N_("Consumed part in CNY, rounded up to the fen (AMOUNT-CONSUMED)."),
    N_("Vouchers and coupons in CNY: never refunded (AMOUNT-BASIS)."),
    N_("24-hour periods used of the order's periods (AMOUNT-CONSUMED)."),
    N_(
        "Flags on this order: what the operator must check (hover a cell for the explanation); "
        "for an order left out of the sums, why."
    ),
)
_RIGHT = (5, 6, 7, 8)
_CHECKS = 9
BLOCKING = ("data_missing", "several_instances")


def _blocks(oq) -> bool:
    """The order is left out because it blocks the quote (missing data, several instances)."""
    return oq.excluded is not None and oq.excluded.value in BLOCKING


class QuoteOrdersModel(ColumnsTableModel):
    """One row per order of the shown quote (excluded orders say why)."""

    columns = COLUMNS
    tooltips = TOOLTIPS

    def __init__(self, parent=None):
        super().__init__(parent)
        self._orders: tuple = ()
        self._quote = None

    def set_quote(self, quote) -> None:
        """Show the orders of ``quote`` (None clears)."""
        self.beginResetModel()
        self._quote = quote
        self._orders = quote.orders if quote is not None else ()
        self.endResetModel()

    def checks_explained(self, row: int) -> str:
        """The flags of order ``row`` with what each means for it (the Checks tooltip)."""
        from ..wording_rules import explain
        from .quote_format import title

        oq = self._orders[row]
        if oq.excluded:
            lead = (
                _("Blocks the quote: {reason}.")
                if _blocks(oq)
                else _("Left out of the sums: {reason}.")
            )
            from ..wording_phrases import detail_words

            lines = [lead.format(reason=detail_words(oq.excluded_detail) or oq.excluded.value)]
        else:
            lines = []
        version = self._quote.policy_version if self._quote is not None else None
        for flag in oq.flags:
            why = [
                explain(e, policy=version)
                for e in (self._quote.trace if self._quote is not None else ())
                if e.rule_id == flag and e.order_id == oq.order_id
            ]
            lines.append(f"{flag} — {title(flag, version)}" + (f": {why[0]}" if why else ""))
        return "\n".join(lines) or _("No check for this order.")

    def row_count(self) -> int:
        return len(self._orders)

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        oq = self._orders[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(oq, col)
        if role == Qt.ItemDataRole.TextAlignmentRole and col in _RIGHT:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole:
            if _blocks(oq) and col in (2, _CHECKS):
                return QColor("#b71c1c")
            if oq.excluded:
                return QColor("#8a8a8a")
            if col == _CHECKS and oq.flags:
                return QColor("#9a5b00")
        if role == Qt.ItemDataRole.ToolTipRole:
            if col == _CHECKS or oq.excluded:
                return self.checks_explained(index.row())
            if col == 2:
                return _("Rules: {rules}").format(rules=", ".join(oq.rules))
            if col in (3, 4):
                from .quote_format import destination

                dest = oq.destination if col == 3 else oq.fallback_destination
                return destination(dest)
            return _(TOOLTIPS[col])
        return None

    @staticmethod
    def _text(oq, col: int) -> str:
        from ..wording_rules import route_words
        from .quote_format import money, short_destination

        if col == 0:
            return oq.order_id
        if col == 1:
            from ..wording_rules import order_type_words

            return order_type_words(oq.order_type)
        if oq.excluded:
            if col == 2:
                return _("blocked") if _blocks(oq) else _("left out")
            if col == _CHECKS:
                from ..wording_phrases import detail_words

                return detail_words(oq.excluded_detail) or oq.excluded.value
            return ""
        if col == 2:
            return route_words(oq.route.value if oq.route else None)
        if col == 3:
            return short_destination(oq.destination)
        if col == 4:
            return short_destination(oq.fallback_destination) if oq.fallback_destination else "—"
        if col == 5:
            return money(oq.refund)
        if col == 6:
            return money(oq.consumed)
        if col == 7:
            return money(oq.not_refundable)
        if col == 8:
            if oq.used_days is None:
                return "—"
            return f"{oq.used_days} / {oq.order_days}"
        return "\n".join(oq.flags) if oq.flags else "—"
