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


@dataclass(frozen=True, slots=True)
class Command:
    """One thing the operator can do, and the keys that do it.

    Attributes:
        key: unique name; the object name of the action or button built from it.
        text: the words on the menu item or button, with an ``&`` before its Alt letter.
        place: where it lives: a menu (``File``, ``Work``, ``Tools``, ``Help``) or a part of
            the window (``Window``, ``Search``, ``Quote``, ``Confirmation``, ``Ticket``,
            ``Cases``).
        tip: one sentence for the tooltip and the status bar.
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
    def words(self) -> str:
        """The text without its ``&`` (``"Find…"``)."""
        return self.text.replace("&&", "\0").replace("&", "").replace("\0", "&")

    @property
    def alt_letter(self) -> str | None:
        """The letter after ``&`` (its Alt key on a button or label), or None."""
        match = re.search(r"&([^&])", self.text)
        return match.group(1).upper() if match else None

    def keys(self) -> str:
        """Every key that runs it, as the operator reads them (``"Ctrl+R"``, ``"Alt+K"``,
        ``"Alt+F, D"`` for a menu item without a shortcut: the menu's letter, then the
        item's)."""
        parts = []
        if self.shortcut:
            native = QKeySequence(self.shortcut).toString(QKeySequence.SequenceFormat.NativeText)
            parts.append({"Return": "Enter", "Esc": "Escape"}.get(native, native))
        if self.kind == "button" and self.alt_letter:
            parts.insert(0, f"Alt+{self.alt_letter}")
        if not parts and self.place in MENUS and self.alt_letter:
            # Through the menu: its letter, then the item's (Alt+F, D).
            parts.append(f"Alt+{self.place[0]}, {self.alt_letter}")
        return " or ".join(parts) or f"menu {self.place} ▸ {self.words}"


MENUS = ("File", "Work", "Tools", "Help")
PLACES = {
    "File": "File menu",
    "Work": "Work menu",
    "Tools": "Tools menu",
    "Help": "Help menu",
    "Window": "Anywhere in the window",
    "Search": "Search field and results",
    "Quote": "Quote panel",
    "Confirmation": "Release confirmation",
    "Ticket": "Ticket draft",
    "Cases": "Cases tab",
}

COMMANDS: tuple[Command, ...] = (
    # -- File
    Command(
        "import_files",
        "&Import files…",
        "File",
        "Import BSS exports (JSON) or CSV order files into your database.",
        "Ctrl+I",
    ),
    Command(
        "import_folder",
        "Import a &folder…",
        "File",
        "Import every export in a folder (and its subfolders).",
        "Ctrl+Shift+I",
    ),
    Command(
        "open_database",
        "&Open database…",
        "File",
        "Open another desk database file.",
        "Ctrl+O",
        separator_before=True,
    ),
    Command(
        "open_demo",
        "Show the &demo database",
        "File",
        "Open the demo database (made-up data, shown with a banner).",
    ),
    Command("quit", "&Quit", "File", "Close Refund Desk.", "Ctrl+Q", separator_before=True),
    # -- Work
    Command(
        "find", "&Find…", "Work", "Find an order, instance or account by id or name.", "Ctrl+F"
    ),
    Command("lookup_tab", "&Lookup and quote", "Work", "Show the lookup and quote tab.", "Ctrl+1"),
    Command("cases_tab", "&Cases", "Work", "Show the recorded cases.", "Ctrl+2"),
    Command(
        "cancel_now",
        "Cancellation time to &now",
        "Work",
        "Set the cancellation time to now.",
        "Ctrl+Shift+N",
    ),
    Command(
        "whatif",
        "Edit the &what-if inputs",
        "Work",
        "Move to the per-order what-if table (Space toggles, F2 edits).",
        "Ctrl+W",
    ),
    Command(
        "record",
        "&Record refund case…",
        "Work",
        "Confirm the release with the customer and record the case.",
        "Ctrl+R",
    ),
    # -- Tools
    Command(
        "training",
        "&Training mode…",
        "Tools",
        "Practise refund cases on a separate training database.",
        "Ctrl+T",
    ),
    Command(
        "team_database",
        "Team &database…",
        "Tools",
        "Work on the team's shared PostgreSQL database, or on this computer's own.",
    ),
    Command(
        "operator_name",
        "Your &name…",
        "Tools",
        "Change the name written on tickets and in the audit log.",
    ),
    # -- Help
    Command("shortcuts", "&Keyboard shortcuts", "Help", "List every command and its keys.", "F1"),
    Command(
        "open_log_folder",
        "Open the &log folder",
        "Help",
        "Show the folder of the desk's log file, to attach it to a support request.",
    ),
    Command("about", "&About Refund Desk", "Help", "Version and policy."),
    # -- the window without a menu
    Command(
        "dismiss_message",
        "Dismiss the message",
        "Window",
        "Hide the message at the top of the window.",
        "Escape",
    ),
    # -- keys handled by widgets
    Command(
        "search_open_first",
        "Open the first result",
        "Search",
        "In the search field: search now and open the first result.",
        "Return",
        kind="key",
    ),
    Command(
        "search_to_results",
        "Move to the results",
        "Search",
        "In the search field: move to the results (arrows move, Enter opens).",
        "Down",
        kind="key",
    ),
    Command(
        "cancel_time",
        "Cancellation time (China time)",
        "Quote",
        "Move to the cancellation time field: type 2024-12-31 01:00, with seconds or an offset "
        "(+08:00, Z), or now.",
        "Alt+C",
        kind="key",
    ),
    Command(
        "cancel_now_button",
        "&Now",
        "Quote",
        "Set the cancellation time to now.",
        kind="button",
    ),
    Command(
        "record_case",
        "&Record refund case…",
        "Quote",
        "Confirm the release with the customer and record the refund case (Ctrl+R).",
        kind="button",
    ),
    Command(
        "whatif_toggle",
        "Toggle a what-if tick",
        "Quote",
        "In the what-if table: Space cycles invoice/marketplace (not set → yes → no) and "
        "toggles original-method refund failed.",
        "Space",
        kind="key",
    ),
    Command(
        "whatif_edit",
        "Edit the discount factor",
        "Quote",
        "In the what-if table: F2 edits the discount factor, Enter keeps it.",
        "F2",
        kind="key",
    ),
    # -- release confirmation dialog
    Command(
        "confirm_told",
        "&The customer was told this and agreed",
        "Confirmation",
        "Tick after the customer confirmed the release, the deletion and the refund.",
        kind="button",
    ),
    Command(
        "confirm_asked",
        "&Asked the customer (each ASSUMED-* flag)",
        "Confirmation",
        "Tick for each assumption the quote still makes, after asking the customer.",
        kind="button",
    ),
    Command(
        "confirm_typed_id",
        "Type the &instance id",
        "Confirmation",
        "The instance id from the customer's request, typed as a last check.",
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
        "Cancel",
        "Confirmation",
        "Close without recording anything.",
        "Escape",
        kind="key",
    ),
    # -- ticket dialog
    Command(
        "ticket_copy",
        "&Copy to clipboard",
        "Ticket",
        "Copy the whole ticket text.",
        "Ctrl+Shift+C",
        kind="button",
    ),
    Command(
        "ticket_save",
        "&Save as text…",
        "Ticket",
        "Save the ticket as a UTF-8 text file.",
        "Ctrl+S",
        kind="button",
    ),
    Command("ticket_close", "Close", "Ticket", "Close the ticket draft.", "Escape", kind="key"),
    # -- cases tab
    Command(
        "case_ticket",
        "Open tic&ket",
        "Cases",
        "Show the ticket draft of the selected case (also Enter on the list).",
        kind="button",
    ),
    Command(
        "case_submitted",
        "Mark &submitted",
        "Cases",
        "The ticket of the selected case was submitted.",
        kind="button",
    ),
    Command(
        "case_refunded",
        "Mark r&efunded",
        "Cases",
        "The refund of the selected case arrived.",
        kind="button",
    ),
    Command(
        "case_failed",
        "Mark fa&iled…",
        "Cases",
        "The selected case failed; you will be asked why.",
        kind="button",
    ),
    Command(
        "case_original_failed",
        "&Original-method refund failed…",
        "Cases",
        "The refund to the original payment method failed: mark the case failed and record a "
        "new case with the refund to the account balance (ROUTE-FALLBACK).",
        kind="button",
    ),
    Command("case_refresh", "Refresh", "Cases", "Reload the list of cases.", "F5", kind="button"),
    Command(
        "cases_operator_filter",
        "Operator filter",
        "Cases",
        "Show the cases one operator recorded, or everyone's (arrows choose).",
        "Alt+P",
        kind="key",
    ),
    Command(
        "cases_status_filter",
        "Status filter",
        "Cases",
        "Show only the cases in one status (arrows choose).",
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
    keys = cmd.keys()
    return cmd.tip if keys.startswith("menu ") else f"{cmd.tip} ({keys})"


def make_action(key: str, parent: QWidget, slot: Callable[[], object]) -> QAction:
    """A ``QAction`` for command ``key`` on ``parent``: its text, shortcut and tooltip from the
    registry, object name ``key``. ``slot`` is called with no argument (the ``checked`` flag
    Qt sends is never passed on as an argument)."""
    cmd = command(key)
    action = QAction(cmd.text, parent)
    action.setObjectName(cmd.key)
    if cmd.shortcut:
        action.setShortcut(QKeySequence(cmd.shortcut))
    action.setToolTip(tooltip(cmd))
    action.setStatusTip(cmd.tip)
    action.triggered.connect(lambda _checked=False: slot())
    return action


def make_button(key: str, slot: Callable[[], object] | None = None) -> QPushButton:
    """A ``QPushButton`` for command ``key``: text (with its Alt letter), shortcut, tooltip and
    accessible name from the registry, object name ``key``. ``slot`` is called with no
    argument: a clicked button's ``checked`` flag never reaches it."""
    cmd = command(key)
    button = QPushButton(cmd.text)
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
        rows.append(f"<tr><td colspan='2'><br><b>{html.escape(heading)}</b></td></tr>")
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
            lines.append(f"{heading}:")
            lines.extend(f"  {cmd.words:<40} {cmd.keys()}" for cmd in commands)
    return "\n".join(lines)
