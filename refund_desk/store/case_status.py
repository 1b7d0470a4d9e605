"""Changing a recorded case: its status as one compare-and-set with its ``case.status`` entry
(``UPDATE … WHERE case_id = :id AND status = :expected``, row count checked), the failed case
and its replacement together (``ROUTE-FALLBACK``), its ticket text. A write first checks the
row against its newest audit entry (:func:`.audit_chain.check_case`) and refuses with
``CaseTamperedError`` when it was changed outside the desk; every entry records
``before_hash``. Which transitions are allowed is decided in :mod:`refund_desk.services.cases`.
No Qt.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Connection, Row
from sqlalchemy.exc import IntegrityError

from ..errors import CaseTransitionError
from . import audit_chain
from . import models as m
from .case_recording import CaseRecording
from .case_rows import utcnow
from .records import CaseRecord


class CaseStatusChanges(CaseRecording):
    """Changing recorded cases (a mixin of :class:`~.case_store.CaseStore`)."""

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


class _Lost(Exception):
    """A compare-and-set found the case in another status: roll the transaction back."""
