"""Errors the desk shows to people: each carries a plain one-line message."""

from __future__ import annotations

from .wording import _


class DeskError(Exception):
    """Base of every error meant for the operator (shown in one line, never a traceback)."""


class UnknownInstanceError(DeskError, LookupError):
    """No instance with that id in the database."""


class DatabaseError(DeskError):
    """The database cannot be opened or used (missing file, newer schema, not a desk database)."""


class SchemaTooNewError(DatabaseError):
    """The database was written by a newer desk: refused, never "repaired"."""


class FileFieldError(DeskError):
    """A file that cannot be used, named down to the entry and the field that are wrong.

    Attributes:
        file: the file's path as given. reason: what is wrong. field: the field, or ``None``.
    The message reads ``"<file>, <entry kind> <entry>, field <field>: <reason>"``.
    """

    entry_kind = "record"

    def _entry_words(self, entry: str) -> str:
        if self.entry_kind == "record":
            return _("record {entry}").format(entry=entry)
        return f"{self.entry_kind} {entry}"

    def __init__(self, file: str, reason: str, entry: str | None, field: str | None):
        self.file = file
        self.field = field
        self.reason = reason
        from .safetext import one_line

        where = one_line(file)  # a file name may hold a line break; the message stays one line
        if entry:
            where += _(", {entry}").format(entry=self._entry_words(entry))
        if field:
            where += _(", field {field}").format(field=field)
        super().__init__(_("{where}: {reason}").format(where=where, reason=reason))


class ImportRejected(FileFieldError):
    """A file was rejected by the importer; names the file, the record and the field.

    Attributes:
        record: the record (e.g. ``OrderId 2415…`` or ``line 7``), or ``None`` for the whole
            file; the rest as :class:`FileFieldError`.
    """

    def __init__(
        self, file: str, message: str, record: str | None = None, field: str | None = None
    ):
        self.record = record
        super().__init__(file, message, record, field)


class CaseError(DeskError):
    """A refund case cannot be recorded (confirmation missing, quote blocked)."""


class DuplicateConfirmationError(CaseError):
    """A refund case was already recorded with this release confirmation (one confirmation
    records one case). ``case_id`` is that case."""

    def __init__(self, case_id: int):
        self.case_id = case_id
        super().__init__(
            _("this confirmation already recorded case #{case_id}").format(case_id=case_id)
        )


def _china_words(moment) -> str:
    from datetime import timedelta, timezone

    return moment.astimezone(timezone(timedelta(hours=8))).strftime("%Y-%m-%d %H:%M")


def case_words(case) -> str:
    """``'#7 (submitted, recorded by Ana on 2024-03-09 10:05 China time, CNY 764.00)'`` for a
    stored case record."""
    from .wording import format_money
    from .wording_rules import case_status_words

    amount = _("amount not known") if case.total_refund is None else format_money(case.total_refund)
    return _("#{case_id} ({status}, recorded by {operator} on {when} China time, {amount})").format(
        case_id=case.case_id,
        status=case_status_words(case.status),
        operator=case.actor,
        when=_china_words(case.created_at),
        amount=amount,
    )


class CaseTransitionError(CaseError):
    """A case cannot move to the status asked (forbidden transition, or another desk moved it
    first); nothing was changed."""


class CaseTamperedError(CaseTransitionError):
    """A case's stored record no longer matches its audit trail: the row was changed outside
    the desk after its newest audit entry. The desk refuses to write anything about it (a new
    entry would record the changed row as if it were genuine). ``case_id`` is the case."""

    def __init__(self, case_id: int, entry_id: int | None = None):
        self.case_id = case_id
        self.entry_id = entry_id
        recorded = (
            f"what its audit trail recorded last (entry #{entry_id})"
            if entry_id is not None
            else "its audit trail (it has no audit entry)"
        )
        super().__init__(
            f"Case #{case_id}: its stored record no longer matches {recorded}; it was changed "
            "outside the desk. Nothing was written. Ask a supervisor to run "
            "'refund-desk audit verify'."
        )


class OpenCaseExistsError(CaseError):
    """The instance already has an open case (``HISTORY-OPEN-CASE``): the database refused a
    second one. ``case`` is the open case record."""

    def __init__(self, case):
        self.case = case
        super().__init__(
            _(
                "Instance {instance_id} already has an open case: {case}. Continue that case in "
                "Cases (Ctrl+2); nothing was recorded (HISTORY-OPEN-CASE)."
            ).format(instance_id=case.instance_id, case=case_words(case))
        )


class FallbackDoneError(CaseError):
    """The failed case already has its account-balance replacement (``HISTORY-FALLBACK-DONE``).
    ``replacement`` is that case record."""

    def __init__(self, failed_case_id: int, replacement):
        self.failed_case_id = failed_case_id
        self.replacement = replacement
        super().__init__(
            _(
                "Case #{case_id} already has its account-balance replacement: case "
                "{replacement}. A second replacement cannot be recorded (HISTORY-FALLBACK-DONE)."
            ).format(case_id=failed_case_id, replacement=case_words(replacement))
        )


class DatabaseBusyError(DatabaseError):
    """Another desk kept the database's write lock (an import or an upgrade) longer than this
    one would wait; nothing was done. ``waited`` is the time waited, in seconds."""

    def __init__(self, waited: float):
        self.waited = waited
        super().__init__(
            _(
                "the database stayed locked by another desk's import or upgrade for {seconds} s; "
                "nothing was done here (try again when it has finished)"
            ).format(seconds=f"{waited:.0f}")
        )
