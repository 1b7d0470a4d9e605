"""The desk's log file: what the window never shows (tracebacks, SQL, driver messages) goes here,
so the operator can attach it to a support request (Help ▸ Open the log folder).

No Qt here. ``refund-desk`` (the window) calls :func:`setup_logging` once at start; the file is
only created when the first record is written.
"""

from __future__ import annotations

import logging
from pathlib import Path

LOG_NAME = "refund-desk.log"
MAX_BYTES = 1_000_000  # per file; three older files are kept
_handler: logging.Handler | None = None


def log_file() -> Path:
    """Where the log is written: ``refund-desk.log`` in :func:`refund_desk.paths.log_dir`."""
    from .paths import log_dir

    return log_dir() / LOG_NAME


def setup_logging(level: int = logging.INFO) -> Path | None:
    """Send the log records (every library's warnings and errors with their tracebacks, and
    the ``refund_desk`` loggers' records from ``level`` up) to :func:`log_file`, rotating at
    about 1 MB.

    Idempotent; called again with another data folder, it moves there. Returns the log
    file, or None when its folder cannot be created (the desk then runs without a log file;
    nothing is raised: a log must never stop the desk).
    """
    global _handler
    path = log_file()
    if _handler is not None:
        if getattr(_handler, "baseFilename", None) == str(path.absolute()):
            return path
        # Another data folder than before (a test, a training room): follow it.
        logging.getLogger().removeHandler(_handler)
        _handler.close()
        _handler = None
    from logging.handlers import RotatingFileHandler

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handler = RotatingFileHandler(
            path, maxBytes=MAX_BYTES, backupCount=3, encoding="utf-8", delay=True
        )
    except OSError:
        return None
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    # On the root logger, so warnings of every library reach the file; the root level stays at
    # WARNING (at INFO, SQLAlchemy would log every statement), only the desk's own loggers say
    # more.
    logging.getLogger().addHandler(handler)
    logging.getLogger("refund_desk").setLevel(level)
    _handler = handler
    return path


def stop_logging() -> None:
    """Detach and close the log file handler (the next :func:`setup_logging` starts anew)."""
    global _handler
    if _handler is not None:
        logging.getLogger().removeHandler(_handler)
        _handler.close()
        _handler = None
