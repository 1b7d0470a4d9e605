"""Grading a trainee's answer against the policy core, field by field.

The model answer is always the policy core's own quote of the scenario (never a hand-written
figure); each field that is wrong is explained with the rule ids concerned and the sentences of
:func:`refund_desk.wording_rules.explain` for the quote's trace entries, the words the simulator
uses.

Pure Python: no Qt, no SQLAlchemy.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from ..policy import Outcome, Quote
from ..policy.money import ZERO
from .scenario import FLAG_IDS, WARNING_IDS, Scenario
from .words import N_, destination_words, explain_words, format_date, format_money, words

# The graded fields, in the order the trainee answers them.
FIELDS = (
    "outcome",
    "destinations",
    "total_refund",
    "processed_by",
    "warnings",
    "checks",
    "confirmation",
)
FIELD_LABELS = {
    "outcome": N_("Outcome"),
    "destinations": N_("Destination(s) and amounts"),
    "total_refund": N_("Total refund"),
    "processed_by": N_("Expected processed by"),
    "warnings": N_("Warnings and advice for the customer"),
    "checks": N_("Points to check (flags)"),
    "confirmation": N_("Release confirmation"),
}
"""Field code → English label (the catalog's source text; see :func:`field_label`)."""

# A destinations miss is charged to the route rules when only the places are wrong, and to the
# amount rules when only the amounts are wrong.
_ROUTE_RULES = frozenset(
    {
        "TIME-ZONE",
        "DATE-CUTOFF",
        "DATE-WINDOW",
        "ROUTE-LATE",
        "ROUTE-INVOICED",
        "ROUTE-ORIGINAL",
        "ROUTE-FALLBACK",
        "CHANNEL-UNLISTED",
    }
)
_AMOUNT_RULES = frozenset(
    {
        "AMOUNT-BASIS",
        "AMOUNT-CONSUMED",
        "AMOUNT-PENDING-RENEWAL",
        "AMOUNT-ROUNDING",
        "EXCLUDED",
        "DATA-MISSING",
    }
)

# Which trace ids bear on each field: a miss is explained by these entries of the trace.
_FIELD_RULES = {
    "outcome": frozenset(
        {
            "KIND-NEW-PUBLIC",
            "KIND-OLD-PUBLIC",
            "KIND-ENTERPRISE",
            "METHOD-TICKET",
            "HISTORY-REFUNDED",
            "HISTORY-RELEASED",
        }
    ),
    "destinations": _ROUTE_RULES | _AMOUNT_RULES,
    "total_refund": _AMOUNT_RULES | {"WARN-ZERO-REFUND"},
    "processed_by": frozenset({"TIME-ZONE", "ETA-PROCESS", "ETA-BANK", "ETA-CALENDAR-ESTIMATE"}),
    "warnings": frozenset(WARNING_IDS),
    "checks": frozenset(FLAG_IDS),
    "confirmation": frozenset(
        {
            "WARN-RELEASE-DELETE",
            "WARN-ZERO-REFUND",
            "DATA-MISSING",
            "EXCLUDED",
            "HISTORY-OPEN-CASE",
            "HISTORY-FALLBACK-DONE",
        }
    ),
}

OUTCOME_LABELS = {
    Outcome.REFUNDABLE: "Refundable by ticket",
    Outcome.NOT_REFUNDABLE: "Not refundable",
    Outcome.NOTHING_TO_REFUND: "Nothing to refund",
    Outcome.ALREADY_REFUNDED: "Already refunded",
    Outcome.RELEASED: "Released — nothing can be refunded",
}
"""Outcome → English label; :func:`outcome_label` gives it in a language (the desk's words)."""


def field_label(field_name: str, lang: str | None = None) -> str:
    """The label of a graded field (one of :data:`FIELDS`) in ``lang`` (``"zh_CN"``/``"en"``,
    default the interface language). Raises ``KeyError`` for an unknown field."""
    return words(lang).gettext(FIELD_LABELS[field_name])


def outcome_label(outcome: Outcome, lang: str | None = None) -> str:
    """An outcome in words, in ``lang``: the desk's own words (``wording_rules.outcome_words``;
    glossary: 可通过工单退款 / 不支持退款 / 无需退款 / 已退款 / 已释放). Raises ``KeyError`` for a
    value that is not an :class:`Outcome`."""
    from ..wording_rules import outcome_words

    return outcome_words(Outcome(outcome).value, words(lang).lang)


@dataclass(frozen=True, slots=True)
class Answer:
    """A trainee's answer to one scenario.

    Attributes:
        outcome: the outcome chosen (``None`` if left blank).
        destinations: destination code (``alipay``, ``online_banking``, ``account_balance`` or a
            BSS channel name) → refund in CNY (``Decimal``).
        total_refund: CNY, or ``None`` if left blank.
        processed_by: China date, or ``None`` for "no date" (nothing is processed).
        warnings: ``WARN-*`` / ``ADVICE-*`` ids the trainee would tell the customer.
        checks: flag ids the trainee would check before promising anything.
        confirmed_release: the trainee went through the release confirmation and recorded it.
    """

    outcome: Outcome | None
    destinations: dict[str, Decimal] = field(default_factory=dict)
    total_refund: Decimal | None = None
    processed_by: date | None = None
    warnings: frozenset[str] = frozenset()
    checks: frozenset[str] = frozenset()
    confirmed_release: bool = False


@dataclass(frozen=True, slots=True)
class FieldMark:
    """The mark of one field: right or wrong, both answers in words, and why.

    ``rule_ids``: the ids of the quote's trace that bear on this field (kept for the trainer's
    score per rule, right or wrong). ``explanations``: ``(rule id, order id or None, sentence)``
    for each of those trace entries (shown when the field is wrong).
    """

    field: str
    correct: bool
    expected: str
    given: str
    rule_ids: tuple[str, ...]
    explanations: tuple[tuple[str, str | None, str], ...]


@dataclass(frozen=True, slots=True)
class Grade:
    """Every field's mark for one answer to one scenario."""

    scenario_id: str
    marks: tuple[FieldMark, ...]

    @property
    def score(self) -> int:
        """Number of fields right."""
        return sum(1 for m in self.marks if m.correct)

    @property
    def total(self) -> int:
        """Number of fields graded."""
        return len(self.marks)

    @property
    def misses(self) -> tuple[FieldMark, ...]:
        """The wrong fields."""
        return tuple(m for m in self.marks if not m.correct)

    def mark(self, field_name: str) -> FieldMark:
        """The mark of ``field_name`` (one of :data:`FIELDS`); raises ``KeyError``."""
        for m in self.marks:
            if m.field == field_name:
                return m
        raise KeyError(field_name)


def requires_confirmation(q: Quote) -> bool:
    """True when a real refund case would be recorded (:attr:`Quote.recordable`, the policy
    core's one decision: refundable, not blocked, nothing in the history holding it), so the
    operator must go through the release confirmation (``WARN-RELEASE-DELETE``)."""
    return q.recordable


def model_answer(q: Quote) -> Answer:
    """The answer the policy core gives for quote ``q`` (what a perfect trainee answers).

    Destinations with a 0.00 refund are left out (nothing goes there).
    """
    return Answer(
        outcome=q.outcome,
        destinations={d: a for d, a in q.by_destination.items() if a != ZERO},
        total_refund=q.total_refund,
        processed_by=q.processed_by,
        warnings=frozenset(q.warnings) | frozenset(q.advice),
        checks=frozenset(q.flags),
        confirmed_release=requires_confirmation(q),
    )


def _dest_words(dests: dict[str, Decimal], lang: str) -> str:
    t = words(lang)
    items = [(d, a) for d, a in sorted(dests.items()) if a != ZERO]
    if not items:
        return t.gettext("none")
    return t.pgettext("list separator", "; ").join(
        t.gettext("{amount} to {destination}").format(
            amount=format_money(a, lang), destination=destination_words(d, lang)
        )
        for d, a in items
    )


def _ids_words(ids: frozenset[str], lang: str) -> str:
    # Rule ids are never translated; only "none" is.
    return ", ".join(sorted(ids)) if ids else words(lang).gettext("none")


def _money_words(amount: Decimal | None, lang: str) -> str:
    return words(lang).gettext("blank") if amount is None else format_money(amount, lang)


def _date_words(day: date | None, lang: str) -> str:
    return words(lang).gettext("no date") if day is None else format_date(day, lang)


def _confirm_words(confirmed: bool, lang: str) -> str:
    t = words(lang)
    return t.gettext("confirmed, case recorded") if confirmed else t.gettext("no case recorded")


def grade(q: Quote, answer: Answer, *, scenario_id: str = "", lang: str | None = None) -> Grade:
    """Grade ``answer`` against quote ``q`` (the policy core's quote of the scenario).

    Args:
        q: the quote of the scenario (``Scenario.quote()``).
        answer: the trainee's answer.
        scenario_id: recorded in the grade.
        lang: the language of the marks' words and explanations (``"zh_CN"`` or ``"en"``;
            default the interface language). Amounts, dates and outcomes are worded as a reader
            of that language expects (``¥764.00``, ``2024年3月12日``); rule ids never change.
    Returns:
        A :class:`Grade` with one :class:`FieldMark` per field of :data:`FIELDS`. Amounts compare
        exactly to the fen; destinations with 0.00 are ignored on both sides; id sets compare as
        sets.
    """
    lang = words(lang).lang
    model = model_answer(q)
    given_dests = {d: a for d, a in answer.destinations.items() if a != ZERO}
    results = {
        "outcome": (
            answer.outcome == model.outcome,
            outcome_label(model.outcome, lang),
            outcome_label(answer.outcome, lang)
            if answer.outcome in OUTCOME_LABELS
            else words(lang).gettext("blank"),
        ),
        "destinations": (
            given_dests == model.destinations,
            _dest_words(model.destinations, lang),
            _dest_words(given_dests, lang),
        ),
        "total_refund": (
            answer.total_refund is not None and answer.total_refund == model.total_refund,
            _money_words(model.total_refund, lang),
            _money_words(answer.total_refund, lang),
        ),
        "processed_by": (
            answer.processed_by == model.processed_by,
            _date_words(model.processed_by, lang),
            _date_words(answer.processed_by, lang),
        ),
        "warnings": (
            answer.warnings == model.warnings,
            _ids_words(model.warnings, lang),
            _ids_words(answer.warnings, lang),
        ),
        "checks": (
            answer.checks == model.checks,
            _ids_words(model.checks, lang),
            _ids_words(answer.checks, lang),
        ),
        "confirmation": (
            answer.confirmed_release == model.confirmed_release,
            _confirm_words(model.confirmed_release, lang),
            _confirm_words(answer.confirmed_release, lang),
        ),
    }
    marks = []
    for name in FIELDS:
        correct, expected, given = results[name]
        wanted = set(_FIELD_RULES[name])
        if name == "destinations" and not correct:
            wanted = _destination_blame(model.destinations, given_dests, wanted)
        entries = [e for e in q.trace if e.rule_id in wanted]
        rule_ids = tuple(dict.fromkeys(e.rule_id for e in entries if e.rule_id != "EXCLUDED"))
        marks.append(
            FieldMark(
                field=name,
                correct=correct,
                expected=expected,
                given=given,
                rule_ids=rule_ids,
                explanations=tuple(
                    (e.rule_id, e.order_id, explain_words(e, lang)) for e in entries
                ),
            )
        )
    return Grade(scenario_id=scenario_id, marks=tuple(marks))


def _destination_blame(model: dict, given: dict, wanted: set[str]) -> set[str]:
    """The rules a wrong destinations answer is charged to: the route rules when the amounts
    are right but the places wrong, the amount rules when the places are right but the amounts
    wrong, every rule of the field otherwise."""
    if given and sorted(given.values()) == sorted(model.values()):
        return wanted & _ROUTE_RULES
    if given and set(given) == set(model):
        return wanted & _AMOUNT_RULES
    return wanted


def grade_scenario(
    scenario: Scenario, answer: Answer, *, lang: str | None = None
) -> tuple[Quote, Grade]:
    """Quote ``scenario`` with the policy core and grade ``answer`` (words in ``lang``, default
    the interface language); returns ``(quote, grade)``."""
    q = scenario.quote()
    return q, grade(q, answer, scenario_id=scenario.scenario_id, lang=lang)
