"""Authoring: turn a recorded case or a simulator state into a training scenario, with account
ids, instance ids and order ids replaced by fake ones, and save it into a pack file.

The replacement is deterministic (same salt and same real id → same fake id, so re-authoring a
case gives the same scenario) and consistent within a scenario (every occurrence of a real id,
in the orders and in the free text, becomes the same fake id). Only the figures that decide the
refund (kind, times, amounts, channel, invoice/marketplace, what-if options) are kept.

Pure Python: no Qt, no SQLAlchemy.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

from ..policy import CHINA_TZ, InstanceInput, OrderOptions
from ..policy.serialize import order_options_to_json
from .pack import PACK_SCHEMA, PACK_VERSION, PackError, load_pack, parse_pack
from .scenario import Expected, Scenario
from .scenario_parser import parse_scenario


class Anonymiser:
    """Maps real ids to fake ones: instances ``iot-cn-trn<8 chars>``, accounts 16 digits starting
    ``1999``, orders 15 digits starting ``9``.

    Args:
        salt: any text; a trainer keeps it private so fake ids cannot be traced back by hashing
            guessed real ids. The same salt gives the same fake ids.
    """

    _ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz"

    def __init__(self, salt: str = "refund-desk-training"):
        self.salt = salt
        self.mapping: dict[str, str] = {}
        self._used: set[str] = set()

    def _digest(self, kind: str, real: str, attempt: int) -> int:
        data = f"{self.salt}\x00{kind}\x00{real}\x00{attempt}".encode()
        return int.from_bytes(hashlib.sha256(data).digest()[:12], "big")

    def _fake(self, kind: str, real: str) -> str:
        if real in self.mapping:
            return self.mapping[real]
        attempt = 0
        while True:
            n = self._digest(kind, real, attempt)
            if kind == "instance":
                chars = []
                for _ in range(8):
                    n, r = divmod(n, 36)
                    chars.append(self._ALPHABET[r])
                fake = "iot-cn-trn" + "".join(chars)
            elif kind == "account":
                fake = "1999" + str(n % 10**12).zfill(12)
            else:
                fake = "9" + str(n % 10**14).zfill(14)
            if fake not in self._used:
                break
            attempt += 1
        self._used.add(fake)
        self.mapping[real] = fake
        return fake

    def instance(self, real: str) -> str:
        """Fake instance id for ``real``."""
        return self._fake("instance", real)

    def account(self, real: str | None) -> str | None:
        """Fake account id for ``real`` (``None`` stays ``None``)."""
        return None if real is None else self._fake("account", real)

    def order(self, real: str) -> str:
        """Fake order id for ``real``."""
        return self._fake("order", real)

    def scrub(self, text: str) -> str:
        """``text`` with every real id already mapped replaced by its fake id, and any other run
        of 11 or more digits (phone, account or card numbers) replaced by ``#``."""
        for real in sorted(self.mapping, key=len, reverse=True):
            text = text.replace(real, self.mapping[real])
        fakes = set(self.mapping.values())
        return re.sub(r"\d{11,}", lambda m: m.group(0) if m.group(0) in fakes else "#", text)


def case_state(store, case_id: int):
    """The simulator state of a recorded case: ``(instance, cancel_at, options)``.

    Args:
        store: an open :class:`refund_desk.store.OrderStore` holding the case and its instance.
        case_id: the desk's case number.
    Returns:
        The instance as the store has it now, the case's cancellation time (aware) and its
        stored what-if inputs (``{order_id: OrderOptions}``).
    Raises:
        refund_desk.errors.UnknownInstanceError: no such case, or its instance is gone.
    """
    from ..errors import UnknownInstanceError

    case = store.get_case(case_id)
    if case is None:
        raise UnknownInstanceError(f"no case #{case_id} in {store.url}")
    return store.instance_input(case.instance_id), case.cancel_at, case.order_options()


def _iso(moment: datetime | None) -> str | None:
    if moment is None:
        return None
    return moment.astimezone(CHINA_TZ).isoformat()


