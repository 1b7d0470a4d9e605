"""Errors in plain words: what the window shows instead of a traceback. The details (traceback,
SQL, driver message) go to the log file (:mod:`refund_desk.logfile`), which the words name."""

from __future__ import annotations

import logging
import re

from ..wording import _

log = logging.getLogger(__name__)

# What a message from a library may carry that an operator must never be shown.
_SQL = re.compile(r"\[SQL:.*?\](?=\s|$)|\[parameters:.*?\](?=\s|$)", re.DOTALL)
_BACKGROUND = re.compile(r"\(Background on this error at:[^)]*\)")
_URL = re.compile(r"\b[a-z][a-z0-9+.-]*://\S+", re.IGNORECASE)


def clean(text: str) -> str:
    """``text`` without SQL, parameter lists, web addresses or database URLs, on one line."""
    text = _BACKGROUND.sub("", text)
    text = _SQL.sub("", text)
    text = _URL.sub(_("(address hidden)"), text)
    return " ".join(text.split()).strip(" :;")


def _log_hint() -> str:
    from ..logfile import log_file

    try:
        return _("The details are in the log file {path} (Help ▸ Open the log folder).").format(
            path=log_file()
        )
    except Exception:  # noqa: BLE001 - a hint must never fail
        return _("The details are in the desk's log file (Help ▸ Open the log folder).")


def _logged(exc: BaseException) -> None:
    """Write ``exc`` with its traceback to the log once (a background job logs it already)."""
    if getattr(exc, "_desk_logged", False):
        return
    log.error("shown to the operator as a plain error", exc_info=exc)
    try:
        exc._desk_logged = True  # type: ignore[attr-defined]
    except AttributeError:
        pass


def _is_database_error(exc: BaseException) -> bool:
    module = type(exc).__module__ or ""
    return (
        module.startswith("sqlalchemy")
        or module in ("sqlite3", "_sqlite3")
        or (module.startswith("psycopg"))
    )


def plain_error(exc: BaseException) -> str:
    """One readable line for ``exc``, never a traceback, SQL or web address.

    Desk errors (:class:`refund_desk.errors.DeskError` and the policy's ``ValueError``
    subclasses) already carry a message meant for people; a database failure is named as one
    (a busy database says to try again); anything else is named by its kind. Whatever is not a
    desk error is written to the log with its traceback, and the line says where the log is.
    """
    from ..errors import DeskError

    text = clean(str(exc))
    if isinstance(exc, DeskError) and text:
        return text
    if isinstance(exc, ValueError) and not _is_database_error(exc) and text:
        return text
    _logged(exc)
    if _is_database_error(exc):
        detail = clean(str(getattr(exc, "orig", None) or "")) or text
        if any(word in detail.lower() for word in ("locked", "busy")):
            return _(
                "The database is busy (another desk or an import is writing to it): try again "
                "in a moment."
            )
        if "QueuePool limit" in text or type(exc).__name__ == "TimeoutError":
            return _("The database has no free connection right now: try again in a moment. ") + (
                _log_hint()
            )
        return _("The database could not be read or written ({detail}). ").format(
            detail=detail or _("no reason given")
        ) + (_log_hint())
    if isinstance(exc, FileNotFoundError):
        return _("File not found: {path}").format(path=exc.filename or text)
    if isinstance(exc, PermissionError):
        return _("Permission denied: {path}").format(path=exc.filename or text)
    if isinstance(exc, OSError):
        return _("The file could not be read or written: {problem}").format(problem=text)
    kind = type(exc).__name__
    return _("Something went wrong ({kind}). ").format(kind=kind) + _log_hint()
