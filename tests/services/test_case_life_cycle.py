"""The case life cycle (RULES.md §7) through services.cases, on real SQLite files built by the
real importer: every forbidden transition refused, one open case per instance whatever the path
(stale quote, two desks racing in two processes, a kill -9 while recording), one replacement per
failed case, and recording all-or-nothing."""

from __future__ import annotations

import itertools
import multiprocessing
import os
import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from refund_desk.errors import (
    CaseError,
    CaseTransitionError,
    FallbackDoneError,
    OpenCaseExistsError,
)
from refund_desk.policy import Outcome
from refund_desk.services import cases, fallback
from refund_desk.services.cases import record_case, set_status
from refund_desk.services.quoting import quote_instance
from refund_desk.store import open_store
from tests.helpers.case_trail import (
    CANCEL_EX1,
    EX1,
    EX4,
    build_reference_db,
    confirmed,
    race_worker,
)

HELPERS = Path(__file__).resolve().parents[1] / "helpers" / "case_trail.py"


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    return build_reference_db(tmp_path_factory.mktemp("life-cycle"))


@pytest.fixture
def db(template, tmp_path) -> Path:
    target = tmp_path / "desk.db"
    target.write_bytes(template.read_bytes())
    return target


@pytest.fixture
def store(db):
    opened = open_store(db)
    yield opened
    opened.close()


def record_ex1(store, operator="Ana"):
    return record_case(
        store, quote_instance(store, EX1, CANCEL_EX1), confirmed(EX1), operator=operator
    )


def case_in(store, status: str) -> int:
    """A case of EX1 brought to ``status`` through the allowed path."""
    case_id = record_ex1(store).case_id
    path = {"drafted": [], "submitted": ["submitted"], "refunded": ["submitted", "refunded"]}
    for step in path.get(status, []):
        set_status(store, case_id, step, operator="Bo")
    if status == "failed":
        set_status(store, case_id, "failed", operator="Bo", reason="ticket rejected")
    return case_id


ALLOWED = {(a, b) for a, targets in cases.TRANSITIONS.items() for b in targets}
FORBIDDEN = [
    (a, b)
    for a, b in itertools.product(("drafted", "submitted", "refunded", "failed"), cases.STATUSES)
    if (a, b) not in ALLOWED
]


def test_the_allowed_transitions_are_the_life_cycle():
    assert ALLOWED == {
        ("drafted", "submitted"),
        ("drafted", "failed"),
        ("submitted", "refunded"),
        ("submitted", "failed"),
    }


@pytest.mark.parametrize(("start", "target"), FORBIDDEN)
def test_every_forbidden_transition_is_refused(store, start, target):
    case_id = case_in(store, start)
    entries = len(store.audit_entries(entity="case", entity_id=str(case_id)))
    with pytest.raises(CaseTransitionError, match=f"Case #{case_id} is {start}"):
        set_status(store, case_id, target, operator="Bo", reason="why not")
    assert store.get_case(case_id).status == start
    assert len(store.audit_entries(entity="case", entity_id=str(case_id))) == entries


def test_a_stale_status_loses_the_compare_and_set(store):
    case_id = record_ex1(store).case_id
    other_desk = open_store(store.url, create=False)
    try:
        set_status(other_desk, case_id, "submitted", operator="Bo")
        # The first desk still believes the case is drafted: its write must not land.
        assert not store.compare_and_set_status(case_id, "drafted", "failed", "x", "Ana")
    finally:
        other_desk.close()
    assert store.get_case(case_id).status == "submitted"
    assert store.verify_audit().intact


@pytest.mark.parametrize("start", ["refunded", "failed"])
def test_original_failed_is_refused_on_a_closed_case(store, start):
    case_id = case_in(store, start)
    with pytest.raises(CaseTransitionError):
        fallback.recompute_original_failed(store, case_id, operator="Bo", reason="bank said no")
    assert store.count_cases() == 1


