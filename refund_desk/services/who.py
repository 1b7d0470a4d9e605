"""Who is at this desk: the operator's name and the desk (computer) name written on every case
and audit entry (issue 14 part 2, docs/TEAM.md#who).

The operator's name, first found wins: ``refund-desk --operator NAME`` (which sets
:data:`OPERATOR_ENV` for the process), the environment variable :data:`OPERATOR_ENV`, the
desk's settings (asked once, pre-filled with :func:`os_user`; editable in Tools ▸ Team
database…). The desk is ``socket.gethostname()``. No Qt here.
"""

from __future__ import annotations

import os

OPERATOR_ENV = "REFUND_DESK_OPERATOR"


def operator_override() -> str:
    """The operator's name given by ``--operator`` or ``$REFUND_DESK_OPERATOR`` ('' if none),
    spaces around it removed."""
    return os.environ.get(OPERATOR_ENV, "").strip()


def os_user() -> str:
    """The login name of the computer's user (``getpass.getuser()``), '' if it cannot be
    read: the name the desk proposes when it first asks."""
    import getpass

    try:
        return getpass.getuser().strip()
    except Exception:  # noqa: BLE001 - no user name in the environment or the password file
        return ""


def desk_host() -> str:
    """This desk's computer name (``socket.gethostname()``), as ``cases.host`` and
    ``audit_log.host`` carry it."""
    from ..store.audit_chain import desk_host as host

    return host()
