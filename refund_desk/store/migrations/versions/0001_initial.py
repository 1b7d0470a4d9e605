"""Initial schema: accounts, instances, orders, order ↔ instance links, cases, audit log, meta.

Revision ID: 0001_initial
Revises:
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from refund_desk.store.models import UTCDateTime, id_type

revision = "0001_initial"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "desk_meta",
        sa.Column("key", sa.String(64), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("key", name="pk_desk_meta"),
    )
    op.create_table(
        "accounts",
        sa.Column("account_id", id_type(), nullable=False),
        sa.Column("name", sa.String(200), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("account_id", name="pk_accounts"),
    )
    op.create_table(
        "instances",
        sa.Column("instance_id", id_type(), nullable=False),
        sa.Column("account_id", id_type(), nullable=True),
        sa.Column("declared_kind", sa.String(16), nullable=True),
        sa.Column("region", sa.String(32), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"], ["accounts.account_id"], name="fk_instances_account_id_accounts"
        ),
        sa.PrimaryKeyConstraint("instance_id", name="pk_instances"),
    )
    op.create_index(
        "ix_instances_account_id_instance_id", "instances", ["account_id", "instance_id"]
    )
    op.create_table(
        "orders",
        sa.Column("order_id", id_type(), nullable=False),
        sa.Column("sub_order_id", id_type(), nullable=True),
        sa.Column("account_id", id_type(), nullable=True),
        sa.Column("order_type", sa.String(16), nullable=True),
        sa.Column("subscription_type", sa.String(16), nullable=True),
        sa.Column("payment_status", sa.String(16), nullable=True),
        sa.Column("currency", sa.String(3), nullable=True),
        sa.Column("create_time", UTCDateTime(), nullable=True),
        sa.Column("payment_time", UTCDateTime(), nullable=True),
        sa.Column("usage_start", UTCDateTime(), nullable=True),
        sa.Column("usage_end", UTCDateTime(), nullable=True),
        sa.Column("list_price_fen", sa.BigInteger(), nullable=True),
        sa.Column("cash_fen", sa.BigInteger(), nullable=True),
        sa.Column("prepaid_card_fen", sa.BigInteger(), nullable=True),
        sa.Column("voucher_fen", sa.BigInteger(), nullable=True),
        sa.Column("coupon_fen", sa.BigInteger(), nullable=True),
        sa.Column("channel", sa.String(40), nullable=True),
        sa.Column("invoiced", sa.Boolean(), nullable=True),
        sa.Column("marketplace", sa.Boolean(), nullable=True),
        sa.Column("assumed_tz", sa.Boolean(), nullable=False),
        sa.Column("region", sa.String(32), nullable=True),
        sa.Column("detail_source", sa.String(16), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"], ["accounts.account_id"], name="fk_orders_account_id_accounts"
        ),
        sa.PrimaryKeyConstraint("order_id", name="pk_orders"),
    )
    op.create_index(
        "ix_orders_account_id_payment_time_order_id",
        "orders",
        ["account_id", "payment_time", "order_id"],
    )
    op.create_table(
        "order_instances",
        sa.Column("order_id", id_type(), nullable=False),
        sa.Column("instance_id", id_type(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["order_id"], ["orders.order_id"], name="fk_order_instances_order_id_orders"
        ),
        sa.ForeignKeyConstraint(
            ["instance_id"],
            ["instances.instance_id"],
            name="fk_order_instances_instance_id_instances",
        ),
        sa.PrimaryKeyConstraint("order_id", "instance_id", name="pk_order_instances"),
    )
    op.create_index(
        "ix_order_instances_instance_id_order_id", "order_instances", ["instance_id", "order_id"]
    )
    op.create_table(
        "cases",
        sa.Column("case_id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("instance_id", id_type(), nullable=False),
        sa.Column("account_id", id_type(), nullable=True),
        sa.Column("status", sa.String(32), nullable=False),
        sa.Column("status_reason", sa.Text(), nullable=True),
        sa.Column("cancel_at", UTCDateTime(), nullable=False),
        sa.Column("policy_id", sa.String(64), nullable=False),
        sa.Column("policy_version", sa.Integer(), nullable=False),
        sa.Column("outcome", sa.String(32), nullable=True),
        sa.Column("total_refund_fen", sa.BigInteger(), nullable=True),
        sa.Column("confirmed", sa.Boolean(), nullable=False),
        sa.Column("confirmed_at", UTCDateTime(), nullable=True),
        sa.Column("confirmation_text", sa.Text(), nullable=True),
        sa.Column("options_json", sa.Text(), nullable=False),
        sa.Column("quote_json", sa.Text(), nullable=False),
        sa.Column("ticket_text", sa.Text(), nullable=True),
        sa.Column("actor", sa.String(100), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("case_id", name="pk_cases"),
    )
    op.create_index("ix_cases_instance_id_case_id", "cases", ["instance_id", "case_id"])
    op.create_index("ix_cases_created_at", "cases", ["created_at"])
    op.create_table(
        "audit_log",
        sa.Column("entry_id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("actor", sa.String(100), nullable=False),
        sa.Column("action", sa.String(64), nullable=False),
        sa.Column("entity", sa.String(32), nullable=False),
        sa.Column("entity_id", id_type(), nullable=True),
        sa.Column("policy_id", sa.String(64), nullable=True),
        sa.Column("policy_version", sa.Integer(), nullable=True),
        sa.Column("detail_json", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("entry_id", name="pk_audit_log"),
    )
    op.create_index(
        "ix_audit_log_entity_entity_id_entry_id", "audit_log", ["entity", "entity_id", "entry_id"]
    )
    # The audit log is append-only: the database itself refuses to change or delete an entry.
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        op.execute(
            "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log "
            "BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END"
        )
        op.execute(
            "CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log "
            "BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END"
        )
    elif dialect == "postgresql":
        # The same refusal on PostgreSQL, for every role including the owner (privileges can be
        # granted back; a trigger must be dropped on purpose). TRUNCATE skips row triggers, so
        # it gets a statement trigger of its own. docs/postgresql/ also revokes the privileges
        # from the desk's role.
        op.execute(
            "CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ "
            "BEGIN RAISE EXCEPTION 'the audit log is append-only (% refused)', TG_OP "
            "USING ERRCODE = 'insufficient_privilege'; END $$"
        )
        for name, event, level in (
            ("audit_log_no_update", "UPDATE", "ROW"),
            ("audit_log_no_delete", "DELETE", "ROW"),
            ("audit_log_no_truncate", "TRUNCATE", "STATEMENT"),
        ):
            op.execute(
                f"CREATE TRIGGER {name} BEFORE {event} ON audit_log "
                f"FOR EACH {level} EXECUTE FUNCTION audit_log_append_only()"
            )


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS audit_log_no_update")
        op.execute("DROP TRIGGER IF EXISTS audit_log_no_delete")
    elif dialect == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS audit_log_append_only() CASCADE")
    op.drop_index("ix_audit_log_entity_entity_id_entry_id", table_name="audit_log")
    op.drop_table("audit_log")
    op.drop_index("ix_cases_created_at", table_name="cases")
    op.drop_index("ix_cases_instance_id_case_id", table_name="cases")
    op.drop_table("cases")
    op.drop_index("ix_order_instances_instance_id_order_id", table_name="order_instances")
    op.drop_table("order_instances")
    op.drop_index("ix_orders_account_id_payment_time_order_id", table_name="orders")
    op.drop_table("orders")
    op.drop_index("ix_instances_account_id_instance_id", table_name="instances")
    op.drop_table("instances")
    op.drop_table("accounts")
    op.drop_table("desk_meta")
