"""The order store: SQLAlchemy 2 data layer, Alembic migrations, importers, demo data. No Qt.

Entry point: :func:`open_store`. See ``docs/STORE.md`` for the schema and import semantics.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ..errors import DatabaseError
from .records import AccountRecord, AuditEntry, CaseRecord, InstanceRecord, OrderRecord, SearchHit
from .repository import ROLES, OrderStore

__all__ = [
    "AccountRecord",
    "AuditEntry",
    "CaseRecord",
    "InstanceRecord",
    "OrderRecord",
    "OrderStore",
    "ROLES",
    "SearchHit",
    "open_store",
]


def open_store(
    path_or_url: str | Path,
    *,
    create: bool = True,
    role: str | None = None,
    on_wait: Callable[[float], None] | None = None,
) -> OrderStore:
    """Open the desk's database, creating or upgrading its schema with Alembic.

    Args:
        path_or_url: a file path (SQLite) or an SQLAlchemy URL (``sqlite:///…``,
            ``postgresql+psycopg://…``); see :func:`.db.to_url` for what is refused.
        create: when False a missing SQLite file is an error instead of a new empty database.
        role: for a new database, what it is for (``operator`` / ``demo`` / ``training``;
            default ``operator``). An existing database keeps its role; see ``OrderStore.role``.
        on_wait: called with the seconds waited while another desk holds the write lock during
            an upgrade (progress, not an error).
    Returns:
        An open :class:`OrderStore` (SQLite in WAL mode).
    Raises:
        DatabaseError: no file (``create=False``), a 0-byte file, not a desk database,
            unreadable, an in-memory or malformed location (one plain line, no URL).
        SchemaTooNewError: written by a newer desk (refused, left untouched).
        DatabaseBusyError: another desk held the write lock through an upgrade.

    A new SQLite database is built under a temporary name beside the target and moved into
    place only when its schema is complete, so an interrupted creation never leaves a half-made
    (or 0-byte) database at the path. Before an existing SQLite database is upgraded a copy is
    kept in ``backups/`` beside it (:func:`.schema.keep_backup`, the newest three per database).
    """
    from .db import make_engine, sqlite_file, to_url
    from .schema import backup_folder, ensure_schema
    from .server import hidden

    if role is not None and role not in ROLES:
        raise DatabaseError(f"unknown database role {role!r}")
    url = to_url(path_or_url)
    file = sqlite_file(url)
    display = str(file) if file else hidden(url)  # never a password
    if file is not None:
        if not file.exists():
            if not create:
                raise DatabaseError(
                    f"no database at {file} (import orders or run 'refund-desk demo')"
                )
            _create_sqlite(file, role, display)
        elif file.is_dir():
            raise DatabaseError(f"{file} is a folder, not a database file")
        elif file.stat().st_size == 0:
            raise DatabaseError(
                f"{file} is an empty file (0 bytes), not a Refund Desk database; remove it or "
                "give another file"
            )
    engine = make_engine(url)
    try:
        ensure_schema(
            engine,
            display=display,
            role=role,
            backup_dir=backup_folder(file) if file is not None else None,
            on_wait=on_wait,
        )
    except Exception:
        engine.dispose()
        raise
    return OrderStore(engine, url)


def _create_sqlite(file: Path, role: str | None, display: str) -> None:
    """Build a new desk database at ``file``: schema and role written under a temporary name in
    the same folder, then linked into place (never over a database another desk created
    meanwhile: that one is kept)."""
    import os
    import secrets

    from .db import make_engine
    from .schema import ensure_schema

    try:
        file.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DatabaseError(f"cannot create {display}: {exc.strerror or exc}") from None
    temporary = file.with_name(f".{file.name}.new-{os.getpid()}-{secrets.token_hex(4)}")
    engine = make_engine("sqlite:///" + str(temporary))
    try:
        ensure_schema(engine, display=display, role=role)
        engine.dispose()  # the last connection closing folds the WAL into the file
        try:
            os.link(temporary, file)
        except FileExistsError:
            pass  # another desk created it first: use theirs
        except OSError:
            if not file.exists():  # no hard links on this file system
                os.replace(temporary, file)
    except OSError as exc:
        raise DatabaseError(f"cannot create {display}: {exc.strerror or exc}") from None
    finally:
        engine.dispose()
        for suffix in ("", "-wal", "-shm"):
            Path(str(temporary) + suffix).unlink(missing_ok=True)
