"""What one record of an export says about an order, an instance or an account.

Parsers (:mod:`.bss`, :mod:`.csvfile`) turn a file into a :class:`ParsedFile` of facts without
touching the database; :mod:`.importer` merges the facts into the store. Values are already in
storage form: money as integer hundredths (``*_fen``), times as aware UTC datetimes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from ..errors import ImportRejected
from ..policy.money import MoneyError, parse_amount, to_fen
from ..policy.timeutil import TimeError, parse_time

# Active ISO 4217 currency codes (an order in another valid currency is stored; the quote
# excludes it). A code outside this list is an error in the file.
ISO_4217 = frozenset(
    """
    AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL BSD BTN BWP
    BYN BZD CAD CDF CHF CLP CNY COP CRC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP
    GEL GHS GIP GMD GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY KES KGS KHR
    KMF KPW KRW KWD KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK
    MXN MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR RON RSD RUB RWF SAR
    SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN SVC SYP SZL THB TJS TMT TND TOP TRY TTD TWD TZS
    UAH UGX USD UYU UZS VES VND VUV WST XAF XCD XCG XOF XPF YER ZAR ZMW ZWG
    """.split()
)

CHANNEL_RE = re.compile(r"^[A-Za-z][A-Za-z0-9_]{0,39}$")
# "1464", "1464.5", "1464.00" (what the exports send); anything else takes the full parser, which
# rejects negative, non-finite and sub-fen amounts with a reason.
PLAIN_AMOUNT = re.compile(r"^\s*([0-9]{1,15})(?:\.([0-9]{1,2}))?\s*$")
ID_RE = re.compile(r"^[\x21-\x7e]{1,64}$")  # printable ASCII, no spaces, at most 64 characters


@dataclass(slots=True)
class OrderFacts:
    """What one record says about one order.

    ``values`` are order columns the record states (they replace stored values: last import
    wins); ``weak`` are columns a ``QueryBill`` item also carries, used only while no full order
    record (``GetOrderDetail`` or a CSV row naming instances) has been imported; ``instance_ids``
    is ``None`` when the record does not name instances; ``declared_kind`` applies to the named
    instances (CSV ``new_public``)."""

    order_id: str
    record: str
    values: dict[str, Any] = field(default_factory=dict)
    weak: dict[str, Any] = field(default_factory=dict)
    instance_ids: tuple[str, ...] | None = None
    declared_kind: str | None = None


@dataclass(slots=True)
class InstanceFacts:
    """A CSV declaration of an instance (e.g. a free ``new_public`` one that has no order)."""

    instance_id: str
    record: str
    declared_kind: str
    account_id: str | None = None
    region: str | None = None


@dataclass(slots=True)
class ParsedFile:
    """One file, fully validated: the export it is, its order facts, instance declarations, and
    account names (``{account_id: name or None}``); ``skipped`` counts records that carry no
    order fact (e.g. a recharge in ``QueryAccountTransactions``)."""

    path: str
    export: str
    orders: list[OrderFacts] = field(default_factory=list)
    instances: list[InstanceFacts] = field(default_factory=list)
    accounts: dict[str, str | None] = field(default_factory=dict)
    records: int = 0
    skipped: int = 0
    # Refund orders and instance statuses (RULES.md §7), read by .history_exports.
    history: list[Any] = field(default_factory=list)


class Fields:
    """Field readers for one record, raising :class:`ImportRejected` naming file, record, field."""

    def __init__(self, path: str, record: str, data: dict[str, Any], *, naive_is: str = "utc"):
        self.path = path
        self.record = record
        self.data = data
        self.naive_is = naive_is
        self.assumed_tz = False

    def fail(self, name: str | None, message: str) -> ImportRejected:
        return ImportRejected(self.path, message, record=self.record, field=name)

    def has(self, name: str) -> bool:
        value = self.data.get(name)
        return value is not None and not (isinstance(value, str) and not value.strip())

    def text(self, name: str, *, required: bool = False) -> str | None:
        value = self.data.get(name)
        if type(value) is str:  # the common case, kept fast
            stripped = value.strip()
            if stripped:
                return stripped
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                raise self.fail(name, "missing" if name not in self.data else "empty")
            return None
        if isinstance(value, bool) or not isinstance(value, str | int):
            raise self.fail(name, f"expected text, got {value!r}")
        return str(value).strip()

    def ident(self, name: str, *, required: bool = False) -> str | None:
        value = self.text(name, required=required)
        if value is not None and not ID_RE.match(value):
            raise self.fail(name, f"not a valid id: {value!r}")
        return value

    def time(self, name: str, *, required: bool = False) -> datetime | None:
        value = self.text(name, required=required)
        if value is None:
            return None
        if len(value) == 20 and value[19] == "Z" and value[10] == "T":  # 2024-01-10T02:00:00Z
            try:
                return datetime.fromisoformat(value)  # Python 3.11 reads "Z" as UTC
            except ValueError:
                pass  # the full parser says what is wrong
        try:
            moment, assumed = parse_time(value, naive_is=self.naive_is)
        except TimeError as exc:
            raise self.fail(name, str(exc)) from None
        self.assumed_tz = self.assumed_tz or assumed
        return moment.astimezone(UTC)

    def fen(self, name: str, *, required: bool = False) -> int | None:
        value = self.data.get(name)
        kind = type(value)
        if kind is str or kind is float:  # plain "1464.00" / 1464.0: exact without Decimal
            plain = PLAIN_AMOUNT.match(value if kind is str else repr(value))
            if plain:
                return int(plain[1]) * 100 + int((plain[2] or "").ljust(2, "0"))
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                raise self.fail(name, "missing" if name not in self.data else "empty")
            return None
        try:
            return to_fen(parse_amount(value))
        except MoneyError as exc:
            raise self.fail(name, str(exc)) from None

    def currency(self, name: str, *, required: bool = False) -> str | None:
        value = self.text(name, required=required)
        if value is not None and value not in ISO_4217:
            raise self.fail(name, f"not an ISO 4217 currency code: {value!r}")
        return value

    def usage(self, start_name: str, end_name: str) -> tuple[datetime | None, datetime | None]:
        start = self.time(start_name)
        end = self.time(end_name)
        if start is not None and end is not None and end < start:
            raise self.fail(
                end_name, f"usage ends ({end.isoformat()}) before it starts ({start.isoformat()})"
            )
        return start, end
