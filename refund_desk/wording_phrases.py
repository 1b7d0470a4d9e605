"""The policy core's own English phrases read back into the interface language.

The core writes a few phrases in English as facts of a quote or of its errors: why an order is
left out (``OrderQuote.excluded_detail``), why a ticket is blocked (``Quote.blocking``,
``history_blocking``), why a cancellation time cannot be quoted (``TimeError``/``QuoteError``),
what is wrong with the audit chain (``ChainProblem.sentence()``). They are read back here, by
their fixed English shapes, into the reader's language; English, and a phrase of another shape,
is shown as it is. The rule trace's own sentences and the quote's code words are in
:mod:`refund_desk.wording_rules`.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from . import wording
from .wording import N_

_MISSING_ITEMS = {
    "payment breakdown": N_("payment breakdown"),
    "payment channel": N_("payment channel"),
    "payment time": N_("payment time"),
    "usage start": N_("usage start"),
    "usage end": N_("usage end"),
    "list price": N_("list price"),
}
_DETAIL_SHAPES = (
    (r"payment status (?P<status>.+)", N_("payment status {status}")),
    (
        r"currency (?P<currency>\S+), policy (?P<policy>\S+)",
        N_("currency {currency}, policy {policy}"),
    ),
    (r"names instances (?P<ids>.+)", N_("names instances {ids}")),
    (
        r"paid (?P<when>\S+ \S+) China time, after the cancellation",
        N_("paid {when} China time, after the cancellation"),
    ),
)


def detail_words(text: str | None, lang: str | None = None) -> str:
    """Why an order is left out (``OrderQuote.excluded_detail``: ``'missing payment channel'``)
    in ``lang``; English and unknown shapes unchanged."""
    import re

    t = wording.translator(lang)
    if not text or t.lang == wording.EN:
        return text or ""
    if text.startswith("missing "):
        items = [i.strip() for i in text[len("missing ") :].split(",")]
        if all(i in _MISSING_ITEMS for i in items):
            return t.gettext("missing {items}").format(
                items=t.gettext(", ").join(t.gettext(_MISSING_ITEMS[i]) for i in items)
            )
    for shape, words in _DETAIL_SHAPES:
        m = re.fullmatch(shape, text)
        if m:
            return t.gettext(words).format(**m.groupdict())
    return text


def blocking_words(text: str, lang: str | None = None) -> str:
    """A blocking reason of a quote (``Quote.blocking`` / ``history_blocking``) in ``lang``;
    English and unknown shapes unchanged. Rule ids stay as they are."""
    import re

    t = wording.translator(lang)
    if t.lang == wording.EN:
        return text
    m = re.fullmatch(r"order (?P<order_id>\S+): (?P<detail>.+); import it before a ticket", text)
    if m:
        return t.gettext("order {order_id}: {detail}; import it before a ticket").format(
            order_id=m["order_id"], detail=detail_words(m["detail"], t.lang)
        )
    m = re.fullmatch(
        r"order (?P<order_id>\S+) (?P<detail>.+): escalate, the money cannot be split", text
    )
    if m:
        return t.gettext("order {order_id} {detail}: escalate, the money cannot be split").format(
            order_id=m["order_id"], detail=detail_words(m["detail"], t.lang)
        )
    m = re.fullmatch(
        r"case #(?P<case_id>\d+) already replaces failed case #(?P<failed>\d+) \(ROUTE-FALLBACK\): "
        r"a second replacement cannot be recorded \(HISTORY-FALLBACK-DONE\)",
        text,
    )
    if m:
        return t.gettext(
            "case #{case_id} already replaces failed case #{failed} (ROUTE-FALLBACK): a second "
            "replacement cannot be recorded (HISTORY-FALLBACK-DONE)"
        ).format(**m.groupdict())
    m = re.fullmatch(
        r"case #(?P<case_id>\d+) \((?P<status>\w+), recorded by (?P<operator>.*) on "
        r"(?P<when>\S+ \S+) China time, (?P<amount>.+)\) is open for this instance: continue it "
        r"in Cases; a new case cannot be recorded \(HISTORY-OPEN-CASE\)",
        text,
    )
    if m:
        # The case's status and day in this module's reader's words (wording_rules imports this
        # module, hence the import here).
        from .wording_rules import _Words, case_status_words

        amount = m["amount"]
        if amount.startswith("CNY "):
            try:
                amount = wording.format_money(Decimal(amount[4:].replace(",", "")), t.lang)
            except InvalidOperation:
                pass
        elif amount == "amount not known":
            amount = t.gettext("amount not known")
        return t.gettext(
            "case #{case_id} ({status}, recorded by {operator} on {when} China time, {amount}) is "
            "open for this instance: continue it in Cases; a new case cannot be recorded "
            "(HISTORY-OPEN-CASE)"
        ).format(
            case_id=m["case_id"],
            status=case_status_words(m["status"], t.lang),
            operator=m["operator"],
            when=_Words(t.lang).day(m["when"]),
            amount=amount,
        )
    return text


_TIME_SHAPES = (
    (
        r"the cancellation (?P<when>\S+ \S+) China time is before the instance's first payment "
        r"\((?P<first>\S+ \S+)\)",
        N_("the cancellation {when} China time is before the instance's first payment ({first})"),
    ),
    (
        r"discount factor of order (?P<order_id>\S+) must be in \(0, 1\]: (?P<value>\S+)",
        N_("discount factor of order {order_id} must be in (0, 1]: {value}"),
    ),
    (
        r"(?P<moment>\S+) is out of range: the desk quotes cancellations from 2017 to "
        r"(?P<year>\d{4})",
        N_("{moment} is out of range: the desk quotes cancellations from 2017 to {year}"),
    ),
    (r"(?P<day>\S+) is not a date\.", N_("{day} is not a date.")),
    (
        r"(?P<clock>\S+) is not a time of day \(00:00 to 23:59\)\.",
        N_("{clock} is not a time of day (00:00 to 23:59)."),
    ),
    (
        r"(?P<offset>\S+) is not a UTC offset \(-12:00 to \+14:00\)\.",
        N_("{offset} is not a UTC offset (-12:00 to +14:00)."),
    ),
    (
        r"(?P<typed>'.*') is not a complete time: (?P<help>.+)\.",
        N_("{typed} is not a complete time: {help}."),
    ),
    (r"No cancellation time: (?P<help>.+)\.", N_("No cancellation time: {help}.")),
    (
        r"(?P<day>\S+) is after (?P<year>\d{4}): the desk quotes cancellations up to "
        r"(?P=year)-12-31 \(its business-day calendar ends there\)",
        N_(
            "{day} is after {year}: the desk quotes cancellations up to {year}-12-31 (its "
            "business-day calendar ends there)"
        ),
    ),
)


def time_error_words(text: str, lang: str | None = None) -> str:
    """A cancellation time the policy core could not read or quote (``TimeError`` and
    ``QuoteError`` messages, English) in ``lang``; English and unknown shapes unchanged."""
    import re

    from .policy.timeutil import TYPED_TIME_HELP

    t = wording.translator(lang)
    if t.lang == wording.EN:
        return text
    for shape, words in _TIME_SHAPES:
        m = re.fullmatch(shape, text)
        if m:
            values = m.groupdict()
            if "help" in values:
                if values["help"] != TYPED_TIME_HELP:
                    return text
                values["help"] = t.gettext(
                    "type it as 2024-12-31 01:00 (China time), with seconds (2024-12-31 01:00:30) "
                    "or an offset (2024-12-31 01:00+08:00, …Z), or type now"
                )
            return t.gettext(words).format(**values)
    return text


_AUDIT_PROBLEMS = {
    "the entry carries no hash (not chained)": N_("the entry carries no hash (not chained)"),
    "it does not follow the entry before it: an entry before it was deleted, added or changed": N_(
        "it does not follow the entry before it: an entry before it was deleted, added or changed"
    ),
    "the entry was changed after it was written": N_("the entry was changed after it was written"),
    "the case has no audit entry": N_("the case has no audit entry"),
    "the case (amounts, quote, ticket or status) was changed after this entry recorded it": N_(
        "the case (amounts, quote, ticket or status) was changed after this entry recorded it"
    ),
    "the case it records was deleted": N_("the case it records was deleted"),
}


def audit_problem_words(sentence: str, lang: str | None = None) -> str:
    """A broken audit chain's problem (``ChainProblem.sentence()``: ``'audit entry #12 (case
    #3): the entry was changed after it was written'``) in ``lang``; English and unknown shapes
    unchanged."""
    import re

    t = wording.translator(lang)
    if t.lang == wording.EN:
        return sentence
    m = re.fullmatch(
        r"(?:audit entry #(?P<entry>\d+)|audit log)(?: \(case #(?P<case>\d+)\))?: (?P<problem>.+)",
        sentence,
    )
    if m is None:
        return sentence
    problem = m["problem"]
    newest = re.fullmatch(r"the newest entry \(#(?P<n>\d+)\) is missing or was changed", problem)
    if newest:
        problem = t.gettext("the newest entry (#{entry_id}) is missing or was changed").format(
            entry_id=newest["n"]
        )
    elif problem in _AUDIT_PROBLEMS:
        problem = t.gettext(_AUDIT_PROBLEMS[problem])
    else:
        return sentence
    where = (
        t.gettext("audit entry #{entry_id}").format(entry_id=m["entry"])
        if m["entry"]
        else t.gettext("audit log")
    )
    if m["case"]:
        where += t.gettext(" (case #{case_id})").format(case_id=m["case"])
    return t.gettext("{where}: {problem}").format(where=where, problem=problem)
