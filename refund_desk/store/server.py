"""Connecting to a team database on a PostgreSQL server: URLs, passwords, connection options.

A desk is pointed at the server with an SQLAlchemy URL *without* a password, e.g.
``postgresql+psycopg://desk_ana@db.example.cn/refund_desk`` or
``postgresql+psycopg:///?service=refund_desk`` (a ``pg_service.conf`` entry). The password is
found, in this order, by:

1. ``PGPASSWORD`` in the environment (libpq reads it);
2. the system keyring (the ``keyring`` package, when installed and a backend is available),
   under the service :data:`KEYRING_SERVICE` and the user name ``user@host:port/database`` —
   saved there by the database settings dialog;
3. a password file (``~/.pgpass``, ``%APPDATA%\\postgresql\\pgpass.conf`` or ``PGPASSFILE``), or
   the ``password`` of a service file entry (libpq reads both).

A password written into the URL itself still works (libpq takes it first) but is never stored
by the desk, and every URL the desk shows or logs goes through :func:`hidden`. No Qt here.
"""

from __future__ import annotations

import os
import re
from types import ModuleType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlalchemy.engine import URL

KEYRING_SERVICE = "Refund Desk (PostgreSQL)"
CONNECT_TIMEOUT_S = 10  # a server that does not answer is reported, not waited for forever
APPLICATION_NAME = "refund-desk"  # what the administrator sees in pg_stat_activity

_USERINFO = re.compile(r"^(?P<scheme>[^:/?#]+://)(?P<user>[^:@/?#]*):(?P<password>[^@/?#]*)@")


def is_server_url(url: str) -> bool:
    """True for a PostgreSQL URL (``postgresql://``, ``postgresql+psycopg://``, …)."""
    return url.strip().lower().startswith(("postgresql", "postgres:"))


def hidden(url: str) -> str:
    """``url`` with its password replaced by ``***`` (also for a URL SQLAlchemy cannot parse),
    for every message, label and log line. A path is returned as given."""
    text = str(url)
    try:
        from sqlalchemy.engine import make_url

        return make_url(text).render_as_string(hide_password=True)
    except Exception:  # noqa: BLE001 - not a URL SQLAlchemy reads: mask by pattern
        return _USERINFO.sub(lambda m: f"{m['scheme']}{m['user']}:***@", text)


def without_password(url: str) -> str:
    """``url`` with any password removed: what the desk may keep in its settings."""
    from sqlalchemy.engine import make_url

    return strip_password(make_url(url)).render_as_string(hide_password=False)


def strip_password(parsed: URL) -> URL:
    """An SQLAlchemy ``URL`` without its password. (``URL.set(password=None)`` keeps it:
    ``None`` there means "leave as is".)"""
    from sqlalchemy.engine import URL

    return URL.create(
        parsed.drivername,
        username=parsed.username,
        password=None,
        host=parsed.host,
        port=parsed.port,
        database=parsed.database,
        query=parsed.query,
    )


def keyring_user(url: str) -> str:
    """The keyring user name of a server URL: ``user@host:port/database`` (defaults as libpq
    takes them: port 5432; a service URL is ``service:<name>``)."""
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    service = parsed.query.get("service")
    if service and not parsed.host:
        return f"service:{service}"
    user = parsed.username or os.environ.get("PGUSER") or ""
    host = parsed.host or os.environ.get("PGHOST") or "localhost"
    port = parsed.port or int(os.environ.get("PGPORT") or 5432)
    database = parsed.database or os.environ.get("PGDATABASE") or user
    return f"{user}@{host}:{port}/{database}"


def _keyring() -> ModuleType | None:
    """The ``keyring`` module, or ``None`` when it is not installed."""
    try:
        import keyring
    except ImportError:
        return None
    return keyring


def keyring_available() -> bool:
    """True when the ``keyring`` package is installed and has a usable backend."""
    module = _keyring()
    if module is None:
        return False
    try:
        from keyring.backends.fail import Keyring as FailKeyring

        return not isinstance(module.get_keyring(), FailKeyring)
    except Exception:  # noqa: BLE001 - a broken backend is no backend
        return False


def keyring_password(url: str) -> str | None:
    """The password saved in the system keyring for ``url``'s server and user, or ``None``
    (nothing saved, no ``keyring`` package, no backend, or the keyring failed)."""
    module = _keyring()
    if module is None:
        return None
    try:
        return module.get_password(KEYRING_SERVICE, keyring_user(url))
    except Exception:  # noqa: BLE001 - a locked or missing keyring means "not saved"
        return None


def save_password(url: str, password: str) -> None:
    """Keep ``password`` for ``url``'s server and user in the system keyring.

    Raises:
        DatabaseError: no keyring (package or backend) on this computer, or it refused.
    """
    from ..errors import DatabaseError

    module = _keyring()
    if module is None or not keyring_available():
        raise DatabaseError(
            "this computer has no system keyring the desk can use; put the password in a "
            ".pgpass file or PGPASSWORD instead (docs/TEAM.md)"
        )
    try:
        module.set_password(KEYRING_SERVICE, keyring_user(url), password)
    except Exception as exc:  # noqa: BLE001 - shown in one line, without the password
        raise DatabaseError(
            f"the system keyring did not keep the password ({type(exc).__name__})"
        ) from None


def forget_password(url: str) -> None:
    """Remove the keyring entry of ``url``'s server and user (nothing saved: no-op)."""
    module = _keyring()
    if module is None:
        return
    try:
        module.delete_password(KEYRING_SERVICE, keyring_user(url))
    except Exception:  # noqa: BLE001 - nothing saved, or no backend
        pass


def connect_args(url: str) -> dict[str, Any]:
    """The driver's connection arguments for a server URL: a connect timeout of 10 s and the
    application name (unless the URL sets them), and the keyring's password when neither the
    URL nor ``PGPASSWORD`` gives one (libpq then still reads a password file for anything
    else). ``{}`` for any other database."""
    if not is_server_url(url):
        return {}
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    args: dict[str, Any] = {}
    if "connect_timeout" not in parsed.query and not os.environ.get("PGCONNECT_TIMEOUT"):
        args["connect_timeout"] = CONNECT_TIMEOUT_S
    if "application_name" not in parsed.query and not os.environ.get("PGAPPNAME"):
        args["application_name"] = APPLICATION_NAME
    if parsed.password is None and not os.environ.get("PGPASSWORD"):
        password = keyring_password(url)
        if password:
            args["password"] = password
    return args