def test_a_fresh_quote_shows_the_open_case_and_recording_is_refused_in_words(store):
    first = record_ex1(store, operator="Ana").case
    q = quote_instance(store, EX1, CANCEL_EX1)
    assert q.outcome is Outcome.REFUNDABLE and q.open_case.case_id == first.case_id
    with pytest.raises(CaseError) as refused:
        record_case(store, q, confirmed(EX1), operator="Bo")
    words = str(refused.value)
    assert f"case #{first.case_id} (drafted, recorded by Ana on" in words
    assert "CNY 764.00" in words and "HISTORY-OPEN-CASE" in words
    assert store.count_cases() == 1


def test_a_stale_quote_is_refused_by_the_database_naming_the_open_case(store):
    stale = quote_instance(store, EX1, CANCEL_EX1)  # before the first case
    first = record_ex1(store, operator="Ana").case
    with pytest.raises(OpenCaseExistsError) as refused:
        record_case(store, stale, confirmed(EX1), operator="Bo")
    assert refused.value.case.case_id == first.case_id
    assert str(refused.value).startswith(
        f"Instance {EX1} already has an open case: #{first.case_id} (drafted, recorded by Ana"
    )
    assert store.count_cases() == 1 and store.verify_audit().intact


def test_after_refunded_the_instance_is_already_refunded_and_nothing_more_is_recorded(store):
    from dataclasses import replace

    from refund_desk.policy import InstanceHistory, quote

    case_id = case_in(store, "refunded")
    q = quote_instance(store, EX1, CANCEL_EX1)
    assert q.outcome is Outcome.ALREADY_REFUNDED and q.total_refund == 0
    with pytest.raises(CaseError, match="already refunded"):
        record_case(store, q, confirmed(EX1), operator="Bo")
    assert store.count_cases() == 1
    # A stale refundable quote (made before the refund) is refused under the chain's lock.
    instance = store.instance_input(EX1)
    stale = quote(replace(instance, history=InstanceHistory()), CANCEL_EX1)
    with pytest.raises(CaseTransitionError, match=f"case #{case_id} is marked refunded"):
        record_case(store, stale, confirmed(EX1), operator="Bo")
    assert store.count_cases() == 1


def test_record_case_is_one_transaction(store, monkeypatch):
    """If the audit entries cannot be written, the case is not there either, and the retry
    with the same confirmation records it once."""
    from refund_desk.store import case_store

    q = quote_instance(store, EX1, CANCEL_EX1)
    confirmation = confirmed(EX1)
    real = case_store.audit_chain.append

    def disk_full(conn, entries):
        raise OSError("disk full")

    monkeypatch.setattr(case_store.audit_chain, "append", disk_full)
    with pytest.raises(OSError):
        record_case(store, q, confirmation, operator="Ana")
    assert store.count_cases() == 0 and store.audit_entries(entity="case") == []
    monkeypatch.setattr(case_store.audit_chain, "append", real)
    first = record_case(store, q, confirmation, operator="Ana")
    again = record_case(store, q, confirmation, operator="Ana")
    assert first.created and not again.created and again.case_id == first.case_id
    actions = sorted(e.action for e in store.audit_entries(entity="case"))
    assert actions == ["case.add", "case.confirm"]


def test_two_fallback_presses_at_once_record_one_replacement(store, db):
    first = record_ex1(store).case_id
    desks = [store, open_store(db, create=False)]
    barrier = threading.Barrier(2)
    outcomes: list[object] = []

    def press(desk):
        barrier.wait()
        try:
            outcomes.append(
                fallback.recompute_original_failed(desk, first, operator="Bo", reason="closed")
            )
        except CaseError as exc:
            outcomes.append(exc)

    try:
        threads = [threading.Thread(target=press, args=(d,)) for d in desks]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        desks[1].close()
    made = [o for o in outcomes if isinstance(o, cases.RecordedCase)]
    refused = [o for o in outcomes if isinstance(o, CaseError)]
    assert len(made) == 1 and len(refused) == 1
    assert isinstance(refused[0], CaseTransitionError | FallbackDoneError)
    replacements = [c for c in store.list_cases() if c.replaces_case_id == first]
    assert len(replacements) == 1
    assert replacements[0].total_refund == 764 and store.count_cases() == 2
    assert store.verify_audit().intact
    # And later: a second replacement is refused with HISTORY-FALLBACK-DONE.
    with pytest.raises(FallbackDoneError, match="HISTORY-FALLBACK-DONE"):
        fallback.recompute_original_failed(store, first, operator="Bo", reason="again")
    q = quote_instance(store, EX1, CANCEL_EX1)
    assert "HISTORY-FALLBACK-DONE" in q.rules and q.open_case.replaces_case_id == first


