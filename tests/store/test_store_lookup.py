"""Lookups the window needs: exact and prefix search through index range scans (proved with
EXPLAIN QUERY PLAN on the statements the store really runs; on PostgreSQL with EXPLAIN in
test_store_postgresql.py), paged order lists, cases, audit. On both backends unless marked
``sqlite_only``."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from refund_desk.demo_data import bulk_orders, write_exports
from refund_desk.policy import OrderOptions, parse_time
from refund_desk.services.quoting import quote_instance
from refund_desk.store.importer import import_paths


@pytest.fixture
def bulk_store(store, tmp_path):
    """60 orders of one account (20 instances), plus the reference fixtures."""
    write_exports(bulk_orders(60, seed=3, accounts=1), tmp_path / "bulk", page_size=25)
    assert not import_paths(store, [tmp_path / "bulk"], actor="test").rejected
    return store


def _captured(store, action):
    """Run ``action`` and return its result and every SQL statement the driver executed for it,
    with its parameters (SQLAlchemy's ``before_cursor_execute`` sees them as sent)."""
    from sqlalchemy import event

    statements = []

    def seen(_conn, _cursor, statement, parameters, _context, _many):
        statements.append((statement, parameters))

    event.listen(store.engine, "before_cursor_execute", seen)
    try:
        result = action()
    finally:
        event.remove(store.engine, "before_cursor_execute", seen)
    return result, statements


def _plans(store, statements):
    plans = []
    with store.engine.connect() as conn:
        for statement, parameters in statements:
            if not statement.lstrip().upper().startswith("SELECT"):
                continue
            rows = conn.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters).all()
            plans.append((statement, [row[-1] for row in rows]))
    return plans


@pytest.mark.sqlite_only
def test_prefix_search_uses_index_range_scans_only(bulk_store):
    hits, statements = _captured(bulk_store, lambda: bulk_store.search("3000000000001"))
    assert hits and all(h.id.startswith("3000000000001") for h in hits)
    plans = _plans(bulk_store, statements)
    assert len(plans) >= 3
    for statement, details in plans:
        for detail in details:
            assert not detail.startswith("SCAN"), (statement, details)
        assert any("USING" in d and ("INDEX" in d or "PRIMARY KEY" in d) for d in details)
    range_plans = [d for _, ds in plans for d in ds if ">?" in d and "<?" in d]
    # account ids, account names, instance ids, order ids: each a range on its folded index
    assert len(range_plans) == 4, range_plans
    assert all("USING INDEX ix_" in d and "_search_" in d for d in range_plans), range_plans


@pytest.mark.sqlite_only
def test_like_would_have_scanned(bulk_store):
    # The reason the store never uses LIKE: SQLite scans the whole table for it.
    with bulk_store.engine.connect() as conn:
        plan = conn.exec_driver_sql(
            "EXPLAIN QUERY PLAN SELECT order_id FROM orders WHERE order_id LIKE '3000%'"
        ).all()
    assert any(row[-1].startswith("SCAN") for row in plan)


@pytest.mark.sqlite_only
def test_paged_lists_use_indexes(bulk_store):
    account = bulk_store.get_order("300000000000000").account_id
    for action in (
        lambda: bulk_store.orders_of_account(account, limit=10, offset=20),
        lambda: bulk_store.orders_of_instance("iot-cn-b0000000003", limit=10),
    ):
        _, statements = _captured(bulk_store, action)
        for statement, details in _plans(bulk_store, statements):
            assert not any(d.startswith("SCAN orders") for d in details), (statement, details)


def test_search_exact_and_prefix_of_every_kind(store, fixtures_dir):
    import_paths(store, [fixtures_dir], actor="test")
    assert [(h.kind, h.id, h.exact) for h in store.search("iot-cn-7pp2mhxqz01")] == [
        ("instance", "iot-cn-7pp2mhxqz01", True)
    ]
    instances = store.search("iot-cn-")
    assert [h.id for h in instances] == sorted(h.id for h in instances) and len(instances) == 4
    account = store.search("1730066214087755")
    assert account[0].kind == "account" and account[0].exact
    orders = store.search("2415593913103")
    assert {h.id for h in orders} == {"241559391310333", "241559391310347"}
    hit = [h for h in orders if h.id == "241559391310333"][0]
    assert hit.instance_ids == ("iot-cn-7pp2mhxqz01",) and hit.account_id == "1498573829450012"
    assert store.search("  241559391310333  ")[0].exact  # surrounding blanks ignored
    assert store.search("") == [] and store.search("zzz") == []
    # exact match first, even across kinds
    two = store.search("2")
    assert all(h.id.startswith("2") for h in two)
    assert store.search("2", limit=2, offset=1) == two[1:3]


