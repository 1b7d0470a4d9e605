"""Engine, database locations, errors in plain words and write transactions.

- **Where**: a file path (SQLite) or an SQLAlchemy URL. An in-memory database, a URL that is
  not one (``sqlite:/x``), a path that looks like a broken URL or template (``::::``, ``%s``), a
  0-byte file and a file that is not a desk database are refused with one plain line.
- **Transactions**: pysqlite's own transaction handling is switched off (it begins
  transactions late and, before Python 3.6, committed around DDL); the desk emits ``BEGIN`` in
  the ``begin`` event, the documented SQLAlchemy recipe. :func:`write_transaction` begins with
  ``BEGIN IMMEDIATE`` on SQLite (the write lock is taken before anything is read) and with a
  transaction-scoped advisory lock on PostgreSQL, so two imports or upgrades never interleave
  their read-merge-write.

The schema and its upgrades are :mod:`.schema`'s.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, SQLAlchemyError

from ..errors import DatabaseBusyError, DatabaseError
from ..safetext import one_line

# How long a write waits for another desk's write to commit before SQLite reports "database is
# locked". An import holds the write lock while it merges and writes one batch (up to 150,000
# orders: about 10 s on the development machine, a minute on a slow network disk); a refund case
# recorded meanwhile waits for it rather than failing.
BUSY_TIMEOUT_MS = 120_000
# An import or an upgrade takes the write lock in attempts of this length, reporting each wait
# (a progress line, not an error), for up to LOCK_WAIT_S in all.
LOCK_ATTEMPT_MS = 1_000
LOCK_WAIT_S = 600.0
# PostgreSQL: the advisory lock every desk write transaction of this kind takes ("RFDESK01").
PG_WRITE_LOCK = 0x5246_4445_534B_3031

_DRIVE = re.compile(r"^[A-Za-z]:[\\/]")  # C:\… or C:/… (a Windows path, not a URL)


# --------------------------------------------------------------------------- locations
def to_url(path_or_url: str | Path) -> str:
    """A database given as a file path or an SQLAlchemy URL → an SQLAlchemy URL string.

    ``"/data/desk.db"`` → ``"sqlite:////data/desk.db"`` (absolute); ``"postgresql+psycopg://…"``
    and ``"sqlite:///…"`` are returned as given.

    Raises:
        DatabaseError: empty; an in-memory SQLite database (``sqlite://``, ``:memory:``, whose
            data would be gone at exit); a malformed URL (``sqlite:/x``); a path holding ``%``,
            a ``:`` outside a Windows drive letter, or a control character (``::::``, ``%s``:
            a broken URL or an unfilled template, which would create a stray file in the current
            folder). The message never repeats the URL (it may hold a password).
    """
    raw = str(path_or_url).strip()
    if not raw:
        raise DatabaseError("no database given")
    if "://" in raw:
        try:
            url = make_url(raw)
        except (ArgumentError, ValueError):
            raise DatabaseError(_NOT_A_LOCATION) from None
        if url.get_backend_name() == "sqlite":
            database = url.database or ""
            if (
                database in ("", ":memory:")
                or database.startswith("file::memory:")
                or url.query.get("mode") == "memory"
            ):
                raise DatabaseError(
                    "an in-memory database (sqlite://) keeps nothing after the desk exits; "
                    "give a database file"
                )
            _check_path_text(database)
        return raw
    if _looks_like_url(raw):
        raise DatabaseError(_NOT_A_LOCATION)
    _check_path_text(raw)
    return "sqlite:///" + str(Path(raw).expanduser().resolve())


_NOT_A_LOCATION = (
    "the database given (--db or REFUND_DESK_DB) is neither a file path nor a database URL "
    "(a URL reads sqlite:///path/to/desk.db or postgresql+psycopg://host/dbname)"
)


def _looks_like_url(raw: str) -> bool:
    # "sqlite:/x", "postgresql:host", "::::": a colon that is not a drive letter's.
    return ":" in (raw[2:] if _DRIVE.match(raw) else raw)


def _check_path_text(path: str) -> None:
    if "%" in path:
        raise DatabaseError(
            "the database path holds '%' (an unfilled template or an encoded URL?); give the "
            "file's real path"
        )
    if one_line(path) != path:
        raise DatabaseError("the database path holds a control character or line break")


def sqlite_file(url: str) -> Path | None:
    """The file behind an SQLite URL, or ``None`` (not SQLite)."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database:
        return None
    return Path(parsed.database)


