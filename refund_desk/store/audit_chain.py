"""The audit log's hash chain: every entry is tied to the one before it and to what it records.

``entry_hash`` = SHA-256 of the canonical JSON of the entry (id, time, actor, action, entity,
entity id, policy, ``detail_json`` as stored), the previous entry's ``entry_hash`` and
``content_hash``. For an entry about a case, ``content_hash`` is the SHA-256 of the case row as
it stood when the entry was written (amounts, status, quote JSON, ticket text, confirmation, …);
every write to a case appends an entry in the same transaction, so the newest entry of each case
must match the case row as it is now.

Before a write appends an entry about an existing case, the writer checks the case row against
its newest entry (:func:`check_case`) and refuses on a mismatch: an entry written over a row
edited outside the desk would record the edit as genuine. Every such entry also records
``before_hash`` (the row's content hash as the writer found it) in its ``detail_json``, so
:func:`verify` catches a row changed between two entries even when the later one was written by
something that did not refuse. Entries written before ``before_hash`` existed carry none and are
checked as before (the algorithm is unchanged).

What :func:`verify` detects: an entry edited, replaced (``INSERT OR REPLACE``) or deleted; a case
row (amount, quote, ticket, status) edited after its newest entry, or between two entries; a case
without entries. What
it cannot: someone who rewrites the whole chain from the edit onwards with this algorithm (the
chain has no secret); the head row (``audit_head``) is the only anchor inside the database.

Appends are serialised: :func:`lock` updates the single ``audit_head`` row first, which takes
SQLite's write lock and PostgreSQL's row lock until the transaction ends, so two desks can never
fork the chain. The algorithm is frozen (``ALGORITHM``): migration 0004 chains older entries
with it, and a change would make every stored chain look broken.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Column, Connection, func, select

from ..errors import CaseTamperedError
from . import models as m

ALGORITHM = "sha256-v1"
GENESIS = "0" * 64
"""The ``prev_hash`` of the first entry."""
CHAIN = "audit"
BEFORE_HASH = "before_hash"
"""The key, in a case entry's detail, of the case row's content hash before the entry's write
(``None`` for the entry that creates the case)."""

CASE_CONTENT_COLUMNS = (
    "case_id",
    "instance_id",
    "account_id",
    "status",
    "status_reason",
    "cancel_at",
    "policy_id",
    "policy_version",
    "outcome",
    "total_refund_fen",
    "confirmed",
    "confirmed_at",
    "confirmation_text",
    "confirmation_key",
    "options_json",
    "quote_json",
    "ticket_text",
    "actor",
    "created_at",
    "updated_at",
    "replaces_case_id",
)
"""Every column of a case row before 0007: what a case entry's ``content_hash`` always covers."""

OPTIONAL_COLUMNS = ("host",)
"""Columns added later (0007: the desk a case was recorded on, the desk an entry was written
from): hashed only when set, so every case and entry written before they existed (NULL there)
keeps its hash, and one written after is covered — NULLing it afterwards breaks the chain."""


def desk_host() -> str:
    """This computer's name (``socket.gethostname()``), as stored in ``host`` columns."""
    import socket

    return socket.gethostname() or "unknown"


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        # As the store reads it back: aware UTC (UTCDateTime).
        return value.astimezone(UTC).isoformat() if value.tzinfo else value.isoformat()
    return value


def canonical(data: Mapping[str, Any]) -> bytes:
    """``data`` as canonical JSON (sorted keys, no spaces, UTF-8; datetimes ISO 8601)."""
    return json.dumps(
        {k: _plain(v) for k, v in data.items()},
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    ).encode("utf-8")


def case_content_hash(row: Mapping[Any, Any]) -> str:
    """SHA-256 (hex) of a case row (a mapping with :data:`CASE_CONTENT_COLUMNS`, and
    :data:`OPTIONAL_COLUMNS` when set)."""
    data = {c: row[c] for c in CASE_CONTENT_COLUMNS}
    data.update({c: row[c] for c in OPTIONAL_COLUMNS if row.get(c) is not None})
    return hashlib.sha256(canonical(data)).hexdigest()


