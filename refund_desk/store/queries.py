"""The hot read statements of :class:`~.repository.OrderStore`, built once per dialect (SQLAlchemy
caches each one's compiled form), and the case-folded search keys the expression indexes of
migration ``0006_search_names`` hold."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Integer, bindparam, func, select
from sqlalchemy.sql import ColumnElement, Select

from . import models as m

_O = m.orders
_L = m.order_instances
ORDER_COLS = tuple(_O.columns)  # every ``orders`` column, in table order


def search_key(column: ColumnElement[str], dialect_name: str) -> ColumnElement[str]:
    """The case-folded search key of ``column`` as the expression indexes of migration
    ``0006_search_names`` hold it: ``lower(column)``; on PostgreSQL in the binary "C" collation,
    so a range ``key >= 'ab' AND key < 'ab' || U+FFFF`` covers exactly the values starting with
    ``ab`` (a linguistic collation would not)."""
    key = func.lower(column)
    return key.collate("C") if dialect_name == "postgresql" else key


def _prefix_range(column: ColumnElement[str], dialect_name: str) -> tuple[Any, Any]:
    key = search_key(column, dialect_name)
    return (key >= bindparam("lo"), key < bindparam("hi")), key


def read_statements(dialect_name: str) -> dict[str, Select]:
    """The hot read statements (SQLAlchemy caches each one's compiled form per dialect)."""
    inst, acc = m.instances, m.accounts
    lim, off = bindparam("lim", type_=Integer), bindparam("off", type_=Integer)
    newest = (_O.c.payment_time.desc(), _O.c.order_id.desc())
    by_instance = (
        select(*ORDER_COLS)
        .join(_L, _L.c.order_id == _O.c.order_id)
        .where(_L.c.instance_id == bindparam("iid"))
    )
    acc_range, acc_key = _prefix_range(acc.c.account_id, dialect_name)
    name_range, name_key = _prefix_range(acc.c.name, dialect_name)
    inst_range, inst_key = _prefix_range(inst.c.instance_id, dialect_name)
    order_range, order_key = _prefix_range(_O.c.order_id, dialect_name)
    statements = {
        "order": select(*ORDER_COLS).where(_O.c.order_id == bindparam("oid")),
        "all_of_instance": by_instance,
        "of_instance": by_instance.order_by(*newest).limit(lim).offset(off),
        "count_of_instance": select(func.count())
        .select_from(_L)
        .where(_L.c.instance_id == bindparam("iid")),
        "of_account": select(*ORDER_COLS)
        .where(_O.c.account_id == bindparam("acc"))
        .order_by(*newest)
        .limit(lim)
        .offset(off),
        "count_of_account": select(func.count())
        .select_from(_O)
        .where(_O.c.account_id == bindparam("acc")),
        "instance": select(
            inst.c.instance_id, inst.c.account_id, inst.c.declared_kind, inst.c.region,
            inst.c.created_at, inst.c.updated_at, acc.c.name,
        )
        .select_from(inst.outerjoin(acc, acc.c.account_id == inst.c.account_id))
        .where(inst.c.instance_id == bindparam("iid")),
        "instances_of_account": select(inst.c.instance_id)
        .where(inst.c.account_id == bindparam("acc"))
        .order_by(inst.c.instance_id)
        .limit(lim)
        .offset(off),
        "count_instances_of_account": select(func.count())
        .select_from(inst)
        .where(inst.c.account_id == bindparam("acc")),
        "account": select(acc.c.account_id, acc.c.name).where(
            acc.c.account_id == bindparam("acc")
        ),
        # Ordered by the index key alone: a second sort column would make the database read
        # and sort every id in the range (all of them for a one-digit prefix) before the LIMIT.
        "search_accounts": select(acc.c.account_id, acc.c.name)
        .where(*acc_range)
        .order_by(acc_key)
        .limit(lim),
        "search_account_names": select(acc.c.account_id, acc.c.name)
        .where(*name_range)
        .order_by(name_key)
        .limit(lim),
        "search_instances": select(inst.c.instance_id, inst.c.account_id, inst.c.declared_kind)
        .where(*inst_range)
        .order_by(inst_key)
        .limit(lim),
        # KIND-*: the latest order stating a SubscriptionType, ordered as _kind_from orders
        # (a missing time counts as the earliest).
        "latest_subscription_of_instance": select(_O.c.subscription_type)
        .join(_L, _L.c.order_id == _O.c.order_id)
        .where(_L.c.instance_id == bindparam("iid"), _O.c.subscription_type.is_not(None))
        .order_by(
            _O.c.payment_time.desc().nulls_last(),
            _O.c.create_time.desc().nulls_last(),
            _O.c.order_id.desc(),
        )
        .limit(1),
        "search_orders": select(
            _O.c.order_id, _O.c.account_id, _O.c.order_type, _O.c.payment_time,
            _O.c.instance_ids_json,
        )
        .where(*order_range)
        .order_by(order_key)
        .limit(lim),
    }  # fmt: skip
    return statements
