"""The column and header plumbing every table model of the desk shares."""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt

from ..wording import _


class ColumnsTableModel(QAbstractTableModel):
    """A flat table with fixed header titles and header tooltips.

    Subclasses set ``columns`` and ``tooltips`` (class or instance attributes; English source
    strings marked with ``N_``, shown in the window's language) and return their
    number of rows from :meth:`row_count`; they write only ``data`` (and ``flags``/``setData``).
    """

    columns: tuple[str, ...] = ()
    tooltips: tuple[str, ...] = ()

    def row_count(self) -> int:
        raise NotImplementedError

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802, B008 - Qt API
        return 0 if parent.isValid() else self.row_count()

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802, B008 - Qt API
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if orientation != Qt.Orientation.Horizontal:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return _(self.columns[section])
        if role == Qt.ItemDataRole.ToolTipRole and section < len(self.tooltips):
            return _(self.tooltips[section])
        return None
