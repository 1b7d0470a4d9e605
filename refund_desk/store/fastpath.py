"""Hot read paths: statements compiled once by SQLAlchemy for the engine's dialect, run on a
per-thread pooled connection in autocommit mode.

Why: a plain Core ``execute`` spends ~50 µs per call building cache keys and result metadata,
five times what SQLite needs to find one row among a million. The statements here are still
SQLAlchemy's (compiled for whatever dialect the URL names, with its paramstyle), run on
SQLAlchemy's pooled connection, and their values are converted by the columns' own SQLAlchemy
result processors — so the same store runs on a server database. Only string and integer
parameters are used (no bind processing needed).
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import Any

from sqlalchemy.engine import Connection, Engine


class FastQuery:
    """A SELECT compiled once for ``engine``'s dialect, on first use (opening a store compiles
    nothing it does not run: the desk's start-up uses a few of them).

    ``rows(reader, **params)`` returns a list of tuples whose values went through each selected
    column's SQLAlchemy result processor (aware datetimes, booleans, …)."""

    def __init__(self, stmt, engine: Engine):
        self._stmt = stmt
        self._engine = engine
        self._prepared: tuple | None = None

    def _prepare(self) -> tuple:
        prepared = self._prepared
        if prepared is not None:
            return prepared
        # Two threads may compile at once; each builds a whole tuple and the last one wins.
        dialect = self._engine.dialect
        stmt = self._stmt
        compiled = stmt.compile(dialect=dialect)
        order = tuple(compiled.positiontup or ()) if dialect.positional else ()
        processors = tuple(
            column.type.dialect_impl(dialect).result_processor(dialect, None)
            for column in stmt.selected_columns
        )
        prepared = (
            compiled.string,
            compiled,
            dialect.positional,
            order,
            processors,
            all(p is None for p in processors),
        )
        self._prepared = prepared
        return prepared

    @property
    def sql(self) -> str:
        """The statement's SQL text in the dialect's paramstyle."""
        return self._prepare()[0]

    def params(self, values: dict[str, Any]):
        """``values`` as the DBAPI takes them (a tuple for a positional paramstyle)."""
        return self._params(self._prepare(), values)

    @staticmethod
    def _params(prepared: tuple, values: dict[str, Any]):
        _sql, compiled, positional, order, _procs, _plain = prepared
        full = compiled.construct_params(values)
        if positional:
            return tuple(full[name] for name in order)
        return full

    def rows(self, reader: Connection, **values: Any) -> list[tuple]:
        prepared = self._prepare()
        sql, _compiled, _positional, _order, procs, plain = prepared
        cursor = reader.connection.cursor()
        try:
            cursor.execute(sql, self._params(prepared, values))
            raw: Sequence = cursor.fetchall()
        finally:
            cursor.close()
        if plain:
            return [tuple(r) for r in raw]
        return [
            tuple(
                value if p is None or value is None else p(value)
                for p, value in zip(procs, r, strict=True)
            )
            for r in raw
        ]


class Readers:
    """One autocommit read connection per thread (created on first use), all closed together.

    Autocommit: every statement sees the latest committed data and no read transaction is held
    open between calls (a held SQLite read transaction would pin an old snapshot). The
    connection of a thread that has ended is returned to the pool the next time a new thread
    asks for one, so short-lived worker threads do not exhaust the pool."""

    def __init__(self, engine: Engine):
        self._engine = engine
        self._local = threading.local()
        self._all: list[tuple[threading.Thread, Connection]] = []
        self._lock = threading.Lock()

    def get(self) -> Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None or conn.closed:
            with self._lock:
                alive = []
                for thread, other in self._all:
                    if thread.is_alive():
                        alive.append((thread, other))
                    else:
                        _close_quietly(other)
                self._all = alive
            conn = self._engine.connect().execution_options(isolation_level="AUTOCOMMIT")
            self._local.conn = conn
            with self._lock:
                self._all.append((threading.current_thread(), conn))
        return conn

    def close_all(self) -> None:
        with self._lock:
            connections, self._all = self._all, []
        for _thread, conn in connections:
            _close_quietly(conn)
        self._local = threading.local()


def _close_quietly(conn: Connection) -> None:
    try:
        conn.close()
    except Exception:  # noqa: BLE001 - a connection of a finished thread
        pass
