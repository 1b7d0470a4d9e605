"""Hostile variants of valid exports, generated deterministically from a seed: truncation, byte
flips, deleted and duplicated keys, type swaps, huge and odd numbers, odd unicode, a BOM, CRLF
line ends. Each mutant is ``(name, bytes)``; the name says what was done."""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from typing import Any

ODD_NUMBERS = (
    "1e400", "-1e400", "1e-7", "-0", "-0.0", "0.30000000000000004", "1E+3", "9" * 30,
    "123456789012345678901234567890.5", "NaN", "Infinity", "-Infinity", "1.0e2", "0.001",
)  # fmt: skip
ODD_TEXT = (
    "\u202eevil",  # right-to-left override
    "a\u200db",  # zero-width joiner
    "e\u0301\u0301\u0301",  # stacked combining accents
    "\U0001f4b8",  # emoji
    "line\nbreak",
    "tab\there",
    "nul\x00byte",
    "\ufeffbom-inside",
    "x" * 5000,
    "",
    " ",
    "Ｐａｉｄ",  # full-width letters
    "٣٤٥",  # Arabic-Indic digits
    "\ud7ff\ue000",
)  # fmt: skip
SWAPS: tuple[Any, ...] = (None, True, False, 0, -1, 1.5, [], {}, ["x"], {"a": 1}, "", "text")


def _leaves(doc: Any, path: tuple = ()) -> Iterator[tuple[tuple, Any]]:
    if isinstance(doc, dict):
        for key, value in doc.items():
            yield from _leaves(value, (*path, key))
    elif isinstance(doc, list):
        for index, value in enumerate(doc):
            yield from _leaves(value, (*path, index))
    else:
        yield path, doc


def _objects(doc: Any, path: tuple = ()) -> Iterator[tuple[tuple, dict]]:
    if isinstance(doc, dict):
        yield path, doc
        for key, value in doc.items():
            yield from _objects(value, (*path, key))
    elif isinstance(doc, list):
        for index, value in enumerate(doc):
            yield from _objects(value, (*path, index))


def _set(doc: Any, path: tuple, value: Any) -> None:
    for step in path[:-1]:
        doc = doc[step]
    doc[path[-1]] = value


def _dumps(doc: Any) -> bytes:
    return json.dumps(doc, indent=2, ensure_ascii=False, allow_nan=True).encode("utf-8")


def json_mutants(name: str, data: bytes, rng: random.Random, per_kind: int = 3):
    """Mutants of one JSON export."""
    doc = json.loads(data)
    leaves = [leaf for leaf in _leaves(doc) if leaf[0]]
    objects = [obj for obj in _objects(doc) if obj[1]]
    for _ in range(per_kind):
        cut = rng.randrange(1, len(data))
        yield f"{name}~truncated@{cut}", data[:cut]
    for _ in range(per_kind):
        flipped = bytearray(data)
        for _ in range(rng.randint(1, 4)):
            at = rng.randrange(len(flipped))
            flipped[at] ^= 1 << rng.randrange(8)
        yield f"{name}~byteflip", bytes(flipped)
    for _ in range(per_kind):
        variant = json.loads(data)
        path, obj = rng.choice(objects)
        key = rng.choice(list(obj))
        target = variant
        for step in path:
            target = target[step]
        del target[key]
        yield f"{name}~deleted-{key}", _dumps(variant)
    for _ in range(per_kind):
        # a key written twice in the text: JSON decoders keep the last one
        path, value = rng.choice(leaves)
        key = path[-1]
        if not isinstance(key, str):
            continue
        needle = f'"{key}": {json.dumps(value, ensure_ascii=False)}'
        text = data.decode("utf-8")
        if needle not in text:
            continue
        other = json.dumps(rng.choice(SWAPS[3:] + ODD_TEXT[:3]), ensure_ascii=False)
        after = rng.random() < 0.5
        twice = f'{needle}, "{key}": {other}' if after else f'"{key}": {other}, {needle}'
        yield f"{name}~duplicated-{key}", text.replace(needle, twice, 1).encode("utf-8")
    for _ in range(per_kind):
        variant = json.loads(data)
        path, _ = rng.choice(leaves)
        _set(variant, path, rng.choice(SWAPS))
        yield f"{name}~typeswap-{path[-1]}", _dumps(variant)
    for _ in range(per_kind):
        path, value = rng.choice(leaves)
        number = rng.choice(ODD_NUMBERS)
        text = data.decode("utf-8")
        needle = f'"{path[-1]}": {json.dumps(value, ensure_ascii=False)}'
        if isinstance(path[-1], str) and needle in text:
            as_text = rng.random() < 0.5
            replacement = f'"{path[-1]}": ' + (json.dumps(number) if as_text else number)
            yield f"{name}~number-{path[-1]}", text.replace(needle, replacement, 1).encode()
    for _ in range(per_kind):
        variant = json.loads(data)
        strings = [leaf for leaf in leaves if isinstance(leaf[1], str)]
        path, value = rng.choice(strings)
        odd = rng.choice(ODD_TEXT)
        _set(variant, path, value + odd if rng.random() < 0.5 else odd)
        yield f"{name}~unicode-{path[-1]}", _dumps(variant)
    yield f"{name}~bom", b"\xef\xbb\xbf" + data
    yield f"{name}~crlf", data.replace(b"\n", b"\r\n")


