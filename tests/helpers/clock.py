"""A fixed clock for the tests that depend on the date: never today's date, so a test reads the
same on any day it runs."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from refund_desk.policy import CHINA_TZ

FIXED_NOW = datetime(2025, 6, 16, 10, 0, tzinfo=CHINA_TZ)
"""The desk's "now" in those tests: Monday 2025-06-16 10:00 China time (a business day, after
the cancellation times the window tests record cases for: a case is never recorded for a
future cancellation time)."""


class SteppingClock:
    """A clock a test moves by hand (training sessions time each answer): starts at 2026-11-30
    09:00 UTC; ``advance(seconds)`` moves it on. Called, it returns the current (aware) time."""

    def __init__(self) -> None:
        self.now = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)
