"""The rule trace in words: one plain sentence per trace entry, rule titles, and the words for a
quote's codes (outcome, instance kind, route, destination), in Simplified Chinese or English.

The policy core returns ids and facts (:class:`~refund_desk.policy.model.TraceEntry`); this
module turns them into sentences (issue 13: the core stays free of wording). The window, the CLI
text, tickets and training all use it, so an operator reads the same words everywhere. The titles,
and the sentences that need no fact of a quote, are templates of the rule catalogue
(:data:`refund_desk.policy.RULES`), translated here; the sentences built from a trace entry's facts
are below. Numbers of the rules (the cut-off date, the window's days and months, business days)
come from the policy definition, never written here. English is exactly the desk's English since
version 1. The core's own English phrases (exclusion details, blocking reasons, time errors,
audit-chain problems) are read back into the reader's language by
:mod:`refund_desk.wording_phrases`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from decimal import Decimal, InvalidOperation

from . import wording
from .policy.definition import IOT_PLATFORM_REFUND_V1, PolicyDefinition, get_policy
from .policy.model import TraceEntry
from .policy.rules import RULES, placeholders
from .wording import N_
from .wording_phrases import detail_words

Facts = Callable[[str], str]

_OUTCOMES = {
    "refundable": N_("Refundable by ticket"),
    "not_refundable": N_("Not refundable"),
    "nothing_to_refund": N_("Nothing to refund"),
    "already_refunded": N_("Already refunded"),
    "released": N_("Released — nothing can be refunded"),
}
_KINDS = {
    "enterprise": N_("Enterprise Edition instance, subscription billing"),
    "old_public": N_("Old public instance, pay-as-you-go"),
    "new_public": N_("New public instance, free"),
}
_ROUTES = {"original_method": N_("original method"), "account_balance": N_("account balance")}
_DESTINATIONS = {
    "alipay": N_("Alipay account used for payment"),
    "online_banking": N_("online-banking account used for payment"),
    "account_balance": N_("Alibaba Cloud account balance"),
}
_LATE_REASONS = {
    "paid on or before the cut-off": N_("paid on or before the cut-off"),
    "window passed": N_("window passed"),
}


def _policy(policy: PolicyDefinition | int | None) -> PolicyDefinition:
    if isinstance(policy, PolicyDefinition):
        return policy
    return get_policy(policy) if policy else IOT_PLATFORM_REFUND_V1


def _fill(template: str, p: PolicyDefinition, t: wording.Translator) -> str:
    """A catalogue template (:mod:`refund_desk.policy.rules`) translated and filled with the
    numbers of ``p``."""
    values = {
        name: wording.format_date(value, t.lang) if isinstance(value, date) else value
        for name, value in placeholders(p).items()
    }
    return t.gettext(template).format(**values)


def rule_title(rule_id: str, lang: str | None = None, policy=None) -> str:
    """The short title of a rule id (RULES.md), e.g. ``'Paid after 2019-03-29 (China date)'``.

    Args:
        rule_id: an id of :data:`refund_desk.policy.RULES` (others are returned as given).
        lang: ``"zh_CN"`` / ``"en"`` (default: the interface language).
        policy: the :class:`PolicyDefinition` or version whose numbers the title carries
            (default version 1).
    """
    rule = RULES.get(rule_id)
    if rule is None:
        return rule_id
    return _fill(rule.title, _policy(policy), wording.translator(lang))


def id_line(rule_id: str, lang: str | None = None, policy=None) -> str:
    """``'WARN-RELEASE-DELETE — Instance released at once, all data deleted'``; an unknown id
    alone."""
    if rule_id not in RULES:
        return rule_id
    return f"{rule_id} — {rule_title(rule_id, lang, policy)}"


def outcome_words(outcome: str, lang: str | None = None) -> str:
    """An outcome code (``'refundable'``…) → words: ``'Refundable by ticket'``,
    ``'可通过工单退款'``."""
    words = _OUTCOMES.get(outcome)
    return wording.translator(lang).gettext(words) if words else outcome


def kind_words(kind: str, lang: str | None = None) -> str:
    """An instance kind code (``'enterprise'``…) → words."""
    words = _KINDS.get(kind)
    return wording.translator(lang).gettext(words) if words else kind


def route_words(route: str | None, lang: str | None = None) -> str:
    """A route code (``'original_method'``/``'account_balance'``) → words; None → ``'—'``."""
    if route is None:
        return "—"
    words = _ROUTES.get(route)
    return wording.translator(lang).gettext(words) if words else route


def order_type_words(order_type: str | None, lang: str | None = None) -> str:
    """A BSS order type (``New``, ``Renew``, ``Upgrade``, ``Refund``) in ``lang``: English keeps
    the BSS word; Chinese the console's (新购, 续费, 升级, 退款). Others as given."""
    t = wording.translator(lang)
    words = {
        "New": t.pgettext("order type", "New"),
        "Renew": t.pgettext("order type", "Renew"),
        "Upgrade": t.pgettext("order type", "Upgrade"),
        "Refund": t.pgettext("order type", "Refund"),
    }
    return words.get(order_type or "", order_type or "")


