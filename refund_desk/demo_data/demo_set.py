"""The demo data set: the reference instances, generated accounts with instances of every kind
and their orders 2018–2026, the gaps the exports leave, then the special instances
(:mod:`.special_cases`). Deterministic per seed."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from .orders import TWO, DemoDataset, GenOrder, Scenario, china, reference_orders
from .random_orders import CHANNEL_WEIGHTS, MONTHS, REGIONS, Ids, add_months, choice_weighted
from .special_cases import add_special_instances

DEFAULT_SEED = 20240309

NAME_PARTS_EN = (
    ("Northwind", "Blue Harbor", "Silver Pine", "Red Maple", "Granite Peak", "Amber Field",
     "Cedar Lake", "Quiet River", "Iron Bridge", "Golden Gate", "Summit Ridge", "Clear Sky"),
    ("Sensor", "Logistics", "Farms", "Energy", "Robotics", "Water", "Mobility", "Health Devices",
     "Smart Home", "Cold Chain", "Metering", "Retail Systems"),
    ("Co., Ltd.", "Works", "Group", "Labs", "Technologies", "Industries"),
)  # fmt: skip
NAME_PARTS_ZH = (
    ("青松", "蓝湾", "银杉", "金穗", "远山", "星河", "明湖", "云帆", "长风", "朝阳"),
    ("物联", "智能", "能源", "物流", "农业", "水务", "电子", "科技"),
    ("有限公司", "科技有限公司", "工作室", "集团"),
)  # fmt: skip


def fake_name(rng: random.Random, index: int) -> str:
    """A made-up company name for the ``index``-th account: every fourth one Chinese."""
    if index % 4 == 3:
        return "".join(rng.choice(part) for part in NAME_PARTS_ZH)
    return " ".join(rng.choice(part) for part in NAME_PARTS_EN)


def demo_dataset(seed: int = DEFAULT_SEED, *, accounts: int = 240) -> DemoDataset:
    """The demo data: ``accounts`` generated accounts (plus the reference ones) with instances
    of every kind and orders 2018–2026 across every channel, renewals (some paid ahead and still
    pending), upgrades, vouchers, coupons, prepaid cards, USD orders, unpaid orders, an order
    naming two instances, orders whose breakdown, channel or detail is missing, invoiced and
    marketplace orders (CSV facts), and the RULES.md boundary cases. Deterministic per ``seed``."""
    rng = random.Random(seed)
    data = DemoDataset()
    ref = reference_orders()
    ids = Ids(rng, taken=[o.order_id for o in ref] + [o.sub_order_id for o in ref])
    data.orders.extend(ref)
    for account_id, name in (("1498573829450012", "Northwind Sensor Works"),
                             ("1730066214087755", "蓝湾物联科技有限公司")):  # fmt: skip
        data.csv_rows.append({"account_id": account_id, "account_name": name})
    for order_id, cancel, note in (
        ("iot-cn-7pp2mhxqz01", "2024-03-09T09:00", "RULES.md §6 example 1: 764.00 to Alipay"),
        ("iot-cn-0pp1lkd8x02", "2025-07-11T09:00", "example 2: day 548, BORDERLINE-WINDOW"),
        ("iot-cn-4kd0s8v1q03", "2019-06-01T10:00", "example 3: paid 2019-03-29 China time"),
        ("iot-cn-2mv7wq9e604", "2025-03-01T12:00", "new + renewal, exactly 90 days used"),
    ):
        data.scenarios.append(Scenario(order_id, china(cancel), note))

    start_min = datetime(2018, 1, 1, tzinfo=UTC)
    span_minutes = int((datetime(2026, 6, 30, tzinfo=UTC) - start_min).total_seconds() // 60)
    horizon = datetime(2026, 12, 31, tzinfo=UTC)

    def money_parts(list_price: Decimal) -> dict:
        discount = rng.choice((Decimal("1"), Decimal("1"), Decimal("0.9"), Decimal("0.85")))
        pretax = (list_price * discount).quantize(TWO)
        parts = {"cash": pretax}
        roll = rng.random()
        if roll < 0.10:
            voucher = min(pretax, Decimal(rng.choice((50, 100, 200, 500))))
            parts.update(voucher=voucher, cash=pretax - voucher)
        elif roll < 0.17:
            prepaid = (pretax * Decimal(rng.choice(("0.2", "0.5", "1")))).quantize(TWO)
            parts.update(prepaid_card=prepaid, cash=pretax - prepaid)
        elif roll < 0.24:
            coupon = min((list_price - pretax) or Decimal("30.00"), Decimal("80.00"))
            if coupon >= pretax:
                coupon = Decimal("0.00")
            parts.update(coupon=coupon, cash=pretax - coupon)
        return parts

    def enterprise_orders(instance_id: str, account_id: str, currency: str) -> list[GenOrder]:
        out: list[GenOrder] = []
        region = rng.choice(REGIONS)
        paid = start_min + timedelta(minutes=rng.randrange(span_minutes))
        months = choice_weighted(rng, MONTHS)
        rate = Decimal(rng.randrange(200, 1500)) / 100
        start, order_type = paid, "New"
        while True:
            end = add_months(start, months)
            days = (end - start).days
            list_price = (rate * days).quantize(TWO)
            channel = choice_weighted(rng, CHANNEL_WEIGHTS)
            out.append(
                GenOrder(ids.order(), (instance_id,), account_id, order_type, "Subscription",
                         "Paid", paid, paid, start, end, list_price, currency=currency,
                         channel=channel, region=region,
                         ids_field="InstanceIds" if rng.random() < 0.2 else "InstanceIDs",
                         **money_parts(list_price))
            )  # fmt: skip
            if order_type == "New" and rng.random() < 0.15 and months >= 6:
                up_paid = start + timedelta(days=rng.randrange(20, days - 10), hours=3)
                up_price = (rate * Decimal("0.5") * (end - up_paid).days).quantize(TWO)
                out.append(
                    GenOrder(ids.order(), (instance_id,), account_id, "Upgrade", "Subscription",
                             "Paid", up_paid, up_paid, up_paid, end, up_price, currency=currency,
                             channel=choice_weighted(rng, CHANNEL_WEIGHTS), region=region,
                             **money_parts(up_price))
                )  # fmt: skip
            if rng.random() > 0.55 or end > horizon:
                break
            ahead = timedelta(days=rng.randrange(1, 25), hours=rng.randrange(0, 20))
            start, paid, order_type = end, end - ahead, "Renew"
            months = choice_weighted(rng, MONTHS[:4])
        if rng.random() < 0.06:  # a renewal the customer never paid
            last = out[-1]
            assert last.usage_end is not None  # every order generated above has its usage
            created = last.usage_end - timedelta(days=7)
            out.append(
                GenOrder(ids.order(), (instance_id,), account_id, "Renew", "Subscription",
                         "Unpaid", created, None, last.usage_end, add_months(last.usage_end, 12),
                         (rate * 365).quantize(TWO), (rate * 365).quantize(TWO), currency=currency,
                         channel=None, in_bill=False, region=region)
            )  # fmt: skip
        return out

    for index in range(accounts):
        account_id = ids.account()
        name = fake_name(rng, index)
        data.csv_rows.append({"account_id": account_id, "account_name": name})
        currency = "USD" if index % 25 == 7 else "CNY"
        for _ in range(rng.choice((1, 1, 1, 2, 2, 3))):
            instance_id = ids.instance()
            kind = choice_weighted(
                rng, (("enterprise", 64), ("old_public", 20), ("new_public", 16))
            )
            if kind == "new_public":
                data.csv_rows.append(
                    {"instance_ids": instance_id, "account_id": account_id,
                     "instance_kind": "new_public", "region": rng.choice(REGIONS)}
                )  # fmt: skip
                continue
            if kind == "old_public":
                created = start_min + timedelta(minutes=rng.randrange(span_minutes // 2))
                data.orders.append(
                    GenOrder(ids.order(), (instance_id,), account_id, "New", "PayAsYouGo", "Paid",
                             created, created, created, None, Decimal("0.00"), Decimal("0.00"),
                             channel=None, in_bill=False, region=rng.choice(REGIONS))
                )  # fmt: skip
                continue
            data.orders.extend(enterprise_orders(instance_id, account_id, currency))

    # Gaps and facts the exports do not carry, on a deterministic sample of the random orders.
    randoms = [
        o for o in data.orders[len(ref) :] if o.paid and o.subscription_type == "Subscription"
    ]
    sample = rng.sample(range(len(randoms)), k=min(len(randoms), 60))
    for n, position in enumerate(sample):
        order = randoms[position]
        if n < 8:
            randoms[position] = replace(order, in_bill=False)  # breakdown missing
        elif n < 14:
            randoms[position] = replace(order, channel=None)  # channel missing
        elif n < 18:
            randoms[position] = replace(order, in_detail=False)  # only bill + transaction
        elif n < 40:
            randoms[position] = replace(order, invoiced=True)
        elif n < 50:
            randoms[position] = replace(order, marketplace=True, invoiced=n % 2 == 0)
        else:
            randoms[position] = replace(order, invoiced=False, marketplace=False)
    by_id = {o.order_id: o for o in randoms}
    data.orders = [by_id.get(o.order_id, o) for o in data.orders]

    add_special_instances(data, ids, first_random=len(ref))
    return data


def demo_scenarios(seed: int = DEFAULT_SEED) -> list[Scenario]:
    """The demo's scenarios (instance, cancellation time, what it shows) for ``seed``: the
    instances worth quoting, e.g. for the golden file of demo quotes."""
    return demo_dataset(seed).scenarios
