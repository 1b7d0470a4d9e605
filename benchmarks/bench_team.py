"""Team benchmark (issue 14 part 2): many desks, one PostgreSQL database. Prints figures and the
checks' results; asserts nothing (run by hand, about 1.5 minutes with the defaults).

    .venv/bin/python benchmarks/bench_team.py [--desks 20] [--duration 60] [--instances 300]
        [--server postgresql+psycopg://postgres@127.0.0.1:5432/postgres] [--restart] [--seed 1]

1. Creates a database ``refund_desk_bench_<pid>`` on ``--server`` (default: the development
   server; ``--restart``: a private server in a temporary folder, ``tests/helpers/private_pg``),
   migrates it and imports generated BSS exports (``bulk_orders``) with the real importer;
   keeps ``--instances`` Enterprise instances whose quote may be recorded.
2. Starts ``--desks`` desk processes. For ``--duration`` seconds each picks an instance of the
   shared set at random (so desks collide on the same instances) and does what a desk does with
   it through the real services: records a confirmed case when none is open; moves an open one
   (drafted → submitted; submitted → refunded, failed, or "original-method refund failed" with
   its fallback replacement). Each desk also listens (``services.live.ChangeFeed``) and notes
   when it hears each change.
3. ``--restart``: the private server is stopped in the middle of the run and started 3 s later
   (fast shutdown: every session is cut, desks' writes fail meanwhile and are retried).
4. Checks and prints: duplicate open cases (must be 0), audit entries the desks say they
   committed vs entries stored (lost must be 0), every case with its first entry, the hash
   chain; operations per second, p50/p99 latency of recording a case, p50/p99 time for a change
   to reach the other desks (from the writer's commit to each listener hearing it).
Then drops the database (and the private server).
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import random
import secrets
import sys
import tempfile
import threading
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

DEFAULT_SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"


# --------------------------------------------------------------------------- set-up
def _admin(url: str):
    import psycopg
    from sqlalchemy.engine import make_url

    libpq = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    return psycopg.connect(libpq, autocommit=True, connect_timeout=10)


def _with_database(url: str, name: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).set(database=name).render_as_string(hide_password=False)


def prepare(url: str, orders: int, instances: int, seed: int) -> list[tuple[str, str]]:
    """Migrate, import generated exports, and pick ``instances`` recordable instances:
    ``[(instance_id, cancel_at ISO)]``."""
    from refund_desk.demo_data import bulk_orders, write_exports
    from refund_desk.services.cases import why_not_recordable
    from refund_desk.services.quoting import quote_instance
    from refund_desk.store import open_store
    from refund_desk.store.importer import import_paths

    generated = list(bulk_orders(orders, seed=seed))
    folder = Path(tempfile.mkdtemp(prefix="bench-team-"))
    write_exports(generated, folder)
    store = open_store(url)
    try:
        summary = import_paths(store, [folder], actor="bench")
        assert not summary.rejected, summary.format()
        by_instance: dict[str, list] = {}
        for order in generated:
            by_instance.setdefault(order.instance_ids[0], []).append(order)
        chosen = []
        for instance_id, its in sorted(by_instance.items()):
            cancel_at = max(o.payment_time for o in its) + timedelta(days=3)
            q = quote_instance(store, instance_id, cancel_at)
            if why_not_recordable(q) is None and q.total_refund > 0:
                chosen.append((instance_id, cancel_at.isoformat()))
            if len(chosen) >= instances:
                break
    finally:
        store.close()
    return chosen


# --------------------------------------------------------------------------- one desk
def desk(
    index: int, url: str, pool, start_at: float, duration: float, out: str, seed: int, barrier
):
    """One desk process (see the module docstring); writes its figures to ``out`` (JSON).
    ``barrier``: every desk waits there after its last write, so listeners hear them all."""
    from datetime import datetime

    from sqlalchemy import event
    from sqlalchemy.exc import SQLAlchemyError

    from refund_desk.errors import CaseError, DatabaseError
    from refund_desk.services import cases
    from refund_desk.services import fallback as case_fallback
    from refund_desk.services.acknowledgement import open_assumptions
    from refund_desk.services.live import ChangeFeed
    from refund_desk.services.quoting import quote_instance
    from refund_desk.store import open_store

    rng = random.Random(seed * 1000 + index)
    heard: list[tuple[int, str, float]] = []
    feed = ChangeFeed(
        url,
        on_change=lambda c: c.resync or heard.append((c.case_id, c.status, c.received)),
    ).start()
    store = open_store(url, create=False)
    store.desk_host = f"bench-desk-{index:02d}"
    operator = f"Operator {index:02d}"
    last_commit = [0.0]
    event.listen(store.engine, "commit", lambda _conn: last_commit.__setitem__(0, time.time()))
    feed.connected.wait(30)
    stats = {
        "desk": index, "records": 0, "submits": 0, "refunds": 0, "fails": 0, "fallbacks": 0,
        "refused": 0, "errors": 0, "unconfirmed_entries": 0, "entries": 0, "skipped": 0,
    }  # fmt: skip
    record_latency: list[float] = []
    committed: list[tuple[int, str, float]] = []
    done_instances: set[str] = set()
    while time.time() < start_at:
        time.sleep(0.01)
    end = start_at + duration

    def wrote(case_id: int, status: str, entries: int) -> None:
        stats["entries"] += entries
        committed.append((case_id, status, last_commit[0]))

    while time.time() < end:
        instance_id, cancel_text = rng.choice(pool)
        if instance_id in done_instances:
            stats["skipped"] += 1
            continue
        pending = 0
        try:
            open_case = store.open_case_of(instance_id)
            if open_case is None:
                q = quote_instance(store, instance_id, datetime.fromisoformat(cancel_text))
                if cases.why_not_recordable(q):
                    done_instances.add(instance_id)  # refunded by a desk: nothing more to do
                    stats["skipped"] += 1
                    continue
                confirmation = cases.ReleaseConfirmation(
                    instance_id, True, instance_id, zero_refund_told=True,
                    customer_asked=tuple(open_assumptions(q.flags)),
                )  # fmt: skip
                pending = 2
                started = time.perf_counter()
                result = cases.record_case(store, q, confirmation, operator=operator)
                if result.created:
                    record_latency.append(time.perf_counter() - started)
                    stats["records"] += 1
                    wrote(result.case_id, "drafted", 2)
                continue
            roll = rng.random()
            fallback = bool(case_fallback.fallback_orders(open_case.quote))
            if open_case.status == "drafted":
                action = "submitted" if roll < 0.75 else ("fallback" if fallback else "failed")
            else:
                action = "refunded" if roll < 0.15 else (
                    "failed" if roll < 0.55 or not fallback else "fallback"
                )  # fmt: skip
            if action == "fallback":
                pending = 3
                new = case_fallback.recompute_original_failed(
                    store, open_case.case_id, operator=operator, reason="card closed (bench)"
                )
                stats["fallbacks"] += 1
                committed.append((open_case.case_id, "failed", last_commit[0]))  # same commit
                wrote(new.case_id, "drafted", 3)
            else:
                pending = 1
                cases.set_status(
                    store, open_case.case_id, action, operator=operator,
                    reason="rejected (bench)" if action == "failed" else None,
                )  # fmt: skip
                key = {"submitted": "submits", "refunded": "refunds", "failed": "fails"}[action]
                stats[key] += 1
                wrote(open_case.case_id, action, 1)
        except CaseError:
            stats["refused"] += 1  # another desk moved first: refused, nothing written
        except (SQLAlchemyError, DatabaseError, OSError):
            # The server went away (restart): the write may or may not have committed.
            stats["errors"] += 1
            stats["unconfirmed_entries"] += pending
            time.sleep(0.5)
    # Listen until every desk's last write (one started before the end may take seconds under
    # load) has been heard: wait for all desks, then a moment more.
    try:
        barrier.wait(timeout=180)
    except threading.BrokenBarrierError:
        pass
    time.sleep(2.0)
    feed.stop()
    store.close()
    Path(out).write_text(
        json.dumps(
            {
                "stats": stats,
                "record_latency": record_latency,
                "committed": committed,
                "heard": heard,
            }
        )
    )


# --------------------------------------------------------------------------- the run
def _pct(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--desks", type=int, default=20)
    parser.add_argument("--duration", type=float, default=60.0, help="seconds (default 60)")
    parser.add_argument("--instances", type=int, default=300, help="shared instances")
    parser.add_argument("--server", default=os.environ.get("REFUND_DESK_BENCH_PG", DEFAULT_SERVER))
    parser.add_argument(
        "--restart",
        action="store_true",
        help="a private server, stopped in the middle of the run and restarted",
    )
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)

    cluster = None
    if args.restart:
        from tests.helpers.private_pg import PrivateCluster

        cluster = PrivateCluster()
        cluster.start()
        server = cluster.url()
    else:
        server = args.server
    name = f"refund_desk_bench_{os.getpid()}_{secrets.token_hex(3)}"
    with _admin(server) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    url = _with_database(server, name)
    work = Path(tempfile.mkdtemp(prefix="bench-team-out-"))
    try:
        t0 = time.perf_counter()
        pool = prepare(url, orders=args.instances * 6, instances=args.instances, seed=args.seed)
        print(f"database {name}: {len(pool)} recordable instances shared by {args.desks} desks "
              f"(set-up {time.perf_counter() - t0:.1f} s)")  # fmt: skip
        from refund_desk.store import open_store

        store = open_store(url, create=False)
        entries_before = len(_entry_ids(store))
        store.close()

        ctx = multiprocessing.get_context("spawn")
        barrier = ctx.Barrier(args.desks)
        start_at = time.time() + 8.0 + 0.4 * args.desks  # every desk imported and listening
        procs = []
        for i in range(args.desks):
            out = str(work / f"desk-{i:02d}.json")
            p = ctx.Process(
                target=desk,
                args=(i, url, pool, start_at, args.duration, out, args.seed, barrier),
            )
            p.start()
            procs.append((p, out))
        if cluster is not None:
            time.sleep(max(0.0, start_at - time.time()) + args.duration / 2)
            print("stopping the server (fast shutdown) …")
            cluster.stop()
            down = time.time()
            time.sleep(3.0)
            cluster.start()
            print(f"server back after {time.time() - down:.1f} s")
        for p, _out in procs:
            p.join(args.duration + 120)
        results = [json.loads(Path(out).read_text()) for _p, out in procs if Path(out).exists()]
        report(results, url, entries_before, args)
    finally:
        with _admin(server) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if cluster is not None:
            cluster.close()
    return 0


def _entry_ids(store) -> list[int]:
    from sqlalchemy import select

    from refund_desk.store import models as m

    with store.engine.connect() as conn:
        return list(conn.execute(select(m.audit_log.c.entry_id)).scalars())


def report(results: list[dict], url: str, entries_before: int, args) -> None:
    from sqlalchemy import String, cast, func, select

    from refund_desk.store import models as m
    from refund_desk.store import open_store

    totals: dict[str, int] = {}
    for r in results:
        for k, v in r["stats"].items():
            if k != "desk":
                totals[k] = totals.get(k, 0) + v
    writes = sum(totals[k] for k in ("records", "submits", "refunds", "fails", "fallbacks"))
    store = open_store(url, create=False)
    try:
        stored_entries = len(_entry_ids(store)) - entries_before
        c = m.cases
        with store.engine.connect() as conn:
            duplicates = conn.execute(
                select(func.count()).select_from(
                    select(c.c.instance_id)
                    .where(c.c.status.in_(("drafted", "submitted")))
                    .group_by(c.c.instance_id)
                    .having(func.count() > 1)
                    .subquery()
                )
            ).scalar_one()
            by_status = {
                s: n for s, n in conn.execute(select(c.c.status, func.count()).group_by(c.c.status))
            }
            hosts = conn.execute(select(func.count(func.distinct(c.c.host)))).scalar_one()
            orphans = conn.execute(
                select(func.count()).select_from(c).where(
                    ~select(m.audit_log.c.entry_id).where(
                        m.audit_log.c.entity == "case",
                        m.audit_log.c.entity_id == cast(c.c.case_id, String),
                        m.audit_log.c.action == "case.add",
                    ).exists()
                )
            ).scalar_one()  # fmt: skip
        t = time.perf_counter()
        chain = store.verify_audit()
        verify_s = time.perf_counter() - t
    finally:
        store.close()

    latencies = [x for r in results for x in r["record_latency"]]
    commits = {}
    for r in results:
        for case_id, status, at in r["committed"]:
            commits[(case_id, status)] = (r["stats"]["desk"], at)
    propagation = []
    missed = 0
    for r in results:
        me = r["stats"]["desk"]
        heard = {(case_id, status): at for case_id, status, at in r["heard"]}
        for key, (writer, at) in commits.items():
            if writer == me:
                continue
            if key in heard:
                propagation.append(heard[key] - at)
            else:
                missed += 1
    claimed = totals["entries"]
    lost = max(0, claimed - stored_entries)
    print(
        f"desks {len(results)}/{args.desks}, {args.duration:.0f} s"
        + (", server stopped and restarted mid-run" if args.restart else "")
    )
    print(
        f"operations: {writes} writes ({writes / args.duration:.1f}/s): "
        f"{totals['records']} recorded, {totals['submits']} submitted, "
        f"{totals['refunds']} refunded, {totals['fails']} failed, "
        f"{totals['fallbacks']} failed→fallback; {totals['refused']} refused (another desk "
        f"moved first), {totals['errors']} failed on a lost connection, "
        f"{totals['skipped']} picks of refunded instances skipped"
    )
    print(f"cases by status: {by_status}; desks on cases: {hosts}")
    print(
        f"record a case: p50 {_pct(latencies, 50) * 1000:.0f} ms, "
        f"p99 {_pct(latencies, 99) * 1000:.0f} ms ({len(latencies)} recorded)"
    )
    print(
        f"change → other desks: p50 {_pct(propagation, 50) * 1000:.0f} ms, "
        f"p99 {_pct(propagation, 99) * 1000:.0f} ms, max {max(propagation or [0]) * 1000:.0f} "
        f"ms ({len(propagation)} deliveries, {missed} not heard)"
    )
    unconfirmed = totals["unconfirmed_entries"]
    print(f"CHECK duplicate open cases: {duplicates} (must be 0)")
    print(
        f"CHECK audit entries: desks committed {claimed}, stored {stored_entries}, lost {lost} "
        f"(must be 0)"
        + (
            f"; {stored_entries - claimed} of up to {unconfirmed} whose commit the desk could "
            "not confirm (connection cut) were stored"
            if unconfirmed
            else ""
        )
    )
    print(f"CHECK cases without their case.add entry: {orphans} (must be 0)")
    print(
        f"CHECK audit chain: {'intact' if chain.intact else 'BROKEN: ' + chain.first.sentence()}"
        f" ({chain.entries} entries, {chain.cases} cases, verified in {verify_s:.1f} s)"
    )


if __name__ == "__main__":
    sys.exit(main())
