"""Bring order data into the store: BSS OpenAPI JSON exports and the desk's CSV template.

Semantics (``docs/STORE.md``):

- **All or nothing per file.** A file is parsed and validated completely before anything is
  written; a bad file is rejected with :class:`~refund_desk.errors.ImportRejected` naming the
  file, the record and the field, and writes nothing. Accepted files are merged in memory in the
  order given and written in one transaction per batch (a database failure rolls the whole batch
  back and reports each of its files as not imported).
- **Merged by order id**, across exports and separate imports, in any order. A full order record
  (``GetOrderDetail``, or a CSV row naming instances) wins over what a ``QueryBill`` item says
  about the same fields; otherwise the last import wins.
- **Idempotent.** Re-importing a file changes nothing (no write at all). A file that changes a
  value already stored updates it; the audit log records the old and new values
  (``order.update``). Facts not known before (a breakdown, a channel) fill the gaps.
- Nothing is guessed: what no file said stays ``NULL`` and shows as missing.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterable
from pathlib import Path

from sqlalchemy.exc import SQLAlchemyError

from ..errors import ImportRejected
from .db import LOCK_WAIT_S, checkpoint
from .import_read import expand_paths, load_json, parse_path
from .import_report import FileResult, ImportSummary
from .import_write import Batch
from .repository import OrderStore

__all__ = [
    "BATCH_ORDERS",
    "FileResult",
    "ImportSummary",
    "expand_paths",
    "import_file",
    "import_paths",
    "load_json",
    "parse_path",
]

BATCH_ORDERS = 150_000  # order facts merged in memory before a batch is written


def import_paths(
    store: OrderStore,
    paths: Iterable[str | Path],
    *,
    actor: str,
    progress: Callable[[int, int], None] | None = None,
    waiting: Callable[[float], None] | None = None,
    wait_s: float = LOCK_WAIT_S,
) -> ImportSummary:
    """Import BSS JSON exports and CSV files (files, or folders walked recursively).

    Args:
        store: the open store. paths: files and folders, imported in the order given (folder
            contents sorted by path). actor: who imports (audit log).
        progress: called as ``progress(files_done, files_total)`` after each file is read.
        waiting: called with the seconds waited so far while another desk's import holds the
            database's write lock (about once a second; a progress report, not an error).
        wait_s: how long to wait for that lock before the batch's files are reported as not
            imported (default :data:`~.db.LOCK_WAIT_S`, 10 minutes).
    Returns:
        :class:`ImportSummary` — ``.format()`` for people, ``.rejected`` the rejected files.
        Never raises for a bad file or a database failure: each rejection is in its
        :class:`FileResult` (``.error``, an :class:`~refund_desk.errors.ImportRejected` naming
        file, record and field, or the database problem in one plain line).
    """
    files = expand_paths(paths)
    summary = ImportSummary()
    batch = Batch(store, actor, waiting, wait_s)
    # A big import keeps ~10^5 live objects per batch and creates no reference cycles: the cyclic
    # garbage collector would rescan them over and over (about 15% of the time). Paused while
    # importing, restored after.
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        _import_files(files, summary, batch, progress)
    finally:
        if gc_was_enabled:
            gc.enable()
    if summary.added + summary.updated > 10_000:
        try:
            checkpoint(store.engine)
        except SQLAlchemyError:
            pass  # only an optimisation: SQLite checkpoints on its own later
    return summary


def _import_files(
    files: list[str],
    summary: ImportSummary,
    batch: Batch,
    progress: Callable[[int, int], None] | None,
) -> None:
    for done, path in enumerate(files, 1):
        result = FileResult(path=path)
        summary.files.append(result)
        try:
            parsed = parse_path(path)
        except ImportRejected as exc:
            result.error = exc
        except (RecursionError, MemoryError):
            result.error = ImportRejected(path, "too deeply nested or too large to read")
        except Exception as exc:  # noqa: BLE001 - one odd file must not stop the others
            result.error = ImportRejected(
                path,
                f"could not be read ({type(exc).__name__}); nothing was imported from it. "
                "Please report this file to the desk's maintainers",
            )
        else:
            result.export = parsed.export
            result.records = parsed.records
            result.skipped = parsed.skipped
            result.case_notes = parsed.case_notes
            batch.add(parsed, result)
            if batch.n_orders >= BATCH_ORDERS:
                batch.write()
        if progress is not None:
            progress(done, len(files))
    batch.write()


def import_file(store: OrderStore, path: str | Path, *, actor: str) -> FileResult:
    """Import one file; raises :class:`ImportRejected` when it is rejected (nothing written)."""
    result = import_paths(store, [path], actor=actor).files[0]
    if result.error is not None:
        raise result.error
    return result
