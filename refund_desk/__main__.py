"""``python -m refund_desk``: the same as the ``refund-desk`` command."""

import sys

from .cli import main

sys.exit(main())
