"""Command-line entry points: ``refund-desk`` (the window) and its subcommands.

Nothing heavy is imported at module level: the window path must paint before SQLAlchemy and the
holiday calendar are loaded, and ``quote``/``import`` must not load Qt.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from . import wording
from .wording import _


def _add_db(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--db",
        metavar="PATH",
        help=_("database file or SQLAlchemy URL (default: $REFUND_DESK_DB, else the desk's own)"),
    )
    _add_lang(parser)


def _add_lang(parser: argparse.ArgumentParser) -> None:
    # Read before parsing by cli_language(); declared so that argparse accepts it anywhere.
    parser.add_argument(
        "--lang",
        choices=wording.LANGUAGES,
        help=_("language of the output and the window: zh_CN or en (default: from $LANG)"),
    )


class _Parser(argparse.ArgumentParser):
    """argparse with its usage kept, and the error alone on the last line after a blank one,
    with where to read every option (subcommands get the same class)."""

    def error(self, message: str):  # noqa: D102 - argparse's hook
        self.print_usage(sys.stderr)
        self.exit(2, f"\n{self.prog}: error: {message}\n(see: {self.prog} --help)\n")


def build_parser() -> argparse.ArgumentParser:
    """The ``refund-desk`` argument parser (GUI options plus the subcommands)."""
    parser = _Parser(
        prog="refund-desk",
        description=_("Refund Desk: refund quotes and tickets for IoT Platform instances."),
    )
    _add_db(parser)
    parser.add_argument(
        "--operator",
        metavar="NAME",
        help=_(
            "your name on cases and audit entries (also $REFUND_DESK_OPERATOR; default: the "
            "name kept in the settings)"
        ),
    )
    parser.add_argument("--demo", action="store_true", help=_("open the demo database"))
    parser.add_argument(
        "--training", action="store_true", help=_("start in training mode (separate database)")
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

    q = sub.add_parser("quote", help=_("print the refund quote of an instance"))
    _add_db(q)
    q.add_argument("instance_id")
    q.add_argument(
        "--cancel-at",
        help=_("cancellation time, ISO 8601, or now (China time; default now)"),
    )
    q.add_argument("--invoiced", action="append", default=[], metavar="ORDER_ID")
    q.add_argument("--marketplace", action="append", default=[], metavar="ORDER_ID")
    q.add_argument("--original-failed", action="append", default=[], metavar="ORDER_ID")
    q.add_argument("--discount", action="append", default=[], metavar="ORDER_ID=FACTOR")
    q.add_argument("--policy-version", type=int, help="compute under this policy version")
    q.add_argument("--format", choices=["json", "text"], default="text")

    imp = sub.add_parser(
        "import", help=_("import BSS exports or CSV order files into the database")
    )
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
    cases.add_argument(
        "--operator",
        dest="case_operator",
        metavar="NAME",
        help="only cases recorded by this operator",
    )
    cases.add_argument("--format", choices=["json", "text"], default="text")

    watch = sub.add_parser(
        "watch",
        help="print every case change of the team as it happens (one line each) until stopped",
    )
    _add_db(watch)
    watch.add_argument("--format", choices=["json", "text"], default="text")

    demo = sub.add_parser("demo", help="create (or re-create) the demo database")
    _add_lang(demo)
    demo.add_argument("--path", help="where to write it (default: the desk's demo database)")
    demo.add_argument("--seed", type=int, default=20240309)
    demo.add_argument("--force", action="store_true", help="replace an existing demo database")
    return parser


def cli_language(argv: Sequence[str] | None = None) -> str:
    """The language asked for: the last ``--lang X``/``--lang=X`` in ``argv`` (default
    ``sys.argv[1:]``), else the environment (``LANGUAGE``, ``LC_ALL``, ``LC_MESSAGES``, ``LANG``).
    Read before the parser is built, so its help is in that language too. Returns ``"zh_CN"`` or
    ``"en"``."""
    args = list(sys.argv[1:] if argv is None else argv)
    chosen = None
    for i, arg in enumerate(args):
        if arg == "--lang" and i + 1 < len(args):
            chosen = args[i + 1]
        elif arg.startswith("--lang="):
            chosen = arg.split("=", 1)[1]
    return wording.normalise_language(chosen) if chosen else wording.language_from_environment()


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``refund-desk``. Returns the process exit code (0 on success).

    Errors (unknown instance, bad time, rejected file) print one line to stderr and return
    non-zero; no traceback reaches the user. The window path returns 3 with a message naming
    what to install when Qt could not open a window (:mod:`refund_desk.qt_check`).
    """
    wording.set_language(cli_language(argv))
    args = build_parser().parse_args(argv)
    if args.operator is not None:
        import os

        from .services.who import OPERATOR_ENV

        os.environ[OPERATOR_ENV] = args.operator.strip()
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
    return _quiet_when_cut_off(args)


EXIT_CUT_OFF = 141
"""Exit code when the reader of the output went away (``| head``): 128 + SIGPIPE, what a shell
reports for any program cut off that way."""


def _quiet_when_cut_off(args: argparse.Namespace) -> int:
    """Run a subcommand; when its reader closes the pipe (``refund-desk cases | head``) end
    quietly with :data:`EXIT_CUT_OFF`, never a traceback (Python's documented way: point stdout
    at devnull so the final flush cannot fail again)."""
    import os

    from .commands import run_command

    try:
        code = run_command(args)
        sys.stdout.flush()  # what is still buffered goes now, while a failure can be caught
        return code
    except BrokenPipeError:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_CUT_OFF


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
