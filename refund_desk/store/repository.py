"""``OrderStore``: every read and write the desk makes on its database (SQLAlchemy Core).

Every read checks a connection out of the engine's pool for the duration of the call and gives
it back (``with engine.connect()``): no connection belongs to a thread, so worker threads that
come and go (Qt recycles its pool's threads) can never hold one. Writes run in one transaction
each. Safe to call from several threads. Nothing here imports Qt.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.engine import Connection, Engine, Row

from ..errors import UnknownInstanceError
from ..policy.model import InstanceInput, InstanceKind
from . import models as m
from .case_store import CaseStore
from .queries import ORDER_COLS, read_statements
from .records import AccountRecord, InstanceRecord, OrderRecord, SearchHit

ROLES = ("operator", "demo", "training")
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")
PREFIX_END = "\uffff"  # upper bound of a prefix range: ids are ASCII, so "p" ≤ id < "p\uffff"
# Upper bound of a prefix range over names: the highest code point, so a name whose next
# character lies beyond U+FFFF (rare CJK) still falls inside the range (binary order of UTF-8).
NAME_PREFIX_END = "\U0010ffff"
CHUNK = 500  # ids per IN (...) list

_IX = {c.name: i for i, c in enumerate(ORDER_COLS)}


def utcnow() -> datetime:
    """Now as aware UTC (the store's clock; tests may patch it)."""
    return datetime.now(UTC)


def _money(fen: int | None) -> Decimal | None:
    # Decimal(146400).scaleb(-2) == Decimal("1464.00"): exact, two places, cheaper than
    # from_fen's division and quantize (a test checks they agree).
    return None if fen is None else Decimal(fen).scaleb(-2)


def instance_ids_of(text: str | None) -> tuple[str, ...]:
    """``orders.instance_ids_json`` → tuple of instance ids (empty when NULL)."""
    return tuple(json.loads(text)) if text else ()


def order_from_values(v: Sequence[Any]) -> OrderRecord:
    """Build an :class:`OrderRecord` from the values of every ``orders`` column, in table order
    (already converted by the column types)."""
    ix = _IX
    return OrderRecord(
        order_id=v[ix["order_id"]],
        instance_ids=instance_ids_of(v[ix["instance_ids_json"]]),
        account_id=v[ix["account_id"]],
        sub_order_id=v[ix["sub_order_id"]],
        order_type=v[ix["order_type"]],
        subscription_type=v[ix["subscription_type"]],
        payment_status=v[ix["payment_status"]],
        currency=v[ix["currency"]],
        create_time=v[ix["create_time"]],
        payment_time=v[ix["payment_time"]],
        usage_start=v[ix["usage_start"]],
        usage_end=v[ix["usage_end"]],
        list_price=_money(v[ix["list_price_fen"]]),
        cash=_money(v[ix["cash_fen"]]),
        prepaid_card=_money(v[ix["prepaid_card_fen"]]),
        voucher=_money(v[ix["voucher_fen"]]),
        coupon=_money(v[ix["coupon_fen"]]),
        channel=v[ix["channel"]],
        invoiced=None if v[ix["invoiced"]] is None else bool(v[ix["invoiced"]]),
        marketplace=None if v[ix["marketplace"]] is None else bool(v[ix["marketplace"]]),
        assumed_tz=bool(v[ix["assumed_tz"]]),
        region=v[ix["region"]],
        detail_source=v[ix["detail_source"]],
        created_at=v[ix["created_at"]],
        updated_at=v[ix["updated_at"]],
    )


def _kind_of(subscription_type: str | None) -> InstanceKind | None:
    if subscription_type is None:
        return None
    try:
        return InstanceKind.from_subscription_type(subscription_type)
    except ValueError:
        return None


class OrderStore(CaseStore):
    """The desk's database: accounts, instances, orders, refund cases and the audit log (cases,
    instance history and the audit chain: :class:`~.case_store.CaseStore`).

    Obtain one with :func:`refund_desk.store.open_store`; call :meth:`close` when done. All
    lookups of ids are exact or prefix matches served by index range scans.
    """

    def __init__(self, engine: Engine, url: str):
        self.engine = engine
        self._url = url
        self._role: str | None = None
        self._q_dialect = engine.dialect.name
        self._q = read_statements(engine.dialect.name)

    # ------------------------------------------------------------------ basics
    @property
    def url(self) -> str:
        """The SQLAlchemy URL of the database (password hidden)."""
        return self.engine.url.render_as_string(hide_password=True)

    @property
    def dialect(self) -> str:
        """``"sqlite"``, ``"postgresql"``, …"""
        return self.engine.dialect.name

    def close(self) -> None:
        """Release every connection (checkpoints the SQLite WAL first). Safe to call twice."""
        try:
            from .db import checkpoint

            checkpoint(self.engine)
        except Exception:  # noqa: BLE001 - closing must never fail
            pass
        self.engine.dispose()

    def __enter__(self) -> OrderStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def get_meta(self, key: str) -> str | None:
        """A value of the ``desk_meta`` table, or ``None``."""
        with self.engine.connect() as conn:
            return conn.execute(
                select(m.desk_meta.c.value).where(m.desk_meta.c.key == key)
            ).scalar_one_or_none()

    def set_meta(self, key: str, value: str) -> None:
        """Set a ``desk_meta`` value (insert or replace)."""
        with self.engine.begin() as conn:
            done = conn.execute(
                m.desk_meta.update().where(m.desk_meta.c.key == key).values(value=value)
            ).rowcount
            if not done:
                conn.execute(m.desk_meta.insert().values(key=key, value=value))

    @property
    def role(self) -> str:
        """What this database is for: ``"operator"`` (real data), ``"demo"`` (the generated demo
        set: the window shows a "Demo data" banner) or ``"training"``. Kept in ``desk_meta``."""
        if self._role is None:
            self._role = self.get_meta("role") or "operator"
        return self._role

    def set_role(self, role: str) -> None:
        """Mark the database as ``operator`` / ``demo`` / ``training``. Raises ``ValueError``."""
        if role not in ROLES:
            raise ValueError(f"unknown database role {role!r} (expected one of {ROLES})")
        self.set_meta("role", role)
        self._role = role

    def counts(self) -> dict[str, int]:
        """``{"accounts": n, "instances": n, "orders": n, "cases": n, "audit": n}``."""
        with self.engine.connect() as conn:
            return {
                name: conn.execute(select(func.count()).select_from(table)).scalar_one()
                for name, table in (
                    ("accounts", m.accounts),
                    ("instances", m.instances),
                    ("orders", m.orders),
                    ("cases", m.cases),
                    ("audit", m.audit_log),
                )
            }

    # ------------------------------------------------------------------ orders
    def _rows(self, name: str, conn: Connection | None = None, **params: Any) -> Sequence[Row]:
        """The rows of hot statement ``name`` with ``params``: on ``conn`` when given, else on
        a connection checked out of the pool for this call only."""
        if conn is not None:
            return conn.execute(self._q[name], params).all()
        with self.engine.connect() as own:
            return own.execute(self._q[name], params).all()

    def get_order(self, order_id: str) -> OrderRecord | None:
        """The order with exactly this id (one indexed row), or ``None``."""
        rows = self._rows("order", oid=order_id)
        return order_from_values(rows[0]) if rows else None

    def get_orders(self, order_ids: Iterable[str]) -> dict[str, OrderRecord]:
        """``{order_id: OrderRecord}`` for those of ``order_ids`` that are stored."""
        ids = list(dict.fromkeys(order_ids))
        result: dict[str, OrderRecord] = {}
        with self.engine.connect() as conn:
            for start in range(0, len(ids), CHUNK):
                for row in conn.execute(
                    select(*ORDER_COLS).where(m.orders.c.order_id.in_(ids[start : start + CHUNK]))
                ):
                    record = order_from_values(row)
                    result[record.order_id] = record
        return result

    def orders_of_instance(
        self, instance_id: str, limit: int = 100, offset: int = 0
    ) -> list[OrderRecord]:
        """One page of the orders naming ``instance_id``, newest payment first (orders not paid
        yet last), then by order id descending. ``[]`` for an unknown instance."""
        rows = self._rows("of_instance", iid=instance_id, lim=int(limit), off=int(offset))
        return [order_from_values(r) for r in rows]

    def count_orders_of_instance(self, instance_id: str) -> int:
        """How many orders name ``instance_id``."""
        return self._rows("count_of_instance", iid=instance_id)[0][0]

    def orders_of_account(
        self, account_id: str, limit: int = 100, offset: int = 0
    ) -> list[OrderRecord]:
        """One page of ``account_id``'s orders, newest payment first (served by the index
        ``(account_id, payment_time, order_id)``). ``[]`` for an unknown account."""
        rows = self._rows("of_account", acc=account_id, lim=int(limit), off=int(offset))
        return [order_from_values(r) for r in rows]

    def count_orders_of_account(self, account_id: str) -> int:
        """How many orders ``account_id`` owns."""
        return self._rows("count_of_account", acc=account_id)[0][0]

    # ------------------------------------------------------------------ instances, accounts
    @staticmethod
    def _kind_from(declared: str | None, orders: Iterable[OrderRecord]) -> InstanceKind | None:
        """``KIND-*``: the CSV-declared kind, else the ``SubscriptionType`` of the latest order
        (by payment time, creation time, order id) that states one."""
        if declared:
            return InstanceKind(declared)
        never = datetime.min.replace(tzinfo=UTC)
        stated = [o for o in orders if o.subscription_type is not None]
        if not stated:
            return None
        latest = max(
            stated,
            key=lambda o: (o.payment_time or never, o.create_time or never, o.order_id),
        )
        return _kind_of(latest.subscription_type)

    def get_instance(self, instance_id: str) -> InstanceRecord | None:
        """The instance with exactly this id, or ``None``. Its ``kind`` is the CSV-declared kind,
        else the kind of its latest order's ``SubscriptionType`` (``KIND-*``)."""
        with self.engine.connect() as conn:
            rows = self._rows("instance", conn, iid=instance_id)
            if not rows:
                return None
            of_instance = self._rows("all_of_instance", conn, iid=instance_id)
        inst_id, account_id, declared, region, created, updated, name = rows[0]
        orders = [order_from_values(r) for r in of_instance]
        return InstanceRecord(
            instance_id=inst_id,
            kind=self._kind_from(declared, orders),
            kind_declared=declared is not None,
            account_id=account_id,
            account_name=name,
            region=region,
            order_count=len(orders),
            created_at=created,
            updated_at=updated,
        )

    def instances_of_account(
        self, account_id: str, limit: int = 100, offset: int = 0
    ) -> list[InstanceRecord]:
        """One page of ``account_id``'s instances, by instance id."""
        ids = [r[0] for r in self._rows("instances_of_account", acc=account_id,
                                        lim=int(limit), off=int(offset))]  # fmt: skip
        return [rec for rec in (self.get_instance(i) for i in ids) if rec is not None]

    def get_account(self, account_id: str) -> AccountRecord | None:
        """The account with exactly this id (with its instance and order counts), or ``None``."""
        with self.engine.connect() as conn:
            rows = self._rows("account", conn, acc=account_id)
            if not rows:
                return None
            n_inst = self._rows("count_instances_of_account", conn, acc=account_id)[0][0]
            n_orders = self._rows("count_of_account", conn, acc=account_id)[0][0]
        return AccountRecord(rows[0][0], rows[0][1], n_inst, n_orders)

    def instance_input(self, instance_id: str) -> InstanceInput:
        """The instance, every order naming it and its history, as the policy core's
        :class:`~refund_desk.policy.InstanceInput` (orders by payment time, then id; the history
        of RULES.md §7 from :meth:`instance_history`).

        Facts not imported yet stay ``None`` (the quote flags ``DATA-MISSING``); an order naming
        several instances keeps all of them in ``instance_ids`` (the quote excludes it).

        Raises:
            UnknownInstanceError: no such instance, or no record says its kind yet.
        """
        with self.engine.connect() as conn:
            rows = self._rows("instance", conn, iid=instance_id)
            if not rows:
                from ..wording import gettext

                raise UnknownInstanceError(
                    gettext("no instance {instance_id} in the database").format(
                        instance_id=repr(instance_id)
                    )
                )
            of_instance = self._rows("all_of_instance", conn, iid=instance_id)
        _, inst_account, declared, *_ = rows[0]
        records = [order_from_values(r) for r in of_instance]
        kind = self._kind_from(declared, records)
        if kind is None:
            from ..wording import gettext

            raise UnknownInstanceError(
                gettext(
                    "instance {instance_id}: its kind is not known yet (import its GetOrderDetail "
                    "export, or declare it in a CSV file)"
                ).format(instance_id=repr(instance_id))
            )
        far = datetime.max.replace(tzinfo=UTC)
        records.sort(key=lambda r: (r.payment_time or far, r.order_id))
        account_id = inst_account or next((r.account_id for r in records if r.account_id), None)
        return InstanceInput(
            instance_id=instance_id,
            kind=kind,
            account_id=account_id,
            orders=tuple(r.to_order_input() for r in records),
            # RULES.md §7: refund orders, released status and the desk's own cases.
            history=self.instance_history(instance_id, [r.order_id for r in records]),
        )

    # ------------------------------------------------------------------ search
    def search(self, term: str, limit: int = 100, offset: int = 0) -> list[SearchHit]:
        """Accounts, instances and orders whose id starts with ``term`` (or equals it), and
        accounts whose name starts with it — ignoring the case of Latin letters; Chinese names
        are matched as typed.

        Each lookup is an index range scan over a case-folded key (``lower(id) >= key AND
        lower(id) < key || U+FFFF``, served by the expression indexes of migration
        ``0006_search_names``; never ``LIKE``, which scans). Results: exact matches first, then
        accounts (by id, then those found by name), instances, orders, each by folded id.
        ``limit``/``offset`` page through that list. Blank ``term`` → ``[]``. An account found
        by its name has ``by_name`` set and its name as ``detail``.
        """
        term = (term or "").strip()
        if not term or limit <= 0:
            return []
        fold = self._fold
        key = fold(term)
        upper = key + PREFIX_END
        want = int(offset + limit)
        hits: list[tuple[tuple, SearchHit]] = []
        with self.engine.connect() as conn:
            for account_id, name in self._rows("search_accounts", conn, lo=key, hi=upper, lim=want):
                exact = fold(account_id) == key
                hit = SearchHit("account", account_id, exact, account_id, (), name or "")
                hits.append(((not exact, 0, fold(account_id)), hit))
            for account_id, name in self._rows(
                "search_account_names", conn, lo=key, hi=key + NAME_PREFIX_END, lim=want
            ):
                exact = fold(name) == key
                hit = SearchHit("account", account_id, exact, account_id, (), name, by_name=True)
                hits.append(((not exact, 0, fold(name)), hit))
            for instance_id, account_id, declared in self._rows(
                "search_instances", conn, lo=key, hi=upper, lim=want
            ):
                exact = fold(instance_id) == key
                hit = SearchHit(
                    "instance", instance_id, exact, account_id, (instance_id,), declared or ""
                )
                hits.append(((not exact, 1, fold(instance_id)), hit))
            for order_id, account_id, order_type, paid, ids_json in self._rows(
                "search_orders", conn, lo=key, hi=upper, lim=want
            ):
                when = paid.date().isoformat() if paid else "not paid"
                label = f"{order_type or '?'} {when}"
                ids = instance_ids_of(ids_json)
                exact = fold(order_id) == key
                hit = SearchHit("order", order_id, exact, account_id, ids, label)
                hits.append(((not exact, 2, fold(order_id)), hit))
            # Each list arrives in its index's order, which is this order restricted to it, so
            # the merge is the true order of the first ``want`` results.
            hits.sort(key=lambda pair: pair[0])
            seen: set[tuple[str, str]] = set()
            ordered: list[SearchHit] = []
            for _key, hit in hits:
                if (hit.kind, hit.id) not in seen:  # an account found by id and by name
                    seen.add((hit.kind, hit.id))
                    ordered.append(hit)
            return [self._with_kind(hit, conn) for hit in ordered[offset : offset + limit]]

    def _fold(self, text: str) -> str:
        """``text`` case-folded exactly as the database's ``lower()`` folds it: SQLite folds
        only ASCII letters (Chinese and other letters stay as they are); PostgreSQL folds every
        letter."""
        if self._q_dialect == "sqlite":
            return text.translate(_ASCII_LOWER)
        return text.lower()

    def _with_kind(self, hit: SearchHit, conn: Connection | None = None) -> SearchHit:
        """An instance hit whose kind the CSV did not declare gets the ``KIND-*`` of its latest
        order that states a ``SubscriptionType`` (as :meth:`get_instance` judges it), or ``""``
        while no order says; one indexed query per instance hit on the page."""
        if hit.kind != "instance" or hit.detail:
            return hit
        stated = self._rows("latest_subscription_of_instance", conn, iid=hit.id)
        kind = _kind_of(stated[0][0]) if stated else None
        return replace(hit, detail=kind.value) if kind is not None else hit
