"""The release confirmation step of a training answer.

Uses the desk's own :class:`refund_desk.ui.confirm_dialog.ReleaseConfirmDialog` (the dialog an
operator sees in real work), fed with the trainee's own answer rather than the core's quote so
it gives nothing away.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from ...training.words import _
from ..confirm_dialog import ReleaseConfirmDialog


@dataclass(frozen=True, slots=True)
class AnsweredQuote:
    """The trainee's stated quote, shaped as the confirmation dialog reads a quote."""

    instance_id: str
    total_refund: Decimal


def make_confirm_dialog(
    instance_id: str, total_refund: Decimal | None, parent=None
) -> ReleaseConfirmDialog:
    """The desk's release confirmation dialog for a trainee's answer.

    Args:
        instance_id: the scenario's instance. total_refund: the trainee's stated total (CNY;
            ``None`` → 0.00, so the zero-refund text shows).
    Returns:
        A modal, not yet shown dialog; ``accepted``/``rejected`` say what the trainee did and
        ``confirmation()`` gives the :class:`~refund_desk.services.cases.ReleaseConfirmation`.
    """
    stated = AnsweredQuote(
        instance_id, total_refund if total_refund is not None else Decimal("0.00")
    )
    dialog = ReleaseConfirmDialog(stated, parent)
    dialog.setWindowTitle(_("TRAINING — {title}").format(title=dialog.windowTitle()))
    dialog.setModal(True)
    return dialog
