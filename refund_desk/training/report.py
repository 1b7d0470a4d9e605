"""The trainer's report: per trainee, score per rule id and per scenario, and time taken; CSV
export. (The printable PDF with a chart is drawn by ``refund_desk.ui.training.report_pdf``.)

Scores count graded *fields*: a field concerns the rule ids of the quote's trace that bear on it
(see :mod:`.grading`), so a rule's score is "fields right / fields graded" over every field that
concerned it. Pure Python: no Qt, no SQLAlchemy.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from ..policy.rules import RULES
from ..safetext import csv_cell
from .grading import FIELD_LABELS
from .results import AttemptResult
from .words import EN, rule_title, words
from .words import format_seconds as _format_seconds


@dataclass(frozen=True, slots=True)
class Score:
    """``right`` of ``total`` (fields). ``percent`` is 0–100 (0 when ``total`` is 0)."""

    right: int
    total: int

    @property
    def percent(self) -> float:
        """Share right, in percent."""
        return 100.0 * self.right / self.total if self.total else 0.0


@dataclass(frozen=True, slots=True)
class ScenarioLine:
    """One scenario answered by a trainee (attempts summed; ``seconds`` total time)."""

    scenario_id: str
    title: str
    attempts: int
    score: Score
    seconds: float
    last_finished: datetime
    missed_fields: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class TraineeReport:
    """Everything about one trainee: overall score, per rule id, per scenario, time taken."""

    trainee: str
    overall: Score
    seconds: float
    by_rule: dict[str, Score]
    by_scenario: tuple[ScenarioLine, ...]

    @property
    def weakest_rules(self) -> tuple[str, ...]:
        """Rule ids with a score under 100 %, weakest first."""
        items = [(s.percent, r) for r, s in self.by_rule.items() if s.right < s.total]
        return tuple(r for _, r in sorted(items))


@dataclass(frozen=True, slots=True)
class TrainingReport:
    """The report over a set of results: one :class:`TraineeReport` per trainee (by name)."""

    trainees: tuple[TraineeReport, ...]
    generated_at: datetime

    def trainee(self, name: str) -> TraineeReport:
        """The trainee's report; raises ``KeyError``."""
        for t in self.trainees:
            if t.trainee == name:
                return t
        raise KeyError(name)


def _rule_order(rule_id: str) -> tuple[int, str]:
    ids = list(RULES)
    return (ids.index(rule_id), rule_id) if rule_id in RULES else (len(ids), rule_id)


def build_report(results: Iterable[AttemptResult], *, generated_at: datetime) -> TrainingReport:
    """Summarise ``results`` per trainee.

    Args:
        results: saved attempts (any order). generated_at: aware time stamped on the report.
    Returns:
        :class:`TrainingReport`; trainees sorted by name, rules in RULES.md order, scenarios in
        the order first answered.
    """
    per: dict[str, list[AttemptResult]] = {}
    for r in sorted(results, key=lambda r: r.finished_at):
        per.setdefault(r.trainee, []).append(r)
    trainees = []
    for name in sorted(per, key=str.casefold):
        attempts = per[name]
        rule_counts: dict[str, list[int]] = {}
        scen: dict[str, dict] = {}
        right = total = 0
        for a in attempts:
            for f in a.fields:
                right += f.correct
                total += 1
                for rid in f.rule_ids:
                    c = rule_counts.setdefault(rid, [0, 0])
                    c[0] += f.correct
                    c[1] += 1
            s = scen.setdefault(
                a.scenario_id,
                {
                    "title": a.scenario_title,
                    "attempts": 0,
                    "right": 0,
                    "total": 0,
                    "seconds": 0.0,
                    "last": a.finished_at,
                    "missed": (),
                },
            )
            s["attempts"] += 1
            s["right"] += a.score
            s["total"] += a.total
            s["seconds"] += a.seconds
            s["last"] = a.finished_at
            s["missed"] = tuple(f.field for f in a.fields if not f.correct)
        trainees.append(
            TraineeReport(
                trainee=name,
                overall=Score(right, total),
                seconds=sum(a.seconds for a in attempts),
                by_rule={
                    rid: Score(*rule_counts[rid]) for rid in sorted(rule_counts, key=_rule_order)
                },
                by_scenario=tuple(
                    ScenarioLine(
                        scenario_id=sid,
                        title=v["title"],
                        attempts=v["attempts"],
                        score=Score(v["right"], v["total"]),
                        seconds=v["seconds"],
                        last_finished=v["last"],
                        missed_fields=v["missed"],
                    )
                    for sid, v in scen.items()
                ),
            )
        )
    return TrainingReport(trainees=tuple(trainees), generated_at=generated_at)


