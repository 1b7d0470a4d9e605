"""What the customer is asked and told before a case is recorded, in words: the ``ASSUMED-*``
flags of a quote still to be put to the customer, what confirming each means (release dialog
and ticket), and the stored acknowledgement sentence (:class:`~refund_desk.services.cases.
ReleaseConfirmation`) read back in a language.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from .. import wording
from ..policy.timeutil import CHINA_TZ
from ..wording import N_
from ..wording_rules import rule_title

ASKED_WORDS = {
    "ASSUMED-NOT-INVOICED": N_(
        "the customer was asked and said no invoice was issued and the order was bought on the "
        "official website, not the cloud marketplace"
    ),
    "ASSUMED-TZ": N_(
        "the customer was asked and confirmed the times read without a time zone (taken as "
        "China time)"
    ),
}
"""What the operator confirms for each open ``ASSUMED-*`` flag (release dialog and ticket);
English source strings, :func:`asked_words` gives them in a language."""


def open_assumptions(flags: Iterable[str] | None) -> tuple[str, ...]:
    """The ``ASSUMED-*`` flags among ``flags`` (a quote's ``flags`` or its dict's): what the
    quote took for granted and the customer must be asked about before a case is recorded."""
    return tuple(flag for flag in dict.fromkeys(flags or ()) if flag.startswith("ASSUMED-"))


MARKETPLACE_ASKED = N_(
    "the customer was asked and said the order was bought on the official website, not the "
    "cloud marketplace (an invoice was issued, as set)"
)
"""``ASSUMED-NOT-INVOICED`` where only the marketplace was not set (invoice yes: the quote
assumed the official website, ``ROUTE-INVOICED``): "said no invoice" would contradict it."""


def asked_words(flag: str, orders: Iterable[Any] = (), lang: str | None = None) -> str:
    """What confirming ``flag`` with the customer means, in words (:data:`ASKED_WORDS`), in
    ``lang`` (default: the interface language).

    Args:
        flag: an ``ASSUMED-*`` flag.
        orders: the quote's orders (``OrderQuote`` objects or their dicts, with ``flags`` and
            ``rules``): when every order carrying ``ASSUMED-NOT-INVOICED`` took
            ``ROUTE-INVOICED`` (invoice set, marketplace not), the words are
            :data:`MARKETPLACE_ASKED`.
        lang: ``"en"`` or ``"zh_CN"``; ``None`` for the interface language.
    """
    t = wording.translator(lang)
    if flag == "ASSUMED-NOT-INVOICED":
        flagged = [_rules(o) for o in orders if flag in _flags(o)]
        if flagged and all("ROUTE-INVOICED" in rules for rules in flagged):
            return t.gettext(MARKETPLACE_ASKED)
    words = ASKED_WORDS.get(flag)
    if words:
        return t.gettext(words)
    return t.gettext("the customer was asked ({title})").format(title=rule_title(flag, t.lang))


def _flags(order: Any) -> tuple[str, ...]:
    return tuple(order.get("flags", ()) if isinstance(order, Mapping) else order.flags)


def _rules(order: Any) -> tuple[str, ...]:
    return tuple(order.get("rules", ()) if isinstance(order, Mapping) else order.rules)


_CONFIRMATION = re.compile(
    r"^The customer was told that instance (?P<instance>.+?) is released immediately and all its "
    r"data \(products, devices, rules, stored data\) permanently deleted with no grace period"
    r"(?P<zero> and that the refund is 0\.00)?, and agreed; confirmed by (?P<operator>.*) at "
    r"(?P<when>\d{4}-\d\d-\d\d \d\d:\d\d) China time \[confirmation (?P<key>[^\]]*)\]"
    r"(?: \[customer asked: (?P<asked>[^\]]*)\])?\.(?: Replaces case #(?P<replaces>\d+)\.)?$"
)


def confirmation_words(sentence: str, lang: str | None = None) -> str:
    """The stored acknowledgement sentence (English, :class:`~refund_desk.services.cases.
    ReleaseConfirmation`) in ``lang``; the confirmation key and the flag ids kept as they are.
    A sentence of another shape is returned unchanged."""
    t = wording.translator(lang)
    m = _CONFIRMATION.match(sentence or "")
    if t.lang == wording.EN or m is None:
        return sentence
    when = datetime.strptime(m["when"], "%Y-%m-%d %H:%M").replace(tzinfo=CHINA_TZ)
    text = (
        t.gettext(
            "The customer was told that instance {instance_id} is released immediately and all "
            "its data (products, devices, rules, stored data) permanently deleted with no grace "
            "period and that the refund is 0.00, and agreed; confirmed by {operator} at {when} "
            "[confirmation {key}]"
        )
        if m["zero"]
        else t.gettext(
            "The customer was told that instance {instance_id} is released immediately and all "
            "its data (products, devices, rules, stored data) permanently deleted with no grace "
            "period, and agreed; confirmed by {operator} at {when} [confirmation {key}]"
        )
    ).format(
        instance_id=m["instance"],
        operator=m["operator"],
        when=wording.format_china_time(when, t.lang),
        key=m["key"],
    )
    if m["asked"]:
        text += t.gettext(" [customer asked: {flags}]").format(flags=m["asked"])
    text += t.gettext(".")
    if m["replaces"]:
        text += t.gettext(" Replaces case #{case_id}.").format(case_id=m["replaces"])
    return text