def entry_hash(entry: Mapping[Any, Any], prev_hash: str, content_hash: str | None) -> str:
    """SHA-256 (hex) of one audit entry (``entry_id``, ``at``, ``actor``, ``action``, ``entity``,
    ``entity_id``, ``policy_id``, ``policy_version``, ``detail_json``, and ``host`` when set)
    chained to ``prev_hash`` and to ``content_hash``."""
    material = {
        "algorithm": ALGORITHM,
        "entry_id": int(entry["entry_id"]),
        "at": entry["at"],
        "actor": entry["actor"],
        "action": entry["action"],
        "entity": entry["entity"],
        "entity_id": entry["entity_id"],
        "policy_id": entry["policy_id"],
        "policy_version": entry["policy_version"],
        "detail_json": entry["detail_json"],
        "prev_hash": prev_hash,
        "content_hash": content_hash,
    }
    material.update({c: entry[c] for c in OPTIONAL_COLUMNS if entry.get(c) is not None})
    return hashlib.sha256(canonical(material)).hexdigest()


def lock(conn: Connection) -> None:
    """Take the chain's lock for the rest of the transaction (update the head row). Call it
    before reading anything a write depends on; harmless to call twice."""
    head = m.audit_head
    done = conn.execute(
        head.update().where(head.c.chain == CHAIN).values(appends=head.c.appends + 1)
    ).rowcount
    if not done:  # a database whose head row is missing (never after migration 0004)
        conn.execute(
            head.insert().values(chain=CHAIN, last_entry_id=0, last_hash=GENESIS, appends=1)
        )


def _case_row(
    conn: Connection, case_id: str | None, columns: tuple[str, ...] | None
) -> Mapping[Any, Any] | None:
    if case_id is None or not str(case_id).isdigit():
        return None
    return (
        conn.execute(select(*_case_columns(columns)).where(m.cases.c.case_id == int(case_id)))
        .mappings()
        .first()
    )


def _case_columns(columns: tuple[str, ...] | None = None) -> list[Column[Any]]:
    # Only the columns the algorithm covers: a later migration may add more.
    names = columns if columns is not None else CASE_CONTENT_COLUMNS + OPTIONAL_COLUMNS
    return [m.cases.c[name] for name in names]


def current_case_hash(conn: Connection, case_id: int) -> str | None:
    """The content hash of case ``case_id`` as its row stands now in ``conn``'s transaction
    (:func:`case_content_hash`), or ``None`` when there is no such case."""
    row = _case_row(conn, str(case_id), None)
    return None if row is None else case_content_hash(row)


def newest_case_entry(conn: Connection, case_id: int) -> tuple[int, str | None] | None:
    """``(entry_id, content_hash)`` of the newest audit entry about case ``case_id``, or
    ``None`` when it has none (index ``ix_audit_log_entity_entity_id_entry_id``)."""
    log = m.audit_log
    row = conn.execute(
        select(log.c.entry_id, log.c.content_hash)
        .where(log.c.entity == "case", log.c.entity_id == str(case_id))
        .order_by(log.c.entry_id.desc())
        .limit(1)
    ).first()
    return None if row is None else (int(row.entry_id), row.content_hash)


def check_case(conn: Connection, case_id: int) -> str | None:
    """Before writing about case ``case_id``: its row must be what its newest audit entry
    recorded. Call it under :func:`lock`, before changing the row.

    Returns:
        The row's content hash (hex; what the next entry records as ``before_hash``), or
        ``None`` when the case does not exist (the caller decides what that means).
    Raises:
        refund_desk.errors.CaseTamperedError: the row differs from its newest entry's
            ``content_hash``, or the case has no entry; the caller's transaction must be rolled
            back (nothing written).
    """
    current = current_case_hash(conn, case_id)
    if current is None:
        return None
    newest = newest_case_entry(conn, case_id)
    if newest is None or newest[1] != current:
        raise CaseTamperedError(case_id, newest[0] if newest is not None else None)
    return current


