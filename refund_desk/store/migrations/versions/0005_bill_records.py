"""Give billing records identity: one row per distinct ``QueryBill`` record of an order
(``bill_records``), so a breakdown spread over pages and files is the sum of its records and
re-importing any file changes nothing.

Orders stored before this revision keep their breakdown as it is; the first import of one of
their ``QueryBill`` items replaces it with the sum of the records imported from then on.

Revision ID: 0005_bill_records
Revises: 0004_case_trail
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from refund_desk.store.models import UTCDateTime

revision = "0005_bill_records"
down_revision = "0004_case_trail"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "bill_records",
        sa.Column("order_id", sa.String(64), nullable=False),
        sa.Column("sub_order_id", sa.String(64), nullable=False),
        sa.Column("cash_fen", sa.BigInteger(), nullable=False),
        sa.Column("voucher_fen", sa.BigInteger(), nullable=False),
        sa.Column("coupon_fen", sa.BigInteger(), nullable=False),
        sa.Column("prepaid_card_fen", sa.BigInteger(), nullable=False),
        sa.Column("list_price_fen", sa.BigInteger(), nullable=False),
        sa.Column("source", sa.Text(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["order_id"], ["orders.order_id"], name="fk_bill_records_order_id_orders"
        ),
        sa.PrimaryKeyConstraint("order_id", "sub_order_id", name="pk_bill_records"),
    )


def downgrade() -> None:
    op.drop_table("bill_records")
