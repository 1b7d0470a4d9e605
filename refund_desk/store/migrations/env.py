"""Alembic environment of the desk's database.

The desk runs migrations programmatically (:func:`refund_desk.store.schema.ensure_schema`): the
open connection is passed in ``config.attributes["connection"]``. Run from a shell, ``alembic -c
refund_desk/store/alembic.ini -x url=sqlite:///path upgrade head`` works too.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from refund_desk.store.models import metadata

config = context.config


def _run(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=True,  # SQLite cannot ALTER most things: future migrations use batch mode
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is not None:
    _run(connection)
else:
    url = context.get_x_argument(as_dictionary=True).get("url") or config.get_main_option(
        "sqlalchemy.url"
    )
    if not url:
        raise RuntimeError("alembic: no database URL (-x url=… or sqlalchemy.url)")
    engine = create_engine(url)
    with engine.begin() as conn:
        _run(conn)
    engine.dispose()
