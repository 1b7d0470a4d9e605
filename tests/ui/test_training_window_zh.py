"""Training mode once in Simplified Chinese, driven by keys and clicks (issue 13): the scenario
told in Chinese, one answer right and one wrong, the grade and its explanations in Chinese
(¥ amounts, 2024年3月12日 dates, rule ids untouched), the end page, the trainer's report, its CSV
with Chinese headings and its PDF with an embedded CJK font (pdffonts, pdftoppm, pdftotext).
A pack without Chinese text is shown in English with a note, and the other way round."""

from __future__ import annotations

import csv
import json
import re
import shutil
import subprocess
from datetime import UTC, datetime, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QCheckBox, QLineEdit, QPushButton

from refund_desk import wording
from refund_desk.training.pack import builtin_packs_dir
from refund_desk.training.results import ResultsLog
from refund_desk.ui.training.window import PAGE_DONE, PAGE_FEEDBACK, PAGE_RUN, TrainingWindow
from tests.helpers.clock import SteppingClock as Clock
from tests.helpers.keyboard import back_to, chord, click, replace_text, type_text, wait_active

STARTER = builtin_packs_dir() / "starter.json"
OLD_FORMAT = builtin_packs_dir().parents[1] / "tests" / "training" / "fixtures"
OLD_FORMAT = OLD_FORMAT / "old-format-pack.json"
CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture()
def chinese(_isolated_dirs):
    """The interface in Simplified Chinese for the test (conftest puts English back)."""
    wording.set_language(wording.ZH_CN)
    yield
    wording.set_language(wording.EN)


def make_window(qtbot, tmp_path, clock, packs):
    w = TrainingWindow(
        pack_paths=packs,
        results=ResultsLog(tmp_path / "results.jsonl"),
        clock=clock,
        training_db=tmp_path / "training.db",
    )
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    w.activateWindow()
    wait_active(qtbot, w)
    return w


def click_items(qtbot, window, *scenario_ids):
    """Ctrl+click each scenario in the list, as a trainer picks them."""
    lst = window.scenario_list
    lst.clearSelection()
    for i in range(lst.count()):
        item = lst.item(i)
        if item.data(Qt.ItemDataRole.UserRole)[1] in scenario_ids:
            lst.scrollToItem(item)
            qtbot.mouseClick(
                lst.viewport(),
                Qt.MouseButton.LeftButton,
                Qt.KeyboardModifier.ControlModifier,
                lst.visualItemRect(item).center(),
            )


def choose(combo, index):
    """Pick entry ``index`` of a (closed) combo box with the Down/Up keys."""
    combo.setFocus()
    while combo.currentIndex() < index:
        chord(combo, "Down")
    while combo.currentIndex() > index:
        chord(combo, "Up")


def fill(qtbot, window, *, outcome, dest, amount, total, day, warn):
    back_to(qtbot, window)  # offscreen has no window manager to reactivate it after a dialog
    form = window.answer_form
    choose(form.outcome_combo, form.outcome_combo.findData(outcome))
    choose(form.dest_combos[0], form.dest_combos[0].findData(dest))
    form.amount_edits[0].setFocus()
    type_text(window, amount)
    form.total_edit.setFocus()
    type_text(window, total)
    form.processed_edit.setFocus()
    replace_text(window, day)
    form.warning_boxes[warn].setFocus()
    chord(window, "Space")
    assert form.warning_boxes[warn].isChecked()


