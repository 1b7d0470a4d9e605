"""Shared data of the desk tests: the reference database built by the real importer from the
generator's exports (never /work/shared), plus three more instances."""

from __future__ import annotations

import os
import shutil
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from refund_desk.policy import CHINA_TZ, OrderInput, PaymentBreakdown
from tests.helpers.desk_data import build_keyboard_db
from tests.helpers.keyboard import wait_active

ACCOUNT_C = "1866000000000042"
OLD_PUBLIC = "iot-cn-oldpublic001"
NO_BILL = "iot-cn-nobill000001"
PARTIAL = "iot-cn-partial000001"
PARTIAL_MISSING = "300000000000199"  # its last order: no transaction imported (channel missing)
OPERATOR = "Test Operator"


def _utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def extra_orders():
    """Two more instances: an old public (pay-as-you-go) one and an Enterprise one whose bill
    was not imported (``DATA-MISSING`` → blocked)."""
    from refund_desk.demo_data import GenOrder

    return [
        GenOrder("300000000000015", (OLD_PUBLIC,), ACCOUNT_C, "New", "PayAsYouGo", "Paid",
                 _utc("2024-02-01T02:00:00"), _utc("2024-02-01T02:00:00"),
                 _utc("2024-02-01T02:00:00"), _utc("2024-03-01T02:00:00"),
                 Decimal("30.00"), Decimal("30.00"), channel="Alipay"),
        GenOrder("300000000000029", (NO_BILL,), ACCOUNT_C, "New", "Subscription", "Paid",
                 _utc("2024-02-01T02:00:00"), _utc("2024-02-01T02:00:00"),
                 _utc("2024-02-01T02:00:00"), _utc("2025-02-01T02:00:00"),
                 Decimal("1000.00"), Decimal("1000.00"), channel="Alipay", in_bill=False),
    ] + partial_orders()  # fmt: skip


def partial_orders():
    """``PARTIAL``: seven orders — five monthly renewals (all consumed by mid-2024), a yearly
    renewal paid by Alipay (partly consumed: a positive refund) and a last renewal whose payment
    channel was never imported (``DATA-MISSING``): a quote with a known part and a blocked one."""
    from refund_desk.demo_data import GenOrder

    orders = []
    for month in range(1, 6):
        start = _utc(f"2024-{month:02d}-01T02:00:00")
        end = _utc(f"2024-{month + 1:02d}-01T02:00:00")
        orders.append(
            GenOrder(
                f"3000000000001{month:02d}",
                (PARTIAL,),
                ACCOUNT_C,
                "New" if month == 1 else "Renew",
                "Subscription",
                "Paid",
                start,
                start,
                start,
                end,
                Decimal("100.00"),
                Decimal("100.00"),
                channel="Alipay",
            )
        )
    orders.append(
        GenOrder(
            "300000000000188",
            (PARTIAL,),
            ACCOUNT_C,
            "Renew",
            "Subscription",
            "Paid",
            _utc("2024-05-25T02:00:00"),
            _utc("2024-05-25T02:00:00"),
            _utc("2024-06-01T02:00:00"),
            _utc("2025-06-01T02:00:00"),
            Decimal("1200.00"),
            Decimal("1200.00"),
            channel="Alipay",
        )
    )
    orders.append(
        GenOrder(
            PARTIAL_MISSING,
            (PARTIAL,),
            ACCOUNT_C,
            "Renew",
            "Subscription",
            "Paid",
            _utc("2024-07-01T02:00:00"),
            _utc("2024-07-01T02:00:00"),
            _utc("2025-06-01T02:00:00"),
            _utc("2026-06-01T02:00:00"),
            Decimal("1200.00"),
            Decimal("1200.00"),
            channel=None,
        )
    )
    return orders


def import_into_new_db(exports: Path, db: Path) -> Path:
    """Import the export files under ``exports`` with the real importer into a new ``db``."""
    from refund_desk.store import open_store
    from refund_desk.store.importer import import_paths

    store = open_store(db)
    try:
        summary = import_paths(store, [exports], actor="tests")
        assert not summary.rejected, summary.format()
    finally:
        store.close()
    return db


def build_reference_db(folder: Path) -> Path:
    """Write the reference exports (and the extra instances) with the generator and import
    them with the real importer into ``folder/reference.db``."""
    from refund_desk.demo_data import write_exports, write_reference_exports

    exports = folder / "exports"
    write_reference_exports(exports / "reference")
    write_exports(extra_orders(), exports / "extra")
    return import_into_new_db(exports, folder / "reference.db")


