"""A thin read-only Qt table model over a list of plain records (store records, value objects)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt

from .table_model import ColumnsTableModel


class RecordsTableModel(ColumnsTableModel):
    """Rows are ``records``; ``cell(record, column) -> str`` gives the text of each cell.

    Args:
        columns: header titles. tooltips: one per column (header and cells).
        cell: the text of a cell. right_aligned: columns aligned right (amounts).
        row_tooltip: optional ``(record) -> str`` shown on the cells instead of the column tip.
    """

    def __init__(
        self,
        columns: Sequence[str],
        cell: Callable[[object, int], str],
        *,
        tooltips: Sequence[str] = (),
        right_aligned: Sequence[int] = (),
        row_tooltip: Callable[[object], str | None] | None = None,
        parent=None,
    ):
        super().__init__(parent)
        self.columns = tuple(columns)
        self.tooltips = tuple(tooltips)
        self._cell = cell
        self._right = set(right_aligned)
        self._row_tooltip = row_tooltip
        self._records: list = []

    def set_records(self, records: Sequence) -> None:
        """Replace the rows."""
        self.beginResetModel()
        self._records = list(records)
        self.endResetModel()

    def record(self, row: int):
        """The record of ``row``."""
        return self._records[row]

    def records(self) -> list:
        """All rows."""
        return list(self._records)

    def row_count(self) -> int:
        return len(self._records)

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        record = self._records[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._cell(record, index.column())
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() in self._right:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole:
            if self._row_tooltip:
                tip = self._row_tooltip(record)
                if tip:
                    return tip
            if index.column() < len(self.tooltips):
                return self.tooltips[index.column()]
        return None
