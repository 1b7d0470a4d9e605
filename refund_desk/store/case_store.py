"""Refund cases, their history and the audit log: the storage half of the case life cycle.

:class:`CaseStore` is mixed into :class:`~refund_desk.store.repository.OrderStore` (it needs only
``self.engine``). The rules of the life cycle live in :mod:`refund_desk.services.cases`; the
store gives it the primitives, each one transaction, one module a responsibility:

- :mod:`.case_rows`: a case as a ``cases`` row and back (:func:`~.case_rows.case_values`,
  :func:`~.case_rows.case_from_row`, :func:`~.case_rows.case_fact`);
- :mod:`.case_queries`: reading cases and an instance's history (RULES.md §7);
- :mod:`.case_recording`: :meth:`CaseStore.insert_case` writes a case and its audit entries
  together; the database refuses a second open case for an instance
  (``ux_cases_open_instance``), a second case for one confirmation key and a second replacement
  of one failed case;
- :mod:`.case_status`: :meth:`CaseStore.compare_and_set_status` moves a case only from the
  status the caller saw (``UPDATE … WHERE case_id = :id AND status = :expected``, row count
  checked), with its entry; :meth:`CaseStore.fail_and_replace` does both for
  ``ROUTE-FALLBACK``;
- here: the desk's name written on every row and entry, and the audit log itself.

Every audit entry goes through :mod:`.audit_chain` (hash chained, appends serialised). A write
about an existing case first checks its row against its newest entry
(:func:`.audit_chain.check_case`) and refuses with ``CaseTamperedError`` when the row was changed
outside the desk; every case entry records ``before_hash``. No Qt here.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import and_, select
from sqlalchemy.engine import Connection

from . import audit_chain
from . import models as m
from .case_rows import detail_json, utcnow
from .case_status import CaseStatusChanges
from .records import AuditEntry


class CaseStore(CaseStatusChanges):
    """Cases, instance history and the audit log (mixed into ``OrderStore``; needs
    ``self.engine``): reading (:class:`~.case_queries.CaseQueries`), recording
    (:class:`~.case_recording.CaseRecording`), status changes
    (:class:`~.case_status.CaseStatusChanges`), and here the desk's name and the audit log."""

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
                    "detail_json": detail_json(detail),
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
