"""Refund cases, their history and the audit log: the storage half of the case life cycle.

:class:`CaseStore` is mixed into :class:`~refund_desk.store.repository.OrderStore` (it needs only
``self.engine``). The rules of the life cycle live in :mod:`refund_desk.services.cases`; this
module gives it the primitives, each one transaction:

- :meth:`CaseStore.insert_case` writes a case and its audit entries together; the database
  refuses a second open case for an instance (``ux_cases_open_instance``), a second case for one
  confirmation key and a second replacement of one failed case;
- :meth:`CaseStore.compare_and_set_status` moves a case only from the status the caller saw
  (``UPDATE … WHERE case_id = :id AND status = :expected``, row count checked), with its entry;
- :meth:`CaseStore.fail_and_replace` does both for ``ROUTE-FALLBACK``.

Every audit entry goes through :mod:`.audit_chain` (hash chained, appends serialised). A write
about an existing case first checks its row against its newest entry
(:func:`.audit_chain.check_case`) and refuses with ``CaseTamperedError`` when the row was changed
outside the desk; every case entry records ``before_hash``. No Qt here.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import and_, func, or_, select
from sqlalchemy.engine import Connection, Row
from sqlalchemy.exc import IntegrityError
from sqlalchemy.sql import ColumnElement, Select

from ..errors import (
    CaseTransitionError,
    DuplicateConfirmationError,
    FallbackDoneError,
    OpenCaseExistsError,
)
from ..policy.model import CaseFact, InstanceHistory, OrderOptions, RefundOrderFact
from ..policy.money import to_fen
from ..policy.serialize import options_to_json
from . import audit_chain
from . import models as m
from .records import AuditEntry, CaseRecord

DEFAULT_STATUS = "drafted"


def utcnow() -> datetime:
    """Now as aware UTC (the store's clock)."""
    return datetime.now(UTC)


def _money(fen: int | None) -> Decimal | None:
    return None if fen is None else Decimal(fen).scaleb(-2)


def _detail_json(detail: Mapping[str, Any] | None) -> str:
    return json.dumps(detail or {}, ensure_ascii=False, default=str, sort_keys=True)


def case_from_row(row: Row | Mapping[str, Any]) -> CaseRecord:
    """A ``cases`` row → :class:`CaseRecord`."""
    r = row._mapping if isinstance(row, Row) else row
    return CaseRecord(
        case_id=r["case_id"],
        instance_id=r["instance_id"],
        account_id=r["account_id"],
        status=r["status"],
        status_reason=r["status_reason"],
        cancel_at=r["cancel_at"],
        policy_id=r["policy_id"],
        policy_version=r["policy_version"],
        outcome=r["outcome"],
        total_refund=_money(r["total_refund_fen"]),
        confirmed=bool(r["confirmed"]),
        confirmed_at=r["confirmed_at"],
        confirmation_text=r["confirmation_text"],
        options=json.loads(r["options_json"]),
        quote=json.loads(r["quote_json"]),
        ticket_text=r["ticket_text"],
        actor=r["actor"],
        created_at=r["created_at"],
        updated_at=r["updated_at"],
        confirmation_key=r["confirmation_key"],
        replaces_case_id=r["replaces_case_id"],
        host=r.get("host"),
    )


def case_fact(case: CaseRecord) -> CaseFact:
    """A stored case as the policy core's :class:`CaseFact` (``HISTORY-*``)."""
    parts = (case.quote or {}).get("by_destination") or {}
    return CaseFact(
        case_id=case.case_id,
        status=case.status,
        operator=case.actor,
        recorded_at=case.created_at,
        total_refund=case.total_refund,
        by_destination=tuple((dest, Decimal(str(amount))) for dest, amount in parts.items()),
        changed_at=case.updated_at if case.updated_at != case.created_at else None,
        replaces_case_id=case.replaces_case_id,
    )


class CaseStore:
    """Cases, instance history and the audit log (mixed into ``OrderStore``; needs
    ``self.engine``)."""

    engine: Any
    _desk_host: str | None = None

    @property
    def desk_host(self) -> str:
        """The desk (computer name) written on every case and audit entry this store writes
        (``cases.host``, ``audit_log.host``): ``socket.gethostname()`` unless set."""
        return self._desk_host or audit_chain.desk_host()

    @desk_host.setter
    def desk_host(self, host: str | None) -> None:
        self._desk_host = (host or "").strip() or None

    # ------------------------------------------------------------------ reading cases
    def get_case(self, case_id: int) -> CaseRecord | None:
        """The case with this id, or ``None``."""
        return self._one_case(m.cases.c.case_id == case_id)

    def case_by_confirmation_key(self, key: str) -> CaseRecord | None:
        """The case recorded by the confirmation ``key`` (unique index), or ``None``."""
        return self._one_case(m.cases.c.confirmation_key == key)

    def open_case_of(self, instance_id: str) -> CaseRecord | None:
        """The open (drafted or submitted) case of ``instance_id`` (at most one), or ``None``."""
        return self._one_case(
            and_(m.cases.c.instance_id == instance_id, m.cases.c.status.in_(OPEN))
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

    # ------------------------------------------------------------------ history
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
                amount=_money(r.amount_fen),
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

    # ------------------------------------------------------------------ writing cases
    def insert_case(
        self,
        values: Mapping[str, Any],
        entries: Iterable[tuple[str, Mapping[str, Any]]],
        *,
        actor: str,
        refuse_if_refunded: bool = True,
    ) -> CaseRecord:
        """Write one case and its audit entries in ONE transaction.

        Args:
            values: the ``cases`` columns (``status``, ``instance_id``, ``quote_json``, …;
                ``created_at``/``updated_at`` default to now).
            entries: ``[(action, detail), …]`` audit entries about the new case, in order (e.g.
                ``case.add`` then ``case.confirm``).
            actor: who records it (audit).
            refuse_if_refunded: refuse when the instance already has a case marked refunded
                or a refund order (``HISTORY-REFUNDED``), read under the chain's lock.
        Returns:
            The stored :class:`CaseRecord`.
        Raises:
            DuplicateConfirmationError: this confirmation key recorded a case already.
            OpenCaseExistsError: the instance has an open case (``HISTORY-OPEN-CASE``); carries
                it.
            FallbackDoneError: the failed case already has a replacement.
            CaseTransitionError: the instance was refunded meanwhile.
        Nothing is written when it raises.
        """
        now = utcnow()
        row = {"created_at": now, "updated_at": now, "host": self.desk_host, **values}
        try:
            with self.engine.begin() as conn:
                audit_chain.lock(conn)  # first: every case write below is serialised
                if refuse_if_refunded:
                    self._refuse_if_refunded(conn, row["instance_id"])
                case_id = conn.execute(m.cases.insert().values(**row)).inserted_primary_key[0]
                self._append(conn, case_id, row, entries, actor, now, before=None)
                case = self._one_case(m.cases.c.case_id == case_id, conn)
        except IntegrityError:
            raise self._conflict(row) from None
        assert case is not None  # just written, in the same transaction
        return case

    def _refuse_if_refunded(self, conn: Connection, instance_id: str) -> None:
        done = self._one_case(
            and_(m.cases.c.instance_id == instance_id, m.cases.c.status == "refunded"), conn
        )
        if done is not None:
            raise CaseTransitionError(
                f"Instance {instance_id} was already refunded: case #{done.case_id} is marked "
                "refunded (HISTORY-REFUNDED). Nothing was recorded."
            )

    def _conflict(self, row: Mapping[str, Any]) -> Exception:
        """Which constraint refused ``row`` (read after the rollback)."""
        key = row.get("confirmation_key")
        if key:
            existing = self.case_by_confirmation_key(key)
            if existing is not None:
                return DuplicateConfirmationError(existing.case_id)
        replaces = row.get("replaces_case_id")
        if replaces is not None:
            existing = self.replacement_of(replaces)
            if existing is not None:
                return FallbackDoneError(replaces, existing)
        existing = self.open_case_of(row["instance_id"])
        if existing is not None:
            return OpenCaseExistsError(existing)
        return CaseTransitionError(
            "The database refused the case (another desk changed it at the same moment); "
            "nothing was recorded. Try again."
        )

    def _append(
        self,
        conn: Connection,
        case_id: int,
        row: Mapping[str, Any],
        entries: Iterable[tuple[str, Mapping[str, Any]]],
        actor: str,
        now: datetime,
        *,
        before: str | None,
    ) -> None:
        """Append ``entries`` about case ``case_id`` (written already in ``conn``). ``before``:
        the row's content hash before this write (:func:`.audit_chain.check_case`; ``None`` for
        a new case), recorded as ``before_hash`` in the first entry; the later ones of the batch
        record the row as the first one left it."""
        after = audit_chain.current_case_hash(conn, case_id)
        audit_chain.append(
            conn,
            [
                {
                    "at": now,
                    "actor": actor,
                    "action": action,
                    "entity": "case",
                    "entity_id": str(case_id),
                    "policy_id": row.get("policy_id"),
                    "policy_version": row.get("policy_version"),
                    "detail_json": _detail_json(
                        {**detail, audit_chain.BEFORE_HASH: before if i == 0 else after}
                    ),
                    "host": self.desk_host,
                }
                for i, (action, detail) in enumerate(entries)
            ],
        )

    def compare_and_set_status(
        self,
        case_id: int,
        expected: str,
        status: str,
        reason: str | None,
        actor: str,
        detail: Mapping[str, Any] | None = None,
    ) -> bool:
        """Move case ``case_id`` from ``expected`` to ``status`` (with ``reason``) and append its
        ``case.status`` entry, in one transaction: ``UPDATE … WHERE case_id = :id AND status =
        :expected``. Returns False (nothing written) when the case is not in ``expected`` any
        more (another desk moved it first) or does not exist. The caller checks the transition
        is allowed (``services.cases``). Raises ``CaseTamperedError`` (nothing written) when the
        case row no longer matches its newest audit entry."""
        now = utcnow()
        try:
            with self.engine.begin() as conn:
                audit_chain.lock(conn)
                row = conn.execute(
                    select(m.cases.c.policy_id, m.cases.c.policy_version, m.cases.c.status_reason)
                    .where(m.cases.c.case_id == case_id)
                ).first()  # fmt: skip
                # A row changed outside the desk is refused, never laundered into the trail.
                before = audit_chain.check_case(conn, case_id)
                done = conn.execute(
                    m.cases.update()
                    .where(m.cases.c.case_id == case_id, m.cases.c.status == expected)
                    .values(status=status, status_reason=reason, updated_at=now)
                ).rowcount
                if row is None or done != 1:
                    raise _Lost  # rolls the lock back too: nothing written
                self._status_entry(
                    conn, case_id, row, expected, status, reason, actor, now, detail, before
                )
        except _Lost:
            return False
        return True

    def _status_entry(
        self,
        conn: Connection,
        case_id: int,
        row: Row[Any],
        expected: str,
        status: str,
        reason: str | None,
        actor: str,
        now: datetime,
        detail: Mapping[str, Any] | None,
        before: str | None,
    ) -> None:
        changes: dict[str, Any] = {"status": [expected, status]}
        if reason != row.status_reason:
            changes["status_reason"] = [row.status_reason, reason]
        self._append(
            conn,
            case_id,
            {"policy_id": row.policy_id, "policy_version": row.policy_version},
            [("case.status", {"changes": changes, **(detail or {})})],
            actor,
            now,
            before=before,
        )

    def fail_and_replace(
        self,
        case_id: int,
        expected: str,
        reason: str,
        replacement: Mapping[str, Any],
        entries: Iterable[tuple[str, Mapping[str, Any]]],
        *,
        actor: str,
    ) -> CaseRecord:
        """``ROUTE-FALLBACK`` in one transaction: move case ``case_id`` from ``expected`` to
        ``failed`` (compare-and-set) and insert its replacement (``replaces_case_id`` =
        ``case_id``, unique) with its audit entries.

        Returns:
            The replacement :class:`CaseRecord`.
        Raises:
            CaseTransitionError: the case is not in ``expected`` any more.
            FallbackDoneError: it already has a replacement (``HISTORY-FALLBACK-DONE``).
            OpenCaseExistsError: another open case of the instance appeared.
            CaseTamperedError: the failed case's row no longer matches its newest audit entry.
        Nothing is written when it raises.
        """
        now = utcnow()
        row = {
            "created_at": now,
            "updated_at": now,
            "host": self.desk_host,
            **replacement,
            "replaces_case_id": case_id,
        }
        try:
            with self.engine.begin() as conn:
                audit_chain.lock(conn)
                old = self._one_case(m.cases.c.case_id == case_id, conn)
                before = audit_chain.check_case(conn, case_id)
                done = conn.execute(
                    m.cases.update()
                    .where(m.cases.c.case_id == case_id, m.cases.c.status == expected)
                    .values(status="failed", status_reason=reason, updated_at=now)
                ).rowcount
                if old is None or done != 1:
                    raise CaseTransitionError(
                        f"Case #{case_id} is no longer {expected} (now "
                        f"{old.status if old else 'gone'}): nothing was changed."
                    )
                self._append(
                    conn,
                    case_id,
                    {"policy_id": old.policy_id, "policy_version": old.policy_version},
                    [
                        (
                            "case.status",
                            {
                                "changes": {
                                    "status": [expected, "failed"],
                                    "status_reason": [old.status_reason, reason],
                                }
                            },
                        )
                    ],
                    actor,
                    now,
                    before=before,
                )
                new_id = conn.execute(m.cases.insert().values(**row)).inserted_primary_key[0]
                self._append(conn, new_id, row, entries, actor, now, before=None)
                case = self._one_case(m.cases.c.case_id == new_id, conn)
        except IntegrityError:
            raise self._conflict(row) from None
        assert case is not None  # just written, in the same transaction
        return case

    # ------------------------------------------------------------------ compatibility
    def add_case(
        self,
        *,
        instance_id: str,
        cancel_at: datetime,
        quote: Any,
        actor: str,
        options: Mapping[str, OrderOptions] | None = None,
        confirmed: bool = False,
        confirmed_at: datetime | None = None,
        confirmation_text: str | None = None,
        confirmation_key: str | None = None,
        ticket_text: str | None = None,
        status: str = DEFAULT_STATUS,
        account_id: str | None = None,
        policy_id: str | None = None,
        policy_version: int | None = None,
        outcome: str | None = None,
        total_refund: Decimal | None = None,
        replaces_case_id: int | None = None,
    ) -> int:
        """Record a refund case and its ``case.add`` entry in one transaction (the lower-level
        door; the desk records through ``services.cases.record_case``, which checks the rules).

        Args:
            instance_id: the instance refunded. cancel_at: aware cancellation time quoted.
            quote: a :class:`~refund_desk.policy.Quote` (account, policy, outcome and total are
                taken from it) or its JSON dict (``quote_to_dict``).
            actor: who records it. options: ``{order_id: OrderOptions}`` what-if inputs.
            confirmed / confirmed_at / confirmation_text / confirmation_key: the
                ``WARN-RELEASE-DELETE`` acknowledgement and its key (unique across cases).
            ticket_text: the drafted ticket. status: initial status (default ``drafted``).
            account_id / policy_id / policy_version / outcome / total_refund (CNY): override or
                supply what a dict quote cannot give. replaces_case_id: the failed case replaced.
        Returns:
            The new case id.
        Raises:
            ValueError: naive ``cancel_at``/``confirmed_at``, or no policy id/version known.
            DuplicateConfirmationError / OpenCaseExistsError / FallbackDoneError: refused by
                the database (nothing written).
        """
        values, _ = case_values(
            instance_id=instance_id,
            cancel_at=cancel_at,
            quote=quote,
            actor=actor,
            options=options,
            confirmed=confirmed,
            confirmed_at=confirmed_at,
            confirmation_text=confirmation_text,
            confirmation_key=confirmation_key,
            ticket_text=ticket_text,
            status=status,
            account_id=account_id,
            policy_id=policy_id,
            policy_version=policy_version,
            outcome=outcome,
            total_refund=total_refund,
            replaces_case_id=replaces_case_id,
        )
        detail = {
            "instance_id": instance_id,
            "status": status,
            "confirmed": bool(confirmed),
            "total_refund": None if total_refund is None else str(total_refund),
            "options": json.loads(values["options_json"]),
        }
        if values["total_refund_fen"] is not None:
            detail["total_refund"] = str(_money(values["total_refund_fen"]))
        case = self.insert_case(
            values, [("case.add", detail)], actor=actor, refuse_if_refunded=False
        )
        return case.case_id

    def set_case_status(self, case_id: int, status: str, reason: str | None, actor: str) -> None:
        """Change a case's status whatever it was (no rule checked: the desk goes through
        ``services.cases.set_status``), audited ``case.status``. Raises ``LookupError``."""
        case = self.get_case(case_id)
        if case is None:
            raise LookupError(f"no refund case {case_id}")
        if not self.compare_and_set_status(case_id, case.status, status, reason, actor):
            raise LookupError(f"refund case {case_id} changed meanwhile")

    def set_case_ticket(self, case_id: int, ticket_text: str, actor: str) -> None:
        """Replace a case's ticket text; audited (``case.ticket``). Raises ``LookupError``, or
        ``CaseTamperedError`` when the row no longer matches its newest audit entry (nothing
        written)."""
        now = utcnow()
        with self.engine.begin() as conn:
            audit_chain.lock(conn)
            old = self._one_case(m.cases.c.case_id == case_id, conn)
            if old is None:
                raise LookupError(f"no refund case {case_id}")
            before = audit_chain.check_case(conn, case_id)
            conn.execute(
                m.cases.update()
                .where(m.cases.c.case_id == case_id)
                .values(ticket_text=ticket_text, updated_at=now)
            )
            self._append(
                conn,
                case_id,
                {"policy_id": old.policy_id, "policy_version": old.policy_version},
                [("case.ticket", {"changes": {"ticket_text": [old.ticket_text, ticket_text]}})],
                actor,
                now,
                before=before,
            )

    # ------------------------------------------------------------------ audit
    def audit(
        self,
        actor: str,
        action: str,
        entity: str,
        entity_id: str | None = None,
        policy_version: int | None = None,
        detail: Mapping[str, Any] | None = None,
        *,
        policy_id: str | None = None,
    ) -> int:
        """Append one audit entry to the chain. ``detail`` must be JSON-serialisable (Decimals
        and datetimes become strings). Returns the entry id."""
        with self.engine.begin() as conn:
            return self._audit(
                conn, actor, action, entity, entity_id, policy_id, policy_version, detail, utcnow(),
                host=self.desk_host,
            )  # fmt: skip

    @staticmethod
    def _audit(
        conn: Connection,
        actor: str,
        action: str,
        entity: str,
        entity_id: str | int | None,
        policy_id: str | None,
        policy_version: int | None,
        detail: Mapping[str, Any] | None,
        at: datetime,
        host: str | None = None,
    ) -> int:
        (entry_id,) = audit_chain.append(
            conn,
            [
                {
                    "at": at,
                    "actor": actor,
                    "action": action,
                    "entity": entity,
                    "entity_id": None if entity_id is None else str(entity_id),
                    "policy_id": policy_id,
                    "policy_version": policy_version,
                    "detail_json": _detail_json(detail),
                    "host": host or audit_chain.desk_host(),
                }
            ],
        )
        return entry_id

    def audit_entries(
        self,
        *,
        entity: str | None = None,
        entity_id: str | None = None,
        action: str | None = None,
        limit: int = 100,
        offset: int = 0,
    ) -> list[AuditEntry]:
        """One page of audit entries, newest first, optionally filtered by entity, entity id
        and/or action (e.g. ``entity="order", entity_id="2415…"`` for an order's history)."""
        log = m.audit_log
        conditions = []
        if entity is not None:
            conditions.append(log.c.entity == entity)
        if entity_id is not None:
            conditions.append(log.c.entity_id == entity_id)
        if action is not None:
            conditions.append(log.c.action == action)
        query = select(log)
        if conditions:
            query = query.where(and_(*conditions))
        query = query.order_by(log.c.entry_id.desc()).limit(limit).offset(offset)
        with self.engine.connect() as conn:
            return [
                AuditEntry(
                    entry_id=row.entry_id,
                    at=row.at,
                    actor=row.actor,
                    action=row.action,
                    entity=row.entity,
                    entity_id=row.entity_id,
                    policy_id=row.policy_id,
                    policy_version=row.policy_version,
                    detail=json.loads(row.detail_json),
                    entry_hash=row.entry_hash,
                    host=row.host,
                )
                for row in conn.execute(query)
            ]

    def verify_audit(self) -> audit_chain.ChainReport:
        """Check the audit chain and every case against its newest entry
        (:func:`.audit_chain.verify`); reads only."""
        with self.engine.connect() as conn:
            return audit_chain.verify(conn)


OPEN = ("drafted", "submitted")


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


class _Lost(Exception):
    """A compare-and-set found the case in another status: roll the transaction back."""


def case_values(
    *,
    instance_id: str,
    cancel_at: datetime,
    quote: Any,
    actor: str,
    options: Mapping[str, OrderOptions] | None = None,
    confirmed: bool = False,
    confirmed_at: datetime | None = None,
    confirmation_text: str | None = None,
    confirmation_key: str | None = None,
    ticket_text: str | None = None,
    status: str = DEFAULT_STATUS,
    account_id: str | None = None,
    policy_id: str | None = None,
    policy_version: int | None = None,
    outcome: str | None = None,
    total_refund: Decimal | None = None,
    replaces_case_id: int | None = None,
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The ``cases`` row of a new case (``created_at``/``updated_at`` left to the store) and
    the quote's JSON dict. ``quote`` is a ``Quote`` or its JSON dict. Raises ``ValueError``
    without a policy id and version."""
    if hasattr(quote, "total_refund") and hasattr(quote, "policy_version"):
        from ..policy.serialize import quote_to_dict
        from ..wording_rules import english_explain

        account_id = account_id if account_id is not None else quote.account_id
        policy_id = policy_id or quote.policy_id
        policy_version = policy_version or quote.policy_version
        outcome = outcome or quote.outcome.value
        total_refund = total_refund if total_refund is not None else quote.total_refund
        quote_dict = quote_to_dict(quote, explain=english_explain)
    else:
        quote_dict = dict(quote)
        account_id = account_id if account_id is not None else quote_dict.get("account_id")
        policy_id = policy_id or quote_dict.get("policy")
        policy_version = policy_version or quote_dict.get("policy_version")
        outcome = outcome or quote_dict.get("outcome")
        if total_refund is None and quote_dict.get("total_refund") is not None:
            total_refund = Decimal(str(quote_dict["total_refund"]))
    if not policy_id or not policy_version:
        raise ValueError("a refund case needs the policy id and version it was quoted under")
    for name, moment in (("cancel_at", cancel_at), ("confirmed_at", confirmed_at)):
        if moment is not None and moment.tzinfo is None:
            raise ValueError(f"naive {name} {moment!r}: the store keeps aware times only")
    values = {
        "instance_id": instance_id,
        "account_id": account_id,
        "status": status,
        "status_reason": None,
        "cancel_at": cancel_at,
        "policy_id": policy_id,
        "policy_version": int(policy_version),
        "outcome": outcome,
        "total_refund_fen": None if total_refund is None else to_fen(total_refund),
        "confirmed": bool(confirmed),
        "confirmed_at": confirmed_at,
        "confirmation_text": confirmation_text,
        "confirmation_key": confirmation_key,
        "options_json": json.dumps(options_to_json(options), sort_keys=True),
        "quote_json": json.dumps(quote_dict, ensure_ascii=False, default=str),
        "ticket_text": ticket_text,
        "actor": actor,
        "replaces_case_id": replaces_case_id,
    }
    return values, quote_dict
