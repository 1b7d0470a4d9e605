"""A fixed clock for the tests that depend on the date: never today's date, so a test reads the
same on any day it runs."""

from __future__ import annotations

from datetime import datetime

from refund_desk.policy import CHINA_TZ

FIXED_NOW = datetime(2025, 6, 16, 10, 0, tzinfo=CHINA_TZ)
"""The desk's "now" in those tests: Monday 2025-06-16 10:00 China time (a business day, after
the cancellation times the window tests record cases for: a case is never recorded for a
future cancellation time)."""
