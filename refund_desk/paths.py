"""Where the desk keeps its files (platformdirs), overridable for tests and training rooms.

``REFUND_DESK_HOME`` replaces the per-user data directory (tests set it to a temporary folder);
``REFUND_DESK_DB`` (a file path or an SQLAlchemy URL) replaces the operator's database.
"""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "RefundDesk"
APP_AUTHOR = "RefundDesk"


def data_dir() -> Path:
    """The per-user data folder (created on first use)."""
    override = os.environ.get("REFUND_DESK_HOME")
    if override:
        path = Path(override)
    else:
        import platformdirs

        path = Path(platformdirs.user_data_dir(APP_NAME, APP_AUTHOR))
    path.mkdir(parents=True, exist_ok=True)
    return path


def operator_db_path() -> Path:
    """The operator's own database file (``desk.db`` in the data folder)."""
    return data_dir() / "desk.db"


def demo_db_path() -> Path:
    """The demo database file, never the operator's own."""
    return data_dir() / "demo.db"


def training_db_path() -> Path:
    """The training database file, never the operator's own."""
    return data_dir() / "training.db"


def resolve_db(arg: str | None) -> str:
    """The database the operator asked for: ``--db`` value, else ``$REFUND_DESK_DB``, else the
    operator's own file. Returns a path or an SQLAlchemy URL as given (see
    :func:`refund_desk.store.db.to_url`)."""
    return arg or os.environ.get("REFUND_DESK_DB") or str(operator_db_path())


def log_dir() -> Path:
    """The folder of the desk's log file: the platform's per-user log folder
    (``platformdirs.user_log_dir``: ``%LOCALAPPDATA%\\RefundDesk\\RefundDesk\\Logs``,
    ``~/Library/Logs/RefundDesk``, ``~/.local/state/RefundDesk/log``), or ``logs`` in
    ``$REFUND_DESK_HOME``. Not created here."""
    override = os.environ.get("REFUND_DESK_HOME")
    if override:
        return Path(override) / "logs"
    import platformdirs

    return Path(platformdirs.user_log_dir(APP_NAME, APP_AUTHOR))
