"""External programs some tests need (poppler-utils' ``pdftoppm``, nsis' ``makensis``).

Without the program such a test is skipped, loudly; with ``REFUND_DESK_REQUIRE_TOOLS=1`` (set by
``.ci/run``, which installs them) it fails instead, so CI cannot pass with a check left out
because an install step failed.
"""

from __future__ import annotations

import os
import shutil

import pytest

REQUIRE_ENV = "REFUND_DESK_REQUIRE_TOOLS"


def require_tool(name: str, package: str) -> str:
    """The path of program ``name`` (from Debian package ``package``). Skips the calling test
    when it is missing, or fails it under ``REFUND_DESK_REQUIRE_TOOLS=1``."""
    path = shutil.which(name)
    if path is None:
        message = f"{name} not installed (apt install {package})"
        if os.environ.get(REQUIRE_ENV) == "1":
            pytest.fail(f"{message}; {REQUIRE_ENV}=1 forbids skipping", pytrace=False)
        pytest.skip(message)
    return path
