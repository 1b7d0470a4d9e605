"""Search results: a Qt table model over ``OrderStore.search``, fetched lazily page by page off
the UI thread (a million-order database stays responsive while the operator types)."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt, Signal

from ..wording import N_, _
from .table_model import ColumnsTableModel

COLUMNS = (N_("Kind"), N_("Id"), N_("Account"), N_("Detail"))
KIND_WORDS = {"account": N_("Account"), "instance": N_("Instance"), "order": N_("Order")}


class SearchResultsModel(ColumnsTableModel):
    """Rows are :class:`refund_desk.store.SearchHit`; pages of ``page_size`` are fetched through
    the :class:`~refund_desk.ui.background.Background` helper when the view scrolls.

    Signals:
        search_done(str, int, bool): term, rows so far, whether more rows may follow.
        search_failed(str): plain-words error.
    """

    columns = COLUMNS

    search_done = Signal(str, int, bool)
    search_failed = Signal(str)

    def __init__(self, background, parent=None, *, page_size: int = 100):
        super().__init__(parent)
        self._background = background
        self._store = None
        self._page = page_size
        self._hits: list = []
        self._term = ""
        self._generation = 0
        self._fetching = False
        self._more = False

    def set_store(self, store) -> None:
        """Search ``store`` from now on (clears the results)."""
        self._store = store
        self.search("")

    @property
    def term(self) -> str:
        """The term of the shown results."""
        return self._term

    @property
    def fetching(self) -> bool:
        """A page is being fetched."""
        return self._fetching

    def hit(self, row: int):
        """The :class:`SearchHit` of ``row``."""
        return self._hits[row]

    def search(self, term: str) -> None:
        """Show the hits of ``term`` (exact or prefix of an order, instance or account id)."""
        term = term.strip()
        self._generation += 1
        self.beginResetModel()
        self._hits = []
        self._term = term
        self._more = bool(term) and self._store is not None
        self._fetching = False
        self.endResetModel()
        if self._more:
            self._fetch()
        else:
            self.search_done.emit(term, 0, False)

    def _fetch(self) -> None:
        store, term, offset, page = self._store, self._term, len(self._hits), self._page
        generation = self._generation
        self._fetching = True

        def work():
            return store.search(term, limit=page + 1, offset=offset)

        self._background.run(
            work,
            on_success=lambda hits: self._arrived(generation, hits),
            on_failure=lambda exc: self._failed(generation, exc),
        )

    def _arrived(self, generation: int, hits: list) -> None:
        if generation != self._generation:
            return  # an older term: the operator kept typing
        self._fetching = False
        more = len(hits) > self._page
        hits = hits[: self._page]
        if hits:
            first = len(self._hits)
            self.beginInsertRows(QModelIndex(), first, first + len(hits) - 1)
            self._hits.extend(hits)
            self.endInsertRows()
        self._more = more
        self.search_done.emit(self._term, len(self._hits), more)

    def _failed(self, generation: int, exc: BaseException) -> None:
        if generation != self._generation:
            return
        from .messages import plain_error

        self._fetching = False
        self._more = False
        self.search_failed.emit(_("Search failed: {problem}").format(problem=plain_error(exc)))

    # -- Qt model API ------------------------------------------------------------------------

    def canFetchMore(self, parent=QModelIndex()) -> bool:  # noqa: N802, B008 - Qt API
        return not parent.isValid() and self._more and not self._fetching

    def fetchMore(self, parent=QModelIndex()) -> None:  # noqa: N802, B008 - Qt API
        if self.canFetchMore(parent):
            self._fetch()

    def row_count(self) -> int:
        return len(self._hits)

    @staticmethod
    def _detail(hit) -> str:
        if hit.kind == "account":
            return hit.detail or _("its instances")
        if hit.kind == "instance":
            if not hit.detail:
                return _("kind not known yet (no order states it)")
            return {
                "enterprise": _("Enterprise"),
                "old_public": _("old public"),
                "new_public": _("new public"),
            }.get(hit.detail, hit.detail)
        instances = ", ".join(hit.instance_ids) or _("instance not imported yet")
        return f"{instances} · {hit.detail}" if hit.detail else instances

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        hit = self._hits[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if col == 0:
                return _(KIND_WORDS[hit.kind]) if hit.kind in KIND_WORDS else hit.kind
            if col == 1:
                return hit.id
            if col == 2:
                return hit.account_id or "—"
            return self._detail(hit)
        if role == Qt.ItemDataRole.FontRole and hit.exact:
            from PySide6.QtGui import QFont

            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ToolTipRole:
            exact = (
                _("exact match")
                if hit.exact
                else _("starts with {term}").format(term=repr(self._term))
            )
            if hit.kind == "account":  # the whole name, however narrow the column
                return _("Account {id} ({exact}): {detail} — Enter to open.").format(
                    id=hit.id, exact=exact, detail=self._detail(hit)
                )
            kind = _(KIND_WORDS[hit.kind]) if hit.kind in KIND_WORDS else hit.kind
            return _("{kind} {id} ({exact}); account {account}; {detail}. Enter to open.").format(
                kind=kind,
                id=hit.id,
                exact=exact,
                account=hit.account_id or "—",
                detail=self._detail(hit),
            )
        return None
