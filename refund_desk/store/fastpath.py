"""Bulk writes for imports: statements compiled once by SQLAlchemy for the connection's
dialect, values through each column's bind processor, run with the driver's ``executemany``.

Reads have no fast path of their own: they go through plain SQLAlchemy Core on a connection
checked out of the pool for each call (``repository.OrderStore``). A per-thread reader
connection, kept here before, leaked one pooled connection per worker thread Qt started, until
the pool was exhausted (issue 12); Core on the pool is within the lookup target.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.engine import Connection

_STATEMENTS: dict[tuple, tuple[str, tuple[tuple[str, Any], ...]]] = {}


def _compiled(dialect, table, kind: str, key_column: str | None, columns: tuple[str, ...]):
    cache_key = (id(dialect), table.name, kind, key_column, columns)
    entry = _STATEMENTS.get(cache_key)
    if entry is None:
        from sqlalchemy import bindparam

        if kind == "insert":
            stmt = table.insert()
            compiled = stmt.compile(dialect=dialect, column_keys=list(columns))
        else:
            stmt = (
                table.update()
                .where(table.c[key_column] == bindparam("b_key"))
                .values({c: bindparam(c) for c in columns})
            )
            compiled = stmt.compile(dialect=dialect)
        names = tuple(compiled.positiontup) if dialect.positional else tuple(compiled.binds)
        pairs = []
        for name in names:
            column = table.c[key_column if name == "b_key" else name]
            pairs.append((name, column.type.dialect_impl(dialect).bind_processor(dialect)))
        entry = _STATEMENTS[cache_key] = (compiled.string, tuple(pairs))
    return entry


def bulk_update(
    conn: Connection, table, key_column: str, columns: tuple[str, ...], rows: list[dict]
) -> None:
    """``UPDATE table SET columns… WHERE key_column = row["b_key"]`` for every row, like
    :func:`bulk_insert` (compiled once by SQLAlchemy, bind processors applied, ``executemany``)."""
    sql, pairs = _compiled(conn.dialect, table, "update", key_column, tuple(columns))
    _executemany(conn, sql, pairs, rows)


def bulk_insert(conn: Connection, table, rows: list[dict[str, Any]]) -> None:
    """Insert ``rows`` (dicts with every column of ``table``) in the transaction of ``conn``:
    the INSERT is compiled once by SQLAlchemy for the dialect, values go through each column's
    SQLAlchemy bind processor, and the driver's ``executemany`` runs it. About three times
    faster than ``conn.execute(table.insert(), rows)`` for large imports."""
    columns = tuple(c.name for c in table.columns)
    sql, pairs = _compiled(conn.dialect, table, "insert", None, columns)
    _executemany(conn, sql, pairs, rows)


def _executemany(conn: Connection, sql: str, pairs, rows: list[dict[str, Any]]) -> None:
    names = [name for name, _ in pairs]
    converters = [(i, proc) for i, (_, proc) in enumerate(pairs) if proc is not None]
    # Imports repeat values (the batch's timestamp, payment time = usage start, booleans):
    # convert each distinct value of a column once.
    memo: dict[tuple[int, Any], Any] = {}
    params = []
    for row in rows:
        values = [row[name] for name in names]
        for i, proc in converters:
            value = values[i]
            if value is not None:
                key = (i, value)
                converted = memo.get(key)
                if converted is None:
                    converted = memo[key] = proc(value)
                values[i] = converted
        params.append(values)
    if conn.dialect.positional:
        params = [tuple(v) for v in params]
    else:
        params = [dict(zip(names, v, strict=True)) for v in params]
    cursor = conn.connection.cursor()
    try:
        cursor.executemany(sql, params)
    finally:
        cursor.close()
