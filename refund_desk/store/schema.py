"""The schema belongs to Alembic (``migrations/``): creating and upgrading it, and the copy kept
before an upgrade.

Pending migrations run in one transaction under the write lock (:func:`.db.write_transaction`),
after a copy of the database file is kept (see :func:`keep_backup`); killed at any moment, the
database is left at its old revision and upgrades on the next start. A database stamped with a
revision this code does not know was written by a newer desk and is refused, never "repaired".
"""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DBAPIError, SQLAlchemyError

from ..errors import DatabaseError, SchemaTooNewError
from .db import problem, sqlite_file, write_transaction

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS_DIR = Path(__file__).with_name("migrations")
# Backups kept before an upgrade, per database file (the newest ones; older ones are deleted).
BACKUPS_KEPT = 3
# The newest migration in migrations/versions/. Opening a database already at this revision reads
# the stamp with one query and never imports Alembic (about 0.15 s of start-up); a test checks
# that this constant equals Alembic's own head, so a new migration cannot be forgotten here.
HEAD_REVISION = "0007_team_who"
INSUFFICIENT_PRIVILEGE = "42501"  # PostgreSQL's SQLSTATE for "permission denied"


def _alembic_config(connection: Connection | None) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    """The newest schema revision this code knows."""
    from alembic.script import ScriptDirectory

    config = _alembic_config(None)
    head = ScriptDirectory.from_config(config).get_current_head()
    if head is None:  # the package's migrations are missing: a broken installation
        raise DatabaseError("the desk's schema migrations are missing from this installation")
    return head


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


def ensure_schema(
    engine: Engine,
    *,
    display: str,
    role: str | None = None,
    backup_dir: Path | None = None,
    on_wait: Callable[[float], None] | None = None,
) -> bool:
    """Create or upgrade the schema to head. Returns True when a migration ran.

    Every pending migration runs in one transaction that holds the write lock
    (:func:`write_transaction`), with the new revision stamped in the same transaction: a kill,
    a full disk or a power cut leaves the database at its old revision, and the next start
    upgrades it. Alembic, given a connection already in a transaction, runs every migration in
    it (``transaction_per_migration`` only applies to transactions Alembic begins itself).
    Before an existing SQLite database is upgraded, a copy is kept (:func:`keep_backup`,
    in ``backup_dir``). A new database gets ``desk_meta`` ``role`` (default ``operator``) and
    ``created_at`` in the same transaction.

    Raises:
        SchemaTooNewError: the database carries a revision this code does not know.
        DatabaseError: the database has tables but is not a desk database, cannot be read, or
            the copy before the upgrade could not be written (nothing changed).
        DatabaseBusyError: another desk kept the write lock (nothing changed).
    """
    try:
        if _stamp(engine) == HEAD_REVISION:
            return False
        with write_transaction(engine, on_wait=on_wait) as conn:
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
            if revision is not None and backup_dir is not None:
                keep_backup(engine, backup_dir, revision, display=display)
            from alembic import command

            try:
                command.upgrade(_alembic_config(conn), "head")
            except SQLAlchemyError as exc:
                if getattr(getattr(exc, "orig", None), "sqlstate", None) == INSUFFICIENT_PRIVILEGE:
                    # A team desk's role may not change the schema (docs/postgresql/setup.sql);
                    # PostgreSQL rolls the whole migration back.
                    step = "created" if revision is None else f"upgraded from {revision}"
                    raise DatabaseError(
                        f"{display} needs its schema {step} to {HEAD_REVISION}, which this "
                        "desk's database role may not do: ask the administrator to run "
                        "'refund-desk migrate' as the database's owner (docs/TEAM.md). Nothing "
                        "was changed."
                    ) from None
                raise
            if revision is None:
                _set_new_meta(conn, role or "operator")
        return True
    except DatabaseError:
        raise
    except SQLAlchemyError as exc:
        raise DatabaseError(f"cannot open {display}: {problem(exc)}") from None


def _set_new_meta(conn: Connection, role: str) -> None:
    from . import models as m

    now = datetime.now(UTC).isoformat(timespec="seconds")
    conn.execute(m.desk_meta.delete().where(m.desk_meta.c.key.in_(("role", "created_at"))))
    conn.execute(
        m.desk_meta.insert(),
        [{"key": "role", "value": role}, {"key": "created_at", "value": now}],
    )


def backup_folder(file: Path) -> Path:
    """Where the copies kept before upgrades of ``file`` go: ``backups/`` beside it."""
    return file.parent / "backups"


def keep_backup(engine: Engine, folder: Path, revision: str, *, display: str) -> Path:
    """Copy the database (SQLite's online backup, consistent while another connection holds
    the write lock) to ``folder/<stem>-<revision>-<UTC time>.db`` before an upgrade; keep the
    newest :data:`BACKUPS_KEPT` of this database there and delete older ones. Written as
    ``….partial`` and renamed when complete, so a copy interrupted by a kill is never taken for
    a whole one (leftover partial copies are deleted the next time).

    Returns:
        The copy's path.
    Raises:
        DatabaseError: the copy could not be written (disk full, no permission): the upgrade
            does not run.
    """
    import sqlite3

    file = sqlite_file(engine.url.render_as_string(hide_password=False))
    assert file is not None
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    target = folder / f"{file.stem}-{revision}-{stamp}.db"
    partial = target.with_name(target.name + ".partial")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for stale in folder.glob(f"{file.stem}-*.db.partial"):
            stale.unlink(missing_ok=True)
        source = engine.raw_connection()  # another connection: it reads beside the lock holder
        try:
            copy = sqlite3.connect(partial)
            try:
                sqlite_source = source.driver_connection
                assert sqlite_source is not None  # a connection just taken from the pool
                sqlite_source.backup(copy)
            finally:
                copy.close()
        finally:
            source.close()
        os.replace(partial, target)
        kept = sorted(
            folder.glob(f"{file.stem}-*.db"), key=lambda p: p.stat().st_mtime, reverse=True
        )
        for old in kept[BACKUPS_KEPT:]:
            old.unlink(missing_ok=True)
    except (OSError, sqlite3.Error, DBAPIError) as exc:
        partial.unlink(missing_ok=True)
        reason = problem(exc) if not isinstance(exc, OSError) else (exc.strerror or str(exc))
        raise DatabaseError(
            f"cannot upgrade {display}: the copy kept before an upgrade could not be written in "
            f"{folder} ({reason}); the database was left untouched"
        ) from None
    return target
