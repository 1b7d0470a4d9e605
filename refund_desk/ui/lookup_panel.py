"""Order lookup: one search field (order, instance or account id, whole or a prefix) and the
results table. Typing searches after a short pause; Enter searches at once."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QLineEdit,
    QStyledItemDelegate,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ..wording import _, ngettext
from .search_model import SearchResultsModel

TYPING_PAUSE_MS = 180


class _DetailDelegate(QStyledItemDelegate):
    """The Detail column: an account's name too wide for the column is elided in the middle
    (``杭州云智…事业部``: the start and the end, where names differ); other rows at the end."""

    def __init__(self, model, parent=None):
        super().__init__(parent)
        self._model = model

    def initStyleOption(self, option, index) -> None:  # noqa: N802 - Qt's name
        super().initStyleOption(option, index)
        hit = self._model.hit(index.row()) if index.isValid() else None
        if hit is not None and hit.kind == "account":
            option.textElideMode = Qt.TextElideMode.ElideMiddle


class LookupPanel(QWidget):
    """The search field and results.

    Signals:
        instance_chosen(str): the operator opened an instance (or an order of it).
        account_chosen(str): the operator opened an account.
        message(str): a plain-words error to show in the window.
    """

    instance_chosen = Signal(str)
    account_chosen = Signal(str)
    message = Signal(str)

    def __init__(self, background, parent: QWidget | None = None):
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        title = QLabel(_("Fin&d order, instance or account (Ctrl+F)"))
        title.setObjectName("lookup_title")
        self.search_edit = QLineEdit()
        self.search_edit.setObjectName("search")
        self.search_edit.setAccessibleName(_("Find an order, instance or account"))
        self.search_edit.setPlaceholderText(_("order id, instance id or account id — or a prefix"))
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.setToolTip(
            _(
                "Type an order id, instance id or account id, whole or its beginning (Ctrl+F). "
                "Enter opens the first result; Down moves to the results."
            )
        )
        title.setBuddy(self.search_edit)
        layout.addWidget(title)
        layout.addWidget(self.search_edit)

        self.model = SearchResultsModel(background, self)
        self.view = QTableView()
        self.view.setObjectName("results")
        self.view.setAccessibleName(_("Search results"))
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.verticalHeader().hide()
        self.view.verticalHeader().setDefaultSectionSize(22)
        self.view.setAlternatingRowColors(True)
        self.view.setToolTip(_("Search results. Arrow keys move, Enter opens."))
        # Ids are read in full: never wrapped at their hyphens nor elided. Kind, Id and Account
        # are as wide as their widest text among all the results fetched (measured once per row
        # as each page arrives, so scrolling never meets a clipped id; Qt's ResizeToContents
        # would measure up to 1,000 rows again for every page); Detail takes the rest.
        self.view.setWordWrap(False)
        self.view.setTextElideMode(Qt.TextElideMode.ElideRight)
        # An account's name in Detail: both its ends stay readable (the tooltip has it whole).
        self.view.setItemDelegateForColumn(
            self.model.columnCount() - 1, _DetailDelegate(self.model, self.view)
        )
        # An unusually long id can make the table wider than the pane: scroll it by the pixel
        # (by whole columns, the end of a column wider than the pane could never be shown).
        self.view.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        header = self.view.horizontalHeader()
        header.setStretchLastSection(True)
        self._measured_columns = range(self.model.columnCount() - 1)
        for col in self._measured_columns:
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.Interactive)
        self.model.modelReset.connect(self._fit_columns_anew)
        self.model.rowsInserted.connect(lambda _parent, first, last: self._widen(first, last))
        self._fit_columns_anew()
        layout.addWidget(self.view, 1)
        self.status_label = QLabel(_("Type to search."))
        self.status_label.setObjectName("search_status")
        self.status_label.setWordWrap(True)
        layout.addWidget(self.status_label)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(TYPING_PAUSE_MS)
        self._timer.timeout.connect(self.run_search)
        self.search_edit.textEdited.connect(lambda _t: self._timer.start())
        self.search_edit.returnPressed.connect(self._enter)
        self.view.activated.connect(self._open_index)
        self.view.selectionModel().currentRowChanged.connect(lambda cur, _p: self._open_index(cur))
        self.model.search_done.connect(self._done)
        self.model.search_failed.connect(self._failed)
        self._open_first = False
        self.setEnabled(False)

    def _fit_columns_anew(self) -> None:
        """A new result list: the measured columns start from their titles' width."""
        header = self.view.horizontalHeader()
        for col in self._measured_columns:
            header.resizeSection(col, header.sectionSizeHint(col))
        if self.model.rowCount():
            self._widen(0, self.model.rowCount() - 1)

    def _widen(self, first: int, last: int) -> None:
        """Widen the measured columns to the text of rows ``first``..``last`` (exact matches are
        bold), never narrowing them: an id fetched earlier stays readable."""
        import math

        from PySide6.QtGui import QFontMetricsF
        from PySide6.QtWidgets import QStyle

        view, model = self.view, self.model
        # Fractional advances, rounded up: a whole-pixel measure can fall short by under a
        # pixel, which is enough for Qt to elide "Order" to "Ord…".
        normal = QFontMetricsF(view.font())
        bold_font = view.font()
        bold_font.setBold(True)
        bold = QFontMetricsF(bold_font)
        # The item delegate's text margin on each side, plus the grid line.
        margin = 2 * (view.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin) + 1) + 1
        header = view.horizontalHeader()
        for col in self._measured_columns:
            widest = header.sectionSize(col)
            for row in range(first, last + 1):
                index = model.index(row, col)
                text = model.data(index) or ""
                metrics = bold if model.data(index, Qt.ItemDataRole.FontRole) else normal
                widest = max(widest, math.ceil(metrics.horizontalAdvance(text)) + margin)
            if widest != header.sectionSize(col):
                header.resizeSection(col, widest)

    def comfortable_width(self) -> int:
        """The narrowest this pane can be with Kind, Id and Account readable in full and a
        little of Detail (the window narrows it to make room for a quote)."""
        header = self.view.horizontalHeader()
        columns = sum(header.sectionSize(c) for c in self._measured_columns)
        margins = self.layout().contentsMargins()
        return max(
            300, columns + 60 + 2 * self.view.frameWidth() + margins.left() + margins.right()
        )

    def set_store(self, store) -> None:
        """Search ``store`` (None: nothing to search yet)."""
        self.model.set_store(store)
        self.setEnabled(store is not None)
        if self.search_edit.text().strip():
            self.run_search()

    def focus_search(self) -> None:
        """Put the cursor in the search field with its text selected (Ctrl+F)."""
        self.search_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_edit.selectAll()

    def run_search(self) -> None:
        """Search the field's text now."""
        self._timer.stop()
        term = self.search_edit.text().strip()
        if term:
            self.status_label.setText(_("Searching {term}…").format(term=repr(term)))
        self.model.search(term)

    def _enter(self) -> None:
        if self._timer.isActive() or self.model.term != self.search_edit.text().strip():
            self._open_first = True
            self.run_search()
        elif self.model.rowCount() > 0:
            self.view.selectRow(0)
            self._open_index(self.model.index(0, 0))

    def keyPressEvent(self, event) -> None:  # noqa: N802 - Qt API
        if event.key() == Qt.Key.Key_Down and self.search_edit.hasFocus():
            self.view.setFocus()
            if self.model.rowCount() and not self.view.currentIndex().isValid():
                self.view.selectRow(0)
            return
        super().keyPressEvent(event)

    def _done(self, term: str, count: int, more: bool) -> None:
        if not term:
            self.status_label.setText(_("Type to search."))
            return
        if count == 0:
            self.status_label.setText(_("Nothing matches {term}.").format(term=repr(term)))
        else:
            plus = _("+ (scroll for more)") if more else ""
            self.status_label.setText(
                ngettext(
                    "{n}{plus} result for {term}.", "{n}{plus} results for {term}.", count
                ).format(n=count, plus=plus, term=repr(term))
            )
        if self._open_first and count:
            self._open_first = False
            self.view.selectRow(0)

    def _failed(self, text: str) -> None:
        self.status_label.setText(text)
        self.message.emit(text)

    def _open_index(self, index) -> None:
        if not index.isValid():
            return
        hit = self.model.hit(index.row())
        if hit.kind == "account":
            self.account_chosen.emit(hit.id)
        elif hit.instance_ids:
            self.instance_chosen.emit(hit.instance_ids[0])
        else:
            self.message.emit(
                _(
                    "Order {order_id} names no instance yet: import its GetOrderDetail export."
                ).format(order_id=hit.id)
            )
