"""The order store: SQLAlchemy 2 data layer, Alembic migrations, importers, demo data. No Qt.

Entry point: :func:`open_store`. See ``docs/STORE.md`` for the schema and import semantics.
"""

from __future__ import annotations

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
    path_or_url: str | Path, *, create: bool = True, role: str | None = None
) -> OrderStore:
    """Open the desk's database, creating or upgrading its schema with Alembic.

    Args:
        path_or_url: a file path (SQLite) or an SQLAlchemy URL (``sqlite:///…``,
            ``postgresql+psycopg://…``).
        create: when False a missing SQLite file is an error instead of a new empty database.
        role: for a new database, what it is for (``operator`` / ``demo`` / ``training``;
            default ``operator``). An existing database keeps its role; see ``OrderStore.role``.
    Returns:
        An open :class:`OrderStore` (SQLite in WAL mode with a 5 s busy timeout).
    Raises:
        DatabaseError: no file (``create=False``), not a desk database, unreadable, bad URL.
        SchemaTooNewError: written by a newer desk (refused, left untouched).
    """
    from .db import ensure_schema, make_engine, sqlite_file, to_url
    from .server import hidden

    if role is not None and role not in ROLES:
        raise DatabaseError(f"unknown database role {role!r}")
    url = to_url(path_or_url)
    file = sqlite_file(url)
    display = str(file) if file else hidden(url)
    if file is not None:
        if not file.exists():
            if not create:
                raise DatabaseError(
                    f"no database at {file} (import orders or run 'refund-desk demo')"
                )
            file.parent.mkdir(parents=True, exist_ok=True)
        elif file.is_dir():
            raise DatabaseError(f"{file} is a folder, not a database file")
    engine = make_engine(url)
    try:
        created = ensure_schema(engine, display=display)
    except Exception:
        engine.dispose()
        raise
    store = OrderStore(engine, url)
    if created and store.get_meta("role") is None:
        store.set_meta("role", role or "operator")
        store.set_meta("created_at", datetime_now_iso())
    return store


def datetime_now_iso() -> str:
    """Now, UTC, ISO 8601 (for ``desk_meta.created_at``)."""
    from datetime import UTC, datetime

    return datetime.now(UTC).isoformat(timespec="seconds")