def test_two_processes_racing_on_one_instance_end_with_one_open_case(db):
    """Two desks (two processes) quote EX1, meet at a barrier and record at the same moment,
    24 rounds: each round exactly one case is recorded, the other desk is told which case is
    open; never two open cases."""
    rounds = 24
    ctx = multiprocessing.get_context("spawn")
    barrier = ctx.Barrier(2)
    results = ctx.Queue()
    procs = [
        ctx.Process(target=race_worker, args=(str(db), i, rounds, barrier, results))
        for i in range(2)
    ]
    for p in procs:
        p.start()
    got = [results.get(timeout=120) for _ in range(2 * rounds)]
    for p in procs:
        p.join(timeout=60)
        assert p.exitcode == 0
    by_round: dict[int, list] = {}
    for round_no, desk, what, words in got:
        by_round.setdefault(round_no, []).append((desk, what, words))
    assert sorted(by_round) == list(range(rounds))
    for round_no, outcome in by_round.items():
        kinds = sorted(what for _, what, _ in outcome)
        assert kinds == ["OpenCaseExistsError", "created"], (round_no, outcome)
        refused = next(words for _, what, words in outcome if what != "created")
        assert "already has an open case: #" in refused and "recorded by desk-" in refused
    store = open_store(db, create=False)
    try:
        assert store.count_cases() == rounds
        assert store.count_cases(status="failed") == rounds  # each closed by desk 0
        assert store.verify_audit().intact
    finally:
        store.close()


def test_kill_9_while_recording_never_leaves_a_case_without_its_entries(db):
    """A desk process is killed with SIGKILL at random moments while it records cases; after
    each kill every case has its case.add and case.confirm entries, the chain is intact, and
    the retry with the interrupted confirmation records nothing new when its case was stored."""
    rng = random.Random(20240309)
    start = 0
    env = dict(os.environ, PYTHONPATH=str(HELPERS.parents[1]))
    for _ in range(6):
        proc = subprocess.Popen(
            [sys.executable, str(HELPERS), str(db), str(start)],
            stdout=subprocess.PIPE,
            text=True,
            env=env,
        )
        first_line = proc.stdout.readline()  # the process is up and recording
        assert first_line.startswith("start kill-"), first_line
        time.sleep(rng.uniform(0.05, 0.6))
        os.kill(proc.pid, signal.SIGKILL)
        rest, _ = proc.communicate(timeout=30)
        assert proc.returncode == -signal.SIGKILL
        keys = [line.split()[1] for line in [first_line, *rest.splitlines()] if line]
        last_key = keys[-1]
        start = int(last_key.split("-")[1]) + 1

        store = open_store(db, create=False)
        try:
            for case in store.list_cases(limit=10_000):
                actions = {
                    e.action
                    for e in store.audit_entries(entity="case", entity_id=str(case.case_id))
                }
                assert {"case.add", "case.confirm"} <= actions, case.case_id
            assert store.verify_audit().intact, store.verify_audit().first
            before = store.count_cases()
            stored = store.case_by_confirmation_key(last_key)
            retry = record_case(
                store,
                quote_instance(store, EX1, CANCEL_EX1),
                confirmed(EX1, key=last_key),
                operator="Kim",
            )
            if stored is not None:
                assert not retry.created and retry.case_id == stored.case_id
                assert store.count_cases() == before
            else:
                assert retry.created and store.count_cases() == before + 1
            if retry.case.is_open:
                set_status(store, retry.case_id, "failed", operator="Kim", reason="round over")
            assert len([c for c in store.list_cases(limit=10_000) if c.is_open]) == 0
        finally:
            store.close()


def test_other_instances_are_not_held_by_an_open_case(store):
    record_ex1(store)
    q4 = quote_instance(store, EX4, CANCEL_EX1.replace(year=2025))
    assert q4.recordable
    assert record_case(store, q4, confirmed(EX4), operator="Ana").created
