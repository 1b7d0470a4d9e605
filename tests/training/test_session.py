"""A trainee's run: timing with an injected clock, grading and saving each answer."""

from __future__ import annotations

import pytest

from refund_desk.training.grading import Answer, model_answer
from refund_desk.training.results import ResultsLog
from refund_desk.training.session import TrainingSession
from tests.helpers.clock import SteppingClock as Clock


def test_run_times_grades_and_saves(tmp_path, starter_pack):
    clock = Clock()
    log = ResultsLog(tmp_path / "r.jsonl")
    scenarios = starter_pack.scenarios[:2]
    session = TrainingSession("Li Wei", scenarios, results=log, clock=clock)
    assert session.current is None
    with pytest.raises(RuntimeError):
        session.submit(Answer(outcome=None))
    first = session.start(0)
    clock.advance(75)
    fb = session.submit(model_answer(first.quote()))
    assert fb.grade.score == fb.grade.total
    assert fb.result.seconds == 75
    second = session.next()
    clock.advance(30)
    fb2 = session.submit(Answer(outcome=None))
    assert fb2.grade.score < fb2.grade.total
    assert session.next() is None and session.finished
    results, _ = log.read()
    assert [(r.scenario_id, r.seconds, r.pack_id) for r in results] == [
        (first.scenario_id, 75.0, "starter"),
        (second.scenario_id, 30.0, "starter"),
    ]


def test_session_needs_a_name_and_scenarios(starter_pack, tmp_path):
    log = ResultsLog(tmp_path / "r.jsonl")
    with pytest.raises(ValueError, match="name"):
        TrainingSession("  ", starter_pack.scenarios, results=log)
    with pytest.raises(ValueError, match="scenario"):
        TrainingSession("A", [], results=log)


def test_default_results_file_is_in_the_data_dir_not_the_desk_db(_isolated_dirs, starter_pack):
    from refund_desk.paths import operator_db_path

    session = TrainingSession("A", starter_pack.scenarios[:1])
    session.start(0)
    session.submit(Answer(outcome=None))
    assert session.results.path.parent == _isolated_dirs
    assert session.results.path.exists()
    assert not operator_db_path().exists()


def test_no_such_scenario_and_no_current_scenario_are_errors(starter_pack, tmp_path):
    session = TrainingSession("A", starter_pack.scenarios, results=ResultsLog(tmp_path / "r.jsonl"))
    with pytest.raises(RuntimeError, match="no scenario is being answered"):
        session.quote_current()
    for index in (-1, len(starter_pack.scenarios)):
        with pytest.raises(IndexError):
            session.start(index)
    assert session.start(0) is starter_pack.scenarios[0]
