"""Errors in plain words: what the window shows instead of a traceback."""

from __future__ import annotations


def plain_error(exc: BaseException) -> str:
    """One readable line for ``exc``.

    Desk errors (:class:`refund_desk.errors.DeskError` and the policy's ``ValueError``
    subclasses) already carry a message meant for people; anything else is named by its kind
    with its message, and the details go to the log.
    """
    from ..errors import DeskError

    text = str(exc).strip()
    if isinstance(exc, DeskError) and text:
        return text
    if isinstance(exc, ValueError) and text:
        return text
    if isinstance(exc, FileNotFoundError):
        return f"File not found: {exc.filename or text}"
    if isinstance(exc, PermissionError):
        return f"Permission denied: {exc.filename or text}"
    if isinstance(exc, OSError):
        return f"The file could not be read or written: {text}"
    kind = type(exc).__name__
    return f"Something went wrong ({kind}): {text}" if text else f"Something went wrong ({kind})."