def append(
    conn: Connection,
    entries: Iterable[Mapping[str, Any]],
    *,
    case_columns: tuple[str, ...] | None = None,
) -> list[int]:
    """Append audit entries to the chain inside the caller's transaction.

    Args:
        conn: a connection in a write transaction (``engine.begin()``); the entries are written
            with it and become visible when it commits.
        entries: mappings with ``at`` (aware), ``actor``, ``action``, ``entity``, ``entity_id``,
            ``policy_id``, ``policy_version``, ``detail_json`` (already serialised text) and,
            from schema 0007, ``host`` (the desk: :func:`desk_host`). An entry about a case
            (``entity == "case"``) is hashed with the case row as it stands now in this
            transaction: write the case first.
        case_columns: the case columns the schema has (a migration before 0007 passes
            :data:`CASE_CONTENT_COLUMNS`); default all of them.
    Returns:
        The new entry ids, in order.
    """
    entries = list(entries)
    if not entries:
        return []
    lock(conn)
    head = m.audit_head
    last_id, prev = conn.execute(
        select(head.c.last_entry_id, head.c.last_hash).where(head.c.chain == CHAIN)
    ).one()
    newest = conn.execute(select(func.max(m.audit_log.c.entry_id))).scalar() or 0
    next_id = max(int(last_id), int(newest)) + 1
    rows = []
    for entry in entries:
        content = None
        if entry["entity"] == "case":
            row = _case_row(conn, entry["entity_id"], case_columns)
            content = case_content_hash(row) if row is not None else None
        values = dict(entry, entry_id=next_id)
        # Hashed as the database gives them back (entity ids are text, versions integers).
        if values.get("entity_id") is not None:
            values["entity_id"] = str(values["entity_id"])
        if values.get("policy_version") is not None:
            values["policy_version"] = int(values["policy_version"])
        digest = entry_hash(values, prev, content)
        rows.append(dict(values, prev_hash=prev, content_hash=content, entry_hash=digest))
        prev = digest
        next_id += 1
    conn.execute(m.audit_log.insert(), rows)
    conn.execute(
        head.update()
        .where(head.c.chain == CHAIN)
        .values(last_entry_id=rows[-1]["entry_id"], last_hash=prev)
    )
    return [r["entry_id"] for r in rows]


@dataclass(frozen=True, slots=True)
class ChainProblem:
    """One place the chain is broken: the entry (``None`` when an entry is missing at the end
    or a case has none), the case it belongs to (or ``None``), and what is wrong in words."""

    entry_id: int | None
    case_id: int | None
    problem: str

    def sentence(self) -> str:
        """``'audit entry #12 (case #3): the case row was changed after …'``."""
        where = f"audit entry #{self.entry_id}" if self.entry_id is not None else "audit log"
        if self.case_id is not None:
            where += f" (case #{self.case_id})"
        return f"{where}: {self.problem}"


@dataclass(frozen=True, slots=True)
class ChainReport:
    """What :func:`verify` found: ``entries`` checked, ``cases`` checked, and the problems in
    entry order (empty when the chain is intact)."""

    entries: int
    cases: int
    problems: tuple[ChainProblem, ...]

    @property
    def intact(self) -> bool:
        return not self.problems

    @property
    def first(self) -> ChainProblem | None:
        """The first broken entry (the one a supervisor looks at first)."""
        return self.problems[0] if self.problems else None


def _case_of(entity: str, entity_id: str | None) -> int | None:
    if entity == "case" and entity_id is not None and str(entity_id).isdigit():
        return int(entity_id)
    return None


