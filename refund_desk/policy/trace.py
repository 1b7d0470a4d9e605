"""The rule trace as a quote is computed: each step records the id it applied and its facts.

Shared by the steps of the engine (:mod:`.orders`, :mod:`.history`, :mod:`.eta`) so that the
trace of a quote lists the steps in the order they were taken.
"""

from __future__ import annotations

from collections.abc import Collection

from .model import TraceEntry

# Stable display order of instance-level ids.
WARNING_ORDER = ("WARN-RELEASE-DELETE", "WARN-ZERO-REFUND")
ADVICE_ORDER = ("ADVICE-DISABLE-DEVICES", "ADVICE-RETURN-INVOICE")
FLAG_ORDER = (
    "DATA-MISSING",
    "BORDERLINE-CUTOFF",
    "BORDERLINE-WINDOW",
    "CHANNEL-UNLISTED",
    "ASSUMED-TZ",
    "ASSUMED-NOT-INVOICED",
    "ETA-CALENDAR-ESTIMATE",
)


class Trace:
    """The trace entries of one quote, in the order the steps applied them."""

    __slots__ = ("entries",)

    def __init__(self) -> None:
        self.entries: list[TraceEntry] = []

    def add(self, rule_id: str, order_id: str | None = None, **facts: object) -> None:
        """Record ``rule_id`` (for ``order_id``, or the instance) with its facts.

        Facts keep their raw values (dates, ``Decimal``, ``bool``); they become text only when
        explained (:func:`refund_desk.wording_rules.explain`).
        """
        self.entries.append(TraceEntry(rule_id, order_id, tuple(facts.items())))


class Applied:
    """The ids one step of a quote applied — for one order, or the instance when ``order_id``
    is ``None`` — each recorded in the quote's :class:`Trace` as it is applied.

    ``rules`` keeps each id once, in first-applied order; ``warnings``, ``advice`` and ``flags``
    are put in display order by :func:`sorted_ids` when the quote is assembled.
    """

    __slots__ = ("order_id", "trace", "_entries", "rules", "warnings", "advice", "flags")

    def __init__(self, trace: Trace, order_id: str | None = None) -> None:
        self.order_id = order_id
        self.trace = trace
        self._entries = trace.entries  # appended to directly: a quote records ~12 an order
        self.rules: dict[str, None] = {}
        self.warnings: list[str] = []
        self.advice: list[str] = []
        self.flags: list[str] = []

    def rule(self, rule_id: str, **facts: object) -> None:
        """Apply rule ``rule_id`` with its facts."""
        self.rules[rule_id] = None
        self._entries.append(TraceEntry(rule_id, self.order_id, tuple(facts.items())))

    def warn(self, rule_id: str, **facts: object) -> None:
        """Raise warning ``rule_id`` (``WARN-*``)."""
        self.warnings.append(rule_id)
        self._entries.append(TraceEntry(rule_id, self.order_id, tuple(facts.items())))

    def advise(self, rule_id: str, **facts: object) -> None:
        """Give advice ``rule_id`` (``ADVICE-*``)."""
        self.advice.append(rule_id)
        self._entries.append(TraceEntry(rule_id, self.order_id, tuple(facts.items())))

    def flag(self, rule_id: str, **facts: object) -> None:
        """Raise flag ``rule_id`` for the operator to check."""
        self.flags.append(rule_id)
        self._entries.append(TraceEntry(rule_id, self.order_id, tuple(facts.items())))


def sorted_ids(ids: Collection[str], order: tuple[str, ...]) -> tuple[str, ...]:
    """``ids`` without repeats, those of ``order`` first in that order, then the rest sorted."""
    if not ids:
        return ()
    present = set(ids)
    return tuple(i for i in order if i in present) + tuple(sorted(present - set(order)))
