"""Training scenario packs: the versioned file format and loading it.

A pack is a JSON file ``{"schema": "refund-desk/training-pack", "version": 1, ...}`` documented in
``resources/training/README.md``. Every problem found while reading a pack raises
:class:`PackError`, which names the pack file, the scenario id and the field, so a trainer can fix
the file they copied in; :func:`load_packs` keeps loading the other packs.

The parts: :mod:`.scenario` (what a loaded scenario is, and its quote), :mod:`.pack_fields`
(:class:`PackError` and the field reader), :mod:`.scenario_parser` (one scenario object); this
module reads the pack document and the pack folders.

Pure Python: no Qt, no SQLAlchemy.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .pack_fields import PackError
from .scenario import Pack, Scenario
from .scenario_parser import ID_PATTERN, parse_scenario
from .words import _

__all__ = [
    "PACK_SCHEMA",
    "PACK_VERSION",
    "PackError",
    "PackLoadResult",
    "builtin_packs_dir",
    "default_pack_dirs",
    "load_pack",
    "load_packs",
    "parse_pack",
    "user_packs_dir",
]

PACK_SCHEMA = "refund-desk/training-pack"
PACK_VERSION = 1
"""The pack schema this desk reads and writes (``"schema"`` / ``"version"`` of a pack file)."""


@dataclass(frozen=True, slots=True)
class PackLoadResult:
    """What :func:`load_packs` found: the packs that loaded and the errors of those that did not."""

    packs: tuple[Pack, ...]
    errors: tuple[PackError, ...]

    @property
    def scenarios(self) -> tuple[Scenario, ...]:
        """Every scenario of every loaded pack, pack by pack."""
        return tuple(s for p in self.packs for s in p.scenarios)


def parse_pack(data: Any, *, file: str = "<memory>") -> Pack:
    """Validate a decoded pack document and build a :class:`Pack`.

    Raises:
        PackError: wrong ``schema``/``version``, missing fields, duplicate scenario ids, or any
            scenario error (naming the scenario and field).
    """
    if not isinstance(data, dict):
        raise PackError(file, _("a pack is a JSON object"))
    if data.get("schema") != PACK_SCHEMA:
        raise PackError(
            file,
            _("not a training pack (schema must be {schema})").format(schema=repr(PACK_SCHEMA)),
            None,
            "schema",
        )
    version = data.get("version")
    if version != PACK_VERSION:
        raise PackError(
            file,
            _(
                "pack version {version} is not supported (this desk reads version {supported})"
            ).format(version=repr(version), supported=PACK_VERSION),
            None,
            "version",
        )
    pack_id = data.get("pack_id")
    if not isinstance(pack_id, str) or not ID_PATTERN.match(pack_id):
        raise PackError(file, _("missing or not an id"), None, "pack_id")
    title = data.get("title")
    if not isinstance(title, str) or not title.strip():
        raise PackError(file, _("missing"), None, "title")
    raw = data.get("scenarios")
    if not isinstance(raw, list):
        raise PackError(file, _("must be a list of scenarios"), None, "scenarios")
    scenarios = []
    seen: set[str] = set()
    for i, item in enumerate(raw):
        scenario = parse_scenario(item, file=file, index=i)
        if scenario.scenario_id in seen:
            raise PackError(file, _("duplicate scenario id"), scenario.scenario_id, "id")
        seen.add(scenario.scenario_id)
        scenarios.append(scenario)
    return Pack(
        path=file,
        pack_id=pack_id,
        title=title.strip(),
        scenarios=tuple(scenarios),
        description=str(data.get("description", "")),
    )


def load_pack(path: str | Path) -> Pack:
    """Read and validate one pack file.

    Args:
        path: a ``.json`` pack file.
    Returns:
        The :class:`Pack`.
    Raises:
        PackError: unreadable file, invalid JSON (with line and column), or invalid content.
    """
    file = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise PackError(file, _("cannot read: {reason}").format(reason=exc)) from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise PackError(
            file,
            _("invalid JSON at line {line} column {column}: {reason}").format(
                line=exc.lineno, column=exc.colno, reason=exc.msg
            ),
        ) from None
    return parse_pack(data, file=file)


def builtin_packs_dir() -> Path:
    """``resources/training`` of the installed desk (the starter pack lives there)."""
    return Path(__file__).resolve().parent.parent.parent / "resources" / "training"


def user_packs_dir() -> Path:
    """``<data dir>/training-packs``: where a trainer copies extra packs (created on use)."""
    from ..paths import data_dir

    path = data_dir() / "training-packs"
    path.mkdir(parents=True, exist_ok=True)
    return path


def default_pack_dirs() -> tuple[Path, ...]:
    """The folders searched for packs: the built-in ones, then the trainer's own."""
    return (builtin_packs_dir(), user_packs_dir())


def load_packs(paths: Iterable[str | Path] | None = None) -> PackLoadResult:
    """Load every pack in ``paths`` (files, or folders whose ``*.json`` files are packs).

    A malformed pack is reported in ``errors`` and skipped; the others still load. Two packs with
    the same ``pack_id`` are an error for the second one.

    Args:
        paths: files or folders; default :func:`default_pack_dirs`.
    Returns:
        :class:`PackLoadResult` (packs in path then file-name order, and the errors).
    """
    files: list[Path] = []
    for p in paths if paths is not None else default_pack_dirs():
        p = Path(p)
        if p.is_dir():
            files.extend(sorted(f for f in p.glob("*.json") if f.is_file()))
        elif p.exists():
            files.append(p)
    packs: list[Pack] = []
    errors: list[PackError] = []
    seen: dict[str, str] = {}
    for f in files:
        try:
            pack = load_pack(f)
        except PackError as exc:
            errors.append(exc)
            continue
        if pack.pack_id in seen:
            errors.append(
                PackError(
                    str(f),
                    _("pack id {pack_id} already loaded from {file}").format(
                        pack_id=repr(pack.pack_id), file=seen[pack.pack_id]
                    ),
                    None,
                    "pack_id",
                )
            )
            continue
        seen[pack.pack_id] = str(f)
        packs.append(pack)
    return PackLoadResult(tuple(packs), tuple(errors))
