"""Refund Desk: refund quotes and refund tickets for IoT Platform subscription instances."""

__version__ = "0.1.0"
