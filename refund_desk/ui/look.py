"""The desk's few touches over the platform style, set on the widgets that need them.

There is deliberately no application-wide style sheet: one makes Qt draw and measure every widget
of every window through its style-sheet engine, which cost about 0.08 s of each start (measured by
benchmarks/bench_startup.py) and slows every later repaint. A style sheet is only set on a widget
that needs one (the record button, the coloured boxes), where it costs nothing elsewhere.
"""

from __future__ import annotations

from PySide6.QtGui import QFont
from PySide6.QtWidgets import QGroupBox, QLayout, QVBoxLayout, QWidget

# The one action that releases a customer's instance stands out: red while it can be pressed.
RECORD_BUTTON_STYLE = (
    "QPushButton { font-weight: bold; padding: 4px 12px; }"
    " QPushButton:enabled { background: #b71c1c; color: white; border: 1px solid #7f0000;"
    " border-radius: 3px; }"
)


def section_box(title: str, content: QLayout) -> QGroupBox:
    """A titled section of a panel: the title in bold, the contents in the normal font.

    Args:
        title: the section's title (may hold a ``&`` mnemonic).
        content: the section's layout, already filled; it is installed on the section's body
            without margins of its own (the group box gives them).
    Returns:
        The :class:`QGroupBox`; ``setTitle`` changes the title later.
    """
    box = QGroupBox(title)
    fill_section(box, content)
    return box


def fill_section(box: QGroupBox, content: QLayout) -> None:
    """Give ``box`` (a new, empty :class:`QGroupBox`, or a section class derived from it) the
    look and body of :func:`section_box`, with ``content`` as that body's layout."""
    bold = QFont()
    bold.setBold(True)  # only the weight is set: family and size still follow the platform
    box.setFont(bold)
    body = QWidget(box)
    body.setObjectName("section_body")
    normal = QFont()
    normal.setBold(False)
    body.setFont(normal)
    content.setContentsMargins(0, 0, 0, 0)
    body.setLayout(content)
    outer = QVBoxLayout(box)
    outer.addWidget(body)
