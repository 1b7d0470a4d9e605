"""The subcommands of ``refund-desk`` (``quote``, ``import``, ``demo``): no Qt imported here."""

from __future__ import annotations

import argparse
import json
import sys
from decimal import Decimal, InvalidOperation


class CommandError(Exception):
    """A user error: printed as one line, exit code 2."""


def _parse_options(args: argparse.Namespace):
    from .policy import OrderOptions

    order_ids = set(args.invoiced) | set(args.marketplace) | set(args.original_failed)
    discounts: dict[str, Decimal] = {}
    for item in args.discount:
        order_id, sep, factor = item.partition("=")
        if not sep or not order_id:
            raise CommandError(f"--discount wants ORDER_ID=FACTOR, got {item!r}")
        try:
            value = Decimal(factor)
        except InvalidOperation:
            raise CommandError(f"--discount {item!r}: {factor!r} is not a number") from None
        if not value.is_finite() or not (0 < value <= 1):
            raise CommandError(f"--discount {item!r}: the factor must be in (0, 1]")
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
    from .policy.timeutil import china_now
    from .services.quoting import quote_instance
    from .services.text import quote_as_text
    from .store import open_store

    assumed = False
    if args.cancel_at:
        try:
            cancel_at, assumed = parse_time(args.cancel_at, naive_is="china")
        except TimeError as exc:
            raise CommandError(f"--cancel-at: {exc}") from None
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
    finally:
        store.close()
    if args.format == "json":
        json.dump(quote_to_dict(q), sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(quote_as_text(q))
    return 0


def _cmd_import(args: argparse.Namespace) -> int:
    from .paths import resolve_db
    from .store import open_store
    from .store.importer import import_paths

    store = open_store(resolve_db(args.db))
    try:
        summary = import_paths(store, args.paths, actor="cli")
    finally:
        store.close()
    print(summary.format())
    return 1 if summary.rejected else 0


def _cmd_migrate(args: argparse.Namespace) -> int:
    """Create or upgrade the schema of ``--db`` (else ``$REFUND_DESK_DB``, else the operator's
    own file) and print where it stands; on a team database this is the owner's job, the
    desks' role may not change the schema (docs/TEAM.md)."""
    from .paths import resolve_db
    from .store import open_store
    from .store.db import HEAD_REVISION

    store = open_store(resolve_db(args.db))
    try:
        print(f"{store.url}: schema {HEAD_REVISION}, role {store.role}")
    finally:
        store.close()
    return 0


def _cmd_demo(args: argparse.Namespace) -> int:
    from pathlib import Path

    from .paths import demo_db_path
    from .store.demo import create_demo_database

    path = Path(args.path) if args.path else demo_db_path()
    existed = path.exists()
    created = create_demo_database(path, seed=args.seed, force=args.force)
    if existed and not args.force:
        print(f"demo database already exists, kept: {created} (--force rebuilds it)")
    else:
        print(f"demo database: {created}")
    return 0


_COMMANDS = {
    "quote": _cmd_quote,
    "import": _cmd_import,
    "migrate": _cmd_migrate,
    "demo": _cmd_demo,
}


def run_command(args: argparse.Namespace) -> int:
    """Run the subcommand named by ``args.command``; errors become one line on stderr.

    Returns:
        0 on success, 1 when an import rejected a file, 2 on a user error (unknown instance,
        bad time, unreadable database).
    """
    from .errors import DeskError
    from .policy import QuoteError

    try:
        return _COMMANDS[args.command](args)
    except (CommandError, DeskError, QuoteError) as exc:
        print(f"refund-desk {args.command}: {exc}", file=sys.stderr)
        return 2