# --------------------------------------------------------------------------- engine
def _driver(conn: Connection) -> Any:
    """The driver's own connection under ``conn`` (there while ``conn`` is open)."""
    raw = conn.connection.driver_connection
    if raw is None:
        raise DatabaseError("the database connection is closed")
    return raw


def _sqlite_connect(dbapi_conn: Any, _record: object) -> None:
    # The desk decides where transactions begin (see _sqlite_begin), not pysqlite.
    dbapi_conn.isolation_level = None
    cursor = dbapi_conn.cursor()
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def _sqlite_begin(conn: Connection) -> None:
    """SQLAlchemy's ``begin`` event (its documented pysqlite recipe): emit ``BEGIN`` ourselves,
    so a transaction starts with its first statement, reads included, and DDL is transactional.
    ``BEGIN IMMEDIATE`` (the write lock, before anything is read) when the connection carries
    the ``desk_write`` execution option (:func:`write_transaction`). Autocommit connections
    (the store's readers) begin nothing."""
    options = conn.get_execution_options()
    if options.get("isolation_level") == "AUTOCOMMIT":
        return
    # The pool's reset of a connection used in autocommit mode restores pysqlite's legacy mode.
    _driver(conn).isolation_level = None
    conn.exec_driver_sql("BEGIN IMMEDIATE" if options.get("desk_write") else "BEGIN")


def make_engine(url: str) -> Engine:
    """Create the engine for ``url``. SQLite connections get WAL, ``synchronous=NORMAL``, a busy
    timeout of :data:`BUSY_TIMEOUT_MS`, foreign keys on, and transactions begun by the desk
    (:func:`_sqlite_begin`); a server gets its connection options (:mod:`.server`) and a
    pre-ping of every pooled connection (reconnects after a restart). Raises
    ``DatabaseError`` for a malformed URL or a missing driver (the URL shown without password)."""
    from .server import connect_args, hidden

    try:
        # A server's pooled connections die with a restart or a network cut: each checkout
        # tests its connection first, so the desk reconnects by itself once the server is back.
        pre_ping = make_url(url).get_backend_name() != "sqlite"
        engine = create_engine(url, connect_args=connect_args(url), pool_pre_ping=pre_ping)
    except (ArgumentError, ImportError, SQLAlchemyError, ValueError) as exc:
        name = getattr(exc, "name", None) or ""
        detail = f" (the driver {name} is not installed)" if isinstance(exc, ImportError) else ""
        raise DatabaseError(f"cannot use database {hidden(url)}{detail}") from None
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_connect)
        event.listen(engine, "begin", _sqlite_begin)
    return engine


# --------------------------------------------------------------------------- errors
# SQLite's messages and PostgreSQL's SQLSTATE codes → what the operator reads.
_SQLITE_PROBLEMS = (
    ("database or disk is full", "the disk is full"),
    ("disk i/o error", "the disk reported a read or write error (full, removed or failing?)"),
    ("readonly database", "the database file is read-only"),
    ("read-only", "the database file is read-only"),
    ("database is locked", "the database is locked by another program"),
    ("unable to open database file", "the database file cannot be opened (folder missing or "
     "no permission)"),
    ("file is not a database", "the file is not a database"),
    ("database disk image is malformed", "the database file is damaged"),
    ("unique constraint failed", "another desk wrote the same record at the same moment"),
)  # fmt: skip
_PG_PROBLEMS = {
    "53100": "the database server's disk is full",
    "25006": "the database is read-only",
    "55P03": "the database is locked by another program",
    "40001": "another desk wrote at the same moment",
    "40P01": "another desk wrote at the same moment",
    "23505": "another desk wrote the same record at the same moment",
}


def problem(exc: BaseException) -> str:
    """A database error (SQLAlchemy's, or the driver's underneath) as a short plain phrase for
    people: ``"the disk is full"``, ``"the database file is read-only"``, … — never SQL, bound
    values or a URL (SQLAlchemy's own message contains the statement)."""
    orig = exc.orig if isinstance(exc, DBAPIError) and exc.orig is not None else exc
    code = getattr(orig, "sqlstate", None) or getattr(orig, "pgcode", None)
    if code in _PG_PROBLEMS:
        return _PG_PROBLEMS[code]
    if isinstance(orig, SQLAlchemyError):
        first = type(orig).__name__
    else:
        first = driver_reason(exc) or type(orig).__name__
    lowered = first.lower()
    for needle, phrase in _SQLITE_PROBLEMS:
        if needle in lowered:
            return phrase
    return one_line(first)[:300]  # the driver's own sentence (e.g. "… Connection refused …")


