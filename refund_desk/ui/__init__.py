"""The desk window (PySide6). The only package, with ``refund_desk.app``, that imports Qt.

Modules are split by feature (lookup, instance detail, quote, timeline, confirmation, ticket,
cases, import); Qt models are thin adapters over the store. Module level imports stay light
(Qt and the standard library only) so the first paint never waits for SQLAlchemy or the
holiday calendar.
"""
