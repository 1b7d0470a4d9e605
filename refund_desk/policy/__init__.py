"""The refund policy core: pure Python, no Qt, no SQLAlchemy.

Entry point: :func:`quote` (an :class:`InstanceInput` and a cancellation time → a :class:`Quote`).
The rules are RULES.md, policy ``iot-platform-refund`` (see :mod:`.definition`).
"""

from .calendar import BusinessCalendar, china_calendar, holidays_source
from .definition import (
    ACCOUNT_BALANCE,
    ALIPAY,
    IOT_PLATFORM_REFUND_V1,
    ONLINE_BANKING,
    POLICIES,
    PolicyDefinition,
    UnknownPolicyError,
    get_policy,
    policy_in_force,
)
from .engine import QuoteError, dates_counted_from, quote
from .model import (
    OPEN_CASE_STATUSES,
    CaseFact,
    Exclusion,
    InstanceHistory,
    InstanceInput,
    InstanceKind,
    NotRecordable,
    OrderInput,
    OrderOptions,
    OrderQuote,
    Outcome,
    PaymentBreakdown,
    Quote,
    RefundOrderFact,
    Route,
    TraceEntry,
)
from .money import MoneyError, format_cny, from_fen, parse_amount, to_fen
from .rules import RULES
from .serialize import quote_to_dict
from .timeutil import (
    CHINA_TZ,
    TimeError,
    TypedTime,
    china_date,
    format_typed_time,
    parse_time,
    parse_typed_time,
)

__all__ = [
    "ACCOUNT_BALANCE",
    "ALIPAY",
    "BusinessCalendar",
    "CHINA_TZ",
    "CaseFact",
    "Exclusion",
    "IOT_PLATFORM_REFUND_V1",
    "InstanceHistory",
    "InstanceInput",
    "InstanceKind",
    "MoneyError",
    "ONLINE_BANKING",
    "OPEN_CASE_STATUSES",
    "NotRecordable",
    "OrderInput",
    "OrderOptions",
    "OrderQuote",
    "Outcome",
    "POLICIES",
    "PaymentBreakdown",
    "PolicyDefinition",
    "Quote",
    "QuoteError",
    "RULES",
    "RefundOrderFact",
    "Route",
    "TimeError",
    "TypedTime",
    "TraceEntry",
    "UnknownPolicyError",
    "china_calendar",
    "china_date",
    "format_cny",
    "format_typed_time",
    "from_fen",
    "get_policy",
    "holidays_source",
    "parse_amount",
    "parse_time",
    "parse_typed_time",
    "policy_in_force",
    "quote",
    "dates_counted_from",
    "quote_to_dict",
    "to_fen",
]