def payment_status_words(status: str | None, lang: str | None = None) -> str:
    """A BSS ``PaymentStatus`` (``Paid``, ``Unpaid``) in ``lang``: English keeps the BSS word;
    Chinese 已支付, 未支付. Others as given."""
    t = wording.translator(lang)
    words = {
        "Paid": t.pgettext("payment status", "Paid"),
        "Unpaid": t.pgettext("payment status", "Unpaid"),
    }
    return words.get(status or "", status or "")


def case_status_words(status: str, lang: str | None = None) -> str:
    """A case status code (``drafted``, ``submitted``, ``refunded``, ``failed``, ``duplicate``)
    in ``lang``: English keeps the code; Chinese 已起草, 已提交, 已退款, 失败, 重复."""
    t = wording.translator(lang)
    words = {
        "drafted": t.pgettext("case status", "drafted"),
        "submitted": t.pgettext("case status", "submitted"),
        "refunded": t.pgettext("case status", "refunded"),
        "failed": t.pgettext("case status", "failed"),
        "duplicate": t.pgettext("case status", "duplicate"),
    }
    return words.get(status, status)


def destination_label(destination: str | None, lang: str | None = None) -> str:
    """A destination code → words (``'alipay'`` → ``'Alipay account used for payment'``); an
    unlisted BSS channel keeps its name (``'CreditCard (unlisted channel)'``); None → ``'—'``."""
    if destination is None:
        return "—"
    t = wording.translator(lang)
    words = _DESTINATIONS.get(destination)
    if words:
        return t.gettext(words)
    return t.gettext("{channel} (unlisted channel)").format(channel=destination)


def _yes(value: str) -> bool:
    return value == "True"


class _Words:
    """Fact values as a reader of ``lang`` expects: English keeps the raw text (the desk's
    English since version 1); Chinese writes dates as 2024年3月9日 and amounts as ¥1,000.00."""

    def __init__(self, lang: str):
        self.lang = lang
        self.zh = lang == wording.ZH_CN

    def day(self, text: str) -> str:
        if not self.zh or not text:
            return text
        try:
            return wording.format_date(date.fromisoformat(text[:10]), self.lang) + text[10:]
        except ValueError:
            return text

    def money(self, text: str) -> str:
        if not self.zh or not text:
            return text
        try:
            return wording.format_money(Decimal(text), self.lang)
        except InvalidOperation:
            return text


