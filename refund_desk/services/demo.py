"""The demo database: a separate file built from generated exports (:mod:`refund_desk.demo_data`)
through the real importer.

Never the operator's own database: it is marked ``role = demo`` in ``desk_meta`` (the window
shows a "Demo data" banner) and :func:`create_demo_database` refuses to overwrite a database that
is not a demo one.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path

from ..demo_data import DEFAULT_SEED
from ..errors import DatabaseError


def create_demo_database(
    path: str | Path,
    seed: int = DEFAULT_SEED,
    force: bool = False,
    *,
    accounts: int = 240,
    progress: Callable[[int, int], None] | None = None,
) -> Path:
    """Create the demo database at ``path`` and return its path.

    The data (:func:`refund_desk.demo_data.demo_dataset`) is written as BSS JSON exports
    and a CSV file in a temporary folder, then imported with
    :func:`refund_desk.store.importer.import_paths` (actor ``demo``): the demo goes through the
    same code as the operator's own files. Deterministic for a given ``seed``.

    Args:
        path: the database file. seed: generator seed. force: replace an existing demo database.
        accounts: how many generated accounts (besides the reference ones).
        progress: called as ``progress(files_done, files_total)`` while the files are imported.
    Returns:
        ``path`` as a ``Path``. When it already exists and ``force`` is False it is left as is.
    Raises:
        DatabaseError: ``path`` holds a database that is not a demo database (never replaced),
            or the generated files were rejected (a bug: the message names the file).
    """
    from ..demo_data import demo_dataset, write_demo_files
    from ..store import open_store
    from ..store.importer import import_paths

    target = Path(path).expanduser().resolve()
    if target.exists():
        existing = open_store(target, create=False)
        try:
            role = existing.role
        finally:
            existing.close()
        if role != "demo":
            raise DatabaseError(
                f"{target} is a {role} database, not the demo one: it is never replaced"
            )
        if not force:
            return target
        for suffix in ("", "-wal", "-shm"):
            Path(str(target) + suffix).unlink(missing_ok=True)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".building")
    for suffix in ("", "-wal", "-shm"):
        Path(str(partial) + suffix).unlink(missing_ok=True)
    data = demo_dataset(seed, accounts=accounts)
    store = open_store(partial, role="demo")
    try:
        with tempfile.TemporaryDirectory(prefix="refund-desk-demo-") as tmp:
            paths = write_demo_files(data, tmp)
            summary = import_paths(store, paths, actor="demo", progress=progress)
        if summary.rejected:
            raise DatabaseError(f"demo data rejected: {summary.rejected[0].error}")
        store.set_meta("demo_seed", str(seed))
    finally:
        store.close()
    for suffix in ("-wal", "-shm"):
        Path(str(partial) + suffix).unlink(missing_ok=True)
    partial.replace(target)
    return target
