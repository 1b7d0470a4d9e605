"""The subcommands of ``refund-desk`` (``quote``, ``import``, ``demo``, ``audit verify``,
``cases``): no Qt imported here."""

from __future__ import annotations

import argparse
import json
import sys
from decimal import Decimal, InvalidOperation

from .wording import _, ngettext


class CommandError(Exception):
    """A user error: printed as one line, exit code 2."""


def _parse_options(args: argparse.Namespace):
    from .policy import OrderOptions

    order_ids = set(args.invoiced) | set(args.marketplace) | set(args.original_failed)
    discounts: dict[str, Decimal] = {}
    for item in args.discount:
        order_id, sep, factor = item.partition("=")
        if not sep or not order_id:
            raise CommandError(
                _("--discount wants ORDER_ID=FACTOR, got {item}").format(item=repr(item))
            )
        try:
            value = Decimal(factor)
        except InvalidOperation:
            raise CommandError(
                _("--discount {item}: {factor} is not a number").format(
                    item=repr(item), factor=repr(factor)
                )
            ) from None
        if not value.is_finite() or not (0 < value <= 1):
            raise CommandError(
                _("--discount {item}: the factor must be in (0, 1]").format(item=repr(item))
            )
        discounts[order_id] = value
    order_ids |= set(discounts)
    return {
        oid: OrderOptions(
            invoiced=True if oid in args.invoiced else None,
            marketplace=True if oid in args.marketplace else None,
            original_failed=oid in args.original_failed,
            discount=discounts.get(oid, Decimal(1)),
        )
        for oid in order_ids
    }


