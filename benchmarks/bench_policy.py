"""Quote speed: 100,000 orders in instances of one to three orders, inputs in memory.

Prints orders quoted per second (target: 20,000 or more on a 2-core machine) beside the time to
load the same instances from an SQLite database built through the real importer. Run:

    python benchmarks/bench_policy.py [--orders 100000] [--seed 7]
"""

from __future__ import annotations

import argparse
import gc
import statistics
import tempfile
import time
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--orders", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()

    from refund_desk.demo_data import bulk_orders, write_exports
    from refund_desk.policy import china_calendar, parse_time, quote
    from refund_desk.store import open_store
    from refund_desk.store.importer import import_paths

    generated = list(bulk_orders(args.orders, seed=args.seed))
    instance_ids = sorted({o.instance_ids[0] for o in generated})
    with tempfile.TemporaryDirectory(prefix="bench-policy-") as tmp:
        exports = Path(tmp) / "bss"
        write_exports(generated, exports)
        store = open_store(Path(tmp) / "bench.db")
        t0 = time.perf_counter()
        summary = import_paths(store, [exports], actor="bench")
        import_s = time.perf_counter() - t0
        assert not summary.rejected, summary.format()

        t0 = time.perf_counter()
        instances = [store.instance_input(iid) for iid in instance_ids]
        load_s = time.perf_counter() - t0
        store.close()

    n_orders = sum(len(i.orders) for i in instances)
    cancel_at = parse_time("2025-06-30T10:00:00+08:00")[0]
    # Cancellation dates spread over the data so routes, windows and ETAs all vary.
    cancel_times = [max(cancel_at, max(o.payment_time for o in inst.orders)) for inst in instances]
    china_calendar().add_business_days(cancel_at.date(), 2)  # warm the calendar once

    runs = []
    for _ in range(args.rounds):
        gc.collect()
        t0 = time.perf_counter()
        for inst, when in zip(instances, cancel_times, strict=True):
            quote(inst, when)
        runs.append(time.perf_counter() - t0)
    best, median = min(runs), statistics.median(runs)

    print(f"orders: {n_orders:,} in {len(instances):,} instances (1-3 orders each)")
    print(f"import through the real importer: {import_s:8.2f} s")
    print(f"load instance inputs from SQLite: {load_s:8.2f} s  ({n_orders / load_s:,.0f} orders/s)")
    print(
        f"quote in memory, best of {args.rounds}:   {best:8.2f} s  "
        f"({n_orders / best:,.0f} orders/s; median {n_orders / median:,.0f}; target 20,000)"
    )


if __name__ == "__main__":
    main()
