"""Schema: Alembic migrations from empty to head equal the models; WAL; refusal of newer or
foreign databases; the audit log is append-only. On both backends unless marked
``sqlite_only``."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Column, create_engine, inspect, text

from refund_desk.errors import DatabaseError, SchemaTooNewError
from refund_desk.store import open_store
from refund_desk.store.db import to_url
from refund_desk.store.models import metadata
from refund_desk.store.schema import head_revision


# Expression indexes (the search keys of 0006) are not compared by Alembic on SQLite, which
# cannot reflect them (it warns and skips them); the next test checks them instead.
@pytest.mark.filterwarnings("ignore:autogenerate skipping metadata-specified expression")
@pytest.mark.filterwarnings("ignore:Skipped unsupported reflection of expression-based index")
def test_migrations_from_empty_to_head_match_the_models(db):
    open_store(db.target).close()
    engine = create_engine(to_url(db.target))
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        assert compare_metadata(context, metadata) == []
        assert context.get_current_revision() == head_revision()
        names = set(inspect(conn).get_table_names())
    engine.dispose()
    assert {t.name for t in metadata.sorted_tables} | {"alembic_version"} == names


@pytest.mark.filterwarnings("ignore:Skipped unsupported reflection of expression-based index")
def test_indexes_of_the_models_exist_in_the_migrated_database(db):
    open_store(db.target).close()
    engine = create_engine(to_url(db.target))
    with engine.connect() as conn:
        insp = inspect(conn)
        # The search keys are expression indexes: compared by their SQL as the database has it
        # (SQLite does not reflect them; PostgreSQL keys them in the "C" collation).
        if conn.dialect.name == "sqlite":
            sql = "SELECT name, sql FROM sqlite_master WHERE type = 'index'"
        else:
            sql = "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema()"
        created = dict(conn.execute(text(sql)).all())
        for table in metadata.sorted_tables:
            migrated = {ix["name"]: ix["column_names"] for ix in insp.get_indexes(table.name)}
            for index in table.indexes:
                (expression, *more) = index.expressions
                if not more and not isinstance(expression, Column):
                    column = expression.clauses.clauses[0].name
                    if conn.dialect.name == "sqlite":
                        assert f"ON {table.name} (lower({column}))" in created[index.name]
                    else:  # "C" already, from an id column's own collation, or stated
                        assert f"(lower(({column})::text)" in created[index.name]
                        assert column.endswith("_id") or 'COLLATE "C"' in created[index.name]
                    continue
                assert migrated[index.name] == [c.name for c in index.columns]
    engine.dispose()


def test_downgrade_to_base_and_back(db):
    from alembic import command

    from refund_desk.store.schema import _alembic_config

    open_store(db.target).close()
    created = db.dump()
    engine = create_engine(to_url(db.target))
    with engine.begin() as conn:
        command.downgrade(_alembic_config(conn), "base")
    with engine.connect() as conn:
        assert set(inspect(conn).get_table_names()) <= {"alembic_version"}
    engine.dispose()
    assert "audit_log_no_update" not in db.dump()  # triggers (and their function) went too
    open_store(db.target).close()
    assert "audit_log_no_update" in db.dump()
    assert _schema_only(db.dump()) == _schema_only(created)


def _schema_only(dump: str) -> list[str]:
    return [line for line in dump.splitlines() if not line.startswith(("INSERT", "ROW"))]


@pytest.mark.sqlite_only
def test_sqlite_runs_in_wal_mode_with_a_busy_timeout(store):
    from refund_desk.store.db import BUSY_TIMEOUT_MS

    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == BUSY_TIMEOUT_MS == 120_000
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_new_database_has_a_role_and_keeps_it(db):
    s = open_store(db.target, role="training")
    assert s.role == "training"
    s.close()
    s = open_store(db.target, role="operator")  # an existing database keeps its role
    assert s.role == "training"
    s.close()


def test_database_newer_than_the_code_is_refused_and_left_untouched(db):
    s = open_store(db.target)
    s.audit("tester", "note", "case", "1", 1, {"why": "kept"})
    s.close()
    engine = create_engine(to_url(db.target))
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999_from_the_future'"))
    engine.dispose()
    before = db.dump(), db.digest()
    with pytest.raises(SchemaTooNewError, match="newer Refund Desk") as refused:
        open_store(db.target)
    assert "9999_from_the_future" in str(refused.value) and "left untouched" in str(refused.value)
    assert (db.dump(), db.digest()) == before
    assert "9999_from_the_future" in before[0] and "kept" in before[0]


def test_a_foreign_database_is_refused(db):
    engine = create_engine(to_url(db.target))
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE customers (id INTEGER)"))
    engine.dispose()
    before = db.dump()
    with pytest.raises(DatabaseError, match="not a Refund Desk database"):
        open_store(db.target)
    assert db.dump() == before


def test_a_file_that_is_not_a_database_is_refused(tmp_path):
    path = tmp_path / "notes.db"
    path.write_text("these are not the tables you are looking for\n" * 20)
    with pytest.raises(DatabaseError):
        open_store(path)


def test_missing_file_without_create_is_an_error(tmp_path):
    with pytest.raises(DatabaseError, match="no database at"):
        open_store(tmp_path / "nothing.db", create=False)
    assert not (tmp_path / "nothing.db").exists()


def test_url_and_environment_resolution(tmp_path, monkeypatch):
    from refund_desk.paths import resolve_db

    url = f"sqlite:///{tmp_path / 'by-url.db'}"
    s = open_store(url)
    assert s.url == url
    s.close()
    monkeypatch.setenv("REFUND_DESK_DB", url)
    assert resolve_db(None) == url
    assert resolve_db(str(tmp_path / "x.db")) == str(tmp_path / "x.db")


def test_audit_log_is_append_only(store):
    entry = store.audit("tester", "note", "case", "1", 1, {"why": "test"})
    statements = [
        ("UPDATE audit_log SET actor = 'x' WHERE entry_id = :entry", {"entry": entry}),
        ("DELETE FROM audit_log WHERE entry_id = :entry", {"entry": entry}),
        ("DELETE FROM audit_log", {}),
    ]
    if store.dialect == "postgresql":  # TRUNCATE skips row triggers: refused by its own
        statements.append(("TRUNCATE audit_log", {}))
    for statement, params in statements:
        with store.engine.connect() as conn:
            with pytest.raises(Exception, match="append-only"):
                conn.execute(text(statement), params)
    assert [e.actor for e in store.audit_entries()] == ["tester"]


def test_a_database_of_an_older_desk_is_upgraded_in_place_with_its_data(db):
    """A 0001 database (before orders carried their instance ids) is upgraded on open and its
    links are backfilled; nothing is lost."""
    from datetime import datetime

    from alembic import command

    from refund_desk.store.schema import _alembic_config, current_revision

    engine = create_engine(to_url(db.target))
    with engine.begin() as conn:
        command.upgrade(_alembic_config(conn), "0001_initial")
    with engine.begin() as conn:
        now = {"now": datetime(2024, 1, 10, 2, 0)}  # naive UTC, as the store keeps times
        conn.execute(
            text("INSERT INTO accounts VALUES ('1498573829450012', 'Old Name', :now, :now)"), now
        )
        for iid in ("iot-cn-a", "iot-cn-b"):
            conn.execute(
                text(
                    "INSERT INTO instances VALUES (:iid, '1498573829450012', NULL, NULL, :now, "
                    ":now)"
                ),
                {"iid": iid, **now},
            )
        conn.execute(
            text(
                "INSERT INTO orders (order_id, account_id, order_type, subscription_type, "
                "payment_status, currency, payment_time, assumed_tz, created_at, updated_at) "
                "VALUES ('111', '1498573829450012', 'New', 'Subscription', 'Paid', 'CNY', :now, "
                ":no, :now, :now)"
            ),
            {"no": False, **now},
        )
        conn.execute(text("INSERT INTO order_instances VALUES ('111', 'iot-cn-b', 1)"))
        conn.execute(text("INSERT INTO order_instances VALUES ('111', 'iot-cn-a', 0)"))
    with engine.connect() as conn:
        assert current_revision(conn) == "0001_initial"
    engine.dispose()

    s = open_store(db.target)
    try:
        order = s.get_order("111")
        assert order.instance_ids == ("iot-cn-a", "iot-cn-b")
        assert s.get_account("1498573829450012").name == "Old Name"
        assert [o.order_id for o in s.orders_of_instance("iot-cn-b")] == ["111"]
        with s.engine.connect() as conn:
            assert current_revision(conn) == head_revision()
    finally:
        s.close()


def test_head_revision_constant_is_alembics_head():
    from refund_desk.store.schema import HEAD_REVISION, head_revision

    assert HEAD_REVISION == head_revision()


def test_opening_a_database_at_head_does_not_import_alembic(db):
    import subprocess
    import sys

    open_store(db.target).close()
    code = (
        "import sys; from refund_desk.store import open_store; "
        f"open_store({db.target!r}, create=False).close(); "
        "print(any(m.split('.')[0] == 'alembic' for m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
