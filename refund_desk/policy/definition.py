"""Versioned policy definitions: every constant of the refund rules lives here, once.

A later rule change is a new :class:`PolicyDefinition` with a later ``effective_from``, added to
:data:`POLICIES`; a quote records the ``policy_id`` and ``version`` it was computed under and can be
recomputed under any registered version.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from types import MappingProxyType

# Policy channel names (RULES.md §3).
ALIPAY = "alipay"
ONLINE_BANKING = "online_banking"
ACCOUNT_BALANCE = "account_balance"
POLICY_CHANNELS = (ALIPAY, ONLINE_BANKING, ACCOUNT_BALANCE)


@dataclass(frozen=True, slots=True)
class PolicyDefinition:
    """One version of the refund policy (RULES.md is ``iot-platform-refund`` version 1).

    Attributes:
        policy_id / version: identify the policy; a quote records both.
        effective_from: first cancellation date (China time) this version governs.
        cutoff_date: ``DATE-CUTOFF`` — payments dated after it (China time) may go back by the
            original method.
        window_days: ``DATE-WINDOW`` — cancellation at most this many days after payment.
        window_months: the "18 calendar months" reading checked for ``BORDERLINE-WINDOW``.
        process_business_days: ``ETA-PROCESS``.
        bank_business_days: ``ETA-BANK`` (min, max) after processing.
        channel_map: BSS ``TransactionChannel`` → policy channel; others are ``CHANNEL-UNLISTED``.
        currency: the policy's currency; orders in others are excluded.
        last_published_holiday_year: last year with a published State Council holiday schedule;
            later dates raise ``ETA-CALENDAR-ESTIMATE``.
        product_coefficient: ``AMOUNT-CONSUMED`` product coefficient (1 for IoT Platform).
    """

    policy_id: str
    version: int
    effective_from: date
    cutoff_date: date
    window_days: int
    window_months: int
    process_business_days: int
    bank_business_days: tuple[int, int]
    channel_map: Mapping[str, str] = field(default_factory=dict)
    currency: str = "CNY"
    last_published_holiday_year: int = 2026
    product_coefficient: Decimal = Decimal(1)

    @property
    def label(self) -> str:
        """``'iot-platform-refund v1'``."""
        return f"{self.policy_id} v{self.version}"

    def destination_for(self, bss_channel: str) -> tuple[str, bool]:
        """Map a BSS ``TransactionChannel`` to a refund destination.

        Returns:
            ``(destination, listed)``: the policy channel for a mapped value, else the BSS value
            itself with ``listed=False`` (``CHANNEL-UNLISTED``).
        """
        mapped = self.channel_map.get(bss_channel)
        if mapped is None:
            return bss_channel, False
        return mapped, True


DEFAULT_CHANNEL_MAP: Mapping[str, str] = MappingProxyType(
    {
        "Alipay": ALIPAY,
        "BankTransfer": ONLINE_BANKING,  # desk decision: the API has no "online banking" value
        "AccountBalance": ACCOUNT_BALANCE,
    }
)

IOT_PLATFORM_REFUND_V1 = PolicyDefinition(
    policy_id="iot-platform-refund",
    version=1,
    # Desk decision: v1 governs every cancellation the desk can see (IoT Platform billing began
    # before the 2019 cut-off, and no earlier version is documented).
    effective_from=date(2017, 1, 1),
    cutoff_date=date(2019, 3, 29),
    window_days=548,
    window_months=18,
    process_business_days=2,
    bank_business_days=(2, 3),
    channel_map=DEFAULT_CHANNEL_MAP,
    currency="CNY",
    last_published_holiday_year=2026,
    product_coefficient=Decimal(1),
)

POLICIES: dict[tuple[str, int], PolicyDefinition] = {
    (IOT_PLATFORM_REFUND_V1.policy_id, IOT_PLATFORM_REFUND_V1.version): IOT_PLATFORM_REFUND_V1,
}


class UnknownPolicyError(LookupError):
    """No registered policy matches (raised by :func:`get_policy` / :func:`policy_in_force`)."""


def get_policy(version: int, policy_id: str = "iot-platform-refund") -> PolicyDefinition:
    """The registered definition for ``(policy_id, version)``.

    Raises:
        UnknownPolicyError: no such version is registered.
    """
    try:
        return POLICIES[(policy_id, version)]
    except KeyError:
        raise UnknownPolicyError(f"no policy {policy_id} version {version}") from None


def policy_in_force(on: date, policy_id: str = "iot-platform-refund") -> PolicyDefinition:
    """The latest version of ``policy_id`` whose ``effective_from`` is on or before ``on``.

    Args:
        on: the cancellation date in China time.
    Raises:
        UnknownPolicyError: no version was in force on that date.
    """
    candidates = [
        p for (pid, _), p in POLICIES.items() if pid == policy_id and p.effective_from <= on
    ]
    if not candidates:
        raise UnknownPolicyError(f"no version of {policy_id} in force on {on.isoformat()}")
    return max(candidates, key=lambda p: p.version)
