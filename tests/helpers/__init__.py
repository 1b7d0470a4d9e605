"""Shared test helpers (imported by conftest files and tests; never by the desk itself)."""
