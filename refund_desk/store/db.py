"""Engine, URL and schema handling: SQLite in WAL mode by default, any SQLAlchemy URL allowed.

The schema belongs to Alembic (``migrations/``): opening a database upgrades it in place to the
code's head revision; a database stamped with a revision this code does not know was written by a
newer desk and is refused (:class:`~refund_desk.errors.SchemaTooNewError`), never "repaired".
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import create_engine, event, inspect, text
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

from ..errors import DatabaseError, SchemaTooNewError

MIGRATIONS_DIR = Path(__file__).with_name("migrations")
BUSY_TIMEOUT_MS = 5000
# The newest migration in migrations/versions/. Opening a database already at this revision reads
# the stamp with one query and never imports Alembic (about 0.15 s of start-up); a test checks
# that this constant equals Alembic's own head, so a new migration cannot be forgotten here.
HEAD_REVISION = "0006_search_names"
INSUFFICIENT_PRIVILEGE = "42501"  # PostgreSQL's SQLSTATE for "permission denied"


def to_url(path_or_url: str | Path) -> str:
    """A database given as a file path or an SQLAlchemy URL → an SQLAlchemy URL string.

    ``"/data/desk.db"`` → ``"sqlite:///data/desk.db"`` (absolute); ``"postgresql+psycopg://…"``
    and ``"sqlite:///…"`` are returned as given. Raises ``DatabaseError`` for an empty value.
    """
    raw = str(path_or_url).strip()
    if not raw:
        raise DatabaseError("no database given")
    if "://" in raw:
        return raw
    return "sqlite:///" + str(Path(raw).expanduser().resolve())


def sqlite_file(url: str) -> Path | None:
    """The file behind an SQLite URL, or ``None`` (in-memory, or not SQLite)."""
    parsed = make_url(url)
    if (
        parsed.get_backend_name() != "sqlite"
        or not parsed.database
        or parsed.database == ":memory:"
    ):
        return None
    return Path(parsed.database)


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    cursor = dbapi_conn.cursor()
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def make_engine(url: str) -> Engine:
    """Create the engine for ``url``; SQLite connections get WAL, ``synchronous=NORMAL``, a busy
    timeout of 5 s and foreign keys on. Raises ``DatabaseError`` for a malformed URL or a missing
    driver."""
    from .server import connect_args, hidden

    try:
        engine = create_engine(url, connect_args=connect_args(url))
    except (ArgumentError, ImportError, SQLAlchemyError) as exc:
        raise DatabaseError(f"cannot use database {hidden(url)}: {exc}") from None
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def _alembic_config(connection: Connection):
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    """The newest schema revision this code knows."""
    from alembic.script import ScriptDirectory

    config = _alembic_config(None)
    return ScriptDirectory.from_config(config).get_current_head()


def known_revisions() -> set[str]:
    """Every schema revision this code knows."""
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(_alembic_config(None))
    return {rev.revision for rev in script.walk_revisions()}


def current_revision(connection: Connection) -> str | None:
    """The revision stamped in the database (``None`` for a database without the desk schema)."""
    from alembic.runtime.migration import MigrationContext

    return MigrationContext.configure(connection).get_current_revision()


def _stamp(engine: Engine) -> str | None:
    """The revision in ``alembic_version`` read with plain SQL, or ``None`` if there is none."""
    try:
        with engine.connect() as conn:
            rows = conn.execute(text("SELECT version_num FROM alembic_version")).all()
    except SQLAlchemyError:
        return None
    return rows[0][0] if len(rows) == 1 else None


def ensure_schema(engine: Engine, *, display: str) -> bool:
    """Create or upgrade the schema to head. Returns True when a migration ran.

    Raises:
        SchemaTooNewError: the database carries a revision this code does not know.
        DatabaseError: the database has tables but is not a desk database, or cannot be read.
    """
    try:
        if _stamp(engine) == HEAD_REVISION:
            return False
        with engine.connect() as conn:
            revision = current_revision(conn)
            if revision is None:
                foreign = set(inspect(conn).get_table_names()) - {"alembic_version"}
                if foreign:
                    raise DatabaseError(
                        f"{display} is not a Refund Desk database (it has tables "
                        f"{', '.join(sorted(foreign)[:5])})"
                    )
            elif revision not in known_revisions():
                raise SchemaTooNewError(
                    f"{display} was written by a newer Refund Desk (schema {revision}); this "
                    f"version knows up to {head_revision()}. Update the desk; the database was "
                    "left untouched."
                )
            if revision == head_revision():
                return False
        from alembic import command

        try:
            with engine.begin() as conn:
                command.upgrade(_alembic_config(conn), "head")
        except SQLAlchemyError as exc:
            if getattr(getattr(exc, "orig", None), "sqlstate", None) == INSUFFICIENT_PRIVILEGE:
                # A team desk's role may not change the schema (docs/postgresql/setup.sql);
                # PostgreSQL rolled the whole migration back.
                step = "created" if revision is None else f"upgraded from {revision}"
                raise DatabaseError(
                    f"{display} needs its schema {step} to {HEAD_REVISION}, which this desk's "
                    "database role may not do: ask the administrator to run 'refund-desk "
                    "migrate' as the database's owner (docs/TEAM.md). Nothing was changed."
                ) from None
            raise
        return True
    except DatabaseError:
        raise
    except SQLAlchemyError as exc:
        raise DatabaseError(f"cannot open {display}: {driver_reason(exc)}") from None


def checkpoint(engine: Engine) -> None:
    """Fold the WAL file back into the database (after a big import); no-op off SQLite."""
    if engine.dialect.name == "sqlite":
        with engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")


def ping(engine: Engine) -> None:
    """Raise ``DatabaseError`` unless a trivial query works."""
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except SQLAlchemyError as exc:
        raise DatabaseError(f"cannot open database: {driver_reason(exc)}") from None


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
