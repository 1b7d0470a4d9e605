"""Edges of the database use cases (services/opening.py, team_database.py, calendar_cache.py):
a typed team address that is refused, a password for this session only, a demo database opened
as the operator's own, and a cache that cannot name its ``holidays`` release."""

from __future__ import annotations

import pytest

from refund_desk import paths
from refund_desk.errors import DatabaseError
from refund_desk.policy import BusinessCalendar
from refund_desk.services import calendar_cache, team_database
from refund_desk.services.opening import DatabaseChoice, open_choice, open_operator_store
from refund_desk.store import open_store


@pytest.mark.parametrize("url", ["", "   "])
def test_an_empty_team_address_asks_for_one(url):
    with pytest.raises(DatabaseError, match="type the team database's address"):
        team_database.configure(url, "secret")


def test_a_malformed_team_address_is_refused_without_its_password():
    with pytest.raises(DatabaseError, match="is not a database address") as caught:
        team_database.configure("postgresql+psycopg://u:hunter2@host:notaport/db")
    assert "hunter2" not in str(caught.value)


def test_a_team_address_without_a_server_is_refused():
    with pytest.raises(DatabaseError, match="names no server"):
        team_database.configure("postgresql+psycopg:///desk")


def test_a_password_for_this_session_only_stays_out_of_the_keyring(memory_keyring):
    team = team_database.configure("postgresql://clerk@db.example/desk", "s3cret", remember=False)
    assert team.remembered is False
    assert team.saved_url == "postgresql+psycopg://clerk@db.example/desk"
    assert team.open_url == "postgresql+psycopg://clerk:s3cret@db.example/desk"
    assert memory_keyring.saved == {}


def test_a_team_address_without_any_password_is_used_as_given(memory_keyring):
    team = team_database.configure(" postgresql+psycopg://clerk@db.example/desk ", remember=True)
    assert team == team_database.TeamDatabase(
        "postgresql+psycopg://clerk@db.example/desk",
        "postgresql+psycopg://clerk@db.example/desk",
        False,
    )
    assert memory_keyring.saved == {}


def test_forgetting_no_team_address_touches_no_keyring(memory_keyring):
    memory_keyring.saved[("kept", "kept")] = "pw"
    team_database.forget("")
    assert memory_keyring.saved == {("kept", "kept"): "pw"}


def test_the_calendar_cache_is_not_written_when_the_holidays_release_is_unknown(
    tmp_path, monkeypatch
):
    monkeypatch.setattr(calendar_cache, "holidays_source", lambda: None)
    path = tmp_path / "calendar.json"
    assert calendar_cache.save_calendar_cache(path, BusinessCalendar()) is False
    assert not path.exists()


def test_a_demo_database_opened_as_the_operators_own_is_refused():
    target = paths.operator_db_path()
    target.parent.mkdir(parents=True, exist_ok=True)
    open_store(target, role="demo").close()
    with pytest.raises(DatabaseError, match="is marked as demo data") as caught:
        open_operator_store()  # no progress bar: nothing is reported
    assert str(target) in str(caught.value)


def test_the_demo_path_is_always_marked_as_demo_data(tmp_path):
    target = tmp_path / "demo.sqlite"
    open_store(target).close()  # an unmarked database where the demo one belongs
    shown = []
    store = open_choice(
        DatabaseChoice(target=str(target), demo=True),
        progress=lambda done, total, text: shown.append((done, total, text)),
    )
    try:
        assert store.role == "demo"
    finally:
        store.close()
    reopened = open_store(target, create=False)
    try:
        assert reopened.role == "demo"
    finally:
        reopened.close()
    assert shown == [(0, 0, "Opening the database…")]


def test_an_import_without_a_progress_bar_still_imports(tmp_path):
    from refund_desk.services.opening import run_import

    source = tmp_path / "accounts.csv"
    source.write_text("order_id,account_id,account_name\n,2088000000000009,Acme\n", "utf-8")
    store = open_store(tmp_path / "desk.sqlite")
    try:
        summary = run_import(store, [str(source)], actor="Ana")
        assert summary.rejected == []
        assert len(summary.files) == 1
    finally:
        store.close()


def test_a_notification_without_a_time_has_none():
    from refund_desk.services.live import parse_payload

    schema, change = parse_payload('{"case_id": 3, "status": "submitted"}')
    assert schema is None
    assert (change.case_id, change.at, change.instance_id) == (3, None, None)
    assert change.is_open and not change.resync


def test_a_feed_started_twice_runs_one_worker_and_stops_once(tmp_path):
    from refund_desk.services.live import ChangeFeed

    target = tmp_path / "desk.sqlite"
    open_store(target).close()
    feed = ChangeFeed(str(target), on_change=lambda change: None, poll_s=0.05)
    feed.stop()  # never started: nothing to wait for
    assert feed.server is False
    feed = ChangeFeed(str(target), on_change=lambda change: None, poll_s=0.05)
    assert feed.start() is feed
    worker = feed._thread
    assert feed.start() is feed and feed._thread is worker
    feed.stop()
    assert feed._thread is None and not worker.is_alive()
