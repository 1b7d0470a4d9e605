"""Give each refund case the key of the release confirmation that recorded it, unique, so one
confirmation records one case even when two presses (or two desks) race.

Revision ID: 0003_case_confirmation_key
Revises: 0002_order_instance_ids
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_case_confirmation_key"
down_revision = "0002_order_instance_ids"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("cases") as batch:
        batch.add_column(sa.Column("confirmation_key", sa.String(64), nullable=True))
        batch.create_index("ux_cases_confirmation_key", ["confirmation_key"], unique=True)


def downgrade() -> None:
    with op.batch_alter_table("cases") as batch:
        batch.drop_index("ux_cases_confirmation_key")
        batch.drop_column("confirmation_key")