CSV_COLUMNS = (
    "trainee",
    "section",
    "id",
    "title",
    "right",
    "total",
    "percent",
    "attempts",
    "seconds",
    "missed_fields",
)
"""The CSV's columns (the English header; :func:`csv_header` gives it in another language)."""


def csv_header(lang: str = EN) -> list[str]:
    """The CSV's header row in ``lang``, one heading per :data:`CSV_COLUMNS`: the column names
    themselves in English (``trainee, section, …``), e.g. ``学员, 类别, …`` in Chinese."""
    t = words(lang)
    return [
        t.pgettext("CSV column", "trainee"),
        t.pgettext("CSV column", "section"),
        t.pgettext("CSV column", "id"),
        t.pgettext("CSV column", "title"),
        t.pgettext("CSV column", "right"),
        t.pgettext("CSV column", "total"),
        t.pgettext("CSV column", "percent"),
        t.pgettext("CSV column", "attempts"),
        t.pgettext("CSV column", "seconds"),
        t.pgettext("CSV column", "missed_fields"),
    ]


def _section_words(lang: str) -> dict[str, str]:
    t = words(lang)
    return {
        "total": t.pgettext("report section", "total"),
        "rule": t.pgettext("report section", "rule"),
        "scenario": t.pgettext("report section", "scenario"),
    }


def report_rows(report: TrainingReport, lang: str = EN) -> list[dict[str, str]]:
    """The report as CSV rows keyed by :data:`CSV_COLUMNS`: per trainee a ``total`` row, then one
    ``rule`` row per rule id and one ``scenario`` row per scenario. Percent with one decimal,
    seconds rounded to whole seconds.

    Args:
        report: the report. lang: ``"en"`` (default: codes ``total``/``rule``/``scenario`` and
            field codes in ``missed_fields``, as before) or ``"zh_CN"`` (the section, the rule
            titles and the missed fields in Chinese). Ids (rule ids, scenario ids) never change.
    """
    t_ = words(lang)
    lang = t_.lang
    section = _section_words(lang)

    def missed(fields: tuple[str, ...]) -> str:
        if lang == EN:
            return " ".join(fields)
        return t_.pgettext("list separator", ", ").join(
            t_.gettext(FIELD_LABELS[f]) if f in FIELD_LABELS else f for f in fields
        )

    rows: list[dict[str, str]] = []
    for t in report.trainees:
        rows.append(
            {
                "trainee": t.trainee,
                "section": section["total"],
                "id": "",
                "title": t_.gettext("All scenarios"),
                "right": str(t.overall.right),
                "total": str(t.overall.total),
                "percent": f"{t.overall.percent:.1f}",
                "attempts": str(sum(s.attempts for s in t.by_scenario)),
                "seconds": str(round(t.seconds)),
                "missed_fields": "",
            }
        )
        for rid, score in t.by_rule.items():
            rows.append(
                {
                    "trainee": t.trainee,
                    "section": section["rule"],
                    "id": rid,
                    "title": rule_title(rid, lang),
                    "right": str(score.right),
                    "total": str(score.total),
                    "percent": f"{score.percent:.1f}",
                    "attempts": "",
                    "seconds": "",
                    "missed_fields": "",
                }
            )
        for line in t.by_scenario:
            rows.append(
                {
                    "trainee": t.trainee,
                    "section": section["scenario"],
                    "id": line.scenario_id,
                    "title": line.title,
                    "right": str(line.score.right),
                    "total": str(line.score.total),
                    "percent": f"{line.score.percent:.1f}",
                    "attempts": str(line.attempts),
                    "seconds": str(round(line.seconds)),
                    "missed_fields": missed(line.missed_fields),
                }
            )
    return rows


def export_csv(report: TrainingReport, path: str | Path, lang: str = EN) -> Path:
    """Write the report as CSV (UTF-8 with BOM so spreadsheet programs read Chinese; comma
    separated; header :func:`csv_header` of ``lang``, rows :func:`report_rows` of ``lang``).
    Every cell is inert (:func:`~refund_desk.safetext.csv_cell`: a text starting with ``=``,
    ``+``, ``-`` or ``@`` gets a leading ``'``, control characters are escaped). Returns the
    path. Raises ``OSError``."""
    path = Path(path)
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(csv_header(lang))
        # Names, ids and titles may come from packs and imported cases: no cell of this file may
        # run as a spreadsheet formula or break a row (safetext.csv_cell).
        writer.writerows(
            [csv_cell(row[key]) for key in CSV_COLUMNS] for row in report_rows(report, lang)
        )
    return path


def format_seconds(seconds: float, lang: str = EN) -> str:
    """``754.2`` → ``'12 min 34 s'``; under a minute ``'42 s'`` (``lang="zh_CN"``:
    ``'12分34秒'``, ``'42秒'``)."""
    return _format_seconds(seconds, lang)