def scenario_from_state(
    instance: InstanceInput,
    cancel_at: datetime,
    options: Mapping[str, OrderOptions] | None = None,
    *,
    scenario_id: str,
    title: str | Mapping[str, str],
    request: str | Mapping[str, str],
    difficulty: int = 3,
    notes: str = "",
    tags: tuple[str, ...] = (),
    salt: str = "refund-desk-training",
    cancel_at_assumed_tz: bool = False,
    language: str = "en",
) -> Scenario:
    """A simulator state (an instance, a cancellation time and the what-if options) → a new,
    anonymised :class:`Scenario`.

    Args:
        instance: the instance as the store gives it (``OrderStore.instance_input``).
        cancel_at: aware cancellation time. options: what-if inputs per real order id.
        scenario_id / title / request / difficulty (1–5) / notes / tags: what the trainer writes;
            ``request`` and ``notes`` are scrubbed of the real ids (and long digit runs).
        salt: the anonymiser's salt (see :class:`Anonymiser`).
        cancel_at_assumed_tz: the time was typed without offset (kept as ``ASSUMED-TZ``).
        language: the language ``title`` and ``request`` are written in when they are strings
            (``"en"`` or ``"zh_CN"``; a Chinese text is saved as ``{"zh_CN": …}``, an English one
            as a plain string). ``title`` and ``request`` may also be ``{"en": …, "zh_CN": …}``
            (empty texts left out); every language's request is scrubbed.
    Returns:
        The scenario (no ``expected``: the core's quote is the model answer), validated through
        the same parser as a pack file.
    Raises:
        PackError: the result is not a valid scenario (bad id, difficulty, …).
        ValueError: ``cancel_at`` is naive.
    """
    if cancel_at.tzinfo is None:
        raise ValueError("the cancellation time must carry a time zone")
    anon = Anonymiser(salt)
    fake_instance = anon.instance(instance.instance_id)
    fake_account = anon.account(instance.account_id)
    orders = []
    for o in instance.orders:
        # Every instance an order names is replaced too (several-instances orders stay so).
        names = [anon.instance(i) for i in o.instance_ids]
        item: dict[str, Any] = {
            "order_id": anon.order(o.order_id),
            "order_type": o.order_type,
            "payment_status": o.payment_status,
            "currency": o.currency,
            "payment_time": _iso(o.payment_time),
            "usage_start": _iso(o.usage_start),
            "usage_end": _iso(o.usage_end),
            "list_price": None if o.list_price is None else str(o.list_price),
            "cash": None if o.breakdown is None else str(o.breakdown.cash),
            "prepaid_card": "0.00" if o.breakdown is None else str(o.breakdown.prepaid_card),
            "voucher": "0.00" if o.breakdown is None else str(o.breakdown.voucher),
            "coupon": "0.00" if o.breakdown is None else str(o.breakdown.coupon),
            "channel": o.channel,
            "invoiced": o.invoiced,
            "marketplace": o.marketplace,
        }
        if names != [fake_instance]:
            item["instance_ids"] = names
        if o.assumed_tz:
            # Keep the lesson: a time written without an offset (China time assumed).
            for key in ("payment_time", "usage_start", "usage_end"):
                if item[key]:
                    item[key] = item[key][:19]
        orders.append(item)
    opts: dict[str, Any] = {}
    for real, opt in (options or {}).items():
        entry = order_options_to_json(opt, sparse=True)
        if entry:
            opts[anon.order(real)] = entry
    cancel_text = _iso(cancel_at)
    if cancel_at_assumed_tz:
        cancel_text = cancel_text[:19]
    data = {
        "id": scenario_id,
        "title": _in_language(title, language),
        "difficulty": difficulty,
        "request": _in_language(request, language, anon.scrub),
        "instance": {"id": fake_instance, "kind": instance.kind.value, "account_id": fake_account},
        "orders": orders,
        "cancel_at": cancel_text,
        "notes": anon.scrub(notes),
        "tags": list(tags),
    }
    if opts:
        data["options"] = opts
    return parse_scenario(data, file="<authored>")


def _in_language(
    text: str | Mapping[str, str], language: str, scrub=lambda t: t
) -> str | dict[str, str]:
    """A text as a pack writes it: English alone as a plain string (readable by every desk),
    otherwise ``{language: text, …}`` without the empty ones; each text through ``scrub``."""
    texts = {language: text} if isinstance(text, str) else dict(text)
    texts = {lang: scrub(t) for lang, t in texts.items() if t}
    if set(texts) == {"en"}:
        return texts["en"]
    return texts or ""