def test_training_run_in_chinese_by_keys_and_clicks(qtbot, tmp_path, chinese):
    from refund_desk.policy import Outcome

    clock = Clock()
    window = make_window(qtbot, tmp_path, clock, [STARTER])
    assert window.windowTitle() == "培训 — 退款工作台"
    assert window.banner.text().startswith("培训模式 — 虚构客户的练习场景")
    assert window.start_button.text() == "开始培训(&S)"
    first = window.scenario_list.item(2).text()
    assert first == "starter / E03-example-1-alipay-voucher — 用支付宝和代金券购买的企业版实例  ★"

    click_items(qtbot, window, "E03-example-1-alipay-voucher", "H19-example-3-cutoff-utc")
    window.name_edit.setFocus()
    type_text(window, "李伟")
    click(window.start_button)
    assert window.pages.currentIndex() == PAGE_RUN, window.start_error_label.text()
    view = window.scenario_view
    assert view.title_label.text().startswith("场景 1/2 — 用支付宝和代金券购买的企业版实例")
    assert "我们1月用支付宝和一张200元的代金券购买了企业版" in view.request_label.text()
    assert view.language_note.isHidden()
    assert window.progress_label.text() == "学员 李伟 — 第 1 个场景，共 2 个"
    headings = [
        view.orders_table.verticalHeaderItem(r).text() for r in range(view.orders_table.rowCount())
    ]
    assert headings[:3] == ["订单号", "订单类型", "支付状态"] and "代金券" in headings
    assert view.orders_table.item(1, 0).text() == "新购 (New)"

    # 1. Example 1 answered right; the release confirmation goes through.
    fill(
        qtbot,
        window,
        outcome=Outcome.REFUNDABLE,
        dest="alipay",
        amount="764.00",
        total="764.00",
        day="2024-03-12",
        warn="WARN-RELEASE-DELETE",
    )
    # The desk's words for the destination, as in the grade and the quote.
    assert window.answer_form.dest_combos[0].currentText() == "支付时使用的支付宝账户"
    clock.advance(95)
    click(window.submit_button)
    assert window.answer_error_label.text() == ""
    qtbot.waitUntil(lambda: window.confirm_dialog is not None and window.confirm_dialog.isVisible())
    dialog = window.confirm_dialog
    wait_active(qtbot, dialog)
    assert dialog.windowTitle().startswith("培训 — ")
    agreed = dialog.findChild(QCheckBox, "agreed")
    agreed.setFocus()
    chord(dialog, "Space")
    assert agreed.isChecked()
    dialog.findChild(QLineEdit, "typed_instance_id").setFocus()
    type_text(dialog, "iot-cn-tr0ex03")
    assert dialog.findChild(QPushButton, "confirm").isEnabled()
    click(dialog.findChild(QPushButton, "confirm"))
    qtbot.waitUntil(lambda: window.pages.currentIndex() == PAGE_FEEDBACK)
    fb = window.feedback_view
    assert (
        fb.summary_label.text()
        == "7 项中答对 7 项 — 用支付宝和代金券购买的企业版实例（用时 1分35秒）"
    )
    table = fb.table
    assert [table.horizontalHeaderItem(c).text() for c in range(4)] == [
        "项目",
        "评判",
        "标准答案（规则引擎）",
        "你的答案",
    ]
    rows = {table.item(r, 0).text(): table.item(r, 2).text() for r in range(table.rowCount())}
    assert rows["结论"] == "可通过工单退款"
    assert rows["退款总额"] == "¥764.00"
    assert rows["预计处理完成日期"] == "2024年3月12日"
    assert rows["释放确认"] == "已确认，已记录退款记录"
    assert {table.item(r, 1).text() for r in range(table.rowCount())} == {"✓ 正确"}
    text = fb.explanation_text()
    assert "全部正确。" in text and "练习退款记录 #1 已记入培训数据库" in text

    # 2. Example 3 answered wrong: the original route instead of the account balance.
    click(window.next_button)
    assert window.pages.currentIndex() == PAGE_RUN
    fill(
        qtbot,
        window,
        outcome=Outcome.REFUNDABLE,
        dest="alipay",
        amount="2350.00",
        total="2350.00",
        day="2019-06-04",
        warn="WARN-RELEASE-DELETE",
    )
    clock.advance(240)
    click(window.submit_button)
    qtbot.waitUntil(lambda: window.confirm_dialog is not None and window.confirm_dialog.isVisible())
    click(window.confirm_dialog.findChild(QPushButton, "cancel"))
    qtbot.waitUntil(lambda: window.pages.currentIndex() == PAGE_FEEDBACK)
    wrong = {
        table.item(r, 0).text()
        for r in range(table.rowCount())
        if table.item(r, 1).text() == "✗ 错误"
    }
    assert wrong == {"退款去向及金额", "待核实（标记）", "释放确认"}
    text = fb.explanation_text()
    assert "退款去向及金额：应为 ¥2,350.00 退至" in text
    assert "待核实（标记）：应为 BORDERLINE-CUTOFF；你的答案是 无" in text
    assert "释放确认：应为 已确认，已记录退款记录；你的答案是 未记录退款记录" in text
    # Rule ids are never translated.
    assert "规则：" in text and "ROUTE-LATE" in text and "DATE-CUTOFF" in text
    assert "[订单 190000000001901]" in text
    assert window.next_button.text() == "完成(&F)"
    click(window.next_button)
    assert window.pages.currentIndex() == PAGE_DONE
    assert window.done_label.text().startswith(
        "李伟 的培训已结束：作答 2 个场景，14 项中答对 11 项，用时 5分35秒。结果已保存到 "
    )

    # The saved results carry the Chinese words the trainee saw, and the same marks.
    results, problems = window.results.read()
    assert problems == []
    assert [(r.scenario_title, r.score) for r in results] == [
        ("用支付宝和代金券购买的企业版实例", 7),
        ("在截止日支付（UTC导出）", 4),
    ]

    # The trainer's report, in Chinese.
    click(window.findChild(QPushButton, "done_report"))
    report = window.report_dialog
    qtbot.waitExposed(report)
    assert report.windowTitle() == "培训 — 培训报告 — 退款工作台"
    assert report.summary_label.text() == "李伟：14 项中答对 11 项（79 %），用时 5分35秒"
    heads = [report.rules_table.horizontalHeaderItem(c).text() for c in range(5)]
    assert heads == ["规则编号", "标题", "正确", "评分项", "得分"]
    missed = report.scenarios_table.item(1, 5).text()
    assert missed == "退款去向及金额、待核实（标记）、释放确认"

    csv_path = report.export_csv(tmp_path / "报告.csv")
    assert csv_path.read_bytes().startswith(b"\xef\xbb\xbf")  # BOM: spreadsheets read Chinese
    with csv_path.open(encoding="utf-8-sig", newline="") as fh:
        table_rows = list(csv.reader(fh))
    assert table_rows[0] == [
        "学员",
        "类别",
        "编号",
        "标题",
        "正确数",
        "评分项数",
        "百分比",
        "作答次数",
        "用时（秒）",
        "答错项",
    ]
    assert table_rows[1] == ["李伟", "合计", "", "全部场景", "11", "14", "78.6", "2", "335", ""]
    rule_rows = [r for r in table_rows if r[1] == "规则"]
    assert "ROUTE-LATE" in {r[2] for r in rule_rows}
    scen = [r for r in table_rows if r[1] == "场景"]
    assert scen[1][2:4] == ["H19-example-3-cutoff-utc", "在截止日支付（UTC导出）"]
    assert scen[1][9] == "退款去向及金额、待核实（标记）、释放确认"

    pdf = report.export_pdf(tmp_path / "report.pdf")
    check_chinese_pdf(pdf, tmp_path, must_contain=("培训报告", "李伟", "按规则得分", "5分35秒"))


