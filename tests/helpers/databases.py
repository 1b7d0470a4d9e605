"""Test databases of either backend: a temporary SQLite file, or a fresh schema in the run's
PostgreSQL database.

A test asks for ``db`` (parametrised over both backends by ``tests/conftest.py``) and gets a
:class:`TestDatabase`: ``target`` is what ``open_store`` takes, ``dump()`` is everything stored
(schema and rows) as text, ``another()`` a second empty database of the same backend.
"""

from __future__ import annotations

import hashlib
import itertools
import os
import secrets
import sqlite3
from pathlib import Path

# The server the tests use: the development and CI machines run PostgreSQL 15 on 127.0.0.1:5432
# with trust authentication. REFUND_DESK_TEST_PG names another (an SQLAlchemy URL of a database
# the tests may connect to as a role allowed to create databases and roles).
DEFAULT_SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
SERVER_ENV = "REFUND_DESK_TEST_PG"
# Set by .ci/run: a missing server fails the PostgreSQL tests instead of skipping them.
REQUIRE_ENV = "REFUND_DESK_REQUIRE_PG"


def server_url() -> str:
    """The SQLAlchemy URL of the test server's maintenance database."""
    return os.environ.get(SERVER_ENV) or DEFAULT_SERVER


def libpq(url: str) -> str:
    """An SQLAlchemy ``postgresql+psycopg://`` URL → the libpq connection URI psycopg takes."""
    from sqlalchemy.engine import make_url

    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def with_database(url: str, database: str) -> str:
    """``url`` pointing at another database of the same server."""
    from sqlalchemy.engine import make_url

    return make_url(url).set(database=database).render_as_string(hide_password=False)


def with_search_path(url: str, schema: str) -> str:
    """``url`` whose sessions start in ``schema`` (libpq ``options=-csearch_path=…``)."""
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    return parsed.update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(
        hide_password=False
    )


def admin(url: str):
    """An autocommit psycopg connection for creating and dropping databases, schemas, roles."""
    import psycopg

    return psycopg.connect(libpq(url), autocommit=True, connect_timeout=5)


def unreachable_reason(url: str) -> str | None:
    """``None`` when the server answers and is PostgreSQL 15 or newer, else why not."""
    try:
        import psycopg  # noqa: F401
    except ImportError as exc:
        return f"psycopg is not installed ({exc})"
    try:
        with admin(url) as conn:
            version = conn.info.server_version
    except Exception as exc:  # noqa: BLE001 - any failure means no server for the tests
        return f"cannot connect to {_hidden(url)}: {str(exc).strip().splitlines()[0]}"
    if version < 150000:
        return f"{_hidden(url)} runs PostgreSQL {version // 10000}; the desk needs 15 or newer"
    return None


