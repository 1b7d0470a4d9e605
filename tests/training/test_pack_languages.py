"""Per-language scenario texts (issue 13): a scenario's title and customer request in English and
Simplified Chinese; a pack written before (plain strings) still loads as English; the window's
language picks the text, falling back to the other language."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from refund_desk.training.authoring import scenario_to_dict
from refund_desk.training.pack import PackError, load_pack, load_packs
from refund_desk.training.scenario import TEXT_LANGUAGES, pick_text
from refund_desk.training.scenario_parser import parse_scenario

OLD_FORMAT = Path(__file__).parent / "fixtures" / "old-format-pack.json"
CJK = re.compile(r"[\u4e00-\u9fff]")


def test_old_format_pack_still_loads_as_english():
    raw = json.loads(OLD_FORMAT.read_text(encoding="utf-8"))
    assert all(isinstance(s["request"], str) for s in raw["scenarios"]), "the fixture is old-format"
    pack = load_pack(OLD_FORMAT)
    s = pack.scenario("E03-example-1-alipay-voucher")
    assert s.request == raw["scenarios"][1]["request"]
    assert s.requests == {"en": s.request} and s.titles == {"en": s.title}
    assert s.request_in("en").text == s.request and not s.request_in("en").fallback
    zh = s.request_in("zh_CN")
    assert (zh.text, zh.language, zh.fallback) == (s.request, "en", True)
    # Its figures are unchanged: the same quote as the starter pack's scenario of that id.
    starter = load_pack(Path(pack.path).parents[3] / "resources" / "training" / "starter.json")
    assert s.quote().total_refund == starter.scenario(s.scenario_id).quote().total_refund


def test_old_and_new_packs_load_side_by_side(tmp_path):
    result = load_packs([OLD_FORMAT])
    assert not result.errors and [p.pack_id for p in result.packs] == ["old-format"]


def test_every_starter_scenario_has_both_languages(starter_pack):
    for s in starter_pack.scenarios:
        assert set(s.requests) == set(s.titles) == set(TEXT_LANGUAGES), s.scenario_id
        assert CJK.search(s.requests["zh_CN"]) and CJK.search(s.titles["zh_CN"]), s.scenario_id
        assert not CJK.search(s.requests["en"]), s.scenario_id
        # The English text stays the scenario's plain `request` / `title`.
        assert s.request == s.requests["en"] and s.title == s.titles["en"]


def test_starter_chinese_uses_the_glossary_terms(starter_pack):
    zh = {s.scenario_id: s.requests["zh_CN"] for s in starter_pack.scenarios}
    assert "代金券" in zh["E03-example-1-alipay-voucher"]
    assert "支付宝" in zh["E03-example-1-alipay-voucher"]
    assert "企业版" in zh["E03-example-1-alipay-voucher"]
    assert "退订" in zh["E03-example-1-alipay-voucher"]
    assert "网银" in zh["H17-example-2-day-548"]
    assert "云市场" in zh["M07-marketplace-bank"]
    assert "账户余额" in zh["H34-fallback-done"]
    assert "调休上班日" in zh["M14-national-day"]
    assert "旧版公共实例" in zh["E02-old-public"]
    # Dates as a Chinese reader writes them.
    assert "2024年1月10日" in zh["H17-example-2-day-548"]


def test_request_in_picks_the_language(starter_pack):
    s = starter_pack.scenario("M08-original-failed")
    assert s.request_in("zh_CN").text.startswith("你们退款到我们的支付宝账户")
    assert s.request_in("zh_CN").language == "zh_CN" and not s.request_in("zh_CN").fallback
    assert s.request_in("en").text.startswith("You tried to refund our Alipay account")
    assert s.title_in("zh_CN").text == "支付宝退款失败"


def test_chinese_only_scenario_falls_back_for_english(starter_data):
    data = starter_data["scenarios"][0]
    data["title"] = {"zh_CN": "只有中文"}
    data["request"] = {"zh_CN": "只有中文的请求。"}
    s = parse_scenario(data)
    assert s.request == "只有中文的请求。"  # the only text is the plain one
    en = s.request_in("en")
    assert (en.text, en.language, en.fallback) == ("只有中文的请求。", "zh_CN", True)


@pytest.mark.parametrize(
    "value, field, words",
    [
        ({"zh-CN": "请退款"}, "request.zh-CN", "unknown language (one of en, zh_CN)"),
        ({}, "request", "object of languages"),
        ({"en": "  "}, "request.en", "non-empty"),
        ({"en": "Refund please", "zh_CN": 5}, "request.zh_CN", "non-empty"),
        (["Refund please"], "request", "object of languages"),
    ],
)
def test_bad_per_language_text_is_named(starter_data, write_pack, tmp_path, value, field, words):
    starter_data["scenarios"][2]["request"] = value
    path = write_pack(tmp_path / "bad.json", starter_data)
    with pytest.raises(PackError) as info:
        load_pack(path)
    err = info.value
    assert err.scenario == starter_data["scenarios"][2]["id"]
    assert err.field == field
    assert words in str(err) and "bad.json" in str(err)


def test_pick_text_order():
    assert pick_text({"en": "a", "zh_CN": "b"}, "zh_CN").text == "b"
    assert pick_text({"zh_CN": "b"}, "en").fallback
    with pytest.raises(ValueError):
        pick_text({}, "en")


def test_round_trip_keeps_both_languages(starter_pack):
    s = starter_pack.scenario("E03-example-1-alipay-voucher")
    data = scenario_to_dict(s)
    assert data["request"] == {"en": s.requests["en"], "zh_CN": s.requests["zh_CN"]}
    again = parse_scenario(data)
    assert again.requests == s.requests and again.titles == s.titles


def test_round_trip_of_an_old_scenario_stays_a_plain_string():
    s = load_pack(OLD_FORMAT).scenario("E01-new-public")
    data = scenario_to_dict(s)
    assert isinstance(data["request"], str) and isinstance(data["title"], str)


def test_authored_chinese_request_is_saved_as_chinese(starter_pack, tmp_path):
    from refund_desk.training.authoring import save_scenario, scenario_from_state

    s = starter_pack.scenario("E04-alipay-simple")
    inst = s.instance_input()
    authored = scenario_from_state(
        inst,
        s.cancel_at,
        s.options,
        scenario_id="A02-zh",
        title="误购退订",
        request=f"客户说实例 {inst.instance_id} 是误购的，请退款。",
        language="zh_CN",
    )
    assert authored.requests.keys() == {"zh_CN"}
    assert inst.instance_id not in authored.requests["zh_CN"]  # scrubbed in Chinese text too
    path = save_scenario(tmp_path / "authored.json", authored)
    saved = json.loads(path.read_text(encoding="utf-8"))["scenarios"][0]
    assert saved["title"] == {"zh_CN": "误购退订"}
    assert saved["request"] == {"zh_CN": authored.requests["zh_CN"]}
    assert load_pack(path).scenario("A02-zh").request_in("zh_CN").text.endswith("请退款。")


def test_a_bad_pack_is_named_in_chinese_for_a_chinese_window(starter_data, write_pack, tmp_path):
    from refund_desk import wording

    starter_data["scenarios"][2]["orders"][0]["cash"] = True
    starter_data["scenarios"][4]["difficulty"] = 7
    path = write_pack(tmp_path / "room-2.json", starter_data)
    wording.set_language(wording.ZH_CN)
    try:
        with pytest.raises(PackError) as info:
            load_pack(path)
    finally:
        wording.set_language(wording.EN)
    err = info.value
    sid = starter_data["scenarios"][2]["id"]
    assert (err.scenario, err.field) == (sid, "orders[0].cash")
    assert str(err).startswith(f"{path}，场景 {sid}，字段 orders[0].cash：")
    with pytest.raises(PackError) as english:
        load_pack(path)
    assert str(english.value).startswith(f"{path}, scenario {sid}, field orders[0].cash: ")
