"""The BSS OpenAPI (2017-12-14) response shapes, one document or record at a time: what
``GetOrderDetail``, ``QueryBill``, ``QueryAccountTransactions``, ``QueryOrders`` and
``QueryAvailableInstances`` return for generated orders, refunds and instance statuses.
"""

from __future__ import annotations

import json
from datetime import datetime
from decimal import Decimal

from .orders import CONFIG, TWO, GenOrder, GenRefund, iso, money, request_id


def _number(amount: Decimal) -> float:
    return float(amount.quantize(TWO))


def envelope(key: str, data: dict) -> dict:
    """A successful API response around ``data``, its ``RequestId`` made from ``key``."""
    return {
        "Code": "Success",
        "Message": "Successful!",
        "RequestId": request_id(key),
        "Success": True,
        "Data": data,
    }


def order_detail_doc(order: GenOrder) -> dict:
    """The ``GetOrderDetail`` response of one order (every value as the API gives it)."""
    if order.ids_field == "InstanceIds":
        ids_key, ids_value = "InstanceIds", json.dumps(list(order.instance_ids))
    else:
        ids_key, ids_value = "InstanceIDs", ",".join(order.instance_ids)
    detail = {
        "OrderId": order.order_id,
        "SubOrderId": order.sub_order_id,
        "RelatedOrderId": "",
        "ProductCode": "iot",
        "ProductType": "iot_instance",
        "SubscriptionType": order.subscription_type,
        "OrderType": order.order_type,
        "OrderSubType": "productsuborder",
        "CreateTime": iso(order.create_time),
        "PaymentTime": iso(order.payment_time) if order.paid else "",
        "PaymentStatus": order.payment_status,
        "Region": order.region,
        "Config": CONFIG,
        "Quantity": "1",
        "UsageStartTime": iso(order.usage_start),
        "UsageEndTime": iso(order.usage_end),
        ids_key: ids_value,
        "PretaxGrossAmount": money(order.list_price),
        "PretaxAmount": money(order.pretax),
        "PretaxAmountLocal": money(order.pretax),
        "Tax": "0.00",
        "AfterTaxAmount": money(order.pretax),
        "Currency": order.currency,
        "PaymentCurrency": order.currency,
        "CommodityCode": "iot_instance_cn",
        "Operator": order.account_id,
    }
    return envelope(
        order.order_id,
        {
            "HostName": "cn",
            "PageNum": 1,
            "PageSize": 20,
            "TotalCount": 1,
            "OrderList": {"Order": [detail]},
        },
    )


def refund_order(refund: GenRefund, *, with_instance: bool = True) -> dict:
    """One refund order as ``GetOrderDetail`` (``with_instance``) or ``QueryOrders`` lists it:
    ``OrderType`` ``Refund``, ``RelatedOrderId``, no ``PaymentStatus``, amounts negative as
    the bill shows a refund."""
    order = {
        "OrderId": refund.order_id,
        "RelatedOrderId": refund.related_order_id,
        "ProductCode": "iot",
        "ProductType": "iot_instance",
        "SubscriptionType": "Subscription",
        "OrderType": "Refund",
        "CreateTime": iso(refund.refunded_at),
        "PaymentTime": iso(refund.refunded_at),
        "PretaxGrossAmount": money(-refund.amount),
        "PretaxAmount": money(-refund.amount),
        "PretaxAmountLocal": money(-refund.amount),
        "Tax": "0.00",
        "AfterTaxAmount": money(-refund.amount),
        "Currency": "CNY",
        "PaymentCurrency": "CNY",
        "CommodityCode": "iot_instance_cn",
    }
    if with_instance:
        order.update(
            {
                "SubOrderId": refund.order_id + "1",
                "OrderSubType": "productsuborder",
                "Region": "cn-shanghai",
                "InstanceIDs": refund.instance_id,
                "Operator": refund.account_id,
            }
        )
    return order


def refund_order_detail_doc(refund: GenRefund) -> dict:
    """The ``GetOrderDetail`` response of one refund order."""
    return envelope(
        refund.order_id,
        {
            "HostName": "cn",
            "PageNum": 1,
            "PageSize": 20,
            "TotalCount": 1,
            "OrderList": {"Order": [refund_order(refund)]},
        },
    )