def csv_mutants(name: str, data: bytes, rng: random.Random, per_kind: int = 3):
    """Mutants of one CSV file of the desk's template."""
    text = data.decode("utf-8")
    lines = text.splitlines()
    for _ in range(per_kind):
        cut = rng.randrange(1, len(data))
        yield f"{name}~truncated@{cut}", data[:cut]
    for _ in range(per_kind):
        flipped = bytearray(data)
        for _ in range(rng.randint(1, 4)):
            at = rng.randrange(len(flipped))
            flipped[at] ^= 1 << rng.randrange(8)
        yield f"{name}~byteflip", bytes(flipped)
    header = lines[0].split(",")
    for _ in range(per_kind):
        column = rng.randrange(len(header))
        rows = [",".join(c for i, c in enumerate(line.split(",")) if i != column) for line in lines]
        yield f"{name}~deleted-{header[column]}", ("\n".join(rows) + "\n").encode()
    for _ in range(per_kind):
        column = rng.randrange(len(header))
        rows = [line + "," + line.split(",")[column] for line in lines]
        yield f"{name}~duplicated-{header[column]}", ("\n".join(rows) + "\n").encode()
    for _ in range(per_kind):
        row = rng.randrange(1, len(lines))
        cells = lines[row].split(",")
        column = rng.randrange(len(cells))
        cells[column] = rng.choice(("yes", "1e3", "-5", "true", "[]", "{}", "null", "0x10"))
        changed = [*lines[:row], ",".join(cells), *lines[row + 1 :]]
        yield f"{name}~typeswap-{header[column]}", ("\n".join(changed) + "\n").encode()
    for _ in range(per_kind):
        row = rng.randrange(1, len(lines))
        cells = lines[row].split(",")
        column = rng.randrange(len(cells))
        cells[column] = rng.choice(ODD_NUMBERS)
        changed = [*lines[:row], ",".join(cells), *lines[row + 1 :]]
        yield f"{name}~number-{header[column]}", ("\n".join(changed) + "\n").encode()
    for _ in range(per_kind):
        row = rng.randrange(1, len(lines))
        cells = lines[row].split(",")
        column = rng.randrange(len(cells))
        odd = rng.choice(ODD_TEXT)
        cells[column] = '"' + (cells[column] + odd).replace('"', '""') + '"'
        changed = [*lines[:row], ",".join(cells), *lines[row + 1 :]]
        yield f"{name}~unicode-{header[column]}", ("\n".join(changed) + "\n").encode("utf-8")
    yield f"{name}~bom", b"\xef\xbb\xbf" + data
    yield f"{name}~crlf", data.replace(b"\n", b"\r\n")
