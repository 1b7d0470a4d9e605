"""The desk's flat CSV template for orders from other sources (and facts the API lacks).

One row per order, or per instance declaration. Header row required; column order free;
unknown columns are an error (a typo would otherwise lose data). A blank cell means "this file
says nothing about it": the stored value is kept (and stays missing for a new order).

=============== ===========================================================================
column          meaning
=============== ===========================================================================
order_id        the order id. Blank: the row declares an instance (``instance_ids`` holds
                exactly one id and ``instance_kind`` is required), e.g. a free new public one;
                or, with only ``account_id`` and ``account_name``, names an account.
instance_ids    the instance(s) the order is for; several separated by ``;`` (the quote
                refuses such an order). Given: the row is a full order record and needs
                ``order_type``, ``payment_status``, ``currency`` (and ``payment_time`` when
                paid). Blank: the row only adds facts to an order (e.g. ``invoiced``).
account_id      the owner account. account_name: its display name (fake names in the demo).
instance_kind   ``enterprise`` / ``old_public`` / ``new_public``.
order_type      ``New`` / ``Renew`` / ``Upgrade``.
payment_status  ``Paid`` / ``Unpaid`` / ``Cancelled``.
currency        ISO 4217 code (``CNY``; another valid code is stored and excluded by the quote).
payment_time    ISO 8601; without an offset it is China time (``ASSUMED-TZ``).
usage_start     ISO 8601, same rule; ``usage_end`` likewise (must not be before the start).
list_price      ``PretaxGrossAmount``, e.g. ``1464.00``.
cash            ``PaymentAmount``; with it ``prepaid_card``, ``voucher``, ``coupon`` (blank = 0).
channel         BSS ``TransactionChannel`` (``Alipay``, ``BankTransfer``, ``CreditCard`` …) or the
                policy names ``alipay`` / ``online_banking`` / ``account_balance``.
invoiced        ``yes`` / ``no``: an invoice was issued for the order (not in the BSS API).
marketplace     ``yes`` / ``no``: bought on the cloud marketplace (not in the BSS API).
region          e.g. ``cn-shanghai``.
=============== ===========================================================================
"""

from __future__ import annotations

import csv
import io

from ..errors import ImportRejected
from ..policy.money import from_fen
from .bss import ORDER_TYPES, PAYMENT_STATUSES, PUBLISHED_CHANNELS, split_instance_ids
from .facts import CHANNEL_RE, Fields, InstanceFacts, OrderFacts, ParsedFile, shown

CSV_EXPORT = "csv"
COLUMNS = (
    "order_id",
    "instance_ids",
    "account_id",
    "account_name",
    "instance_kind",
    "order_type",
    "payment_status",
    "currency",
    "payment_time",
    "usage_start",
    "usage_end",
    "list_price",
    "cash",
    "prepaid_card",
    "voucher",
    "coupon",
    "channel",
    "invoiced",
    "marketplace",
    "region",
)
KINDS = ("enterprise", "old_public", "new_public")
KIND_TO_SUBSCRIPTION = {"enterprise": "Subscription", "old_public": "PayAsYouGo"}
POLICY_CHANNEL_TO_BSS = {
    "alipay": "Alipay",
    "online_banking": "BankTransfer",
    "account_balance": "AccountBalance",
}
YES = {"yes", "y", "true", "1"}
NO = {"no", "n", "false", "0"}
ORDER_ONLY = tuple(
    c
    for c in COLUMNS
    if c
    not in ("order_id", "instance_ids", "account_id", "account_name", "instance_kind", "region")
)


def _flag(f: Fields, name: str) -> bool | None:
    value = f.text(name)
    if value is None:
        return None
    lowered = value.lower()
    if lowered in YES:
        return True
    if lowered in NO:
        return False
    raise f.fail(name, f"expected yes or no, got {shown(value)}")


# What a column of an order row is stored as (for naming the column of a conflict).
COLUMN_OF = {
    "list_price_fen": "list_price",
    "cash_fen": "cash",
    "prepaid_card_fen": "prepaid_card",
    "voucher_fen": "voucher",
    "coupon_fen": "coupon",
    "subscription_type": "instance_kind",
    "instance_ids": "instance_ids",
}


def parse_csv(path: str, text: str) -> ParsedFile:
    """Validate a whole CSV file → :class:`ParsedFile` (no database access).

    Raises:
        ImportRejected: no header / unknown or duplicate column / a bad row (naming the line
            number and the column).
    """
    # strict: a quote left open at the end of the file (a truncated file) is an error, not a cell
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader)
    except StopIteration:
        raise ImportRejected(path, "empty file (expected a header row)") from None
    except csv.Error as exc:
        raise ImportRejected(path, f"not readable as CSV: {exc}", record="line 1") from None
    header = [h.strip() for h in header]
    unknown = [h for h in header if h not in COLUMNS]
    if unknown:
        raise ImportRejected(
            path,
            f"unknown column {unknown[0]!r} (columns: {', '.join(COLUMNS)})",
            record="line 1",
            field=unknown[0],
        )
    duplicates = {h for h in header if header.count(h) > 1}
    if duplicates:
        name = sorted(duplicates)[0]
        raise ImportRejected(path, "column given twice", record="line 1", field=name)
    if "order_id" not in header:
        raise ImportRejected(path, "missing column", record="line 1", field="order_id")
    parsed = ParsedFile(path=path, export=CSV_EXPORT)
    try:
        rows = list(enumerate(reader, 2))
    except csv.Error as exc:
        raise ImportRejected(path, f"not readable as CSV: {exc}") from None
    said: dict[str, tuple[str, dict]] = {}  # order id → (first line, what its rows said)
    for line, cells in rows:
        if not any(c.strip() for c in cells):
            continue
        record = f"line {line}"
        if len(cells) != len(header):
            raise ImportRejected(
                path, f"{len(cells)} cells, the header has {len(header)}", record=record
            )
        row = dict(zip(header, cells, strict=True))
        f = Fields(path, record, row, naive_is="china", case_notes=parsed.case_notes)
        before = len(parsed.orders)
        _parse_row(f, parsed)
        parsed.records += 1
        if len(parsed.orders) > before:
            _check_against_earlier_rows(f, parsed.orders[-1], said)
    return parsed


