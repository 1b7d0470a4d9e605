"""One background helper for slow work (import, demo creation, big searches, opening a store).

A job is a plain function run on a worker thread of a ``QThreadPool``; its result or exception is
delivered back on the UI thread to the ``on_success`` / ``on_failure`` callbacks. Tests construct
the helper with ``synchronous=True`` (the job runs at once, in the calling thread) or wait for
:meth:`Background.wait_idle`.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

log = logging.getLogger(__name__)

Progress = Callable[[int, int, str], None]
"""``progress(done, total, text)``: a job reports how far it is (``total`` 0 = unknown)."""


class _Relay(QObject):
    """Lives on the UI thread; signals emitted from a worker arrive there (queued)."""

    finished = Signal(int, bool, object)
    progressed = Signal(int, int, int, str)


class _Job(QRunnable):
    def __init__(self, job_id: int, fn: Callable[..., Any], relay: _Relay, with_progress: bool):
        super().__init__()
        self.setAutoDelete(True)
        self._id = job_id
        self._fn = fn
        self._relay = relay
        self._with_progress = with_progress

    def run(self) -> None:  # worker thread
        try:
            if self._with_progress:
                relay, job_id = self._relay, self._id
                result = self._fn(lambda d, t, text="": relay.progressed.emit(job_id, d, t, text))
            else:
                result = self._fn()
        except BaseException as exc:  # noqa: BLE001 - every failure goes to on_failure
            # Logged on the UI thread (Background._on_finished): logging here would register
            # this Qt thread with Python's threading module, which never forgets it.
            self._relay.finished.emit(self._id, False, exc)
        else:
            self._relay.finished.emit(self._id, True, result)


class Background(QObject):
    """Runs functions off the UI thread and calls back on the UI thread.

    Args:
        parent: the owning QObject (the main window).
        synchronous: run every job immediately in the caller's thread (tests, smoke mode).
        max_threads: worker threads (2 by default: one long job and one search at a time).
    """

    busy_changed = Signal(bool)

    def __init__(
        self, parent: QObject | None = None, *, synchronous: bool = False, max_threads: int = 2
    ):
        super().__init__(parent)
        self.synchronous = synchronous
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(max_threads)
        self._relay = _Relay()
        self._relay.finished.connect(self._on_finished)
        self._relay.progressed.connect(self._on_progress)
        self._callbacks: dict[int, tuple[Callable, Callable | None, Callable | None]] = {}
        self._next_id = 0
        self._lock = threading.Lock()

    @property
    def active(self) -> int:
        """Number of jobs started and not yet called back."""
        return len(self._callbacks)

    def run(
        self,
        fn: Callable[..., Any],
        *,
        on_success: Callable[[Any], None],
        on_failure: Callable[[BaseException], None] | None = None,
        on_progress: Callable[[int, int, str], None] | None = None,
    ) -> int:
        """Run ``fn`` off the UI thread.

        Args:
            fn: ``fn()`` or, when ``on_progress`` is given, ``fn(progress)`` where
                ``progress(done, total, text)`` may be called from the worker thread.
            on_success: called on the UI thread with ``fn``'s return value.
            on_failure: called on the UI thread with the exception (default: logged only).
            on_progress: called on the UI thread with ``(done, total, text)``.
        Returns:
            The job id.
        """
        self._next_id += 1
        job_id = self._next_id
        self._callbacks[job_id] = (on_success, on_failure, on_progress)
        if len(self._callbacks) == 1:
            self.busy_changed.emit(True)
        if self.synchronous:
            try:
                result = (
                    fn(lambda d, t, text="": self._on_progress(job_id, d, t, text))
                    if on_progress
                    else fn()
                )
            except Exception as exc:  # noqa: BLE001 - same contract as the threaded path
                self._on_finished(job_id, False, exc)
            else:
                self._on_finished(job_id, True, result)
            return job_id
        self._pool.start(_Job(job_id, fn, self._relay, on_progress is not None))
        return job_id

    def _on_progress(self, job_id: int, done: int, total: int, text: str) -> None:
        callbacks = self._callbacks.get(job_id)
        if callbacks and callbacks[2]:
            callbacks[2](done, total, text)

    def _on_finished(self, job_id: int, ok: bool, payload: object) -> None:
        if not ok and isinstance(payload, BaseException):
            log.error("background job failed", exc_info=payload)
            try:
                payload._desk_logged = True  # type: ignore[attr-defined] - logged once
            except AttributeError:
                pass
        on_success, on_failure, _ = self._callbacks.pop(job_id, (None, None, None))
        try:
            if ok and on_success:
                on_success(payload)
            elif not ok:
                if on_failure:
                    on_failure(payload)
        finally:
            if not self._callbacks:
                self.busy_changed.emit(False)

    def set_thread_expiry(self, milliseconds: int) -> None:
        """End an idle worker thread after ``milliseconds`` (Qt's default: 30 s). Tests shorten
        it so that threads come and go as in a long working day."""
        self._pool.setExpiryTimeout(milliseconds)

    def wait_idle(self, timeout_ms: int = 60_000) -> bool:
        """Block until every worker finished (callbacks are delivered by the event loop after).
        Returns False on timeout."""
        return self._pool.waitForDone(timeout_ms)