def test_paging_through_an_account_newest_first(bulk_store):
    account = bulk_store.get_order("300000000000000").account_id
    total = bulk_store.count_orders_of_account(account)
    assert total == 60
    pages = [bulk_store.orders_of_account(account, limit=25, offset=o) for o in (0, 25, 50)]
    assert [len(p) for p in pages] == [25, 25, 10]
    flat = [o for page in pages for o in page]
    assert len({o.order_id for o in flat}) == 60
    times = [o.payment_time for o in flat]
    assert times == sorted(times, reverse=True)
    assert bulk_store.orders_of_account("no-such-account") == []
    account_rec = bulk_store.get_account(account)
    assert account_rec.order_count == 60 and account_rec.instance_count == 20
    assert len(bulk_store.instances_of_account(account, limit=5)) == 5


def test_orders_of_instance(bulk_store):
    orders = bulk_store.orders_of_instance("iot-cn-b0000000003")
    assert len(orders) == 3 == bulk_store.count_orders_of_instance("iot-cn-b0000000003")
    assert all(o.instance_ids == ("iot-cn-b0000000003",) for o in orders)
    assert bulk_store.get_instance("iot-cn-b0000000003").order_count == 3


def test_cases_are_recorded_with_quote_options_confirmation_and_audited(store, fixtures_dir):
    import_paths(store, [fixtures_dir], actor="test")
    cancel = parse_time("2024-03-09T09:00+08:00")[0]
    options = {"241559391310333": OrderOptions(invoiced=True, discount=Decimal("0.85"))}
    q = quote_instance(store, "iot-cn-7pp2mhxqz01", cancel, options)
    confirmed_at = datetime(2024, 3, 9, 1, 5, tzinfo=UTC)
    case_id = store.add_case(
        instance_id="iot-cn-7pp2mhxqz01",
        cancel_at=cancel,
        quote=q,
        actor="operator-7",
        options=options,
        confirmed=True,
        confirmed_at=confirmed_at,
        confirmation_text="Customer understands the instance is released and data deleted.",
        ticket_text="Please refund instance iot-cn-7pp2mhxqz01 …",
    )
    case = store.get_case(case_id)
    assert case.instance_id == "iot-cn-7pp2mhxqz01" and case.account_id == "1498573829450012"
    assert case.cancel_at == cancel and case.confirmed and case.confirmed_at == confirmed_at
    assert case.policy_id == q.policy_id and case.policy_version == q.policy_version
    assert case.total_refund == q.total_refund and case.status == "drafted"
    assert case.quote["instance_id"] == "iot-cn-7pp2mhxqz01"
    assert case.order_options() == options
    store.set_case_status(case_id, "submitted", "ticket sent", "operator-7")
    store.set_case_ticket(case_id, "edited ticket", "operator-7")
    case = store.get_case(case_id)
    assert case.status == "submitted" and case.status_reason == "ticket sent"
    assert case.ticket_text == "edited ticket"
    assert [c.case_id for c in store.list_cases()] == [case_id]
    assert (
        store.list_cases(instance_id="other") == [] and store.count_cases(status="submitted") == 1
    )
    actions = [e.action for e in store.audit_entries(entity="case", entity_id=str(case_id))]
    assert actions == ["case.ticket", "case.status", "case.add"]
    status_entry = store.audit_entries(action="case.status")[0]
    assert status_entry.detail["changes"]["status"] == ["drafted", "submitted"]
    assert status_entry.policy_version == q.policy_version
    with pytest.raises(LookupError):
        store.set_case_status(999, "done", None, "x")


