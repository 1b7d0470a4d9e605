"""Reading the files of an import: paths and folders to files, each file read and fully validated
into facts (:class:`~.facts.ParsedFile`) with no database access. A bad file is rejected with
:class:`~refund_desk.errors.ImportRejected` naming the file, the record and the field."""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ..errors import ImportRejected
from .facts import ParsedFile

SUFFIXES = (".json", ".csv")


def expand_paths(paths: Iterable[str | Path]) -> list[str]:
    """Files as given, folders walked recursively for ``*.json`` and ``*.csv`` (sorted by path).
    A path that does not exist is kept: reading it rejects it with a clear message."""
    result: list[str] = []
    for raw in paths:
        if os.path.isdir(raw):
            found: list[str] = []
            for folder, _dirs, names in os.walk(raw):
                found.extend(
                    os.path.join(folder, name) for name in names if name.lower().endswith(SUFFIXES)
                )
            result.extend(sorted(found))
        else:
            result.append(str(raw))
    return result


def parse_path(path: str) -> ParsedFile:
    """Read and fully validate one file (no database access).

    Raises:
        ImportRejected: unreadable, not JSON/CSV, not a known export, or a bad record.
    """
    from .bss import parse_bss
    from .csvfile import parse_csv

    try:
        with open(path, "rb") as handle:
            raw = handle.read()
    except FileNotFoundError:
        raise ImportRejected(path, "no such file") from None
    except IsADirectoryError:
        raise ImportRejected(path, "is a folder") from None
    except OSError as exc:
        raise ImportRejected(path, f"cannot read: {exc.strerror or exc}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportRejected(path, f"not UTF-8 text (byte {exc.start})") from None
    is_csv = path.lower().endswith(".csv")
    if is_csv:
        return parse_csv(path, text)
    stripped = text.lstrip()
    if not stripped.startswith(("{", "[")):
        if not path.lower().endswith(".json") and "," in stripped.split("\n", 1)[0]:
            return parse_csv(path, text)
        raise ImportRejected(path, "not JSON (a BSS export) nor a CSV file (.csv)")
    try:
        doc = load_json(text)
    except json.JSONDecodeError as exc:
        # Some of json's messages end in "at" already ("Invalid control character at").
        what = exc.msg.removesuffix(" at")
        raise ImportRejected(
            path, f"not valid JSON: {what} at line {exc.lineno}, column {exc.colno}"
        ) from None
    except RecursionError:
        raise ImportRejected(path, "not a BSS export: JSON nested too deeply") from None
    return parse_bss(path, doc)


def load_json(text: str) -> Any:
    """Decode a JSON export keeping every number as its literal text (``"1464.0"``, ``"1e3"``,
    ``"NaN"``): amounts are then judged by the one amount grammar whichever way they were
    written, and no number is converted on the way (a float would round ``1.23457E+11``, an int
    of 5,000 digits would exceed Python's conversion limit).

    Raises:
        json.JSONDecodeError: not JSON. RecursionError: nested too deeply.
    """
    return json.loads(text, parse_float=str, parse_int=str, parse_constant=str)