def explain(entry: TraceEntry, lang: str | None = None, policy=None) -> str:
    """One plain sentence saying why ``entry.rule_id`` applied, with the entry's facts.

    Args:
        entry: a trace entry of a :class:`~refund_desk.policy.model.Quote`.
        lang: ``"zh_CN"`` / ``"en"`` (default: the interface language).
        policy: the definition or version the quote was computed under (numbers the sentence
            names without a fact of their own, e.g. the 548-day window); default version 1.
    Returns:
        A sentence (no trailing id); unknown ids fall back to the catalogue title.
    """
    return explain_facts(entry.rule_id, entry.order_id, entry.fact, lang, policy)


def english_explain(entry: TraceEntry, policy=None) -> str:
    """:func:`explain` in English, with the numbers of ``policy`` (a version number or
    definition; default version 1): the ``"why"`` a stored case keeps next to the facts, so its
    English ticket reads the same years later, whatever the code's words then."""
    return explain(entry, wording.EN, policy)


def explain_dict(item: Mapping, lang: str | None = None, policy=None) -> str:
    """:func:`explain` for a trace entry of a quote dict (``{"rule", "order_id", "facts"}``, as
    :func:`refund_desk.policy.quote_to_dict` writes it). A dict stored before facts were kept
    (no ``"facts"``) gives its stored English ``"why"``."""
    facts = item.get("facts")
    if facts is None:
        return str(item.get("why") or rule_title(item["rule"], lang, policy))
    return explain_facts(
        item["rule"], item.get("order_id"), lambda name: str(facts.get(name, "")), lang, policy
    )


