"""A trainee's run: one scenario at a time, timed, graded against the policy core, saved.

What a button of the training window calls; no Qt here. The clock is injectable so tests control
the time taken.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from ..policy import Quote
from .grading import Answer, Grade, grade
from .results import AttemptResult, ResultsLog
from .scenario import Scenario
from .words import _


def _utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True, slots=True)
class Feedback:
    """What the trainee sees after answering: the core's quote, the grade and the saved record."""

    scenario: Scenario
    quote: Quote
    grade: Grade
    result: AttemptResult
    case_id: int | None = None
    case_refused: str | None = None


class TrainingSession:
    """One trainee working through a list of scenarios.

    Args:
        trainee: the trainee's name (non-empty).
        scenarios: the scenarios of the run, in order (at least one).
        results: where results are saved (default :class:`ResultsLog` in the data folder).
        pack_ids: scenario id → pack id (for the saved record); default the scenario's file stem.
        clock: returns an aware "now" (default UTC now).
        store: an open training database (``training.database.open_training_store``): each
            scenario is loaded into it through the desk's importer and quoted from it, and a
            confirmed answer records a practice case there. ``None``: quote the scenario directly.
        lang: the language of the grades' words and of the scenario titles saved with the
            results (``"zh_CN"``/``"en"``; default the interface language at the start).
    Raises:
        ValueError: empty trainee name or no scenario.
    """

    def __init__(
        self,
        trainee: str,
        scenarios: Sequence[Scenario],
        *,
        results: ResultsLog | None = None,
        pack_ids: dict[str, str] | None = None,
        clock: Callable[[], datetime] = _utc_now,
        store=None,
        lang: str | None = None,
    ):
        from .words import language

        if not trainee.strip():
            raise ValueError(_("Type the trainee's name first."))
        if not scenarios:
            raise ValueError(_("No scenario to train on: load a pack first."))
        self.lang = language(lang)
        self.trainee = trainee.strip()
        self.scenarios = tuple(scenarios)
        self.results = results or ResultsLog()
        self.pack_ids = pack_ids or {}
        self.clock = clock
        self.store = store
        self.index = -1
        self.started_at: datetime | None = None
        self.feedback: list[Feedback] = []

    @property
    def current(self) -> Scenario | None:
        """The scenario being answered, or ``None`` before the first / after the last."""
        if 0 <= self.index < len(self.scenarios):
            return self.scenarios[self.index]
        return None

    @property
    def finished(self) -> bool:
        """True once every scenario was shown and answered."""
        return self.index >= len(self.scenarios)

    def start(self, index: int) -> Scenario:
        """Show scenario number ``index`` (0-based) and start its clock; with a training
        database, load the scenario into it first.

        Raises:
            IndexError: no such scenario.
            refund_desk.training.database.TrainingDatabaseError: the importer rejected it.
        """
        if not 0 <= index < len(self.scenarios):
            raise IndexError(index)
        scenario = self.scenarios[index]
        if self.store is not None:
            from .database import load_scenario

            load_scenario(self.store, scenario, actor=f"training:{self.trainee}")
        self.index = index
        self.started_at = self.clock()
        return scenario

    def quote_current(self) -> Quote:
        """The policy core's quote of the current scenario (from the training database when the
        session has one, as the desk quotes). Raises ``RuntimeError`` when none is current."""
        scenario = self.current
        if scenario is None:
            raise RuntimeError("no scenario is being answered")
        if self.store is not None:
            from .database import quote_from_store

            return quote_from_store(self.store, scenario)
        return scenario.quote()

    def next(self) -> Scenario | None:
        """Move to the next scenario (starting its clock), or ``None`` when the run is over."""
        if self.index + 1 >= len(self.scenarios):
            self.index = len(self.scenarios)
            return None
        return self.start(self.index + 1)

    def submit(self, answer: Answer, confirmation=None) -> Feedback:
        """Grade ``answer`` to the current scenario against the policy core and save the result.

        Args:
            answer: the trainee's answer.
            confirmation: the :class:`~refund_desk.services.cases.ReleaseConfirmation` from the
                release dialog when the trainee confirmed; with a training database the
                practice case is then recorded there (or the desk's refusal is reported).
        Returns:
            :class:`Feedback` (quote, per-field grade, saved record).
        Raises:
            RuntimeError: no scenario is being answered.
            refund_desk.training.results.ResultsError: the result could not be saved.
        """
        scenario = self.current
        if scenario is None or self.started_at is None:
            raise RuntimeError("no scenario is being answered")
        q = self.quote_current()
        g = grade(q, answer, scenario_id=scenario.scenario_id, lang=self.lang)
        finished = self.clock()
        pack_id = self.pack_ids.get(scenario.scenario_id) or _stem(scenario.pack_file)
        result = AttemptResult.from_grade(
            self.trainee,
            pack_id,
            scenario.title_in(self.lang).text,
            g,
            self.started_at,
            finished,
            policy_version=q.policy_version,
        )
        self.results.append(result)
        self.started_at = None
        case_id = refused = None
        if self.store is not None and answer.confirmed_release and confirmation is not None:
            from .database import record_practice_case

            recorded, refused = record_practice_case(self.store, q, confirmation, self.trainee)
            case_id = recorded.case.case_id if recorded is not None else None
        fb = Feedback(scenario, q, g, result, case_id, refused)
        self.feedback.append(fb)
        return fb


def _stem(path: str) -> str:
    from pathlib import Path

    return Path(path).stem if path else "memory"
