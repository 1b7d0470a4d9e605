"""In the default 1440×900 window: ids read in full in the results, every order of a
seven-order instance with its breakdown and channel on screen, per-order checks readable."""

from __future__ import annotations

from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import QApplication

from refund_desk.ui.instance_panel import ORDER_COLUMN
from tests.helpers.desk_fixtures import EX1, PARTIAL, PARTIAL_MISSING, china, save, search_and_open


def settle():
    for _ in range(3):
        QApplication.processEvents()


def right_edge(view, column: int) -> int:
    return view.horizontalHeader().sectionViewportPosition(column) + view.columnWidth(column)


def test_result_ids_are_readable_in_full(qtbot, window, tmp_path):
    window.resize(1440, 900)
    search_and_open(qtbot, window, "iot-cn-", EX1)
    settle()
    view, model = window.lookup.view, window.lookup.model
    assert not view.wordWrap()  # an id never breaks at its hyphens ("iot-…")
    bold = QFont(view.font())
    bold.setBold(True)
    for row in range(model.rowCount()):
        hit = model.hit(row)
        metrics = QFontMetrics(bold if hit.exact else view.font())
        assert metrics.horizontalAdvance(hit.id) + 6 <= view.columnWidth(1), hit.id
        assert metrics.horizontalAdvance(hit.account_id or "—") + 6 <= view.columnWidth(2)
    for column in range(3):  # Kind, Id, Account: never elided
        assert view.columnWidth(column) >= view.sizeHintForColumn(column), column
    assert right_edge(view, 2) <= view.viewport().width()  # no side scrolling for the ids
    save(window, "lookup-ids", tmp_path)


def test_seven_orders_with_breakdown_and_channel_fit_the_window(qtbot, window, tmp_path):
    window.resize(1440, 900)
    search_and_open(qtbot, window, PARTIAL, PARTIAL)
    window.quote_panel.set_cancel_at(china(2024, 7, 15, 12, 0))
    settle()
    view = window.instance_panel.view
    rows = view.model().rowCount()
    assert rows == 7
    # Every order on screen, no inner vertical scrolling…
    assert sum(view.rowHeight(r) for r in range(rows)) <= view.viewport().height()
    # …and breakdown, channel and missing facts without side scrolling.
    assert right_edge(view, ORDER_COLUMN["missing"]) <= view.viewport().width()
    for key in ("cash", "prepaid_card", "voucher", "coupon", "channel"):
        assert view.columnWidth(ORDER_COLUMN[key]) >= view.sizeHintForColumn(ORDER_COLUMN[key])

    # The per-order quote table: every column on screen, flags in full (wrapped if need be).
    quote_view = window.quote_panel.orders_view
    model = window.quote_panel.orders_model
    assert quote_view.horizontalHeader().length() <= quote_view.viewport().width()
    assert quote_view.wordWrap()
    for r in range(model.rowCount()):
        assert quote_view.rowHeight(r) >= quote_view.sizeHintForRow(r)
        checks = model.data(model.index(r, 9))
        order_id = model.data(model.index(r, 0))
        tip = model.data(model.index(r, 9), 3)  # ToolTipRole
        if order_id == PARTIAL_MISSING:
            assert checks == "missing payment channel" and "Blocks the quote" in tip
        else:
            assert checks == "ASSUMED-NOT-INVOICED"
            assert "Invoice and marketplace are not set" in tip  # the full explanation
    from refund_desk.ui.quote_orders_box import ORDERS_WRAPPED

    metrics = quote_view.fontMetrics()
    for column in range(model.columnCount() - 1):  # Days used and the rest: never cut
        if column in ORDERS_WRAPPED:  # route and destinations wrap at spaces, never in a word
            words = [
                w
                for r in range(model.rowCount())
                for w in model.data(model.index(r, column)).split()
            ]
            widest = max(metrics.horizontalAdvance(w) for w in words)
            assert quote_view.columnWidth(column) >= widest + 4, column
            continue
        assert quote_view.columnWidth(column) >= quote_view.sizeHintForColumn(column), column
    save(window, "seven-orders", tmp_path)
    window.quote_scroll.verticalScrollBar().setValue(window.quote_panel.orders_box.y())
    save(window, "seven-orders-quote-table", tmp_path)


def test_the_orders_pane_fits_the_instance_until_the_operator_drags_it(qtbot, window):
    window.resize(1440, 900)
    search_and_open(qtbot, window, EX1, EX1)
    one_order = window.right_split.sizes()[0]
    search_and_open(qtbot, window, PARTIAL, PARTIAL)
    seven_orders = window.right_split.sizes()[0]
    assert seven_orders > one_order
    window.right_split.moveSplitter(200, 1)
    window.right_split.splitterMoved.emit(200, 1)  # as a drag does
    chosen = window.right_split.sizes()
    search_and_open(qtbot, window, EX1, EX1)
    assert window.right_split.sizes() == chosen


def test_ids_stay_readable_when_longer_ones_come_further_down(qtbot, make_window, tmp_path):
    """60 short instance ids, then 40 long ones, then a second page: scrolled to the bottom,
    every id fetched is still read in full (widths follow all the rows fetched, not only the
    rows that were on screen when the page arrived)."""
    from dataclasses import replace

    from refund_desk.demo_data import bulk_orders, write_exports
    from tests.helpers.desk_fixtures import import_into_new_db

    orders = []
    for i, order in enumerate(bulk_orders(150, seed=9, accounts=3)):
        long_id = i >= 60 and i < 100
        iid = f"iot-cn-0pp1lkd{i:06d}x" if long_id else f"iot-{i:06d}b"
        orders.append(replace(order, instance_ids=(iid,)))
    write_exports(orders, tmp_path / "mixed")
    db = import_into_new_db(tmp_path / "mixed", tmp_path / "mixed.db")

    window = make_window(db, size=(1440, 900))
    lookup = window.lookup
    lookup.search_edit.setText("iot-")
    lookup.run_search()
    qtbot.waitUntil(lambda: lookup.model.rowCount() >= 100)
    while lookup.model.canFetchMore():
        lookup.model.fetchMore()
        settle()
    assert lookup.model.rowCount() == 150
    lookup.view.scrollToBottom()
    settle()
    view, model = lookup.view, lookup.model
    bold = QFont(view.font())
    bold.setBold(True)
    ids = [model.hit(row).id for row in range(model.rowCount())]
    assert ids[0].startswith("iot-0") and ids[-1].startswith("iot-cn-")
    for row in range(model.rowCount()):
        hit = model.hit(row)
        metrics = QFontMetrics(bold if hit.exact else view.font())
        assert metrics.horizontalAdvance(hit.id) + 6 <= view.columnWidth(1), hit.id
    for column in range(3):  # as wide as Qt's own measure of every row fetched
        assert view.columnWidth(column) >= view.sizeHintForColumn(column), column


def test_order_hits_are_not_elided_by_a_fraction_of_a_pixel(qtbot, window):
    """Order ids and "Order" measure a fraction over a whole pixel: the columns round up."""
    window.resize(1440, 900)
    lookup = window.lookup
    lookup.search_edit.setText("2")
    lookup.run_search()
    qtbot.waitUntil(lambda: lookup.model.rowCount() > 0)
    settle()
    view, model = lookup.view, lookup.model
    assert any(model.hit(row).kind == "order" for row in range(model.rowCount()))
    header = view.horizontalHeader()
    header.setResizeContentsPrecision(-1)  # Qt's measure below: every row, not a sample
    for column in range(3):
        assert view.columnWidth(column) >= view.sizeHintForColumn(column), column