def _hidden(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


class RunDatabase:
    """The PostgreSQL database of one test run: ``refund_desk_test_<pid>_<random>``, created at
    the start of the run and dropped (connections and all) at its end, so nothing a test leaves
    on the server outlives the run and no run sees another's leftovers."""

    def __init__(self, server: str):
        self.server = server
        self.name = f"refund_desk_test_{os.getpid()}_{secrets.token_hex(4)}"
        self.url = with_database(server, self.name)
        self._schemas = itertools.count(1)

    def create(self) -> None:
        """Create the database. Its default collation is linguistic (ICU ``en-US``, as most
        servers are set up, e.g. ``en_US.UTF-8``), so a query that silently relied on byte
        order would fail here; without ICU the server's default is used."""
        with admin(self.server) as conn:
            try:
                conn.execute(
                    f"CREATE DATABASE \"{self.name}\" TEMPLATE template0 ENCODING 'UTF8' "
                    "LOCALE 'C.UTF-8' LOCALE_PROVIDER icu ICU_LOCALE 'en-US'"
                )
            except Exception:  # noqa: BLE001 - a server built without ICU
                conn.execute(f'CREATE DATABASE "{self.name}"')

    def drop(self) -> None:
        with admin(self.server) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')

    def fresh_schema(self) -> tuple[str, str]:
        """A new empty schema: ``(name, url)`` whose sessions use it as their only schema."""
        schema = f"t{next(self._schemas)}_{secrets.token_hex(3)}"
        with admin(self.url) as conn:
            conn.execute(f'CREATE SCHEMA "{schema}"')
        return schema, with_search_path(self.url, schema)

    def drop_schema(self, schema: str) -> None:
        """Drop a test's schema; a connection the test left open may hold a lock on it, in
        which case the schema goes with the run's database instead."""
        try:
            with admin(self.url) as conn:
                conn.execute("SET lock_timeout = '2s'")
                conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
        except Exception:  # noqa: BLE001 - dropped with the database at the end of the run
            pass


class TestDatabase:
    """One empty database of a backend for one test (see the module docstring)."""

    __test__ = False  # not a test class, whatever its name

    backend: str
    target: str

    def dump(self) -> str:
        raise NotImplementedError

    def digest(self) -> str:
        raise NotImplementedError

    def another(self) -> TestDatabase:
        raise NotImplementedError

    def close(self) -> None:
        """Release what the database holds (called at the end of the test)."""


class SqliteDatabase(TestDatabase):
    """A temporary SQLite file (not created until a store opens it)."""

    backend = "sqlite"

    def __init__(self, folder: Path, name: str = "desk.db"):
        self.folder = folder
        self.path = folder / name
        self.target = str(self.path)
        self._names = itertools.count(2)

    def dump(self) -> str:
        return sqlite_dump(self.path)

    def digest(self) -> str:
        return sqlite_digest(self.path)

    def another(self) -> SqliteDatabase:
        return SqliteDatabase(self.folder, f"desk-{next(self._names)}.db")


class PostgresDatabase(TestDatabase):
    """A fresh schema of the run's PostgreSQL database, dropped at the end of the test."""

    backend = "postgresql"

    def __init__(self, run: RunDatabase):
        self.run = run
        self.schema, self.target = run.fresh_schema()
        self._others: list[PostgresDatabase] = []

    def dump(self) -> str:
        return postgres_dump(self.run.url, self.schema)

    def digest(self) -> str:
        # No file to hash: the dump (tables, columns, indexes, triggers, every row) is the check.
        return ""

    def another(self) -> PostgresDatabase:
        other = PostgresDatabase(self.run)
        self._others.append(other)
        return other

    def close(self) -> None:
        for other in self._others:
            other.close()
        self.run.drop_schema(self.schema)


def sqlite_dump(db_path: Path) -> str:
    """Every table's schema and rows (``iterdump``), read through a separate connection."""
    conn = sqlite3.connect(db_path)
    try:
        return "\n".join(conn.iterdump())
    finally:
        conn.close()


def sqlite_digest(db_path: Path) -> str:
    """SHA-256 of the database file and its WAL (if any)."""
    digest = hashlib.sha256(Path(db_path).read_bytes())
    wal = Path(str(db_path) + "-wal")
    if wal.exists():
        digest.update(wal.read_bytes())
    return digest.hexdigest()


def postgres_dump(url: str, schema: str) -> str:
    """Everything in ``schema`` as text: tables with their columns (type, collation, nullable,
    default), indexes, constraints, triggers, then every table's rows in a fixed order. Sequence
    positions are left out: PostgreSQL advances a sequence even for an insert rolled back."""
    lines: list[str] = []
    with admin(url) as conn:
        tables = [
            r[0]
            for r in conn.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = %s "
                "ORDER BY table_name",
                (schema,),
            )
        ]
        for table in tables:
            lines.append(f"TABLE {table}")
            for row in conn.execute(
                "SELECT column_name, data_type, character_maximum_length, collation_name, "
                "is_nullable, column_default FROM information_schema.columns "
                "WHERE table_schema = %s AND table_name = %s ORDER BY ordinal_position",
                (schema, table),
            ):
                lines.append(f"  COLUMN {row}")
        for row in conn.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = %s ORDER BY 1",
            (schema,),
        ):
            lines.append(f"INDEX {row[0]}: {row[1].replace(schema + '.', '')}")
        for row in conn.execute(
            "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) "
            "FROM pg_constraint WHERE connamespace = %s::regnamespace ORDER BY 1, 2",
            (schema,),
        ):
            lines.append(f"CONSTRAINT {row}".replace(schema + ".", ""))
        for row in conn.execute(
            "SELECT event_object_table, trigger_name, event_manipulation, action_statement "
            "FROM information_schema.triggers WHERE trigger_schema = %s ORDER BY 1, 2, 3",
            (schema,),
        ):
            lines.append(f"TRIGGER {row}")
        for table in tables:
            columns = [
                r[0]
                for r in conn.execute(
                    "SELECT column_name FROM information_schema.columns WHERE table_schema = %s "
                    "AND table_name = %s ORDER BY ordinal_position",
                    (schema, table),
                )
            ]
            order = ", ".join(f'"{c}"' for c in columns)
            for row in conn.execute(f'SELECT * FROM "{schema}"."{table}" ORDER BY {order}'):
                lines.append(f"ROW {table} {row!r}")
    return "\n".join(lines)
