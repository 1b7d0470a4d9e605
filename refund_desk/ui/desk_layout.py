"""The desk window's layout: its size on first start, and its panes — fitted to what is shown
(the orders pane to the shown instance's orders, the lookup pane narrowed for a wide quote; a
splitter the operator dragged in this session keeps the operator's choice), saved on close and
restored on the next start."""

from __future__ import annotations

from PySide6.QtCore import QObject

DEFAULT_SIZE = (1440, 900)
FRAME_ALLOWANCE = (8, 40)  # side borders; title bar and bottom border (pixels)


def fit_to_screen(window) -> None:
    """First start: size ``window`` (a ``QWidget``) 1440×900, or less on a smaller screen — the
    whole window, its frame and status bar included, inside the screen's free area (without the
    task bar), centred in it."""
    screen = window.screen()
    if screen is None:
        window.resize(*DEFAULT_SIZE)
        return
    free = screen.availableGeometry()
    # Room for the window manager's frame and title bar, which resize() does not include.
    width = min(DEFAULT_SIZE[0], free.width() - 2 * FRAME_ALLOWANCE[0])
    height = min(DEFAULT_SIZE[1], free.height() - FRAME_ALLOWANCE[1])
    window.resize(width, height)
    window.move(
        free.x() + (free.width() - width) // 2,
        free.y() + max(0, (free.height() - height - FRAME_ALLOWANCE[1]) // 2),
    )


class PaneFitter(QObject):
    """Sizes the window's ``main_split`` (lookup | instance and quote) and ``right_split``
    (orders above the quote).

    Args:
        window: the :class:`~refund_desk.ui.main_window.MainWindow` (its splitters, ``lookup``,
            ``instance_panel``, ``quote_panel`` and ``quote_scroll``).
    """

    def __init__(self, window):
        super().__init__(window)
        self._w = window
        self._orders_pane_dragged = False
        self._lookup_pane_dragged = False
        window.right_split.splitterMoved.connect(self._orders_pane_moved)
        window.main_split.splitterMoved.connect(self._lookup_pane_moved)

    def restore(self, settings) -> None:
        """Put both splitters back as ``settings`` (a
        :class:`~refund_desk.ui.settings.DeskSettings`) saved them, where it has them."""
        for splitter in (self._w.main_split, self._w.right_split):
            saved = settings.splitter(splitter.objectName())
            if saved is not None:
                splitter.restoreState(saved)

    def save(self, settings) -> None:
        """Save both splitters' states in ``settings`` (the window is closing)."""
        for splitter in (self._w.main_split, self._w.right_split):
            settings.save_splitter(splitter.objectName(), splitter.saveState())

    def _orders_pane_moved(self, _pos: int, _index: int) -> None:
        self._orders_pane_dragged = True

    def _lookup_pane_moved(self, _pos: int, _index: int) -> None:
        self._lookup_pane_dragged = True

    def fit_quote_width(self) -> None:
        """Give the quote the width its per-order table needs (every column, the checks
        included, without side scrolling) by narrowing the lookup pane, as far as the lookup
        keeps its ids readable — unless the operator dragged that splitter in this session.
        Fonts differ between desktops; this follows the fonts actually used."""
        if self._lookup_pane_dragged:
            return
        w = self._w
        details = w.quote_panel.details
        scroll = w.quote_scroll
        need = details.minimumSizeHint().width() + scroll.verticalScrollBar().sizeHint().width()
        have = scroll.viewport().width() + (
            scroll.verticalScrollBar().width() if scroll.verticalScrollBar().isVisible() else 0
        )
        if need <= have:
            return
        sizes = w.main_split.sizes()
        spare = sizes[0] - w.lookup.comfortable_width()
        give = min(need - have, spare)
        if give > 0:
            w.main_split.setSizes([sizes[0] - give, sizes[1] + give])

    def fit_orders_pane(self) -> None:
        """Give the orders of the shown instance (up to eight) their room above the quote,
        unless the operator dragged the splitter in this session (their choice then stays)."""
        if self._orders_pane_dragged:
            return
        split = self._w.right_split
        sizes = split.sizes()
        total = sum(sizes)
        if total <= 0:
            return
        wanted = max(150, min(self._w.instance_panel.preferred_height(), total // 2))
        if wanted != sizes[0]:
            split.setSizes([wanted, total - wanted])
