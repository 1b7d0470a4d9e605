"""Showing what the operator chose in the lookup: an instance with its orders and quote, or an
account with its instances, loaded off the UI thread; the shown instance quoted again when its
case history changes. A result for an instance the operator already left is dropped."""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer

from ..wording import _

ORDERS_PAGE = 200
"""Orders of an instance loaded at once (the orders pane says how many there are)."""


class InstanceLoader(QObject):
    """Loads instances and accounts into the window's panels.

    Args:
        window: the :class:`~refund_desk.ui.main_window.MainWindow` (its ``session``,
            ``instance_panel``, ``quote_panel``, ``message_bar``, ``panes``, ``show_error`` and
            ``instance_loaded`` signal).
    """

    def __init__(self, window):
        super().__init__(window)
        self._w = window
        self._session = window.session
        self._loading_instance: str | None = None

    def open_instance(self, instance_id: str) -> None:
        """Load instance ``instance_id`` with its orders and quote it (off the UI thread)."""
        store = self._session.store
        if store is None:
            return
        self._loading_instance = instance_id

        def work():
            from ..errors import UnknownInstanceError

            record = store.get_instance(instance_id)
            if record is None:
                raise UnknownInstanceError(
                    _("No instance {instance_id} in this database.").format(
                        instance_id=repr(instance_id)
                    )
                )
            orders = store.orders_of_instance(instance_id, limit=ORDERS_PAGE)
            total = store.count_orders_of_instance(instance_id)
            try:
                instance = store.instance_input(instance_id)
            except UnknownInstanceError as exc:
                return record, orders, total, None, str(exc)
            return record, orders, total, instance, None

        def done(result) -> None:
            if self._loading_instance != instance_id:
                return  # the operator already moved on
            record, orders, total, instance, problem = result
            w = self._w
            w.message_bar.dismiss_transient()
            w.instance_panel.show_instance(record, orders, total)
            w.panes.fit_orders_pane()
            if instance is None:
                w.quote_panel.clear()
                w.show_error(_("Cannot quote: {problem}").format(problem=problem), transient=True)
                return
            # The quote in its own event: the UI thread never holds both steps in one go.
            QTimer.singleShot(0, lambda: self._show_quote(instance_id, instance))

        self._session.background.run(work, on_success=done, on_failure=self._load_failed)

    def _show_quote(self, instance_id: str, instance) -> None:
        if self._loading_instance != instance_id:
            return
        self._w.quote_panel.set_instance(instance)
        self._w.instance_loaded.emit(instance_id)

    def reload_history(self) -> None:
        """A case was recorded or changed: quote the shown instance again with its new history
        (RULES.md §7), keeping the cancellation time and what-if inputs."""
        store, panel = self._session.store, self._w.quote_panel
        shown = panel.instance()
        if store is None or shown is None:
            return
        instance_id, cancel_at, options = shown.instance_id, panel.cancel_at(), panel.options()

        def done(instance) -> None:
            current = panel.instance()
            if current is not None and current.instance_id == instance_id:
                panel.set_instance(instance, options=options, cancel_at=cancel_at)

        self._session.background.run(
            lambda: store.instance_input(instance_id), on_success=done, on_failure=self._load_failed
        )

    def open_account(self, account_id: str) -> None:
        """Show account ``account_id`` and its instances."""
        store = self._session.store
        if store is None:
            return
        self._loading_instance = None

        def work():
            return store.get_account(account_id), store.instances_of_account(account_id, limit=500)

        def done(result) -> None:
            account, instances = result
            w = self._w
            if account is None:
                w.show_error(
                    _("No account {account_id} in this database.").format(
                        account_id=repr(account_id)
                    )
                )
                return
            w.message_bar.dismiss_transient()
            w.quote_panel.clear()
            w.instance_panel.show_account(account, instances)
            w.panes.fit_orders_pane()

        self._session.background.run(work, on_success=done, on_failure=self._load_failed)

    def _load_failed(self, exc: BaseException) -> None:
        from .messages import plain_error

        self._w.show_error(plain_error(exc))