# --- shared by the window tests (moved out of test modules: tests import helpers only)
EX1 = "iot-cn-7pp2mhxqz01"
EX2 = "iot-cn-0pp1lkd8x02"
EX3 = "iot-cn-4kd0s8v1q03"
EX4 = "iot-cn-2mv7wq9e604"


def china(*args) -> datetime:
    return datetime(*args, tzinfo=CHINA_TZ)


def search_and_open(qtbot, window, term: str, instance_id: str) -> None:
    """Type ``term`` in the search field, press Enter, open the row of ``instance_id``."""
    lookup = window.lookup
    window.focus_search()
    qtbot.keyClicks(lookup.search_edit, term)
    qtbot.keyClick(lookup.search_edit, Qt.Key.Key_Return)
    model = lookup.model
    qtbot.waitUntil(lambda: model.rowCount() > 0 and not model.fetching, timeout=5000)
    rows = [r for r in range(model.rowCount()) if instance_id in model.hit(r).instance_ids]
    assert rows, f"{instance_id} not among the results of {term!r}"
    lookup.view.selectRow(rows[0])
    qtbot.waitUntil(
        lambda: (
            window.quote_panel.quote() is not None
            and window.quote_panel.quote().instance_id == instance_id
        ),
        timeout=5000,
    )


def save(widget, name: str, folder: Path) -> Path:
    for _ in range(3):
        QApplication.processEvents()
    target = Path(os.environ.get("DESK_SCREENSHOTS") or folder) / f"desk-{name}.png"
    target.parent.mkdir(parents=True, exist_ok=True)
    image = widget.grab()
    assert not image.isNull() and image.width() > 300 and image.height() > 200
    assert image.save(str(target))
    return target


def order_input(order_id, paid, start, end, channel="Alipay"):
    utc = lambda text: datetime.fromisoformat(text).replace(tzinfo=UTC)  # noqa: E731
    return OrderInput(
        order_id,
        ("iot-cn-t",),
        payment_time=utc(paid),
        usage_start=utc(start),
        usage_end=utc(end),
        list_price=Decimal("1464.00"),
        breakdown=PaymentBreakdown(Decimal("1000.00")),
        channel=channel,
    )


# --- the window the keyboard tests drive (tests/ui/conftest.py makes these fixtures visible)
KEYBOARD_NOW = datetime(2025, 1, 15, 10, 0, tzinfo=CHINA_TZ)
"""The desk's clock in the keyboard tests (test_desk_keyboard, test_desk_fresh_user)."""


def open_desk(qtbot, settings, db: Path, *, now: datetime, size=(1440, 900)):
    """A desk window as the operator has it: background work synchronous, the clock fixed at
    ``now``, resized to ``size``, shown, active (it gets the keys), opened on ``db``."""
    from refund_desk.app import build_window
    from refund_desk.services.opening import DatabaseChoice

    window = build_window(settings=settings, synchronous=True, clock=lambda: now)
    qtbot.addWidget(window)
    window.resize(*size)
    window.show()
    window.activateWindow()
    wait_active(qtbot, window)
    window.open_database(DatabaseChoice(target=str(db), explicit=True))
    assert window.session.store is not None, window.message_bar.text()
    return window


def close_desk(window) -> None:
    """Close every other visible top-level window (a dialog a test left open), the window and
    its database."""
    for widget in QApplication.topLevelWidgets():
        if widget is not window and widget.isVisible():
            widget.close()
    window.close()
    window.session.close()


@pytest.fixture(scope="session")
def keyboard_template(tmp_path_factory) -> Path:
    """The keyboard database (tests/helpers/desk_data.py), built once per session."""
    return build_keyboard_db(tmp_path_factory.mktemp("keyboard"))


@pytest.fixture
def desk_file(keyboard_template, tmp_path) -> Path:
    """A private copy of the keyboard database (a test may change it before ``desk`` opens)."""
    target = tmp_path / "desk.db"
    shutil.copyfile(keyboard_template, target)
    return target


@pytest.fixture
def desk(qtbot, settings, desk_file):
    """A window on ``desk_file``, active, with the clock at :data:`KEYBOARD_NOW`."""
    window = open_desk(qtbot, settings, desk_file, now=KEYBOARD_NOW)
    yield window
    close_desk(window)