def _texts(texts: dict[str, str], fallback: str) -> str | dict[str, str]:
    if not texts or set(texts) == {"en"}:
        return texts.get("en", fallback)
    return dict(texts)


def scenario_to_dict(scenario: Scenario) -> dict[str, Any]:
    """A :class:`Scenario` → its pack JSON object (amounts as strings, times as written)."""
    orders = []
    for o in scenario.orders:
        raw = dict(o.raw_times)
        item: dict[str, Any] = {
            "order_id": o.order_id,
            "order_type": o.order_type,
            "payment_status": o.payment_status,
            "currency": o.currency,
            "payment_time": raw.get("payment_time", _iso(o.payment_time)),
            "usage_start": raw.get("usage_start", _iso(o.usage_start)),
            "usage_end": raw.get("usage_end", _iso(o.usage_end)),
            "list_price": None if o.list_price is None else str(o.list_price),
            "cash": None if o.cash is None else str(o.cash),
            "prepaid_card": str(o.prepaid_card),
            "voucher": str(o.voucher),
            "coupon": str(o.coupon),
            "channel": o.channel,
            "invoiced": o.invoiced,
            "marketplace": o.marketplace,
        }
        if o.instance_ids:
            item["instance_ids"] = list(o.instance_ids)
        orders.append(item)
    data: dict[str, Any] = {
        "id": scenario.scenario_id,
        "title": _texts(scenario.titles, scenario.title),
        "difficulty": scenario.difficulty,
        "request": _texts(scenario.requests, scenario.request),
        "instance": {
            "id": scenario.instance_id,
            "kind": scenario.kind.value,
            "account_id": scenario.account_id,
        },
        "orders": orders,
        "cancel_at": scenario.cancel_at_text or scenario.cancel_at.isoformat(),
    }
    opts = {oid: order_options_to_json(opt, sparse=True) for oid, opt in scenario.options.items()}
    if opts:
        data["options"] = opts
    if scenario.expected is not None:
        data["expected"] = _expected_to_dict(scenario.expected)
    if scenario.notes:
        data["notes"] = scenario.notes
    data["tags"] = list(scenario.tags)
    return data


def _expected_to_dict(e: Expected) -> dict[str, Any]:
    data: dict[str, Any] = {
        "outcome": e.outcome.value,
        "destinations": {k: str(v) for k, v in e.destinations.items()},
        "total_refund": str(e.total_refund),
        "processed_by": e.processed_by.isoformat() if e.processed_by else None,
        "warnings": sorted(e.warnings),
        "advice": sorted(e.advice),
    }
    if e.flags is not None:
        data["flags"] = sorted(e.flags)
    return data


def save_scenario(
    pack_path: str | Path,
    scenario: Scenario,
    *,
    pack_id: str | None = None,
    pack_title: str | None = None,
    replace: bool = False,
) -> Path:
    """Add ``scenario`` to the pack file ``pack_path`` (created if missing), atomically.

    Args:
        pack_path: the pack file. pack_id / pack_title: for a new file (default: the file's stem
            and "Authored scenarios").
        replace: replace a scenario with the same id instead of refusing.
    Returns:
        The path written.
    Raises:
        PackError: the existing file is not a valid pack (it is left untouched), or a scenario
            with that id exists and ``replace`` is false.
    """
    path = Path(pack_path)
    if path.exists():
        load_pack(path)  # refuse to write into a pack that does not validate
        data = json.loads(path.read_text(encoding="utf-8"))
    else:
        stem = re.sub(r"[^A-Za-z0-9_.-]", "-", path.stem) or "authored"
        data = {
            "schema": PACK_SCHEMA,
            "version": PACK_VERSION,
            "pack_id": pack_id or stem,
            "title": pack_title or "Authored scenarios",
            "scenarios": [],
        }
    item = scenario_to_dict(scenario)
    existing = [i for i, s in enumerate(data["scenarios"]) if s.get("id") == scenario.scenario_id]
    if existing and not replace:
        raise PackError(
            str(path), "a scenario with this id already exists", scenario.scenario_id, "id"
        )
    if existing:
        data["scenarios"][existing[0]] = item
    else:
        data["scenarios"].append(item)
    parse_pack(data, file=str(path))  # the written file must load
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(data, fh, indent=2, ensure_ascii=False)
            fh.write("\n")
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path
