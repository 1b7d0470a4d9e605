"""CSV placeholder (replaced below)."""

from ..errors import ImportRejected


def parse_csv(path, text):
    raise ImportRejected(path, "CSV import not available yet")
