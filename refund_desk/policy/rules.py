"""The catalogue of rule, warning, advice and flag ids (RULES.md), and plain-sentence explanations.

The engine returns ids and facts (:class:`~refund_desk.policy.model.TraceEntry`); this module
turns them into one plain English sentence each. The UI, tickets and training all use
:func:`explain`, so an operator reads the same words everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass

from .model import TraceEntry


@dataclass(frozen=True, slots=True)
class RuleInfo:
    """One id of RULES.md: its kind (rule, warning, advice, flag), section and short title."""

    rule_id: str
    kind: str
    section: str
    title: str


_CATALOGUE = [
    ("KIND-NEW-PUBLIC", "rule", "§1", "New public instance: free, nothing to refund"),
    ("KIND-OLD-PUBLIC", "rule", "§1", "Old public instance: pay-as-you-go, not refundable"),
    ("KIND-ENTERPRISE", "rule", "§1", "Enterprise Edition instance: refundable by ticket"),
    ("METHOD-TICKET", "rule", "§1", "Refunds are requested by ticket"),
    ("TIME-ZONE", "rule", "§2", "Dates are judged in China Standard Time (UTC+8)"),
    ("DATE-CUTOFF", "rule", "§2", "Paid after 2019-03-29 (China date)"),
    ("DATE-WINDOW", "rule", "§2", "Cancelled within 548 days of payment"),
    ("ROUTE-LATE", "rule", "§3", "Refund to account balance: early payment or window passed"),
    ("ROUTE-INVOICED", "rule", "§3", "Refund to account balance: invoice already issued"),
    ("ROUTE-ORIGINAL", "rule", "§3", "Refund by the original payment method"),
    ("ROUTE-FALLBACK", "rule", "§3", "Original-method refund failed: account balance"),
    ("AMOUNT-BASIS", "rule", "§4", "Only cash and prepaid card are refundable"),
    ("AMOUNT-CONSUMED", "rule", "§4", "The consumed part is deducted"),
    ("AMOUNT-PENDING-RENEWAL", "rule", "§4", "A renewal not yet started is refunded in full"),
    ("AMOUNT-ROUNDING", "rule", "§4", "Refund rounded down, consumed rounded up, to the fen"),
    ("ETA-PROCESS", "rule", "§5", "Processed within 2 business days"),
    ("ETA-BANK", "rule", "§5", "Online banking: credited 2–3 business days after processing"),
    ("WARN-RELEASE-DELETE", "warning", "§1", "Instance released at once, all data deleted"),
    ("WARN-ZERO-REFUND", "warning", "§4", "The refund is 0.00"),
    ("ADVICE-DISABLE-DEVICES", "advice", "§1", "Disable all devices to stop charges"),
    ("ADVICE-RETURN-INVOICE", "advice", "§3", "Return the invoice, then withdraw the balance"),
    ("BORDERLINE-CUTOFF", "flag", "§2", "Paid on the cut-off day 2019-03-29"),
    ("BORDERLINE-WINDOW", "flag", "§2", "548 days and 18 calendar months disagree"),
    ("ASSUMED-TZ", "flag", "§2", "A time had no offset: China time assumed"),
    ("ASSUMED-NOT-INVOICED", "flag", "§3", "Invoice or marketplace not set: assumed"),
    ("CHANNEL-UNLISTED", "flag", "§3", "Payment channel not named by the policy"),
    ("DATA-MISSING", "flag", "§4", "Payment breakdown or channel not imported yet"),
    ("ETA-CALENDAR-ESTIMATE", "flag", "§5", "Holiday schedule not yet published: estimate"),
    ("HISTORY-REFUNDED", "rule", "§7", "Already refunded: a refund order or a refunded case"),
    ("HISTORY-RELEASED", "rule", "§7", "Released: nothing can be refunded"),
    ("HISTORY-OPEN-CASE", "rule", "§7", "A case is open for this instance: continue it"),
    ("HISTORY-FALLBACK-DONE", "rule", "§7", "The account-balance replacement is already recorded"),
]

RULES: dict[str, RuleInfo] = {row[0]: RuleInfo(*row) for row in _CATALOGUE}
"""Every id of RULES.md, by id."""

# Words for the codes of a quote: the window, the CLI text, tickets and training all use these.
OUTCOME_WORDS = {
    "refundable": "Refundable by ticket",
    "not_refundable": "Not refundable",
    "nothing_to_refund": "Nothing to refund",
    "already_refunded": "Already refunded",
    "released": "Released — nothing can be refunded",
}
KIND_WORDS = {
    "enterprise": "Enterprise Edition instance, subscription billing",
    "old_public": "Old public instance, pay-as-you-go",
    "new_public": "New public instance, free",
}
ROUTE_WORDS = {"original_method": "original method", "account_balance": "account balance"}

DESTINATION_LABELS = {
    "alipay": "Alipay account used for payment",
    "online_banking": "online-banking account used for payment",
    "account_balance": "Alibaba Cloud account balance",
}


def destination_label(destination: str | None) -> str:
    """A destination code → words (``'alipay'`` → ``'Alipay account used for payment'``);
    an unlisted BSS channel keeps its name (``'CreditCard (unlisted channel)'``)."""
    if destination is None:
        return "—"
    return DESTINATION_LABELS.get(destination, f"{destination} (unlisted channel)")


def _yes(value: str) -> bool:
    return value == "True"


def explain(entry: TraceEntry) -> str:
    """One plain sentence saying why ``entry.rule_id`` applied, with the entry's facts.

    Args:
        entry: a trace entry of a :class:`~refund_desk.policy.model.Quote`.
    Returns:
        An English sentence (no trailing id); unknown ids fall back to the catalogue title.
    """
    f = entry.fact
    rid = entry.rule_id
    if rid == "KIND-NEW-PUBLIC":
        return "A new public instance is free of charge, so there is nothing to refund."
    if rid == "KIND-OLD-PUBLIC":
        return "An old public instance is pay-as-you-go and does not support refunds."
    if rid == "KIND-ENTERPRISE":
        return "An Enterprise Edition subscription instance can be refunded."
    if rid == "METHOD-TICKET":
        return "The refund is requested by submitting a ticket; the desk drafts it."
    if rid == "TIME-ZONE":
        if f("paid_utc"):
            return f"Paid {f('paid_utc')} UTC, which is {f('paid_china')} China time."
        return "Dates are judged in China Standard Time (UTC+8)."
    if rid == "DATE-CUTOFF":
        if _yes(f("after")):
            return f"Paid {f('paid')} (China date), after the cut-off {f('cutoff')}."
        return f"Paid {f('paid')} (China date), not after the cut-off {f('cutoff')}."
    if rid == "DATE-WINDOW":
        within = "within" if _yes(f("within")) else "beyond"
        return (
            f"Cancelled {f('days')} days after payment, {within} the {f('limit')}-day window "
            f"(last day inside: {f('window_end')})."
        )
    if rid == "ROUTE-LATE":
        return f"The refund goes to the account balance because the order was {f('reason')}."
    if rid == "ROUTE-INVOICED":
        return (
            "An invoice was issued for this official-website order, so the refund goes to the "
            "account balance."
        )
    if rid == "ROUTE-ORIGINAL":
        where = f("destination")
        return (
            f"Paid by {f('channel')}: the refund goes back the original way, to the "
            f"{destination_label(where)}."
        )
    if rid == "ROUTE-FALLBACK":
        return "The original-method refund failed, so the refund goes to the account balance."
    if rid == "AMOUNT-BASIS":
        return (
            f"Refundable basis {f('basis')} = cash {f('cash')} + prepaid card {f('prepaid_card')}; "
            f"vouchers {f('voucher')} and coupons {f('coupon')} are never refunded."
        )
    if rid == "AMOUNT-CONSUMED":
        discount = "" if f("discount") == "1" else f" × discount {f('discount')}"
        ended = " (the period has ended: all of it is consumed)" if _yes(f("ended")) else ""
        return (
            f"Consumed {f('consumed')} = list price {f('list_price')} ÷ {f('order_days')} days "
            f"× {f('used_days')} days used{discount}{ended}."
        )
    if rid == "AMOUNT-PENDING-RENEWAL":
        kind = "renewal" if f("order_type") in ("", "Renew") else f"{f('order_type')} order"
        return (
            f"This {kind}'s period starts {f('usage_start')} China time, after the "
            f"cancellation: nothing is consumed and its whole basis {f('basis')} is refunded."
        )
    if rid == "AMOUNT-ROUNDING":
        return (
            f"Refund {f('refund')} rounded down and consumed {f('consumed')} rounded up to the fen."
        )
    if rid == "ETA-PROCESS":
        if f("requested_on"):  # a replacement (ROUTE-FALLBACK), requested after the cancellation
            return (
                f"Expected to be processed by {f('processed_by')}: {f('days')} business days "
                f"after the replacement was requested on {f('requested_on')} (the cancellation "
                f"was on {f('cancel_date')}; mainland China calendar)."
            )
        return (
            f"Expected to be processed by {f('processed_by')}: {f('days')} business days after "
            f"the cancellation date {f('cancel_date')} (mainland China calendar)."
        )
    if rid == "ETA-BANK":
        return (
            f"Online banking: the bank is expected to credit it {f('low')}–{f('high')} business "
            f"days after processing, between {f('start')} and {f('end')}."
        )
    if rid == "WARN-RELEASE-DELETE":
        return (
            "When the refund is granted the instance is released immediately and all its data is "
            "permanently deleted; it cannot be recovered."
        )
    if rid == "WARN-ZERO-REFUND":
        return (
            "The refund is 0.00: the customer would lose the instance and its data and get "
            "nothing back."
        )
    if rid == "ADVICE-DISABLE-DEVICES":
        return "Advise disabling all devices; once all are disabled the instance stops charging."
    if rid == "ADVICE-RETURN-INVOICE":
        return (
            "Advise returning the invoice, then withdrawing the balance to the original channel "
            "(or by balance withdrawal)."
        )
    if rid == "BORDERLINE-CUTOFF":
        return (
            f"Paid on {f('paid')}, the cut-off day itself: check the payment time with billing "
            "before promising the route."
        )
    if rid == "BORDERLINE-WINDOW":
        inside = "inside" if _yes(f("within_days")) else "outside"
        return (
            f"{f('days')} days is {inside} the 548-day window but 18 calendar months ended "
            f"{f('months_end')}: the 548 days decide; confirm with billing if the customer asks."
        )
    if rid == "ASSUMED-TZ":
        what = f("what") or "a time of this order"
        return f"The {what} had no time zone and was taken as China time: check it."
    if rid == "ASSUMED-NOT-INVOICED":
        # Only what is not set is said to be assumed: never "not set" for a fact set.
        if f("unknown") == "invoice":
            return (
                "Invoice not set: assumed no invoice was issued (bought on the official website, "
                "as set). Ask the customer and set it if an invoice was issued."
            )
        if f("unknown") == "marketplace":
            return (
                "Marketplace not set: assumed bought on the official website, so the invoice "
                "sends the refund to the account balance. Ask the customer and set it if the "
                "order was bought on the cloud marketplace."
            )
        return (
            "Invoice and marketplace are not set: assumed no invoice, official website. Ask the "
            "customer and set them if an invoice was issued."
        )
    if rid == "CHANNEL-UNLISTED":
        return (
            f"Paid by {f('channel')}, a channel the policy does not name: assumed to go back the "
            "original way; confirm with billing."
        )
    if rid == "DATA-MISSING":
        return f"Data not imported yet ({f('detail')}): import it; the desk never guesses."
    if rid == "ETA-CALENDAR-ESTIMATE":
        return (
            f"The holiday schedule after {f('last_year')} is not yet published: the dates are an "
            "estimate."
        )
    if rid == "HISTORY-REFUNDED":
        amount = f" of CNY {f('amount')}" if f("amount") else ""
        when = f" on {f('when')} China time" if f("when") else ""
        if f("source") == "case":
            return (
                f"Case #{f('case_id')} (recorded by {f('operator')}) was marked refunded{when}"
                f"{amount}: the instance is already refunded; no new case may be recorded."
            )
        related = f", refunding order {f('related')}," if f("related") else ""
        return (
            f"The billing data holds refund order {entry.order_id}{related} made{when}{amount}: "
            "the instance is already refunded; no new case may be recorded."
        )
    if rid == "HISTORY-RELEASED":
        when = f" on {f('when')} China time" if f("when") else ""
        status = f" (status {f('status')})" if f("status") else ""
        return (
            f"The billing data says the instance was released{when}{status} and holds no refund "
            "for it: nothing can be refunded and no case may be recorded."
        )
    if rid == "HISTORY-OPEN-CASE":
        amount = f", CNY {f('amount')}" if f("amount") else ""
        return (
            f"Case #{f('case_id')} is open ({f('status')}, recorded by {f('operator')} on "
            f"{f('when')} China time{amount}): the figures are a what-if; continue that case, a "
            "new one cannot be recorded."
        )
    if rid == "HISTORY-FALLBACK-DONE":
        return (
            f"The original-method refund of case #{f('replaces')} failed and case "
            f"#{f('case_id')} already replaces it with the account balance: a second "
            "replacement cannot be recorded."
        )
    if rid == "EXCLUDED":
        return f"Left out of the refund: {f('detail')}."
    info = RULES.get(rid)
    return info.title if info else rid
