"""Test harness: offscreen Qt, temporary settings and databases, never the operator's files."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("HYPOTHESIS_PROFILE", "ci")

import pytest  # noqa: E402


@pytest.fixture(autouse=True)
def _isolated_dirs(tmp_path_factory, monkeypatch):
    """Point the desk's data and settings at a temporary folder for every test."""
    home = tmp_path_factory.mktemp("desk-home")
    monkeypatch.setenv("REFUND_DESK_HOME", str(home))
    monkeypatch.delenv("REFUND_DESK_DB", raising=False)
    yield home