def check_chinese_pdf(pdf, tmp_path, must_contain):
    """The PDF embeds a CJK font (pdffonts), its text is the Chinese written (pdftotext), and
    its first page renders (pdftoppm) with ink where the title is."""
    for tool in ("pdffonts", "pdftoppm", "pdftotext"):
        if not shutil.which(tool):
            pytest.skip(f"{tool} (poppler-utils) is not installed: .ci/run installs it")
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True)
    lines = fonts.stdout.splitlines()[2:]
    cjk = [
        line
        for line in lines
        if re.search(
            r"WenQuanYi|MicroHei|YaHei|PingFang|SimSun|SimHei|NotoSansCJK|SourceHanSans|Heiti",
            line.replace(" ", ""),
            re.IGNORECASE,
        )
    ]
    assert cjk, f"no CJK font in the PDF:\n{fonts.stdout}"
    assert all(line.split()[-5] == "yes" for line in cjk), f"CJK font not embedded:\n{fonts.stdout}"
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    for words in must_contain:
        assert words in text, (words, text[:500])
    subprocess.run(
        ["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "zh")],
        check=True,
    )
    (png,) = tmp_path.glob("zh*.png")
    image = QImage(str(png))
    assert image.width() > 300
    # The trainee's name in 18 pt bold under the orange heading: dark ink in the top band.
    dark = sum(
        1
        for x in range(0, image.width() // 3)
        for y in range(image.height() // 20, image.height() // 8)
        if image.pixelColor(x, y).lightness() < 80
    )
    assert dark > 30


def test_pdf_in_chinese_of_an_empty_report(qapp, tmp_path, chinese):
    from refund_desk.training.report import build_report
    from refund_desk.ui.training.report_pdf import cjk_font_family, write_report_pdf

    assert cjk_font_family() is not None, "no CJK font found: install fonts-wqy-microhei"
    t0 = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
    pdf = write_report_pdf(build_report([], generated_at=t0), tmp_path / "empty.pdf")
    check_chinese_pdf(
        pdf, tmp_path, must_contain=("还没有培训结果", "2026年11月30日 17:00 北京时间")
    )


def test_english_report_prints_a_chinese_name_with_the_cjk_font(qapp, tmp_path, _isolated_dirs):
    """An English report keeps its English words and still prints a Chinese trainee's name."""
    from refund_desk.training.grading import Answer, grade
    from refund_desk.training.pack import load_pack
    from refund_desk.training.report import build_report
    from refund_desk.training.results import AttemptResult
    from refund_desk.ui.training.report_pdf import write_report_pdf

    s = load_pack(STARTER).scenario("E04-alipay-simple")
    g = grade(s.quote(), Answer(outcome=None), scenario_id=s.scenario_id, lang="en")
    t0 = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
    result = AttemptResult.from_grade("王芳", "starter", s.title, g, t0, t0 + timedelta(seconds=42))
    pdf = write_report_pdf(build_report([result], generated_at=t0), tmp_path / "en.pdf", lang="en")
    check_chinese_pdf(pdf, tmp_path, must_contain=("王芳", "Score by rule", "TRAINING"))


def test_a_pack_without_chinese_is_shown_in_english_with_a_note(qtbot, tmp_path, chinese):
    window = make_window(qtbot, tmp_path, Clock(), [OLD_FORMAT])
    titles = [window.scenario_list.item(i).text() for i in range(window.scenario_list.count())]
    assert "old-format / E01-new-public — A free public instance（英文）  ★" in titles
    click_items(qtbot, window, "E03-example-1-alipay-voucher")
    window.name_edit.setFocus()
    type_text(window, "陈静")
    click(window.start_button)
    view = window.scenario_view
    assert "We bought the Enterprise Edition in January" in view.request_label.text()
    assert view.language_note.isVisible()
    assert view.language_note.text() == "此场景没有中文文本，以英文显示。"


def test_a_chinese_only_pack_in_an_english_window(qtbot, tmp_path, _isolated_dirs):
    data = json.loads(STARTER.read_text(encoding="utf-8"))
    data["pack_id"] = "zh-only"
    scenario = next(s for s in data["scenarios"] if s["id"] == "E04-alipay-simple")
    scenario["title"] = {"zh_CN": scenario["title"]["zh_CN"]}
    scenario["request"] = {"zh_CN": scenario["request"]["zh_CN"]}
    data["scenarios"] = [scenario]
    pack = tmp_path / "zh-only.json"
    pack.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    window = make_window(qtbot, tmp_path, Clock(), [pack])
    assert window.scenario_list.item(0).text().endswith("— 购买十天，支付宝支付 (in Chinese)  ★")
    window.name_edit.setFocus()
    type_text(window, "Chen Jing")
    click(window.start_button)
    view = window.scenario_view
    assert "我十天前误购了错误的版本" in view.request_label.text()
    assert view.language_note.text() == "This scenario has no English text; shown in Chinese."
    assert view.language_note.isVisible()
    assert not CJK.search(window.submit_button.text())


def test_cjk_font_found_from_its_file_when_no_family_is_listed(qapp, monkeypatch, tmp_path):
    """Without a CJK family known to fontconfig, the PDF loads a known font file (here
    Debian's wqy-microhei.ttc, installed by .ci/run)."""
    from PySide6.QtGui import QFontDatabase

    from refund_desk.ui.training import report_pdf as pdf

    wqy = tmp_path / "fonts" / "wqy-microhei.ttc"
    system = pdf.Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")
    if not system.is_file():
        pytest.skip("fonts-wqy-microhei is not installed: .ci/run installs it")
    wqy.parent.mkdir()
    shutil.copyfile(system, wqy)
    monkeypatch.setattr(QFontDatabase, "families", staticmethod(lambda *a: []))
    monkeypatch.setattr(pdf, "_cjk_font_files", lambda: [tmp_path / "missing.ttc", wqy])
    pdf.cjk_font_family.cache_clear()
    try:
        assert pdf.cjk_font_family() == "WenQuanYi Micro Hei"
        monkeypatch.setattr(pdf, "_cjk_font_files", lambda: [tmp_path / "missing.ttc"])
        pdf.cjk_font_family.cache_clear()
        assert pdf.cjk_font_family() is None
    finally:
        pdf.cjk_font_family.cache_clear()


@pytest.mark.parametrize(
    ("scenario_id", "words"),
    [
        (
            "X25-several-instances",
            "已阻止： 订单 240000000002501 包含多个实例：请升级处理，款项无法拆分",
        ),
        ("H22-data-missing", "已阻止： 订单 250000000002202：尚未导入，请先导入再提交工单"),
    ],
)
def test_a_blocked_quote_is_explained_in_chinese(qtbot, tmp_path, chinese, scenario_id, words):
    from refund_desk.training.grading import Answer
    from refund_desk.training.pack import load_pack
    from refund_desk.training.session import TrainingSession
    from refund_desk.ui.training.feedback_view import TrainingFeedbackView

    s = load_pack(STARTER).scenario(scenario_id)
    session = TrainingSession("李伟", [s], results=ResultsLog(tmp_path / "r.jsonl"))
    session.start(0)
    feedback = session.submit(Answer(outcome=None))
    assert feedback.quote.blocking
    view = TrainingFeedbackView()
    qtbot.addWidget(view)
    view.show_feedback(feedback)
    assert view.explanation_text().splitlines()[-1] == words


def test_authoring_in_chinese_saves_both_languages(qtbot, tmp_path, chinese):
    from refund_desk.training.pack import load_pack
    from refund_desk.ui.training.author_dialog import TrainingAuthorDialog

    source = load_pack(STARTER).scenario("M06-invoiced")
    dialog = TrainingAuthorDialog(
        source.instance_input(),
        source.cancel_at,
        source.options,
        pack_path=tmp_path / "authored.json",
    )
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    wait_active(qtbot, dialog)
    assert dialog.windowTitle() == "培训 — 从退款试算新建场景 — 退款工作台"
    for edit, text in (
        (dialog.id_edit, "A01-invoice"),
        (dialog.title_edit, "已开票，来自真实案例"),
        (dialog.request_edit, f"客户说实例 {source.instance_id} 已开发票，请退款。"),
        (dialog.other_title_edit, "Invoice, from a real case"),
        (dialog.other_request_edit, f"Instance {source.instance_id} was invoiced; refund please."),
    ):
        edit.setFocus()
        type_text(dialog, text)
    path = dialog.save()
    saved = json.loads(path.read_text(encoding="utf-8"))["scenarios"][0]
    assert saved["title"] == {"zh_CN": "已开票，来自真实案例", "en": "Invoice, from a real case"}
    assert set(saved["request"]) == {"zh_CN", "en"}
    assert source.instance_id not in json.dumps(saved["request"], ensure_ascii=False)
    authored = load_pack(path).scenario("A01-invoice")
    assert authored.request_in("zh_CN").text.startswith("客户说实例 iot-cn-trn")
    assert authored.request_in("en").text.endswith("was invoiced; refund please.")


def test_every_chinese_character_of_training_has_a_glyph_in_the_pdf_font(qapp):
    """No tofu in the report or the window: the CJK font found has a glyph for every Chinese
    character of the training catalog and of the starter pack's Chinese texts."""
    from babel.messages.pofile import read_po
    from PySide6.QtGui import QFont, QRawFont

    from refund_desk.training.pack import load_pack
    from refund_desk.ui.training.report_pdf import cjk_font_family

    family = cjk_font_family()
    assert family, "no CJK font found: install fonts-wqy-microhei"
    raw = QRawFont.fromFont(QFont(family))
    chars = set()
    with open(wording.source_catalog("zh_CN", wording.TRAINING_DOMAIN), "rb") as fh:
        for message in read_po(fh):
            strings = message.string if isinstance(message.string, tuple) else (message.string,)
            chars.update(c for s in strings for c in s if ord(c) > 0x2E7F)
    for s in load_pack(STARTER).scenarios:
        chars.update(c for c in s.requests["zh_CN"] + s.titles["zh_CN"] if ord(c) > 0x2E7F)
    assert len(chars) > 300
    missing = sorted(c for c in chars if not raw.supportsCharacter(ord(c)))
    assert missing == [], missing


def test_a_scenario_without_orders_keeps_its_texts_at_the_top(qtbot, tmp_path, chinese):
    window = make_window(qtbot, tmp_path, Clock(), [STARTER])
    window.resize(1440, 900)
    click_items(qtbot, window, "E01-new-public")
    window.name_edit.setFocus()
    type_text(window, "陈静")
    click(window.start_button)
    view = window.scenario_view
    qtbot.waitUntil(lambda: view.isVisible())
    assert view.orders_table.isHidden()
    assert view.facts_label.text().endswith("没有包年包月订单。")
    # The facts follow the request closely instead of being spread down the page.
    gap = view.facts_label.geometry().top() - view.request_label.geometry().bottom()
    assert gap < 60 and view.facts_label.geometry().bottom() < view.height() // 3
