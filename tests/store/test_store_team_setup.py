"""The administrator's scripts (docs/postgresql/setup.sql, grants.sql) on the real server: the
owner migrates, the desks' role records and reads cases and audit entries but can neither
change nor delete an audit entry nor change the schema; the trigger stops even the owner."""

from __future__ import annotations

import os
import queue
import secrets
import shutil
import subprocess
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from refund_desk.cli import main
from refund_desk.errors import DatabaseError
from refund_desk.policy import CHINA_TZ
from refund_desk.services.cases import ReleaseConfirmation, record_case
from refund_desk.services.live import ChangeFeed
from refund_desk.services.quoting import quote_instance
from refund_desk.store import open_store
from refund_desk.store.importer import import_paths
from refund_desk.store.schema import HEAD_REVISION
from tests.helpers import databases

pytestmark = pytest.mark.postgresql

SCRIPTS = Path(__file__).resolve().parents[2] / "docs" / "postgresql"
FIXTURES = Path(__file__).with_name("fixtures") / "bss"
EX1 = "iot-cn-7pp2mhxqz01"


class Team:
    """Names of one test's roles and database (unique: roles are server-wide)."""

    def __init__(self, server: str):
        tag = secrets.token_hex(3)
        self.server = server
        self.owner = f"rd_owner_{tag}"
        self.desk = f"rd_desk_{tag}"
        self.operator = f"rd_ana_{tag}"
        self.dbname = f"refund_desk_team_{os.getpid()}_{tag}"

    def url(self, role: str) -> str:
        parsed = make_url(self.server)
        return parsed.set(username=role, password=None, database=self.dbname).render_as_string(
            hide_password=False
        )

    def psql(self, script: str, *, as_role: str | None = None, database: str | None = None):
        url = self.server if as_role is None else self.url(as_role)
        if database:
            url = databases.with_database(url, database)
        return subprocess.run(
            [_psql(), "-X", "-q", "-d", databases.libpq(url), "-f", str(SCRIPTS / script),
             "-v", f"owner={self.owner}", "-v", f"desk={self.desk}", "-v", f"dbname={self.dbname}"],
            capture_output=True, text=True, check=False, timeout=60,
        )  # fmt: skip


def _psql() -> str:
    found = shutil.which("psql")
    if found is None:
        message = "psql (PostgreSQL's client) is not installed"
        if os.environ.get(databases.REQUIRE_ENV) == "1":
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    return found


@pytest.fixture
def team(pg_server):
    names = Team(pg_server)
    yield names
    with databases.admin(pg_server) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{names.dbname}" WITH (FORCE)')
        for role in (names.operator, names.desk, names.owner):
            conn.execute(f'DROP ROLE IF EXISTS "{role}"')


def _set_up(team: Team) -> None:
    done = team.psql("setup.sql")
    assert done.returncode == 0, done.stderr
    with databases.admin(team.server) as conn:
        conn.execute(f'CREATE ROLE "{team.operator}" LOGIN IN ROLE "{team.desk}"')


def test_the_desks_role_appends_to_the_audit_log_and_changes_nothing(team, capsys):
    _set_up(team)
    # The schema does not exist yet: the desk may not create it, and says who can.
    with pytest.raises(DatabaseError, match="refund-desk migrate") as refused:
        open_store(team.url(team.operator))
    assert "Nothing was changed" in str(refused.value)

    assert main(["migrate", "--db", team.url(team.owner)]) == 0
    assert f"schema {HEAD_REVISION}, role operator" in capsys.readouterr().out
    granted = team.psql("grants.sql", as_role=team.owner)
    assert granted.returncode == 0, granted.stderr
    assert team.psql("grants.sql", as_role=team.owner).returncode == 0  # again: no change

    desk = open_store(team.url(team.operator))
    # The live feed (LISTEN, the 0007 trigger's NOTIFY) needs no grant beyond grants.sql.
    heard: queue.Queue = queue.Queue()
    feed = ChangeFeed(team.url(team.operator), on_change=heard.put).start()
    try:
        assert feed.connected.wait(30), feed.reason
        assert not import_paths(desk, [FIXTURES], actor="ana").rejected
        q = quote_instance(desk, EX1, datetime(2024, 3, 9, 9, 0, tzinfo=CHINA_TZ))
        asked = ReleaseConfirmation(EX1, True, EX1, customer_asked=("ASSUMED-NOT-INVOICED",))
        case = record_case(desk, q, asked, operator="ana").case
        assert case.total_refund == q.total_refund and str(q.total_refund) == "764.00"
        change = heard.get(timeout=10)
        assert (change.case_id, change.status, change.operator) == (case.case_id, "drafted", "ana")
        actions = {e.action for e in desk.audit_entries(entity="case")}
        assert {"case.add", "case.confirm"} <= actions
        entries = desk.audit_entries(limit=1000)
        for statement in (
            "UPDATE audit_log SET actor = 'mallory'",
            "DELETE FROM audit_log",
            "TRUNCATE audit_log",
            "UPDATE alembic_version SET version_num = '0001_initial'",
            "CREATE TABLE notes (id integer)",
            "DROP TRIGGER audit_log_no_update ON audit_log",
        ):
            with desk.engine.connect() as conn:
                with pytest.raises(Exception, match="permission denied|must be owner"):
                    conn.execute(text(statement))
        assert desk.audit_entries(limit=1000) == entries
    finally:
        feed.stop()
        desk.close()

    # The owner has the privileges; the trigger still refuses.
    engine = create_engine(team.url(team.owner))
    try:
        for statement in ("UPDATE audit_log SET actor = 'mallory'", "DELETE FROM audit_log",
                          "TRUNCATE audit_log"):  # fmt: skip
            with engine.connect() as conn:
                with pytest.raises(Exception, match="append-only"):
                    conn.execute(text(statement))
        with engine.connect() as conn:
            actors = set(conn.execute(text("SELECT DISTINCT actor FROM audit_log")).scalars())
        assert actors == {"ana"}
    finally:
        engine.dispose()
