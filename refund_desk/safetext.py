"""Text that came from outside the desk (exports, CSV files, packs), checked at the door and
rendered safely wherever it leaves: one line in a ticket, an inert cell in a CSV file.

Pure functions, no dependencies: the store validates with them, services and training render
with them.
"""

from __future__ import annotations

import re

# Characters that change how text is laid out or read rather than what it says: C0 and C1
# controls (newline, carriage return, tab, escape, NUL, …), DEL, the Unicode line and paragraph
# separators, and the bidirectional overrides and isolates that can make "123" display as "321"
# (CVE-2021-42574 "Trojan Source"). A byte-order mark inside text is also refused.
UNSAFE_CHARS = re.compile(
    "[\x00-\x1f\x7f-\x9f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]"
)
# A spreadsheet evaluates a cell starting with one of these as a formula (OWASP "CSV
# injection"): "=HYPERLINK(…)", "+1+1", "-1+1", "@SUM(…)". (A leading tab or carriage return,
# also on OWASP's list, is already escaped by one_line.)
FORMULA_START = ("=", "+", "-", "@")


def unsafe_char(text: str) -> str | None:
    """The first character of ``text`` that may not appear in imported text, described for
    people (``"a line break (U+000A)"``), or ``None`` when every character is fine."""
    found = UNSAFE_CHARS.search(text)
    if found is None:
        return None
    char = found.group()
    code = f"U+{ord(char):04X}"
    if char in "\n\r\u2028\u2029\x85":
        return f"a line break ({code})"
    if char in "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069":
        return f"a text-direction control ({code})"
    return f"a control character ({code})"


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def one_line(text: str) -> str:
    """``text`` with every unsafe character (see :data:`UNSAFE_CHARS`) shown as an escape
    (``"Paid\\nTotal"`` → ``"Paid\\\\x0aTotal"``): whatever a value holds, it stays on its own
    line and reads as what it is. Text without such characters is returned unchanged."""
    if UNSAFE_CHARS.search(text) is None:
        return text
    return UNSAFE_CHARS.sub(_escape, text)


def csv_cell(value: object) -> str:
    """``value`` as an inert CSV cell: :func:`one_line`, and a leading ``'`` when a spreadsheet
    would read the text as a formula (``=``, ``+``, ``-``, ``@``). Numbers that start with a digit
    are unchanged."""
    text = one_line("" if value is None else str(value))
    if text.startswith(FORMULA_START):
        return "'" + text
    return text