def is_locked(exc: BaseException) -> bool:
    """Whether ``exc`` is SQLite's "database is locked" / "busy" (another writer)."""
    orig = exc.orig if isinstance(exc, DBAPIError) and exc.orig is not None else exc
    text_ = str(orig).lower()
    return "database is locked" in text_ or "database is busy" in text_


# --------------------------------------------------------------------------- write transactions
@contextmanager
def write_transaction(
    engine: Engine,
    *,
    on_wait: Callable[[float], None] | None = None,
    wait_s: float = LOCK_WAIT_S,
) -> Iterator[Connection]:
    """A transaction that holds the database's write lock from its first statement: everything
    read in it is what the transaction then writes over (read-merge-write never loses another
    desk's commit).

    SQLite: ``BEGIN IMMEDIATE``, tried in attempts of :data:`LOCK_ATTEMPT_MS`; PostgreSQL:
    ``pg_try_advisory_xact_lock`` (:data:`PG_WRITE_LOCK`) at the start of the transaction,
    retried likewise (the lock is released at commit or rollback). Other dialects: a plain
    transaction.

    Args:
        engine: the store's engine.
        on_wait: called with the seconds waited so far after each attempt that found another
            writer holding the lock (a progress report, not an error).
        wait_s: give up after this many seconds.
    Yields:
        The connection, in a transaction committed when the block ends (rolled back if it
        raises).
    Raises:
        DatabaseBusyError: another writer kept the lock for ``wait_s`` seconds (nothing done).
        SQLAlchemyError: the database failed (see :func:`problem`).
    """
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            _begin_immediate(conn, on_wait, wait_s)
            try:
                yield conn
            except BaseException:
                conn.rollback()
                raise
            conn.commit()
            return
        with conn.begin():
            if engine.dialect.name == "postgresql":
                _pg_lock(conn, on_wait, wait_s)
            yield conn


def _begin_immediate(
    conn: Connection, on_wait: Callable[[float], None] | None, wait_s: float
) -> None:
    raw = _driver(conn)
    raw.execute(f"PRAGMA busy_timeout={LOCK_ATTEMPT_MS}")
    start = time.monotonic()
    try:
        while True:
            try:
                conn.execution_options(desk_write=True).begin()
                return
            except DBAPIError as exc:
                if not is_locked(exc):
                    raise
                waited = time.monotonic() - start
                if waited >= wait_s:
                    raise DatabaseBusyError(waited) from None
                if on_wait is not None:
                    on_wait(waited)
    finally:
        raw.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")


def _pg_lock(conn: Connection, on_wait: Callable[[float], None] | None, wait_s: float) -> None:
    start = time.monotonic()
    query = text("SELECT pg_try_advisory_xact_lock(:key)")
    while not conn.execute(query, {"key": PG_WRITE_LOCK}).scalar():
        waited = time.monotonic() - start
        if waited >= wait_s:
            raise DatabaseBusyError(waited)
        if on_wait is not None:
            on_wait(waited)
        time.sleep(LOCK_ATTEMPT_MS / 1000)


def checkpoint(engine: Engine) -> None:
    """Fold the WAL file back into the database (after a big import, at close); no-op off
    SQLite. Never waits for another desk's writer: when one holds the lock, the checkpoint is
    partial and SQLite completes it later on its own."""
    if engine.dialect.name == "sqlite":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            raw = _driver(conn)
            raw.execute("PRAGMA busy_timeout=0")
            try:
                conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
            finally:
                raw.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")


def ping(engine: Engine) -> None:
    """Raise ``DatabaseError`` unless a trivial query works."""
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except SQLAlchemyError as exc:
        raise DatabaseError(f"cannot open database: {problem(exc)}") from None


def driver_reason(exc: BaseException) -> str:
    """The driver's own words for a database error, on one line: no SQL, no parameters, no
    link to SQLAlchemy's help pages (``str()`` of an SQLAlchemy error carries all three), a
    server error's primary message only, libpq's multi-line connection errors joined."""
    orig = getattr(exc, "orig", None)
    # psycopg's own message may quote the statement ("LINE 2: CREATE TABLE …"): a server
    # error's primary message is the sentence without it.
    diag = getattr(orig, "diag", None)
    primary = getattr(diag, "message_primary", None) if diag is not None else None
    text = primary or str(orig if orig is not None else exc)
    return " ".join(line.strip() for line in text.splitlines() if line.strip())
