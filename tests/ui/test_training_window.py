"""Training mode in a real window (pytest-qt, offscreen): one scenario answered right and one
wrong, graded against the policy core, practice cases in the training database, the trainer's
report with CSV and PDF; malformed packs; authoring from the simulator; the desk's entry point."""

from __future__ import annotations

import csv
import json
import re
import shutil
import subprocess
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QCheckBox, QLineEdit, QMainWindow, QPushButton

from refund_desk.policy import Outcome
from refund_desk.training.pack import builtin_packs_dir, load_pack
from refund_desk.training.results import ResultsLog
from refund_desk.ui.training.window import PAGE_DONE, PAGE_FEEDBACK, PAGE_RUN, TrainingWindow
from tests.helpers.clock import SteppingClock as Clock
from tests.helpers.tools import require_tool

# The release dialog also asks whether the customer was asked about open assumptions.
ASKED = ("ASSUMED-NOT-INVOICED", "ASSUMED-TZ")

STARTER = builtin_packs_dir() / "starter.json"


@pytest.fixture()
def clock():
    return Clock()


@pytest.fixture()
def window(qtbot, tmp_path, clock):
    w = TrainingWindow(
        pack_paths=[STARTER],
        results=ResultsLog(tmp_path / "results.jsonl"),
        clock=clock,
        training_db=tmp_path / "training.db",
    )
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    yield w
    w.close()


def select(window, *scenario_ids):
    lst = window.scenario_list
    for i in range(lst.count()):
        item = lst.item(i)
        item.setSelected(item.data(Qt.ItemDataRole.UserRole)[1] in scenario_ids)


def answer(qtbot, window, *, outcome, dests=(), total="", processed=None, ids=()):
    form = window.answer_form
    form.outcome_combo.setCurrentIndex(form.outcome_combo.findData(outcome))
    for row, (dest, amount) in enumerate(dests):
        combo = form.dest_combos[row]
        index = combo.findData(dest)
        if index >= 0:
            combo.setCurrentIndex(index)
        else:
            combo.setEditText(dest)
        qtbot.keyClicks(form.amount_edits[row], amount)
    qtbot.keyClicks(form.total_edit, total)
    if processed is None:
        form.no_date_box.setChecked(True)
    else:
        form.processed_edit.setDate(QDate(processed.year, processed.month, processed.day))
    for rid in ids:
        box = form.warning_boxes.get(rid) or form.check_boxes[rid]
        box.setChecked(True)


def confirm(qtbot, window, instance_id, *, accept):
    qtbot.waitUntil(lambda: window.confirm_dialog is not None and window.confirm_dialog.isVisible())
    dialog = window.confirm_dialog
    assert dialog.windowTitle().startswith("TRAINING")
    if accept:
        dialog.findChild(QCheckBox, "agreed").setChecked(True)
        qtbot.keyClicks(dialog.findChild(QLineEdit, "typed_instance_id"), instance_id)
        button = dialog.findChild(QPushButton, "confirm")
        assert button.isEnabled()
    else:
        button = dialog.findChild(QPushButton, "cancel")
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def marks(window):
    table = window.feedback_view.table
    return {
        table.item(r, 0).data(Qt.ItemDataRole.UserRole): table.item(r, 1).text()
        for r in range(table.rowCount())
    }


