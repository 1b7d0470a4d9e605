"""The pack schema: the starter pack loads; a malformed pack is rejected with the pack file, the
scenario and the field named, and the other packs still load."""

from __future__ import annotations

import json

import pytest

from refund_desk.errors import DeskError
from refund_desk.policy import InstanceKind
from refund_desk.training.pack import (
    PACK_SCHEMA,
    PACK_VERSION,
    PackError,
    builtin_packs_dir,
    load_pack,
    load_packs,
    parse_pack,
)

STARTER = builtin_packs_dir() / "starter.json"


def test_starter_pack_shape(starter_pack):
    assert starter_pack.pack_id == "starter"
    assert len(starter_pack.scenarios) >= 25
    ids = [s.scenario_id for s in starter_pack.scenarios]
    assert len(ids) == len(set(ids))
    difficulties = [s.difficulty for s in starter_pack.scenarios]
    assert difficulties == sorted(difficulties), "the pack goes from easy to hard"
    assert set(difficulties) == {1, 2, 3, 4, 5}
    for s in starter_pack.scenarios:
        assert s.request.strip() and s.title.strip()
        assert s.cancel_at.tzinfo is not None
        for o in s.orders:
            for moment in (o.payment_time, o.usage_start, o.usage_end):
                assert moment is None or moment.tzinfo is not None


def test_starter_pack_file_header():
    data = json.loads(STARTER.read_text(encoding="utf-8"))
    assert data["schema"] == PACK_SCHEMA == "refund-desk/training-pack"
    assert data["version"] == PACK_VERSION == 1


def test_amounts_are_exact_decimals(starter_pack):
    s = starter_pack.scenario("E03-example-1-alipay-voucher")
    (o,) = s.orders
    assert str(o.cash) == "1000.00" and str(o.voucher) == "200.00"
    assert str(o.list_price) == "1464.00"
    assert s.kind is InstanceKind.ENTERPRISE


def test_time_without_offset_is_china_time_and_flagged(starter_pack):
    s = starter_pack.scenario("M16-assumed-tz")
    assert s.cancel_at_assumed_tz
    assert s.orders[0].assumed_tz
    assert s.cancel_at.utcoffset().total_seconds() == 8 * 3600


def test_missing_breakdown_stays_missing(starter_pack):
    s = starter_pack.scenario("H22-data-missing")
    renewal = s.instance_input().orders[1]
    assert renewal.breakdown is None and renewal.channel is None


# (mutation of scenario #index, expected scenario label, expected field, words in the reason)
BREAKAGES = [
    (lambda s: s.update(title=""), "title", "non-empty"),
    (lambda s: s.pop("request"), "request", "missing"),
    (lambda s: s.update(difficulty=7), "difficulty", "1 to 5"),
    (lambda s: s["instance"].update(kind="premium"), "instance.kind", "not one of"),
    (lambda s: s["orders"][0].update(cash="12.345"), "orders[0].cash", "finer than the fen"),
    (lambda s: s["orders"][0].update(cash=1000.0), "orders[0].cash", "strings"),
    (lambda s: s["orders"][0].update(cash="-5.00"), "orders[0].cash", "negative"),
    (lambda s: s["orders"][0].update(payment_time="10 Jan 2024"), "orders[0].payment_time", "ISO"),
    (
        lambda s: s["orders"][0].update(usage_end=s["orders"][0]["usage_start"]),
        "orders[0].usage_end",
        "after usage_start",
    ),
    (lambda s: s["orders"][0].update(chanel="Alipay"), "orders[0].chanel", "unknown field"),
    (lambda s: s["orders"][0].update(invoiced="yes"), "orders[0].invoiced", "true or false"),
    (lambda s: s.update(cancel_at="tomorrow"), "cancel_at", "ISO"),
    (lambda s: s.update(cancel_at="2016-05-01T10:00:00+08:00"), "cancel_at", "no version"),
    (lambda s: s.update(options={"nope": {}}), "options.nope", "does not have"),
    (
        lambda s: s.update(options={s["orders"][0]["order_id"]: {"discount": "1.5"}}),
        "options.240000000000301.discount",
        "(0, 1]",
    ),
    (lambda s: s["expected"].update(total_refund="abc"), "expected.total_refund", "not an amount"),
    (lambda s: s["expected"].update(warnings=["WARN-NOPE"]), "expected.warnings", "not one of"),
    (lambda s: s["expected"].update(processed_by="12/03/2024"), "expected.processed_by", "date"),
]


