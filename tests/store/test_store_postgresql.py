"""What only a PostgreSQL server shows: ids compared byte-wise under a linguistic default
collation, prefix searches served by index ranges, a whole server database migrated from empty,
connections that find their password where libpq and the keyring keep it and never show it.

Every test here needs the server (``pg_run``): skipped loudly without one, failed under
``REFUND_DESK_REQUIRE_PG=1``."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, inspect, text

from refund_desk.errors import DatabaseError
from refund_desk.store import open_store
from refund_desk.store.importer import import_paths
from refund_desk.store.schema import head_revision
from tests.helpers import databases

pytestmark = pytest.mark.postgresql

ID_COLUMNS = {
    ("accounts", "account_id"),
    ("instances", "instance_id"),
    ("instances", "account_id"),
    ("orders", "order_id"),
    ("orders", "sub_order_id"),
    ("orders", "account_id"),
    ("order_instances", "order_id"),
    ("order_instances", "instance_id"),
    ("cases", "instance_id"),
    ("cases", "account_id"),
    ("audit_log", "entity_id"),
}


@pytest.fixture
def pg_db(pg_run):
    database = databases.PostgresDatabase(pg_run)
    yield database
    database.close()


@pytest.fixture
def pg_store(pg_db):
    store = open_store(pg_db.target)
    yield store
    store.close()


@pytest.fixture
def scratch_database(pg_server):
    """A whole empty database on the server (not a schema of the run's), dropped after."""
    run = databases.RunDatabase(pg_server)
    run.name = run.name.replace("refund_desk_test_", "refund_desk_whole_")
    run.url = databases.with_database(pg_server, run.name)
    with databases.admin(pg_server) as conn:
        conn.execute(f'CREATE DATABASE "{run.name}"')
    yield run
    run.drop()


def test_the_run_database_sorts_linguistically(pg_run):
    """The harness's own premise: the tests' database does not compare bytes by default, so
    a query that relies on byte order fails here as it would on a real server."""
    with databases.admin(pg_run.url) as conn:
        assert conn.execute("SELECT 'iot-cn-AB2' >= 'iot-cn-a'").fetchone()[0]
        assert not conn.execute("SELECT 'iot-cn-AB2' >= 'iot-cn-a' COLLATE \"C\"").fetchone()[0]


def test_id_columns_compare_bytes(pg_store):
    with pg_store.engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT table_name, column_name, collation_name FROM information_schema.columns "
                "WHERE table_schema = current_schema() AND column_name LIKE '%\\_id'"
            )
        ).all()
    collations = {(t, c): coll for t, c, coll in rows}
    assert {key: collations[key] for key in ID_COLUMNS} == {key: "C" for key in ID_COLUMNS}


def test_prefix_search_finds_exactly_the_ids_with_the_prefix(pg_store, tmp_path):
    """Under the server's en-US collation ``iot-cn-b5`` could fall inside a linguistic range
    from ``iot-cn-a`` to ``iot-cn-a`` + U+FFFF; the search keys (``lower(id)`` in the "C"
    collation, migration 0006) keep exactly the ids with the prefix, whatever their case."""
    ids = ["iot-cn-a", "iot-cn-ab1", "iot-cn-AB2", "iot-cn-a-3", "iot-cn-a_4", "iot-cn-b5"]
    rows = [f",{iid},enterprise,2088000000000001" for iid in ids]
    path = tmp_path / "instances.csv"
    path.write_text(
        "order_id,instance_ids,instance_kind,account_id\n" + "\n".join(rows) + "\n", "utf-8"
    )
    assert not import_paths(pg_store, [path], actor="test").rejected
    # (an id holds letters, digits, ".", "_" and "-" only: the importer refuses others)
    expected = [("iot-cn-a", True), ("iot-cn-a-3", False), ("iot-cn-a_4", False),
                ("iot-cn-ab1", False), ("iot-cn-AB2", False)]  # fmt: skip
    assert [(h.id, h.exact) for h in pg_store.search("iot-cn-a")] == expected
    assert [(h.id, h.exact) for h in pg_store.search("iot-cn-A")] == expected
    assert [h.id for h in pg_store.search("IOT-CN-AB")] == ["iot-cn-ab1", "iot-cn-AB2"]
    assert [h.id for h in pg_store.search("iot-cn-")] == [i for i, _ in expected] + ["iot-cn-b5"]


def test_prefix_searches_are_index_ranges(pg_store):
    """Each search statement the store runs can be served by its search index (the planner,
    told to avoid sequential scans, finds an index range with both bounds on the folded key)."""
    queries = pg_store._q
    with pg_store.engine.connect() as conn:
        conn.execute(text("SET enable_seqscan = off"))
        for name, column in (
            ("search_accounts", "account_id"),
            ("search_account_names", "name"),
            ("search_instances", "instance_id"),
            ("search_orders", "order_id"),
        ):
            compiled = queries[name].compile(dialect=conn.dialect)
            params = compiled.construct_params({"lo": "iot-cn-a", "hi": "iot-cn-a\uffff",
                                                "lim": 100})  # fmt: skip
            plan = "\n".join(conn.exec_driver_sql("EXPLAIN " + compiled.string, params).scalars())
            assert "Seq Scan" not in plan, plan
            assert "_search_" in plan, plan
            (condition,) = [line for line in plan.splitlines() if "Index Cond" in line]
            assert f"lower(({column})::text)" in condition, condition
            assert ">=" in condition and "<" in condition.split(">=", 1)[1], condition


