"""The catalogue of RULES.md's ids as data: for each rule, warning, advice and flag its kind, its
source, the policy version and revision it came with, and the words that name it.

Like python-holidays keeps each holiday with its source and start year, each :class:`Rule` keeps
where it comes from (the RULES.md section, the place in ``docs/refund-instructions.txt`` when the
page says it, and whether it is the page, Alibaba Cloud's general rules or a desk decision) and
since when it applies. The words are templates, not text: ``title`` (RULES.md's short title) and,
where the rule's sentence needs no fact of a quote, ``sentence``. Their placeholders
(:data:`PLACEHOLDERS`) are filled from the :class:`~refund_desk.policy.definition.PolicyDefinition`
the quote was made under, so a later version shows its own numbers.

The templates are English source strings marked with ``N_`` for the catalog tools
(:mod:`refund_desk.catalogs`); translating and filling them is :mod:`refund_desk.wording_rules`,
above the core: the policy core never imports the wording.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .definition import PolicyDefinition, get_policy


def N_(message: str) -> str:  # noqa: N802 - the gettext convention, found by the catalog tools
    """Mark ``message`` as a source string to translate where it is shown; returns it as is."""
    return message


#: Where a rule's reading comes from (RULES.md's marks).
PAGE = "page"  # the public Refund Instructions page, docs/refund-instructions.txt
GENERAL_RULES = "general rules"  # Alibaba Cloud's public billing documentation
DESK_DECISION = "desk decision"  # the desk's reading where nothing public settles it

KINDS = ("rule", "warning", "advice", "flag")

#: Placeholders a template may name, each filled from the policy definition.
PLACEHOLDERS = ("cutoff", "window_days", "window_months", "process_days", "bank_low", "bank_high")


@dataclass(frozen=True, slots=True)
class Source:
    """Where a rule comes from.

    Attributes:
        section: the RULES.md section (``"§2"``).
        basis: :data:`PAGE`, :data:`GENERAL_RULES` or :data:`DESK_DECISION`.
        instructions: the place in docs/refund-instructions.txt the rule reads, or ``None`` where
            the page is silent (``"Refund Flow, point 1 (line 28)"``).
    """

    section: str
    basis: str
    instructions: str | None = None


@dataclass(frozen=True, slots=True)
class Rule:
    """One id of RULES.md.

    Attributes:
        rule_id: the stable id (``"DATE-WINDOW"``).
        kind: ``"rule"``, ``"warning"``, ``"advice"`` or ``"flag"``.
        source: where it comes from (:class:`Source`).
        policy_version: the version of ``iot-platform-refund`` it first applies in.
        revision: the RULES.md revision that brought it (``"1.0"``; §7 came with ``"1.1"``,
            which changed no figure of §1–§6).
        title: the short title, an English template with :data:`PLACEHOLDERS`.
        sentence: the one-sentence explanation when it needs no fact of a quote (English template
            with :data:`PLACEHOLDERS`), else ``None``: the sentence is then written from the trace
            entry's facts (:func:`refund_desk.wording_rules.explain`).
    """

    rule_id: str
    kind: str
    source: Source
    policy_version: int
    revision: str
    title: str
    sentence: str | None = None

    @property
    def section(self) -> str:
        """The RULES.md section, ``"§2"``."""
        return self.source.section

    @property
    def effective_from(self) -> date:
        """The first cancellation date (China time) the rule applies to: the ``effective_from`` of
        its policy version (revision 1.1 added desk decisions to version 1, in force since then).

        Raises:
            UnknownPolicyError: the version is not registered.
        """
        return get_policy(self.policy_version).effective_from


def placeholders(policy: PolicyDefinition) -> dict[str, object]:
    """The values of :data:`PLACEHOLDERS` under ``policy``, raw: ``cutoff`` is a :class:`date`,
    the others ``int`` (days, months, business days); the wording formats them per language."""
    low, high = policy.bank_business_days
    return {
        "cutoff": policy.cutoff_date,
        "window_days": policy.window_days,
        "window_months": policy.window_months,
        "process_days": policy.process_business_days,
        "bank_low": low,
        "bank_high": high,
    }


def _rule(rule_id, kind, source, title, sentence=None, *, revision="1.0") -> Rule:
    return Rule(rule_id, kind, source, 1, revision, title, sentence)


_S1_PAGE_NOTES = Source("§1", PAGE, "Refund Notes, point 2 (line 16)")
_S1_PAGE_RELEASE = Source("§1", PAGE, "Refund Notes, point 3 (line 20)")
_S2_PAGE_FLOW = Source("§2", PAGE, "Refund Flow, point 1 (line 28)")
_S2_DESK_FLOW = Source("§2", DESK_DECISION, "Refund Flow, point 1 (line 28)")
_S3_PAGE_NOTE = Source("§3", PAGE, "Refund Flow, note (line 32)")
_S3_PAGE_OTHER = Source("§3", PAGE, "Refund Flow, point 2 (line 34)")
_S7_DESK = Source("§7", DESK_DECISION)

_CATALOGUE = (
    # §1 Which instance, which outcome
    _rule(
        "KIND-NEW-PUBLIC",
        "rule",
        _S1_PAGE_NOTES,
        N_("New public instance: free, nothing to refund"),
        N_("A new public instance is free of charge, so there is nothing to refund."),
    ),
    _rule(
        "KIND-OLD-PUBLIC",
        "rule",
        _S1_PAGE_NOTES,
        N_("Old public instance: pay-as-you-go, not refundable"),
        N_("An old public instance is pay-as-you-go and does not support refunds."),
    ),
    _rule(
        "KIND-ENTERPRISE",
        "rule",
        _S1_PAGE_RELEASE,
        N_("Enterprise Edition instance: refundable by ticket"),
        N_("An Enterprise Edition subscription instance can be refunded."),
    ),
    _rule(
        "METHOD-TICKET",
        "rule",
        Source("§1", PAGE, "Refund Methods (line 24)"),
        N_("Refunds are requested by ticket"),
        N_("The refund is requested by submitting a ticket; the desk drafts it."),
    ),
    # §2 Time
    _rule(
        "TIME-ZONE",
        "rule",
        Source("§2", GENERAL_RULES),
        N_("Dates are judged in China Standard Time (UTC+8)"),
        N_("Dates are judged in China Standard Time (UTC+8)."),
    ),
    _rule("DATE-CUTOFF", "rule", _S2_PAGE_FLOW, N_("Paid after {cutoff} (China date)")),
    _rule(
        "DATE-WINDOW", "rule", _S2_PAGE_FLOW, N_("Cancelled within {window_days} days of payment")
    ),
    # §3 Where the money goes
    _rule(
        "ROUTE-LATE",
        "rule",
        _S3_PAGE_OTHER,
        N_("Refund to account balance: early payment or window passed"),
    ),
    _rule(
        "ROUTE-INVOICED",
        "rule",
        _S3_PAGE_NOTE,
        N_("Refund to account balance: invoice already issued"),
        N_(
            "An invoice was issued for this official-website order, so the refund goes to the "
            "account balance."
        ),
    ),
    _rule(
        "ROUTE-ORIGINAL",
        "rule",
        Source("§3", PAGE, "Refund Flow, point 1 (line 28)"),
        N_("Refund by the original payment method"),
    ),
    _rule(
        "ROUTE-FALLBACK",
        "rule",
        _S3_PAGE_OTHER,
        N_("Original-method refund failed: account balance"),
        N_("The original-method refund failed, so the refund goes to the account balance."),
    ),
    # §4 How much
    _rule(
        "AMOUNT-BASIS",
        "rule",
        Source("§4", PAGE, "Refund Flow, point 3 (line 36)"),
        N_("Only cash and prepaid card are refundable"),
    ),
    _rule(
        "AMOUNT-CONSUMED",
        "rule",
        Source("§4", GENERAL_RULES),
        N_("The consumed part is deducted"),
    ),
    _rule(
        "AMOUNT-PENDING-RENEWAL",
        "rule",
        Source("§4", GENERAL_RULES),
        N_("A renewal not yet started is refunded in full"),
    ),
    _rule(
        "AMOUNT-ROUNDING",
        "rule",
        Source("§4", DESK_DECISION),
        N_("Refund rounded down, consumed rounded up, to the fen"),
    ),
    # §5 When
    _rule(
        "ETA-PROCESS",
        "rule",
        Source("§5", PAGE, "Refund Flow, point 3 (line 36)"),
        N_("Processed within {process_days} business days"),
    ),
    _rule(
        "ETA-BANK",
        "rule",
        Source("§5", DESK_DECISION, "Refund Flow, point 4 (line 38)"),
        N_("Online banking: credited {bank_low}–{bank_high} business days after processing"),
    ),
    # Warnings and advice
    _rule(
        "WARN-RELEASE-DELETE",
        "warning",
        _S1_PAGE_RELEASE,
        N_("Instance released at once, all data deleted"),
        N_(
            "When the refund is granted the instance is released immediately and all its data is "
            "permanently deleted; it cannot be recovered."
        ),
    ),
    _rule(
        "WARN-ZERO-REFUND",
        "warning",
        Source("§4", DESK_DECISION),
        N_("The refund is 0.00"),
        N_(
            "The refund is 0.00: the customer would lose the instance and its data and get "
            "nothing back."
        ),
    ),
    _rule(
        "ADVICE-DISABLE-DEVICES",
        "advice",
        Source("§1", PAGE, "Refund Notes, point 2 (line 18)"),
        N_("Disable all devices to stop charges"),
        N_("Advise disabling all devices; once all are disabled the instance stops charging."),
    ),
    _rule(
        "ADVICE-RETURN-INVOICE",
        "advice",
        _S3_PAGE_NOTE,
        N_("Return the invoice, then withdraw the balance"),
        N_(
            "Advise returning the invoice, then withdrawing the balance to the original channel "
            "(or by balance withdrawal)."
        ),
    ),
    # Flags
    _rule("BORDERLINE-CUTOFF", "flag", _S2_DESK_FLOW, N_("Paid on the cut-off day {cutoff}")),
    _rule(
        "BORDERLINE-WINDOW",
        "flag",
        _S2_DESK_FLOW,
        N_("{window_days} days and {window_months} calendar months disagree"),
    ),
    _rule(
        "ASSUMED-TZ",
        "flag",
        Source("§2", DESK_DECISION),
        N_("A time had no offset: China time assumed"),
    ),
    _rule(
        "ASSUMED-NOT-INVOICED",
        "flag",
        Source("§3", DESK_DECISION, "Refund Flow, note (line 32)"),
        N_("Invoice or marketplace not set: assumed"),
    ),
    _rule(
        "CHANNEL-UNLISTED",
        "flag",
        Source("§3", DESK_DECISION, "Refund Flow, point 1 (line 28)"),
        N_("Payment channel not named by the policy"),
    ),
    _rule(
        "DATA-MISSING",
        "flag",
        Source("§4", DESK_DECISION),
        N_("Payment breakdown or channel not imported yet"),
    ),
    _rule(
        "ETA-CALENDAR-ESTIMATE",
        "flag",
        Source("§5", DESK_DECISION),
        N_("Holiday schedule not yet published: estimate"),
    ),
    # §7 What already happened to the instance (RULES.md revision 1.1)
    _rule(
        "HISTORY-REFUNDED",
        "rule",
        _S7_DESK,
        N_("Already refunded: a refund order or a refunded case"),
        revision="1.1",
    ),
    _rule(
        "HISTORY-RELEASED",
        "rule",
        _S7_DESK,
        N_("Released: nothing can be refunded"),
        revision="1.1",
    ),
    _rule(
        "HISTORY-OPEN-CASE",
        "rule",
        _S7_DESK,
        N_("A case is open for this instance: continue it"),
        revision="1.1",
    ),
    _rule(
        "HISTORY-FALLBACK-DONE",
        "rule",
        _S7_DESK,
        N_("The account-balance replacement is already recorded"),
        revision="1.1",
    ),
)

RULES: dict[str, Rule] = {rule.rule_id: rule for rule in _CATALOGUE}
"""Every id of RULES.md, by id, in RULES.md's order."""

#: A trace entry that is not a rule: an order left out of the sums, with its reason (RULES.md §4).
EXCLUDED = "EXCLUDED"