def query_orders_doc(orders: list[GenOrder], refunds: list[GenRefund], key: str) -> dict:
    """A ``QueryOrders`` page (an account's orders at once): no instance ids; refund orders
    carry ``RelatedOrderId``."""
    listed = []
    for order in orders:
        detail = order_detail_doc(order)["Data"]["OrderList"]["Order"][0]
        listed.append(
            {
                k: detail[k]
                for k in (
                    "OrderId",
                    "RelatedOrderId",
                    "ProductCode",
                    "ProductType",
                    "SubscriptionType",
                    "OrderType",
                    "CreateTime",
                    "PaymentTime",
                    "PaymentStatus",
                    "PretaxGrossAmount",
                    "PretaxAmount",
                    "PretaxAmountLocal",
                    "Tax",
                    "AfterTaxAmount",
                    "Currency",
                    "PaymentCurrency",
                    "CommodityCode",
                )
            }  # fmt: skip
        )
    listed += [refund_order(r, with_instance=False) for r in refunds]
    return envelope(
        key,
        {
            "HostName": "cn",
            "PageNum": 1,
            "PageSize": max(20, len(listed)),
            "TotalCount": len(listed),
            "OrderList": {"Order": listed},
        },
    )


def available_instances_doc(
    instances: list[tuple[str, str, str, datetime | None]], key: str
) -> dict:
    """A ``QueryAvailableInstances`` page from ``(instance_id, owner_id, status,
    release_time)`` (status ``Normal``, ``Released``, …)."""
    return envelope(
        key,
        {
            "PageNum": 1,
            "PageSize": max(20, len(instances)),
            "TotalCount": len(instances),
            "InstanceList": [
                {
                    "InstanceID": instance_id,
                    "OwnerId": int(owner),
                    "ProductCode": "iot",
                    "ProductType": "iot_instance",
                    "SubscriptionType": "Subscription",
                    "Region": "cn-shanghai",
                    "Status": status,
                    "SubStatus": "Normal" if status == "Normal" else status,
                    "RenewStatus": "ManualRenewal",
                    "CreateTime": "2024-01-10T02:00:00Z",
                    "EndTime": "2025-01-10T02:00:00Z",
                    "ReleaseTime": iso(released) if released else "",
                    "ExpectedReleaseTime": "",
                    "StopTime": "",
                    "Seller": "26842",
                    "SellerId": 26842,
                }
                for instance_id, owner, status, released in instances
            ],
        },
    )


def bill_item(order: GenOrder) -> dict:
    """One ``QueryBill`` item (``RecordID`` = order id); amounts as JSON numbers."""
    invoice_discount = order.list_price - order.pretax - order.coupon
    return {
        "RecordID": order.order_id,
        "Item": "SubscriptionOrder",
        "OwnerID": order.account_id,
        "UsageStartTime": iso(order.usage_start),
        "UsageEndTime": iso(order.usage_end),
        "PaymentTime": iso(order.payment_time),
        "ProductCode": "iot",
        "ProductType": "iot_instance",
        "SubscriptionType": order.subscription_type,
        "ProductName": "IoT Platform",
        "ProductDetail": "IoT Platform Enterprise Edition",
        "PretaxGrossAmount": _number(order.list_price),
        "InvoiceDiscount": _number(max(invoice_discount, Decimal(0))),
        "DeductedByCoupons": _number(order.coupon),
        "PretaxAmount": _number(order.pretax),
        "Currency": order.currency,
        "PretaxAmountLocal": _number(order.pretax),
        "Tax": 0.0,
        "PaymentAmount": _number(order.cash),
        "DeductedByCashCoupons": _number(order.voucher),
        "DeductedByPrepaidCard": _number(order.prepaid_card),
        "OutstandingAmount": 0.0,
        "AfterTaxAmount": _number(order.pretax),
        "Status": "PayFinish",
        "PaymentCurrency": order.currency,
        "PaymentTransactionID": "TX" + order.order_id,
        "RoundDownDiscount": "0",
        "SubOrderId": order.sub_order_id,
    }


def transaction(order: GenOrder) -> dict:
    """One ``QueryAccountTransactions`` payment (``RecordID`` = order id, ``Amount`` = cash)."""
    return {
        "TransactionNumber": "TX" + order.order_id,
        "TransactionTime": iso(order.payment_time),
        "TransactionFlow": "Expense",
        "TransactionType": "Payment",
        "TransactionChannel": order.channel,
        "TransactionChannelSN": "SN" + order.order_id[-8:],
        "FundType": "Cash",
        "RecordID": order.order_id,
        "Remarks": "iot",
        "BillingCycle": order.billing_cycle,
        "Amount": money(order.cash),
        "Balance": "0.00",
        "TransactionAccount": order.account_id,
    }
