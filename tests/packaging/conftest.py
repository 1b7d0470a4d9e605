"""Helpers for the packaging tests: load the scripts in ``packaging/`` by path.

``packaging/`` is not a Python package (and its name would shadow the PyPI ``packaging`` library),
so its modules are loaded from their files under private names.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGING = ROOT / "packaging"


def load_script(name: str):
    """Import ``packaging/<name>.py`` as module ``_pkg_<name>``."""
    mod_name = f"_pkg_{name}"
    if mod_name in sys.modules:
        return sys.modules[mod_name]
    spec = importlib.util.spec_from_file_location(mod_name, PACKAGING / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[mod_name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def make_icons():
    return load_script("make_icons")


@pytest.fixture(scope="session")
def qt_trim():
    return load_script("qt_trim")


@pytest.fixture(scope="session")
def check_bundle():
    return load_script("check_bundle")


@pytest.fixture(scope="session")
def check_bundle_quotes():
    return load_script("check_bundle_quotes")
