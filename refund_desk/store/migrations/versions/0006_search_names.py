"""Search ignores the case of ids and finds accounts by name: expression indexes on the
case-folded account id, account name, instance id and order id (``lower(…)``), so each lookup
stays an index range scan (issue 12).

On PostgreSQL the folded key is in the binary "C" collation: a prefix range over a linguistic
collation would not cover exactly the values with that prefix.

Revision ID: 0006_search_names
Revises: 0005_bill_records
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006_search_names"
down_revision = "0005_bill_records"
branch_labels = None
depends_on = None

# (index name, table, column): the same four as ``refund_desk.store.models``.
SEARCH_INDEXES = (
    ("ix_accounts_search_id", "accounts", "account_id"),
    ("ix_accounts_search_name", "accounts", "name"),
    ("ix_instances_search_id", "instances", "instance_id"),
    ("ix_orders_search_id", "orders", "order_id"),
)


def upgrade() -> None:
    postgresql = op.get_bind().dialect.name == "postgresql"
    for name, table, column in SEARCH_INDEXES:
        key = f'lower({column}) COLLATE "C"' if postgresql else f"lower({column})"
        op.create_index(name, table, [sa.text(key)])


def downgrade() -> None:
    for name, table, _column in reversed(SEARCH_INDEXES):
        op.drop_index(name, table_name=table)
