"""Which database the desk opens, and opening it: the use cases behind start-up and the
window's import (no Qt).

:func:`choose_database` decides before the first paint, so this module's top level imports
nothing heavy (no SQLAlchemy, no store, no holidays); the rest runs on the window's worker
thread: open the chosen database, creating the demo database when it is missing
(:func:`open_choice`), switch from the demo database to the operator's own before an import
(:func:`open_operator_store`), import files (:func:`run_import`).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from ..wording import _

if TYPE_CHECKING:
    from ..store import OrderStore
    from ..store.importer import ImportSummary

log = logging.getLogger(__name__)

Progress = Callable[[int, int, str], None]
"""``progress(done, total, text)`` for the window's progress bar (``0, 0``: busy, no count)."""


@dataclass(frozen=True, slots=True)
class DatabaseChoice:
    """The database the window opens.

    Attributes:
        target: a file path or an SQLAlchemy URL.
        demo: it is the demo database (the window shows the permanent "Demo data" banner).
        create_demo: the demo file does not exist yet: create it (in the background) first.
        explicit: the operator named it (``--db`` or ``$REFUND_DESK_DB``).
    """

    target: str
    demo: bool = False
    create_demo: bool = False
    explicit: bool = False


def choose_database(
    db_arg: str | None = None, *, demo: bool = False, team_url: str = ""
) -> DatabaseChoice:
    """Decide which database to open.

    Order: ``--db`` (then ``$REFUND_DESK_DB``) wins; ``--demo`` asks for the demo database;
    then the team database of the settings (``team_url``, see docs/TEAM.md); otherwise the
    operator's own database (:func:`refund_desk.paths.operator_db_path`) if it exists, else the
    demo database (:func:`refund_desk.paths.demo_db_path`), created when missing.
    """
    from .. import paths

    explicit = db_arg or os.environ.get("REFUND_DESK_DB")
    if explicit and not demo:
        return DatabaseChoice(target=explicit, explicit=True)
    if team_url and not demo:
        return DatabaseChoice(target=team_url, explicit=True)
    own = paths.operator_db_path()
    if own.exists() and not demo:
        return DatabaseChoice(target=str(own))
    demo_path: Path = paths.demo_db_path()
    return DatabaseChoice(target=str(demo_path), demo=True, create_demo=not demo_path.exists())


def open_choice(choice: DatabaseChoice, progress: Progress | None = None) -> OrderStore:
    """Open the database of ``choice``; create the demo database first when it is missing.

    Runs on a worker thread. Also warms the holiday calendar so the first quote is quick.
    Args:
        choice: what :func:`choose_database` (or the operator) chose.
        progress: ``progress(done, total, text)`` for the window's progress bar.
    Returns:
        The open :class:`refund_desk.store.OrderStore`.
    Raises:
        refund_desk.errors.DatabaseError: cannot be opened (plain words).
    """
    from ..store import open_store

    if choice.create_demo:
        from .demo import create_demo_database

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
    from .calendar_cache import CACHE_FILE, warm_calendar

    first = min(p.effective_from.year for p in POLICIES.values())
    try:
        this_year = china_date(now or china_now()).year
        warm_calendar(paths.data_dir() / CACHE_FILE, list(range(first, this_year + 2)))
    except Exception:  # noqa: BLE001 - a warm-up must never keep the database from opening
        # (e.g. the data folder cannot be created); each year is then computed when first used.
        log.warning("business-day calendar not warmed up", exc_info=True)


def open_operator_store(progress: Progress | None = None) -> OrderStore:
    """Open (creating if needed) the operator's own database (``paths.operator_db_path``).

    Used before an import while the demo database is shown: imported data never goes into the
    demo database.
    Args:
        progress: ``progress(done, total, text)`` for the window's progress bar.
    Returns:
        The open :class:`refund_desk.store.OrderStore`.
    Raises:
        refund_desk.errors.DatabaseError: it cannot be opened, or it is marked as demo data.
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


def run_import(
    store: OrderStore, file_paths: list[str], actor: str, progress: Progress | None = None
) -> ImportSummary:
    """Import ``file_paths`` (files or folders of exports) into ``store`` as ``actor`` (worker
    thread), reporting ``progress`` per file. Returns the
    :class:`refund_desk.store.importer.ImportSummary`."""
    from ..store.importer import import_paths

    def files_done(done: int, total: int) -> None:
        if progress:
            progress(
                done, total, _("Importing file {done} of {total}…").format(done=done, total=total)
            )

    return import_paths(store, file_paths, actor=actor, progress=files_done)
