"""The strict test harness (as napari's ``conftest.py``), loaded by ``tests/conftest.py``.

After every test — its fixtures torn down, pytest-qt's widgets closed — the test fails (an
``ERROR at teardown``) when it left behind:

- the garbage collector changed: switched off, other thresholds, or objects frozen
  (``gc.freeze``). The state is restored first, so the next test starts clean;
- a ``QTimer`` still active that was started during the test (once the widgets pytest-qt closed
  are deleted), or a ``QThreadPool`` that still runs tasks after a grace of
  :data:`GRACE_S`; the timers are stopped;
- a Python thread started during the test and still alive after a join grace of
  :data:`GRACE_S` (Qt's own worker threads are watched through their pools instead);
- a database handle opened during the test and still open: an SQLite file (an SQLAlchemy
  engine not disposed, an ``sqlite3`` connection not closed) or a TCP connection to the
  PostgreSQL test server (``/proc/self/fd``; Linux only, elsewhere not checked). An engine
  dropped without ``dispose()`` is forgiven when the collector closes it.

Threads and handles that a session- or module-scoped fixture opens (the run's PostgreSQL
database, a reference database built once) are the run's, not the test's: what appears while
such a fixture is set up is not counted.
"""

from __future__ import annotations

import gc
import importlib.util
import os
import threading
import time
import weakref
from dataclasses import dataclass, field

import pytest

GRACE_S = 2.0
"""How long a thread or a thread pool a test started may take to finish after the test."""

_SQLITE_HEADER = b"SQLite format 3\x00"
_SQLITE_NAMES = (".db", ".sqlite", ".sqlite3", "-wal", "-shm", "-journal")


def _pg_port() -> int:
    from sqlalchemy.engine import make_url

    from tests.helpers.databases import server_url

    try:
        return make_url(server_url()).port or 5432
    except Exception:  # noqa: BLE001 - a malformed REFUND_DESK_TEST_PG: the tests will say
        return 5432


def _socket_inodes_to(port: int) -> set[str]:
    """Inodes of this machine's TCP sockets whose remote end is ``port``."""
    inodes: set[str] = set()
    for table in ("/proc/self/net/tcp", "/proc/self/net/tcp6"):
        try:
            with open(table, encoding="ascii") as rows:
                next(rows, None)
                for row in rows:
                    cols = row.split()
                    if len(cols) > 9 and int(cols[2].rsplit(":", 1)[1], 16) == port:
                        inodes.add(cols[9])
        except OSError:
            continue
    return inodes


def db_handles(pg_port: int) -> set[tuple[str, str]]:
    """This process's open database handles: ``(fd, what)`` for every descriptor on an SQLite
    database file (or its WAL, shared-memory or journal file) and every TCP connection to the
    PostgreSQL server's ``pg_port``. Empty where ``/proc/self/fd`` does not exist."""
    fd_dir = "/proc/self/fd"
    try:
        fds = os.listdir(fd_dir)
    except OSError:
        return set()
    found: set[tuple[str, str]] = set()
    sockets: dict[str, str] = {}
    for fd in fds:
        try:
            target = os.readlink(f"{fd_dir}/{fd}")
        except OSError:
            continue  # closed meanwhile (listdir's own descriptor)
        if target.startswith("socket:["):
            sockets[target[8:-1]] = fd
        elif target.startswith("/") and _is_sqlite_file(target):
            found.add((fd, target))
    if sockets:
        for inode in _socket_inodes_to(pg_port) & sockets.keys():
            found.add((sockets[inode], f"PostgreSQL connection (port {pg_port})"))
    return found


def _is_sqlite_file(path: str) -> bool:
    if path.endswith(_SQLITE_NAMES):  # also a new file SQLite has not written to yet
        return True
    try:
        with open(path, "rb") as f:
            return f.read(16) == _SQLITE_HEADER
    except OSError:
        return False


def _alive(refs: list) -> list:
    """The Qt objects behind weak references that Python and Qt both still have, once each."""
    import shiboken6

    objects = {}
    for ref in refs:
        obj = ref()
        if obj is not None and shiboken6.isValid(obj):
            objects[id(obj)] = obj
    return list(objects.values())


def _python_threads() -> set[threading.Thread]:
    # Qt's worker threads show up as _DummyThread once they run Python code, and stay listed
    # for ever: they are watched through their QThreadPool.
    return {t for t in threading.enumerate() if not isinstance(t, threading._DummyThread)}


@dataclass
class _Watch:
    """What one test started with, and the Qt objects it started."""

    gc_enabled: bool = True
    gc_threshold: tuple[int, int, int] = (700, 10, 10)
    gc_frozen: int = 0
    threads: set[threading.Thread] = field(default_factory=set)
    handles: set[tuple[str, str]] = field(default_factory=set)
    timers: list = field(default_factory=list)
    pools: list = field(default_factory=list)


