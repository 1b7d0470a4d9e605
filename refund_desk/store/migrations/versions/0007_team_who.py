"""The team desk (issue 14 part 2): who wrote what, and a live feed of case changes.

- ``cases.host`` and ``audit_log.host``: the desk (computer name) a case was recorded on and
  each audit entry was written from; the operator's name is the existing ``actor``. Both are
  NULL for what was written before this revision: the hash chain covers ``host`` only when it
  is set (``store/audit_chain.py``), so the entries and cases already chained keep their
  hashes and ``audit verify`` stays intact across the upgrade — nothing is re-chained and the
  append-only triggers stay on.
- ``ix_cases_actor``: the Cases tab filters by operator.
- PostgreSQL only: the trigger ``cases_notify`` sends ``NOTIFY refund_desk_cases`` with the
  case id, instance id, status, operator, desk and time (JSON) for every insert or update of
  a case, in the writing transaction itself: PostgreSQL delivers it at commit, never for a
  write rolled back (``services/live.py`` listens). SQLite desks poll instead.

Revision ID: 0007_team_who
Revises: 0006_search_names
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007_team_who"
down_revision = "0006_search_names"
branch_labels = None
depends_on = None

CHANNEL = "refund_desk_cases"
"""The NOTIFY channel (``refund_desk.services.live.CHANNEL``)."""


def upgrade() -> None:
    # ADD COLUMN of a nullable column rewrites no row: the append-only triggers never fire.
    with op.batch_alter_table("cases") as batch:
        batch.add_column(sa.Column("host", sa.String(255), nullable=True))
    with op.batch_alter_table("audit_log") as batch:
        batch.add_column(sa.Column("host", sa.String(255), nullable=True))
    op.create_index("ix_cases_actor", "cases", ["actor"])
    if op.get_bind().dialect.name == "postgresql":
        # TG_TABLE_SCHEMA in the payload: one database may hold several desk schemas (the
        # tests do); a listener keeps only its own schema's changes.
        op.execute(
            "CREATE FUNCTION cases_notify() RETURNS trigger LANGUAGE plpgsql AS $$ "
            "BEGIN "
            f"PERFORM pg_notify('{CHANNEL}', json_build_object("
            "'schema', TG_TABLE_SCHEMA, 'case_id', NEW.case_id, "
            "'instance_id', NEW.instance_id, 'status', NEW.status, 'actor', NEW.actor, "
            "'host', NEW.host, 'at', NEW.updated_at)::text); "
            "RETURN NULL; "
            "END $$"
        )
        op.execute(
            "CREATE TRIGGER cases_notify AFTER INSERT OR UPDATE ON cases "
            "FOR EACH ROW EXECUTE FUNCTION cases_notify()"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS cases_notify ON cases")
        op.execute("DROP FUNCTION IF EXISTS cases_notify()")
    op.drop_index("ix_cases_actor", table_name="cases")
    with op.batch_alter_table("audit_log") as batch:
        batch.drop_column("host")
    with op.batch_alter_table("cases") as batch:
        batch.drop_column("host")