def test_one_right_one_wrong_then_the_report(qtbot, window, clock, tmp_path, _isolated_dirs):
    assert window.banner.isVisible() and "TRAINING" in window.banner.text()
    assert window.windowTitle().startswith("TRAINING")
    assert window.scenario_list.count() >= 25
    select(window, "E03-example-1-alipay-voucher", "H19-example-3-cutoff-utc")
    qtbot.keyClicks(window.name_edit, "Li Wei")
    qtbot.mouseClick(window.start_button, Qt.MouseButton.LeftButton)
    assert window.pages.currentIndex() == PAGE_RUN and window.banner.isVisible()
    assert "Example" not in window.scenario_view.request_label.text()
    assert window.scenario_view.orders_table.columnCount() == 1

    # 1. Example 1 answered right, release confirmed.
    answer(
        qtbot,
        window,
        outcome=Outcome.REFUNDABLE,
        dests=[("alipay", "764.00")],
        total="764.00",
        processed=date(2024, 3, 12),
        ids=["WARN-RELEASE-DELETE"],
    )
    clock.advance(95)
    qtbot.mouseClick(window.submit_button, Qt.MouseButton.LeftButton)
    confirm(qtbot, window, "iot-cn-tr0ex03", accept=True)
    qtbot.waitUntil(lambda: window.pages.currentIndex() == PAGE_FEEDBACK)
    assert window.banner.isVisible()
    assert set(marks(window).values()) == {"✓ right"}
    assert window.feedback_view.summary_label.text().startswith("7 of 7 right")
    first = window.session.feedback[0]
    assert first.case_id is not None, first.case_refused
    assert "Every field is right" in window.feedback_view.explanation_text()

    # 2. Example 3 answered wrong: Alipay instead of the account balance, the cut-off flag
    #    missed, and the release not recorded.
    qtbot.mouseClick(window.next_button, Qt.MouseButton.LeftButton)
    assert window.pages.currentIndex() == PAGE_RUN
    answer(
        qtbot,
        window,
        outcome=Outcome.REFUNDABLE,
        dests=[("alipay", "2350.00")],
        total="2350.00",
        processed=date(2019, 6, 4),
        ids=["WARN-RELEASE-DELETE"],
    )
    clock.advance(240)
    qtbot.mouseClick(window.submit_button, Qt.MouseButton.LeftButton)
    confirm(qtbot, window, "iot-cn-tr0co19", accept=False)
    qtbot.waitUntil(lambda: window.pages.currentIndex() == PAGE_FEEDBACK)
    got = marks(window)
    wrong = {f for f, m in got.items() if m == "✗ wrong"}
    assert wrong == {"destinations", "checks", "confirmation"}
    text = window.feedback_view.explanation_text()
    assert "ROUTE-LATE" in text and "BORDERLINE-CUTOFF" in text and "DATE-CUTOFF" in text
    assert "not after the cut-off 2019-03-29" in text
    assert "2019-03-28 17:30 UTC, which is 2019-03-29 01:30 China time" in text
    assert "CNY 2,350.00 to Alibaba Cloud account balance" in text
    assert window.session.feedback[1].case_id is None
    assert window.next_button.text().replace("&", "") == "Finish"
    qtbot.mouseClick(window.next_button, Qt.MouseButton.LeftButton)
    assert window.pages.currentIndex() == PAGE_DONE
    assert "11 of 14 fields right" in window.done_label.text()

    # Saved results: per-field marks, rule ids, time taken.
    results, problems = window.results.read()
    assert problems == []
    assert [(r.trainee, r.scenario_id, r.score, r.seconds) for r in results] == [
        ("Li Wei", "E03-example-1-alipay-voucher", 7, 95.0),
        ("Li Wei", "H19-example-3-cutoff-utc", 4, 240.0),
    ]
    dest = next(f for f in results[1].fields if f.field == "destinations")
    assert not dest.correct and "ROUTE-LATE" in dest.rule_ids

    # The practice case is in the training database, never the operator's.
    from refund_desk.paths import operator_db_path
    from refund_desk.store import open_store

    assert not operator_db_path().exists()
    window._close_store()
    store = open_store(tmp_path / "training.db", create=False)
    try:
        assert store.role == "training"
        cases = store.list_cases()
        assert [(c.instance_id, c.total_refund) for c in cases] == [
            ("iot-cn-tr0ex03", Decimal("764.00"))
        ]
        assert cases[0].confirmed and "Li Wei" in cases[0].confirmation_text
    finally:
        store.close()

    # The trainer's report.
    window.open_report()
    dialog = window.report_dialog
    qtbot.waitExposed(dialog)
    assert dialog.trainee_combo.currentText() == "Li Wei"
    assert "11 of 14 fields right" in dialog.summary_label.text()
    assert "time taken 5 min 35 s" in dialog.summary_label.text()
    assert dialog.scenarios_table.rowCount() == 2
    assert set(dialog.chart.by_rule) == {
        dialog.rules_table.item(r, 0).text() for r in range(dialog.rules_table.rowCount())
    }
    chart = dialog.chart.grab().toImage()
    assert chart.width() > 100
    rules = {
        dialog.rules_table.item(r, 0).text(): dialog.rules_table.item(r, 4).text()
        for r in range(dialog.rules_table.rowCount())
    }
    assert rules["ROUTE-LATE"] == "0 %" and rules["ROUTE-ORIGINAL"] == "100 %"
    assert rules["BORDERLINE-CUTOFF"] == "0 %" and rules["KIND-ENTERPRISE"] == "100 %"

    csv_path = dialog.export_csv(tmp_path / "report.csv")
    rows = list(csv.DictReader(csv_path.open(encoding="utf-8-sig")))
    total = next(r for r in rows if r["section"] == "total")
    assert (total["trainee"], total["right"], total["total"], total["seconds"]) == (
        "Li Wei",
        "11",
        "14",
        "335",
    )
    pdf_path = dialog.export_pdf(tmp_path / "report.pdf")
    data = pdf_path.read_bytes()
    assert data.startswith(b"%PDF") and len(data) > 2000
    # The chart as drawn: the PDF rendered by poppler (skipped, loudly, without it; CI requires it).
    pdftoppm = require_tool("pdftoppm", "poppler-utils")
    subprocess.run(
        [
            pdftoppm,
            "-png",
            "-r",
            "60",
            "-f",
            "1",
            "-l",
            "1",
            str(pdf_path),
            str(tmp_path / "page"),
        ],
        check=True,
    )
    (png,) = tmp_path.glob("page*.png")
    image = QImage(str(png))
    assert image.width() > 300
    # The chart is drawn: green (100 %) and amber (50 %: DATE-CUTOFF 1 of 2) bars, and
    # the grey track behind the 0 % rows.
    colours = {
        image.pixelColor(x, y).name()
        for x in range(0, image.width(), 2)
        for y in range(0, image.height(), 2)
    }
    assert {"#2e7d32", "#f9a825", "#eeeeee"} <= colours


