"""Keep each order's instance ids on its row (``orders.instance_ids_json``), backfilled from the
``order_instances`` links, so reading an order is a single indexed row.

Revision ID: 0002_order_instance_ids
Revises: 0001_initial
Create Date: 2026-11-30
"""

from __future__ import annotations

import json

import sqlalchemy as sa
from alembic import op

revision = "0002_order_instance_ids"
down_revision = "0001_initial"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("orders") as batch:
        batch.add_column(sa.Column("instance_ids_json", sa.Text(), nullable=True))
    conn = op.get_bind()
    links = sa.table(
        "order_instances",
        sa.column("order_id", sa.String),
        sa.column("instance_id", sa.String),
        sa.column("position", sa.Integer),
    )
    orders = sa.table(
        "orders", sa.column("order_id", sa.String), sa.column("instance_ids_json", sa.Text)
    )
    grouped: dict[str, list[str]] = {}
    for row in conn.execute(
        sa.select(links.c.order_id, links.c.instance_id).order_by(
            links.c.order_id, links.c.position
        )
    ):
        grouped.setdefault(row.order_id, []).append(row.instance_id)
    if grouped:
        conn.execute(
            orders.update()
            .where(orders.c.order_id == sa.bindparam("b_id"))
            .values(instance_ids_json=sa.bindparam("ids")),
            [{"b_id": oid, "ids": json.dumps(ids)} for oid, ids in grouped.items()],
        )


def downgrade() -> None:
    with op.batch_alter_table("orders") as batch:
        batch.drop_column("instance_ids_json")
