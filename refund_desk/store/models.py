"""The desk's tables (SQLAlchemy Core ``Table`` objects on one ``MetaData``).

Money columns are integer hundredths of the order's currency (``*_fen``: fen for CNY, cents for
USD): ``Numeric`` loses precision on SQLite. Times are stored as naive UTC and read back aware
(:class:`UTCDateTime`). The schema is created and upgraded only by the Alembic migrations in
``refund_desk/store/migrations``; a test checks that they produce exactly these tables.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    func,
    text,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator, TypeEngine

NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

metadata = MetaData(naming_convention=NAMING)


def id_type(length: int = 64) -> TypeEngine:
    """The type of an id column (order, instance, account…): ``VARCHAR(length)``, with the
    binary ``"C"`` collation on PostgreSQL.

    Why: prefix lookups are index range scans ``id >= :term AND id < :term || U+FFFF``
    (``repository.search``). Under a server's linguistic collation (``en_US.UTF-8``, ICU) that
    range is not "the ids starting with term" (case and punctuation weigh differently, U+FFFF
    may sort anywhere), and an index must share the comparison's collation to serve it. Ids are
    printable ASCII, so byte order is the right order. SQLite compares bytes already."""
    return String(length).with_variant(String(length, collation="C"), "postgresql")


class UTCDateTime(TypeDecorator):
    """An aware ``datetime`` stored as naive UTC; read back as aware UTC.

    Raises ``ValueError`` when given a naive datetime: the desk never stores a time whose zone is
    unknown (a CSV time without offset is converted from China time by the importer first).
    """

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r}: the store keeps aware times only")
        if value.tzinfo is not UTC:
            value = value.astimezone(UTC)
        return value.replace(tzinfo=None)

    def process_result_value(
        self, value: datetime | str | None, dialect: Dialect
    ) -> datetime | None:
        if value is None:
            return None
        if isinstance(value, str):  # raw SQL results on SQLite
            value = datetime.fromisoformat(value)
        return value.replace(tzinfo=UTC)

    def result_processor(
        self, dialect: Dialect, coltype: object
    ) -> Callable[[Any], datetime | None] | None:
        """On SQLite, read the stored text (``2024-01-10 02:00:00.000000``) with
        ``datetime.fromisoformat`` straight to aware UTC: SQLAlchemy's own DateTime processor
        parses it with a regular expression, about five times slower, six times per order row.
        Other databases return datetimes: the usual processing."""
        if dialect.name != "sqlite":
            return super().result_processor(dialect, coltype)
        parse = datetime.fromisoformat

        def process(value: datetime | str | None) -> datetime | None:
            if value is None:
                return None
            if isinstance(value, str):
                return parse(value).replace(tzinfo=UTC)
            return value.replace(tzinfo=UTC)

        return process


desk_meta = Table(
    "desk_meta",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)

accounts = Table(
    "accounts",
    metadata,
    Column("account_id", id_type(), primary_key=True),
    Column("name", String(200), nullable=True),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("updated_at", UTCDateTime(), nullable=False),
)
# Search keys (migration 0006_search_names): ids ignoring case, and names, by index range scans.
Index("ix_accounts_search_id", func.lower(accounts.c.account_id))
Index("ix_accounts_search_name", func.lower(accounts.c.name))

instances = Table(
    "instances",
    metadata,
    Column("instance_id", id_type(), primary_key=True),
    Column("account_id", id_type(), ForeignKey("accounts.account_id"), nullable=True),
    # A kind declared in a CSV file; when NULL the kind follows the SubscriptionType of the
    # instance's latest order (KIND-*).
    Column("declared_kind", String(16), nullable=True),
    Column("region", String(32), nullable=True),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("updated_at", UTCDateTime(), nullable=False),
    Index("ix_instances_account_id_instance_id", "account_id", "instance_id"),
)
Index("ix_instances_search_id", func.lower(instances.c.instance_id))

orders = Table(
    "orders",
    metadata,
    Column("order_id", id_type(), primary_key=True),
    Column("sub_order_id", id_type(), nullable=True),
    Column("account_id", id_type(), ForeignKey("accounts.account_id"), nullable=True),
    Column("order_type", String(16), nullable=True),
    Column("subscription_type", String(16), nullable=True),
    Column("payment_status", String(16), nullable=True),
    Column("currency", String(3), nullable=True),
    Column("create_time", UTCDateTime(), nullable=True),
    Column("payment_time", UTCDateTime(), nullable=True),
    Column("usage_start", UTCDateTime(), nullable=True),
    Column("usage_end", UTCDateTime(), nullable=True),
    Column("list_price_fen", BigInteger, nullable=True),
    # The payment breakdown (QueryBill): all four NULL until it is imported (DATA-MISSING).
    Column("cash_fen", BigInteger, nullable=True),
    Column("prepaid_card_fen", BigInteger, nullable=True),
    Column("voucher_fen", BigInteger, nullable=True),
    Column("coupon_fen", BigInteger, nullable=True),
    # Raw BSS TransactionChannel; NULL until QueryAccountTransactions is imported.
    Column("channel", String(40), nullable=True),
    Column("invoiced", Boolean, nullable=True),
    Column("marketplace", Boolean, nullable=True),
    Column("assumed_tz", Boolean, nullable=False, default=False),
    Column("region", String(32), nullable=True),
    # "GetOrderDetail" or "csv" once a full order record was imported: its fields then win over
    # what a QueryBill item says about the same order.
    Column("detail_source", String(16), nullable=True),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("updated_at", UTCDateTime(), nullable=False),
    # The instances the order names, as a JSON list in the export's order (NULL until a record
    # names them). Kept with the row so reading an order is one indexed row; ``order_instances``
    # is the index from an instance to its orders (migration 0002).
    Column("instance_ids_json", Text, nullable=True),
    Index("ix_orders_account_id_payment_time_order_id", "account_id", "payment_time", "order_id"),
)
Index("ix_orders_search_id", func.lower(orders.c.order_id))

order_instances = Table(
    "order_instances",
    metadata,
    Column("order_id", id_type(), ForeignKey("orders.order_id"), primary_key=True),
    Column("instance_id", id_type(), ForeignKey("instances.instance_id"), primary_key=True),
    Column("position", Integer, nullable=False, default=0),
    Index("ix_order_instances_instance_id_order_id", "instance_id", "order_id"),
)

# One row per distinct QueryBill record of an order (identity: the order and the item's
# SubOrderId, "" when it has none). The order's breakdown columns hold the sum of its records, so
# a breakdown spread over pages and files adds up, and a record met again changes nothing
# (migration 0005). Orders whose breakdown came from a CSV file have no rows here.
bill_records = Table(
    "bill_records",
    metadata,
    Column("order_id", String(64), ForeignKey("orders.order_id"), primary_key=True),
    Column("sub_order_id", String(64), primary_key=True),
    Column("cash_fen", BigInteger, nullable=False),
    Column("voucher_fen", BigInteger, nullable=False),
    Column("coupon_fen", BigInteger, nullable=False),
    Column("prepaid_card_fen", BigInteger, nullable=False),
    Column("list_price_fen", BigInteger, nullable=False),
    # The file the record was last read from (as given to the import).
    Column("source", Text, nullable=True),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("updated_at", UTCDateTime(), nullable=False),
)

OPEN_CASE_WHERE = "status IN ('drafted', 'submitted')"
"""The statuses of an open case (``policy.OPEN_CASE_STATUSES``) as the partial index's WHERE."""