def _changed_between(row: Mapping[Any, Any], previous: tuple[int, str | None] | None) -> str | None:
    """Why a case entry's ``before_hash`` does not match the entry of that case before it, or
    ``None`` (it matches, or the entry predates ``before_hash``)."""
    text = row["detail_json"] or ""
    if f'"{BEFORE_HASH}"' not in text:
        return None
    try:
        before = json.loads(text).get(BEFORE_HASH, None)
    except (ValueError, AttributeError):
        return None  # not this check's business: the entry hash covers the text
    recorded = previous[1] if previous is not None else None
    if before == recorded:
        return None
    if previous is None:
        return "the entry says the case existed before it, but no earlier entry recorded it"
    return (
        f"the case (amounts, quote, ticket or status) was changed between audit entry "
        f"#{previous[0]} and this one"
    )


def verify(conn: Connection) -> ChainReport:
    """Check the whole chain and every case against its newest entry.

    Reads every entry in id order (one pass, constant memory per entry besides one hash per
    case). Never writes.

    Returns:
        :class:`ChainReport`; its ``problems`` name the entries (and cases) that do not match.
    """
    log = m.audit_log
    problems: list[ChainProblem] = []
    newest_of_case: dict[int, tuple[int, str | None]] = {}
    prev = GENESIS
    count = 0
    columns = (
        log.c.entry_id, log.c.at, log.c.actor, log.c.action, log.c.entity, log.c.entity_id,
        log.c.policy_id, log.c.policy_version, log.c.detail_json, log.c.prev_hash,
        log.c.content_hash, log.c.entry_hash, log.c.host,
    )  # fmt: skip
    result = conn.execution_options(yield_per=2000).execute(
        select(*columns).order_by(log.c.entry_id)
    )
    for row in result.mappings():
        count += 1
        case_id = _case_of(row["entity"], row["entity_id"])
        between = None
        if case_id is not None:
            between = _changed_between(row, newest_of_case.get(case_id))
            newest_of_case[case_id] = (row["entry_id"], row["content_hash"])
        if row["entry_hash"] is None:
            problems.append(
                ChainProblem(row["entry_id"], case_id, "the entry carries no hash (not chained)")
            )
            prev = GENESIS
            continue
        if row["prev_hash"] != prev:
            problems.append(
                ChainProblem(
                    row["entry_id"],
                    case_id,
                    "it does not follow the entry before it: an entry before it was deleted, "
                    "added or changed",
                )
            )
        elif entry_hash(row, row["prev_hash"], row["content_hash"]) != row["entry_hash"]:
            problems.append(
                ChainProblem(row["entry_id"], case_id, "the entry was changed after it was written")
            )
        elif between is not None:  # an entry the chain vouches for: its before_hash is true
            problems.append(ChainProblem(row["entry_id"], case_id, between))
        prev = row["entry_hash"]
    head = conn.execute(
        select(m.audit_head.c.last_entry_id, m.audit_head.c.last_hash).where(
            m.audit_head.c.chain == CHAIN
        )
    ).first()
    if head is not None and head.last_hash != prev:
        problems.append(
            ChainProblem(
                None,
                None,
                f"the newest entry (#{head.last_entry_id}) is missing or was changed",
            )
        )
    case_ids = set()
    for row in conn.execute(select(*_case_columns())).mappings():
        case_ids.add(row["case_id"])
        newest = newest_of_case.get(row["case_id"])
        if newest is None:
            problems.append(ChainProblem(None, row["case_id"], "the case has no audit entry"))
        elif newest[1] != case_content_hash(row):
            problems.append(
                ChainProblem(
                    newest[0],
                    row["case_id"],
                    "the case (amounts, quote, ticket or status) was changed after this entry "
                    "recorded it",
                )
            )
    for case_id, (entry_id, content) in newest_of_case.items():
        if case_id not in case_ids and content is not None:
            problems.append(ChainProblem(entry_id, case_id, "the case it records was deleted"))
    problems.sort(key=lambda p: (p.entry_id is None, p.entry_id or 0))
    return ChainReport(entries=count, cases=len(case_ids), problems=tuple(problems))