@pytest.mark.parametrize(("mutate", "field", "words"), BREAKAGES)
def test_malformed_scenario_names_file_scenario_and_field(
    tmp_path, write_pack, starter_data, mutate, field, words
):
    scenario = starter_data["scenarios"][2]  # E03, which has orders and an expected answer
    mutate(scenario)
    path = write_pack(tmp_path / "broken.json", starter_data)
    with pytest.raises(PackError) as info:
        load_pack(path)
    err = info.value
    assert isinstance(err, DeskError)
    assert err.file == str(path)
    assert err.scenario == "E03-example-1-alipay-voucher"
    assert err.field == field
    assert words in err.reason
    assert (
        str(path) in str(err) and "E03-example-1-alipay-voucher" in str(err) and field in str(err)
    )


def test_unreadable_scenario_id_is_named_by_position(tmp_path, write_pack, starter_data):
    starter_data["scenarios"][4]["id"] = "bad id with spaces"
    path = write_pack(tmp_path / "p.json", starter_data)
    with pytest.raises(PackError) as info:
        load_pack(path)
    assert info.value.scenario == "bad id with spaces" and info.value.field == "id"
    del starter_data["scenarios"][4]["id"]
    write_pack(path, starter_data)
    with pytest.raises(PackError) as info:
        load_pack(path)
    assert info.value.scenario == "#5" and info.value.field == "id"


def test_duplicate_scenario_id(tmp_path, write_pack, starter_data):
    starter_data["scenarios"][3]["id"] = starter_data["scenarios"][2]["id"]
    with pytest.raises(PackError, match="duplicate scenario id") as info:
        load_pack(write_pack(tmp_path / "p.json", starter_data))
    assert info.value.scenario == "E03-example-1-alipay-voucher"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"schema": "something-else"}, "schema"),
        ({"version": 2}, "version"),
        ({"pack_id": ""}, "pack_id"),
        ({"scenarios": {}}, "scenarios"),
    ],
)
def test_bad_pack_header(tmp_path, write_pack, starter_data, change, field):
    starter_data.update(change)
    with pytest.raises(PackError) as info:
        load_pack(write_pack(tmp_path / "p.json", starter_data))
    assert info.value.field == field and info.value.scenario is None


def test_invalid_json_names_line_and_column(tmp_path):
    path = tmp_path / "p.json"
    path.write_text('{"schema": "refund-desk/training-pack",\n  "version": 1,,}', encoding="utf-8")
    with pytest.raises(PackError, match=r"line 2 column") as info:
        load_pack(path)
    assert info.value.file == str(path)


def test_other_packs_still_load(tmp_path, write_pack, starter_data):
    good = write_pack(tmp_path / "a-good.json", starter_data)
    bad_data = json.loads(json.dumps(starter_data))
    bad_data["pack_id"] = "other"
    bad_data["scenarios"][7]["orders"][0]["list_price"] = "lots"
    bad = write_pack(tmp_path / "b-bad.json", bad_data)
    (tmp_path / "c-notjson.json").write_text("not json", encoding="utf-8")
    result = load_packs([tmp_path])
    assert [p.path for p in result.packs] == [str(good)]
    assert len(result.scenarios) == len(starter_data["scenarios"])
    assert len(result.errors) == 2
    first = result.errors[0]
    assert first.file == str(bad)
    assert first.scenario == bad_data["scenarios"][7]["id"]
    assert first.field == "orders[0].list_price"


def test_same_pack_id_twice_is_an_error_for_the_second(tmp_path, write_pack, starter_data):
    write_pack(tmp_path / "a.json", starter_data)
    write_pack(tmp_path / "b.json", starter_data)
    result = load_packs([tmp_path])
    assert len(result.packs) == 1
    assert result.errors[0].field == "pack_id" and "already loaded" in str(result.errors[0])


def test_default_dirs_include_the_starter_pack():
    result = load_packs()
    assert any(p.pack_id == "starter" for p in result.packs)
    assert not result.errors


def test_parse_pack_in_memory(starter_data):
    pack = parse_pack(starter_data)
    assert pack.path == "<memory>"
    assert pack.scenario("E01-new-public").kind is InstanceKind.NEW_PUBLIC
    with pytest.raises(KeyError):
        pack.scenario("nope")