def test_get_missing_things_returns_none(store):
    assert store.get_order("nope") is None
    assert store.get_instance("nope") is None
    assert store.get_account("nope") is None
    assert store.get_case(1) is None


def test_reads_from_many_short_lived_threads_do_not_exhaust_the_pool(store, fixtures_dir):
    import threading

    import_paths(store, [fixtures_dir], actor="test")
    results = []

    def read():
        results.append(store.get_order("241559391310333").cash)

    for _ in range(40):  # more threads than the pool has connections
        worker = threading.Thread(target=read)
        worker.start()
        worker.join(timeout=20)
    assert results == [Decimal("1000.00")] * 40
    # a write after all those readers still gets a connection at once
    store.audit("tester", "note", "case", "1")


def test_hot_statements_compile_for_a_server_database():
    """The read statements are plain SQLAlchemy Core: for PostgreSQL they compile to its named
    paramstyle, and the search keys are in the binary "C" collation of the indexes that
    migration 0006 creates there (no SQLite-only SQL, no raw sqlite3)."""
    from sqlalchemy.dialects.postgresql import psycopg2

    from refund_desk.store import models as m
    from refund_desk.store.bulkwrite import _compiled
    from refund_desk.store.queries import read_statements as _queries

    dialect = psycopg2.dialect()
    queries = _queries("postgresql")

    def sql(name: str) -> str:
        return str(queries[name].compile(dialect=dialect))

    assert (
        '(lower(orders.order_id) COLLATE "C") >= %(lo)s AND (lower(orders.order_id) COLLATE "C") '
        "< %(hi)s" in sql("search_orders")
    )
    assert 'ORDER BY lower(accounts.name) COLLATE "C"' in sql("search_account_names")
    # PostgreSQL sorts NULL first in DESC: the kind query says where a missing time goes.
    kind_sql = sql("latest_subscription_of_instance")
    assert "orders.payment_time DESC NULLS LAST" in kind_sql
    assert "orders.create_time DESC NULLS LAST" in kind_sql
    assert "COLLATE" not in str(_queries("sqlite")["search_orders"])
    sql_text, _ = _compiled(dialect, m.orders, "update", ("order_id",), ("channel", "updated_at"))
    assert sql_text.endswith("WHERE orders.order_id = %(b_order_id)s")


def test_instance_hits_carry_the_kind_the_instance_is_quoted_as(tmp_path):
    """The search list's Detail shows each instance's KIND-*: declared by CSV, else that of its
    latest order stating a SubscriptionType — the same kind get_instance (and so the quote)
    uses, for every instance of the demo database (BSS-only instances included)."""
    from refund_desk.services.demo import create_demo_database
    from refund_desk.store import open_store

    path = tmp_path / "demo.db"
    create_demo_database(path)
    store = open_store(path, create=False)
    try:
        hits = [h for h in store.search("iot", limit=5000) if h.kind == "instance"]
        assert len(hits) > 300
        seen = set()
        for hit in hits:
            record = store.get_instance(hit.id)
            expected = record.kind.value if record.kind is not None else ""
            assert hit.detail == expected, hit.id
            seen.add((hit.detail, record.kind_declared))
        # BSS-only instances of both billed kinds, and CSV-declared ones, are all covered.
        assert {("enterprise", False), ("old_public", False)} <= seen
        assert any(declared for _, declared in seen)
    finally:
        store.close()


def test_the_latest_stated_subscription_type_decides_an_instances_kind(store, tmp_path):
    """An instance first billed by subscription, later pay-as-you-go: the later order decides,
    in the search list as in get_instance (a missing payment time counts as the earliest)."""
    from dataclasses import replace as with_

    first, second, third = list(bulk_orders(3, seed=5, accounts=1))
    later = with_(
        second,
        instance_ids=first.instance_ids,
        subscription_type="PayAsYouGo",
        payment_time=first.payment_time.replace(year=first.payment_time.year + 1),
        create_time=first.create_time.replace(year=first.create_time.year + 1),
    )
    unpaid = with_(
        third,
        instance_ids=first.instance_ids,
        subscription_type="Subscription",
        payment_status="Unpaid",
        payment_time=None,
        create_time=first.create_time.replace(year=first.create_time.year - 1),
    )
    write_exports([first, later, unpaid], tmp_path / "mixed")
    assert not import_paths(store, [tmp_path / "mixed"], actor="test").rejected
    (hit,) = [h for h in store.search(first.instance_ids[0]) if h.kind == "instance"]
    assert hit.detail == "old_public"
    assert store.get_instance(hit.id).kind.value == "old_public"


