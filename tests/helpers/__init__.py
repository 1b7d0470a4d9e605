"""Shared test helpers, imported as ``tests.helpers.x`` (``pythonpath`` in pyproject.toml);
never by the desk itself and never from another test module."""
