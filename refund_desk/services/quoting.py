"""Quote an instance stored in the desk's database."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import TYPE_CHECKING

from ..policy import OrderOptions, PolicyDefinition, Quote, quote

if TYPE_CHECKING:
    from ..store import OrderStore


def quote_instance(
    store: OrderStore,
    instance_id: str,
    cancel_at: datetime,
    options: Mapping[str, OrderOptions] | None = None,
    *,
    policy: PolicyDefinition | None = None,
    cancel_at_assumed_tz: bool = False,
) -> Quote:
    """Load ``instance_id`` and all its orders from ``store`` and quote it.

    Args:
        store: an open :class:`refund_desk.store.OrderStore`.
        instance_id: the instance to quote.
        cancel_at: aware cancellation time. options: what-if inputs per order id.
        policy: a policy version; default the one in force on the cancellation date.
        cancel_at_assumed_tz: the time was typed without an offset (flag ``ASSUMED-TZ``).
    Returns:
        The :class:`~refund_desk.policy.Quote`.
    Raises:
        refund_desk.errors.UnknownInstanceError: no such instance.
        refund_desk.policy.QuoteError: naive time or bad discount factor.
    """
    instance = store.instance_input(instance_id)
    return quote(
        instance, cancel_at, options, policy=policy, cancel_at_assumed_tz=cancel_at_assumed_tz
    )
