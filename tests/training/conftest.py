"""Training tests: the starter pack as shipped in resources/training (never /work/shared)."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from refund_desk.training.pack import builtin_packs_dir, load_pack

STARTER = builtin_packs_dir() / "starter.json"


@pytest.fixture(scope="session")
def starter_pack():
    """The starter pack, loaded once."""
    return load_pack(STARTER)


@pytest.fixture(scope="session")
def starter_quotes(starter_pack):
    """scenario id → (scenario, quote), quoted once with the policy core."""
    return {s.scenario_id: (s, s.quote()) for s in starter_pack.scenarios}


@pytest.fixture()
def starter_data():
    """A fresh deep copy of the starter pack's JSON document (to break on purpose)."""
    return copy.deepcopy(json.loads(STARTER.read_text(encoding="utf-8")))


def _write_pack(path: Path, data) -> Path:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    return path


@pytest.fixture()
def write_pack():
    """``write_pack(path, data)``: write ``data`` as a pack file and return its path."""
    return _write_pack
