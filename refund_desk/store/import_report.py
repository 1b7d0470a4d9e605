"""What an import did: one :class:`FileResult` per file and the :class:`ImportSummary` of them all,
with its plain-text report for people (``docs/STORE.md``)."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..errors import ImportRejected
from ..safetext import one_line


@dataclass
class FileResult:
    """What importing one file did. ``error`` is set when the file was rejected (then every count
    is 0 and nothing was written)."""

    path: str
    export: str | None = None
    records: int = 0
    skipped: int = 0
    orders_added: int = 0
    orders_updated: int = 0
    orders_unchanged: int = 0
    instances_added: int = 0
    instances_updated: int = 0
    error: ImportRejected | None = None
    # enumerated values read in another letter case: {(field, as written, as read): count}
    case_notes: dict[tuple[str, str, str], int] = field(default_factory=dict)
    # set (to the problem, e.g. "the disk is full") when the file was fine but the database
    # failed while writing its batch
    database_failure: str | None = None
    notes: list[str] = field(default_factory=list)  # refund orders, statuses (§7)

    @property
    def rejected(self) -> bool:
        return self.error is not None


@dataclass
class ImportSummary:
    """The result of :func:`import_paths`: one :class:`FileResult` per file, in order."""

    files: list[FileResult] = field(default_factory=list)

    @property
    def files_read(self) -> int:
        return len(self.files)

    @property
    def accepted(self) -> list[FileResult]:
        return [f for f in self.files if not f.rejected]

    @property
    def rejected(self) -> list[FileResult]:
        """The rejected files (empty list when every file was imported)."""
        return [f for f in self.files if f.rejected]

    def _total(self, name: str) -> int:
        return sum(getattr(f, name) for f in self.files)

    @property
    def added(self) -> int:
        return self._total("orders_added")

    @property
    def updated(self) -> int:
        return self._total("orders_updated")

    @property
    def unchanged(self) -> int:
        return self._total("orders_unchanged")

    @property
    def instances_added(self) -> int:
        return self._total("instances_added")

    def format(self) -> str:
        """Plain text for people: totals, then one line per rejected file with its reason (files
        not imported because the database failed: one line per problem when more than three
        files were rejected)."""
        from ..wording import _, ngettext

        lines = [
            _("files read: {n}").format(n=self.files_read),
            _("orders added: {n}").format(n=self.added),
            _("orders updated: {n}").format(n=self.updated),
            _("orders unchanged: {n}").format(n=self.unchanged),
        ]
        if self.instances_added or self._total("instances_updated"):
            lines.append(
                _("instances added: {added}, updated: {updated}").format(
                    added=self.instances_added, updated=self._total("instances_updated")
                )
            )
        skipped = self._total("skipped")
        if skipped:
            lines.append(
                _("records without an order fact (recharges, usage bills…): {n}").format(n=skipped)
            )
        cased: dict[tuple[str, str, str], int] = {}
        for result in self.accepted:
            for key, count in result.case_notes.items():
                cased[key] = cased.get(key, 0) + count
        if cased:
            examples = ", ".join(
                _("{field} {written} as {read}").format(
                    field=name, written=repr(one_line(written)), read=repr(read)
                )
                for (name, written, read), _count in sorted(cased.items(), key=lambda kv: -kv[1])[
                    :3
                ]
            )
            lines.append(
                _("values read in another letter case: {n} ({examples})").format(
                    n=sum(cased.values()), examples=examples + (", …" if len(cased) > 3 else "")
                )
            )
        lines.extend(note for f in self.files for note in f.notes)
        lines.append(_("files rejected: {n}").format(n=len(self.rejected)))
        failed: dict[str, list[FileResult]] = {}  # the database failed: one line per reason
        for result in self.rejected:
            if result.database_failure is not None and len(self.rejected) > 3:
                failed.setdefault(result.database_failure, []).append(result)
            else:
                lines.append(_("  REJECTED {problem}").format(problem=result.error))
        for reason, results in failed.items():
            files = f"{one_line(results[0].path)}" + (
                f" … {one_line(results[-1].path)}" if len(results) > 1 else ""
            )
            lines.append(
                ngettext(
                    "  REJECTED {n} file ({files}): not imported, the database failed: {reason}",
                    "  REJECTED {n} files ({files}): not imported, the database failed: {reason}",
                    len(results),
                ).format(n=len(results), files=files, reason=reason)
            )
        return "\n".join(lines)


def reset_counts(result: FileResult) -> None:
    """Zero the counts of ``result``: a file rejected after it was merged (nothing of it is
    written)."""
    result.orders_added = result.orders_updated = result.orders_unchanged = 0
    result.instances_added = result.instances_updated = 0
