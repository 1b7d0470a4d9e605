"""Which database the window opens (no Qt, no SQLAlchemy: decided before the first paint)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


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
