"""Test harness: offscreen Qt, temporary settings and databases, never the operator's files.

Databases: a test that takes ``db`` runs once per backend, ``[sqlite]`` on a temporary file and
``[postgresql]`` on a fresh schema of this run's own PostgreSQL database (created here at the
start of the run, dropped at its end). Tests marked ``sqlite_only`` run on SQLite alone. Where no
PostgreSQL server can be reached the PostgreSQL tests are skipped with a loud line in the summary;
with ``REFUND_DESK_REQUIRE_PG=1`` (set by ``.ci/run``) they fail instead.

Strict: every test fails when it leaves the garbage collector changed, a Qt timer or thread pool
running, a thread alive or a database handle open (``tests/helpers/strict.py``). Hypothesis runs
the profile named by ``HYPOTHESIS_PROFILE``: ``default`` (150 examples a property) or ``ci``
(600; ``.ci/run`` sets it). Tests that depend on the date take a fixed clock (``fixed_now``).
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402
from hypothesis import HealthCheck, settings  # noqa: E402

from tests.helpers import databases  # noqa: E402
from tests.helpers.clock import FIXED_NOW  # noqa: E402
from tests.helpers.keyrings import memory_keyring  # noqa: E402, F401 - a fixture for every test
from tests.helpers.strict import StrictHarness  # noqa: E402

# Per-test @settings(max_examples=...) keep their own count; the others take the profile's.
_HYPOTHESIS = dict(deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("default", max_examples=150, **_HYPOTHESIS)
settings.register_profile("ci", max_examples=600, **_HYPOTHESIS)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

pytest_plugins = ["pytester"]  # tests/test_strict_harness.py runs a pytest inside

_PG_STATE: dict[str, str] = {}


def pytest_configure(config):
    config.pluginmanager.register(StrictHarness(), "refund-desk-strict-harness")


@pytest.fixture
def fixed_now():
    """The desk's "now" in tests that depend on the date: ``tests.helpers.clock.FIXED_NOW``
    (aware). Pass ``clock=lambda: fixed_now`` where the code takes a clock."""
    return FIXED_NOW


@pytest.fixture(autouse=True)
def _isolated_dirs(tmp_path_factory, monkeypatch):
    """Point the desk's data and settings at a temporary folder for every test."""
    home = tmp_path_factory.mktemp("desk-home")
    monkeypatch.setenv("REFUND_DESK_HOME", str(home))
    monkeypatch.delenv("REFUND_DESK_DB", raising=False)
    # English unless a test asks for Chinese (the operator's LANG must not change test output).
    monkeypatch.setenv("LANGUAGE", "en")
    from refund_desk import wording

    wording.set_language(wording.EN)
    yield home
    wording.set_language(wording.EN)


def pytest_generate_tests(metafunc):
    """``db`` runs on both backends, except in tests marked ``sqlite_only``."""
    if "db" not in metafunc.fixturenames:
        return
    backends = ["sqlite"]
    if metafunc.definition.get_closest_marker("sqlite_only") is None:
        backends.append(pytest.param("postgresql", marks=pytest.mark.postgresql))
    metafunc.parametrize("db", backends, indirect=True)


@pytest.fixture(scope="session")
def pg_server() -> str:
    """The SQLAlchemy URL of the test server's maintenance database (for tests that create
    their own databases or roles). Skips (fails under ``REFUND_DESK_REQUIRE_PG=1``) when no
    PostgreSQL 15+ server answers."""
    url = databases.server_url()
    reason = databases.unreachable_reason(url)
    if reason is not None:
        _PG_STATE["unreachable"] = reason
        message = f"NO POSTGRESQL SERVER: {reason} (set {databases.SERVER_ENV} or start one)"
        if os.environ.get(databases.REQUIRE_ENV) == "1":
            pytest.fail(f"{message}; {databases.REQUIRE_ENV}=1 forbids skipping", pytrace=False)
        pytest.skip(message)
    return url


@pytest.fixture(scope="session")
def pg_run(pg_server) -> databases.RunDatabase:
    """This run's own database on the server, dropped when the run ends."""
    run = databases.RunDatabase(pg_server)
    run.create()
    yield run
    run.drop()


@pytest.fixture
def db(request, tmp_path) -> databases.TestDatabase:
    """An empty database of the backend the test is parametrised with (see the module)."""
    if request.param == "sqlite":
        database = databases.SqliteDatabase(tmp_path)
    else:
        database = databases.PostgresDatabase(request.getfixturevalue("pg_run"))
    yield database
    database.close()


def pytest_terminal_summary(terminalreporter):
    reason = _PG_STATE.get("unreachable")
    if reason:
        terminalreporter.write_sep("!", "PostgreSQL tests NOT RUN", red=True, bold=True)
        terminalreporter.write_line(f"{reason}", red=True)
        terminalreporter.write_line(
            "Half of the store and services tests need a PostgreSQL 15+ server; .ci/run starts "
            "one. Set REFUND_DESK_TEST_PG to use another.",
            red=True,
        )