def _check_against_earlier_rows(f: Fields, facts: OrderFacts, said: dict) -> None:
    """Rows of one order may add facts to each other, never contradict each other: a column
    given twice with different values rejects the file naming both lines."""
    stated = dict(facts.values)
    if facts.instance_ids is not None:
        stated["instance_ids"] = facts.instance_ids
    stated.pop("assumed_tz", None)
    stated.pop("detail_source", None)
    earlier = said.get(facts.order_id)
    if earlier is None:
        said[facts.order_id] = (facts.record, stated)
        return
    first_line, first = earlier
    for name, value in stated.items():
        if name in first and first[name] != value:
            column = COLUMN_OF.get(name, name)
            raise f.fail(
                column,
                f"order {facts.order_id} has another {column} on {first_line}; "
                "rows of one order must not contradict each other",
            )
    first.update(stated)


def _parse_row(f: Fields, parsed: ParsedFile) -> None:
    order_id = f.ident("order_id")
    instance_ids = split_instance_ids(f, "instance_ids") if f.has("instance_ids") else None
    account_id = f.ident("account_id")
    account_name = f.text("account_name")
    kind = f.choice("instance_kind", KINDS)
    region = f.text("region", max_len=32)
    if account_id:
        current = parsed.accounts.get(account_id)
        parsed.accounts[account_id] = account_name if account_name is not None else current
    elif account_name is not None:
        raise f.fail("account_id", "missing (account_name needs the account_id it names)")

    if order_id is None and instance_ids is None and account_id:  # names an account
        for name in (*ORDER_ONLY, "instance_kind", "region"):
            if f.has(name):
                raise f.fail(name, "needs an order_id or an instance in instance_ids")
        return
    if order_id is None:  # an instance declaration
        if not instance_ids or len(instance_ids) != 1:
            raise f.fail(
                "instance_ids", "an instance declaration (no order_id) names exactly one instance"
            )
        if kind is None:
            raise f.fail("instance_kind", "missing (an instance declaration needs its kind)")
        for name in ORDER_ONLY:
            if f.has(name):
                raise f.fail(name, "order fields need an order_id")
        parsed.instances.append(
            InstanceFacts(instance_ids[0], f.record, kind, account_id=account_id, region=region)
        )
        return

    full = instance_ids is not None
    status = f.choice("payment_status", PAYMENT_STATUSES, required=full)
    values: dict = {
        "order_type": f.choice("order_type", ORDER_TYPES, required=full),
        "payment_status": status,
        "currency": f.currency("currency", required=full),
        "payment_time": f.time("payment_time", required=status == "Paid"),
        "list_price_fen": f.fen("list_price"),
        "region": region,
        "account_id": account_id,
    }
    values["usage_start"], values["usage_end"] = f.usage("usage_start", "usage_end")
    if kind is not None:
        values["subscription_type"] = KIND_TO_SUBSCRIPTION.get(kind)
    parts = ("cash", "prepaid_card", "voucher", "coupon")
    if any(f.has(p) for p in parts):
        values["cash_fen"] = f.fen("cash", required=True)
        for part in parts[1:]:
            values[f"{part}_fen"] = f.fen(part) or 0
        paid = sum(values[f"{part}_fen"] for part in parts)
        if values["list_price_fen"] is not None and paid > values["list_price_fen"]:
            largest = max(parts, key=lambda part: values[f"{part}_fen"])
            raise f.fail(
                largest,
                f"the payment breakdown ({from_fen(paid):,.2f}) exceeds the list price "
                f"({from_fen(values['list_price_fen']):,.2f})",
            )
    channel = f.text("channel", max_len=40)
    if channel is not None:
        channel = POLICY_CHANNEL_TO_BSS.get(channel.casefold(), channel)
        if channel not in PUBLISHED_CHANNELS:
            channel = f.same_but_case("channel", channel, PUBLISHED_CHANNELS) or channel
        if not CHANNEL_RE.fullmatch(channel):
            raise f.fail("channel", f"not a channel name: {shown(channel)}")
        values["channel"] = channel
    values["invoiced"] = _flag(f, "invoiced")
    values["marketplace"] = _flag(f, "marketplace")
    values = {k: v for k, v in values.items() if v is not None}
    if any(f.has(n) for n in ("payment_time", "usage_start", "usage_end")):
        values["assumed_tz"] = f.assumed_tz
    if full:
        values["detail_source"] = CSV_EXPORT
    parsed.orders.append(
        OrderFacts(
            order_id,
            f.record,
            values=values,
            instance_ids=instance_ids,
            declared_kind="new_public" if kind == "new_public" else None,
        )
    )
