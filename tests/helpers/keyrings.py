"""A system keyring kept in memory: the real ``keyring`` package with a test's own backend, so
no test reads or writes the keyring of the machine it runs on."""

from __future__ import annotations

import pytest


def memory_backend():
    """A ``keyring`` backend storing ``{(service, user): password}`` in ``.saved``."""
    from keyring.backend import KeyringBackend

    class MemoryKeyring(KeyringBackend):
        priority = 1

        def __init__(self):
            super().__init__()
            self.saved: dict[tuple[str, str], str] = {}

        def get_password(self, service, username):
            return self.saved.get((service, username))

        def set_password(self, service, username, password):
            self.saved[(service, username)] = password

        def delete_password(self, service, username):
            self.saved.pop((service, username), None)

    return MemoryKeyring()


@pytest.fixture
def memory_keyring():
    """The memory backend installed as the process's keyring for one test."""
    keyring = pytest.importorskip("keyring")
    previous = keyring.get_keyring()
    backend = memory_backend()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)
