"""The what-if inputs of the simulator, per order (a thin Qt model over ``OrderOptions``)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from PySide6.QtCore import Qt, Signal

from ..wording import N_, _
from .table_model import ColumnsTableModel

COLUMNS = (
    N_("Order"),
    N_("Invoice issued"),
    N_("Marketplace"),
    N_("Original refund failed"),
    N_("Discount factor"),
)
TOOLTIPS = (
    N_("The order id (BSS OrderId)."),
    N_(
        "Was an invoice issued for this order? Not set = assumed no (flag ASSUMED-NOT-INVOICED). "
        "Click to cycle: not set → yes → no."
    ),
    N_(
        "Was it bought on the cloud marketplace? Not set = assumed official website. "
        "Click to cycle: not set → yes → no."
    ),
    N_(
        "The original-method refund failed: the refund goes to the account balance "
        "(ROUTE-FALLBACK)."
    ),
    N_(
        "Discount factor for the used duration, 0 < factor ≤ 1 (AMOUNT-CONSUMED). Double-click "
        "or F2 to edit."
    ),
)
_TRI = {None: N_("not set"), True: N_("yes"), False: N_("no")}
_NEXT = {None: True, True: False, False: None}


class WhatIfModel(ColumnsTableModel):
    """Rows: the instance's orders; columns: invoice issued, marketplace, original-method refund
    failed, discount factor. ``options()`` returns ``{order_id: OrderOptions}`` for the quote.

    Signals:
        options_changed: an input was changed by the operator.
        input_error(str): a discount factor was rejected (plain words).
        input_fixed: a discount factor was accepted (an earlier rejection no longer holds).
    """

    columns = COLUMNS
    tooltips = TOOLTIPS

    options_changed = Signal()
    input_error = Signal(str)
    input_fixed = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self._rows: list[list] = []  # [order_id, invoiced, marketplace, failed, discount]

    def set_orders(self, order_ids: list[str], preset: dict | None = None) -> None:
        """Reset the rows to ``order_ids``; ``preset`` maps order id → ``OrderOptions``."""
        self.beginResetModel()
        self._rows = []
        for oid in order_ids:
            opt = (preset or {}).get(oid)
            if opt is None:
                self._rows.append([oid, None, None, False, Decimal(1)])
            else:
                self._rows.append(
                    [oid, opt.invoiced, opt.marketplace, opt.original_failed, opt.discount]
                )
        self.endResetModel()

    def options(self) -> dict:
        """``{order_id: OrderOptions}`` for every order whose inputs differ from the defaults."""
        from ..policy import OrderOptions

        result = {}
        for oid, invoiced, market, failed, discount in self._rows:
            if invoiced is None and market is None and not failed and discount == 1:
                continue
            result[oid] = OrderOptions(
                invoiced=invoiced, marketplace=market, original_failed=failed, discount=discount
            )
        return result

    def row_count(self) -> int:
        return len(self._rows)

    def flags(self, index):
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() in (1, 2, 3):
            return base | Qt.ItemFlag.ItemIsUserCheckable
        if index.column() == 4:
            return base | Qt.ItemFlag.ItemIsEditable
        return base

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        col = index.column()
        value = row[col]
        if role == Qt.ItemDataRole.DisplayRole:
            if col == 0:
                return value
            if col in (1, 2):
                return _(_TRI[value])
            if col == 3:
                return _("yes") if value else _("no")
            return str(value)
        if role == Qt.ItemDataRole.EditRole and col == 4:
            return str(value)
        if role == Qt.ItemDataRole.CheckStateRole and col in (1, 2, 3):
            if value is None:
                return Qt.CheckState.PartiallyChecked
            return Qt.CheckState.Checked if value else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.ToolTipRole:
            return TOOLTIPS[col]
        return None

    def toggle(self, row: int, col: int) -> None:
        """Cycle the input at ``(row, col)`` (keyboard: Space on the cell)."""
        if col in (1, 2):
            self._set(row, col, _NEXT[self._rows[row][col]])
        elif col == 3:
            self._set(row, col, not self._rows[row][col])

    def set_value(self, order_id: str, column: str, value) -> None:
        """Set one input by order id and column name (``invoiced``, ``marketplace``,
        ``original_failed``, ``discount``)."""
        col = {"invoiced": 1, "marketplace": 2, "original_failed": 3, "discount": 4}[column]
        for i, row in enumerate(self._rows):
            if row[0] == order_id:
                self._set(i, col, value)
                return
        raise KeyError(order_id)

    def setData(self, index, value, role=Qt.ItemDataRole.EditRole) -> bool:  # noqa: N802
        if not index.isValid():
            return False
        col = index.column()
        if role == Qt.ItemDataRole.CheckStateRole and col in (1, 2, 3):
            self.toggle(index.row(), col)
            return True
        if role == Qt.ItemDataRole.EditRole and col == 4:
            try:
                factor = Decimal(str(value).strip())
            except InvalidOperation:
                self.input_error.emit(
                    _("Discount factor {value} is not a number.").format(value=repr(value))
                )
                return False
            if not factor.is_finite() or not (0 < factor <= 1):
                self.input_error.emit(
                    _("Discount factor {value} must be more than 0 and at most 1.").format(
                        value=value
                    )
                )
                return False
            self._set(index.row(), 4, factor)
            self.input_fixed.emit()
            return True
        return False

    def _set(self, row: int, col: int, value) -> None:
        if self._rows[row][col] == value and type(self._rows[row][col]) is type(value):
            return
        self._rows[row][col] = value
        idx = self.index(row, col)
        self.dataChanged.emit(idx, idx)
        self.options_changed.emit()
