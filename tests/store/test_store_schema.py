"""Schema: Alembic migrations from empty to head equal the models; WAL; refusal of newer or
foreign databases; the audit log is append-only."""

from __future__ import annotations

import sqlite3

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Column, create_engine, inspect

from refund_desk.errors import DatabaseError, SchemaTooNewError
from refund_desk.store import open_store
from refund_desk.store.db import head_revision, to_url
from refund_desk.store.models import metadata


# SQLite cannot reflect expression indexes (the search keys of 0006): Alembic skips them with a
# warning; test_indexes_of_the_models_exist_in_the_migrated_database checks them instead.
@pytest.mark.filterwarnings("ignore:autogenerate skipping metadata-specified expression")
@pytest.mark.filterwarnings("ignore:Skipped unsupported reflection of expression-based index")
def test_migrations_from_empty_to_head_match_the_models(db_path):
    open_store(db_path).close()
    engine = create_engine(to_url(db_path))
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        assert compare_metadata(context, metadata) == []
        assert context.get_current_revision() == head_revision()
        names = set(inspect(conn).get_table_names())
    engine.dispose()
    assert {t.name for t in metadata.sorted_tables} | {"alembic_version"} == names


@pytest.mark.filterwarnings("ignore:Skipped unsupported reflection of expression-based index")
def test_indexes_of_the_models_exist_in_the_migrated_database(db_path):
    open_store(db_path).close()
    engine = create_engine(to_url(db_path))
    with engine.connect() as conn:
        insp = inspect(conn)
        # Expression indexes are not reflected on SQLite: read their SQL from the schema.
        created = dict(
            conn.exec_driver_sql("SELECT name, sql FROM sqlite_master WHERE type = 'index'").all()
        )
        for table in metadata.sorted_tables:
            migrated = {ix["name"]: ix["column_names"] for ix in insp.get_indexes(table.name)}
            for index in table.indexes:
                (expression, *more) = index.expressions
                if not more and not isinstance(expression, Column):
                    column = expression.clauses.clauses[0].name
                    assert f"ON {table.name} (lower({column}))" in created[index.name]
                    continue
                assert migrated[index.name] == [c.name for c in index.columns]
    engine.dispose()


def test_downgrade_to_base_and_back(db_path, dump):
    from alembic import command

    from refund_desk.store.db import _alembic_config

    open_store(db_path).close()
    engine = create_engine(to_url(db_path))
    with engine.begin() as conn:
        command.downgrade(_alembic_config(conn), "base")
    with engine.connect() as conn:
        assert set(inspect(conn).get_table_names()) <= {"alembic_version"}
    engine.dispose()
    open_store(db_path).close()
    assert "CREATE TABLE orders" in dump(db_path)


def test_sqlite_runs_in_wal_mode_with_a_busy_timeout(store):
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 5000
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_new_database_has_a_role_and_keeps_it(db_path):
    s = open_store(db_path, role="training")
    assert s.role == "training"
    s.close()
    s = open_store(db_path, role="operator")  # an existing database keeps its role
    assert s.role == "training"
    s.close()


def test_database_newer_than_the_code_is_refused_and_left_untouched(db_path, dump, file_digest):
    open_store(db_path).close()
    conn = sqlite3.connect(db_path)
    conn.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    conn.commit()
    conn.close()
    before = dump(db_path), file_digest(db_path)
    with pytest.raises(SchemaTooNewError, match="newer Refund Desk"):
        open_store(db_path)
    assert (dump(db_path), file_digest(db_path)) == before


def test_a_foreign_sqlite_database_is_refused(db_path):
    conn = sqlite3.connect(db_path)
    conn.execute("CREATE TABLE customers (id INTEGER)")
    conn.commit()
    conn.close()
    with pytest.raises(DatabaseError, match="not a Refund Desk database"):
        open_store(db_path)


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
    with store.engine.connect() as conn:
        with pytest.raises(Exception, match="append-only"):
            conn.exec_driver_sql("UPDATE audit_log SET actor = 'x' WHERE entry_id = ?", (entry,))
        with pytest.raises(Exception, match="append-only"):
            conn.exec_driver_sql("DELETE FROM audit_log")
    assert [e.actor for e in store.audit_entries()] == ["tester"]


def test_a_database_of_an_older_desk_is_upgraded_in_place_with_its_data(db_path):
    """A 0001 database (before orders carried their instance ids) is upgraded on open and its
    links are backfilled; nothing is lost."""
    from alembic import command

    from refund_desk.store.db import _alembic_config, current_revision

    engine = create_engine(to_url(db_path))
    with engine.begin() as conn:
        command.upgrade(_alembic_config(conn), "0001_initial")
    with engine.begin() as conn:
        now = "2024-01-10 02:00:00.000000"
        conn.exec_driver_sql(
            "INSERT INTO accounts VALUES ('1498573829450012', 'Old Name', ?, ?)", (now, now)
        )
        for iid in ("iot-cn-a", "iot-cn-b"):
            conn.exec_driver_sql(
                "INSERT INTO instances VALUES (?, '1498573829450012', NULL, NULL, ?, ?)",
                (iid, now, now),
            )
        conn.exec_driver_sql(
            "INSERT INTO orders (order_id, account_id, order_type, subscription_type, "
            "payment_status, currency, payment_time, assumed_tz, created_at, updated_at) "
            "VALUES ('111', '1498573829450012', 'New', 'Subscription', 'Paid', 'CNY', ?, 0, ?, ?)",
            (now, now, now),
        )
        conn.exec_driver_sql("INSERT INTO order_instances VALUES ('111', 'iot-cn-b', 1)")
        conn.exec_driver_sql("INSERT INTO order_instances VALUES ('111', 'iot-cn-a', 0)")
    with engine.connect() as conn:
        assert current_revision(conn) == "0001_initial"
    engine.dispose()

    s = open_store(db_path)
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
    from refund_desk.store.db import HEAD_REVISION, head_revision

    assert HEAD_REVISION == head_revision()


def test_opening_a_database_at_head_does_not_import_alembic(tmp_path):
    import subprocess
    import sys

    db = tmp_path / "desk.db"
    from refund_desk.store import open_store

    open_store(db).close()
    code = (
        "import sys; from refund_desk.store import open_store; "
        f"open_store({str(db)!r}, create=False).close(); "
        "print(any(m.split('.')[0] == 'alembic' for m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