cases = Table(
    "cases",
    metadata,
    Column("case_id", Integer, primary_key=True, autoincrement=True),
    Column("instance_id", id_type(), nullable=False),
    Column("account_id", id_type(), nullable=True),
    Column("status", String(32), nullable=False),
    Column("status_reason", Text, nullable=True),
    Column("cancel_at", UTCDateTime(), nullable=False),
    Column("policy_id", String(64), nullable=False),
    Column("policy_version", Integer, nullable=False),
    Column("outcome", String(32), nullable=True),
    Column("total_refund_fen", BigInteger, nullable=True),
    Column("confirmed", Boolean, nullable=False, default=False),
    Column("confirmed_at", UTCDateTime(), nullable=True),
    Column("confirmation_text", Text, nullable=True),
    Column("confirmation_key", String(64), nullable=True),
    Column("options_json", Text, nullable=False),
    Column("quote_json", Text, nullable=False),
    Column("ticket_text", Text, nullable=True),
    Column("actor", String(100), nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("updated_at", UTCDateTime(), nullable=False),
    # The failed case this one replaces (ROUTE-FALLBACK): unique, so one failed case has at most
    # one replacement (HISTORY-FALLBACK-DONE), whoever presses at the same moment (0004).
    Column("replaces_case_id", Integer, nullable=True),
    # The desk (computer name) the case was recorded on; NULL before 0007. ``actor`` is the
    # operator's name.
    Column("host", String(255), nullable=True),
    Index("ix_cases_instance_id_case_id", "instance_id", "case_id"),
    Index("ix_cases_actor", "actor"),
    Index("ix_cases_created_at", "created_at"),
    Index("ux_cases_confirmation_key", "confirmation_key", unique=True),
    Index("ux_cases_replaces_case_id", "replaces_case_id", unique=True),
    # HISTORY-OPEN-CASE: at most one open (drafted or submitted) case per instance, enforced by
    # the database on SQLite and PostgreSQL alike (a partial unique index).
    Index(
        "ux_cases_open_instance",
        "instance_id",
        unique=True,
        sqlite_where=text(OPEN_CASE_WHERE),
        postgresql_where=text(OPEN_CASE_WHERE),
    ),
)

audit_log = Table(
    "audit_log",
    metadata,
    Column("entry_id", Integer, primary_key=True, autoincrement=True),
    Column("at", UTCDateTime(), nullable=False),
    Column("actor", String(100), nullable=False),
    Column("action", String(64), nullable=False),
    Column("entity", String(32), nullable=False),
    Column("entity_id", id_type(), nullable=True),
    Column("policy_id", String(64), nullable=True),
    Column("policy_version", Integer, nullable=True),
    Column("detail_json", Text, nullable=False),
    # The hash chain (0004, store/audit_chain.py): ``entry_hash`` = SHA-256 of the entry, the
    # previous entry's hash and ``content_hash`` (the case row the entry records, for case
    # entries), so an edited case, quote, ticket or entry, or a deleted one, is detected.
    Column("prev_hash", String(64), nullable=True),
    Column("content_hash", String(64), nullable=True),
    Column("entry_hash", String(64), nullable=True),
    # The desk (computer name) the entry was written from; NULL before 0007 (then not hashed).
    Column("host", String(255), nullable=True),
    Index("ix_audit_log_entity_entity_id_entry_id", "entity", "entity_id", "entry_id"),
)

audit_head = Table(
    "audit_head",
    metadata,
    # One row: the newest entry of the chain. Every append first updates this row, which
    # serialises appends on SQLite (the write lock) and PostgreSQL (the row lock) alike.
    Column("chain", String(16), primary_key=True),
    Column("last_entry_id", Integer, nullable=False),
    Column("last_hash", String(64), nullable=False),
    Column("appends", BigInteger, nullable=False),
)

refund_orders = Table(
    "refund_orders",
    metadata,
    # BSS refund orders (OrderType "Refund", no PaymentStatus): HISTORY-REFUNDED. Kept apart
    # from the payment orders the quote sums.
    Column("order_id", id_type(), primary_key=True),
    Column("related_order_id", id_type(), nullable=True),
    # From GetOrderDetail's InstanceIDs; NULL from a QueryOrders list (tied through
    # related_order_id to the refunded order's instance instead).
    Column("instance_id", id_type(), nullable=True),
    Column("account_id", id_type(), nullable=True),
    Column("refunded_at", UTCDateTime(), nullable=True),
    Column("amount_fen", BigInteger, nullable=True),
    Column("currency", String(3), nullable=True),
    Column("source", String(32), nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("updated_at", UTCDateTime(), nullable=False),
    Index("ix_refund_orders_instance_id", "instance_id"),
    Index("ix_refund_orders_related_order_id", "related_order_id"),
)

instance_status = Table(
    "instance_status",
    metadata,
    # What QueryAvailableInstances last said of an instance (HISTORY-RELEASED).
    Column("instance_id", id_type(), primary_key=True),
    Column("status", String(32), nullable=True),
    Column("sub_status", String(32), nullable=True),
    Column("released", Boolean, nullable=False),
    Column("release_time", UTCDateTime(), nullable=True),
    Column("end_time", UTCDateTime(), nullable=True),
    Column("source", String(200), nullable=True),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("updated_at", UTCDateTime(), nullable=False),
)

ORDER_COLUMNS = tuple(c.name for c in orders.columns)
