"""Short tables sized to their rows: the simulator's per-order and what-if tables show a handful
of orders each, whole, with no inner scroll bar (the panel around them scrolls instead)."""

from __future__ import annotations

import math

from PySide6.QtCore import QAbstractItemModel, Qt
from PySide6.QtGui import QFontMetricsF
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView


def make_table(model: QAbstractItemModel, name: str, accessible_name: str) -> QTableView:
    """A table over ``model`` with the object name ``name``, read out as ``accessible_name``,
    in the look of :func:`setup_table`."""
    view = QTableView()
    view.setObjectName(name)
    view.setAccessibleName(accessible_name)
    view.setModel(model)
    setup_table(view)
    return view


def setup_table(view: QTableView) -> None:
    """The simulator's table look: no row numbers, alternating rows, whole rows selected, no
    vertical scroll bar, cells elided on one line, columns sized to their contents and the last
    one taking the rest."""
    view.verticalHeader().hide()
    view.setAlternatingRowColors(True)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    view.setWordWrap(False)
    view.setTextElideMode(Qt.TextElideMode.ElideRight)
    header = view.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    if view.model() is not None and view.model().columnCount() > 0:
        # The last column (checks, discount) takes the rest and elides: no side scrolling.
        header.setSectionResizeMode(view.model().columnCount() - 1, QHeaderView.ResizeMode.Stretch)


def widest_chunk(view: QTableView, column: int) -> int:
    """The widest piece of text of ``column`` a wrapped line cannot break (words, and the parts
    of a flag id after each hyphen), with the cell margins, in pixels."""
    model = view.model()
    # Fractional advances rounded up, plus a pixel: a whole-pixel measure can fall short by a
    # fraction, enough for Qt to elide "balance" to "balan…".
    metrics = QFontMetricsF(view.font())
    widest = 0.0
    for row in range(model.rowCount()):
        text = model.data(model.index(row, column)) or ""
        for word in text.split():
            for piece in word.replace("-", "- ").split():
                widest = max(widest, metrics.horizontalAdvance(piece))
    return (
        math.ceil(widest)
        + 1
        + 2 * (view.style().pixelMetric(view.style().PixelMetric.PM_FocusFrameHMargin) + 1)
    )


def fit_table(view: QTableView, wrapped: tuple[int, ...] = ()) -> None:
    """Size a short table to its rows (no inner scroll bar for a handful of orders). It is never
    narrower than its columns need with the last one wrapped: in a narrow window the panel
    scrolls sideways rather than squeezing the last column (the checks) to nothing.

    ``wrapped`` columns (words such as "original method", "account balance") are as wide as
    their widest word and wrap onto a second line: the table then fits a 1366-pixel screen with
    the desktop's larger fonts too."""
    header = view.horizontalHeader()
    model = view.model()
    if model is not None and model.rowCount() and view.wordWrap():
        last = model.columnCount() - 1
        for c in wrapped:
            header.setSectionResizeMode(c, QHeaderView.ResizeMode.Interactive)
            words = (model.headerData(c, Qt.Orientation.Horizontal) or "").split()
            title = max((header.fontMetrics().horizontalAdvance(w) for w in words), default=0)
            header.resizeSection(c, max(widest_chunk(view, c), title + 12))
        needed = sum(
            header.sectionSize(c)
            if c in wrapped
            else max(header.sectionSizeHint(c), view.sizeHintForColumn(c))
            for c in range(last)
        ) + max(header.sectionSizeHint(last), widest_chunk(view, last))
        view.setMinimumWidth(needed + 2 * view.frameWidth())
    else:
        view.setMinimumWidth(0)
    view.resizeRowsToContents()
    rows = model.rowCount() if model else 0
    height = max(header.height(), header.sizeHint().height()) + 2 * view.frameWidth() + 2
    if view.horizontalScrollBar().isVisible() or header.length() > view.viewport().width():
        height += view.horizontalScrollBar().sizeHint().height()
    for r in range(rows):
        height += view.rowHeight(r)
    view.setFixedHeight(max(height, header.sizeHint().height() + 30))
