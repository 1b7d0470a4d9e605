"""Open the window's database off the UI thread: create the demo database when it is missing,
switch from the demo database to the operator's own before an import. Nothing here is imported
before the first paint."""

from __future__ import annotations

import logging
from datetime import datetime

from ..wording import _
from .startup import DatabaseChoice

log = logging.getLogger(__name__)


def open_choice(choice: DatabaseChoice, progress=None):
    """Open the database of ``choice``; create the demo database first when it is missing.

    Runs on a worker thread. Also warms the holiday calendar so the first quote is quick.
    Args:
        progress: ``progress(done, total, text)`` for the window's progress bar.
    Returns:
        The open :class:`refund_desk.store.OrderStore`.
    Raises:
        refund_desk.errors.DatabaseError: cannot be opened (plain words).
    """
    from pathlib import Path

    from ..store import open_store

    if choice.create_demo:
        from ..services.demo import create_demo_database

        def files_done(done: int, total: int) -> None:
            if progress:
                progress(done, total, _("Creating the demo database…"))

        files_done(0, 0)
        create_demo_database(Path(choice.target), progress=files_done)
    if progress:
        progress(0, 0, _("Opening the database…"))
    store = open_store(
        choice.target, create=not choice.explicit, role="demo" if choice.demo else None
    )
    try:
        if choice.demo and store.role != "demo":
            # The demo path always holds demo data: mark it so the banner can never be missing.
            store.set_role("demo")
    except BaseException:
        store.close()
        raise
    _warm_up()
    return store


def _warm_up(now: datetime | None = None) -> None:
    """Make the business-day calendar ready now (worker thread), for every year a cancellation
    can be quoted in: from the first policy version's year to next year (a what-if cancellation
    in 2024 is as common as one today). Computing a year on the first quote would block the UI
    thread (importing ``holidays`` alone takes about 0.09 s). Taken from the data folder's
    calendar cache when it was computed by the installed ``holidays`` release, so a warm start
    never imports ``holidays``. ``now``: aware, the desk's clock (default the real one)."""
    from .. import paths
    from ..policy.definition import POLICIES
    from ..policy.timeutil import china_date, china_now
    from ..services.calendar_cache import CACHE_FILE, warm_calendar

    first = min(p.effective_from.year for p in POLICIES.values())
    try:
        this_year = china_date(now or china_now()).year
        warm_calendar(paths.data_dir() / CACHE_FILE, list(range(first, this_year + 2)))
    except Exception:  # noqa: BLE001 - a warm-up must never keep the database from opening
        # (e.g. the data folder cannot be created); each year is then computed when first used.
        log.warning("business-day calendar not warmed up", exc_info=True)


def open_operator_store(progress=None):
    """Open (creating if needed) the operator's own database (``paths.operator_db_path``).

    Used before an import while the demo database is shown: imported data never goes into the
    demo database. Returns the open store.
    """
    from .. import paths
    from ..store import open_store

    if progress:
        progress(0, 0, _("Opening your own database…"))
    store = open_store(paths.operator_db_path(), role="operator")
    if store.role == "demo":
        store.close()
        from ..errors import DatabaseError

        raise DatabaseError(
            _("{path} is marked as demo data; move it away and import again").format(
                path=paths.operator_db_path()
            )
        )
    return store


def run_import(store, file_paths: list[str], actor: str, progress=None):
    """Import ``file_paths`` into ``store`` (worker thread). Returns the ``ImportSummary``."""
    from ..store.importer import import_paths

    def files_done(done: int, total: int) -> None:
        if progress:
            progress(
                done, total, _("Importing file {done} of {total}…").format(done=done, total=total)
            )

    return import_paths(store, file_paths, actor=actor, progress=files_done)
