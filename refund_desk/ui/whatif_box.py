"""The simulator's "What if (per order)" section: the inputs the data lacks or the operator wants
to try, per order (invoice issued, marketplace, original refund failed, discount factor), edited
in place in :class:`~refund_desk.ui.whatif_model.WhatIfModel`."""

from __future__ import annotations

from PySide6.QtWidgets import QAbstractItemView, QGroupBox, QVBoxLayout

from ..wording import _
from .look import fill_section
from .table_fit import fit_table, make_table
from .whatif_model import WhatIfModel


class WhatIfBox(QGroupBox):
    """The what-if table in a titled section.

    Attributes:
        whatif_model: the inputs (its ``options_changed``, ``input_error`` and ``input_fixed``
            signals say when they change). whatif_view: the table (object name ``whatif``).
    """

    def __init__(self) -> None:
        super().__init__(_("What if (per order)"))
        self.whatif_model = WhatIfModel(self)
        self.whatif_view = make_table(self.whatif_model, "whatif", _("What-if inputs per order"))
        self.whatif_view.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.SelectedClicked
        )
        self.whatif_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.whatif_view.setToolTip(
            _("What-if inputs per order. Space toggles a tick; F2 edits the discount factor.")
        )
        layout = QVBoxLayout()
        layout.addWidget(self.whatif_view)
        fill_section(self, layout)

    def set_orders(self, order_ids: list[str], options: dict | None = None) -> None:
        """One row per order id, preset with ``options`` (``{order_id: OrderOptions}``), the
        table sized to them."""
        self.whatif_model.set_orders(order_ids, options)
        fit_table(self.whatif_view)

    def clear(self) -> None:
        """No rows (the table keeps its size until the next orders)."""
        self.whatif_model.set_orders([])
