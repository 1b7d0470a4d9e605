"""What one record of an export says about an order, an instance or an account.

Parsers (:mod:`.bss`, :mod:`.csvfile`) turn a file into a :class:`ParsedFile` of facts without
touching the database; :mod:`.importer` merges the facts into the store. Values are already in
storage form: money as integer hundredths (``*_fen``), times as aware UTC datetimes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal, overload

from ..errors import ImportRejected
from ..policy.money import MoneyError, parse_fen
from ..policy.timeutil import TimeError, parse_time
from ..safetext import unsafe_char

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

CHANNEL_RE = re.compile(r"[A-Za-z][A-Za-z0-9_]{0,39}")  # fullmatch
# Ids as Alibaba Cloud writes them ("241559391310333", "iot-cn-7pp2mhxqz01", "TX2415…"): ASCII
# letters and digits, then also ".", "_" or "-", at most 64 characters. Starting with a letter or
# digit, an id can never be read as a spreadsheet formula ("=HYPERLINK(…)", "+1", "@x").
ID_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")  # fullmatch
TEXT_MAX = 200  # characters of any other text field (an account name is the longest column)
# Times the desk reads: IoT Platform subscriptions began long after 2000, and a usage period
# ends well before 2100 (the business-day calendar is not estimated beyond it either). A time
# outside is a broken export, not an order.
TIME_MIN = datetime(2000, 1, 1, tzinfo=UTC)
TIME_MAX = datetime(2100, 1, 1, tzinfo=UTC)  # exclusive


@dataclass(slots=True)
class OrderFacts:
    """What one record says about one order.

    ``values`` are order columns the record states (they replace stored values: last import
    wins); ``weak`` are columns a ``QueryBill`` item also carries, used only while no full order
    record (``GetOrderDetail`` or a CSV row naming instances) has been imported; ``instance_ids``
    is ``None`` when the record does not name instances; ``declared_kind`` applies to the named
    instances (CSV ``new_public``); ``bills`` are the ``QueryBill`` records of the order in this
    file, by record key (``SubOrderId``, ``""`` when the item has none): each
    ``{"cash_fen", "voucher_fen", "coupon_fen", "prepaid_card_fen", "list_price_fen"}`` — the
    order's breakdown is the sum of all its distinct records, whichever files they came in."""

    order_id: str
    record: str
    values: dict[str, Any] = field(default_factory=dict)
    weak: dict[str, Any] = field(default_factory=dict)
    instance_ids: tuple[str, ...] | None = None
    declared_kind: str | None = None
    bills: dict[str, dict[str, int]] | None = None


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
    order fact (e.g. a recharge in ``QueryAccountTransactions``); ``case_notes`` counts enumerated
    values read in another letter case (``{(field, as written, as read): n}``)."""

    path: str
    export: str
    orders: list[OrderFacts] = field(default_factory=list)
    instances: list[InstanceFacts] = field(default_factory=list)
    accounts: dict[str, str | None] = field(default_factory=dict)
    records: int = 0
    skipped: int = 0
    case_notes: dict[tuple[str, str, str], int] = field(default_factory=dict)
    # Refund orders and instance statuses (RULES.md §7), read by .history_exports.
    history: list[Any] = field(default_factory=list)


class Fields:
    """Field readers for one record, raising :class:`ImportRejected` naming file, record, field.

    ``case_notes`` (shared by the records of one file) counts enumerated values given in another
    letter case and read as the canonical value (see :meth:`choice`)."""

    def __init__(
        self,
        path: str,
        record: str,
        data: dict[str, Any],
        *,
        naive_is: str = "utc",
        case_notes: dict[tuple[str, str, str], int] | None = None,
    ):
        self.path = path
        self.record = record
        self.data = data
        self.naive_is = naive_is
        self.assumed_tz = False
        self.case_notes = case_notes if case_notes is not None else {}

    def fail(self, name: str | None, message: str) -> ImportRejected:
        return ImportRejected(self.path, message, record=self.record, field=name)

    def has(self, name: str) -> bool:
        value = self.data.get(name)
        return value is not None and not (isinstance(value, str) and not value.strip())

    @overload
    def text(self, name: str, *, required: Literal[True], max_len: int = TEXT_MAX) -> str: ...
    @overload
    def text(self, name: str, *, required: bool = False, max_len: int = TEXT_MAX) -> str | None: ...
    def text(self, name: str, *, required: bool = False, max_len: int = TEXT_MAX) -> str | None:
        """The field as text (stripped), ``None`` when absent or blank.

        Raises ImportRejected: required but missing/blank, not text (an object, a list, a
        boolean), a control character, line break or text-direction control inside, or longer
        than ``max_len`` characters."""
        value = self.data.get(name)
        if type(value) is str:  # the common case (JSON numbers arrive as their literal text too)
            stripped = value.strip()
            if stripped:
                return self.text_of(name, stripped, max_len)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                raise self.fail(name, "missing" if name not in self.data else "empty")
            return None
        if isinstance(value, bool) or not isinstance(value, str | int):
            raise self.fail(name, f"expected text, got {shown(value)}")
        return self.text_of(name, str(value).strip(), max_len)

    def text_of(self, name: str, text: str, max_len: int = TEXT_MAX) -> str:
        """``text`` checked as :meth:`text` checks a field (length, unsafe characters)."""
        if len(text) > max_len:
            raise self.fail(name, f"too long ({len(text)} characters, at most {max_len})")
        bad = unsafe_char(text)
        if bad is not None:
            raise self.fail(name, f"contains {bad}")
        return text

    @overload
    def ident(self, name: str, *, required: Literal[True]) -> str: ...
    @overload
    def ident(self, name: str, *, required: bool = False) -> str | None: ...
    def ident(self, name: str, *, required: bool = False) -> str | None:
        value = self.text(name, required=required, max_len=64)
        if value is not None and not ID_RE.fullmatch(value):
            raise self.fail(
                name,
                f"not a valid id: {shown(value)} (letters, digits, '.', '_' or '-', starting "
                "with a letter or digit)",
            )
        return value

    def choice(self, name: str, allowed: tuple[str, ...], *, required: bool = False) -> str | None:
        """One of the enumerated values ``allowed``. The same value in another letter case
        (``"new"``, ``"PAID"``) is read as the allowed spelling and counted in :attr:`case_notes`;
        anything else rejects the record naming the field and the values allowed."""
        value = self.text(name, required=required, max_len=64)
        if value is None or value in allowed:
            return value
        canonical = self.same_but_case(name, value, allowed)
        if canonical is None:
            raise self.fail(name, f"{shown(value)} is not one of {', '.join(allowed)}")
        return canonical

    def same_but_case(self, name: str, value: str, allowed: tuple[str, ...]) -> str | None:
        """The value of ``allowed`` that equals ``value`` but for letter case (counted in
        :attr:`case_notes`), or ``None``."""
        folded = value.casefold()
        for canonical in allowed:
            if canonical.casefold() == folded:
                key = (name, value, canonical)
                self.case_notes[key] = self.case_notes.get(key, 0) + 1
                return canonical
        return None

    def time(self, name: str, *, required: bool = False) -> datetime | None:
        value = self.text(name, required=required, max_len=64)
        if value is None:
            return None
        if len(value) == 20 and value[19] == "Z" and value[10] == "T":  # 2024-01-10T02:00:00Z
            try:
                moment = datetime.fromisoformat(value)  # Python 3.11 reads "Z" as UTC
            except ValueError:
                pass  # the full parser says what is wrong
            else:
                if TIME_MIN <= moment < TIME_MAX:
                    return moment
                raise self._out_of_range(name, value)
        try:
            moment, assumed = parse_time(value, naive_is=self.naive_is)
            moment = moment.astimezone(UTC)
        except TimeError as exc:
            raise self.fail(name, str(exc)) from None
        except OverflowError:  # "0001-01-01T00:00:00+08:00" is before datetime.min in UTC
            raise self._out_of_range(name, value) from None
        if not TIME_MIN <= moment < TIME_MAX:
            raise self._out_of_range(name, value)
        self.assumed_tz = self.assumed_tz or assumed
        return moment

    def _out_of_range(self, name: str, value: str) -> ImportRejected:
        return self.fail(name, f"{value!r} is out of range (the desk reads times 2000–2099)")

    @overload
    def fen(self, name: str, *, required: Literal[True]) -> int: ...
    @overload
    def fen(self, name: str, *, required: bool = False) -> int | None: ...
    def fen(self, name: str, *, required: bool = False) -> int | None:
        """The amount in fen (:func:`~refund_desk.policy.money.parse_fen`: the desk's one amount
        grammar), ``None`` when absent or blank. Raises ImportRejected naming the field."""
        value = self.data.get(name)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                raise self.fail(name, "missing" if name not in self.data else "empty")
            return None
        try:
            return parse_fen(value)
        except MoneyError as exc:
            raise self.fail(name, str(exc)) from None

    def currency(self, name: str, *, required: bool = False) -> str | None:
        value = self.text(name, required=required, max_len=16)
        if value is None or value in ISO_4217:
            return value
        if value.upper() in ISO_4217:
            key = (name, value, value.upper())
            self.case_notes[key] = self.case_notes.get(key, 0) + 1
            return value.upper()
        raise self.fail(name, f"not an ISO 4217 currency code: {value!r}")

    def usage(self, start_name: str, end_name: str) -> tuple[datetime | None, datetime | None]:
        start = self.time(start_name)
        end = self.time(end_name)
        if start is not None and end is not None and end < start:
            raise self.fail(
                end_name, f"usage ends ({end.isoformat()}) before it starts ({start.isoformat()})"
            )
        return start, end


def shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "…"
