"""A fixed clock for the tests that depend on the date: never today's date, so a test reads the
same on any day it runs."""

from __future__ import annotations

from datetime import datetime

from refund_desk.policy import CHINA_TZ

FIXED_NOW = datetime(2025, 1, 15, 10, 0, tzinfo=CHINA_TZ)
"""The desk's "now" in those tests: Wednesday 2025-01-15 10:00 China time (a business day)."""
