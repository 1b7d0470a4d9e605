"""The command line in Simplified Chinese (issue 13): ``--lang zh_CN`` or ``LANG=zh_CN.UTF-8``
gives the quote text, the import summary and the errors in Chinese; rule ids stay as they are,
and JSON keeps its keys (only the ``why`` sentences follow the language)."""

from __future__ import annotations

import json

import pytest

from refund_desk.cli import main
from refund_desk.demo_data import write_reference_exports

EX1 = "iot-cn-7pp2mhxqz01"


@pytest.fixture
def exports(tmp_path):
    folder = tmp_path / "bss"
    write_reference_exports(folder)
    return folder


def test_import_summary_and_quote_text_in_chinese(capsys, tmp_path, exports):
    db = tmp_path / "desk.db"
    assert main(["import", "--lang", "zh_CN", "--db", str(db), str(exports)]) == 0
    summary = capsys.readouterr().out
    assert "已读取文件：" in summary and "已拒绝文件：0" in summary
    assert (
        main(
            [
                "--lang",
                "zh_CN",
                "quote",
                "--db",
                str(db),
                EX1,
                "--cancel-at",
                "2024-03-09T09:00+08:00",
            ]
        )
        == 0
    )
    text = capsys.readouterr().out
    for expected in (
        "试算结果：可通过工单退款",
        "退订时间 2024年3月9日 09:00（北京时间，日期 2024年3月9日）",
        "警告 WARN-RELEASE-DELETE — 实例立即释放，所有数据将被删除",
        "退至支付时使用的支付宝账户：¥764.00",
        "退款合计：¥764.00",
        "不可退（代金券、优惠券）：¥200.00",
        "预计处理完成日期：2024年3月12日",
        "规则依据：",
        "  AMOUNT-BASIS [241559391310333]: 可退基数 ¥1,000.00 = 现金 ¥1,000.00 + 储值卡 ¥0.00；"
        "代金券 ¥200.00 和优惠券 ¥0.00 不予退还。",
        "  DATE-CUTOFF [241559391310333]: 支付日期 2024年1月10日（北京时间），"
        "在截止日 2019年3月29日 之后。",
    ):
        assert expected in text, expected
    assert "Refund" not in text and "CNY" not in text


def test_lang_from_the_environment_and_json_why_follows_it(capsys, tmp_path, exports, monkeypatch):
    db = tmp_path / "desk.db"
    assert main(["import", "--db", str(db), str(exports)]) == 0
    assert "files read:" in capsys.readouterr().out
    monkeypatch.setenv("LANGUAGE", "")
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    assert (
        main(
            [
                "quote",
                "--db",
                str(db),
                EX1,
                "--cancel-at",
                "2024-03-09T09:00+08:00",
                "--format",
                "json",
            ]
        )
        == 0
    )
    data = json.loads(capsys.readouterr().out)
    assert data["total_refund"] == "764.00" and data["outcome"] == "refundable"
    why = {item["rule"]: item["why"] for item in data["trace"]}
    assert (
        why["WARN-RELEASE-DELETE"]
        == "退款一经批准，实例将立即释放，所有数据将被永久删除且无法恢复。"
    )
    assert main(["quote", "--db", str(db), "iot-cn-nope"]) == 2
    assert "refund-desk quote:" in capsys.readouterr().err


def test_import_rejection_names_file_record_and_field_in_chinese(capsys, tmp_path, exports):
    bad = exports / "orders" / "GetOrderDetail-241559391310333.json"
    bad.write_text(bad.read_text().replace('"OrderType": "New"', '"OrderType": "Convert"'))
    assert main(["import", "--lang=zh_CN", "--db", str(tmp_path / "d.db"), str(bad)]) == 1
    out = capsys.readouterr().out
    assert "已拒绝文件：1" in out
    rejected = next(line for line in out.splitlines() if line.startswith("  已拒绝 "))
    assert "GetOrderDetail-241559391310333.json" in rejected and "，字段 OrderType" in rejected