def explain_facts(
    rid: str, order_id: str | None, f: Facts, lang: str | None = None, policy=None
) -> str:
    """The sentence of rule ``rid`` whose facts are read by ``f(name) -> text`` ('' if absent),
    in ``lang``. See :func:`explain`."""
    t = wording.translator(lang)
    _ = t.gettext
    w = _Words(t.lang)
    p = _policy(policy)
    if rid == "TIME-ZONE":
        if f("paid_utc"):
            return _("Paid {paid_utc} UTC, which is {paid_china} China time.").format(
                paid_utc=w.day(f("paid_utc")), paid_china=w.day(f("paid_china"))
            )
    if rid == "DATE-CUTOFF":
        text = (
            _("Paid {paid} (China date), after the cut-off {cutoff}.")
            if _yes(f("after"))
            else _("Paid {paid} (China date), not after the cut-off {cutoff}.")
        )
        return text.format(paid=w.day(f("paid")), cutoff=w.day(f("cutoff")))
    if rid == "DATE-WINDOW":
        text = (
            _(
                "Cancelled {days} days after payment, within the {limit}-day window "
                "(last day inside: {window_end})."
            )
            if _yes(f("within"))
            else _(
                "Cancelled {days} days after payment, beyond the {limit}-day window "
                "(last day inside: {window_end})."
            )
        )
        return text.format(days=f("days"), limit=f("limit"), window_end=w.day(f("window_end")))
    if rid == "ROUTE-LATE":
        reason = f("reason")
        reason = _(_LATE_REASONS[reason]) if reason in _LATE_REASONS else reason
        return _("The refund goes to the account balance because the order was {reason}.").format(
            reason=reason
        )
    if rid == "ROUTE-ORIGINAL":
        return _(
            "Paid by {channel}: the refund goes back the original way, to the {destination}."
        ).format(channel=f("channel"), destination=destination_label(f("destination"), t.lang))
    if rid == "AMOUNT-BASIS":
        return _(
            "Refundable basis {basis} = cash {cash} + prepaid card {prepaid_card}; "
            "vouchers {voucher} and coupons {coupon} are never refunded."
        ).format(
            basis=w.money(f("basis")),
            cash=w.money(f("cash")),
            prepaid_card=w.money(f("prepaid_card")),
            voucher=w.money(f("voucher")),
            coupon=w.money(f("coupon")),
        )
    if rid == "AMOUNT-CONSUMED":
        discount = (
            ""
            if f("discount") == "1"
            else _(" × discount {discount}").format(discount=f("discount"))
        )
        ended = _(" (the period has ended: all of it is consumed)") if _yes(f("ended")) else ""
        return _(
            "Consumed {consumed} = list price {list_price} ÷ {order_days} days "
            "× {used_days} days used{discount}{ended}."
        ).format(
            consumed=w.money(f("consumed")),
            list_price=w.money(f("list_price")),
            order_days=f("order_days"),
            used_days=f("used_days"),
            discount=discount,
            ended=ended,
        )
    if rid == "AMOUNT-PENDING-RENEWAL":
        if f("order_type") in ("", "Renew"):
            text = _(
                "This renewal's period starts {usage_start} China time, after the "
                "cancellation: nothing is consumed and its whole basis {basis} is refunded."
            )
        else:
            text = _(
                "This {order_type} order's period starts {usage_start} China time, after the "
                "cancellation: nothing is consumed and its whole basis {basis} is refunded."
            )
        return text.format(
            order_type=order_type_words(f("order_type"), t.lang),
            usage_start=w.day(f("usage_start")),
            basis=w.money(f("basis")),
        )
    if rid == "AMOUNT-ROUNDING":
        return _(
            "Refund {refund} rounded down and consumed {consumed} rounded up to the fen."
        ).format(refund=w.money(f("refund")), consumed=w.money(f("consumed")))
    if rid == "ETA-PROCESS":
        if f("requested_on"):  # a replacement (ROUTE-FALLBACK), requested after the cancellation
            return _(
                "Expected to be processed by {processed_by}: {days} business days "
                "after the replacement was requested on {requested_on} (the cancellation "
                "was on {cancel_date}; mainland China calendar)."
            ).format(
                processed_by=w.day(f("processed_by")),
                days=f("days"),
                requested_on=w.day(f("requested_on")),
                cancel_date=w.day(f("cancel_date")),
            )
        return _(
            "Expected to be processed by {processed_by}: {days} business days after "
            "the cancellation date {cancel_date} (mainland China calendar)."
        ).format(
            processed_by=w.day(f("processed_by")),
            days=f("days"),
            cancel_date=w.day(f("cancel_date")),
        )
    if rid == "ETA-BANK":
        return _(
            "Online banking: the bank is expected to credit it {low}–{high} business "
            "days after processing, between {start} and {end}."
        ).format(low=f("low"), high=f("high"), start=w.day(f("start")), end=w.day(f("end")))
    if rid == "BORDERLINE-CUTOFF":
        return _(
            "Paid on {paid}, the cut-off day itself: check the payment time with billing "
            "before promising the route."
        ).format(paid=w.day(f("paid")))
    if rid == "BORDERLINE-WINDOW":
        text = (
            _(
                "{days} days is inside the {window_days}-day window but {window_months} calendar "
                "months ended {months_end}: the {window_days} days decide; confirm with billing "
                "if the customer asks."
            )
            if _yes(f("within_days"))
            else _(
                "{days} days is outside the {window_days}-day window but {window_months} calendar "
                "months ended {months_end}: the {window_days} days decide; confirm with billing "
                "if the customer asks."
            )
        )
        return text.format(
            days=f("days"),
            window_days=p.window_days,
            window_months=f("months") or p.window_months,
            months_end=w.day(f("months_end")),
        )
    if rid == "ASSUMED-TZ":
        what = f("what")
        if what == "cancellation time":
            return _(
                "The cancellation time had no time zone and was taken as China time: check it."
            )
        if what:
            return _("The {what} had no time zone and was taken as China time: check it.").format(
                what=what
            )
        return _("The a time of this order had no time zone and was taken as China time: check it.")
    if rid == "ASSUMED-NOT-INVOICED":
        # Only what is not set is said to be assumed: never "not set" for a fact set.
        if f("unknown") == "invoice":
            return _(
                "Invoice not set: assumed no invoice was issued (bought on the official website, "
                "as set). Ask the customer and set it if an invoice was issued."
            )
        if f("unknown") == "marketplace":
            return _(
                "Marketplace not set: assumed bought on the official website, so the invoice "
                "sends the refund to the account balance. Ask the customer and set it if the "
                "order was bought on the cloud marketplace."
            )
        return _(
            "Invoice and marketplace are not set: assumed no invoice, official website. Ask the "
            "customer and set them if an invoice was issued."
        )
    if rid == "CHANNEL-UNLISTED":
        return _(
            "Paid by {channel}, a channel the policy does not name: assumed to go back the "
            "original way; confirm with billing."
        ).format(channel=f("channel"))
    if rid == "DATA-MISSING":
        return _("Data not imported yet ({detail}): import it; the desk never guesses.").format(
            detail=detail_words(f("detail"), t.lang)
        )
    if rid == "ETA-CALENDAR-ESTIMATE":
        return _(
            "The holiday schedule after {last_year} is not yet published: the dates are an "
            "estimate."
        ).format(last_year=f("last_year"))
    if rid == "HISTORY-REFUNDED":
        amount = _(" of CNY {amount}").format(amount=f("amount")) if f("amount") else ""
        when = _(" on {when} China time").format(when=w.day(f("when"))) if f("when") else ""
        if f("source") == "case":
            return _(
                "Case #{case_id} (recorded by {operator}) was marked refunded{when}{amount}: the "
                "instance is already refunded; no new case may be recorded."
            ).format(case_id=f("case_id"), operator=f("operator"), when=when, amount=amount)
        related = (
            _(", refunding order {related},").format(related=f("related")) if f("related") else ""
        )
        return _(
            "The billing data holds refund order {order_id}{related} made{when}{amount}: "
            "the instance is already refunded; no new case may be recorded."
        ).format(order_id=order_id, related=related, when=when, amount=amount)
    if rid == "HISTORY-RELEASED":
        when = _(" on {when} China time").format(when=w.day(f("when"))) if f("when") else ""
        status = _(" (status {status})").format(status=f("status")) if f("status") else ""
        return _(
            "The billing data says the instance was released{when}{status} and holds no refund "
            "for it: nothing can be refunded and no case may be recorded."
        ).format(when=when, status=status)
    if rid == "HISTORY-OPEN-CASE":
        amount = _(", CNY {amount}").format(amount=f("amount")) if f("amount") else ""
        return _(
            "Case #{case_id} is open ({status}, recorded by {operator} on {when} China "
            "time{amount}): the figures are a what-if; continue that case, a new one cannot be "
            "recorded."
        ).format(
            case_id=f("case_id"),
            status=f("status"),
            operator=f("operator"),
            when=w.day(f("when")),
            amount=amount,
        )
    if rid == "HISTORY-FALLBACK-DONE":
        return _(
            "The original-method refund of case #{replaces} failed and case #{case_id} already "
            "replaces it with the account balance: a second replacement cannot be recorded."
        ).format(replaces=f("replaces"), case_id=f("case_id"))
    if rid == "EXCLUDED":
        return _("Left out of the refund: {detail}.").format(
            detail=detail_words(f("detail"), t.lang)
        )
    return rule_sentence(rid, t.lang, p)


def rule_sentence(rule_id: str, lang: str | None = None, policy=None) -> str:
    """The catalogue's one-sentence explanation of ``rule_id`` for a rule whose sentence needs no
    fact of a quote (``'The refund is 0.00: the customer would lose…'``), else its title.

    Args:
        rule_id: an id of :data:`refund_desk.policy.RULES` (others are returned as given).
        lang: ``"zh_CN"`` / ``"en"`` (default: the interface language).
        policy: the :class:`PolicyDefinition` or version whose numbers it carries (default v1).
    """
    rule = RULES.get(rule_id)
    if rule is None or rule.sentence is None:
        return rule_title(rule_id, lang, policy)
    return _fill(rule.sentence, _policy(policy), wording.translator(lang))
