"""The team desk, live: every open desk hears of another desk's case changes (recorded,
submitted, refunded, failed, replaced) within about a second, and knows when it lost the
database (issue 14 part 2, docs/TEAM.md#live).

- **PostgreSQL**: the trigger ``cases_notify`` (migration 0007) sends ``NOTIFY``
  :data:`CHANNEL` in the very transaction that writes a case, so a change is announced exactly
  when it commits and never for a write rolled back. :class:`ChangeFeed` listens on its own
  psycopg connection in a worker thread, checks that connection every :data:`HEALTH_S` seconds
  and, when it is lost, reports the desk offline and reconnects with a growing pause
  (:data:`BACKOFF_S`).
- **SQLite** (two desks on one file, one machine): the worker polls the audit log every
  :data:`POLL_S` seconds for entries newer than the last one seen (one indexed ``max()``;
  every case write appends one in its transaction) and reports the cases they name.

After an offline spell the feed sends one ``resync`` change (anything may have changed: reload
everything). Callbacks run on the worker thread; the window hands them to its own thread
(``ui/live_bridge.py``). No Qt here.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import psycopg
    from sqlalchemy.engine import Engine

CHANNEL = "refund_desk_cases"
"""The ``NOTIFY`` channel of case changes (migration 0007's trigger ``cases_notify``)."""
POLL_S = 1.0
"""SQLite: seconds between two looks at the audit log."""
HEALTH_S = 2.0
"""PostgreSQL: seconds of silence after which the listening connection is checked."""
BACKOFF_S: tuple[float, ...] = (0.5, 1.0, 2.0, 4.0, 8.0)
"""Pauses between reconnection attempts (the last one repeats)."""
OPEN_STATUSES = ("drafted", "submitted")


@dataclass(frozen=True, slots=True)
class CaseChange:
    """One change another desk (or this one) made to a case, as the feed heard it.

    Attributes:
        case_id: the case (``None`` for a resync: the feed was offline, reload everything).
        instance_id: the case's instance. status: its status after the change.
        operator: who recorded the case (``cases.actor``). host: the desk it was recorded on.
        at: when the case row was last written (aware UTC), ``None`` if unknown.
        received: when this desk heard of it (``time.time()``, seconds).
    """

    case_id: int | None
    instance_id: str | None
    status: str | None
    operator: str | None = None
    host: str | None = None
    at: datetime | None = None
    received: float = 0.0

    @property
    def resync(self) -> bool:
        """True for "reload everything" (after the feed was offline)."""
        return self.case_id is None

    @property
    def is_open(self) -> bool:
        """The case is open (drafted or submitted): ``HISTORY-OPEN-CASE`` for its instance."""
        return self.status in OPEN_STATUSES


def parse_payload(payload: str) -> tuple[str | None, CaseChange]:
    """A ``NOTIFY`` payload of the trigger ``cases_notify`` → ``(schema, change)``.

    Raises:
        ValueError: the payload is not the trigger's JSON (names what is wrong).
    """
    try:
        data = json.loads(payload)
        case_id = int(data["case_id"])
    except (ValueError, KeyError, TypeError) as exc:
        raise ValueError(f"not a case change notification ({type(exc).__name__}: {exc})") from None
    return data.get("schema"), CaseChange(
        case_id=case_id,
        instance_id=data.get("instance_id"),
        status=data.get("status"),
        operator=data.get("actor"),
        host=data.get("host"),
        at=_aware(data.get("at")),
        received=time.time(),
    )


def _aware(text: str | None) -> datetime | None:
    if not text:
        return None
    moment = datetime.fromisoformat(text)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


class ChangeFeed:
    """Listens for case changes on one database in a worker thread (see the module docstring).

    Args:
        target: the database (a file path or an SQLAlchemy URL, as ``open_store`` takes).
        on_change: called with each :class:`CaseChange` (on the worker thread).
        on_state: called with ``(online, reason)`` whenever the connection is lost
            (``False``, the driver's reason in plain words) or back (``True``, ``""``); also
            once when the feed first connects.
        poll_s: SQLite polling period (seconds). backoff: reconnection pauses (seconds).
    """

    def __init__(
        self,
        target: str,
        *,
        on_change: Callable[[CaseChange], None],
        on_state: Callable[[bool, str], None] | None = None,
        poll_s: float = POLL_S,
        backoff: Sequence[float] = BACKOFF_S,
    ):
        from ..store.db import to_url

        self.url = to_url(target)
        self._on_change = on_change
        self._on_state = on_state
        self.poll_s = poll_s
        self.backoff = tuple(backoff) or (1.0,)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._online: bool | None = None
        self.reason = ""
        self.connected = threading.Event()
        """Set once the feed listens (first connection made)."""

    @property
    def server(self) -> bool:
        """True on PostgreSQL (LISTEN/NOTIFY), False on SQLite (polling)."""
        from ..store.server import is_server_url

        return is_server_url(self.url)

    @property
    def online(self) -> bool:
        """The feed's connection works (False before the first connection)."""
        return bool(self._online)

    def start(self) -> ChangeFeed:
        """Start the worker thread (a daemon: it never holds the process open). Returns self."""
        if self._thread is None:
            run = self._run_server if self.server else self._run_polling
            self._thread = threading.Thread(target=run, name="refund-desk-live", daemon=True)
            self._thread.start()
        return self

    def stop(self, timeout: float = 5.0) -> None:
        """Stop listening; waits up to ``timeout`` seconds for the worker to end."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    # ------------------------------------------------------------------ state
    def _state(self, online: bool, reason: str = "") -> None:
        changed = online != self._online
        was = self._online
        self._online, self.reason = online, reason
        if online:
            self.connected.set()
        if changed and self._on_state is not None:
            self._on_state(online, reason)
        if online and was is False:
            self._on_change(CaseChange(None, None, None, received=time.time()))

    def _pause(self, attempt: int) -> None:
        self._stop.wait(self.backoff[min(attempt, len(self.backoff) - 1)])

    # ------------------------------------------------------------------ PostgreSQL
    def _connect_server(self) -> psycopg.Connection[tuple[object, ...]]:
        import psycopg
        from sqlalchemy.engine import make_url

        from ..store.server import connect_args

        conninfo = make_url(self.url).set(drivername="postgresql")
        args = dict(connect_args(self.url))
        # A cut network is noticed in seconds, not after the kernel's two hours.
        args.update(keepalives=1, keepalives_idle=5, keepalives_interval=2, keepalives_count=2)
        args.setdefault("connect_timeout", 5)
        return psycopg.connect(
            conninfo.render_as_string(hide_password=False), autocommit=True, **args
        )

    def _run_server(self) -> None:
        attempt = 0
        while not self._stop.is_set():
            conn = None
            try:
                conn = self._connect_server()
                row = conn.execute("SELECT current_schema()").fetchone()
                schema = str(row[0]) if row is not None else "public"
                conn.execute(f"LISTEN {CHANNEL}")
                attempt = 0
                self._state(True)
                self._listen(conn, schema)
            except Exception as exc:  # noqa: BLE001 - any failure: offline, try again
                if self._stop.is_set():
                    break
                self._state(False, _reason(exc))
                self._pause(attempt)
                attempt += 1
            finally:
                if conn is not None:
                    try:
                        conn.close()
                    except Exception:  # noqa: BLE001 - the connection is gone anyway
                        pass

    def _listen(self, conn: psycopg.Connection[tuple[object, ...]], schema: str) -> None:
        checked = time.monotonic()
        while not self._stop.is_set():
            heard = False
            for note in conn.notifies(timeout=0.25):
                heard = True
                try:
                    their_schema, change = parse_payload(note.payload)
                except ValueError:
                    continue  # another program's NOTIFY on our channel: not ours to read
                if their_schema in (None, schema):
                    self._on_change(change)
            now = time.monotonic()
            if heard:
                checked = now
            elif now - checked >= HEALTH_S:
                conn.execute("SELECT 1")  # raises when the server or the network is gone
                checked = now

    # ------------------------------------------------------------------ SQLite
    def _run_polling(self) -> None:
        from ..store.db import make_engine

        engine = make_engine(self.url)
        last: int | None = None
        attempt = 0
        try:
            while not self._stop.is_set():
                try:
                    last = self._poll(engine, last)
                    attempt = 0
                    self._state(True)
                    self._stop.wait(self.poll_s)
                except Exception as exc:  # noqa: BLE001 - any failure: offline, try again
                    self._state(False, _reason(exc))
                    self._pause(attempt)
                    attempt += 1
        finally:
            engine.dispose()

    def _poll(self, engine: Engine, last: int | None) -> int:
        from sqlalchemy import func, select

        from ..store import models as m

        log, cases = m.audit_log, m.cases
        with engine.connect() as conn:
            newest = conn.execute(select(func.max(log.c.entry_id))).scalar() or 0
            if last is None or newest <= last:
                return newest
            ids = conn.execute(
                select(log.c.entity_id)
                .where(log.c.entry_id > last, log.c.entity == "case")
                .order_by(log.c.entry_id)
            ).scalars()
            order = list(dict.fromkeys(int(i) for i in ids if i is not None and str(i).isdigit()))
            rows = {
                r.case_id: r
                for r in conn.execute(
                    select(
                        cases.c.case_id, cases.c.instance_id, cases.c.status, cases.c.actor,
                        cases.c.host, cases.c.updated_at,
                    ).where(cases.c.case_id.in_(order))
                )
            }  # fmt: skip
        now = time.time()
        for case_id in order:
            r = rows.get(case_id)
            if r is not None:
                self._on_change(
                    CaseChange(case_id, r.instance_id, r.status, r.actor, r.host, r.updated_at, now)
                )
        return newest


# libpq's words for a lost server → a short phrase for the offline bar (first match wins).
_LOST = (
    ("connection refused", "the server refuses connections (stopped or restarting?)"),
    ("server closed the connection", "the server closed the connection"),
    ("terminating connection", "the server closed the connection"),
    ("consuming input failed", "the server closed the connection"),
    ("the database system is shutting down", "the server is shutting down"),
    ("the database system is starting up", "the server is starting up"),
    ("timeout", "the server does not answer"),
    ("timed out", "the server does not answer"),
    ("could not translate host name", "the server's name is not known on this network"),
    ("name or service not known", "the server's name is not known on this network"),
    ("no route to host", "the network does not reach the server"),
    ("network is unreachable", "the network does not reach the server"),
)


def connection_words(exc: BaseException) -> str:
    """Why the database cannot be reached, as a short phrase for people ("the server closed
    the connection", "the server does not answer", …); the driver's own first sentence (no
    SQL, no URL) for anything else."""
    from ..store.db import driver_reason, problem

    said = (driver_reason(exc) or str(exc)).lower()
    for needle, words in _LOST:
        if needle in said:
            return words
    return problem(exc)[:160]


def _reason(exc: BaseException) -> str:
    return connection_words(exc)
