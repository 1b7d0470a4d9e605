"""The training database: a role-training store, scenarios loaded through the desk's importer
and quoted from it exactly as directly, practice cases recorded as in real work; the operator's
database is never touched."""

from __future__ import annotations

import pytest

from refund_desk.policy import quote_to_dict
from refund_desk.training.database import (
    TrainingDatabaseError,
    load_scenario,
    open_training_store,
    quote_from_store,
    record_practice_case,
    scenario_csv,
)

# The release dialog also asks whether the customer was asked about open assumptions.
ASKED = ("ASSUMED-NOT-INVOICED", "ASSUMED-TZ")


@pytest.fixture()
def store(tmp_path):
    s = open_training_store(tmp_path / "training.db")
    yield s
    s.close()


def test_every_starter_scenario_round_trips_through_the_importer(store, starter_quotes):
    for sid, (scenario, direct) in starter_quotes.items():
        load_scenario(store, scenario)
        via_store = quote_from_store(store, scenario)
        assert quote_to_dict(via_store) == quote_to_dict(direct), sid


def test_csv_keeps_missing_data_missing(starter_pack):
    text = scenario_csv(starter_pack.scenario("H22-data-missing"))
    renewal = next(line for line in text.splitlines() if line.startswith("250000000002202"))
    cells = renewal.split(",")
    assert cells[12] == "" and cells[16] == "", "cash and channel stay blank"


def test_default_path_and_role(_isolated_dirs):
    from refund_desk.paths import operator_db_path, training_db_path

    s = open_training_store()
    try:
        assert s.role == "training"
        assert training_db_path().exists()
        assert not operator_db_path().exists()
    finally:
        s.close()


def test_a_fresh_session_starts_empty(tmp_path, starter_pack):
    path = tmp_path / "training.db"
    s = open_training_store(path)
    load_scenario(s, starter_pack.scenario("E03-example-1-alipay-voucher"))
    s.close()
    s = open_training_store(path, fresh=False)
    assert s.get_instance("iot-cn-tr0ex03") is not None
    s.close()
    s = open_training_store(path)
    try:
        assert s.get_instance("iot-cn-tr0ex03") is None
    finally:
        s.close()


def test_never_replaces_a_database_that_is_not_for_training(tmp_path, _isolated_dirs):
    from refund_desk.paths import operator_db_path
    from refund_desk.store import open_store

    other = tmp_path / "desk.db"
    open_store(other).close()  # role operator
    before = other.read_bytes()
    with pytest.raises(TrainingDatabaseError, match="not a training database"):
        open_training_store(other)
    assert other.read_bytes() == before
    with pytest.raises(TrainingDatabaseError, match="desk's own database"):
        open_training_store(operator_db_path())


def test_practice_cases_as_in_real_work(store, starter_pack):
    from refund_desk.services.cases import ReleaseConfirmation

    scenario = starter_pack.scenario("E03-example-1-alipay-voucher")
    load_scenario(store, scenario)
    q = quote_from_store(store, scenario)
    ok = ReleaseConfirmation(scenario.instance_id, True, scenario.instance_id, customer_asked=ASKED)
    recorded, refused = record_practice_case(store, q, ok, "Li Wei")
    assert refused is None and recorded.created
    case = store.get_case(recorded.case_id)
    assert case.instance_id == scenario.instance_id and case.confirmed
    blocked = starter_pack.scenario("H22-data-missing")
    load_scenario(store, blocked)
    q = quote_from_store(store, blocked)
    recorded, refused = record_practice_case(
        store,
        q,
        ReleaseConfirmation(blocked.instance_id, True, blocked.instance_id, customer_asked=ASKED),
        "Li Wei",
    )
    assert recorded is None and "blocked" in refused
    assert len(store.list_cases()) == 1


def test_a_recorded_case_becomes_an_anonymised_scenario(store, starter_pack):
    from refund_desk.errors import UnknownInstanceError
    from refund_desk.services.cases import ReleaseConfirmation
    from refund_desk.training.authoring import case_state, scenario_from_state

    scenario = starter_pack.scenario("M06-invoiced")
    load_scenario(store, scenario)
    q = quote_from_store(store, scenario)
    recorded, _ = record_practice_case(
        store,
        q,
        ReleaseConfirmation(scenario.instance_id, True, scenario.instance_id, customer_asked=ASKED),
        "Li Wei",
    )
    instance, cancel_at, options = case_state(store, recorded.case_id)
    assert instance.instance_id == scenario.instance_id and cancel_at == scenario.cancel_at
    assert options[scenario.orders[0].order_id].invoiced is True
    authored = scenario_from_state(
        instance, cancel_at, options, scenario_id="A-case", title="From case", request="r"
    )
    assert authored.instance_id != scenario.instance_id
    again = authored.quote()
    assert (again.total_refund, again.by_destination, again.advice) == (
        q.total_refund,
        q.by_destination,
        q.advice,
    )
    with pytest.raises(UnknownInstanceError):
        case_state(store, 999)
