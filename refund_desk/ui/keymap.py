"""Every command of the desk with its keys, in one registry: the menus, the buttons and the
dialogs' actions are built from it, and Help ▸ Keyboard shortcuts (F1) lists it — so the list
cannot drift from what the keys really do.

A :class:`Command` is a ``QAction`` (``kind="action"``: in a menu, or on a window or dialog
without one), a ``QPushButton`` (``"button"``: its ``&`` letter gives Alt+letter) or a key that
a widget handles itself (``"key"``: Enter in the search field, Space in the what-if table),
listed so the operator can find it. Each action and button carries its command's ``key`` as
its object name; ``tests/ui/test_desk_keyboard.py`` checks that every action and button of the
window and its dialogs comes from here and that F1 names each one.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QPushButton, QWidget

from ..wording import N_, _


@dataclass(frozen=True, slots=True)
class Command:
    """One thing the operator can do, and the keys that do it.

    Attributes:
        key: unique name; the object name of the action or button built from it.
        text: the words on the menu item or button, with an ``&`` before its Alt letter
            (English source; :attr:`label` is in the window's language, whose translation
            keeps the same Alt letter, e.g. ``查找(&F)…``).
        place: where it lives: a menu (``File``, ``Work``, ``Tools``, ``Help``) or a part of
            the window (``Window``, ``Search``, ``Quote``, ``Confirmation``, ``Ticket``,
            ``Cases``).
        tip: one sentence for the tooltip and the status bar (English source; :attr:`tip_words`
            in the window's language).
        shortcut: portable key sequence text (``"Ctrl+F"``), or ``""``.
        kind: ``"action"``, ``"button"`` or ``"key"`` (see the module docstring).
        separator_before: in a menu, a separator goes before it.
    """

    key: str
    text: str
    place: str
    tip: str
    shortcut: str = ""
    kind: str = "action"
    separator_before: bool = False

    @property
    def label(self) -> str:
        """The text in the window's language, with its ``&``."""
        return _(self.text)

    @property
    def tip_words(self) -> str:
        """The tip in the window's language."""
        return _(self.tip)

    @property
    def words(self) -> str:
        """The label without its ``&`` (``"Find…"``; Chinese ``"查找(&F)…"`` → ``"查找…"``)."""
        text = re.sub(r"\(&([^&])\)", "", self.label)  # a Chinese label's "(&F)"
        return text.replace("&&", "\0").replace("&", "").replace("\0", "&")

    @property
    def alt_letter(self) -> str | None:
        """The letter after ``&`` (its Alt key on a button or label), or None."""
        match = re.search(r"&([^&])", self.label)
        return match.group(1).upper() if match else None

    def keys(self) -> str:
        """Every key that runs it, as the operator reads them (``"Ctrl+R"``, ``"Alt+K"``,
        ``"Alt+F, D"`` for a menu item without a shortcut: the menu's letter, then the
        item's)."""
        return _(" or ").join(self.key_parts()) or _("menu {menu} ▸ {command}").format(
            menu=_(self.place), command=self.words
        )

    def key_parts(self) -> list[str]:
        """The keys of :meth:`keys`, one string each (empty: only through its menu)."""
        parts = []
        if self.shortcut:
            native = QKeySequence(self.shortcut).toString(QKeySequence.SequenceFormat.NativeText)
            parts.append({"Return": "Enter", "Esc": "Escape"}.get(native, native))
        if self.kind == "button" and self.alt_letter:
            parts.insert(0, f"Alt+{self.alt_letter}")
        if not parts and self.place in MENUS and self.alt_letter:
            # Through the menu: its letter, then the item's (Alt+F, D).
            parts.append(f"Alt+{self.place[0]}, {self.alt_letter}")
        return parts


MENUS = (N_("File"), N_("Work"), N_("Tools"), N_("Help"))
PLACES = {
    "File": N_("File menu"),
    "Work": N_("Work menu"),
    "Tools": N_("Tools menu"),
    "Help": N_("Help menu"),
    "Window": N_("Anywhere in the window"),
    "Search": N_("Search field and results"),
    "Quote": N_("Quote panel"),
    "Confirmation": N_("Release confirmation"),
    "Ticket": N_("Ticket draft"),
    "Cases": N_("Cases tab"),
}

COMMANDS: tuple[Command, ...] = (
    # -- File
    Command(
        "import_files",
        N_("&Import files…"),
        "File",
        N_("Import BSS exports (JSON) or CSV order files into your database."),
        "Ctrl+I",
    ),
    Command(
        "import_folder",
        N_("Import a &folder…"),
        "File",
        N_("Import every export in a folder (and its subfolders)."),
        "Ctrl+Shift+I",
    ),
    Command(
        "open_database",
        N_("&Open database…"),
        "File",
        N_("Open another desk database file."),
        "Ctrl+O",
        separator_before=True,
    ),
    Command(
        "open_demo",
        N_("Show the &demo database"),
        "File",
        N_("Open the demo database (made-up data, shown with a banner)."),
    ),
    Command("quit", N_("&Quit"), "File", N_("Close Refund Desk."), "Ctrl+Q", separator_before=True),
    # -- Work
    Command(
        "find",
        N_("&Find…"),
        "Work",
        N_("Find an order, instance or account by id or name."),
        "Ctrl+F",
    ),
    Command(
        "lookup_tab",
        N_("&Lookup and quote"),
        "Work",
        N_("Show the lookup and quote tab."),
        "Ctrl+1",
    ),
    Command("cases_tab", N_("&Cases"), "Work", N_("Show the recorded cases."), "Ctrl+2"),
    Command(
        "cancel_now",
        N_("Cancellation time to &now"),
        "Work",
        N_("Set the cancellation time to now."),
        "Ctrl+Shift+N",
    ),
    Command(
        "whatif",
        N_("Edit the &what-if inputs"),
        "Work",
        N_("Move to the per-order what-if table (Space toggles, F2 edits)."),
        "Ctrl+W",
    ),
    Command(
        "record",
        N_("&Record refund case…"),
        "Work",
        N_("Confirm the release with the customer and record the case."),
        "Ctrl+R",
    ),
    # -- Tools
    Command(
        "training",
        N_("&Training mode…"),
        "Tools",
        N_("Practise refund cases on a separate training database."),
        "Ctrl+T",
    ),
    Command(
        "team_database",
        N_("Team &database…"),
        "Tools",
        N_("Work on the team's shared PostgreSQL database, or on this computer's own."),
    ),
    Command(
        "settings",
        N_("&Settings…"),
        "Tools",
        N_("The window's language and the language tickets open in."),
    ),
    Command(
        "operator_name",
        N_("Your &name…"),
        "Tools",
        N_("Change the name written on tickets and in the audit log."),
    ),
    # -- Help
    Command(
        "shortcuts", N_("&Keyboard shortcuts"), "Help", N_("List every command and its keys."), "F1"
    ),
    Command(
        "open_log_folder",
        N_("Open the &log folder"),
        "Help",
        N_("Show the folder of the desk's log file, to attach it to a support request."),
    ),
    Command("about", N_("&About Refund Desk"), "Help", N_("Version and policy.")),
    # -- the window without a menu
    Command(
        "dismiss_message",
        N_("Dismiss the message"),
        "Window",
        N_("Hide the message at the top of the window."),
        "Escape",
    ),
    # -- keys handled by widgets
    Command(
        "search_open_first",
        N_("Open the first result"),
        "Search",
        N_("In the search field: search now and open the first result."),
        "Return",
        kind="key",
    ),
    Command(
        "search_to_results",
        N_("Move to the results"),
        "Search",
        N_("In the search field: move to the results (arrows move, Enter opens)."),
        "Down",
        kind="key",
    ),
    Command(
        "cancel_time",
        N_("Cancellation time (China time)"),
        "Quote",
        N_(
            "Move to the cancellation time field: type 2024-12-31 01:00, with seconds or an offset "
            "(+08:00, Z), or now."
        ),
        "Alt+C",
        kind="key",
    ),
    Command(
        "cancel_now_button",
        N_("&Now"),
        "Quote",
        N_("Set the cancellation time to now."),
        kind="button",
    ),
    Command(
        "record_case",
        N_("&Record refund case…"),
        "Quote",
        N_("Confirm the release with the customer and record the refund case (Ctrl+R)."),
        kind="button",
    ),
    Command(
        "whatif_toggle",
        N_("Toggle a what-if tick"),
        "Quote",
        N_(
            "In the what-if table: Space cycles invoice/marketplace (not set → yes → no) and "
            "toggles original-method refund failed."
        ),
        "Space",
        kind="key",
    ),
    Command(
        "whatif_edit",
        N_("Edit the discount factor"),
        "Quote",
        N_("In the what-if table: F2 edits the discount factor, Enter keeps it."),
        "F2",
        kind="key",
    ),
    # -- release confirmation dialog
    Command(
        "confirm_told",
        N_("&The customer was told this and agreed"),
        "Confirmation",
        N_("Tick after the customer confirmed the release, the deletion and the refund."),
        kind="button",
    ),
    Command(
        "confirm_asked",
        N_("&Asked the customer (each ASSUMED-* flag)"),
        "Confirmation",
        N_("Tick for each assumption the quote still makes, after asking the customer."),
        kind="button",
    ),
    Command(
        "confirm_typed_id",
        N_("Type the &instance id"),
        "Confirmation",
        N_("The instance id from the customer's request, typed as a last check."),
        kind="button",
    ),
    Command(
        "confirm",
        "&Confirm and record case",
        "Confirmation",
        "Record the case, once every box is ticked and the id typed (then Enter does it too).",
        kind="button",
    ),
    Command(
        "confirm_cancel",
        N_("Cancel"),
        "Confirmation",
        N_("Close without recording anything."),
        "Escape",
        kind="key",
    ),
    # -- ticket dialog
    Command(
        "ticket_copy",
        N_("&Copy to clipboard"),
        "Ticket",
        N_("Copy the whole ticket text."),
        "Ctrl+Shift+C",
        kind="button",
    ),
    Command(
        "ticket_save",
        N_("&Save as text…"),
        "Ticket",
        N_("Save the ticket as a UTF-8 text file."),
        "Ctrl+S",
        kind="button",
    ),
    Command(
        "ticket_close", N_("Close"), "Ticket", N_("Close the ticket draft."), "Escape", kind="key"
    ),
    # -- cases tab
    Command(
        "case_ticket",
        N_("Open tic&ket"),
        "Cases",
        N_("Show the ticket draft of the selected case (also Enter on the list)."),
        kind="button",
    ),
    Command(
        "case_submitted",
        N_("Mark &submitted"),
        "Cases",
        N_("The ticket of the selected case was submitted."),
        kind="button",
    ),
    Command(
        "case_refunded",
        N_("Mark r&efunded"),
        "Cases",
        N_("The refund of the selected case arrived."),
        kind="button",
    ),
    Command(
        "case_failed",
        N_("Mark fa&iled…"),
        "Cases",
        N_("The selected case failed; you will be asked why."),
        kind="button",
    ),
    Command(
        "case_original_failed",
        N_("&Original-method refund failed…"),
        "Cases",
        N_(
            "The refund to the original payment method failed: mark the case failed and record a "
            "new case with the refund to the account balance (ROUTE-FALLBACK)."
        ),
        kind="button",
    ),
    Command(
        "case_refresh", N_("Refresh"), "Cases", N_("Reload the list of cases."), "F5", kind="button"
    ),
    Command(
        "cases_operator_filter",
        N_("Operator filter"),
        "Cases",
        N_("Show the cases one operator recorded, or everyone's (arrows choose)."),
        "Alt+P",
        kind="key",
    ),
    Command(
        "cases_status_filter",
        N_("Status filter"),
        "Cases",
        N_("Show only the cases in one status (arrows choose)."),
        "Alt+U",
        kind="key",
    ),
)

_BY_KEY = {command.key: command for command in COMMANDS}


def command(key: str) -> Command:
    """The registered command ``key``. Raises ``KeyError`` for an unknown key."""
    return _BY_KEY[key]


def tooltip(cmd: Command) -> str:
    """``"Find an order… (Ctrl+F)"``: the tip with the keys that run it."""
    if not cmd.key_parts():
        return cmd.tip_words
    return _("{tip} ({keys})").format(tip=cmd.tip_words, keys=cmd.keys())


def make_action(key: str, parent: QWidget, slot: Callable[[], object]) -> QAction:
    """A ``QAction`` for command ``key`` on ``parent``: its text, shortcut and tooltip from the
    registry, object name ``key``. ``slot`` is called with no argument (the ``checked`` flag
    Qt sends is never passed on as an argument)."""
    cmd = command(key)
    action = QAction(cmd.label, parent)
    action.setObjectName(cmd.key)
    if cmd.shortcut:
        action.setShortcut(QKeySequence(cmd.shortcut))
    action.setToolTip(tooltip(cmd))
    action.setStatusTip(cmd.tip_words)
    action.triggered.connect(lambda _checked=False: slot())
    return action


def make_button(key: str, slot: Callable[[], object] | None = None) -> QPushButton:
    """A ``QPushButton`` for command ``key``: text (with its Alt letter), shortcut, tooltip and
    accessible name from the registry, object name ``key``. ``slot`` is called with no
    argument: a clicked button's ``checked`` flag never reaches it."""
    cmd = command(key)
    button = QPushButton(cmd.label)
    button.setObjectName(cmd.key)
    button.setAccessibleName(cmd.words)
    if cmd.shortcut:
        button.setShortcut(QKeySequence(cmd.shortcut))
    button.setToolTip(tooltip(cmd))
    if slot is not None:
        button.clicked.connect(lambda _checked=False: slot())
    return button


def shortcuts_html() -> str:
    """Help ▸ Keyboard shortcuts: every registered command with its keys, grouped by where it
    lives, as an HTML table."""
    rows = []
    for place, heading in PLACES.items():
        commands = [c for c in COMMANDS if c.place == place]
        if not commands:
            continue
        rows.append(f"<tr><td colspan='2'><br><b>{html.escape(_(heading))}</b></td></tr>")
        for cmd in commands:
            rows.append(
                f"<tr><td style='padding-right:16px'>{html.escape(cmd.words)}</td>"
                f"<td><b>{html.escape(cmd.keys())}</b></td></tr>"
            )
    return "<table cellspacing='2'>" + "".join(rows) + "</table>"


def shortcuts_text() -> str:
    """The same list as plain text, one command per line (``name  keys``)."""
    lines = []
    for place, heading in PLACES.items():
        commands = [c for c in COMMANDS if c.place == place]
        if commands:
            lines.append(_("{heading}:").format(heading=_(heading)))
            lines.extend(f"  {cmd.words:<40} {cmd.keys()}" for cmd in commands)
    return "\n".join(lines)
