"""The case trail (RULES.md §7): one open case per instance, one fallback replacement per failed
case, a hash-chained audit log, refund orders and instance status from the billing data.

- ``cases.replaces_case_id`` (unique) and a partial unique index on ``cases.instance_id`` for
  the open statuses (drafted, submitted), on SQLite and PostgreSQL alike. A database recorded
  before this guard may hold several open cases for one instance: the furthest along (submitted
  before drafted), then the oldest, stays open; the others are closed with the status
  ``duplicate`` and a reason naming the case kept. Legacy status ``recorded`` becomes
  ``drafted``.
- ``audit_log.prev_hash``, ``content_hash``, ``entry_hash`` and the ``audit_head`` row: every
  entry already there is chained in id order, then each case gets a ``case.snapshot`` entry
  recording it as it is now (the chain's content starts there).
- ``refund_orders`` and ``instance_status`` tables.

Revision ID: 0004_case_trail
Revises: 0003_case_confirmation_key
Create Date: 2026-12-03
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

from refund_desk.store.models import OPEN_CASE_WHERE, UTCDateTime, id_type

revision = "0004_case_trail"
down_revision = "0003_case_confirmation_key"
branch_labels = None
depends_on = None

ACTOR = "desk upgrade (schema 0004)"


def _sqlite() -> bool:
    return op.get_bind().dialect.name == "sqlite"


def _close_duplicate_open_cases(conn, cases) -> list[tuple[int, str]]:
    """Close all but one open case per instance; returns ``[(case_id, reason)]`` closed."""
    rows = conn.execute(
        sa.select(cases.c.case_id, cases.c.instance_id, cases.c.status)
        .where(cases.c.status.in_(("drafted", "submitted")))
        .order_by(cases.c.instance_id, cases.c.case_id)
    ).all()
    by_instance: dict[str, list] = {}
    for row in rows:
        by_instance.setdefault(row.instance_id, []).append(row)
    closed = []
    for instance_id, open_cases in by_instance.items():
        if len(open_cases) < 2:
            continue
        keep = min(open_cases, key=lambda r: (r.status != "submitted", r.case_id))
        for row in open_cases:
            if row.case_id == keep.case_id:
                continue
            reason = (
                f"duplicate of case #{keep.case_id} for {instance_id}: two open cases were "
                "recorded before the desk enforced one per instance; check which ticket was "
                "submitted"
            )
            conn.execute(
                cases.update()
                .where(cases.c.case_id == row.case_id)
                .values(status="duplicate", status_reason=reason)
            )
            closed.append((row.case_id, reason))
    return closed


def upgrade() -> None:
    conn = op.get_bind()
    cases = sa.table(
        "cases",
        sa.column("case_id", sa.Integer),
        sa.column("instance_id", sa.String),
        sa.column("status", sa.String),
        sa.column("status_reason", sa.Text),
        sa.column("policy_id", sa.String),
        sa.column("policy_version", sa.Integer),
    )
    conn.execute(cases.update().where(cases.c.status == "recorded").values(status="drafted"))
    closed = _close_duplicate_open_cases(conn, cases)

    with op.batch_alter_table("cases") as batch:
        batch.add_column(sa.Column("replaces_case_id", sa.Integer(), nullable=True))
    op.create_index("ux_cases_replaces_case_id", "cases", ["replaces_case_id"], unique=True)
    op.create_index(
        "ux_cases_open_instance",
        "cases",
        ["instance_id"],
        unique=True,
        sqlite_where=sa.text(OPEN_CASE_WHERE),
        postgresql_where=sa.text(OPEN_CASE_WHERE),
    )

    # The append-only triggers would refuse the chaining below; they come back after it (inside
    # this migration's transaction: no desk ever sees the log without them).
    if _sqlite():
        op.execute("DROP TRIGGER IF EXISTS audit_log_no_update")
        op.execute("DROP TRIGGER IF EXISTS audit_log_no_delete")
    else:
        op.execute("ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update")
    with op.batch_alter_table("audit_log") as batch:
        batch.add_column(sa.Column("prev_hash", sa.String(64), nullable=True))
        batch.add_column(sa.Column("content_hash", sa.String(64), nullable=True))
        batch.add_column(sa.Column("entry_hash", sa.String(64), nullable=True))
    op.create_table(
        "audit_head",
        sa.Column("chain", sa.String(16), nullable=False),
        sa.Column("last_entry_id", sa.Integer(), nullable=False),
        sa.Column("last_hash", sa.String(64), nullable=False),
        sa.Column("appends", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("chain", name="pk_audit_head"),
    )
    op.create_table(
        "refund_orders",
        sa.Column("order_id", id_type(), nullable=False),
        sa.Column("related_order_id", id_type(), nullable=True),
        sa.Column("instance_id", id_type(), nullable=True),
        sa.Column("account_id", id_type(), nullable=True),
        sa.Column("refunded_at", UTCDateTime(), nullable=True),
        sa.Column("amount_fen", sa.BigInteger(), nullable=True),
        sa.Column("currency", sa.String(3), nullable=True),
        sa.Column("source", sa.String(32), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("order_id", name="pk_refund_orders"),
    )
    op.create_index("ix_refund_orders_instance_id", "refund_orders", ["instance_id"])
    op.create_index("ix_refund_orders_related_order_id", "refund_orders", ["related_order_id"])
    op.create_table(
        "instance_status",
        sa.Column("instance_id", id_type(), nullable=False),
        sa.Column("status", sa.String(32), nullable=True),
        sa.Column("sub_status", sa.String(32), nullable=True),
        sa.Column("released", sa.Boolean(), nullable=False),
        sa.Column("release_time", UTCDateTime(), nullable=True),
        sa.Column("end_time", UTCDateTime(), nullable=True),
        sa.Column("source", sa.String(200), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("instance_id", name="pk_instance_status"),
    )

    _chain_existing_entries(conn, closed)

    if _sqlite():
        op.execute(
            "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log "
            "BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END"
        )
        op.execute(
            "CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log "
            "BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END"
        )
    else:
        op.execute("ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_update")


def _chain_existing_entries(conn, closed: list[tuple[int, str]]) -> None:
    """Hash every entry already there in id order, then append one ``case.snapshot`` entry
    per case (and a ``case.status`` entry per duplicate closed above) so each case's newest
    entry records the row as it is now."""
    from refund_desk.store import audit_chain
    from refund_desk.store import models as m

    log = m.audit_log
    prev = audit_chain.GENESIS
    last_id = 0
    rows = conn.execute(
        sa.select(
            log.c.entry_id, log.c.at, log.c.actor, log.c.action, log.c.entity, log.c.entity_id,
            log.c.policy_id, log.c.policy_version, log.c.detail_json,
        ).order_by(log.c.entry_id)
    ).mappings().all()  # fmt: skip
    for row in rows:
        digest = audit_chain.entry_hash(row, prev, None)
        conn.execute(
            log.update()
            .where(log.c.entry_id == row["entry_id"])
            .values(prev_hash=prev, content_hash=None, entry_hash=digest)
        )
        prev, last_id = digest, row["entry_id"]
    conn.execute(
        m.audit_head.insert().values(
            chain=audit_chain.CHAIN, last_entry_id=last_id, last_hash=prev, appends=0
        )
    )
    now = datetime.now(UTC)
    closed_reason = dict(closed)
    entries = []
    for case in conn.execute(
        sa.select(
            m.cases.c.case_id, m.cases.c.status, m.cases.c.policy_id, m.cases.c.policy_version
        ).order_by(m.cases.c.case_id)
    ):
        action = "case.status" if case.case_id in closed_reason else "case.snapshot"
        detail = (
            {"changes": {"status": ["open", "duplicate"]}, "reason": closed_reason[case.case_id]}
            if case.case_id in closed_reason
            else {"status": case.status, "why": "the audit chain starts recording this case here"}
        )
        entries.append(
            {
                "at": now,
                "actor": ACTOR,
                "action": action,
                "entity": "case",
                "entity_id": str(case.case_id),
                "policy_id": case.policy_id,
                "policy_version": case.policy_version,
                "detail_json": json.dumps(detail, sort_keys=True, ensure_ascii=False),
            }
        )
    # The case columns of this revision (later ones, e.g. 0007's host, do not exist yet).
    audit_chain.append(conn, entries, case_columns=audit_chain.CASE_CONTENT_COLUMNS)


def downgrade() -> None:
    if _sqlite():
        op.execute("DROP TRIGGER IF EXISTS audit_log_no_update")
        op.execute("DROP TRIGGER IF EXISTS audit_log_no_delete")
    op.drop_table("instance_status")
    op.drop_index("ix_refund_orders_related_order_id", table_name="refund_orders")
    op.drop_index("ix_refund_orders_instance_id", table_name="refund_orders")
    op.drop_table("refund_orders")
    op.drop_table("audit_head")
    with op.batch_alter_table("audit_log") as batch:
        batch.drop_column("entry_hash")
        batch.drop_column("content_hash")
        batch.drop_column("prev_hash")
    op.drop_index("ux_cases_open_instance", table_name="cases")
    op.drop_index("ux_cases_replaces_case_id", table_name="cases")
    with op.batch_alter_table("cases") as batch:
        batch.drop_column("replaces_case_id")
    if _sqlite():
        op.execute(
            "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log "
            "BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END"
        )
        op.execute(
            "CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log "
            "BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END"
        )
