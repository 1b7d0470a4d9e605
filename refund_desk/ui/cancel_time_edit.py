"""The simulator's cancellation-time field: a plain line edit read strictly
(:func:`refund_desk.policy.parse_typed_time`), so what the operator types is what is quoted.

A ``QDateTimeEdit`` rewrites partly typed sections, drops the year on select-all and changes the
time on arrow keys and the mouse wheel (issue 12): this field does none of that.
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtWidgets import QLineEdit

from ..wording import _


class CancelTimeEdit(QLineEdit):
    """The cancellation time in China time (object name ``cancel_at``), e.g. ``2024-12-31 01:00``
    or ``now``; framed red while what it holds is not a valid time."""

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("cancel_at")
        self.setAccessibleName(_("Cancellation time, China time"))
        self.setPlaceholderText(_("2024-12-31 01:00 or now"))
        self.setToolTip(
            _(
                "When the instance is cancelled, in China time (UTC+8): the rules are judged on "
                "China dates (TIME-ZONE). Type 2024-12-31 01:00, with seconds (01:00:30) or an "
                "offset (+08:00, Z), or now. Default: now. Alt+C"
            )
        )
        self.setMinimumWidth(
            self.fontMetrics().horizontalAdvance("2024-12-31 01:00:00 +08:00") + 16
        )

    def set_moment(self, moment: datetime) -> None:
        """Write the aware ``moment`` as China time, without ``textChanged`` (the caller quotes
        once, not once per signal)."""
        from ..policy import format_typed_time

        self.blockSignals(True)
        self.setText(format_typed_time(moment))
        self.blockSignals(False)

    def clear_quietly(self) -> None:
        """Empty the field without ``textChanged``."""
        self.blockSignals(True)
        self.clear()
        self.blockSignals(False)

    def typed_time(self, now: datetime):
        """The text read strictly: a :class:`~refund_desk.policy.TypedTime` (``now`` is the
        aware time the word "now" stands for).

        Raises:
            refund_desk.policy.TimeError: the text is not a complete, valid time.
        """
        from ..policy import parse_typed_time

        return parse_typed_time(self.text(), now=now)

    def mark_valid(self, valid: bool) -> None:
        """Frame the field red while ``valid`` is False (the style changes only when the
        validity does: a style sheet costs a re-polish)."""
        if self.property("invalid") == (not valid):
            return
        self.setProperty("invalid", not valid)
        self.setStyleSheet("" if valid else "QLineEdit#cancel_at { border: 2px solid #b71c1c; }")
