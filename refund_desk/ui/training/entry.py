"""Entry point of training mode from the desk: ``open_training(main_window)``.

The desk's main window calls it from its "Training mode…" menu action (and ``refund-desk
--training`` may call it with ``None``). Training never opens the operator's database: it works in
its own training database (``paths.training_db_path()``, role ``training``) and saves results in
the training results file.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QWidget


class _CloseWithDesk(QObject):
    """Closes the training window when the desk's main window closes."""

    def __init__(self, training_window: QWidget, parent: QObject):
        super().__init__(parent)
        self._training = training_window

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt API
        if event.type() == QEvent.Type.Close and self._training is not None:
            try:
                self._training.close()
            except RuntimeError:  # already deleted
                pass
        return False


def _simulator_state_provider(main_window):
    """A callable returning the desk simulator's ``(instance, cancel_at, options)`` or ``None``,
    read from the main window's :class:`~refund_desk.ui.quote_panel.QuotePanel` if it has one."""
    if main_window is None:
        return None

    def provider():
        panel = getattr(main_window, "quote_panel", None)
        if panel is None:
            from ..quote_panel import QuotePanel

            panel = main_window.findChild(QuotePanel)
        if panel is None:
            return None
        try:
            instance = panel.instance()
            cancel_at = panel.cancel_at()
            options = panel.options()
        except (AttributeError, ValueError, TypeError):
            return None
        if instance is None or cancel_at is None:
            return None
        return instance, cancel_at, options

    return provider


def _case_state_provider(main_window):
    """A callable ``case_id → (instance, cancel_at, options)`` over the desk's open store (the
    main window's session), or ``None`` when the desk has no store."""
    session = getattr(main_window, "session", None) if main_window is not None else None
    if session is None:
        return None

    def provider(case_id: int):
        from ...errors import DeskError
        from ...training.authoring import case_state

        store = getattr(session, "store", None)
        if store is None:
            from ...training.words import _

            raise DeskError(_("Open the desk's database first."))
        return case_state(store, case_id)

    return provider


def open_training(main_window: QWidget | None = None, **kwargs):
    """Open (or raise) the training window.

    Args:
        main_window: the desk's main window, or ``None``. The training window is kept on it as
            ``_training_window`` so a second call raises the same window.
        kwargs: passed to :class:`~refund_desk.ui.training.window.TrainingWindow` (tests give
            ``pack_paths``, ``results``, ``clock``).
    Returns:
        The :class:`~refund_desk.ui.training.window.TrainingWindow`, shown.
    """
    from .window import TrainingWindow

    existing = getattr(main_window, "_training_window", None) if main_window else None
    if existing is not None:
        existing.show()
        existing.raise_()
        existing.activateWindow()
        return existing
    kwargs.setdefault("state_provider", _simulator_state_provider(main_window))
    kwargs.setdefault("case_provider", _case_state_provider(main_window))
    window = TrainingWindow(**kwargs)
    # Closing the window ends the session (its training database is closed): the next call
    # builds a new window.
    window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    if main_window is not None:
        main_window._training_window = window
        window.destroyed.connect(lambda *_: setattr(main_window, "_training_window", None))
        closer = _CloseWithDesk(window, window)
        main_window.installEventFilter(closer)
    window.show()
    return window