@pytest.fixture
def named_store(store, fixtures_dir, tmp_path):
    """The reference fixtures plus three accounts named in a CSV file: a Chinese name, a Latin
    one, and one whose id and instance id carry capitals (another source than BSS)."""
    import_paths(store, [fixtures_dir], actor="test")
    csv = tmp_path / "names.csv"
    csv.write_text(
        "order_id,instance_ids,account_id,account_name,instance_kind\n"
        ",,1498573829450012,杭州云智科技有限公司,\n"
        ",,1730066214087755,Harbor Light Sensors Co.,\n"
        ",,ACC-Mixed-77,杭州湾物联,\n"
        ",IOT-CN-MixedCase01,ACC-Mixed-77,,enterprise\n",
        encoding="utf-8",
    )
    assert not import_paths(store, [csv], actor="test").rejected
    return store


def test_ids_are_found_whatever_their_case(named_store):
    (hit,) = named_store.search("IOT-CN-7PP2MHXQZ01")
    assert (hit.kind, hit.id, hit.exact) == ("instance", "iot-cn-7pp2mhxqz01", True)
    assert [h.id for h in named_store.search("iot-cn-mixed")] == ["IOT-CN-MixedCase01"]
    assert [(h.kind, h.id) for h in named_store.search("acc-mixed")] == [
        ("account", "ACC-Mixed-77")
    ]
    assert named_store.search("acc-mixed-77")[0].exact


def test_accounts_are_found_by_name_chinese_included(named_store):
    hits = named_store.search("杭州")
    assert [(h.kind, h.id, h.by_name, h.detail) for h in hits] == [
        ("account", "1498573829450012", True, "杭州云智科技有限公司"),
        ("account", "ACC-Mixed-77", True, "杭州湾物联"),
    ]
    (exact,) = named_store.search("杭州湾物联")
    assert exact.exact and exact.id == "ACC-Mixed-77"
    (latin,) = named_store.search("harbor light")
    assert (latin.id, latin.detail, latin.exact) == (
        "1730066214087755",
        "Harbor Light Sensors Co.",
        False,
    )
    assert named_store.search("HARBOR LIGHT SENSORS CO.")[0].exact
    # A name is matched from its start: a word inside it is not a prefix.
    assert named_store.search("云智") == [] and named_store.search("Sensors") == []


@pytest.mark.sqlite_only  # PostgreSQL's plans: tests/store/test_store_postgresql.py
def test_name_and_case_insensitive_lookups_are_index_range_scans(named_store):
    for term in ("杭州", "IOT-CN-", "Harbor", "2415"):
        hits, statements = _captured(named_store, lambda t=term: named_store.search(t))
        assert hits, term
        plans = _plans(named_store, statements)
        searched = [(s, d) for s, d in plans if "lower(" in s]
        assert len(searched) == 4, plans
        for statement, details in searched:
            assert not any(d.startswith("SCAN") for d in details), (statement, details)
            assert any("USING INDEX ix_" in d and "_search_" in d for d in details), details
            assert not any("TEMP B-TREE" in d for d in details), details


def test_reads_leave_no_connection_checked_out(named_store):
    import threading

    pool = named_store.engine.pool
    for term in ("2", "iot", "杭州"):
        named_store.search(term)
    named_store.get_instance("iot-cn-7pp2mhxqz01")
    named_store.instance_input("iot-cn-7pp2mhxqz01")
    named_store.get_account("1498573829450012")
    assert pool.checkedout() == 0
    idle = pool.checkedin()
    workers = [threading.Thread(target=named_store.search, args=("iot",)) for _ in range(30)]
    for worker in workers:
        worker.start()
        worker.join(timeout=20)
    # Threads that ended hold nothing: the pool has no more connections than before.
    assert pool.checkedout() == 0 and pool.checkedin() <= max(idle, 1)
