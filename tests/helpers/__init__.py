"""Shared test helpers (importable from every test folder: ``from helpers.x import …``)."""
