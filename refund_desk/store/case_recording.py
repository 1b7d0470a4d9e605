"""Recording a refund case: the case row and its audit entries in ONE transaction
(:meth:`CaseRecording.insert_case`, and :meth:`CaseRecording.add_case`, the lower-level door
that builds the row). The database refuses a second open case for an instance
(``ux_cases_open_instance``), a second case for one confirmation key and a second replacement
of one failed case; the refusal is read back as the error that names the case in the way.
Every entry goes through :mod:`.audit_chain` (hash chained, appends serialised). No Qt.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import and_
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError

from ..errors import (
    CaseTransitionError,
    DuplicateConfirmationError,
    FallbackDoneError,
    OpenCaseExistsError,
)
from ..policy.model import OrderOptions, Quote
from . import audit_chain
from . import models as m
from .case_queries import CaseQueries
from .case_rows import DEFAULT_STATUS, case_values, cny_of_fen, detail_json, utcnow
from .records import CaseRecord


class CaseRecording(CaseQueries):
    """Writing new cases and their audit entries (a mixin of :class:`~.case_store.CaseStore`;
    needs ``self.engine`` and ``self.desk_host``)."""

    desk_host: str

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
                    "detail_json": detail_json(
                        {**detail, audit_chain.BEFORE_HASH: before if i == 0 else after}
                    ),
                    "host": self.desk_host,
                }
                for i, (action, detail) in enumerate(entries)
            ],
        )

    def add_case(
        self,
        *,
        instance_id: str,
        cancel_at: datetime,
        quote: Quote | Mapping[str, Any],
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
            detail["total_refund"] = str(cny_of_fen(values["total_refund_fen"]))
        case = self.insert_case(
            values, [("case.add", detail)], actor=actor, refuse_if_refunded=False
        )
        return case.case_id