def test_an_empty_server_database_is_migrated_to_head(scratch_database):
    url = scratch_database.url  # the database itself, its default schema "public"
    store = open_store(url)
    try:
        assert store.role == "operator"
        assert store.dialect == "postgresql"
    finally:
        store.close()
    engine = create_engine(url)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == (
            head_revision()
        )
        assert "audit_log" in inspect(conn).get_table_names(schema="public")
        triggers = conn.execute(
            text("SELECT tgname FROM pg_trigger WHERE tgrelid = 'audit_log'::regclass")
        ).scalars()
        assert set(triggers) == {
            "audit_log_no_update",
            "audit_log_no_delete",
            "audit_log_no_truncate",
        }
    engine.dispose()


def test_connection_errors_are_one_plain_line_without_the_password():
    url = "postgresql+psycopg://ana:s3cret-pw@127.0.0.1:1/refund_desk"
    with pytest.raises(DatabaseError) as refused:
        open_store(url)
    message = str(refused.value)
    assert "s3cret-pw" not in message and "\n" not in message
    assert "ana:***@127.0.0.1:1" in message and "Connection refused" in message
    for noise in ("[SQL", "sqlalche.me", "Traceback"):
        assert noise not in message


def test_a_service_file_names_the_server(pg_run, tmp_path, monkeypatch):
    """``postgresql+psycopg:///?service=NAME``: host, port, database and user come from a
    ``pg_service.conf`` entry (libpq reads it; the desk passes nothing of its own)."""
    from sqlalchemy.engine import make_url

    parsed = make_url(pg_run.url)
    services = tmp_path / "pg_service.conf"
    services.write_text(
        f"[team_desk]\nhost={parsed.host}\nport={parsed.port or 5432}\n"
        f"dbname={parsed.database}\nuser={parsed.username}\n",
        "utf-8",
    )
    monkeypatch.setenv("PGSERVICEFILE", str(services))
    schema, _ = pg_run.fresh_schema()
    url = f"postgresql+psycopg:///?service=team_desk&options=-csearch_path%3D{schema}"
    store = open_store(url)
    try:
        with store.engine.connect() as conn:
            assert conn.execute(text("SELECT current_database()")).scalar() == parsed.database
        assert "service=team_desk" in store.url
    finally:
        store.close()
        pg_run.drop_schema(schema)


def test_a_password_file_is_read_for_a_url_without_password(pg_db, tmp_path, monkeypatch):
    """libpq looks the password up in the password file (``PGPASSFILE``, else ``~/.pgpass``)
    when the URL has none; the server here trusts, so the connection shows what was found."""
    from sqlalchemy.engine import make_url

    parsed = make_url(pg_db.target)
    passfile = tmp_path / "pgpass"
    passfile.write_text(f"{parsed.host}:{parsed.port or 5432}:*:{parsed.username}:from-pgpass\n")
    passfile.chmod(0o600)
    monkeypatch.setenv("PGPASSFILE", str(passfile))
    monkeypatch.delenv("PGPASSWORD", raising=False)
    store = open_store(pg_db.target)
    try:
        with store.engine.connect() as conn:
            assert conn.connection.driver_connection.info.password == "from-pgpass"
    finally:
        store.close()


def test_the_keyring_password_is_used_when_nothing_else_gives_one(
    pg_db, memory_keyring, tmp_path, monkeypatch
):
    from refund_desk.store import server

    monkeypatch.delenv("PGPASSWORD", raising=False)
    monkeypatch.setenv("PGPASSFILE", str(tmp_path / "none"))
    assert server.keyring_available()
    server.save_password(pg_db.target, "from-keyring")
    ((service, user),) = memory_keyring.saved
    assert service == server.KEYRING_SERVICE and user.endswith(f"/{pg_db.run.name}")
    store = open_store(pg_db.target)
    try:
        with store.engine.connect() as conn:
            assert conn.connection.driver_connection.info.password == "from-keyring"
        assert "from-keyring" not in store.url
    finally:
        store.close()
    # PGPASSWORD, set by the operator for this session, wins over the keyring.
    monkeypatch.setenv("PGPASSWORD", "from-environment")
    store = open_store(pg_db.target)
    try:
        with store.engine.connect() as conn:
            assert conn.connection.driver_connection.info.password == "from-environment"
    finally:
        store.close()
    server.forget_password(pg_db.target)
    assert memory_keyring.saved == {}


def test_a_server_error_is_its_sentence_without_the_statement(pg_db):
    """A server refusal reaches the operator as PostgreSQL's sentence, never the SQL it
    quotes (psycopg's message carries ``LINE 1: …`` and a caret)."""
    from sqlalchemy.exc import SQLAlchemyError

    from refund_desk.store.db import driver_reason

    engine = create_engine(pg_db.target)
    try:
        with engine.connect() as conn, pytest.raises(SQLAlchemyError) as failed:
            conn.execute(text("SELECT secret_column FROM no_such_table"))
    finally:
        engine.dispose()
    assert "LINE 1" in str(failed.value.orig)  # what it would have shown
    assert driver_reason(failed.value) == 'relation "no_such_table" does not exist'


@pytest.mark.parametrize(
    ("url", "kept"),
    [
        ("postgresql+psycopg://ana:pw-7@db.example.cn:5433/refund_desk",
         "postgresql+psycopg://ana@db.example.cn:5433/refund_desk"),
        ("postgresql+psycopg://ana@db/refund_desk?options=-csearch_path%3Ddesk",
         "postgresql+psycopg://ana@db/refund_desk?options=-csearch_path%3Ddesk"),
        ("postgresql+psycopg:///?service=team", "postgresql+psycopg:///?service=team"),
    ],
)  # fmt: skip
def test_what_the_settings_keep_has_no_password(url, kept):
    from refund_desk.store.server import hidden, without_password

    assert without_password(url) == kept
    assert "pw-7" not in hidden(url)
