"""``OrderStore``: every read and write the desk makes on its database (SQLAlchemy Core).

Reads open a short connection per call (safe from any thread); writes run in one transaction
each. Nothing here imports Qt.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import and_, func, select
from sqlalchemy.engine import Engine, Row

from ..errors import UnknownInstanceError
from ..policy.model import InstanceInput, InstanceKind, OrderOptions
from ..policy.money import from_fen, to_fen
from . import models as m
from .records import AccountRecord, AuditEntry, CaseRecord, InstanceRecord, OrderRecord, SearchHit

ROLES = ("operator", "demo", "training")
PREFIX_END = "\uffff"  # upper bound of a prefix range: ids are ASCII, so "p" ≤ id < "p\uffff"
CHUNK = 500  # ids per IN (...) list

_O = m.orders
_L = m.order_instances
_ORDER_SELECT = select(*_O.columns, _L.c.instance_id, _L.c.position).select_from(
    _O.outerjoin(_L, _L.c.order_id == _O.c.order_id)
)


def utcnow() -> datetime:
    """Now as aware UTC (the store's clock; tests may patch it)."""
    return datetime.now(UTC)


def _money(fen: int | None) -> Decimal | None:
    return None if fen is None else from_fen(fen)


def order_from_row(row: Row | Mapping[str, Any], instance_ids: tuple[str, ...]) -> OrderRecord:
    """Build an :class:`OrderRecord` from an ``orders`` row and its linked instance ids."""
    r = row._mapping if isinstance(row, Row) else row
    return OrderRecord(
        order_id=r["order_id"],
        instance_ids=instance_ids,
        account_id=r["account_id"],
        sub_order_id=r["sub_order_id"],
        order_type=r["order_type"],
        subscription_type=r["subscription_type"],
        payment_status=r["payment_status"],
        currency=r["currency"],
        create_time=r["create_time"],
        payment_time=r["payment_time"],
        usage_start=r["usage_start"],
        usage_end=r["usage_end"],
        list_price=_money(r["list_price_fen"]),
        cash=_money(r["cash_fen"]),
        prepaid_card=_money(r["prepaid_card_fen"]),
        voucher=_money(r["voucher_fen"]),
        coupon=_money(r["coupon_fen"]),
        channel=r["channel"],
        invoiced=r["invoiced"],
        marketplace=r["marketplace"],
        assumed_tz=bool(r["assumed_tz"]),
        region=r["region"],
        detail_source=r["detail_source"],
        created_at=r["created_at"],
        updated_at=r["updated_at"],
    )


def _group_orders(rows: Iterable[Row]) -> list[OrderRecord]:
    """Rows of ``_ORDER_SELECT`` (one per order ↔ instance link) → records, keeping row order."""
    grouped: dict[str, tuple[Row, list[tuple[int, str]]]] = {}
    for row in rows:
        entry = grouped.get(row.order_id)
        if entry is None:
            entry = grouped[row.order_id] = (row, [])
        if row.instance_id is not None:
            entry[1].append((row.position, row.instance_id))
    return [
        order_from_row(row, tuple(iid for _, iid in sorted(links)))
        for row, links in grouped.values()
    ]


def _kind_of(subscription_type: str | None) -> InstanceKind | None:
    if subscription_type is None:
        return None
    try:
        return InstanceKind.from_subscription_type(subscription_type)
    except ValueError:
        return None


def _options_to_json(options: Mapping[str, Any] | None) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for order_id, opt in (options or {}).items():
        if isinstance(opt, OrderOptions):
            result[order_id] = {
                "invoiced": opt.invoiced,
                "marketplace": opt.marketplace,
                "original_failed": opt.original_failed,
                "discount": str(opt.discount),
            }
        else:
            result[order_id] = dict(opt)
    return result


class OrderStore:
    """The desk's database: accounts, instances, orders, refund cases and the audit log.

    Obtain one with :func:`refund_desk.store.open_store`; call :meth:`close` when done. All
    lookups of ids are exact or prefix matches served by index range scans.
    """

    def __init__(self, engine: Engine, url: str):
        self.engine = engine
        self._url = url
        self._role: str | None = None

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

    def __exit__(self, *exc) -> None:
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
    def get_order(self, order_id: str) -> OrderRecord | None:
        """The order with exactly this id (one indexed query), or ``None``."""
        with self.engine.connect() as conn:
            rows = conn.execute(_ORDER_SELECT.where(_O.c.order_id == order_id)).all()
        found = _group_orders(rows)
        return found[0] if found else None

    def get_orders(self, order_ids: Iterable[str]) -> dict[str, OrderRecord]:
        """``{order_id: OrderRecord}`` for those of ``order_ids`` that are stored."""
        ids = list(dict.fromkeys(order_ids))
        result: dict[str, OrderRecord] = {}
        with self.engine.connect() as conn:
            for start in range(0, len(ids), CHUNK):
                rows = conn.execute(
                    _ORDER_SELECT.where(_O.c.order_id.in_(ids[start : start + CHUNK]))
                ).all()
                for record in _group_orders(rows):
                    result[record.order_id] = record
        return result

    def orders_of_instance(
        self, instance_id: str, limit: int = 100, offset: int = 0
    ) -> list[OrderRecord]:
        """One page of the orders naming ``instance_id``, newest payment first (orders not paid
        yet last), then by order id descending. ``[]`` for an unknown instance."""
        page = (
            select(_L.c.order_id)
            .join(_O, _O.c.order_id == _L.c.order_id)
            .where(_L.c.instance_id == instance_id)
            .order_by(_O.c.payment_time.desc(), _O.c.order_id.desc())
            .limit(limit)
            .offset(offset)
        )
        return self._orders_page(page)

    def count_orders_of_instance(self, instance_id: str) -> int:
        """How many orders name ``instance_id``."""
        with self.engine.connect() as conn:
            return conn.execute(
                select(func.count()).select_from(_L).where(_L.c.instance_id == instance_id)
            ).scalar_one()

    def orders_of_account(
        self, account_id: str, limit: int = 100, offset: int = 0
    ) -> list[OrderRecord]:
        """One page of ``account_id``'s orders, newest payment first (served by the index
        ``(account_id, payment_time, order_id)``). ``[]`` for an unknown account."""
        page = (
            select(_O.c.order_id)
            .where(_O.c.account_id == account_id)
            .order_by(_O.c.payment_time.desc(), _O.c.order_id.desc())
            .limit(limit)
            .offset(offset)
        )
        return self._orders_page(page)

    def count_orders_of_account(self, account_id: str) -> int:
        """How many orders ``account_id`` owns."""
        with self.engine.connect() as conn:
            return conn.execute(
                select(func.count()).select_from(_O).where(_O.c.account_id == account_id)
            ).scalar_one()

    def _orders_page(self, page_query) -> list[OrderRecord]:
        with self.engine.connect() as conn:
            ids = list(conn.execute(page_query).scalars())
            if not ids:
                return []
            rows = conn.execute(_ORDER_SELECT.where(_O.c.order_id.in_(ids))).all()
        by_id = {r.order_id: r for r in _group_orders(rows)}
        return [by_id[i] for i in ids if i in by_id]

    # ------------------------------------------------------------------ instances, accounts
    def _instance_kind(self, conn, instance_id: str, declared: str | None) -> InstanceKind | None:
        if declared:
            return InstanceKind(declared)
        latest = conn.execute(
            select(_O.c.subscription_type)
            .join(_L, _L.c.order_id == _O.c.order_id)
            .where(_L.c.instance_id == instance_id, _O.c.subscription_type.is_not(None))
            .order_by(_O.c.payment_time.desc(), _O.c.create_time.desc(), _O.c.order_id.desc())
            .limit(1)
        ).scalar_one_or_none()
        return _kind_of(latest)

    def get_instance(self, instance_id: str) -> InstanceRecord | None:
        """The instance with exactly this id, or ``None``. Its ``kind`` is the CSV-declared kind,
        else the kind of its latest order's ``SubscriptionType`` (``KIND-*``)."""
        inst, acc = m.instances, m.accounts
        with self.engine.connect() as conn:
            row = conn.execute(
                select(inst, acc.c.name)
                .select_from(inst.outerjoin(acc, acc.c.account_id == inst.c.account_id))
                .where(inst.c.instance_id == instance_id)
            ).first()
            if row is None:
                return None
            count = conn.execute(
                select(func.count()).select_from(_L).where(_L.c.instance_id == instance_id)
            ).scalar_one()
            kind = self._instance_kind(conn, instance_id, row.declared_kind)
        return InstanceRecord(
            instance_id=row.instance_id,
            kind=kind,
            kind_declared=row.declared_kind is not None,
            account_id=row.account_id,
            account_name=row.name,
            region=row.region,
            order_count=count,
            created_at=row.created_at,
            updated_at=row.updated_at,
        )

    def instances_of_account(
        self, account_id: str, limit: int = 100, offset: int = 0
    ) -> list[InstanceRecord]:
        """One page of ``account_id``'s instances, by instance id."""
        with self.engine.connect() as conn:
            ids = list(
                conn.execute(
                    select(m.instances.c.instance_id)
                    .where(m.instances.c.account_id == account_id)
                    .order_by(m.instances.c.instance_id)
                    .limit(limit)
                    .offset(offset)
                ).scalars()
            )
        return [rec for rec in (self.get_instance(i) for i in ids) if rec is not None]

    def get_account(self, account_id: str) -> AccountRecord | None:
        """The account with exactly this id (with its instance and order counts), or ``None``."""
        acc = m.accounts
        with self.engine.connect() as conn:
            row = conn.execute(select(acc).where(acc.c.account_id == account_id)).first()
            if row is None:
                return None
            n_inst = conn.execute(
                select(func.count())
                .select_from(m.instances)
                .where(m.instances.c.account_id == account_id)
            ).scalar_one()
            n_orders = conn.execute(
                select(func.count()).select_from(_O).where(_O.c.account_id == account_id)
            ).scalar_one()
        return AccountRecord(row.account_id, row.name, n_inst, n_orders)

    def instance_input(self, instance_id: str) -> InstanceInput:
        """The instance and every order naming it, as the policy core's
        :class:`~refund_desk.policy.InstanceInput` (orders by payment time, then id).

        Facts not imported yet stay ``None`` (the quote flags ``DATA-MISSING``); an order naming
        several instances keeps all of them in ``instance_ids`` (the quote excludes it).

        Raises:
            UnknownInstanceError: no such instance, or no record says its kind yet.
        """
        with self.engine.connect() as conn:
            inst = conn.execute(
                select(m.instances).where(m.instances.c.instance_id == instance_id)
            ).first()
            if inst is None:
                raise UnknownInstanceError(f"no instance {instance_id!r} in the database")
            linked = select(_L.c.order_id).where(_L.c.instance_id == instance_id)
            rows = conn.execute(_ORDER_SELECT.where(_O.c.order_id.in_(linked))).all()
            kind = self._instance_kind(conn, instance_id, inst.declared_kind)
        if kind is None:
            raise UnknownInstanceError(
                f"instance {instance_id!r}: its kind is not known yet (import its GetOrderDetail "
                "export, or declare it in a CSV file)"
            )
        records = _group_orders(rows)
        far = datetime.max.replace(tzinfo=UTC)
        records.sort(key=lambda r: (r.payment_time or far, r.order_id))
        account_id = inst.account_id or next((r.account_id for r in records if r.account_id), None)
        return InstanceInput(
            instance_id=instance_id,
            kind=kind,
            account_id=account_id,
            orders=tuple(r.to_order_input() for r in records),
        )

    # ------------------------------------------------------------------ search
    def search(self, term: str, limit: int = 100, offset: int = 0) -> list[SearchHit]:
        """Accounts, instances and orders whose id equals ``term`` or starts with it.

        Each id column is read by an index range scan (``id >= term AND id < term || U+FFFF``;
        never ``LIKE``). Results: exact matches first, then accounts, instances, orders, each by
        id. ``limit``/``offset`` page through that list. Blank ``term`` → ``[]``.
        """
        term = (term or "").strip()
        if not term or limit <= 0:
            return []
        upper = term + PREFIX_END
        want = offset + limit
        hits: list[SearchHit] = []
        with self.engine.connect() as conn:
            acc = m.accounts
            for row in conn.execute(
                select(acc.c.account_id, acc.c.name)
                .where(acc.c.account_id >= term, acc.c.account_id < upper)
                .order_by(acc.c.account_id)
                .limit(want)
            ):
                hits.append(
                    SearchHit(
                        "account",
                        row.account_id,
                        row.account_id == term,
                        row.account_id,
                        (),
                        row.name or "",
                    )
                )
            inst = m.instances
            for row in conn.execute(
                select(inst.c.instance_id, inst.c.account_id, inst.c.declared_kind)
                .where(inst.c.instance_id >= term, inst.c.instance_id < upper)
                .order_by(inst.c.instance_id)
                .limit(want)
            ):
                hits.append(
                    SearchHit(
                        "instance",
                        row.instance_id,
                        row.instance_id == term,
                        row.account_id,
                        (row.instance_id,),
                        row.declared_kind or "",
                    )
                )
            order_rows = conn.execute(
                select(_O.c.order_id, _O.c.account_id, _O.c.order_type, _O.c.payment_time)
                .where(_O.c.order_id >= term, _O.c.order_id < upper)
                .order_by(_O.c.order_id)
                .limit(want)
            ).all()
            links: dict[str, list[tuple[int, str]]] = {}
            if order_rows:
                for link in conn.execute(
                    select(_L.c.order_id, _L.c.instance_id, _L.c.position).where(
                        _L.c.order_id.in_([r.order_id for r in order_rows])
                    )
                ):
                    links.setdefault(link.order_id, []).append((link.position, link.instance_id))
            for row in order_rows:
                paid = row.payment_time.date().isoformat() if row.payment_time else "not paid"
                hits.append(
                    SearchHit(
                        "order",
                        row.order_id,
                        row.order_id == term,
                        row.account_id,
                        tuple(i for _, i in sorted(links.get(row.order_id, []))),
                        f"{row.order_type or '?'} {paid}",
                    )
                )
        rank = {"account": 0, "instance": 1, "order": 2}
        hits.sort(key=lambda h: (not h.exact, rank[h.kind], h.id))
        return hits[offset : offset + limit]

    # ------------------------------------------------------------------ cases
    def add_case(
        self,
        *,
        instance_id: str,
        cancel_at: datetime,
        quote: Any,
        actor: str,
        options: Mapping[str, Any] | None = None,
        confirmed: bool = False,
        confirmed_at: datetime | None = None,
        confirmation_text: str | None = None,
        ticket_text: str | None = None,
        status: str = "recorded",
        account_id: str | None = None,
        policy_id: str | None = None,
        policy_version: int | None = None,
        outcome: str | None = None,
        total_refund: Decimal | None = None,
    ) -> int:
        """Record a refund case and its audit entry (``case.add``) in one transaction.

        Args:
            instance_id: the instance refunded. cancel_at: aware cancellation time quoted.
            quote: a :class:`~refund_desk.policy.Quote` (account, policy, outcome and total are
                taken from it) or its JSON dict (``quote_to_dict``).
            actor: who records it. options: ``{order_id: OrderOptions | dict}`` what-if inputs.
            confirmed / confirmed_at / confirmation_text: the ``WARN-RELEASE-DELETE``
                acknowledgement. The store does not judge it: ``services.cases`` refuses an
                unconfirmed Enterprise case before calling this.
            ticket_text: the drafted ticket. status: initial status.
            account_id / policy_id / policy_version / outcome / total_refund (CNY): override or
                supply what a dict quote cannot give.
        Returns:
            The new case id.
        Raises:
            ValueError: naive ``cancel_at``/``confirmed_at``, or no policy id/version known.
        """
        if hasattr(quote, "total_refund") and hasattr(quote, "policy_version"):
            from ..policy.serialize import quote_to_dict

            account_id = account_id if account_id is not None else quote.account_id
            policy_id = policy_id or quote.policy_id
            policy_version = policy_version or quote.policy_version
            outcome = outcome or quote.outcome.value
            total_refund = total_refund if total_refund is not None else quote.total_refund
            quote_dict = quote_to_dict(quote)
        else:
            quote_dict = dict(quote)
            account_id = account_id if account_id is not None else quote_dict.get("account_id")
            policy_id = policy_id or quote_dict.get("policy")
            policy_version = policy_version or quote_dict.get("policy_version")
            outcome = outcome or quote_dict.get("outcome")
            if total_refund is None and quote_dict.get("total_refund") is not None:
                total_refund = Decimal(str(quote_dict["total_refund"]))
        if not policy_id or not policy_version:
            raise ValueError("a refund case needs the policy id and version it was quoted under")
        now = utcnow()
        options_json = _options_to_json(options)
        with self.engine.begin() as conn:
            case_id = conn.execute(
                m.cases.insert().values(
                    instance_id=instance_id,
                    account_id=account_id,
                    status=status,
                    status_reason=None,
                    cancel_at=cancel_at,
                    policy_id=policy_id,
                    policy_version=int(policy_version),
                    outcome=outcome,
                    total_refund_fen=None if total_refund is None else to_fen(total_refund),
                    confirmed=bool(confirmed),
                    confirmed_at=confirmed_at,
                    confirmation_text=confirmation_text,
                    options_json=json.dumps(options_json, sort_keys=True),
                    quote_json=json.dumps(quote_dict, ensure_ascii=False, default=str),
                    ticket_text=ticket_text,
                    actor=actor,
                    created_at=now,
                    updated_at=now,
                )
            ).inserted_primary_key[0]
            self._audit(
                conn,
                actor,
                "case.add",
                "case",
                str(case_id),
                policy_id,
                int(policy_version),
                {
                    "instance_id": instance_id,
                    "status": status,
                    "confirmed": bool(confirmed),
                    "total_refund": None if total_refund is None else str(total_refund),
                    "options": options_json,
                },
                now,
            )
        return int(case_id)

    def get_case(self, case_id: int) -> CaseRecord | None:
        """The case with this id, or ``None``."""
        with self.engine.connect() as conn:
            row = conn.execute(select(m.cases).where(m.cases.c.case_id == case_id)).first()
        return None if row is None else self._case(row)

    def list_cases(
        self,
        limit: int = 100,
        offset: int = 0,
        *,
        instance_id: str | None = None,
        status: str | None = None,
    ) -> list[CaseRecord]:
        """One page of cases, newest first, optionally of one instance and/or one status."""
        query = select(m.cases)
        if instance_id is not None:
            query = query.where(m.cases.c.instance_id == instance_id)
        if status is not None:
            query = query.where(m.cases.c.status == status)
        query = query.order_by(m.cases.c.case_id.desc()).limit(limit).offset(offset)
        with self.engine.connect() as conn:
            return [self._case(row) for row in conn.execute(query)]

    def count_cases(self, *, instance_id: str | None = None, status: str | None = None) -> int:
        """How many cases (optionally of one instance and/or status)."""
        query = select(func.count()).select_from(m.cases)
        if instance_id is not None:
            query = query.where(m.cases.c.instance_id == instance_id)
        if status is not None:
            query = query.where(m.cases.c.status == status)
        with self.engine.connect() as conn:
            return conn.execute(query).scalar_one()

    def set_case_status(self, case_id: int, status: str, reason: str | None, actor: str) -> None:
        """Change a case's status (with the reason) and audit old → new (``case.status``).

        Raises:
            LookupError: no such case.
        """
        self._update_case(case_id, actor, "case.status", status=status, status_reason=reason)

    def set_case_ticket(self, case_id: int, ticket_text: str, actor: str) -> None:
        """Replace a case's ticket text; audited (``case.ticket``). Raises ``LookupError``."""
        self._update_case(case_id, actor, "case.ticket", ticket_text=ticket_text)

    def _update_case(self, case_id: int, actor: str, action: str, **values: Any) -> None:
        now = utcnow()
        with self.engine.begin() as conn:
            row = conn.execute(select(m.cases).where(m.cases.c.case_id == case_id)).first()
            if row is None:
                raise LookupError(f"no refund case {case_id}")
            changes = {k: [getattr(row, k), v] for k, v in values.items() if getattr(row, k) != v}
            conn.execute(
                m.cases.update()
                .where(m.cases.c.case_id == case_id)
                .values(updated_at=now, **values)
            )
            self._audit(
                conn,
                actor,
                action,
                "case",
                str(case_id),
                row.policy_id,
                row.policy_version,
                {"changes": changes},
                now,
            )

    @staticmethod
    def _case(row: Row) -> CaseRecord:
        return CaseRecord(
            case_id=row.case_id,
            instance_id=row.instance_id,
            account_id=row.account_id,
            status=row.status,
            status_reason=row.status_reason,
            cancel_at=row.cancel_at,
            policy_id=row.policy_id,
            policy_version=row.policy_version,
            outcome=row.outcome,
            total_refund=_money(row.total_refund_fen),
            confirmed=bool(row.confirmed),
            confirmed_at=row.confirmed_at,
            confirmation_text=row.confirmation_text,
            options=json.loads(row.options_json),
            quote=json.loads(row.quote_json),
            ticket_text=row.ticket_text,
            actor=row.actor,
            created_at=row.created_at,
            updated_at=row.updated_at,
        )

    # ------------------------------------------------------------------ audit
    def audit(
        self,
        actor: str,
        action: str,
        entity: str,
        entity_id: str | None = None,
        policy_version: int | None = None,
        detail: Mapping[str, Any] | None = None,
        *,
        policy_id: str | None = None,
    ) -> int:
        """Append one audit entry (the log is append-only: SQLite triggers refuse updates and
        deletes). ``detail`` must be JSON-serialisable (Decimals and datetimes become strings).
        Returns the entry id."""
        with self.engine.begin() as conn:
            return self._audit(
                conn,
                actor,
                action,
                entity,
                entity_id,
                policy_id,
                policy_version,
                detail,
                utcnow(),
            )

    @staticmethod
    def _audit(conn, actor, action, entity, entity_id, policy_id, policy_version, detail, at):
        result = conn.execute(
            m.audit_log.insert().values(
                at=at,
                actor=actor,
                action=action,
                entity=entity,
                entity_id=entity_id,
                policy_id=policy_id,
                policy_version=policy_version,
                detail_json=json.dumps(
                    detail or {}, ensure_ascii=False, default=str, sort_keys=True
                ),
            )
        )
        return int(result.inserted_primary_key[0])

    def audit_entries(
        self,
        *,
        entity: str | None = None,
        entity_id: str | None = None,
        action: str | None = None,
        limit: int = 100,
        offset: int = 0,
    ) -> list[AuditEntry]:
        """One page of audit entries, newest first, optionally filtered by entity, entity id
        and/or action (e.g. ``entity="order", entity_id="2415…"`` for an order's history)."""
        log = m.audit_log
        conditions = []
        if entity is not None:
            conditions.append(log.c.entity == entity)
        if entity_id is not None:
            conditions.append(log.c.entity_id == entity_id)
        if action is not None:
            conditions.append(log.c.action == action)
        query = select(log)
        if conditions:
            query = query.where(and_(*conditions))
        query = query.order_by(log.c.entry_id.desc()).limit(limit).offset(offset)
        with self.engine.connect() as conn:
            return [
                AuditEntry(
                    entry_id=row.entry_id,
                    at=row.at,
                    actor=row.actor,
                    action=row.action,
                    entity=row.entity,
                    entity_id=row.entity_id,
                    policy_id=row.policy_id,
                    policy_version=row.policy_version,
                    detail=json.loads(row.detail_json),
                )
                for row in conn.execute(query)
            ]
