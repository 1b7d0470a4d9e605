"""Deterministic generator of BSS-shaped exports: tests, the demo database and benchmarks.

It writes files exactly as the BSS OpenAPI (2017-12-14) returns them and as operators save them
(:mod:`.exports`). :func:`reference_orders` are the four reference instances of the BSS fixtures
(RULES.md §6 and the fixtures' README); :func:`write_exports` of them reproduces those files byte
for byte. Request ids are UUID5 of the page key, so the output depends only on the input. All
names and ids are made up; nothing describes a real person.

- :mod:`.orders` — what is generated (``GenOrder``, ``GenRefund``, ``Scenario``,
  ``DemoDataset``) and the reference set;
- :mod:`.bss_docs` — the API's response shapes for them;
- :mod:`.exports` — writing them as export files and the desk's CSV;
- :mod:`.random_orders` — seeded ids and choices, the bulk orders of the benchmarks;
- :mod:`.demo_set` and :mod:`.special_cases` — the demo data set.

Not part of the store: it may use :mod:`refund_desk.store` (the CSV template), the store never
imports it. The demo database is built from it by :mod:`refund_desk.services.demo`.
"""

from __future__ import annotations

from .bss_docs import (
    available_instances_doc,
    order_detail_doc,
    query_orders_doc,
    refund_order_detail_doc,
)
from .demo_set import DEFAULT_SEED, demo_dataset, demo_scenarios
from .exports import write_csv, write_demo_files, write_exports, write_reference_exports
from .orders import DemoDataset, GenOrder, GenRefund, Scenario, reference_orders
from .random_orders import CHANNEL_WEIGHTS, bulk_orders

__all__ = [
    "CHANNEL_WEIGHTS",
    "DEFAULT_SEED",
    "DemoDataset",
    "GenOrder",
    "GenRefund",
    "Scenario",
    "available_instances_doc",
    "bulk_orders",
    "demo_dataset",
    "demo_scenarios",
    "order_detail_doc",
    "query_orders_doc",
    "reference_orders",
    "refund_order_detail_doc",
    "write_csv",
    "write_demo_files",
    "write_exports",
    "write_reference_exports",
]
