"""The catalogue of rule, warning, advice and flag ids (RULES.md): kind, section and the title
RULES.md gives each id.

The engine returns ids and facts (:class:`~refund_desk.policy.model.TraceEntry`); the words —
one sentence per trace entry, titles with the definition's numbers, in Chinese or English — are
:mod:`refund_desk.wording_rules`, above the core (issue 13).
"""

from __future__ import annotations

from dataclasses import dataclass


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
