"""Trainees' results: one record per answered scenario, appended to a JSON-lines file.

The file lives in the desk's data folder (``training-results.jsonl``), apart from the operator's
database; each line is one :class:`AttemptResult`. Appends are flushed and fsynced so a crash
loses at most the attempt being written; a damaged line is reported, never silently dropped,
and the other lines still load.

Pure Python: no Qt, no SQLAlchemy.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ..errors import DeskError
from .grading import Grade
from .words import _

RESULTS_FORMAT = "refund-desk/training-results"
RESULTS_VERSION = 1


class ResultsError(DeskError):
    """The results file cannot be read or written (names the file and the line)."""


@dataclass(frozen=True, slots=True)
class FieldResult:
    """One graded field of an attempt: ``field`` name, right or wrong, both answers in words and
    the rule ids that bear on it."""

    field: str
    correct: bool
    expected: str
    given: str
    rule_ids: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class AttemptResult:
    """One trainee's answer to one scenario, as saved.

    Attributes:
        trainee: the name typed at the start of the session.
        pack_id / scenario_id / scenario_title: what was answered.
        started_at / finished_at: aware UTC datetimes; seconds: time taken (float seconds).
        fields: per-field marks. policy_version: the policy the grading used.
    """

    trainee: str
    pack_id: str
    scenario_id: str
    scenario_title: str
    started_at: datetime
    finished_at: datetime
    seconds: float
    fields: tuple[FieldResult, ...]
    policy_version: int = 1

    @property
    def score(self) -> int:
        """Fields right."""
        return sum(1 for f in self.fields if f.correct)

    @property
    def total(self) -> int:
        """Fields graded."""
        return len(self.fields)

    @classmethod
    def from_grade(
        cls,
        trainee: str,
        pack_id: str,
        scenario_title: str,
        grade: Grade,
        started_at: datetime,
        finished_at: datetime,
        policy_version: int = 1,
    ) -> AttemptResult:
        """Build the record of a graded answer. ``started_at``/``finished_at`` must be aware;
        they are stored in UTC. Raises ``ValueError`` for naive times or an empty trainee."""
        if not trainee.strip():
            raise ValueError("a trainee name is required")
        if started_at.tzinfo is None or finished_at.tzinfo is None:
            raise ValueError("start and finish times must be timezone-aware")
        return cls(
            trainee=trainee.strip(),
            pack_id=pack_id,
            scenario_id=grade.scenario_id,
            scenario_title=scenario_title,
            started_at=started_at.astimezone(UTC),
            finished_at=finished_at.astimezone(UTC),
            seconds=max(0.0, (finished_at - started_at).total_seconds()),
            fields=tuple(
                FieldResult(m.field, m.correct, m.expected, m.given, m.rule_ids)
                for m in grade.marks
            ),
            policy_version=policy_version,
        )

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict (one line of the results file)."""
        return {
            "format": RESULTS_FORMAT,
            "version": RESULTS_VERSION,
            "trainee": self.trainee,
            "pack_id": self.pack_id,
            "scenario_id": self.scenario_id,
            "scenario_title": self.scenario_title,
            "started_at": self.started_at.isoformat(),
            "finished_at": self.finished_at.isoformat(),
            "seconds": round(self.seconds, 3),
            "policy_version": self.policy_version,
            "fields": [
                {
                    "field": f.field,
                    "correct": f.correct,
                    "expected": f.expected,
                    "given": f.given,
                    "rule_ids": list(f.rule_ids),
                }
                for f in self.fields
            ],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> AttemptResult:
        """Inverse of :meth:`to_dict`. Raises ``KeyError``/``ValueError``/``TypeError`` on a bad
        record."""
        if data.get("format") != RESULTS_FORMAT or data.get("version") != RESULTS_VERSION:
            raise ValueError("not a training result of a known version")
        started = datetime.fromisoformat(data["started_at"])
        finished = datetime.fromisoformat(data["finished_at"])
        if started.tzinfo is None or finished.tzinfo is None:
            raise ValueError("naive time")
        return cls(
            trainee=str(data["trainee"]),
            pack_id=str(data["pack_id"]),
            scenario_id=str(data["scenario_id"]),
            scenario_title=str(data.get("scenario_title", "")),
            started_at=started,
            finished_at=finished,
            seconds=float(data["seconds"]),
            fields=tuple(
                FieldResult(
                    str(f["field"]),
                    bool(f["correct"]),
                    str(f.get("expected", "")),
                    str(f.get("given", "")),
                    tuple(str(r) for r in f.get("rule_ids", ())),
                )
                for f in data["fields"]
            ),
            policy_version=int(data.get("policy_version", 1)),
        )


def default_results_path() -> Path:
    """``<data dir>/training-results.jsonl`` (never the operator's database)."""
    from ..paths import data_dir

    return data_dir() / "training-results.jsonl"


class ResultsLog:
    """The append-only results file.

    Args:
        path: the JSON-lines file (default :func:`default_results_path`); created on first append.
    """

    def __init__(self, path: str | Path | None = None):
        self.path = Path(path) if path is not None else default_results_path()

    def append(self, result: AttemptResult) -> None:
        """Append one result (flushed and fsynced). Raises :class:`ResultsError` on I/O error."""
        line = json.dumps(result.to_dict(), ensure_ascii=False, separators=(",", ":"))
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self.path.open("a", encoding="utf-8") as fh:
                fh.write(line + "\n")
                fh.flush()
                os.fsync(fh.fileno())
        except OSError as exc:
            raise ResultsError(
                _("{file}: cannot save the result: {reason}").format(file=self.path, reason=exc)
            ) from None

    def read(self) -> tuple[list[AttemptResult], list[str]]:
        """Every saved result, oldest first, and a message per damaged line.

        Returns:
            ``(results, problems)``; ``problems`` name the file and line (``…jsonl, line 7: …``).
            A missing file gives ``([], [])``.
        """
        if not self.path.exists():
            return [], []
        results: list[AttemptResult] = []
        problems: list[str] = []
        try:
            text = self.path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise ResultsError(
                _("{file}: cannot read: {reason}").format(file=self.path, reason=exc)
            ) from None
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                results.append(AttemptResult.from_dict(json.loads(line)))
            except (ValueError, KeyError, TypeError) as exc:
                problems.append(
                    _("{file}, line {number}: unreadable result ({reason})").format(
                        file=self.path, number=number, reason=exc
                    )
                )
        return results, problems
