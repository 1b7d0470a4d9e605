"""The simulator's "Per order" section: route, destination and amounts of each order of the quote
(:class:`~refund_desk.ui.quote_orders_model.QuoteOrdersModel`), every row whole."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QGroupBox, QVBoxLayout

from ..wording import _
from .look import fill_section
from .quote_orders_model import QuoteOrdersModel
from .table_fit import fit_table, make_table

ORDERS_WRAPPED = (2, 3, 4)
"""Route, Destination and Fallback of the per-order table wrap at spaces (see
:func:`~refund_desk.ui.table_fit.fit_table`)."""


class QuoteOrdersBox(QGroupBox):
    """The per-order table of a quote, in a titled section.

    Attributes:
        orders_model: the table's model. orders_view: the table (object name ``quote_orders``).
    """

    def __init__(self) -> None:
        super().__init__(_("Per order"))
        self.orders_model = QuoteOrdersModel(self)
        self.orders_view = make_table(self.orders_model, "quote_orders", _("Refund per order"))
        # Checks hold one flag per line (and why an order is left out): rows grow, never elide;
        # when the columns change width (window resized) the rows are measured again.
        self.orders_view.setWordWrap(True)
        self._refit_timer = QTimer(self)
        self._refit_timer.setSingleShot(True)
        self._refit_timer.setInterval(0)
        self._refit_timer.timeout.connect(self.fit)
        self.orders_view.horizontalHeader().sectionResized.connect(
            lambda *_: self._refit_timer.start()
        )
        self.orders_view.setToolTip(
            _(
                "Per order: route, destination and amounts (CNY). Hover Checks for what each flag "
                "means for the order."
            )
        )
        layout = QVBoxLayout()
        layout.addWidget(self.orders_view)
        fill_section(self, layout)

    def set_quote(self, q) -> None:
        """Show the orders of the quote ``q`` (None: no rows), the table sized to them."""
        self.orders_model.set_quote(q)
        if q is not None:
            self.fit()

    def fit(self) -> None:
        """Size the table to its rows, the wrapped columns as wide as their widest word."""
        fit_table(self.orders_view, ORDERS_WRAPPED)