def _cmd_quote(args: argparse.Namespace) -> int:
    from .paths import resolve_db
    from .policy import TimeError, UnknownPolicyError, get_policy, parse_time, quote_to_dict
    from .policy.timeutil import check_cancel_at, china_now
    from .services.quoting import quote_instance
    from .services.text import quote_as_text
    from .store import open_store

    assumed = False
    if args.cancel_at and args.cancel_at.strip().lower() == "now":
        cancel_at = china_now().replace(microsecond=0)  # as the window's field reads "now"
    elif args.cancel_at:
        try:
            cancel_at, assumed = parse_time(args.cancel_at, naive_is="china")
            check_cancel_at(cancel_at)
        except TimeError as exc:
            from .wording_phrases import time_error_words

            raise CommandError(
                _("--cancel-at: {problem}").format(problem=time_error_words(str(exc)))
            ) from None
    else:
        cancel_at = china_now()
    options = _parse_options(args)
    try:
        policy = get_policy(args.policy_version) if args.policy_version else None
    except UnknownPolicyError as exc:
        raise CommandError(str(exc)) from None
    store = open_store(resolve_db(args.db), create=False)
    try:
        q = quote_instance(
            store,
            args.instance_id,
            cancel_at,
            options,
            policy=policy,
            cancel_at_assumed_tz=assumed,
        )
    except UnknownPolicyError as exc:  # a cancellation before the first policy version
        raise CommandError(_("--cancel-at: {problem}").format(problem=exc)) from None
    finally:
        store.close()
    if args.format == "json":
        from .wording_rules import explain

        data = quote_to_dict(q, explain=lambda e: explain(e, policy=q.policy_version))
        json.dump(data, sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(quote_as_text(q))
    return 0


def _cmd_import(args: argparse.Namespace) -> int:
    from .paths import resolve_db
    from .services.who import operator_override
    from .store import open_store
    from .store.importer import import_paths

    waiting = _WaitReport()
    store = open_store(resolve_db(args.db), on_wait=waiting)
    try:
        summary = import_paths(
            store,
            args.paths,
            actor=operator_override() or "cli",
            waiting=waiting,
            wait_s=float(args.wait),
        )
    finally:
        store.close()
    print(summary.format())
    return 1 if summary.rejected else 0


class _WaitReport:
    """Says on stderr, every few seconds, that the import waits for another desk's write: a
    wait is progress, not an error."""

    def __init__(self) -> None:
        self.said_at: float | None = None

    def __call__(self, waited: float) -> None:
        if self.said_at is None or waited - self.said_at >= 5:
            self.said_at = waited
            print(
                _("waiting for another desk's import to finish ({seconds} s)…").format(
                    seconds=f"{waited:.0f}"
                ),
                file=sys.stderr,
                flush=True,
            )


def _cmd_migrate(args: argparse.Namespace) -> int:
    """Create or upgrade the schema of ``--db`` (else ``$REFUND_DESK_DB``, else the operator's
    own file) and print where it stands; on a team database this is the owner's job, the
    desks' role may not change the schema (docs/TEAM.md)."""
    from .paths import resolve_db
    from .store import open_store
    from .store.schema import HEAD_REVISION

    store = open_store(resolve_db(args.db))
    try:
        print(
            _("{url}: schema {revision}, role {role}").format(
                url=store.url, revision=HEAD_REVISION, role=store.role
            )
        )
    finally:
        store.close()
    return 0


def _cmd_demo(args: argparse.Namespace) -> int:
    from pathlib import Path

    from .paths import demo_db_path
    from .services.demo import create_demo_database

    path = Path(args.path) if args.path else demo_db_path()
    existed = path.exists()
    created = create_demo_database(path, seed=args.seed, force=args.force)
    if existed and not args.force:
        print(
            _("demo database already exists, kept: {path} (--force rebuilds it)").format(
                path=created
            )
        )
    else:
        print(_("demo database: {path}").format(path=created))
    return 0


def _cmd_audit(args: argparse.Namespace) -> int:
    """``audit verify``: 0 and the count when the chain is intact, 1 naming the first broken
    entry and its case."""
    from .paths import resolve_db
    from .store import open_store

    store = open_store(resolve_db(args.db), create=False)
    try:
        report = store.verify_audit()
        where = store.url
    finally:
        store.close()
    if report.intact:
        print(
            _("audit log intact: {entries} entries, {cases} cases checked ({where})").format(
                entries=report.entries, cases=report.cases, where=where
            )
        )
        return 0
    more = len(report.problems) - 1
    after = (
        ngettext(" ({n} more problem after it)", " ({n} more problems after it)", more).format(
            n=more
        )
        if more
        else ""
    )
    from .wording_phrases import audit_problem_words

    print(
        _("audit log BROKEN: {problem}").format(
            problem=audit_problem_words(report.first.sentence())
        )
        + after
    )
    return 1


def _case_json(case) -> dict:
    parts = (case.quote or {}).get("by_destination") or {}
    return {
        "case_id": case.case_id,
        "instance_id": case.instance_id,
        "account_id": case.account_id,
        "status": case.status,
        "status_reason": case.status_reason,
        "refund": {dest: str(amount) for dest, amount in sorted(parts.items())},
        "total_refund": None if case.total_refund is None else str(case.total_refund),
        "operator": case.actor,
        "desk": case.host,
        "recorded_at": case.created_at.isoformat(),
        "updated_at": case.updated_at.isoformat(),
        "cancel_at": case.cancel_at.isoformat(),
        "replaces_case_id": case.replaces_case_id,
    }


def _cmd_cases(args: argparse.Namespace) -> int:
    """``cases``: every case (newest first), optionally of one status, as JSON or a table."""
    from .paths import resolve_db
    from .policy import format_cny
    from .policy.timeutil import CHINA_TZ
    from .store import open_store
    from .wording import current_language, format_money
    from .wording_rules import case_status_words

    store = open_store(resolve_db(args.db), create=False)
    try:
        found, offset = [], 0
        while True:
            page = store.list_cases(
                limit=1000,
                offset=offset,
                status=args.status,
                operator=getattr(args, "case_operator", None),
            )
            found.extend(page)
            offset += len(page)
            if len(page) < 1000:
                break
    finally:
        store.close()
    if args.format == "json":
        json.dump([_case_json(c) for c in found], sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
        return 0
    if not found:
        print(
            _("no cases with status {status}").format(status=case_status_words(args.status))
            if args.status
            else _("no cases")
        )
        return 0
    print(
        _("case  instance  status  refund (CNY, per destination)  operator  desk  recorded (China)")
    )
    lang = current_language()
    for case in found:
        parts = (case.quote or {}).get("by_destination") or {}
        refund = ", ".join(
            f"{d} {format_cny(Decimal(a)) if lang == 'en' else format_money(Decimal(a))}"
            for d, a in sorted(parts.items())
        )
        recorded = case.created_at.astimezone(CHINA_TZ).strftime("%Y-%m-%d %H:%M")
        extra = (
            _(" (replaces #{case_id})").format(case_id=case.replaces_case_id)
            if case.replaces_case_id
            else ""
        )
        reason = f" — {case.status_reason}" if case.status_reason else ""
        print(
            f"#{case.case_id}  {case.instance_id}  {case_status_words(case.status)}{reason}  "
            f"{refund or '—'}  {case.actor}  {case.host or '—'}  {recorded}{extra}"
        )
    return 0


def _cmd_watch(args: argparse.Namespace) -> int:
    """``watch``: one line per case change of the whole team, as the desk hears it (LISTEN on
    PostgreSQL, polling on SQLite), until interrupted; ``listening …`` first, and a line when
    the database is lost or back. Exit 0 on Ctrl+C or SIGTERM."""
    import signal
    import threading

    from .paths import resolve_db
    from .services.live import ChangeFeed
    from .store import open_store

    target = resolve_db(args.db)
    open_store(target, create=False).close()  # the schema is checked (and upgraded) first
    lock = threading.Lock()
    stop = threading.Event()

    def say(line: str) -> None:
        with lock:
            print(line, flush=True)

    def change(c) -> None:
        if args.format == "json":
            say(json.dumps({
                "case_id": c.case_id, "instance_id": c.instance_id, "status": c.status,
                "operator": c.operator, "desk": c.host,
                "at": c.at.isoformat() if c.at else None, "received": c.received,
            }))  # fmt: skip
        elif c.resync:
            say("back online: changes made meanwhile are not listed; run 'refund-desk cases'")
        else:
            desk = f" on desk {c.host}" if c.host else ""
            say(f"case #{c.case_id} {c.instance_id} is {c.status} (recorded by {c.operator}{desk})")

    def state(online: bool, reason: str) -> None:
        if args.format == "json":
            say(json.dumps({"online": online, "reason": reason}))
        else:
            say("listening for case changes" if online else f"offline: {reason}")

    previous = signal.signal(signal.SIGTERM, lambda *_: stop.set())
    feed = ChangeFeed(target, on_change=change, on_state=state).start()
    try:
        while not stop.wait(0.2):
            pass
    except KeyboardInterrupt:
        pass
    finally:
        feed.stop()
        signal.signal(signal.SIGTERM, previous)
    return 0


_COMMANDS = {
    "quote": _cmd_quote,
    "import": _cmd_import,
    "migrate": _cmd_migrate,
    "demo": _cmd_demo,
    "audit": _cmd_audit,
    "cases": _cmd_cases,
    "watch": _cmd_watch,
}


def run_command(args: argparse.Namespace) -> int:
    """Run the subcommand named by ``args.command``; errors become one line on stderr.

    Returns:
        0 on success, 1 when an import rejected a file or the audit chain is broken, 2 on a user
        error (unknown instance, bad time, unreadable database).
    """
    from sqlalchemy.exc import SQLAlchemyError

    from .errors import DeskError
    from .policy import QuoteError
    from .safetext import one_line
    from .store.db import problem

    try:
        return _COMMANDS[args.command](args)
    except (CommandError, DeskError, QuoteError) as exc:
        from .wording_phrases import time_error_words

        message = time_error_words(str(exc))
    except SQLAlchemyError as exc:  # the database failed outside an import's own handling
        message = _("the database failed: {problem}").format(problem=problem(exc))
    except BrokenPipeError:
        raise  # the reader of stdout went away (| head): cli.main ends quietly
    except OSError as exc:
        message = f"{exc.strerror or exc}" + (f": {exc.filename}" if exc.filename else "")
    print(f"refund-desk {args.command}: {one_line(message)}", file=sys.stderr)
    return 2
