"""Reading refund cases and an instance's history (RULES.md §7) from the store: one case by id,
confirmation key, open case or replacement; pages of the team's cases with filters; what already
happened to an instance, as the policy core's :class:`~refund_desk.policy.InstanceHistory`.
Reads only. No Qt.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import and_, func, or_, select
from sqlalchemy.engine import Connection
from sqlalchemy.sql import ColumnElement, Select

from ..policy.model import OPEN_CASE_STATUSES, InstanceHistory, RefundOrderFact
from . import models as m
from .case_rows import case_fact, case_from_row, cny_of_fen
from .records import CaseRecord


class CaseQueries:
    """Reading cases and instance history (a mixin of :class:`~.case_store.CaseStore`; needs
    ``self.engine``)."""

    engine: Any

    def get_case(self, case_id: int) -> CaseRecord | None:
        """The case with this id, or ``None``."""
        return self._one_case(m.cases.c.case_id == case_id)

    def case_by_confirmation_key(self, key: str) -> CaseRecord | None:
        """The case recorded by the confirmation ``key`` (unique index), or ``None``."""
        return self._one_case(m.cases.c.confirmation_key == key)

    def open_case_of(self, instance_id: str) -> CaseRecord | None:
        """The open (drafted or submitted) case of ``instance_id`` (at most one), or ``None``."""
        return self._one_case(
            and_(m.cases.c.instance_id == instance_id, m.cases.c.status.in_(OPEN_CASE_STATUSES))
        )

    def replacement_of(self, case_id: int) -> CaseRecord | None:
        """The case that replaces failed case ``case_id`` (``ROUTE-FALLBACK``), or ``None``."""
        return self._one_case(m.cases.c.replaces_case_id == case_id)

    def _one_case(
        self, condition: ColumnElement[bool], conn: Connection | None = None
    ) -> CaseRecord | None:
        query = select(m.cases).where(condition).order_by(m.cases.c.case_id.desc())
        if conn is not None:
            row = conn.execute(query).first()
        else:
            with self.engine.connect() as own:
                row = own.execute(query).first()
        return None if row is None else case_from_row(row)

    def list_cases(
        self,
        limit: int = 100,
        offset: int = 0,
        *,
        instance_id: str | None = None,
        status: str | None = None,
        operator: str | None = None,
    ) -> list[CaseRecord]:
        """One page of the whole team's cases, newest first, optionally of one instance, one
        status and/or one operator (``actor``)."""
        query = _filtered(select(m.cases), instance_id, status, operator)
        query = query.order_by(m.cases.c.case_id.desc()).limit(limit).offset(offset)
        with self.engine.connect() as conn:
            return [case_from_row(row) for row in conn.execute(query)]

    def count_cases(
        self,
        *,
        instance_id: str | None = None,
        status: str | None = None,
        operator: str | None = None,
    ) -> int:
        """How many cases (optionally of one instance, status and/or operator)."""
        query = _filtered(select(func.count()).select_from(m.cases), instance_id, status, operator)
        with self.engine.connect() as conn:
            return conn.execute(query).scalar_one()

    def case_operators(self) -> list[str]:
        """Every operator (``actor``) who recorded a case, sorted by name (the Cases tab's
        operator filter)."""
        with self.engine.connect() as conn:
            return list(
                conn.execute(select(m.cases.c.actor).distinct().order_by(m.cases.c.actor)).scalars()
            )

    def instance_history(
        self, instance_id: str, order_ids: Sequence[str] = (), conn: Connection | None = None
    ) -> InstanceHistory:
        """What already happened to ``instance_id`` (RULES.md §7) as the policy core's
        :class:`InstanceHistory`: refund orders naming it or refunding one of ``order_ids``
        (its payment orders), its status from ``QueryAvailableInstances``, and every case the
        desk recorded for it (oldest first)."""
        if conn is None:
            with self.engine.connect() as own:
                return self.instance_history(instance_id, order_ids, own)
        ro = m.refund_orders
        condition = ro.c.instance_id == instance_id
        ids = list(order_ids)
        if ids:
            condition = or_(condition, ro.c.related_order_id.in_(ids[:900]))
        refunds = tuple(
            RefundOrderFact(
                order_id=r.order_id,
                related_order_id=r.related_order_id,
                refunded_at=r.refunded_at,
                amount=cny_of_fen(r.amount_fen),
            )
            for r in conn.execute(
                select(ro).where(condition).order_by(ro.c.refunded_at, ro.c.order_id)
            )
        )
        status = conn.execute(
            select(m.instance_status).where(m.instance_status.c.instance_id == instance_id)
        ).first()
        cases = tuple(
            case_fact(case_from_row(r))
            for r in conn.execute(
                select(m.cases)
                .where(m.cases.c.instance_id == instance_id)
                .order_by(m.cases.c.case_id)
            )
        )
        return InstanceHistory(
            refund_orders=refunds,
            released=bool(status.released) if status is not None else False,
            release_time=status.release_time if status is not None else None,
            status=status.status if status is not None else None,
            cases=cases,
        )


def _filtered(
    query: Select[Any], instance_id: str | None, status: str | None, operator: str | None
) -> Select[Any]:
    if instance_id is not None:
        query = query.where(m.cases.c.instance_id == instance_id)
    if status is not None:
        query = query.where(m.cases.c.status == status)
    if operator is not None:
        query = query.where(m.cases.c.actor == operator)
    return query
