"""Pointing a desk at the team's PostgreSQL database (docs/TEAM.md): what the database
settings dialog calls. No Qt.

The desk keeps the URL *without* its password (in its settings); a password the operator
types goes to the system keyring, or is used for this session only. Nothing here connects.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import DatabaseError


@dataclass(frozen=True, slots=True)
class TeamDatabase:
    """A team database as the desk will use it.

    Attributes:
        saved_url: the URL to keep in the settings (never a password in it).
        open_url: the URL to open now: ``saved_url``, or with the password for this session
            when the operator chose not to keep it in the keyring (held in memory only).
        remembered: the password was put in the system keyring.
    """

    saved_url: str
    open_url: str
    remembered: bool


def configure(url: str, password: str = "", *, remember: bool = True) -> TeamDatabase:
    """Check a team database URL and keep its password where it belongs.

    Args:
        url: ``postgresql+psycopg://user@host[:port]/database`` or
            ``postgresql+psycopg:///?service=NAME``; ``postgresql://`` is read as psycopg's.
            A password written into it is taken out and treated as ``password``.
        password: the password typed ("" when PGPASSWORD, ``.pgpass`` or a service file gives
            it). remember: keep it in the system keyring (else for this session only).
    Returns:
        A :class:`TeamDatabase`.
    Raises:
        DatabaseError: not a PostgreSQL URL, malformed, or the keyring would not keep the
            password; the message never contains the password.
    """
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    from ..store import server

    raw = (url or "").strip()
    if not raw:
        raise DatabaseError("type the team database's address (postgresql+psycopg://…)")
    try:
        parsed = make_url(raw)
    except (ArgumentError, ValueError):
        raise DatabaseError(f"{server.hidden(raw)} is not a database address") from None
    if parsed.get_backend_name() != "postgresql":
        raise DatabaseError(
            f"{server.hidden(raw)} is not a PostgreSQL address (postgresql+psycopg://…)"
        )
    if parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
    if not (parsed.host or parsed.query.get("service") or parsed.query.get("host")):
        raise DatabaseError(
            f"{server.hidden(raw)} names no server: give a host (…@host/database) or a service "
            "(?service=name)"
        )
    typed = password or (parsed.password or "")
    saved = server.strip_password(parsed).render_as_string(hide_password=False)
    if typed and remember:
        server.save_password(saved, str(typed))
        return TeamDatabase(saved, saved, True)
    if typed:
        session = parsed.set(password=str(typed)).render_as_string(hide_password=False)
        return TeamDatabase(saved, session, False)
    return TeamDatabase(saved, saved, False)


def url_to_keep(url: str) -> str:
    """``url`` as the desk keeps it in its settings: with any password taken out (the password
    lives in the keyring, PGPASSWORD or a .pgpass file; docs/TEAM.md). Reads only."""
    from ..store.server import without_password

    return without_password(url)


def forget(url: str) -> None:
    """Stop using the team database ``url``: its keyring password is removed."""
    from ..store import server

    if url:
        server.forget_password(url)


def keyring_available() -> bool:
    """True when a password can be kept in the system keyring on this computer."""
    from ..store import server

    return server.keyring_available()