def test_answer_errors_are_shown_not_graded(qtbot, window):
    select(window, "E01-new-public")
    qtbot.keyClicks(window.name_edit, "Chen Jing")
    qtbot.mouseClick(window.start_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(window.submit_button, Qt.MouseButton.LeftButton)
    assert "outcome" in window.answer_error_label.text()
    answer(qtbot, window, outcome=Outcome.NOTHING_TO_REFUND, total="12.345")
    qtbot.mouseClick(window.submit_button, Qt.MouseButton.LeftButton)
    assert "fen" in window.answer_error_label.text()
    assert window.pages.currentIndex() == PAGE_RUN
    assert window.results.read() == ([], [])
    window.answer_form.total_edit.setText("0.00")
    qtbot.mouseClick(window.submit_button, Qt.MouseButton.LeftButton)
    assert window.confirm_dialog is None, "no release confirmation for a public instance"
    assert window.pages.currentIndex() == PAGE_FEEDBACK
    assert set(marks(window).values()) == {"✓ right"}


def test_a_name_is_required(qtbot, window):
    qtbot.mouseClick(window.start_button, Qt.MouseButton.LeftButton)
    assert "name" in window.start_error_label.text()
    assert window.session is None


def test_malformed_pack_is_named_and_the_rest_loads(qtbot, tmp_path, clock):
    packs = tmp_path / "packs"
    packs.mkdir()
    shutil.copy(STARTER, packs / "a-starter.json")
    data = json.loads(STARTER.read_text(encoding="utf-8"))
    data["pack_id"] = "room-2"
    data["scenarios"][5]["orders"][0]["voucher"] = "a lot"
    (packs / "b-room-2.json").write_text(json.dumps(data), encoding="utf-8")
    w = TrainingWindow(
        pack_paths=[packs], results=ResultsLog(tmp_path / "r.jsonl"), clock=clock, training_db=False
    )
    qtbot.addWidget(w)
    w.show()
    text = w.pack_errors_label.text()
    assert str(packs / "b-room-2.json") in text
    assert data["scenarios"][5]["id"] in text and "orders[0].voucher" in text
    assert w.pack_errors_label.isVisible()
    assert w.scenario_list.count() == len(load_pack(STARTER).scenarios)
    qtbot.keyClicks(w.name_edit, "Li Wei")
    select(w, "E02-old-public")
    assert w.start_training()
    assert w.pages.currentIndex() == PAGE_RUN
    with pytest.raises(Exception) as info:
        w.add_pack(packs / "b-room-2.json")
    assert "orders[0].voucher" in str(info.value)
    w.close()


class FakeQuotePanel:
    """What the desk's quote panel answers about the simulator's state."""

    def __init__(self, scenario):
        self.scenario = scenario

    def instance(self):
        return self.scenario.instance_input()

    def cancel_at(self):
        return self.scenario.cancel_at

    def options(self):
        return dict(self.scenario.options)


def test_entry_point_and_authoring_from_the_simulator(qtbot, tmp_path, _isolated_dirs):
    from refund_desk.training.pack import user_packs_dir
    from refund_desk.ui.training.entry import open_training

    desk = QMainWindow()
    qtbot.addWidget(desk)
    source = load_pack(STARTER).scenario("M06-invoiced")
    desk.quote_panel = FakeQuotePanel(source)
    w = open_training(desk, results=ResultsLog(tmp_path / "r.jsonl"), training_db=False)
    assert open_training(desk) is w, "a second call raises the same window"
    assert w.author_button.isEnabled()
    w.open_author()
    dialog = w.author_dialog
    qtbot.keyClicks(dialog.id_edit, "A01-invoice")
    qtbot.keyClicks(dialog.title_edit, "Invoice, from a real case")
    dialog.request_edit.setPlainText(
        f"Account {source.account_id} asks to cancel {source.instance_id}; call 13912345678."
    )
    path = dialog.save()
    assert path == user_packs_dir() / "authored.json"
    saved = path.read_text(encoding="utf-8")
    for real in (source.account_id, source.instance_id, source.orders[0].order_id, "13912345678"):
        assert real not in saved
    w.reload_packs()
    keys = [
        w.scenario_list.item(i).data(Qt.ItemDataRole.UserRole)
        for i in range(w.scenario_list.count())
    ]
    assert ("authored", "A01-invoice") in keys
    authored = load_pack(path).scenario("A01-invoice")
    assert authored.quote().total_refund == source.quote().total_refund
    # Closing the desk closes training; the next call builds a new window.
    desk.show()
    desk.close()
    qtbot.waitUntil(lambda: getattr(desk, "_training_window", None) is None)
    again = open_training(desk, results=ResultsLog(tmp_path / "r.jsonl"), training_db=False)
    assert again.isVisible() and again.banner.isVisible()
    again.close()


def test_authoring_from_a_recorded_case_of_the_desk(qtbot, tmp_path):
    from types import SimpleNamespace

    from refund_desk.services.cases import ReleaseConfirmation
    from refund_desk.training.database import (
        load_scenario,
        open_training_store,
        quote_from_store,
        record_practice_case,
    )
    from refund_desk.ui.training.entry import open_training

    source = load_pack(STARTER).scenario("H24-two-channels")
    store = open_training_store(tmp_path / "desk-like.db")
    try:
        load_scenario(store, source)
        q = quote_from_store(store, source)
        recorded, _ = record_practice_case(
            store,
            q,
            ReleaseConfirmation(source.instance_id, True, source.instance_id, customer_asked=ASKED),
            "op",
        )
        desk = QMainWindow()
        qtbot.addWidget(desk)
        desk.session = SimpleNamespace(store=store)
        w = open_training(desk, results=ResultsLog(tmp_path / "r.jsonl"), training_db=False)
        assert w.author_case_button.isEnabled()
        assert w.open_author_from_case(recorded.case_id)
        dialog = w.author_dialog
        dialog.pack_edit.setText(str(tmp_path / "cases.json"))
        qtbot.keyClicks(dialog.id_edit, "C01-two-channels")
        qtbot.keyClicks(dialog.title_edit, "Two channels, from case")
        dialog.request_edit.setPlainText("Cancel and refund both payments, please.")
        path = dialog.save()
        authored = load_pack(path).scenario("C01-two-channels")
        assert source.instance_id not in path.read_text(encoding="utf-8")
        assert authored.quote().by_destination == q.by_destination
        w.close()
    finally:
        store.close()


def test_pdf_of_an_empty_and_of_a_long_report(qapp, tmp_path):
    from dataclasses import replace as dc_replace

    from refund_desk.training.grading import grade, model_answer
    from refund_desk.training.report import build_report
    from refund_desk.training.results import AttemptResult
    from refund_desk.ui.training.report_pdf import write_report_pdf

    t0 = datetime(2026, 11, 30, 9, tzinfo=UTC)
    empty = write_report_pdf(build_report([], generated_at=t0), tmp_path / "empty.pdf")
    assert empty.read_bytes().startswith(b"%PDF")
    results = []
    for trainee in ("Li Wei", "王芳"):
        for n, s in enumerate(load_pack(STARTER).scenarios):
            q = s.quote()
            answer = model_answer(q)
            if n % 3 == 0:
                answer = dc_replace(answer, checks=frozenset())
            g = grade(q, answer, scenario_id=s.scenario_id)
            at = t0 + timedelta(minutes=n)
            results.append(
                AttemptResult.from_grade(trainee, "starter", s.title, g, at, at + timedelta(60))
            )
    pdf = write_report_pdf(build_report(results, generated_at=t0), tmp_path / "long.pdf")
    data = pdf.read_bytes()
    # One page per trainee, and each 30-row scenario table continues on a second page.
    pages = re.findall(rb"/Type\s*/Page(?![s\w])", data)
    assert len(pages) == 4
    assert len(re.findall(rb"/Type\s*/Page(?![s\w])", empty.read_bytes())) == 1