class StrictHarness:
    """The pytest plugin: registered once by ``tests/conftest.py``."""

    def __init__(self) -> None:
        self.watch = _Watch()
        self.long_lived_threads: set[threading.Thread] = set()
        self.long_lived_handles: set[tuple[str, str]] = set()
        self.pg_port = _pg_port()
        self.qt = importlib.util.find_spec("PySide6") is not None
        if self.qt:
            self._patch_qt()

    # -- Qt objects started during a test ----------------------------------------------------

    def _patch_qt(self) -> None:
        """Record every ``QTimer.start`` and ``QThreadPool.start``/``tryStart`` (napari's
        ``_dangling_qtimers``): the timers as weak references, the pools held."""
        from PySide6.QtCore import QThreadPool, QTimer

        harness = self
        timer_start = QTimer.start
        pool_start, pool_try = QThreadPool.start, QThreadPool.tryStart

        def start_timer(self, *args, **kwargs):
            harness.watch.timers.append(weakref.ref(self))
            return timer_start(self, *args, **kwargs)

        # The pools are held (until the next test): the wrapper of QThreadPool.globalInstance()
        # is a temporary one that a weak reference would lose at once.
        def start_pool(self, *args, **kwargs):
            harness.watch.pools.append(lambda pool=self: pool)
            return pool_start(self, *args, **kwargs)

        def try_pool(self, *args, **kwargs):
            harness.watch.pools.append(lambda pool=self: pool)
            return pool_try(self, *args, **kwargs)

        QTimer.start = start_timer
        QThreadPool.start = start_pool
        QThreadPool.tryStart = try_pool

    def _qt_leaks(self) -> list[str]:
        from PySide6.QtCore import QCoreApplication, QEvent

        if QCoreApplication.instance() is not None:
            # pytest-qt closed the test's widgets and asked for their deletion: delete them now,
            # with the timers they own.
            QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        leaks = []
        for pool in _alive(self.watch.pools):
            if not pool.waitForDone(int(GRACE_S * 1000)):
                leaks.append(
                    f"a QThreadPool still runs {pool.activeThreadCount()} task(s) "
                    f"{GRACE_S:g} s after the test"
                )
        for timer in _alive(self.watch.timers):
            if not timer.isActive():
                continue
            parent = timer.parent()
            owner = type(parent).__name__ if parent is not None else "no parent"
            name = timer.objectName() or "unnamed"
            leaks.append(
                f"a QTimer still active ({name}, every {timer.interval()} ms, owned by {owner})"
            )
            timer.stop()
        return leaks

    # -- pytest hooks --------------------------------------------------------------------------

    @pytest.hookimpl(wrapper=True)
    def pytest_fixture_setup(self, fixturedef, request):
        """What a session- or module-scoped fixture opens belongs to the run, not the test."""
        if fixturedef.scope == "function":
            return (yield)
        threads, handles = _python_threads(), db_handles(self.pg_port)
        try:
            return (yield)
        finally:
            self.long_lived_threads |= _python_threads() - threads
            self.long_lived_handles |= db_handles(self.pg_port) - handles

    @pytest.hookimpl(wrapper=True, tryfirst=True)
    def pytest_runtest_setup(self, item):
        self.watch = _Watch(
            gc_enabled=gc.isenabled(),
            gc_threshold=gc.get_threshold(),
            gc_frozen=gc.get_freeze_count(),
            threads=_python_threads(),
            handles=db_handles(self.pg_port),
        )
        return (yield)

    @pytest.hookimpl(wrapper=True, tryfirst=True)
    def pytest_runtest_teardown(self, item, nextitem):
        """Runs after every fixture of the test is torn down (the outermost wrapper)."""
        result = yield
        problems = self._gc_changes()
        if self.qt:
            problems += self._qt_leaks()
        problems += self._thread_leaks()
        problems += self._handle_leaks()
        if problems:
            raise LeakError(f"{item.nodeid} left behind:\n  - " + "\n  - ".join(problems))
        return result

    # -- the checks ----------------------------------------------------------------------------

    def _gc_changes(self) -> list[str]:
        w, problems = self.watch, []
        if gc.isenabled() != w.gc_enabled:
            problems.append(f"the garbage collector {'on' if gc.isenabled() else 'off'}")
            (gc.enable if w.gc_enabled else gc.disable)()
        if gc.get_threshold() != w.gc_threshold:
            problems.append(f"the collector's thresholds changed to {gc.get_threshold()}")
            gc.set_threshold(*w.gc_threshold)
        if gc.get_freeze_count() > w.gc_frozen:
            problems.append(f"{gc.get_freeze_count() - w.gc_frozen} objects frozen (gc.freeze)")
            gc.unfreeze()
        return problems

    def _thread_leaks(self) -> list[str]:
        new = _python_threads() - self.watch.threads - self.long_lived_threads
        deadline = time.monotonic() + GRACE_S
        for thread in new:
            thread.join(max(0.0, deadline - time.monotonic()))
        alive = sorted(t.name for t in new if t.is_alive())
        return [f"thread {name!r} still running {GRACE_S:g} s after the test" for name in alive]

    def _handle_leaks(self) -> list[str]:
        def leaked() -> set[tuple[str, str]]:
            return db_handles(self.pg_port) - self.watch.handles - self.long_lived_handles

        left = leaked()
        if left:
            gc.collect()  # an engine dropped without dispose() closes when collected
            left = leaked()
        return [f"a database handle still open: {what} (fd {fd})" for fd, what in sorted(left)]


class LeakError(AssertionError):
    """A test left a timer, a thread, a database handle or a changed collector behind."""
