"""Authoring: a simulator state becomes an anonymised scenario saved into a pack."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from refund_desk.policy import OrderOptions, quote
from refund_desk.training.authoring import (
    Anonymiser,
    save_scenario,
    scenario_from_state,
    scenario_to_dict,
)
from refund_desk.training.pack import PackError, load_pack, load_packs

REAL_ACCOUNT = "1498573829450012"


def real_state(starter_pack, sid="H24-two-channels"):
    """A scenario's instance dressed up with 'real' ids, as the store would give it."""
    from dataclasses import replace

    s = starter_pack.scenario(sid)
    inst = s.instance_input()
    real_ids = {o.order_id: f"24155939131{n:04d}" for n, o in enumerate(inst.orders)}
    orders = tuple(
        replace(o, order_id=real_ids[o.order_id], instance_ids=("iot-cn-7pp2mhxqz01",))
        for o in inst.orders
    )
    inst = replace(inst, instance_id="iot-cn-7pp2mhxqz01", account_id=REAL_ACCOUNT, orders=orders)
    options = {real_ids[k]: v for k, v in s.options.items()}
    return inst, s.cancel_at, options


def author(state, **kw):
    inst, cancel_at, options = state
    args = dict(
        scenario_id="A01-two-channels",
        title="Two channels",
        request=f"Account {REAL_ACCOUNT} (call 13812345678) wants iot-cn-7pp2mhxqz01 refunded.",
        difficulty=4,
        notes=f"Recorded case of order {inst.orders[0].order_id}.",
    )
    args.update(kw)
    return scenario_from_state(inst, cancel_at, options, **args)


def test_ids_and_personal_details_are_replaced(starter_pack):
    state = real_state(starter_pack)
    s = author(state)
    text = json.dumps(scenario_to_dict(s), ensure_ascii=False)
    for real in (
        REAL_ACCOUNT,
        "iot-cn-7pp2mhxqz01",
        "13812345678",
        *(o.order_id for o in state[0].orders),
    ):
        assert real not in text
    assert s.instance_id.startswith("iot-cn-trn") and len(s.instance_id) == 18
    assert s.account_id.startswith("1999") and len(s.account_id) == 16
    assert all(o.order_id.startswith("9") and len(o.order_id) == 15 for o in s.orders)
    # Consistent within the scenario: the request and notes use the same fake ids.
    assert s.account_id in s.request and s.instance_id in s.request
    assert s.orders[0].order_id in s.notes
    assert "#" in s.request


def test_anonymisation_is_deterministic_and_salted(starter_pack):
    state = real_state(starter_pack)
    a, b = author(state), author(state)
    assert scenario_to_dict(a) == scenario_to_dict(b)
    c = author(state, salt="another room")
    assert c.instance_id != a.instance_id and c.account_id != a.account_id
    anon = Anonymiser("s")
    assert anon.order("1") != anon.order("2")
    assert anon.order("1") == anon.order("1")


def test_authored_scenario_quotes_like_the_original(starter_pack):
    inst, cancel_at, options = real_state(starter_pack)
    original = quote(inst, cancel_at, options)
    authored = author((inst, cancel_at, options)).quote()
    assert authored.total_refund == original.total_refund
    assert authored.by_destination == original.by_destination
    assert authored.processed_by == original.processed_by
    assert authored.credited_between == original.credited_between
    assert set(authored.all_ids) == set(original.all_ids)


@pytest.mark.parametrize(
    "sid",
    [
        "M16-assumed-tz",
        "H22-data-missing",
        "X25-several-instances",
        "M12-discount",
        "M08-original-failed",
        "E02-old-public",
    ],
)
def test_lessons_survive_authoring(starter_pack, sid):
    s = starter_pack.scenario(sid)
    authored = scenario_from_state(
        s.instance_input(),
        s.cancel_at,
        s.options,
        scenario_id="A",
        title="t",
        request="r",
        cancel_at_assumed_tz=s.cancel_at_assumed_tz,
    )
    a, b = authored.quote(), s.quote()
    assert set(a.all_ids) == set(b.all_ids)
    assert (a.total_refund, a.processed_by, len(a.blocking)) == (
        b.total_refund,
        b.processed_by,
        len(b.blocking),
    )


def test_save_creates_appends_refuses_duplicates(tmp_path, starter_pack):
    path = tmp_path / "room-3.json"
    s = author(real_state(starter_pack))
    save_scenario(path, s)
    pack = load_pack(path)
    assert pack.pack_id == "room-3" and [x.scenario_id for x in pack.scenarios] == [s.scenario_id]
    with pytest.raises(PackError, match="already exists") as info:
        save_scenario(path, s)
    assert info.value.scenario == s.scenario_id and info.value.field == "id"
    other = author(real_state(starter_pack, "M06-invoiced"), scenario_id="A02-invoice")
    save_scenario(path, other)
    changed = author(real_state(starter_pack), title="Two channels, revised")
    save_scenario(path, changed, replace=True)
    pack = load_pack(path)
    assert [x.title for x in pack.scenarios] == ["Two channels, revised", other.title]
    assert load_packs([tmp_path]).errors == ()


def test_save_into_a_broken_pack_leaves_it_untouched(tmp_path, starter_pack):
    path = tmp_path / "broken.json"
    path.write_text('{"schema": "refund-desk/training-pack", "version": 1}', encoding="utf-8")
    before = path.read_bytes()
    with pytest.raises(PackError):
        save_scenario(path, author(real_state(starter_pack)))
    assert path.read_bytes() == before
    assert not list(tmp_path.glob("*.tmp"))


def test_bad_author_input_is_refused(starter_pack):
    state = real_state(starter_pack)
    with pytest.raises(PackError) as info:
        author(state, difficulty=9)
    assert info.value.field == "difficulty"
    with pytest.raises(PackError) as info:
        author(state, title="  ")
    assert info.value.field == "title"
    with pytest.raises(ValueError):
        author((state[0], state[1].replace(tzinfo=None), state[2]))


def test_options_are_carried_over(starter_pack):
    inst, cancel_at, _ = real_state(starter_pack, "M05-pending-renewal")
    first = inst.orders[0].order_id
    s = scenario_from_state(
        inst,
        cancel_at,
        {first: OrderOptions(invoiced=True, discount=Decimal("0.9"))},
        scenario_id="A",
        title="t",
        request="r",
    )
    (opt,) = s.options.values()
    assert opt.invoiced is True and str(opt.discount) == "0.9"
