"""Command-line entry points: ``refund-desk`` (the window) and its subcommands.

Nothing heavy is imported at module level: the window path must paint before SQLAlchemy and the
holiday calendar are loaded, and ``quote``/``import`` must not load Qt.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence


def _add_db(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--db",
        metavar="PATH",
        help="database file or SQLAlchemy URL (default: $REFUND_DESK_DB, else the desk's own)",
    )


def build_parser() -> argparse.ArgumentParser:
    """The ``refund-desk`` argument parser (GUI options plus the subcommands)."""
    parser = argparse.ArgumentParser(
        prog="refund-desk",
        description="Refund Desk: refund quotes and tickets for IoT Platform instances.",
    )
    _add_db(parser)
    parser.add_argument("--demo", action="store_true", help="open the demo database")
    parser.add_argument(
        "--training", action="store_true", help="start in training mode (separate database)"
    )
    parser.add_argument(
        "--smoke",
        action="store_true",
        help="start, search and quote one demo instance through the real store, then exit 0",
    )
    parser.add_argument(
        "--smoke-first-paint",
        action="store_true",
        help="exit as soon as the main window has painted once",
    )
    parser.add_argument(
        "--qt-refcount-probe",
        nargs="?",
        const=-1,
        type=int,
        metavar="CALLS",
        help=argparse.SUPPRESS,  # packaging check: refcount leaks of the Qt binding (issue 16)
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    q = sub.add_parser("quote", help="print the refund quote of an instance")
    _add_db(q)
    q.add_argument("instance_id")
    q.add_argument("--cancel-at", help="cancellation time, ISO 8601 (default now, China time)")
    q.add_argument("--invoiced", action="append", default=[], metavar="ORDER_ID")
    q.add_argument("--marketplace", action="append", default=[], metavar="ORDER_ID")
    q.add_argument("--original-failed", action="append", default=[], metavar="ORDER_ID")
    q.add_argument("--discount", action="append", default=[], metavar="ORDER_ID=FACTOR")
    q.add_argument("--policy-version", type=int, help="compute under this policy version")
    q.add_argument("--format", choices=["json", "text"], default="text")

    imp = sub.add_parser("import", help="import BSS exports or CSV order files into the database")
    _add_db(imp)
    imp.add_argument("paths", nargs="+", metavar="PATH")
    imp.add_argument(
        "--wait",
        type=float,
        default=600,
        metavar="SECONDS",
        help="how long to wait while another desk imports into the same database (default 600)",
    )

    mig = sub.add_parser(
        "migrate",
        help="create or upgrade the database schema (a team database: run as its owner)",
    )
    _add_db(mig)

    audit = sub.add_parser("audit", help="check the audit log")
    audit_sub = audit.add_subparsers(dest="audit_command", metavar="ACTION", required=True)
    verify = audit_sub.add_parser(
        "verify",
        help="check the audit log's hash chain and every case against it (exit 0 intact, 1 broken)",
    )
    _add_db(verify)

    cases = sub.add_parser("cases", help="list the refund cases (for supervisors and scripts)")
    _add_db(cases)
    cases.add_argument(
        "--status",
        choices=["drafted", "submitted", "refunded", "failed", "duplicate"],
        help="only cases in this status",
    )
    cases.add_argument("--format", choices=["json", "text"], default="text")

    demo = sub.add_parser("demo", help="create (or re-create) the demo database")
    demo.add_argument("--path", help="where to write it (default: the desk's demo database)")
    demo.add_argument("--seed", type=int, default=20240309)
    demo.add_argument("--force", action="store_true", help="replace an existing demo database")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``refund-desk``. Returns the process exit code (0 on success).

    Errors (unknown instance, bad time, rejected file) print one line to stderr and return
    non-zero; no traceback reaches the user. The window path returns 3 with a message naming
    what to install when Qt could not open a window (:mod:`refund_desk.qt_check`).
    """
    args = build_parser().parse_args(argv)
    if args.qt_refcount_probe is not None:
        from .ui.refcount_probe import CALLS
        from .ui.refcount_probe import main as probe

        calls = args.qt_refcount_probe if args.qt_refcount_probe > 0 else CALLS
        return probe([str(calls)])
    if args.command is None:
        from .qt_check import EXIT_NO_WINDOW, window_problem

        problem = window_problem()
        if problem:  # Qt would abort the process with a hint about xcb; say it in words
            print(problem, file=sys.stderr)
            return EXIT_NO_WINDOW
        from .app import run_gui  # Qt is imported only on the window path

        return run_gui(args)
    from .commands import run_command

    return run_command(args)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
